//! A command's result in one line, with its counts: a workspace prints one per registry and
//! adds the counts up for its total.

/// `line` is what the command would say last (`Plan: 1 to create, …`); `counts` are its
/// numbers with what they count (`(1, "to create")`), in a fixed order per command.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Tally {
    pub line: String,
    pub counts: Vec<(&'static str, usize)>,
}

impl Tally {
    pub(crate) fn new(line: impl Into<String>, counts: Vec<(&'static str, usize)>) -> Self {
        Self {
            line: line.into(),
            counts,
        }
    }

    /// The counts of every tally added up, in order of first appearance.
    pub(crate) fn sum<'a>(
        tallies: impl IntoIterator<Item = &'a Tally>,
    ) -> Vec<(&'static str, usize)> {
        let mut total: Vec<(&'static str, usize)> = Vec::new();
        for tally in tallies {
            for &(label, count) in &tally.counts {
                match total.iter_mut().find(|(l, _)| *l == label) {
                    Some((_, sum)) => *sum += count,
                    None => total.push((label, count)),
                }
            }
        }
        total
    }
}
