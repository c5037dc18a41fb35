//! The long-running-operation protocol as a state machine: given ARM's answer to a write or
//! to a poll, decide whether the write is done, failed, or must be polled again, and when.
//!
//! PUT and PATCH answer 201 + `Azure-AsyncOperation` (poll the status body until `Succeeded`,
//! `Failed` or `Canceled`); DELETE and POST answer 202 + `Location` (poll until the answer is
//! no longer 202; its body is the result). See the spec summary §5.

use std::time::Duration;

use super::request::Method;
use super::response::ArmResponse;
use super::wire;

/// The least time between polls, even when ARM says `Retry-After: 0`.
pub(super) const MIN_POLL_INTERVAL: Duration = Duration::from_millis(20);
/// The time between polls when ARM gives no `Retry-After`.
pub(super) const DEFAULT_POLL_INTERVAL: Duration = Duration::from_secs(1);

/// How an operation in progress is followed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PollKind {
    AsyncOperation,
    Location,
}

/// What to do after an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Step {
    /// The write is complete; the response holds the final body, if any.
    Done(ArmResponse),
    /// Poll `url` after `after`.
    Poll {
        url: String,
        kind: PollKind,
        after: Duration,
    },
    /// ARM refused the write (any non-success answer; retries were already spent).
    Refused(ArmResponse),
    /// The operation ended `Failed` or `Canceled`.
    Failed {
        status: String,
        code: String,
        message: String,
    },
}

/// How long to wait before polling again after a poll.
pub(super) fn poll_delay(retry_after: Option<Duration>) -> Duration {
    retry_after.map_or(DEFAULT_POLL_INTERVAL, |d| d.max(MIN_POLL_INTERVAL))
}

/// How long to wait before the first poll: exactly what ARM asked, even `Retry-After: 0`.
/// The floor of `poll_delay` only guards against a tight loop of polls; before the first one
/// it added 20 ms to every asynchronous write (a third of a write at 20 ms latency).
pub(super) fn first_poll_delay(retry_after: Option<Duration>) -> Duration {
    retry_after.unwrap_or(DEFAULT_POLL_INTERVAL)
}

/// The step after ARM's answer to the write request itself.
pub(super) fn after_write(method: Method, response: ArmResponse) -> Step {
    // Deleting what is already gone is success: re-runs must be idempotent.
    if method == Method::Delete && response.status == 404 {
        return Step::Done(response);
    }
    if !response.is_success() {
        return Step::Refused(response);
    }
    let after = first_poll_delay(response.retry_after);
    if let Some(url) = response.async_operation.clone() {
        return Step::Poll {
            url,
            kind: PollKind::AsyncOperation,
            after,
        };
    }
    if response.status == 202
        && let Some(url) = response.location.clone()
    {
        return Step::Poll {
            url,
            kind: PollKind::Location,
            after,
        };
    }
    Step::Done(response)
}

