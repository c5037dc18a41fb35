//! Renders the access difference between two configurations (`scopeform diff`) as text,
//! Markdown or JSON. Who gains push or delete comes first: that is what an auditor looks for.

use std::collections::BTreeSet;
use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use crate::access::config_diff::{ConfigDiff, Power, TokenDiff, TokenEvent};
use crate::model::ScopeAction;

fn sorted(actions: &BTreeSet<ScopeAction>) -> Vec<String> {
    let mut strings: Vec<String> = actions.iter().map(ToString::to_string).collect();
    strings.sort();
    strings
}

fn event_word(event: TokenEvent) -> &'static str {
    match event {
        TokenEvent::Added => "added",
        TokenEvent::Removed => "removed",
        TokenEvent::Enabled => "enabled",
        TokenEvent::Disabled => "disabled",
        TokenEvent::Changed => "access changed",
    }
}

fn power_word(power: Power) -> &'static str {
    match power {
        Power::Push => "push",
        Power::Delete => "delete",
    }
}

/// `token.x: added (scope map a)`, `… moved from scope map a to b`.
fn token_headline(t: &TokenDiff) -> String {
    let scope_map = match (&t.scope_map.0, &t.scope_map.1) {
        (Some(old), Some(new)) if old != new => format!(", scope map {old} → {new}"),
        (_, Some(new)) => format!(", scope map {new}"),
        (Some(old), None) => format!(", scope map {old}"),
        (None, None) => String::new(),
    };
    format!("token.{}: {}{scope_map}", t.token, event_word(t.event))
}

fn summary(diff: &ConfigDiff) -> String {
    let count = |e| diff.tokens.iter().filter(|t| t.event == e).count();
    format!(
        "Access diff: {} token(s) added, {} removed, {} enabled, {} disabled, {} with changed access.",
        count(TokenEvent::Added),
        count(TokenEvent::Removed),
        count(TokenEvent::Enabled),
        count(TokenEvent::Disabled),
        count(TokenEvent::Changed)
    )
}

pub(crate) fn text(diff: &ConfigDiff, w: &mut dyn Write) -> io::Result<()> {
    let fg = |c: AnsiColor| Style::new().fg_color(Some(c.into()));
    let (add, remove, warn) = (
        fg(AnsiColor::Green),
        fg(AnsiColor::Red),
        fg(AnsiColor::Yellow),
    );
    if diff.is_empty() {
        return writeln!(w, "No access differences.");
    }
    if !diff.gains.is_empty() {
        writeln!(w, "{warn}Gains push or delete:{warn:#}")?;
        for gain in &diff.gains {
            // `gains` is sorted by token, so each token's powers are adjacent.
            let mut who: Vec<(String, Vec<&str>)> = Vec::new();
            for (token, power) in &gain.gains {
                match who.last_mut() {
                    Some((last, powers)) if *last == token.as_str() => {
                        powers.push(power_word(*power));
                    }
                    _ => who.push((token.to_string(), vec![power_word(*power)])),
                }
            }
            let who: Vec<String> = who
                .into_iter()
                .map(|(token, powers)| format!("{token} ({})", powers.join(", ")))
                .collect();
            writeln!(w, "  {}: {}", gain.pattern, who.join(", "))?;
        }
        writeln!(w)?;
    }
    writeln!(w, "Tokens:")?;
    for t in &diff.tokens {
        writeln!(w, "  {}", token_headline(t))?;
        for action in sorted(&t.gained) {
            writeln!(w, "      {add}+ {action}{add:#}")?;
        }
        for action in sorted(&t.lost) {
            writeln!(w, "      {remove}- {action}{remove:#}")?;
        }
    }
    writeln!(w)?;
    writeln!(w, "{}", summary(diff))
}

