//! A rotation the plan holds back so that one of the token's two passwords keeps working
//! (DESIGN §4, rotation in turns). Shown by `plan` and, as information, by `drift`.

use super::Address;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Waiting {
    /// The password slot that waits: `token.NAME.passwordN`.
    pub address: Address,
    /// Why it is due, why it waits, and until when.
    pub reason: String,
}
