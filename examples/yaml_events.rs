//! The floor of a YAML reader built on the event API of granit-parser (the parser serde-saphyr
//! reads with): every event of a file pulled and dropped, no tree built. Issue 16 asked whether
//! such a reader could replace the fast subset reader at equal speed; BENCHMARKS.md compares
//! this floor with the subset reader's whole parse of the same file.
//!
//! `cargo run --release --example yaml_events -- FILE.yaml`

use std::time::Instant;

use granit_parser::{Event, Parser};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: yaml_events FILE.yaml");
        std::process::exit(64);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        eprintln!("cannot read {path}: {e}");
        std::process::exit(1);
    });
    let started = Instant::now();
    let (mut events, mut scalars, mut scalar_bytes) = (0_u64, 0_u64, 0_usize);
    for event in Parser::new_from_str(&text) {
        let (event, _span) = event.unwrap_or_else(|e| {
            eprintln!("{path}: {e}");
            std::process::exit(1);
        });
        events += 1;
        if let Event::Scalar(value, ..) = &event {
            scalars += 1;
            scalar_bytes += value.len();
        }
    }
    eprintln!(
        "{path}: {events} events ({scalars} scalars, {scalar_bytes} bytes) in {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
}