pub(crate) fn markdown(diff: &ConfigDiff, w: &mut dyn Write) -> io::Result<()> {
    writeln!(w, "## scopeform access diff")?;
    writeln!(w)?;
    if diff.is_empty() {
        return writeln!(w, ":white_check_mark: No access differences.");
    }
    writeln!(w, "**{}**", summary(diff))?;
    if !diff.gains.is_empty() {
        writeln!(w)?;
        writeln!(w, "### :warning: Gains push or delete")?;
        writeln!(w)?;
        writeln!(w, "| repository pattern | token | gains |")?;
        writeln!(w, "|---|---|---|")?;
        for gain in &diff.gains {
            for (token, power) in &gain.gains {
                writeln!(
                    w,
                    "| `{}` | `{token}` | {} |",
                    gain.pattern,
                    power_word(*power)
                )?;
            }
        }
    }
    writeln!(w)?;
    writeln!(w, "### Tokens")?;
    writeln!(w)?;
    writeln!(w, "| token | change | gains | loses |")?;
    writeln!(w, "|---|---|---|---|")?;
    let cell = |actions: &BTreeSet<ScopeAction>| {
        let list = sorted(actions);
        if list.is_empty() {
            "—".to_owned()
        } else {
            list.iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join("<br>")
        }
    };
    for t in &diff.tokens {
        let change = token_headline(t);
        let change = change
            .split_once(": ")
            .map_or(change.as_str(), |(_, rest)| rest);
        writeln!(
            w,
            "| `{}` | {change} | {} | {} |",
            t.token,
            cell(&t.gained),
            cell(&t.lost)
        )?;
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct TokenJson<'a> {
    token: &'a str,
    change: TokenEvent,
    scope_map_before: Option<&'a str>,
    scope_map_after: Option<&'a str>,
    gained: Vec<String>,
    lost: Vec<String>,
}

#[derive(serde::Serialize)]
struct GainJson {
    pattern: String,
    token: String,
    gains: Power,
}

#[derive(serde::Serialize)]
struct DiffJson<'a> {
    format_version: &'static str,
    differs: bool,
    tokens: Vec<TokenJson<'a>>,
    push_or_delete_gained: Vec<GainJson>,
}

pub(crate) fn json(diff: &ConfigDiff, w: &mut dyn Write) -> io::Result<()> {
    let out = DiffJson {
        format_version: "1",
        differs: !diff.is_empty(),
        tokens: diff
            .tokens
            .iter()
            .map(|t| TokenJson {
                token: t.token.as_str(),
                change: t.event,
                scope_map_before: t.scope_map.0.as_deref(),
                scope_map_after: t.scope_map.1.as_deref(),
                gained: sorted(&t.gained),
                lost: sorted(&t.lost),
            })
            .collect(),
        push_or_delete_gained: diff
            .gains
            .iter()
            .flat_map(|g| {
                g.gains.iter().map(|(token, power)| GainJson {
                    pattern: g.pattern.to_string(),
                    token: token.to_string(),
                    gains: *power,
                })
            })
            .collect(),
    };
    super::json::write_pretty(w, &out)
}

#[cfg(test)]
mod tests {
    use crate::access::config_diff::{ConfigDiff, config_diff};
    use crate::testing::desired;

    fn diff() -> ConfigDiff {
        let old = desired(
            "
scope_maps:
  pushers:
    repositories:
      team-a/*: [content/read, content/write]
tokens:
  ci-runner:
    scope_map: pushers
  old-bot:
    scope_map: _repositories_pull
",
        );
        let new = desired(
            "
scope_maps:
  pushers:
    repositories:
      team-a/*: [content/read, content/write]
      prod/*: [content/write, content/delete]
tokens:
  ci-runner:
    scope_map: pushers
  partner-acme:
    scope_map: _repositories_pull
",
        );
        config_diff(&old, &new)
    }

    fn render(
        f: impl FnOnce(&ConfigDiff, &mut dyn std::io::Write) -> std::io::Result<()>,
    ) -> String {
        let mut out = Vec::new();
        f(&diff(), &mut out).expect("render");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn text_report() {
        insta::assert_snapshot!(super::super::plain(|w| super::text(&diff(), w)));
    }

    #[test]
    fn markdown_report() {
        insta::assert_snapshot!(render(super::markdown));
    }

    #[test]
    fn json_report() {
        insta::assert_snapshot!(render(super::json));
    }
}
