//! A live scope map's actions.

use super::ScopeAction;

/// A set of actions, kept as a `Vec` sorted without repeats: a scope map's actions are read
/// far more than changed, and a `BTreeSet` of a typical scope map's 20 actions allocated about
/// 2 KB, the sorted `Vec` 800 bytes (50,000 live scope maps at Premium scale). Serialized as
/// a sequence, as a `BTreeSet` is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ActionSet(Vec<ScopeAction>);

impl ActionSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds `action`; `false` when it was already there.
    pub fn insert(&mut self, action: ScopeAction) -> bool {
        match self.0.binary_search(&action) {
            Ok(_) => false,
            Err(at) => {
                self.0.insert(at, action);
                true
            }
        }
    }

    pub fn contains(&self, action: &ScopeAction) -> bool {
        self.0.binary_search(action).is_ok()
    }

    /// The actions of `self` that `other` lacks, in order.
    pub fn difference<'a>(&'a self, other: &'a Self) -> impl Iterator<Item = &'a ScopeAction> {
        self.0.iter().filter(|action| !other.contains(action))
    }

    /// The actions in order.
    pub fn iter(&self) -> std::slice::Iter<'_, ScopeAction> {
        self.0.iter()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<ScopeAction> for ActionSet {
    /// Collects actions in any order, dropping repeats.
    fn from_iter<I: IntoIterator<Item = ScopeAction>>(actions: I) -> Self {
        let mut actions: Vec<ScopeAction> = actions.into_iter().collect();
        actions.sort_unstable();
        actions.dedup();
        // Moved to an allocation of the exact size rather than `shrink_to_fit`: mimalloc
        // leaves a block where it is when it shrinks by less than half, so a scope map's 20
        // actions read from a snapshot kept the 32 places their list had grown to (1,280 bytes
        // for 800; 19 MB of the 50,000 live scope maps at Premium scale).
        if actions.capacity() > actions.len() {
            let mut exact = Vec::with_capacity(actions.len());
            exact.append(&mut actions);
            actions = exact;
        }
        Self(actions)
    }
}

impl IntoIterator for ActionSet {
    type Item = ScopeAction;
    type IntoIter = std::vec::IntoIter<ScopeAction>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}

impl<'a> IntoIterator for &'a ActionSet {
    type Item = &'a ScopeAction;
    type IntoIter = std::slice::Iter<'a, ScopeAction>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl serde::Serialize for ActionSet {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.0.serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for ActionSet {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<ScopeAction>::deserialize(deserializer).map(Self::from_iter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn action(text: &str) -> ScopeAction {
        text.parse().expect("a valid action")
    }

    #[test]
    fn sorted_without_repeats() {
        let read = action("repositories/app/content/read");
        let write = action("repositories/app/content/write");
        let mut set: ActionSet = [write.clone(), read.clone(), write.clone()]
            .into_iter()
            .collect();
        assert_eq!(set.iter().collect::<Vec<_>>(), [&read, &write]);
        assert!(!set.insert(read.clone()));
        assert!(set.insert(action("repositories/app/metadata/read")));
        assert_eq!(set.len(), 3);
        assert!(set.contains(&write));
        let other: ActionSet = [read.clone()].into_iter().collect();
        assert_eq!(set.difference(&other).count(), 2);
        assert_eq!(other.difference(&set).count(), 0);
    }

    #[test]
    fn serialized_as_a_sorted_sequence() {
        let set: ActionSet = serde_json::from_str(
            r#"["repositories/b/content/read", "repositories/a/content/read", "repositories/b/content/read"]"#,
        )
        .expect("a sequence of actions");
        assert_eq!(
            serde_json::to_string(&set).expect("serializes"),
            r#"["repositories/a/content/read","repositories/b/content/read"]"#
        );
    }
}
