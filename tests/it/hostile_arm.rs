//! scopeform against a hostile ARM server (issue 12): an endpoint that redirects elsewhere,
//! hands back URLs on other origins, sends huge bodies and messages, answers
//! `generateCredentials` in odd shapes and throttles for an hour; and configurations or flags
//! that try to move the request or the credential. Each test runs the real binary, bounded in
//! time, against `support/hostile.rs` on loopback (alone, or in front of the emulator).

use crate::support;
use crate::support::hostile;

use std::fmt::Write as _;
use std::time::Duration;

use hostile::{Answer, BoundedRun, Hostile, Reply, Request, run_bounded};
use serde_json::json;
use support::{Emulator, FAKE_TOKEN, config_dir, scopeform};

/// A guard against a hang, not a performance bound.
const GUARD: Duration = Duration::from_secs(60);

const HEADER: &str = "registry:
  name: myregistry
  subscription: 00000000-0000-0000-0000-000000000000
  resource_group: myresourcegroup
";

/// `scopeform ARGS…` with the fake token and `endpoint`, run with the guard.
fn run_against(endpoint: &str, args: &[&str], dir: &tempfile::TempDir) -> BoundedRun {
    run_with(endpoint, args, dir, &[])
}

fn run_with(
    endpoint: &str,
    args: &[&str],
    dir: &tempfile::TempDir,
    env: &[(&str, &str)],
) -> BoundedRun {
    let mut invocation = scopeform()
        .env("SCOPEFORM_ARM_ENDPOINT", endpoint)
        .env("SCOPEFORM_ARM_TOKEN", FAKE_TOKEN)
        .current_dir(dir.path());
    for (key, value) in env {
        invocation = invocation.env(key, value);
    }
    let run = run_bounded(invocation.args(args).into_command(), GUARD);
    assert!(
        !run.killed,
        "scopeform did not finish within the guard\n{run}"
    );
    run
}

/// The origin of a URL such as `http://127.0.0.1:PORT`: the server itself.
fn origin(server: &Hostile) -> String {
    server.url().to_owned()
}

/// A server that records what reaches it and answers 200 `{}`: where a hostile ARM would like
/// the bearer token to go.
fn thief() -> Hostile {
    Hostile::start(|_, _| Answer::Reply(Reply::json(200, &json!({}))))
}

fn assert_never_reached(thief: &Hostile, run: &BoundedRun) {
    let requests = thief.requests();
    assert!(
        requests.iter().all(|r| r.header("authorization").is_none()),
        "the bearer token reached another origin: {requests:?}\n{run}"
    );
    assert!(
        requests.is_empty(),
        "a request reached another origin: {requests:?}\n{run}"
    );
    assert!(!run.output().contains(FAKE_TOKEN), "{run}");
}

// ---------------------------------------------------------------------------------------------
// 1. Credentials go to the endpoint's origin only.

#[test]
fn a_redirect_is_an_error_naming_its_origin_and_is_never_followed() {
    // The other origin redirects once more to itself: the hop on which an HTTP client's
    // default policy puts the Authorization header back.
    let elsewhere = Hostile::start(|request, own| {
        if request.path() == "/first-hop" {
            Answer::Reply(
                Reply::status(307).header("Location", &format!("{own}/second-hop?stolen=1")),
            )
        } else {
            Answer::Reply(Reply::json(200, &json!({})))
        }
    });
    let target = format!("{}/first-hop?secret-looking-path=1", elsewhere.url());
    for status in [301, 302, 307, 308] {
        let target = target.clone();
        let arm = Hostile::start(move |_, _| {
            Answer::Reply(Reply::status(status).header("Location", &target))
        });
        let dir = config_dir(&[("config.yaml", HEADER)]);
        let run = run_against(arm.url(), &["plan", "."], &dir);
        assert_eq!(run.code, Some(1), "{run}");
        assert_never_reached(&elsewhere, &run);
        let output = run.output();
        assert!(output.contains("redirect"), "{run}");
        assert!(output.contains(&origin(&elsewhere)), "{run}");
        assert!(
            !output.contains("first-hop"),
            "the full URL is shown\n{run}"
        );
        assert!(!output.contains("secret-looking-path"), "{run}");
    }
}

