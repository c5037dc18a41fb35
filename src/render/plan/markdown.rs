//! The plan as a pull request comment, after Atlantis and tfcmt: the summary line first, then
//! what a reviewer must not miss (deletes, disables, rotations, access lost), the access
//! changes, and each change's details folded in `<details>` with a `diff` block.
//!
//! GitHub refuses comments over 65,536 characters. Every section has a budget; what does not
//! fit is counted in a note that points to the full plan (`--format text` or `json`).

use std::fmt::Write as _;
use std::io::{self, Write};

use super::block::{self, Sign, headline, kind_marker, sorted_strings};
use crate::plan::{Change, ChangeKind, Origin, Plan};
use crate::render::untrusted::{fence, markdown_code, markdown_text, terminal};

/// GitHub's limit on a comment's length.
pub(crate) const GITHUB_COMMENT_LIMIT: usize = 65_536;

/// Room kept for the truncation notes and for whatever the CI wraps around the comment.
const MARGIN: usize = 2_000;
const DESTRUCTIVE_BUDGET: usize = 12_000;
const ACCESS_BUDGET: usize = 16_000;
const WARNINGS_BUDGET: usize = 4_000;
const UNMANAGED_BUDGET: usize = 4_000;

/// Appends `items` to `out` while they fit in `budget` bytes; then says how many were left out.
fn bounded(out: &mut String, items: impl ExactSizeIterator<Item = String>, budget: usize) -> bool {
    let total = items.len();
    let start = out.len();
    for (shown, item) in items.enumerate() {
        if out.len() - start + item.len() > budget {
            let _ = writeln!(
                out,
                "\n_…and {} more not shown: the comment would exceed GitHub's limit. Run \
                 `scopeform plan` for the full plan._",
                total - shown
            );
            return false;
        }
        out.push_str(&item);
    }
    true
}

/// The GitHub `diff` colour of a block line: green `+`, red `-`, orange `!`.
fn diff_sign(sign: Sign) -> char {
    match sign {
        Sign::Add => '+',
        Sign::Remove => '-',
        Sign::Change => '!',
        Sign::Keep => ' ',
    }
}

fn header_sign(kind: ChangeKind) -> char {
    match kind {
        ChangeKind::Create => '+',
        ChangeKind::Update | ChangeKind::Rotate => '!',
        ChangeKind::Disable | ChangeKind::Delete => '-',
    }
}

/// One change folded: its headline as the summary, its block as a `diff`.
fn details(change: &Change) -> String {
    let mut body = format!("# {}\n", headline(change));
    if change.origin == Origin::Both {
        body.push_str("# (the registry had also drifted here)\n");
    }
    if let Some(note) = &change.note {
        let _ = writeln!(body, "# ({})", terminal(note));
    }
    for line in block::lines(change) {
        let sign = if line.depth == 0 && line.text != "}" {
            header_sign(change.kind)
        } else {
            diff_sign(line.sign)
        };
        // As Atlantis' Markdown diff mode does: the marker moves to column 0, where GitHub
        // colours it, and the comment line above says what happens.
        let indent = "    ".repeat(line.depth);
        let _ = writeln!(body, "{sign} {indent}{}", line.text);
    }
    let fence = fence(&body);
    format!(
        "<details><summary><code>{} {}</code> {}</summary>\n\n{fence}diff\n{body}{fence}\n\n</details>\n",
        kind_marker(change.kind),
        change.address,
        headline(change)
            .strip_prefix(&change.address.to_string())
            .unwrap_or_default()
            .trim_start()
    )
}

fn destructive_items(plan: &Plan) -> Vec<String> {
    let mut items: Vec<String> = plan
        .changes
        .iter()
        .filter(|c| c.is_destructive())
        .map(|c| {
            let what = match (c.kind, &c.address) {
                (ChangeKind::Rotate, _) => {
                    "whoever uses the current password must get the new one".to_owned()
                }
                (_, crate::plan::Address::AdminUser) => {
                    "the admin user is switched off: its credentials stop working".to_owned()
                }
                _ => c
                    .note
                    .as_deref()
                    .map(|note| markdown_text(note).to_string())
                    .unwrap_or_default(),
            };
            let dash = if what.is_empty() { "" } else { " — " };
            format!("- **{}** `{}`{dash}{what}\n", c.kind, c.address)
        })
        .collect();
    items.extend(
        plan.access_changes
            .iter()
            .filter(|a| !a.lost.is_empty())
            .map(|a| {
                let lost: Vec<String> = sorted_strings(&a.lost)
                    .into_iter()
                    .map(|s| format!("`{s}`"))
                    .collect();
                format!(
                    "- **access lost** `token.{}`: {}\n",
                    a.token,
                    lost.join(", ")
                )
            }),
    );
    items
}

/// `plan --base`: what left the configuration but stays, since it is not under `removed`.
fn left_alone_items(plan: &Plan) -> Vec<String> {
    plan.left_alone
        .iter()
        .flatten()
        .map(|address| {
            format!(
                "- **left in the registry** `{address}` — no longer in the configuration, but \
                 not under `removed`: it keeps its access\n"
            )
        })
        .collect()
}

fn cell(actions: &[String]) -> String {
    if actions.is_empty() {
        return "—".to_owned();
    }
    actions
        .iter()
        .map(|a| format!("`{a}`"))
        .collect::<Vec<_>>()
        .join("<br>")
}

