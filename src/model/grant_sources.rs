//! The places that ask for one action of a scope map: a small sorted set.

use super::GrantSource;

/// Why one action is granted: a sorted set of `GrantSource`s without repeats, almost always
/// of one element, which is kept in place. A Premium registry's configuration has a million
/// actions: a `BTreeSet` allocated a whole B-tree leaf (over 350 bytes) for each one's single
/// source, and even a one-element `Vec` a 32-byte allocation (massif).
#[derive(Debug, Clone)]
pub struct GrantSources(Repr);

#[derive(Debug, Clone)]
enum Repr {
    One(GrantSource),
    /// None, or more than one, sorted.
    Many(Vec<GrantSource>),
}

impl Default for GrantSources {
    fn default() -> Self {
        Self(Repr::Many(Vec::new()))
    }
}

impl GrantSources {
    /// Adds `source`; `false` when it was already there.
    pub fn insert(&mut self, source: GrantSource) -> bool {
        match &mut self.0 {
            Repr::One(only) if *only == source => false,
            Repr::One(only) => {
                let only = only.clone();
                let mut sources = vec![only, source];
                sources.sort();
                self.0 = Repr::Many(sources);
                true
            }
            Repr::Many(sources) if sources.is_empty() => {
                self.0 = Repr::One(source);
                true
            }
            Repr::Many(sources) => match sources.binary_search(&source) {
                Ok(_) => false,
                Err(at) => {
                    sources.insert(at, source);
                    true
                }
            },
        }
    }

    /// The sources in order.
    pub fn iter(&self) -> std::slice::Iter<'_, GrantSource> {
        self.as_slice().iter()
    }

    pub fn len(&self) -> usize {
        self.as_slice().len()
    }

    pub fn is_empty(&self) -> bool {
        self.as_slice().is_empty()
    }

    fn as_slice(&self) -> &[GrantSource] {
        match &self.0 {
            Repr::One(only) => std::slice::from_ref(only),
            Repr::Many(sources) => sources,
        }
    }
}

impl PartialEq for GrantSources {
    fn eq(&self, other: &Self) -> bool {
        self.as_slice() == other.as_slice()
    }
}

impl Eq for GrantSources {}

impl std::hash::Hash for GrantSources {
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.as_slice().hash(state);
    }
}

impl PartialOrd for GrantSources {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for GrantSources {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_slice().cmp(other.as_slice())
    }
}

impl From<GrantSource> for GrantSources {
    fn from(source: GrantSource) -> Self {
        Self(Repr::One(source))
    }
}

impl Extend<GrantSource> for GrantSources {
    fn extend<I: IntoIterator<Item = GrantSource>>(&mut self, sources: I) {
        for source in sources {
            self.insert(source);
        }
    }
}

impl FromIterator<GrantSource> for GrantSources {
    fn from_iter<I: IntoIterator<Item = GrantSource>>(sources: I) -> Self {
        let mut set = Self::default();
        set.extend(sources);
        set
    }
}

impl IntoIterator for GrantSources {
    type Item = GrantSource;
    type IntoIter = std::vec::IntoIter<GrantSource>;

    fn into_iter(self) -> Self::IntoIter {
        match self.0 {
            Repr::One(only) => vec![only].into_iter(),
            Repr::Many(sources) => sources.into_iter(),
        }
    }
}

impl<'a> IntoIterator for &'a GrantSources {
    type Item = &'a GrantSource;
    type IntoIter = std::slice::Iter<'a, GrantSource>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(name: &str) -> GrantSource {
        GrantSource::Rule(name.parse().expect("a rule name"))
    }

    #[test]
    fn sorted_without_repeats() {
        let mut sources = GrantSources::from(rule("push"));
        assert!(sources.insert(GrantSource::Direct));
        assert!(!sources.insert(rule("push")));
        sources.extend([GrantSource::Direct, rule("pull")]);
        assert_eq!(
            sources.iter().cloned().collect::<Vec<_>>(),
            [GrantSource::Direct, rule("pull"), rule("push")]
        );
        assert_eq!(sources.len(), 3);
    }

    #[test]
    fn one_source_and_none() {
        let mut sources = GrantSources::default();
        assert!(sources.is_empty());
        assert!(sources.insert(rule("pull")));
        assert!(!sources.insert(rule("pull")));
        assert_eq!(sources, GrantSources::from(rule("pull")));
        assert_eq!(sources.into_iter().collect::<Vec<_>>(), [rule("pull")]);
    }

    #[test]
    fn equal_and_ordered_by_their_sources() {
        let many: GrantSources = [rule("pull")].into_iter().collect();
        assert_eq!(many, GrantSources::from(rule("pull")));
        assert!(GrantSources::from(GrantSource::Direct) < GrantSources::from(rule("pull")));
    }
}