#[test]
fn urls_arm_hands_back_are_followed_only_on_the_endpoint() {
    let elsewhere = thief();
    let away = format!("{}/steal", elsewhere.url());

    // nextLink of a list.
    let emulator = Emulator::start();
    let link = away.clone();
    let arm = Hostile::proxy(emulator.url(), move |request, _| {
        if request.method == "GET" && request.path().ends_with("/tokens") {
            Answer::Reply(Reply::json(200, &json!({"value": [], "nextLink": link})))
        } else {
            Answer::Forward
        }
    });
    let dir = config_dir(&[("config.yaml", HEADER)]);
    let run = run_against(arm.url(), &["plan", "."], &dir);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.output().contains(&origin(&elsewhere)), "{run}");
    assert_never_reached(&elsewhere, &run);

    // Azure-AsyncOperation of a PUT.
    let emulator = Emulator::start();
    let operation = away.clone();
    let arm = Hostile::proxy(emulator.url(), move |request, _| {
        if request.method == "PUT" {
            Answer::Reply(Reply::status(201).header("Azure-AsyncOperation", &operation))
        } else {
            Answer::Forward
        }
    });
    let dir = config_dir(&[(
        "config.yaml",
        &format!(
            "{HEADER}scope_maps:\n  readers:\n    repositories:\n      samples/*: [content/read]\n"
        ),
    )]);
    let run = run_against(arm.url(), &["apply", ".", "--auto-approve"], &dir);
    assert_eq!(run.code, Some(1), "{run}");
    assert_never_reached(&elsewhere, &run);

    // Location of a POST (generateCredentials).
    let emulator = Emulator::start();
    let location = away.clone();
    let arm = Hostile::proxy(emulator.url(), move |request, _| {
        if request.method == "POST" {
            Answer::Reply(Reply::status(202).header("Location", &location))
        } else {
            Answer::Forward
        }
    });
    let dir = config_dir(&[("config.yaml", &rotating())]);
    let run = run_against(
        arm.url(),
        &[
            "apply",
            ".",
            "--auto-approve",
            "--secrets-out",
            "secrets.json",
        ],
        &dir,
    );
    assert_eq!(run.code, Some(1), "{run}");
    assert_never_reached(&elsewhere, &run);
}

// ---------------------------------------------------------------------------------------------
// 5. Coordinates cannot change a request's path or query.

const HOSTILE_RESOURCE_GROUP: &str = "../../../subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/x/providers/Microsoft.KeyVault/vaults/kv?api-version=2023-07-01&x=";

#[test]
fn a_hostile_resource_group_in_the_configuration_is_refused_with_its_position() {
    let config = format!(
        "registry:\n  name: myregistry\n  subscription: 00000000-0000-0000-0000-000000000000\n  resource_group: \"{HOSTILE_RESOURCE_GROUP}\"\n"
    );
    let dir = config_dir(&[("config.yaml", &config)]);
    let run = run_bounded(
        scopeform()
            .current_dir(dir.path())
            .args(["validate", "."])
            .into_command(),
        GUARD,
    );
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.output().contains("config.yaml:4:19"), "{run}");
    assert!(run.output().contains("resource group"), "{run}");

    let arm = thief();
    let run = run_against(arm.url(), &["plan", "."], &dir);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(arm.requests().is_empty(), "{:?}\n{run}", arm.requests());

    // A subscription that is not a GUID and a registry name with a path in it, likewise.
    for (key, value, position) in [
        ("subscription", "../x", "config.yaml:3:17"),
        ("name", "myregistry/tokens", "config.yaml:2:9"),
    ] {
        let config = HEADER.replacen(
            &format!(
                "{key}: {}",
                if key == "name" {
                    "myregistry"
                } else {
                    "00000000-0000-0000-0000-000000000000"
                }
            ),
            &format!("{key}: \"{value}\""),
            1,
        );
        let dir = config_dir(&[("config.yaml", &config)]);
        let run = run_against(arm.url(), &["validate", "."], &dir);
        assert_eq!(run.code, Some(1), "{run}");
        assert!(run.output().contains(position), "{run}");
    }
    assert!(arm.requests().is_empty());
}

