//! Injected faults and request checks: `fail_every`, the write token bucket, latency,
//! authentication, api-version, and the statistics the state hook reports.

use crate::common;

use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use acr_emulator::{Options, Throttle};
use common::{API, Arm, registry_path};
use reqwest::Method;
use serde_json::json;

fn create_map(arm: &Arm, name: &str) -> common::Reply {
    arm.put(
        &format!("{}/scopeMaps/{name}", registry_path()),
        &json!({ "properties": { "actions": ["repositories/*/content/read"] } }),
    )
}

#[test]
fn every_nth_write_fails_before_doing_anything() {
    let arm = Arm::with_registry(Options {
        fail_every: Some(3),
        ..Options::default()
    });
    let statuses: Vec<u16> = (0..6)
        .map(|i| create_map(&arm, &format!("map-{i}")).status)
        .collect();
    assert_eq!(statuses, [201, 201, 500, 201, 201, 500]);
    let failed = create_map(&arm, "map-x");
    assert_eq!(failed.status, 201, "the 7th write is fine");
    let reply = arm.get(&format!("{}/scopeMaps/map-2", registry_path()));
    assert_eq!(reply.status, 404, "the failed write did nothing");
    // Reads are never failed, nor counted.
    for _ in 0..5 {
        assert_eq!(
            arm.get(&format!("{}/scopeMaps", registry_path())).status,
            200
        );
    }
    let error = create_map(&arm, "map-7");
    assert_eq!(error.status, 201);
    let error = create_map(&arm, "map-8");
    assert_eq!((error.status, error.code()), (500, "InternalServerError"));
    let stats = &arm.state()["stats"];
    assert_eq!(stats["failed_injected"], 3);
    assert_eq!(stats["writes"], 9);
}

#[test]
fn write_bucket_throttles_with_retry_after() {
    // A slow refill (one token per 5 s) keeps the counts exact on any machine.
    let arm = Arm::with_registry(Options {
        throttle_writes: Some(Throttle {
            bucket: 3,
            refill_per_s: 0.2,
        }),
        ..Options::default()
    });
    let mut remaining = Vec::new();
    for i in 0..3 {
        let reply = create_map(&arm, &format!("map-{i}"));
        assert_eq!(reply.status, 201);
        remaining.push(
            reply
                .header("x-ms-ratelimit-remaining-subscription-writes")
                .map(str::to_owned),
        );
    }
    let expected: Vec<Option<String>> = ["2", "1", "0"]
        .iter()
        .map(|s| Some((*s).to_owned()))
        .collect();
    assert_eq!(remaining, expected);
    let reply = create_map(&arm, "map-3");
    assert_eq!((reply.status, reply.code()), (429, "TooManyRequests"));
    let retry_after: u64 = reply
        .header("retry-after")
        .and_then(|v| v.parse().ok())
        .expect("Retry-After");
    assert!((1..=5).contains(&retry_after), "{retry_after}");
    assert_eq!(
        reply.header("x-ms-ratelimit-remaining-subscription-writes"),
        Some("0")
    );
    assert_eq!(
        arm.get(&format!("{}/scopeMaps/map-3", registry_path()))
            .status,
        404
    );
    // Reads are not throttled.
    let read = arm.get(&format!("{}/scopeMaps", registry_path()));
    assert_eq!(read.status, 200);
    assert!(
        read.header("x-ms-ratelimit-remaining-subscription-reads")
            .is_some()
    );
    assert_eq!(arm.state()["stats"]["throttled"], 1);
}

#[test]
fn write_bucket_refills_continuously() {
    let arm = Arm::with_registry(Options {
        throttle_writes: Some(Throttle {
            bucket: 2,
            refill_per_s: 10.0,
        }),
        ..Options::default()
    });
    let mut throttled = None;
    for i in 0..100 {
        let reply = create_map(&arm, &format!("map-{i}"));
        if reply.status == 429 {
            throttled = Some(reply);
            break;
        }
    }
    let throttled = throttled.expect("the bucket runs dry");
    assert_eq!(
        throttled.header("retry-after"),
        Some("1"),
        "at least a second, as ARM says"
    );
    // 150 ms at 10/s puts at least one token back.
    std::thread::sleep(Duration::from_millis(150));
    assert_eq!(create_map(&arm, "after-wait").status, 201);
}

