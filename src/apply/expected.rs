//! What a token write expects to find in the registry just before it is sent: the token (or one
//! password slot of it) exactly as the plan saw it.
//!
//! Two applies planned from the same registry would otherwise each rotate the same slot, and the
//! second would destroy the password the first one just saved (issue 13, part 3). So before each
//! create, update, disable, delete or rotation of a token, `apply` reads the token again; if it is
//! no longer what the plan saw, the write is skipped and reported as a conflict. For a rotation
//! only the slot counts (its creation time and expiry): an earlier change of the same apply may
//! have updated the token itself.

use chrono::{DateTime, Utc};

use crate::model::{Live, LivePassword, LiveToken, PasswordSlot, TokenName, WriteOp};
use crate::plan::timestamp;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Expected {
    /// The whole token as the plan saw it; `None`: it did not exist.
    Token {
        name: TokenName,
        was: Option<LiveToken>,
    },
    /// One password slot as the plan saw it; `None`: the slot (or the token) was empty.
    Password {
        token: TokenName,
        slot: PasswordSlot,
        was: Option<LivePassword>,
    },
}

impl Expected {
    /// What `op` expects, given the registry `live` the plan was made from; `None` for writes
    /// to anything but a token.
    pub(crate) fn of(op: &WriteOp, live: &Live) -> Option<Self> {
        match op {
            WriteOp::CreateToken { name, .. }
            | WriteOp::UpdateToken { name, .. }
            | WriteOp::DeleteToken { name } => Some(Self::Token {
                name: name.clone(),
                was: live.tokens.get(name).cloned(),
            }),
            WriteOp::GeneratePassword { token, slot, .. } => Some(Self::Password {
                token: token.clone(),
                slot: *slot,
                was: live
                    .tokens
                    .get(token)
                    .and_then(|t| t.password(*slot))
                    .copied(),
            }),
            _ => None,
        }
    }

    /// The token to read.
    pub(crate) fn token(&self) -> &TokenName {
        match self {
            Self::Token { name, .. } => name,
            Self::Password { token, .. } => token,
        }
    }

    /// `None` when `now` (the token as just read) is what the plan saw; otherwise what changed.
    pub(crate) fn conflict(&self, now: Option<&LiveToken>) -> Option<String> {
        match self {
            Self::Token { name, was } => token_conflict(name, was.as_ref(), now),
            Self::Password { token, slot, was } => {
                let now = now.and_then(|t| t.password(*slot));
                (was.as_ref() != now).then(|| {
                    format!(
                        "{slot} of token `{token}` changed in the registry since the plan was made \
                         (planned: {}; now: {}); another apply may have rotated it",
                        describe(was.as_ref()),
                        describe(now)
                    )
                })
            }
        }
    }
}

fn token_conflict(
    name: &TokenName,
    was: Option<&LiveToken>,
    now: Option<&LiveToken>,
) -> Option<String> {
    let what = match (was, now) {
        (None, None) => return None,
        (Some(_), None) => "was deleted".to_owned(),
        (None, Some(_)) => "was created".to_owned(),
        (Some(was), Some(now)) => {
            let mut changed = Vec::new();
            // ARM may spell a scope map id in another case than the list gave it.
            if !was
                .scope_map
                .as_str()
                .eq_ignore_ascii_case(now.scope_map.as_str())
            {
                changed.push("scope map");
            }
            if was.status != now.status {
                changed.push("status");
            }
            if was.passwords != now.passwords {
                changed.push("passwords");
            }
            if changed.is_empty() {
                return None;
            }
            format!("changed ({})", changed.join(", "))
        }
    };
    Some(format!(
        "token `{name}` {what} in the registry since the plan was made; another apply may be at work"
    ))
}

