//! The HCL loader and validator, then the diagnostics renderer, on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data).into_owned();
    let loaded = scopeform::stages::load_sources(vec![("fuzz.hcl".to_owned(), text)]);
    let mut out = Vec::new();
    let _ = scopeform::stages::render_all(&mut out, &loaded.diagnostics);
});
