//! Renders the reports of `scopeform explain` as text or JSON.

use std::io::{self, Write};

use anstyle::Style;

use super::untrusted::terminal;

use crate::access::explain::{RepositoryAccessReport, RuleGrant, TokenReport};
use crate::model::{Permission, TokenStatus};

fn permissions(list: &[Permission]) -> String {
    if list.is_empty() {
        return "(none)".to_owned();
    }
    list.iter()
        .map(|p| p.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes rules as aligned columns: pattern, permissions, where they come from.
fn rule_table(w: &mut dyn Write, heading: &str, rules: &[RuleGrant]) -> io::Result<()> {
    let width = rules
        .iter()
        .map(|r| r.repository.len())
        .max()
        .unwrap_or(0)
        .max(heading.len());
    let perms: Vec<String> = rules.iter().map(|r| permissions(&r.permissions)).collect();
    let perm_width = perms
        .iter()
        .map(String::len)
        .max()
        .unwrap_or(0)
        .max("permissions".len());
    writeln!(
        w,
        "  {heading:<width$}  {:<perm_width$}  granted by",
        "permissions"
    )?;
    for (rule, perms) in rules.iter().zip(&perms) {
        writeln!(
            w,
            "  {:<width$}  {perms:<perm_width$}  {}",
            rule.repository,
            rule.sources.join(", ")
        )?;
    }
    Ok(())
}

fn status_note(status: TokenStatus) -> &'static str {
    match status {
        TokenStatus::Enabled => "enabled",
        TokenStatus::Disabled => "DISABLED: grants nothing until enabled",
    }
}

pub(crate) fn token_text(report: &TokenReport, w: &mut dyn Write) -> io::Result<()> {
    let bold = Style::new().bold();
    let system = if report.system_scope_map {
        " (system scope map)"
    } else {
        ""
    };
    writeln!(
        w,
        "{bold}token {}{bold:#} ({}), scope map {}{system}",
        report.token,
        status_note(report.status),
        report.scope_map
    )?;
    writeln!(w)?;
    if report.rules.is_empty() && report.gateways.is_empty() {
        writeln!(w, "  no rules")?;
    }
    if !report.rules.is_empty() {
        rule_table(w, "repository", &report.rules)?;
    }
    if !report.gateways.is_empty() {
        if !report.rules.is_empty() {
            writeln!(w)?;
        }
        rule_table(w, "gateway", &report.gateways)?;
    }
    if let Some(grant) = &report.repository {
        writeln!(w)?;
        writeln!(
            w,
            "{bold}on {}{bold:#}: {}",
            terminal(&grant.repository),
            permissions(&grant.permissions)
        )?;
        if grant.matched_rules.is_empty() {
            writeln!(w, "  no rule matches this repository")?;
        }
        for rule in &grant.matched_rules {
            writeln!(
                w,
                "  {} grants {} ({})",
                rule.repository,
                permissions(&rule.permissions),
                rule.sources.join(", ")
            )?;
        }
    }
    Ok(())
}

pub(crate) fn repository_text(
    repository: &str,
    reports: &[RepositoryAccessReport],
    w: &mut dyn Write,
) -> io::Result<()> {
    let bold = Style::new().bold();
    // The repository is the operator's, checked against ACR's grammar; escaped all the same.
    let repository = terminal(repository);
    if reports.is_empty() {
        return writeln!(w, "No token has access to {repository}.");
    }
    writeln!(w, "{bold}Tokens with access to {repository}{bold:#}:")?;
    writeln!(w)?;
    let width = reports
        .iter()
        .map(|r| r.token.as_str().len())
        .max()
        .unwrap_or(0)
        .max("token".len());
    let perms: Vec<String> = reports
        .iter()
        .map(|r| match r.status {
            TokenStatus::Enabled => permissions(&r.permissions),
            TokenStatus::Disabled => "(disabled)".to_owned(),
        })
        .collect();
    let perm_width = perms
        .iter()
        .map(String::len)
        .max()
        .unwrap_or(0)
        .max("permissions".len());
    writeln!(
        w,
        "  {:<width$}  {:<perm_width$}  via",
        "token", "permissions"
    )?;
    for (report, perms) in reports.iter().zip(&perms) {
        let rules: Vec<String> = report
            .matched_rules
            .iter()
            .map(|r| format!("{} ({})", r.repository, r.sources.join(", ")))
            .collect();
        writeln!(
            w,
            "  {:<width$}  {perms:<perm_width$}  {}: {}",
            report.token,
            report.scope_map,
            rules.join("; ")
        )?;
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct TokenJson<'a> {
    format_version: &'static str,
    #[serde(flatten)]
    report: &'a TokenReport,
}

#[derive(serde::Serialize)]
struct RepositoryJson<'a> {
    format_version: &'static str,
    repository: &'a str,
    tokens: &'a [RepositoryAccessReport],
}

pub(crate) fn token_json(report: &TokenReport, w: &mut dyn Write) -> io::Result<()> {
    super::json::write_pretty(
        w,
        &TokenJson {
            format_version: "1",
            report,
        },
    )
}

pub(crate) fn repository_json(
    repository: &str,
    reports: &[RepositoryAccessReport],
    w: &mut dyn Write,
) -> io::Result<()> {
    super::json::write_pretty(
        w,
        &RepositoryJson {
            format_version: "1",
            repository,
            tokens: reports,
        },
    )
}
