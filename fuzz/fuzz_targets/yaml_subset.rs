//! The fast YAML reader against serde-saphyr: wherever the fast one gives a tree, it must be
//! the conforming one's, value for value and span for span.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let file = scopeform::stages::SourceFile::new("fuzz.yaml", text);
        assert!(
            scopeform::stages::yaml_readers_agree(&file),
            "the YAML readers disagree on {text:?}"
        );
    }
});
