//! `--pin NAME=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY`: the registry a workspace's `NAME` is,
//! whatever its configuration says, as `--subscription`, `--resource-group` and `--registry`
//! are for a single configuration. A pull request can change a configuration's `registry:`
//! block and the workspace file; the pipeline's flags are out of its reach.

use std::str::FromStr;

use crate::config::WorkspaceName;
use crate::live::arm::RegistryRef;

const FORM: &str = "NAME=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY";

/// One `--pin`: a workspace registry's name and the registry it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Pin {
    pub name: WorkspaceName,
    pub registry: RegistryRef,
}

impl FromStr for Pin {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let form = || {
            format!(
                "expected {FORM}, such as \
                 prod=00000000-0000-0000-0000-000000000000/my-resource-group/myregistry"
            )
        };
        let (name, coordinates) = text.split_once('=').ok_or_else(form)?;
        let [subscription, resource_group, registry] = coordinates
            .split('/')
            .collect::<Vec<_>>()
            .try_into()
            .map_err(|_| form())?;
        Ok(Self {
            name: WorkspaceName::parse(name)?,
            registry: RegistryRef {
                subscription: subscription.parse().map_err(|e| format!("{e}"))?,
                resource_group: resource_group.parse().map_err(|e| format!("{e}"))?,
                name: registry.parse().map_err(|e| format!("{e}"))?,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str = "00000000-0000-0000-0000-000000000000";

    #[test]
    fn a_pin_is_a_name_and_three_coordinates_each_checked() {
        let pin: Pin = format!("prod={SUB}/rg-prod/prodregistry")
            .parse()
            .expect("pin");
        assert_eq!(pin.name.as_str(), "prod");
        assert_eq!(pin.registry.subscription.as_str(), SUB);
        assert_eq!(pin.registry.resource_group.as_str(), "rg-prod");
        assert_eq!(pin.registry.name.as_str(), "prodregistry");
        for bad in [
            "prod",
            "prod=prodregistry",
            &format!("prod={SUB}/rg"),
            &format!("prod={SUB}/rg/reg/extra"),
        ] {
            let err = bad.parse::<Pin>().expect_err(bad);
            assert!(err.contains(FORM), "{bad}: {err}");
        }
        for (bad, says) in [
            (
                format!("pr/od={SUB}/rg/reg"),
                "not a valid registry name in a workspace",
            ),
            ("prod=nope/rg/reg".to_owned(), "subscription"),
            (format!("prod={SUB}/rg./reg"), "resource group"),
            (format!("prod={SUB}/rg/no_such"), "registry"),
        ] {
            let err = bad.parse::<Pin>().expect_err(&bad);
            assert!(err.contains(says), "{bad}: {err}");
        }
    }
}
