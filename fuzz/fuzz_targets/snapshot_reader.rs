//! The snapshot reader (`--state FILE`) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = scopeform::stages::parse_snapshot(data, std::path::Path::new("fuzz.json"));
});
