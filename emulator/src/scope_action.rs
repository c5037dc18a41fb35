//! The service's rules for scope map `actions`: `repositories/<repo>/<action>` or
//! `gateway/<connected registry>/<action>`, lower case, wildcards only as a whole last segment.

use crate::arm_error::ArmError;
use crate::names::NameKind;

/// At most this many actions per scope map, on every tier.
pub const MAX_ACTIONS: usize = 500;

const REPOSITORY_ACTIONS: [&str; 5] = [
    "content/read",
    "content/write",
    "content/delete",
    "metadata/read",
    "metadata/write",
];
const GATEWAY_ACTIONS: [&str; 4] = [
    "config/read",
    "config/write",
    "message/read",
    "message/write",
];

/// Checks a whole `actions` list: present, non-empty, at most 500 entries, each valid.
pub fn check_actions(actions: &[String]) -> Result<(), ArmError> {
    if actions.is_empty() {
        return Err(ArmError::bad_request(
            "InvalidScopeMapActions",
            "The scope map must contain at least one action.",
        ));
    }
    if actions.len() > MAX_ACTIONS {
        return Err(ArmError::bad_request(
            "InvalidScopeMapActions",
            format!(
                "The scope map has {} actions; at most {MAX_ACTIONS} are allowed.",
                actions.len()
            ),
        ));
    }
    actions.iter().try_for_each(|a| check_action(a))
}

/// Checks one action; the error names the action and why it is invalid.
pub fn check_action(action: &str) -> Result<(), ArmError> {
    reason(action).map_or(Ok(()), |why| {
        Err(ArmError::bad_request(
            "InvalidScopeMapActions",
            format!("The action '{action}' is invalid: {why}."),
        ))
    })
}

const SHAPE: &str =
    "expected `repositories/<repository>/<action>` or `gateway/<connected registry>/<action>`";

fn reason(action: &str) -> Option<String> {
    if action.chars().any(|c| c.is_ascii_uppercase()) {
        return Some("actions must be lower case".to_owned());
    }
    // The permission is always the last two segments: `…/content/read`.
    let Some((domain, rest)) = action.split_once('/') else {
        return Some(SHAPE.to_owned());
    };
    let mut parts = rest.rsplitn(3, '/');
    let (Some(verb), Some(noun), Some(target)) = (parts.next(), parts.next(), parts.next()) else {
        return Some(SHAPE.to_owned());
    };
    let permission = format!("{noun}/{verb}");
    match domain {
        "repositories" => {
            if !REPOSITORY_ACTIONS.contains(&permission.as_str()) {
                return Some(format!(
                    "`{permission}` is not one of {}",
                    REPOSITORY_ACTIONS.join(", ")
                ));
            }
            repository_pattern_reason(target)
        }
        "gateway" => {
            if !GATEWAY_ACTIONS.contains(&permission.as_str()) {
                return Some(format!(
                    "`{permission}` is not one of {}",
                    GATEWAY_ACTIONS.join(", ")
                ));
            }
            NameKind::ConnectedRegistry
                .check(target)
                .err()
                .map(|_| format!("`{target}` is not a connected registry name"))
        }
        _ => Some("actions start with `repositories/` or `gateway/`".to_owned()),
    }
}

/// `*`, `prefix/*` or an exact OCI repository name.
fn repository_pattern_reason(pattern: &str) -> Option<String> {
    if pattern == "*" {
        return None;
    }
    let name = pattern.strip_suffix("/*").unwrap_or(pattern);
    if name.contains('*') {
        return Some(
            "a wildcard `*` may appear once, only as the whole last path segment".to_owned(),
        );
    }
    name.split('/').find_map(component_reason)
}

/// One `/`-separated component of an OCI repository name: runs of `[a-z0-9]` joined by `.`,
/// `_`, `__` or one or more `-`.
fn component_reason(component: &str) -> Option<String> {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    let bytes = component.as_bytes();
    let (Some(&first), Some(&last)) = (bytes.first(), bytes.last()) else {
        return Some("a repository path component is empty".to_owned());
    };
    if !alnum(first) || !alnum(last) {
        return Some(format!(
            "repository path component `{component}` must start and end with a letter or digit"
        ));
    }
    let mut separator = String::new();
    for &b in bytes {
        if alnum(b) {
            let ok = separator.is_empty()
                || separator == "."
                || separator == "_"
                || separator == "__"
                || separator.bytes().all(|s| s == b'-');
            if !ok {
                return Some(format!(
                    "repository path component `{component}` joins letters and digits with `{separator}`; only `.`, `_`, `__` or dashes are allowed"
                ));
            }
            separator.clear();
        } else {
            separator.push(char::from(b));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn valid_actions() {
        for action in [
            "repositories/*/content/read",
            "repositories/samples/*/content/write",
            "repositories/samples/teama/*/metadata/read",
            "repositories/samples/hello-world/content/delete",
            "repositories/a.b__c-d--e/metadata/write",
            "gateway/edge01/config/read",
            "gateway/myconnectedregistry/message/write",
        ] {
            assert!(check_action(action).is_ok(), "{action}");
        }
    }

    #[test]
    fn invalid_actions() {
        for action in [
            "repositories/myrepository/contentWrite",
            "repositories/myrepository/delete",
            "repositories/Samples/content/read",
            "repositories/sample/*/teama/content/read",
            "repositories/sample/teama*/content/read",
            "repositories/a/*/b/*/content/read",
            "repositories/**/content/read",
            "repositories/samples//x/content/read",
            "repositories/-x/content/read",
            "repositories/a...b/content/read",
            "repositories/samples/config/read",
            "gateway/edge01/content/read",
            "gateway/edge_01/config/read",
            "registry/edge01/config/read",
            "repositories/content/read",
            "nothing",
        ] {
            assert!(check_action(action).is_err(), "{action}");
        }
    }

    #[test]
    fn list_limits() {
        assert!(check_actions(&[]).is_err());
        let many = vec!["repositories/*/content/read".to_owned(); MAX_ACTIONS + 1];
        assert!(check_actions(&many).is_err());
        assert!(check_actions(&many[..MAX_ACTIONS]).is_ok());
    }
}
