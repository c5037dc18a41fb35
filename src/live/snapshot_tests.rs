use std::path::Path;

use super::*;

const SAMPLE: &str = r#"{
  "format_version": "1",
  "registry": {"subscription": "sub", "resource_group": "rg", "name": "myregistry", "sku": "Premium", "admin_user_enabled": false},
  "scope_maps": [
    {"name": "_repositories_pull", "actions": ["repositories/*/content/read"], "system": true},
    {"name": "MyScopeMap", "description": "d", "actions": ["repositories/samples/*/content/read"]}
  ],
  "tokens": [
    {"name": "MyToken", "scope_map": "MyScopeMap", "status": "enabled",
     "passwords": [{"name": "password1", "creation_time": "2025-01-01T00:00:00Z", "expiry": "2026-01-01T00:00:00Z"}]}
  ],
  "connected_registries": []
}
"#;

fn parse(text: &str) -> Result<Live, SnapshotError> {
    parse_snapshot(text.as_bytes(), Path::new("live.json"))
}

#[test]
fn reads_and_round_trips() {
    let live = parse(SAMPLE).unwrap();
    assert_eq!(live.scope_maps.len(), 2);
    assert_eq!(live.tokens.len(), 1);
    let written = snapshot_json(&live);
    let again = parse_snapshot(&written, Path::new("x")).unwrap();
    assert_eq!(again, live);
    assert!(written.ends_with(b"}\n"));
}

#[test]
fn malformed_json_points_at_line_and_column() {
    let text = "{\n  \"format_version\": \"1\",\n  \"registry\": {,}\n}";
    assert_eq!(
        parse(text).unwrap_err().to_string(),
        "live.json:3:16: key must be a string"
    );
}

#[test]
fn invalid_values_point_at_line_and_column() {
    let text = SAMPLE.replace(
        "repositories/samples/*/content/read",
        "repositories/Samples/content/read",
    );
    let err = parse(&text).unwrap_err().to_string();
    assert!(err.starts_with("live.json:6:"), "{err}");
    assert!(err.contains("lower case"), "{err}");
}

/// A snapshot edited by hand with a misspelt key is refused where the key is, not read as if
/// the key were absent (a token without its `status` would read as never written).
#[test]
fn unknown_keys_are_refused_where_they_are() {
    let text = SAMPLE.replace("\"status\": \"enabled\"", "\"Status\": \"disabled\"");
    let err = parse(&text).unwrap_err().to_string();
    assert!(err.starts_with("live.json:9:"), "{err}");
    assert!(err.contains("unknown field `Status`"), "{err}");
    let text = SAMPLE.replace("\"connected_registries\"", "\"connected_registry\"");
    let err = parse(&text).unwrap_err().to_string();
    assert!(err.contains("unknown field `connected_registry`"), "{err}");
}

#[test]
fn unknown_format_version_is_refused() {
    let text = SAMPLE.replace("\"format_version\": \"1\"", "\"format_version\": \"2\"");
    assert_eq!(
        parse(&text).unwrap_err().to_string(),
        "live.json: snapshot format_version \"2\" is not supported; this scopeform reads format_version \"1\""
    );
    let other_shape = r#"{"format_version": 3, "everything": []}"#;
    assert!(matches!(
        parse(other_shape),
        Err(SnapshotError::Version { .. })
    ));
}

#[test]
fn duplicates_are_refused() {
    let text = SAMPLE.replace(
        "\"connected_registries\": []",
        "\"connected_registries\": [], \"tokens\": []",
    );
    // serde_json rejects the duplicate key itself.
    assert!(parse(&text).is_err());
    let dup = SAMPLE.replace(
        "{\"name\": \"MyScopeMap\"",
        "{\"name\": \"_repositories_pull\", \"actions\": []},\n    {\"name\": \"MyScopeMap\"",
    );
    assert_eq!(
        parse(&dup).unwrap_err().to_string(),
        "live.json: scope map `_repositories_pull` appears twice"
    );
}

#[test]
fn random_passwords() {
    let a = random_password();
    let b = random_password();
    assert_eq!(a.expose().len(), 44);
    assert!(
        a.expose()
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_')
    );
    assert_ne!(a, b);
}

