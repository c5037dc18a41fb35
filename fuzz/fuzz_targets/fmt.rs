//! `scopeform fmt` on arbitrary text, as YAML and as HCL: it never panics, never lays a file
//! out in a way that changes its meaning (`format` reads its result again and refuses that, so
//! such a refusal is a bug here), and what it writes is a fixed point.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        for name in ["fuzz.yaml", "fuzz.hcl"] {
            match scopeform::stages::format_file(name, text) {
                Ok(once) => assert_eq!(
                    scopeform::stages::format_file(name, &once).ok().as_deref(),
                    Some(once.as_str()),
                    "not a fixed point: {text:?}"
                ),
                Err(diagnostics) => assert!(
                    !diagnostics
                        .iter()
                        .any(|d| d.message.contains("would change what the file means")),
                    "a layout that changes the meaning of {text:?}"
                ),
            }
        }
    }
});
