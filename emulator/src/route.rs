//! Request paths, recognised the way ARM does: fixed segments case-insensitively, names as given.

use crate::ids::{ChildKind, PROVIDER, RegistryRef};

/// What a request path addresses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    /// `GET /_emulator/state`, the test hook.
    StateHook,
    /// `GET`/`POST /_emulator/clock`: read or move the emulated time.
    ClockHook,
    /// `GET`/`POST /_emulator/key-vault`: read or set whether Key Vault is down.
    KeyVaultHook,
    /// The registries of a subscription, or of one of its resource groups.
    Registries {
        subscription: String,
        resource_group: Option<String>,
    },
    Registry(RegistryRef),
    Children(RegistryRef, ChildKind),
    Child(RegistryRef, ChildKind, String),
    GenerateCredentials(RegistryRef),
    Deactivate(RegistryRef, String),
    /// `…/operationStatuses/{name}` under a registry or one of its children, or real Azure's
    /// `/subscriptions/{s}/providers/Microsoft.ContainerRegistry/locations/{l}/operationResults/{name}`.
    OperationStatus(String),
}

impl Route {
    /// Parses a request path; `None` for paths the emulator does not serve.
    pub fn parse(path: &str) -> Option<Self> {
        let segments: Vec<&str> = path.trim_matches('/').split('/').collect();
        let is = |segment: &str, word: &str| segment.eq_ignore_ascii_case(word);
        match segments.as_slice() {
            [a, b] if is(a, "_emulator") && is(b, "state") => Some(Self::StateHook),
            [a, b] if is(a, "_emulator") && is(b, "clock") => Some(Self::ClockHook),
            [a, b] if is(a, "_emulator") && is(b, "key-vault") => Some(Self::KeyVaultHook),
            [s, sub, p, provider, r]
                if is(s, "subscriptions")
                    && is(p, "providers")
                    && is(provider, PROVIDER)
                    && is(r, "registries") =>
            {
                Some(Self::Registries {
                    subscription: (*sub).to_owned(),
                    resource_group: None,
                })
            }
            [s, _, p, provider, l, _, o, name]
                if is(s, "subscriptions")
                    && is(p, "providers")
                    && is(provider, PROVIDER)
                    && is(l, "locations")
                    && is(o, "operationResults") =>
            {
                Some(Self::OperationStatus((*name).to_owned()))
            }
            [s, sub, g, rg, p, provider, r, rest @ ..]
                if is(s, "subscriptions")
                    && is(g, "resourceGroups")
                    && is(p, "providers")
                    && is(provider, PROVIDER)
                    && is(r, "registries") =>
            {
                let Some((name, rest)) = rest.split_first() else {
                    return Some(Self::Registries {
                        subscription: (*sub).to_owned(),
                        resource_group: Some((*rg).to_owned()),
                    });
                };
                let registry = RegistryRef {
                    subscription: (*sub).to_owned(),
                    resource_group: (*rg).to_owned(),
                    name: (*name).to_owned(),
                };
                Self::under_registry(registry, rest)
            }
            _ => None,
        }
    }

    /// The subscription of a route under a registry.
    pub fn subscription(&self) -> Option<&str> {
        match self {
            Self::Registry(r)
            | Self::Children(r, _)
            | Self::Child(r, _, _)
            | Self::GenerateCredentials(r)
            | Self::Deactivate(r, _) => Some(&r.subscription),
            Self::Registries { subscription, .. } => Some(subscription),
            Self::StateHook | Self::ClockHook | Self::KeyVaultHook | Self::OperationStatus(_) => {
                None
            }
        }
    }

    fn under_registry(registry: RegistryRef, rest: &[&str]) -> Option<Self> {
        let is = |segment: &str, word: &str| segment.eq_ignore_ascii_case(word);
        match rest {
            [] => Some(Self::Registry(registry)),
            [g] if is(g, "generateCredentials") => Some(Self::GenerateCredentials(registry)),
            [o, op] if is(o, "operationStatuses") => Some(Self::OperationStatus((*op).to_owned())),
            [kind] => Some(Self::Children(registry, ChildKind::from_segment(kind)?)),
            [kind, name] => Some(Self::Child(
                registry,
                ChildKind::from_segment(kind)?,
                (*name).to_owned(),
            )),
            [kind, _, o, op]
                if ChildKind::from_segment(kind).is_some() && is(o, "operationStatuses") =>
            {
                Some(Self::OperationStatus((*op).to_owned()))
            }
            [kind, name, d]
                if ChildKind::from_segment(kind) == Some(ChildKind::ConnectedRegistries)
                    && is(d, "deactivate") =>
            {
                Some(Self::Deactivate(registry, (*name).to_owned()))
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: &str =
        "/subscriptions/sub/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/reg";

    fn registry() -> RegistryRef {
        RegistryRef {
            subscription: "sub".to_owned(),
            resource_group: "rg".to_owned(),
            name: "reg".to_owned(),
        }
    }

    #[test]
    fn parses_every_route() {
        let cases = [
            ("/_emulator/state", Some(Route::StateHook)),
            (
                "/subscriptions/sub/providers/Microsoft.ContainerRegistry/registries",
                Some(Route::Registries {
                    subscription: "sub".to_owned(),
                    resource_group: None,
                }),
            ),
            (
                "/subscriptions/sub/resourcegroups/rg/providers/microsoft.containerregistry/registries",
                Some(Route::Registries {
                    subscription: "sub".to_owned(),
                    resource_group: Some("rg".to_owned()),
                }),
            ),
            (R, Some(Route::Registry(registry()))),
            (
                &format!("{R}/tokens"),
                Some(Route::Children(registry(), ChildKind::Tokens)),
            ),
            (
                &format!("{R}/scopemaps/m1"),
                Some(Route::Child(
                    registry(),
                    ChildKind::ScopeMaps,
                    "m1".to_owned(),
                )),
            ),
            (
                &format!("{R}/generateCredentials"),
                Some(Route::GenerateCredentials(registry())),
            ),
            (
                &format!("{R}/operationStatuses/registries-1"),
                Some(Route::OperationStatus("registries-1".to_owned())),
            ),
            (
                &format!("{R}/tokens/t1/operationStatuses/tokens-1"),
                Some(Route::OperationStatus("tokens-1".to_owned())),
            ),
            (
                &format!("{R}/connectedRegistries/edge1/deactivate"),
                Some(Route::Deactivate(registry(), "edge1".to_owned())),
            ),
            (
                "/subscriptions/sub/providers/Microsoft.ContainerRegistry/locations/EASTUS/operationResults/tokens-1",
                Some(Route::OperationStatus("tokens-1".to_owned())),
            ),
            (&format!("{R}/webhooks"), None),
            ("/subscriptions/sub", None),
        ];
        for (path, expected) in cases {
            assert_eq!(Route::parse(path), expected, "{path}");
        }
    }
}
