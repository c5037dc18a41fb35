//! The two password slots every token has.

use std::fmt;
use std::str::FromStr;

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum PasswordSlot {
    Password1,
    Password2,
}

impl PasswordSlot {
    pub const ALL: [PasswordSlot; 2] = [Self::Password1, Self::Password2];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Password1 => "password1",
            Self::Password2 => "password2",
        }
    }
}

impl FromStr for PasswordSlot {
    type Err = ();

    fn from_str(s: &str) -> Result<Self, ()> {
        Self::ALL
            .into_iter()
            .find(|slot| slot.as_str() == s)
            .ok_or(())
    }
}

impl fmt::Display for PasswordSlot {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