/// The step after a poll of `url`.
pub(super) fn after_poll(method: Method, kind: PollKind, url: &str, response: ArmResponse) -> Step {
    match kind {
        PollKind::AsyncOperation => {
            if !response.is_success() {
                return Step::Refused(response);
            }
            let status = match serde_json::from_slice::<wire::OperationStatus>(&response.body) {
                Ok(status) => status,
                Err(e) => {
                    return Step::Failed {
                        status: "Unknown".into(),
                        code: "InvalidOperationStatus".into(),
                        message: format!("the operation status is not valid JSON: {e}"),
                    };
                }
            };
            match status.status.as_str() {
                s if s.eq_ignore_ascii_case("Succeeded") => Step::Done(response),
                s if s.eq_ignore_ascii_case("Failed") || s.eq_ignore_ascii_case("Canceled") => {
                    let error = status.error.unwrap_or_default();
                    Step::Failed {
                        status: status.status.clone(),
                        code: error.code.unwrap_or_else(|| status.status.clone()),
                        message: error
                            .message
                            .unwrap_or_else(|| "ARM gave no reason".to_owned()),
                    }
                }
                _ => Step::Poll {
                    url: url.to_owned(),
                    kind,
                    after: poll_delay(response.retry_after),
                },
            }
        }
        PollKind::Location => {
            if response.status == 202 {
                return Step::Poll {
                    url: response.location.clone().unwrap_or_else(|| url.to_owned()),
                    kind,
                    after: poll_delay(response.retry_after),
                };
            }
            if method == Method::Delete && response.status == 404 {
                return Step::Done(response);
            }
            if response.is_success() {
                Step::Done(response)
            } else {
                Step::Refused(response)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16) -> ArmResponse {
        ArmResponse {
            status,
            ..ArmResponse::default()
        }
    }

    #[test]
    fn synchronous_answers_are_done() {
        assert!(matches!(
            after_write(Method::Put, response(200)),
            Step::Done(_)
        ));
        assert!(matches!(
            after_write(Method::Put, response(201)),
            Step::Done(_)
        ));
        assert!(matches!(
            after_write(Method::Delete, response(204)),
            Step::Done(_)
        ));
        assert!(matches!(
            after_write(Method::Delete, response(404)),
            Step::Done(_)
        ));
        assert!(matches!(
            after_write(Method::Patch, response(404)),
            Step::Refused(_)
        ));
        assert!(matches!(
            after_write(Method::Put, response(400)),
            Step::Refused(_)
        ));
    }

    #[test]
    fn created_with_async_operation_polls_it() {
        let r = ArmResponse {
            status: 201,
            async_operation: Some("http://h/op/1".into()),
            retry_after: Some(Duration::ZERO),
            ..ArmResponse::default()
        };
        assert_eq!(
            after_write(Method::Put, r),
            Step::Poll {
                url: "http://h/op/1".into(),
                kind: PollKind::AsyncOperation,
                after: Duration::ZERO
            }
        );
    }

    #[test]
    fn accepted_with_location_polls_until_not_202() {
        let r = ArmResponse {
            status: 202,
            location: Some("http://h/op/2".into()),
            retry_after: Some(Duration::from_secs(3)),
            ..ArmResponse::default()
        };
        let Step::Poll { url, kind, after } = after_write(Method::Post, r) else {
            panic!("expected a poll");
        };
        assert_eq!(
            (url.as_str(), kind, after),
            ("http://h/op/2", PollKind::Location, Duration::from_secs(3))
        );
        assert!(matches!(
            after_poll(Method::Post, kind, &url, response(202)),
            Step::Poll {
                after: DEFAULT_POLL_INTERVAL,
                ..
            }
        ));
        let done = ArmResponse {
            status: 200,
            body: br#"{"username":"t"}"#.to_vec(),
            ..ArmResponse::default()
        };
        assert!(
            matches!(after_poll(Method::Post, kind, &url, done), Step::Done(r) if r.body.starts_with(b"{"))
        );
        assert!(matches!(
            after_poll(Method::Delete, kind, &url, response(204)),
            Step::Done(_)
        ));
        assert!(matches!(
            after_poll(Method::Post, kind, &url, response(409)),
            Step::Refused(_)
        ));
    }

    #[test]
    fn async_operation_statuses() {
        let status = |body: &str| ArmResponse {
            status: 200,
            body: body.as_bytes().to_vec(),
            retry_after: Some(Duration::from_millis(100)),
            ..ArmResponse::default()
        };
        let kind = PollKind::AsyncOperation;
        assert!(matches!(
            after_poll(Method::Put, kind, "u", status(r#"{"status":"InProgress"}"#)),
            Step::Poll { after, .. } if after == Duration::from_millis(100)
        ));
        assert!(matches!(
            after_poll(Method::Put, kind, "u", status(r#"{"status":"Succeeded"}"#)),
            Step::Done(_)
        ));
        assert_eq!(
            after_poll(
                Method::Put,
                kind,
                "u",
                status(
                    r#"{"status":"Failed","error":{"code":"InternalServerError","message":"boom"}}"#
                )
            ),
            Step::Failed {
                status: "Failed".into(),
                code: "InternalServerError".into(),
                message: "boom".into()
            }
        );
        assert!(matches!(
            after_poll(Method::Put, kind, "u", status(r#"{"status":"Canceled"}"#)),
            Step::Failed { code, .. } if code == "Canceled"
        ));
        assert!(matches!(
            after_poll(Method::Put, kind, "u", status("nope")),
            Step::Failed { .. }
        ));
    }

    /// Real Azure's status bodies are just `{"status": …}`, and while an operation runs its
    /// status names what it does.
    #[test]
    fn real_azure_statuses_while_running() {
        let status = |body: &str| ArmResponse {
            status: 200,
            body: body.as_bytes().to_vec(),
            ..ArmResponse::default()
        };
        for running in ["Creating", "Updating", "Deleting", "InProgress", "Accepted"] {
            let body = format!(r#"{{"status":"{running}"}}"#);
            assert!(
                matches!(
                    after_poll(Method::Put, PollKind::AsyncOperation, "u", status(&body)),
                    Step::Poll { .. }
                ),
                "{running}"
            );
        }
    }

    /// A token delete: `202` + `Location` (`…/operationResults/…`) + `Retry-After: 10`, polled
    /// as told, then `200` with an empty body.
    #[test]
    fn real_azure_deletes() {
        let accepted = ArmResponse {
            status: 202,
            location: Some("http://h/subscriptions/s/providers/Microsoft.ContainerRegistry/locations/EASTUS/operationResults/x".into()),
            retry_after: Some(Duration::from_secs(10)),
            remaining_writes: Some(14_999),
            ..ArmResponse::default()
        };
        let Step::Poll { url, kind, after } = after_write(Method::Delete, accepted) else {
            panic!("expected a poll");
        };
        assert_eq!((kind, after), (PollKind::Location, Duration::from_secs(10)));
        let still = ArmResponse {
            status: 202,
            retry_after: Some(Duration::from_secs(10)),
            ..ArmResponse::default()
        };
        assert!(matches!(
            after_poll(Method::Delete, kind, &url, still),
            Step::Poll { after, .. } if after == Duration::from_secs(10)
        ));
        assert!(matches!(
            after_poll(Method::Delete, kind, &url, response(200)),
            Step::Done(r) if r.body.is_empty()
        ));
    }
}
