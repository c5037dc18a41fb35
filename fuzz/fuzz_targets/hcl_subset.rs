//! The fast HCL reader against hcl-edit: wherever the fast one reads a file, the tree and the
//! diagnostics must be the ones hcl-edit's document gives, span for span.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let file = scopeform::stages::SourceFile::new("fuzz.hcl", text);
        assert!(
            scopeform::stages::hcl_readers_agree(&file),
            "the HCL readers disagree on {text:?}"
        );
    }
});