/// Writes in flight together each return once the file holds them, and share file writes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_writes_are_all_persisted() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.json");
    std::fs::write(&path, SAMPLE).unwrap();
    let backend = std::sync::Arc::new(SnapshotBackend::open(&path).unwrap());
    let mut writes = tokio::task::JoinSet::new();
    for i in 0..40 {
        let backend = std::sync::Arc::clone(&backend);
        writes.spawn(async move {
            let op: WriteOp = serde_json::from_value(serde_json::json!({
                "op": "create_scope_map", "name": format!("map-{i:02}"), "description": null,
                "actions": [format!("repositories/repo{i}/content/read")],
            }))
            .unwrap();
            crate::live::Backend::write(&*backend, &op, &mut crate::live::WriteSlot::unbounded())
                .await
                .unwrap();
            // Returned: the file holds this write.
            let on_disk = read_snapshot(&backend.shared.path).unwrap();
            assert!(
                on_disk
                    .scope_maps
                    .contains_key(&format!("map-{i:02}").parse().unwrap())
            );
        });
    }
    while let Some(done) = writes.join_next().await {
        done.unwrap();
    }
    assert_eq!(read_snapshot(&path).unwrap(), backend.read());
    assert_eq!(backend.read().scope_maps.len(), 42);
}

#[tokio::test]
async fn writes_apply_and_persist_atomically() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.json");
    std::fs::write(&path, SAMPLE).unwrap();
    let backend = SnapshotBackend::open(&path).unwrap();
    let now: DateTime<Utc> = "2025-06-01T00:00:00Z".parse().unwrap();
    let op: WriteOp = serde_json::from_str(
        r#"{"op": "generate_password", "token": "MyToken", "slot": "password2", "expiry": null}"#,
    )
    .unwrap();
    let generated = backend.write_at(&op, now).unwrap().unwrap();
    assert_eq!(generated.value.expose().len(), 44);
    assert_eq!(generated.creation_time, Some(now));
    let on_disk = read_snapshot(&path).unwrap();
    let token = &on_disk.tokens[&"MyToken".parse().unwrap()];
    assert_eq!(token.passwords.len(), 2);
    // The value itself is never stored.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains(generated.value.expose()));
    // Only the snapshot is left in the directory: no temporary file.
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);

    let refused: WriteOp =
        serde_json::from_str(r#"{"op": "delete_scope_map", "name": "MyScopeMap"}"#).unwrap();
    let err = backend.write_at(&refused, now).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the registry refused the write: scope map `MyScopeMap` is used by token `MyToken`"
    );
}

#[cfg(unix)]
#[test]
fn writing_through_a_symbolic_link_replaces_the_file_it_names() {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("live.json");
    std::fs::write(&target, "old").unwrap();
    let link = dir.path().join("current.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    write_atomically(&link, b"new").unwrap();
    assert!(std::fs::symlink_metadata(&link).unwrap().is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
}

/// `--out /dev/null` once replaced the device with a regular file; a pipe stands in for it
/// here, since a regression must not break the machine running the tests.
#[cfg(unix)]
#[test]
fn a_pipe_is_written_to_not_replaced() {
    let dir = tempfile::tempdir().unwrap();
    let fifo = dir.path().join("fifo");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here
    }
    let reader = {
        let fifo = fifo.clone();
        std::thread::spawn(move || std::fs::read(fifo).unwrap())
    };
    write_atomically(&fifo, b"through the pipe").unwrap();
    assert_eq!(reader.join().unwrap(), b"through the pipe");
    let kind = std::fs::symlink_metadata(&fifo).unwrap().file_type();
    assert!(std::os::unix::fs::FileTypeExt::is_fifo(&kind));
}

/// `text` written to a file and read with `read_snapshot`, beside what `parse_snapshot` (the
/// whole text at once) makes of it under the same path.
fn read_and_parsed(text: &[u8]) -> (Result<Live, String>, Result<Live, String>) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("live.json");
    std::fs::write(&path, text).unwrap();
    (
        read_snapshot(&path).map_err(|e| e.to_string()),
        parse_snapshot(text, &path).map_err(|e| e.to_string()),
    )
}

/// The sample as written by hand, as scopeform writes it (pretty), and on one line.
fn sample_texts() -> Vec<String> {
    let pretty = String::from_utf8(snapshot_json(&parse(SAMPLE).unwrap())).unwrap();
    let value: serde_json::Value = serde_json::from_str(SAMPLE).unwrap();
    vec![SAMPLE.to_owned(), pretty, value.to_string()]
}

/// The piece-wise reader takes a snapshot however its pieces cut it (inside a key, a string,
/// an escape, between objects), and makes of it what the whole-text parse makes.
#[test]
fn the_piece_reader_takes_a_snapshot_cut_anywhere() {
    for text in sample_texts() {
        let whole = parse(&text).unwrap();
        for piece in (1..=80).chain([127, 128, 500, 4096]) {
            let read = reader::read(text.as_bytes(), piece)
                .unwrap()
                .unwrap_or_else(|| panic!("declined in pieces of {piece}:\n{text}"));
            assert_eq!(keyed(read, Path::new("live.json")).unwrap(), whole);
        }
        let (read, parsed) = read_and_parsed(text.as_bytes());
        assert_eq!(read.unwrap(), parsed.unwrap());
    }
}

