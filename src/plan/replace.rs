//! `plan --replace token.NAME.passwordN` (and `apply`): the addresses must name password slots
//! the configuration declares, or the user mistyped one and would get a plan that silently
//! replaces nothing.

use std::fmt;

use super::Address;
use crate::model::Desired;

/// Up to this many declared slots are all listed; beyond it, only the closest ones.
const LIST_ALL_UP_TO: usize = 10;

/// `--replace` addresses that are not password slots of the configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) struct UnknownReplace {
    pub unknown: Vec<Address>,
    /// Every declared slot when there are few, otherwise those close to an unknown address.
    pub candidates: Vec<Address>,
    /// How many password slots the configuration declares.
    pub declared: usize,
}

impl fmt::Display for UnknownReplace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unknown: Vec<String> = self.unknown.iter().map(|a| format!("`{a}`")).collect();
        let what = if unknown.len() == 1 {
            "is not a password slot"
        } else {
            "are not password slots"
        };
        write!(
            f,
            "--replace {} {what} the configuration declares",
            unknown.join(", ")
        )?;
        let candidates: Vec<String> = self.candidates.iter().map(ToString::to_string).collect();
        match (self.declared, candidates.is_empty()) {
            (0, _) => write!(
                f,
                "; it declares none (a token's `passwords` lists its slots)"
            ),
            (n, false) if n <= LIST_ALL_UP_TO => {
                write!(f, "; it declares {}", candidates.join(", "))
            }
            (n, false) => write!(f, "; of its {n}, the closest are {}", candidates.join(", ")),
            (n, true) => write!(f, "; none of its {n} is close"),
        }
    }
}

/// Every declared password slot, in address order.
fn declared_slots(desired: &Desired) -> Vec<Address> {
    desired
        .tokens
        .values()
        .flat_map(|token| {
            token
                .passwords
                .iter()
                .flat_map(|slots| slots.keys())
                .map(|&slot| Address::Password(token.name.clone(), slot))
        })
        .collect()
}

/// Checks that each of `replace` is a password slot `desired` declares.
pub(crate) fn check_replace(desired: &Desired, replace: &[Address]) -> Result<(), UnknownReplace> {
    let declared = declared_slots(desired);
    let unknown: Vec<Address> = replace
        .iter()
        .filter(|a| !declared.contains(a))
        .cloned()
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    let candidates = if declared.len() <= LIST_ALL_UP_TO {
        declared.clone()
    } else {
        let mut close: Vec<Address> = Vec::new();
        for address in &unknown {
            let text = address.to_string();
            let distances: Vec<(usize, &Address)> = declared
                .iter()
                .map(|d| (strsim::damerau_levenshtein(&text, &d.to_string()), d))
                .collect();
            // The nearest ones, if near enough to be a typo (as `did_you_mean` judges).
            let limit = (text.chars().count() / 3).max(1);
            if let Some(nearest) = distances
                .iter()
                .map(|(n, _)| *n)
                .min()
                .filter(|&n| n <= limit)
            {
                close.extend(
                    distances
                        .iter()
                        .filter(|(n, _)| *n == nearest)
                        .map(|(_, d)| (*d).clone()),
                );
            }
        }
        close.sort();
        close.dedup();
        close.truncate(LIST_ALL_UP_TO);
        close
    };
    Err(UnknownReplace {
        unknown,
        candidates,
        declared: declared.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::desired;

    fn addresses(list: &[&str]) -> Vec<Address> {
        list.iter().map(|a| a.parse().expect("address")).collect()
    }

    const TWO: &str = "
tokens:
  ci-push:
    scope_map: _repositories_push
    passwords:
      password1: { expires_in: 30d }
      password2: { expires_in: 30d }
  reader:
    scope_map: _repositories_pull
";

    #[test]
    fn declared_slots_pass() {
        let d = desired(TWO);
        assert_eq!(
            check_replace(&d, &addresses(&["token.ci-push.password2"])),
            Ok(())
        );
    }

    #[test]
    fn anything_else_names_the_declared_slots() {
        let d = desired(TWO);
        for (replace, message) in [
            (
                vec!["token.ci-pusj.password1"],
                "--replace `token.ci-pusj.password1` is not a password slot the configuration \
                 declares; it declares token.ci-push.password1, token.ci-push.password2",
            ),
            (
                vec!["token.reader.password1", "token.ci-push"],
                "--replace `token.reader.password1`, `token.ci-push` are not password slots the \
                 configuration declares; it declares token.ci-push.password1, \
                 token.ci-push.password2",
            ),
        ] {
            let error = check_replace(&d, &addresses(&replace)).expect_err("unknown");
            assert_eq!(error.to_string(), message);
        }
        let none = desired("tokens:\n  reader:\n    scope_map: _repositories_pull\n");
        assert_eq!(
            check_replace(&none, &addresses(&["token.reader.password1"]))
                .expect_err("unknown")
                .to_string(),
            "--replace `token.reader.password1` is not a password slot the configuration \
             declares; it declares none (a token's `passwords` lists its slots)"
        );
    }

    #[test]
    fn many_slots_list_only_the_closest() {
        let yaml: String = std::iter::once("tokens:\n".to_owned())
            .chain((0..20).map(|i| {
                format!(
                    "  token-{i:02}:\n    scope_map: _repositories_pull\n    passwords:\n      password1: {{}}\n"
                )
            }))
            .collect();
        let error = check_replace(&desired(&yaml), &addresses(&["token.token-7.password1"]))
            .expect_err("unknown");
        assert_eq!(
            error.to_string(),
            "--replace `token.token-7.password1` is not a password slot the configuration \
             declares; of its 20, the closest are token.token-07.password1, \
             token.token-17.password1"
        );
    }
}
