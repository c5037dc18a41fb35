//! Name globs of `ignore:`: `*` matches any run of characters, `?` exactly one.

use std::fmt;
use std::str::FromStr;

/// A glob over object names, such as `legacy-*`. Matching is case-sensitive.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NameGlob(String);

impl NameGlob {
    pub fn matches(&self, name: &str) -> bool {
        glob_match(self.0.as_bytes(), name.as_bytes())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Iterative wildcard matching with single-star backtracking: linear in practice.
fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let (mut p, mut t) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while t < text.len() {
        match pattern.get(p) {
            Some(b'*') => {
                star = Some((p, t));
                p += 1;
            }
            Some(&c) if c == b'?' || c == text[t] => {
                p += 1;
                t += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    p = sp + 1;
                    t = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

impl FromStr for NameGlob {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, String> {
        if s.is_empty() {
            return Err("an ignore pattern cannot be empty".to_owned());
        }
        Ok(Self(s.to_owned()))
    }
}

impl fmt::Display for NameGlob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matching() {
        let cases = [
            ("legacy-*", "legacy-ci", true),
            ("legacy-*", "legacy-", true),
            ("legacy-*", "old-legacy-ci", false),
            ("*-ci", "team-a-ci", true),
            ("t?ken", "token", true),
            ("t?ken", "tokken", false),
            ("*", "", true),
            ("a*b*c", "axxbyyc", true),
            ("a*b*c", "axxbyy", false),
        ];
        for (glob, name, expected) in cases {
            let glob: NameGlob = glob.parse().unwrap();
            assert_eq!(glob.matches(name), expected, "{glob} vs {name}");
        }
    }
}
