//! A merge walk of two maps keyed by the same names: the configuration's and the registry's
//! objects side by side (or two configurations' objects, for `plan --base`). Both are `BTreeMap`s, so walking them together in key order pairs
//! every name with what the other side holds under it, one comparison a step; a lookup in the
//! other map per object costs a B-tree descent (about 16 name comparisons at Premium scale,
//! 50,000 objects a side).

use std::cmp::Ordering;
use std::collections::{BTreeMap, btree_map};
use std::iter::Peekable;

/// What the two maps hold under one key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pair<'a, L, R> {
    Left(&'a L),
    Right(&'a R),
    Both(&'a L, &'a R),
}

impl<'a, L, R> Pair<'a, L, R> {
    /// The left map's value when the right map has nothing under its key.
    pub(super) fn left_only(self) -> Option<&'a L> {
        match self {
            Self::Left(left) => Some(left),
            Self::Right(_) | Self::Both(..) => None,
        }
    }
}

/// Every key of `left` and `right`, in order, with what each holds under it.
pub(super) fn pairs<'a, K: Ord, L, R>(
    left: &'a BTreeMap<K, L>,
    right: &'a BTreeMap<K, R>,
) -> Pairs<'a, K, L, R> {
    Pairs {
        left: left.iter().peekable(),
        right: right.iter().peekable(),
    }
}

/// The iterator of `pairs`.
pub(super) struct Pairs<'a, K, L, R> {
    left: Peekable<btree_map::Iter<'a, K, L>>,
    right: Peekable<btree_map::Iter<'a, K, R>>,
}

impl<'a, K: Ord, L, R> Iterator for Pairs<'a, K, L, R> {
    type Item = Pair<'a, L, R>;

    fn next(&mut self) -> Option<Self::Item> {
        let order = match (self.left.peek(), self.right.peek()) {
            (None, None) => return None,
            (Some(_), None) => Ordering::Less,
            (None, Some(_)) => Ordering::Greater,
            (Some((left, _)), Some((right, _))) => left.cmp(right),
        };
        Some(match order {
            Ordering::Less => Pair::Left(self.left.next()?.1),
            Ordering::Greater => Pair::Right(self.right.next()?.1),
            Ordering::Equal => Pair::Both(self.left.next()?.1, self.right.next()?.1),
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::{Pair, pairs};

    #[test]
    fn pairs_every_key_of_either_map_in_order() {
        let left = BTreeMap::from([("a", 1), ("c", 3), ("d", 4)]);
        let right = BTreeMap::from([("b", 'b'), ("c", 'c'), ("e", 'e')]);
        let walked: Vec<Pair<'_, i32, char>> = pairs(&left, &right).collect();
        assert_eq!(
            walked,
            [
                Pair::Left(&1),
                Pair::Right(&'b'),
                Pair::Both(&3, &'c'),
                Pair::Left(&4),
                Pair::Right(&'e'),
            ]
        );
        let left_only: Vec<&i32> = pairs(&left, &right).filter_map(Pair::left_only).collect();
        assert_eq!(left_only, [&1, &4]);
    }

    #[test]
    fn an_empty_side_pairs_nothing() {
        let left: BTreeMap<&str, i32> = BTreeMap::new();
        let right = BTreeMap::from([("a", 'a')]);
        let walked: Vec<Pair<'_, i32, char>> = pairs(&left, &right).collect();
        assert_eq!(walked, [Pair::Right(&'a')]);
        assert_eq!(walked[0].left_only(), None);
        assert_eq!(pairs(&right, &left).count(), 1);
        assert_eq!(pairs(&left, &left).count(), 0);
    }
}