#[test]
fn hostile_coordinate_flags_are_usage_errors_before_any_request() {
    let arm = thief();
    let dir = config_dir(&[("config.yaml", HEADER)]);
    for (flag, value) in [
        ("--resource-group", HOSTILE_RESOURCE_GROUP),
        ("--resource-group", "rg/../other"),
        ("--resource-group", "ends-with-a-dot."),
        ("--resource-group", &"r".repeat(91)),
        (
            "--subscription",
            "00000000-0000-0000-0000-000000000000/../x",
        ),
        ("--subscription", "not-a-guid"),
        ("--registry", "myregistry?api-version=1"),
        ("--registry", "my-registry"),
    ] {
        let run = run_against(arm.url(), &["plan", ".", flag, value], &dir);
        assert_eq!(run.code, Some(64), "{flag} {value}\n{run}");
        assert!(run.stderr.contains(flag), "{run}");
    }
    assert!(arm.requests().is_empty(), "{:?}", arm.requests());
}

#[test]
fn unusual_but_valid_resource_groups_reach_arm_unchanged() {
    let arm = thief();
    let dir = config_dir(&[("config.yaml", HEADER)]);
    let run = run_against(
        arm.url(),
        &["plan", ".", "--resource-group", "Team.(prod)_rg-1"],
        &dir,
    );
    let requests = arm.requests();
    assert!(!requests.is_empty(), "{run}");
    for request in &requests {
        assert!(
            request.path().starts_with(
                "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/Team.(prod)_rg-1/providers/Microsoft.ContainerRegistry/registries/myregistry"
            ),
            "{}",
            request.target
        );
        assert!(
            request.target.ends_with("?api-version=2025-11-01"),
            "{}",
            request.target
        );
    }
}

// ---------------------------------------------------------------------------------------------
// 6. What the server sends is bounded.

#[test]
fn a_huge_body_fails_without_being_read_whole() {
    const HUGE: u64 = 96 << 20;
    for (status, declared) in [(200, false), (200, true), (400, false)] {
        let emulator = Emulator::start();
        let arm = Hostile::proxy(emulator.url(), move |request, _| {
            if request.method == "GET" && request.path().ends_with("/scopeMaps") {
                let prefix = if status == 200 {
                    r#"{"value": [], "filler": ""#
                } else {
                    r#"{"error": {"code": "Huge", "message": ""#
                };
                Answer::Reply(Reply::huge(status, prefix, HUGE, declared))
            } else {
                Answer::Forward
            }
        });
        let dir = config_dir(&[("config.yaml", HEADER)]);
        let run = run_against(arm.url(), &["plan", "."], &dir);
        assert_eq!(run.code, Some(1), "{run}");
        let sent = arm.body_bytes_sent();
        assert!(
            sent < HUGE / 2,
            "{sent} bytes of {HUGE} were read ({status}, declared: {declared})\n{run}"
        );
        assert!(run.output().len() < 4000, "{run}");
        if status == 200 {
            assert!(run.output().contains("MiB"), "{run}");
        }
    }
}