/// Writes `plan` as a Markdown comment of at most `GITHUB_COMMENT_LIMIT` bytes.
pub(crate) fn render(plan: &Plan, w: &mut dyn Write) -> io::Result<()> {
    let mut head = format!("## scopeform plan for `{}`\n\n", plan.registry.name);
    if plan.is_empty() {
        head.push_str(
            ":white_check_mark: **No changes.** The registry matches the configuration.\n",
        );
    } else {
        let _ = writeln!(head, "**{}**", plan.summary());
    }

    let mut destructive = String::new();
    let items = destructive_items(plan);
    let left = left_alone_items(plan);
    if !items.is_empty() || !left.is_empty() {
        destructive.push_str(if items.is_empty() {
            "\n### :warning: Destructive changes\n\nAccess this pull request seems to take \
             away stays in the registry. Check it carefully.\n\n"
        } else {
            "\n### :warning: Destructive changes\n\nThis plan removes objects, passwords or \
             access. Check it carefully.\n\n"
        });
        let all = items.into_iter().chain(left).collect::<Vec<_>>();
        bounded(&mut destructive, all.into_iter(), DESTRUCTIVE_BUDGET);
    }

    let mut warnings = String::new();
    if !plan.warnings.is_empty() {
        warnings.push_str("\n### Warnings\n\n");
        let items = plan
            .warnings
            .iter()
            .map(|w| format!("- {}\n", markdown_text(w)));
        bounded(&mut warnings, items, WARNINGS_BUDGET);
    }

    let mut waiting = String::new();
    if !plan.waiting.is_empty() {
        waiting.push_str(
            "\n### Password slots waiting their turn\n\nThe other slot of each keeps working.\n\n",
        );
        let items = plan
            .waiting
            .iter()
            .map(|w| format!("- `{}`: {}\n", w.address, w.reason));
        bounded(&mut waiting, items, WARNINGS_BUDGET);
    }

    let mut passwords = String::new();
    if let Some(to) = &plan.passwords_to {
        let _ = write!(
            passwords,
            "\n### Where new passwords go\n\nNew passwords go to Key Vault {}, each the newest \
             version of its secret.\n\n",
            markdown_code(&to.key_vault)
        );
        let items = to.secrets.iter().map(|s| {
            format!(
                "- {} → secret {}\n",
                markdown_code(&s.address.to_string()),
                markdown_code(&s.secret)
            )
        });
        bounded(&mut passwords, items, WARNINGS_BUDGET);
    }

    let mut access = String::new();
    if !plan.access_changes.is_empty() {
        access.push_str("\n### Access changes\n\n| token | gains | loses |\n|---|---|---|\n");
        let rows = plan.access_changes.iter().map(|a| {
            format!(
                "| `{}` | {} | {} |\n",
                a.token,
                cell(&sorted_strings(&a.gained)),
                cell(&sorted_strings(&a.lost))
            )
        });
        bounded(&mut access, rows, ACCESS_BUDGET);
    }

    let mut unmanaged = String::new();
    if !plan.unmanaged.is_empty() {
        let _ = write!(
            unmanaged,
            "\n<details><summary>{} object{} not in the configuration, left alone</summary>\n\n",
            plan.unmanaged.len(),
            if plan.unmanaged.len() == 1 { "" } else { "s" }
        );
        let items = plan.unmanaged.iter().map(|a| format!("- `{a}`\n"));
        bounded(&mut unmanaged, items, UNMANAGED_BUDGET);
        unmanaged.push_str("\n</details>\n");
    }

    let mut changes = String::new();
    if plan.changes.iter().all(|c| c.origin == Origin::Config) {
        if !plan.is_empty() {
            changes.push_str("\n### Changes\n\n");
            let used = head.len()
                + destructive.len()
                + warnings.len()
                + waiting.len()
                + passwords.len()
                + access.len()
                + unmanaged.len();
            let budget = GITHUB_COMMENT_LIMIT.saturating_sub(MARGIN + used + changes.len());
            bounded(&mut changes, plan.changes.iter().map(details), budget);
        }
    } else {
        // `plan --base`: what this pull request does, apart from what the registry drifted.
        let (drift, config): (Vec<&Change>, Vec<&Change>) =
            plan.changes.iter().partition(|c| c.origin == Origin::Drift);
        for (title, intro, group) in [
            (
                "Changes from this pull request",
                "The configuration change since the base revision does this.",
                config,
            ),
            (
                ":warning: Drift this plan puts back",
                "The registry drifted from the base revision's configuration (a change made \
                 outside it); applying undoes that too.",
                drift,
            ),
        ] {
            if group.is_empty() {
                continue;
            }
            let _ = write!(changes, "\n### {title}\n\n{intro}\n\n");
            let used = head.len()
                + destructive.len()
                + warnings.len()
                + waiting.len()
                + passwords.len()
                + access.len()
                + unmanaged.len()
                + changes.len();
            let budget = (GITHUB_COMMENT_LIMIT.saturating_sub(MARGIN + used)) / 2;
            bounded(&mut changes, group.into_iter().map(details), budget);
        }
    }

    let mut w = io::BufWriter::new(w);
    for part in [
        &head,
        &destructive,
        &warnings,
        &waiting,
        &passwords,
        &access,
        &changes,
        &unmanaged,
    ] {
        w.write_all(part.as_bytes())?;
    }
    w.flush()
}
