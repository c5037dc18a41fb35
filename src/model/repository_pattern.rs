//! Repository patterns of scope map rules: an exact repository, a prefix wildcard `samples/*`,
//! or the root wildcard `*`.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use compact_str::CompactString;

/// Why a string is not a valid repository or repository pattern.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RepositoryError {
    #[error("repository name is empty")]
    Empty,
    #[error("`*` may appear only once, as the whole last path segment (`samples/*` or `*`)")]
    MisplacedWildcard,
    #[error("repository names are lower case; use `{lower}`")]
    UpperCase { lower: String },
    #[error("repository path component `{component}` is not valid: {reason}")]
    Component {
        component: String,
        reason: &'static str,
    },
}

/// The repositories a rule applies to. Names are `CompactString`s: a Premium registry has a
/// million actions on each side of a plan, and most names fit in the string itself.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum RepositoryPattern {
    /// One repository, such as `samples/hello-world`.
    Exact(CompactString),
    /// Every repository under a prefix: `samples/*` is stored as `samples`.
    Prefix(CompactString),
    /// `*`: every repository of the registry.
    Root,
}

impl RepositoryPattern {
    /// Whether the pattern covers `repository`, which may not exist yet.
    pub fn matches(&self, repository: &str) -> bool {
        match self {
            Self::Exact(name) => name == repository,
            Self::Prefix(prefix) => repository
                .strip_prefix(prefix.as_str())
                .is_some_and(|rest| rest.starts_with('/') && rest.len() > 1),
            Self::Root => true,
        }
    }

    /// Whether every repository this pattern matches is also matched by `other`.
    pub fn is_covered_by(&self, other: &Self) -> bool {
        match (self, other) {
            (_, Self::Root) => true,
            (Self::Exact(name), _) => other.matches(name),
            (Self::Prefix(mine), Self::Prefix(theirs)) => mine == theirs || other.matches(mine),
            (Self::Root | Self::Prefix(_), _) => false,
        }
    }

    pub fn is_wildcard(&self) -> bool {
        !matches!(self, Self::Exact(_))
    }
}

/// Checks one repository name against the OCI grammar: `/`-separated components of `[a-z0-9]`
/// runs joined by `.`, `_`, `__` or any number of `-`.
pub(crate) fn validate_repository_name(name: &str) -> Result<(), RepositoryError> {
    // A million names at Premium scale, nearly all valid: one pass over the bytes says so, and
    // only a name it refuses is taken apart to say why.
    if is_valid_repository_name(name.as_bytes()) {
        return Ok(());
    }
    if name.is_empty() {
        return Err(RepositoryError::Empty);
    }
    if name.bytes().any(|b| b.is_ascii_uppercase()) {
        return Err(RepositoryError::UpperCase {
            lower: name.to_ascii_lowercase(),
        });
    }
    if name.as_bytes().contains(&b'*') {
        return Err(RepositoryError::MisplacedWildcard);
    }
    name.split('/').try_for_each(validate_component)
}

/// Whether `name` is a valid repository name: what `validate_repository_name` accepts. One
/// pass over the bytes through a table of what may follow what: two loads a byte. (Splitting
/// the name into components and each into runs cost about 450 instructions for a name of 16
/// bytes, and a plan at Premium scale checks 1.5 million.)
fn is_valid_repository_name(name: &[u8]) -> bool {
    let mut after = START;
    for &b in name {
        after = NEXT[usize::from(after)][usize::from(CLASS[usize::from(b)])];
    }
    after == LETTER_OR_DIGIT
}

// What the bytes so far end with (the rows of `NEXT`).
/// Nothing yet, or a `/`: a component starts.
const START: u8 = 0;
const LETTER_OR_DIGIT: u8 = 1;
/// Not a valid name, whatever follows.
const INVALID: u8 = 6;

/// The next row of `NEXT` after a byte of each class (columns: other, letter or digit, `-`,
/// `.`, `_`, `/`). From the rows: a component starts and ends with a letter or digit, and
/// the runs between them are dashes, one `.`, one `_` or two.
const NEXT: [[u8; 6]; 7] = [
    [INVALID, 1, INVALID, INVALID, INVALID, INVALID], // start of a component
    [INVALID, 1, 2, 3, 4, START],                     // a letter or digit
    [INVALID, 1, 2, INVALID, INVALID, INVALID],       // dashes
    [INVALID, 1, INVALID, INVALID, INVALID, INVALID], // `.`
    [INVALID, 1, INVALID, INVALID, 5, INVALID],       // `_`
    [INVALID, 1, INVALID, INVALID, INVALID, INVALID], // `__`
    [INVALID; 6],                                     // invalid
];

/// The column of `NEXT` for each byte.
const CLASS: [u8; 256] = {
    let mut class = [0; 256];
    let mut b: u8 = 0;
    loop {
        class[b as usize] = match b {
            b'a'..=b'z' | b'0'..=b'9' => 1,
            b'-' => 2,
            b'.' => 3,
            b'_' => 4,
            b'/' => 5,
            _ => 0,
        };
        if b == u8::MAX {
            break class;
        }
        b += 1;
    }
};