#[test]
fn a_list_longer_than_any_registry_is_not_read_on() {
    let emulator = Emulator::start();
    let arm = Hostile::proxy(emulator.url(), |request, own| {
        if request.method == "GET" && request.path().ends_with("/tokens") {
            // Pages of 25,001 tokens, each pointing to one more: five pass a Premium
            // registry's limit twice over.
            let page: u32 = request
                .target
                .split("page=")
                .nth(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let mut body = String::from(r#"{"value": ["#);
            for i in 0..25_001 {
                if i > 0 {
                    body.push(',');
                }
                let _ = write!(body, r#"{{"name": "tok{page}-{i:05}"}}"#);
            }
            let _ = write!(
                body,
                r#"], "nextLink": "{own}{}?page={}"}}"#,
                request.path(),
                page + 1
            );
            Answer::Reply(Reply::text(200, &body).header("Content-Type", "application/json"))
        } else {
            Answer::Forward
        }
    });
    let dir = config_dir(&[("config.yaml", HEADER)]);
    let run = run_against(arm.url(), &["plan", "."], &dir);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(run.stderr.contains("more than 100000 objects"), "{run}");
    let pages = arm
        .requests()
        .iter()
        .filter(|r| r.path().ends_with("/tokens"))
        .count();
    assert_eq!(pages, 4, "{run}");
}

#[test]
fn a_long_arm_error_message_is_cut() {
    let emulator = Emulator::start();
    let message = format!("{}END-OF-MESSAGE", "x".repeat(500_000));
    let arm = Hostile::proxy(emulator.url(), move |request, _| {
        if request.method == "GET" && request.path().ends_with("/tokens") {
            Answer::Reply(Reply::json(
                409,
                &json!({"error": {"code": "Conflict", "message": message}}),
            ))
        } else {
            Answer::Forward
        }
    });
    let dir = config_dir(&[("config.yaml", HEADER)]);
    let run = run_against(arm.url(), &["plan", "."], &dir);
    assert_eq!(run.code, Some(1), "{run}");
    let output = run.output();
    assert!(output.len() < 4000, "{} bytes of output", output.len());
    assert!(output.contains("Conflict"), "{run}");
    assert!(output.contains("[cut]"), "{run}");
    assert!(!output.contains("END-OF-MESSAGE"), "{run}");
}

// ---------------------------------------------------------------------------------------------
// 7. No part of a generateCredentials answer reaches a message.

const FAKE_PASSWORD: &str = "fake-password-value-xyz";

fn rotating() -> String {
    format!(
        "{HEADER}tokens:\n  ci-push:\n    scope_map: _repositories_pull\n    passwords:\n      password1: {{ expires_in: 30d }}\n"
    )
}

#[test]
fn no_part_of_a_generate_credentials_answer_reaches_output() {
    let shapes = [
        format!(r#"{{"passwords": ["{FAKE_PASSWORD}"]}}"#),
        format!(r#"{{"passwords": [{{"name": "password1", "value": ["{FAKE_PASSWORD}"]}}]}}"#),
        format!(r#"{{"passwords": "{FAKE_PASSWORD}"}}"#),
        format!(r#"{{"username": ["{FAKE_PASSWORD}"], "passwords": []}}"#),
        format!(
            r#"{{"passwords": [{{"name": "password1", "value": "{FAKE_PASSWORD}", "expiry": "{FAKE_PASSWORD}"}}]}}"#
        ),
        format!(r#"{{"passwords": [{{"name": "{FAKE_PASSWORD}", "value": "x"}}]}}"#),
        format!(r#"["{FAKE_PASSWORD}"]"#),
        format!(r#""{FAKE_PASSWORD}""#),
        format!(r#"{{"passwords": [{{"name": "password1", "value": "{FAKE_PASSWORD}""#),
        FAKE_PASSWORD.to_owned(),
        format!(r#"{{"error": {{"code": "{FAKE_PASSWORD}", "message": "{FAKE_PASSWORD}"}}}}"#),
    ];
    // As the answer, and as the error answer, of the request and of its operation's poll.
    let answers = shapes.iter().flat_map(|shape| {
        [(200, false), (400, false), (200, true), (500, true)]
            .map(|(status, polled)| (shape.clone(), status, polled))
    });
    for (shape, status, polled) in answers {
        let emulator = Emulator::start();
        let body = shape.clone();
        let arm = Hostile::proxy(emulator.url(), move |request: &Request, own| {
            let answer = || Reply::text(status, &body).header("Content-Type", "application/json");
            if request.method == "POST" && request.path().ends_with("/generateCredentials") {
                Answer::Reply(if polled {
                    Reply::status(202)
                        .header("Location", &format!("{own}/hostile/operation"))
                        .header("Retry-After", "0")
                } else {
                    answer()
                })
            } else if request.path() == "/hostile/operation" {
                Answer::Reply(answer())
            } else {
                Answer::Forward
            }
        });
        let dir = config_dir(&[("config.yaml", &rotating())]);
        let run = run_against(
            arm.url(),
            &[
                "--verbose",
                "apply",
                ".",
                "--auto-approve",
                "--secrets-out",
                "secrets.json",
            ],
            &dir,
        );
        assert_eq!(run.code, Some(1), "{shape} {status} {polled}\n{run}");
        assert!(
            !run.output().contains(FAKE_PASSWORD),
            "the answer {status} {shape} (polled: {polled}) leaked\n{run}"
        );
        assert!(run.output().contains("generateCredentials"), "{run}");
    }
}

// ---------------------------------------------------------------------------------------------
// 9. The configuration does not choose the cloud a static token goes to.

#[test]
fn the_configuration_cannot_move_the_token_to_another_cloud() {
    let china = HEADER.replace("registry:\n", "registry:\n  cloud: AzureChinaCloud\n");
    let dir = config_dir(&[("config.yaml", &china)]);
    let arm = thief();
    let run = run_against(arm.url(), &["plan", "."], &dir);
    assert_eq!(run.code, Some(1), "{run}");
    assert!(arm.requests().is_empty(), "{:?}\n{run}", arm.requests());
    for word in [
        "AzureChinaCloud",
        "AzureCloud",
        "--cloud",
        "SCOPEFORM_CLOUD",
    ] {
        assert!(run.stderr.contains(word), "{word}\n{run}");
    }

    // The operator's choice, by flag or environment, agrees: the plan goes ahead.
    let emulator = Emulator::start();
    let run = run_against(
        emulator.url(),
        &["plan", ".", "--cloud", "AzureChinaCloud"],
        &dir,
    );
    assert_eq!(run.code, Some(0), "{run}");
    let run = run_with(
        emulator.url(),
        &["plan", "."],
        &dir,
        &[("SCOPEFORM_CLOUD", "AzureChinaCloud")],
    );
    assert_eq!(run.code, Some(0), "{run}");

    // An operator who chose China cannot be moved back to the public cloud either.
    let dir = config_dir(&[("config.yaml", HEADER)]);
    let run = run_against(
        emulator.url(),
        &["plan", ".", "--cloud", "AzureChinaCloud"],
        &dir,
    );
    assert_eq!(run.code, Some(0), "{run}");
    let explicit = HEADER.replace("registry:\n", "registry:\n  cloud: AzureCloud\n");
    let dir = config_dir(&[("config.yaml", &explicit)]);
    let run = run_against(
        arm.url(),
        &["plan", ".", "--cloud", "AzureChinaCloud"],
        &dir,
    );
    assert_eq!(run.code, Some(1), "{run}");
}

// ---------------------------------------------------------------------------------------------
// 10. One throttled write does not stall the others.

#[test]
fn a_write_throttled_for_an_hour_stops_the_apply_and_reports_promptly() {
    let emulator = Emulator::start();
    let arm = Hostile::proxy(emulator.url(), |request, _| {
        if request.method == "PUT" && request.path().ends_with("/scopeMaps/ccc-throttled") {
            Answer::Reply(
                Reply::json(
                    429,
                    &json!({"error": {"code": "TooManyRequests", "message": "slow down"}}),
                )
                .header("Retry-After", "3600"),
            )
        } else {
            Answer::Forward
        }
    });
    let mut config = format!("{HEADER}scope_maps:\n");
    for name in [
        "aaa-first",
        "bbb-second",
        "ccc-throttled",
        "ddd-fourth",
        "eee-fifth",
        "fff-sixth",
    ] {
        let _ = write!(
            config,
            "  {name}:\n    repositories:\n      samples/*: [content/read]\n"
        );
    }
    let dir = config_dir(&[("config.yaml", &config)]);
    let run = run_against(
        arm.url(),
        &["apply", ".", "--auto-approve", "--parallelism", "1"],
        &dir,
    );
    assert_eq!(run.code, Some(1), "{run}");
    let stdout = &run.stdout;
    assert!(stdout.contains("scope_map.aaa-first create: done"), "{run}");
    assert!(
        stdout.contains("scope_map.bbb-second create: done"),
        "{run}"
    );
    assert!(stdout.contains("ccc-throttled"), "{run}");
    for not_done in ["ddd-fourth", "eee-fifth", "fff-sixth"] {
        assert!(
            stdout
                .lines()
                .any(|l| l.contains(not_done) && l.contains("not started")),
            "{not_done}\n{run}"
        );
    }
    let output = run.output();
    assert!(output.contains("Retry-After"), "{run}");
    assert!(output.contains("3600 s"), "{run}");
    assert!(
        output.contains("120 s"),
        "the limit that ended it is named\n{run}"
    );
    // Nothing after the throttled write was sent.
    let puts: Vec<String> = arm
        .requests()
        .into_iter()
        .filter(|r| r.method == "PUT")
        .map(|r| r.path().rsplit('/').next().unwrap_or_default().to_owned())
        .collect();
    assert_eq!(puts, ["aaa-first", "bbb-second", "ccc-throttled"], "{run}");
}

#[test]
fn a_huge_retry_after_on_an_operation_poll_is_named() {
    let emulator = Emulator::start();
    let arm = Hostile::proxy(emulator.url(), |request, own| {
        if request.method == "PUT" {
            Answer::Reply(
                Reply::status(201)
                    .header(
                        "Azure-AsyncOperation",
                        &format!("{own}/hostile/operation/1"),
                    )
                    .header("Retry-After", "0"),
            )
        } else if request.path() == "/hostile/operation/1" {
            Answer::Reply(
                Reply::json(200, &json!({"status": "InProgress"})).header("Retry-After", "3600"),
            )
        } else {
            Answer::Forward
        }
    });
    let dir = config_dir(&[(
        "config.yaml",
        &format!(
            "{HEADER}scope_maps:\n  readers:\n    repositories:\n      samples/*: [content/read]\n"
        ),
    )]);
    let run = run_against(arm.url(), &["apply", ".", "--auto-approve"], &dir);
    assert_eq!(run.code, Some(1), "{run}");
    let output = run.output();
    assert!(output.contains("Retry-After"), "{run}");
    assert!(output.contains("3600 s"), "{run}");
    assert!(output.contains("600 s"), "{run}");
}

/// Issue 16: an unreachable endpoint was 57 s of silence, then "gave up after 10 attempts".
/// Each retry now says on stderr what failed and when the next attempt is. The run is stopped
/// once the first such line is read.
#[test]
fn an_unreachable_endpoint_says_what_it_retries_while_it_waits() {
    use std::io::BufRead;
    // A port nothing listens on: bound, then closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = support::config_dir(&[(
        "a.yaml",
        "registry:\n  name: myregistry\n  subscription: 00000000-0000-0000-0000-000000000000\n  resource_group: myresourcegroup\n",
    )]);
    let mut child = support::scopeform()
        .env("SCOPEFORM_ARM_ENDPOINT", format!("http://127.0.0.1:{port}"))
        .env("SCOPEFORM_ARM_TOKEN", support::FAKE_TOKEN)
        .args(["plan"])
        .arg_path(dir.path())
        .into_command()
        .stderr(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let first = std::io::BufReader::new(stderr).lines().next();
    let _ = child.kill();
    let _ = child.wait();
    let line = first.expect("a line").expect("text");
    assert!(
        line.contains("no answer") && line.contains("attempt 1 failed, trying again in"),
        "{line}"
    );
    assert!(!line.contains(support::FAKE_TOKEN), "{line}");
}