fn describe(password: Option<&LivePassword>) -> String {
    let time = |t: Option<DateTime<Utc>>| t.map_or_else(|| "unknown".to_owned(), timestamp);
    match password {
        None => "no password".to_owned(),
        Some(p) => format!("created {}", time(p.creation_time)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::live;

    fn registry() -> Live {
        live(&serde_json::json!({
            "tokens": [{"name": "ci-push", "scope_map": "_repositories_push", "status": "enabled",
                "passwords": [{"name": "password1", "creation_time": "2026-05-01T00:00:00Z",
                               "expiry": "2026-06-01T00:00:00Z"}]}],
        }))
    }

    fn rotation(slot: PasswordSlot) -> WriteOp {
        WriteOp::GeneratePassword {
            token: "ci-push".parse().unwrap(),
            slot,
            expiry: None,
        }
    }

    #[test]
    fn a_rotation_conflicts_when_the_slot_was_regenerated_since() {
        let planned = registry();
        let expected = Expected::of(&rotation(PasswordSlot::Password1), &planned).unwrap();
        let token = planned.tokens.values().next().unwrap();
        assert_eq!(expected.conflict(Some(token)), None);

        let mut rotated = token.clone();
        rotated.passwords[0].creation_time = Some("2026-05-20T10:00:00Z".parse().unwrap());
        assert_eq!(
            expected.conflict(Some(&rotated)).as_deref(),
            Some(
                "password1 of token `ci-push` changed in the registry since the plan was made \
                 (planned: created 2026-05-01T00:00:00Z; now: created 2026-05-20T10:00:00Z); \
                 another apply may have rotated it"
            )
        );
        // An update of the token by this same apply (another slot, the status) is no conflict.
        let mut updated = token.clone();
        updated.status = crate::model::TokenStatus::Disabled;
        assert_eq!(expected.conflict(Some(&updated)), None);
    }

    #[test]
    fn an_empty_slot_conflicts_once_someone_fills_it() {
        let planned = registry();
        let expected = Expected::of(&rotation(PasswordSlot::Password2), &planned).unwrap();
        let token = planned.tokens.values().next().unwrap();
        assert_eq!(expected.conflict(Some(token)), None);
        let mut filled = token.clone();
        filled.passwords.push(LivePassword {
            name: PasswordSlot::Password2,
            creation_time: Some("2026-05-20T10:00:00Z".parse().unwrap()),
            expiry: None,
        });
        assert!(expected.conflict(Some(&filled)).is_some());
    }

    #[test]
    fn token_writes_conflict_on_any_change_of_the_token() {
        let planned = registry();
        let name: TokenName = "ci-push".parse().unwrap();
        let delete = Expected::of(&WriteOp::DeleteToken { name: name.clone() }, &planned).unwrap();
        let token = planned.tokens.values().next().unwrap();
        assert_eq!(delete.conflict(Some(token)), None);
        assert_eq!(
            delete.conflict(None).as_deref(),
            Some(
                "token `ci-push` was deleted in the registry since the plan was made; another \
                 apply may be at work"
            )
        );
        let mut moved = token.clone();
        moved.scope_map = "_repositories_pull".parse().unwrap();
        moved.passwords.clear();
        assert_eq!(
            delete.conflict(Some(&moved)).as_deref(),
            Some(
                "token `ci-push` changed (scope map, passwords) in the registry since the plan \
                 was made; another apply may be at work"
            )
        );
        // A scope map id spelt in another case is the same scope map.
        let mut respelt = token.clone();
        respelt.scope_map = "_REPOSITORIES_PUSH".parse().unwrap();
        assert_eq!(delete.conflict(Some(&respelt)), None);

        let create = WriteOp::CreateToken {
            name: "new-token".parse().unwrap(),
            scope_map: "_repositories_pull".parse().unwrap(),
            status: crate::model::TokenStatus::Enabled,
        };
        let create = Expected::of(&create, &planned).unwrap();
        assert_eq!(create.conflict(None), None);
        assert!(create.conflict(Some(token)).is_some());
        assert_eq!(
            Expected::of(&WriteOp::SetAdminUser { enabled: false }, &planned),
            None
        );
    }
}