/// A file the piece-wise reader declines is parsed whole, as before: the same objects, or
/// the same message (place included) for what is wrong with it.
#[test]
fn what_the_piece_reader_declines_reads_as_before() {
    let cases = [
        // Refused.
        SAMPLE.replace(
            "\"connected_registries\": []",
            "\"connected_registries\": [], \"tokens\": []",
        ),
        SAMPLE.replace("\"connected_registries\"", "\"connected_registry\""),
        SAMPLE.replace("\"format_version\": \"1\"", "\"format_version\": \"2\""),
        r#"{"format_version": 3, "everything": []}"#.to_owned(),
        format!("{SAMPLE} x"),
        format!("{SAMPLE}{{}}"),
        SAMPLE[..SAMPLE.len() / 2].to_owned(),
        SAMPLE[..SAMPLE.len() - 3].to_owned(),
        SAMPLE.replace(
            "repositories/samples/*/content/read",
            "repositories/Samples/content/read",
        ),
        SAMPLE.replace("\"status\": \"enabled\"", "\"Status\": \"disabled\""),
        SAMPLE.replace(
            "\"connected_registries\": []",
            "\"connected_registries\": null",
        ),
        SAMPLE.replace("}\n  ],\n  \"tokens\"", "},\n  ],\n  \"tokens\""),
        SAMPLE.replace("\"format_version\": \"1\",", ""),
        SAMPLE.replace("\"scope_maps\"", "\"scope_maps\" \"scope_maps\""),
        String::new(),
        "null".to_owned(),
        "[]".to_owned(),
        "{}".to_owned(),
        format!("\u{feff}{SAMPLE}"),
        // Read: an escaped key is the key it spells.
        SAMPLE.replace("\"tokens\"", "\"\\u0074okens\""),
    ];
    for text in cases {
        let (read, parsed) = read_and_parsed(text.as_bytes());
        assert_eq!(read, parsed, "{text}");
    }
}

/// A name written twice is refused, and objects out of order are read, by the piece-wise
/// reader as by the whole-text parse.
#[test]
fn names_twice_and_objects_out_of_order() {
    let twice = SAMPLE.replace(
        "{\"name\": \"MyScopeMap\"",
        "{\"name\": \"_repositories_pull\", \"actions\": []},\n    {\"name\": \"MyScopeMap\"",
    );
    assert!(
        reader::read(twice.as_bytes(), reader::PIECE)
            .unwrap()
            .is_some()
    );
    let (read, parsed) = read_and_parsed(twice.as_bytes());
    assert_eq!(
        read.unwrap_err(),
        format!(
            "{}: scope map `_repositories_pull` appears twice",
            parsed.unwrap_err().split(": ").next().unwrap()
        )
    );
    let swapped = SAMPLE.replace(
        "{\"name\": \"_repositories_pull\", \"actions\": [\"repositories/*/content/read\"], \"system\": true},\n    {\"name\": \"MyScopeMap\", \"description\": \"d\", \"actions\": [\"repositories/samples/*/content/read\"]}",
        "{\"name\": \"MyScopeMap\", \"description\": \"d\", \"actions\": [\"repositories/samples/*/content/read\"]},\n    {\"name\": \"_repositories_pull\", \"actions\": [\"repositories/*/content/read\"], \"system\": true}",
    );
    assert_ne!(swapped, SAMPLE);
    let (read, parsed) = read_and_parsed(swapped.as_bytes());
    assert_eq!(read.unwrap(), parsed.unwrap());
    assert_eq!(
        read_and_parsed(SAMPLE.as_bytes()).0.unwrap(),
        parse(SAMPLE).unwrap()
    );
}

/// A pipe (`--state <(…)`) cannot be read twice: it is read whole, and a bad one still says
/// what is wrong with it.
#[cfg(unix)]
#[test]
fn a_pipe_is_read_whole() {
    for (text, expected) in [
        (SAMPLE.to_owned(), parse(SAMPLE).map_err(|e| e.to_string())),
        (
            SAMPLE.replace("\"status\"", "\"Status\""),
            Err("unknown field `Status`".to_owned()),
        ),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status();
        if !made.is_ok_and(|s| s.success()) {
            return; // no mkfifo here
        }
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::write(fifo, text).unwrap())
        };
        let read = read_snapshot(&fifo).map_err(|e| e.to_string());
        writer.join().unwrap();
        match (read, expected) {
            (Ok(read), Ok(expected)) => assert_eq!(read, expected),
            (Err(read), Err(expected)) => assert!(read.contains(&expected), "{read}"),
            (read, expected) => panic!("{read:?} but expected {expected:?}"),
        }
    }
}

#[test]
fn a_directory_cannot_be_read() {
    let dir = tempfile::tempdir().unwrap();
    assert!(matches!(
        read_snapshot(dir.path()),
        Err(SnapshotError::Read { .. })
    ));
}