#[test]
fn latency_delays_every_response_and_writes_overlap() {
    let arm = Arc::new(Arm::with_registry(Options {
        latency: Duration::from_millis(150),
        ..Options::default()
    }));
    let t0 = Instant::now();
    assert_eq!(arm.get(&registry_path()).status, 200);
    assert!(t0.elapsed() >= Duration::from_millis(150));
    let t0 = Instant::now();
    assert_eq!(arm.get("/nowhere").status, 404);
    assert!(
        t0.elapsed() >= Duration::from_millis(150),
        "errors are delayed too"
    );

    let barrier = Arc::new(Barrier::new(5));
    let threads: Vec<_> = (0..5)
        .map(|i| {
            let (arm, barrier) = (Arc::clone(&arm), Arc::clone(&barrier));
            std::thread::spawn(move || {
                barrier.wait();
                create_map(&arm, &format!("map-{i}")).status
            })
        })
        .collect();
    for thread in threads {
        assert_eq!(thread.join().expect("thread"), 201);
    }
    let max = arm.state()["stats"]["max_concurrent_writes"]
        .as_u64()
        .expect("stat");
    assert!(
        (2..=5).contains(&max),
        "writes held by latency overlap: {max}"
    );
}

#[test]
fn bearer_token_is_required() {
    let mut arm = Arm::with_registry(Options {
        token: Some("s3cret".to_owned()),
        ..Options::default()
    });
    let path = registry_path();
    arm.bearer = None;
    let reply = arm.get(&path);
    assert_eq!((reply.status, reply.code()), (401, "AuthenticationFailed"));
    assert!(reply.header("www-authenticate").is_some());
    arm.bearer = Some("wrong".to_owned());
    assert_eq!(arm.get(&path).status, 401);
    assert_eq!(create_map(&arm, "map-1").status, 401);
    arm.bearer = Some("s3cret".to_owned());
    assert_eq!(arm.get(&path).status, 200);
    let basic = reqwest::blocking::Client::new()
        .get(arm.url(&path))
        .header("authorization", "Basic czNjcmV0")
        .send()
        .expect("answered");
    assert_eq!(basic.status().as_u16(), 401);

    // Without a configured token any bearer token will do, but one is needed.
    let mut open = Arm::with_registry(Options::default());
    open.bearer = Some("anything".to_owned());
    assert_eq!(open.get(&path).status, 200);
    open.bearer = None;
    assert_eq!(open.get(&path).status, 401);
}

#[test]
fn api_version_is_required_and_checked() {
    let arm = Arm::with_registry(Options::default());
    let base = format!("{}{}", arm.base(), registry_path());
    let reply = arm.send(Method::GET, &base, None);
    assert_eq!(
        (reply.status, reply.code()),
        (400, "MissingApiVersionParameter")
    );
    let reply = arm.send(Method::GET, &format!("{base}?api-version=2023-07-01"), None);
    assert_eq!(
        (reply.status, reply.code()),
        (400, "InvalidApiVersionParameter")
    );
    let reply = arm.send(Method::GET, &format!("{base}?{API}"), None);
    assert_eq!(reply.status, 200);
    let reply = arm.send(
        Method::POST,
        &arm.url(&format!("{}/tokens", registry_path())),
        Some(&json!({})),
    );
    assert_eq!(reply.status, 405);
    let reply = arm.get(&format!("{}/webhooks", registry_path()));
    assert_eq!(reply.status, 404);
    assert!(reply.body["error"]["code"].is_string());
    let stats = &arm.state()["stats"];
    assert_eq!(stats["requests"], 5, "the state hook itself is not counted");
    assert_eq!(stats["writes"], 1);
}

#[test]
fn latency_is_not_serialised_across_writes() {
    // 200 writes by 20 clients at 50 ms each take about 0.5 s when the emulator overlaps them,
    // 10 s if it did not.
    let arm = Arc::new(Arm::with_registry(Options {
        latency: Duration::from_millis(50),
        ..Options::default()
    }));
    let t0 = Instant::now();
    let threads: Vec<_> = (0..20)
        .map(|t| {
            let arm = Arc::clone(&arm);
            std::thread::spawn(move || {
                (0..10)
                    .map(|i| create_map(&arm, &format!("map-{t}-{i}")).status)
                    .all(|status| status == 201)
            })
        })
        .collect();
    for thread in threads {
        assert!(thread.join().expect("thread"));
    }
    let elapsed = t0.elapsed();
    assert!(elapsed < Duration::from_secs(4), "{elapsed:?}");
    let stats = &arm.state()["stats"];
    assert_eq!(stats["writes"], 200);
    assert!(
        stats["max_concurrent_writes"]
            .as_u64()
            .is_some_and(|m| m >= 5),
        "{stats}"
    );
}