fn validate_component(component: &str) -> Result<(), RepositoryError> {
    let fail = |reason| {
        Err(RepositoryError::Component {
            component: component.to_owned(),
            reason,
        })
    };
    let bytes = component.as_bytes();
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    match (bytes.first(), bytes.last()) {
        (None, _) => return fail("it is empty (two `/` in a row, or a leading or trailing `/`)"),
        (Some(&f), Some(&l)) if !alnum(f) || !alnum(l) => {
            return fail("it must start and end with a lower-case letter or digit");
        }
        _ => {}
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if alnum(b) {
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && !alnum(bytes[i]) {
            i += 1;
        }
        let separator = &component[start..i];
        let dashes = separator.bytes().all(|b| b == b'-');
        if !(dashes || separator == "." || separator == "_" || separator == "__") {
            return fail("letters and digits may be joined only by `.`, `_`, `__` or dashes");
        }
    }
    Ok(())
}

impl FromStr for RepositoryPattern {
    type Err = RepositoryError;

    fn from_str(s: &str) -> Result<Self, RepositoryError> {
        if s == "*" {
            return Ok(Self::Root);
        }
        if let Some(prefix) = s.strip_suffix("/*") {
            validate_repository_name(prefix)?;
            return Ok(Self::Prefix(prefix.into()));
        }
        validate_repository_name(s)?;
        Ok(Self::Exact(s.into()))
    }
}

impl fmt::Display for RepositoryPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exact(name) => f.write_str(name),
            Self::Prefix(prefix) => write!(f, "{prefix}/*"),
            Self::Root => f.write_str("*"),
        }
    }
}

/// Patterns sort by their text, so `samples/*` sits next to `samples/hello`.
impl Ord for RepositoryPattern {
    fn cmp(&self, other: &Self) -> Ordering {
        fn key(p: &RepositoryPattern) -> (&str, u8) {
            match p {
                RepositoryPattern::Exact(n) => (n.as_str(), 0),
                RepositoryPattern::Prefix(n) => (n.as_str(), 1),
                RepositoryPattern::Root => ("*", 2),
            }
        }
        key(self).cmp(&key(other))
    }
}

impl PartialOrd for RepositoryPattern {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(s: &str) -> RepositoryPattern {
        s.parse().unwrap()
    }

    #[test]
    fn valid_patterns() {
        assert_eq!(pattern("*"), RepositoryPattern::Root);
        assert_eq!(
            pattern("samples/*"),
            RepositoryPattern::Prefix("samples".into())
        );
        assert_eq!(
            pattern("samples/teamA/*".to_lowercase().as_str()).to_string(),
            "samples/teama/*"
        );
        for ok in [
            "hello-world",
            "a/b/c",
            "my_repo",
            "my__repo",
            "a.b",
            "a---b",
            "x0/y1",
        ] {
            assert!(ok.parse::<RepositoryPattern>().is_ok(), "{ok}");
        }
    }

    #[test]
    fn invalid_patterns() {
        for bad in [
            "sample/*/teama",
            "sample/teama*",
            "sample/teama/*/projectb/*",
            "**",
            "*/*",
            "",
            "a//b",
            "/a",
            "a/",
            "a___b",
            "a..b",
            "-a",
            "a-",
            "Samples/hello",
        ] {
            assert!(bad.parse::<RepositoryPattern>().is_err(), "{bad}");
        }
    }

    /// The one-pass check accepts exactly the names the explaining path finds nothing wrong
    /// with: every name of up to 6 bytes over the bytes that matter.
    #[test]
    fn the_fast_check_agrees_with_the_explanation() {
        const BYTES: &[u8] = b"a0-._/A*";
        let explained = |name: &str| {
            !name.is_empty()
                && !name.bytes().any(|b| b.is_ascii_uppercase() || b == b'*')
                && name.split('/').try_for_each(validate_component).is_ok()
        };
        let mut names = vec![String::new()];
        for _ in 0..6 {
            let longer: Vec<String> = names
                .iter()
                .filter(|name| name.len() == names.last().map_or(0, String::len))
                .flat_map(|name| BYTES.iter().map(move |&b| format!("{name}{}", b as char)))
                .collect();
            names.extend(longer);
        }
        assert_eq!(names.len(), 299_593);
        for name in &names {
            assert_eq!(
                is_valid_repository_name(name.as_bytes()),
                explained(name),
                "{name}"
            );
        }
    }

    #[test]
    fn matching() {
        let cases = [
            ("*", "anything/at/all", true),
            ("samples/*", "samples/hello", true),
            ("samples/*", "samples/a/b", true),
            ("samples/*", "samples", false),
            ("samples/*", "samplesx/a", false),
            ("samples/hello", "samples/hello", true),
            ("samples/hello", "samples/hello2", false),
        ];
        for (p, repo, expected) in cases {
            assert_eq!(pattern(p).matches(repo), expected, "{p} vs {repo}");
        }
    }

    #[test]
    fn coverage() {
        assert!(pattern("samples/a").is_covered_by(&pattern("samples/*")));
        assert!(pattern("samples/a/*").is_covered_by(&pattern("samples/*")));
        assert!(pattern("samples/*").is_covered_by(&pattern("samples/*")));
        assert!(!pattern("samples/*").is_covered_by(&pattern("samples/a/*")));
        assert!(pattern("x").is_covered_by(&pattern("*")));
        assert!(!pattern("*").is_covered_by(&pattern("x/*")));
        assert!(!pattern("samples/*").is_covered_by(&pattern("samples/a")));
    }
}
