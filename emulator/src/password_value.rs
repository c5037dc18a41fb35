//! Random token password values.

use rand::RngExt;

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A fresh password: 44 URL-safe characters (264 bits), the length of a base64-encoded 32-byte
/// secret.
pub fn generate() -> String {
    let mut rng = rand::rng();
    (0..44)
        .map(|_| char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]))
        .collect()
}
