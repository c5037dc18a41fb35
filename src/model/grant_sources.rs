//! The places that ask for one action of a scope map: a small sorted set.

use super::GrantSource;

/// Why one action is granted: a sorted set of `GrantSource`s without repeats, almost always
/// of one element. A `Vec` rather than a `BTreeSet`: a Premium registry's configuration has a
/// million actions, and a `BTreeSet` allocates a whole B-tree leaf (over 350 bytes) for each
/// one's single source, a third of `plan`'s peak memory at that size (massif).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct GrantSources(Vec<GrantSource>);

impl GrantSources {
    /// Adds `source`; `false` when it was already there.
    pub fn insert(&mut self, source: GrantSource) -> bool {
        match self.0.binary_search(&source) {
            Ok(_) => false,
            Err(at) => {
                // Exactly one more: a growing `Vec` would reserve four places for the one
                // source almost every action has (96 MB of a Premium-sized plan).
                self.0.reserve_exact(1);
                self.0.insert(at, source);
                true
            }
        }
    }

    /// The sources in order.
    pub fn iter(&self) -> std::slice::Iter<'_, GrantSource> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<GrantSource> for GrantSources {
    fn from(source: GrantSource) -> Self {
        Self(vec![source])
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
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a GrantSources {
    type Item = &'a GrantSource;
    type IntoIter = std::slice::Iter<'a, GrantSource>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_without_repeats() {
        let rule = GrantSource::Rule("push".parse().expect("a rule name"));
        let mut sources = GrantSources::from(rule.clone());
        assert!(sources.insert(GrantSource::Direct));
        assert!(!sources.insert(rule.clone()));
        sources.extend([GrantSource::Direct]);
        assert_eq!(
            sources.iter().cloned().collect::<Vec<_>>(),
            [GrantSource::Direct, rule]
        );
    }
}
