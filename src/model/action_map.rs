//! A scope map's expanded actions, each with the places that ask for it.

use super::{GrantSource, GrantSources, ScopeAction};

/// A map from action to its sources, kept as a `Vec` sorted by action without repeats.
///
/// A scope map has tens of actions and is built once, then only read. A `BTreeMap` allocated
/// three leaves and a root (about 2.5 KB) for a typical scope map's 20 actions, where the
/// sorted `Vec` takes 1.4 KB: at Premium scale, 50,000 scope maps, the difference was a fifth
/// of `plan`'s peak memory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ActionMap(Vec<(ScopeAction, GrantSources)>);

/// An action with its sources, as `ActionMap::iter` gives them.
pub(super) type ActionEntry<'a> = (&'a ScopeAction, &'a GrantSources);

type Pair = (ScopeAction, GrantSources);

impl ActionMap {
    pub fn new() -> Self {
        Self::default()
    }

    /// The map of `pairs`, given in any order: an action given more than once has all its
    /// sources.
    pub fn from_sources(pairs: Vec<(ScopeAction, GrantSource)>) -> Self {
        pairs
            .into_iter()
            .map(|(action, source)| (action, GrantSources::from(source)))
            .collect()
    }

    /// Adds `source` to `action`'s sources, adding the action if it is new.
    pub fn add(&mut self, action: ScopeAction, source: GrantSource) {
        match self.0.binary_search_by(|(a, _)| a.cmp(&action)) {
            Ok(at) => {
                self.0[at].1.insert(source);
            }
            Err(at) => self.0.insert(at, (action, GrantSources::from(source))),
        }
    }

    pub fn get(&self, action: &ScopeAction) -> Option<&GrantSources> {
        self.0
            .binary_search_by(|(a, _)| a.cmp(action))
            .ok()
            .map(|at| &self.0[at].1)
    }

    pub fn contains_key(&self, action: &ScopeAction) -> bool {
        self.get(action).is_some()
    }

    /// The actions in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &ScopeAction> + ExactSizeIterator {
        self.0.iter().map(|(action, _)| action)
    }

    /// The actions with their sources, in order of action.
    pub fn iter(&self) -> Iter<'_> {
        self.0.iter().map(|(action, sources)| (action, sources))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The iterator of `ActionMap::iter`.
pub(super) type Iter<'a> =
    std::iter::Map<std::slice::Iter<'a, Pair>, fn(&'a Pair) -> ActionEntry<'a>>;

impl FromIterator<(ScopeAction, GrantSources)> for ActionMap {
    /// Collects pairs in any order; the sources of an action given twice are merged.
    fn from_iter<I: IntoIterator<Item = (ScopeAction, GrantSources)>>(pairs: I) -> Self {
        let mut pairs: Vec<Pair> = pairs.into_iter().collect();
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut map: Vec<Pair> = Vec::with_capacity(pairs.len());
        for (action, sources) in pairs {
            match map.last_mut() {
                Some((last, merged)) if *last == action => merged.extend(sources),
                _ => map.push((action, sources)),
            }
        }
        // Moved to an allocation of the exact size when repeats were merged: `shrink_to_fit`
        // leaves a block where it is under mimalloc when it shrinks by less than half (see
        // `ActionSet`).
        if map.capacity() > map.len() {
            let mut exact = Vec::with_capacity(map.len());
            exact.append(&mut map);
            map = exact;
        }
        Self(map)
    }
}

impl IntoIterator for ActionMap {
    type Item = Pair;
    type IntoIter = std::vec::IntoIter<Pair>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a ActionMap {
    type Item = ActionEntry<'a>;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(text: &str) -> ScopeAction {
        text.parse().expect("a valid action")
    }

    fn rule(name: &str) -> GrantSource {
        GrantSource::Rule(name.parse().expect("a rule name"))
    }

    #[test]
    fn sorted_by_action_with_merged_sources() {
        let read = action("repositories/app/content/read");
        let write = action("repositories/app/content/write");
        let map = ActionMap::from_sources(vec![
            (write.clone(), rule("push")),
            (read.clone(), rule("pull")),
            (write.clone(), GrantSource::Direct),
            (read.clone(), rule("pull")),
        ]);
        assert_eq!(map.keys().collect::<Vec<_>>(), [&read, &write]);
        assert_eq!(map.get(&read), Some(&GrantSources::from(rule("pull"))));
        let write_sources: Vec<_> = map.get(&write).expect("write").iter().cloned().collect();
        assert_eq!(write_sources, [GrantSource::Direct, rule("push")]);
        assert!(!map.contains_key(&action("repositories/other/content/read")));
    }

    #[test]
    fn add_and_collect_agree_with_from_sources() {
        let pairs = vec![
            (action("repositories/b/content/read"), GrantSource::Direct),
            (action("repositories/a/content/read"), rule("pull")),
            (action("repositories/b/content/read"), rule("pull")),
        ];
        let mut added = ActionMap::new();
        for (action, source) in pairs.clone() {
            added.add(action, source);
        }
        let collected: ActionMap = pairs
            .iter()
            .map(|(action, source)| (action.clone(), GrantSources::from(source.clone())))
            .collect();
        let built = ActionMap::from_sources(pairs);
        assert_eq!(added, built);
        assert_eq!(collected, built);
        assert_eq!(built.len(), 2);
        assert_eq!(built.iter().map(|(_, s)| s.len()).sum::<usize>(), 3);
    }
}
