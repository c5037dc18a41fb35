//! Criterion benches of `plan`'s stages on a generated registry of 5,000 tokens and 5,000 scope
//! maps (10 rules each, 1% drift): load and validate the YAML, parse the snapshot, diff, and
//! render the plan as JSON. The registry is generated in memory by the same code as the
//! `synth` example, so no file is needed. `benches/run.sh` measures the whole command.

#[path = "support/synthetic.rs"]
mod registry;

use std::hint::black_box;
use std::path::Path;

use chrono::{TimeZone, Utc};
use criterion::{Criterion, criterion_group, criterion_main};

use scopeform::stages::{diff, load_sources, parse_snapshot, render_plan_json};

const SIZE: usize = 5_000;

fn stages(c: &mut Criterion) {
    let synthetic = registry::generate(&registry::Spec {
        tokens: SIZE,
        scope_maps: SIZE,
        ..registry::Spec::default()
    });
    let now = Utc
        .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
        .single()
        .expect("a valid time");
    let snapshot_path = Path::new("live.json");

    let load = || load_sources(vec![("config.yaml".to_owned(), synthetic.yaml.clone())]);
    let desired = load()
        .desired
        .expect("the synthetic configuration is valid");
    let live = parse_snapshot(&synthetic.live_json, snapshot_path).expect("a valid snapshot");
    let plan = diff(&desired, &live, now).expect("a plan");

    let mut group = c.benchmark_group("plan_5k");
    // Few, short samples: the stages take milliseconds to hundreds of them, and `cargo bench`
    // should finish in well under a minute.
    group.sample_size(10);
    group.warm_up_time(std::time::Duration::from_millis(500));
    group.measurement_time(std::time::Duration::from_secs(2));
    group.bench_function("load_and_validate_yaml", |b| b.iter(|| black_box(load())));
    group.bench_function("load_and_validate_hcl", |b| {
        b.iter(|| {
            black_box(load_sources(vec![(
                "config.hcl".to_owned(),
                synthetic.hcl.clone(),
            )]))
        });
    });
    group.bench_function("snapshot_parse", |b| {
        b.iter(|| black_box(parse_snapshot(&synthetic.live_json, snapshot_path)));
    });
    group.bench_function("diff", |b| {
        b.iter(|| black_box(diff(&desired, &live, now)));
    });
    group.bench_function("render_json", |b| {
        let mut out = Vec::with_capacity(1 << 20);
        b.iter(|| {
            out.clear();
            render_plan_json(&plan, &mut out).expect("rendering into memory");
            black_box(out.len())
        });
    });
    group.finish();
}

criterion_group!(benches, stages);
criterion_main!(benches);
