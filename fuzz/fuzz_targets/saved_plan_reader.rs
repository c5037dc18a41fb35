//! The saved-plan reader (`apply --plan FILE`) on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut reader: &[u8] = data;
    let _ = scopeform::stages::read_saved_plan(&mut reader);
});
