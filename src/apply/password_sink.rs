//! Where the executor reports password rotations: told before a password is requested, given
//! the password once it arrives. Both must be durable before they return.

use chrono::Utc;

use super::SecretsFile;
use crate::model::{GeneratedPassword, PasswordSlot, TokenName};

pub trait PasswordSink {
    /// Records that a password for `slot` of `token` is about to be requested. An error fails
    /// the job before anything is sent.
    fn starting(&mut self, token: &TokenName, slot: PasswordSlot) -> Result<(), String>;

    /// Saves a generated password. An error fails the job: a password is never reported done
    /// without being saved.
    fn save(&mut self, password: &GeneratedPassword) -> Result<(), String>;
}

impl PasswordSink for SecretsFile {
    fn starting(&mut self, token: &TokenName, slot: PasswordSlot) -> Result<(), String> {
        self.start_rotation(token, slot, Utc::now())
            .map_err(|e| e.to_string())
    }

    fn save(&mut self, password: &GeneratedPassword) -> Result<(), String> {
        self.record(password).map_err(|e| e.to_string())
    }
}

/// No sink: every rotation fails before it is requested (`apply` refuses a plan with
/// rotations and no secrets file before it gets this far).
impl<S: PasswordSink> PasswordSink for Option<S> {
    fn starting(&mut self, token: &TokenName, slot: PasswordSlot) -> Result<(), String> {
        match self {
            Some(sink) => sink.starting(token, slot),
            None => Err("no secrets file".to_owned()),
        }
    }

    fn save(&mut self, password: &GeneratedPassword) -> Result<(), String> {
        match self {
            Some(sink) => sink.save(password),
            None => Err("no secrets file".to_owned()),
        }
    }
}
