//! Random token password values.

use rand::RngExt;
use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A fresh password: 44 URL-safe characters (264 bits), the length of a base64-encoded 32-byte
/// secret.
pub fn generate() -> String {
    let mut rng = rand::rng();
    (0..44)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}

/// The SHA-256 of `value` in lower-case hex: what the emulator keeps of a password, to
/// recognise it in a Key Vault secret.
pub fn sha256(value: &str) -> String {
    use std::fmt::Write;
    Sha256::digest(value.as_bytes())
        .iter()
        .fold(String::with_capacity(64), |mut hex, b| {
            let _ = write!(hex, "{b:02x}");
            hex
        })
}
