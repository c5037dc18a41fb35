//! ARM URL paths built from segments, each percent-encoded, so that no name, coordinate or
//! other input can add a segment, climb out with `..`, or start a query or a fragment.

use std::fmt::Write;

/// `/seg1/seg2/…`, every segment percent-encoded: everything but letters, digits and
/// `-`, `.`, `_`, `~`, `(`, `)` (the characters ARM names use that need no encoding).
///
/// A segment of dots only (`.`, `..`) would still be read as a relative step, encoded or not
/// (the URL standard decodes `%2e`); the types that reach here cannot hold one (a resource
/// group may not end in `.`, names have no `.`), which the debug assertion restates.
pub(super) fn arm_path<'a>(segments: impl IntoIterator<Item = &'a str>) -> String {
    let mut path = String::new();
    for segment in segments {
        debug_assert!(
            !segment.is_empty() && !segment.chars().all(|c| c == '.'),
            "a path segment cannot be empty or dots only: {segment:?}"
        );
        path.push('/');
        encode_segment(segment, &mut path);
    }
    path
}

fn encode_segment(segment: &str, out: &mut String) {
    for byte in segment.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'(' | b')') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_cannot_change_the_path_or_the_query() {
        let hostile = "../../../subscriptions/x/resourceGroups/x/providers/Microsoft.KeyVault/vaults/kv?api-version=2023-07-01&x=#f%2F";
        let path = arm_path(["resourceGroups", hostile]);
        assert_eq!(
            path,
            "/resourceGroups/..%2F..%2F..%2Fsubscriptions%2Fx%2FresourceGroups%2Fx%2Fproviders%2FMicrosoft.KeyVault%2Fvaults%2Fkv%3Fapi-version%3D2023-07-01%26x%3D%23f%252F"
        );
        let url = reqwest::Url::parse(&format!("https://arm.example{path}?api-version=1")).unwrap();
        assert_eq!(url.path_segments().unwrap().count(), 2);
        assert_eq!(url.query(), Some("api-version=1"));
    }

    #[test]
    fn names_arm_allows_stay_readable() {
        assert_eq!(
            arm_path(["resourceGroups", "Team.(prod)_rg-1~"]),
            "/resourceGroups/Team.(prod)_rg-1~"
        );
        assert_eq!(arm_path(["ορθό"]), "/%CE%BF%CF%81%CE%B8%CF%8C");
        assert_eq!(arm_path(["a b", "c\u{202e}"]), "/a%20b/c%E2%80%AE");
    }
}
