//! Lists are paged at `page_size` with an absolute `nextLink` built from the request's Host
//! header; the last page has none.

use crate::common;

use acr_emulator::Options;
use common::{Arm, registry_path, sync_options};
use reqwest::Method;
use serde_json::Value;

fn paged(page_size: usize) -> Arm {
    Arm::with_registry(Options {
        page_size,
        ..sync_options()
    })
}

/// Follows `nextLink` from `path`; returns the names and the number of pages.
fn collect(arm: &Arm, path: &str) -> (Vec<String>, usize) {
    let mut names = Vec::new();
    let mut pages = 0;
    let mut url = arm.url(path);
    loop {
        let reply = arm.send(Method::GET, &url, None);
        assert_eq!(reply.status, 200, "{reply:?}");
        pages += 1;
        for item in reply.body["value"].as_array().expect("value") {
            names.push(item["name"].as_str().expect("name").to_owned());
        }
        match reply.body.get("nextLink").and_then(Value::as_str) {
            Some(next) => next.clone_into(&mut url),
            None => return (names, pages),
        }
    }
}

#[test]
fn scope_maps_and_tokens_page_through_next_links() {
    let arm = paged(3);
    for i in 0..10 {
        arm.scope_map(&format!("map-{i:02}"), &["repositories/*/content/read"]);
    }
    for i in 0..6 {
        arm.token(&format!("token-{i:02}"), "map-00");
    }
    let (maps, pages) = collect(&arm, &format!("{}/scopeMaps", registry_path()));
    assert_eq!(maps.len(), 15, "5 system + 10 user scope maps: {maps:?}");
    assert_eq!(pages, 5);
    let mut sorted = maps.clone();
    sorted.sort_by_key(|n| n.to_ascii_lowercase());
    assert_eq!(maps, sorted, "in name order, no duplicates across pages");
    sorted.dedup();
    assert_eq!(sorted.len(), 15);

    // Exactly two full pages: the second has no nextLink.
    let (tokens, pages) = collect(&arm, &format!("{}/tokens", registry_path()));
    assert_eq!((tokens.len(), pages), (6, 2));

    let first = arm.get(&format!("{}/tokens", registry_path()));
    let next = first.body["nextLink"].as_str().expect("nextLink");
    assert_eq!(
        next,
        format!(
            "{}{}/tokens?api-version=2025-11-01&$skipToken=3",
            arm.base(),
            registry_path()
        )
    );
}

#[test]
fn next_link_uses_the_host_header() {
    let arm = paged(2);
    let url = arm.url(&format!("{}/scopeMaps", registry_path()));
    let response = reqwest::blocking::Client::new()
        .get(&url)
        .bearer_auth("t")
        .header("host", "arm.example.test:8443")
        .send()
        .expect("answered");
    let body: Value = response.json().expect("json");
    let next = body["nextLink"].as_str().expect("nextLink");
    assert!(
        next.starts_with("http://arm.example.test:8443/subscriptions/"),
        "{next}"
    );
}

#[test]
fn empty_and_single_page_lists_have_no_next_link() {
    let arm = paged(100);
    let reply = arm.get(&format!("{}/connectedRegistries", registry_path()));
    assert_eq!(reply.body, serde_json::json!({ "value": [] }));
    let reply = arm.get(&format!("{}/scopeMaps", registry_path()));
    assert_eq!(reply.body["value"].as_array().map(Vec::len), Some(5));
    assert!(reply.body.get("nextLink").is_none());
    let reply = arm.get(&format!("{}/tokens?$skipToken=abc", registry_path()));
    assert_eq!(reply.status, 400);
    let reply = arm.get(&format!("{}/tokens?$skipToken=50", registry_path()));
    assert_eq!(reply.body["value"], serde_json::json!([]));
}

#[test]
fn registry_lists_are_paged_too() {
    let registries = (0..5)
        .map(|i| {
            format!("sub/group{}/registry{i}", i % 2)
                .parse()
                .expect("spec")
        })
        .collect();
    let arm = Arm::start(Options {
        page_size: 2,
        registries,
        ..sync_options()
    });
    let (all, pages) = collect(
        &arm,
        "/subscriptions/sub/providers/Microsoft.ContainerRegistry/registries",
    );
    assert_eq!((all.len(), pages), (5, 3));
    let (group0, _) = collect(
        &arm,
        "/subscriptions/SUB/resourceGroups/GROUP0/providers/Microsoft.ContainerRegistry/registries",
    );
    assert_eq!(group0, ["registry0", "registry2", "registry4"]);
}
