//! The plan as text, laid out as Terraform lays out its plans.

use std::io::{self, Write};

use anstyle::{AnsiColor, Style};

use super::block::{self, Sign, headline, kind_marker, sorted_strings};
use crate::plan::{Change, ChangeKind, Origin, Plan};
use crate::render::untrusted::terminal;

/// The plan's colours; the writer keeps or strips them.
struct Palette;

// A value, so that every style is asked of the palette (`p.kind(…)`) as it was when it held the
// colour choice.
#[allow(clippy::unused_self)]
impl Palette {
    fn fg(&self, color: AnsiColor) -> Style {
        Style::new().fg_color(Some(color.into()))
    }

    fn bold(&self) -> Style {
        Style::new().bold()
    }

    fn kind(&self, kind: ChangeKind) -> Style {
        match kind {
            ChangeKind::Create => self.fg(AnsiColor::Green),
            ChangeKind::Update => self.fg(AnsiColor::Yellow),
            ChangeKind::Disable | ChangeKind::Delete => self.fg(AnsiColor::Red),
            ChangeKind::Rotate => self.fg(AnsiColor::Magenta),
        }
    }

    fn sign(&self, sign: Sign) -> Style {
        match sign {
            Sign::Add => self.fg(AnsiColor::Green),
            Sign::Remove => self.fg(AnsiColor::Red),
            Sign::Change => self.fg(AnsiColor::Yellow),
            Sign::Keep => Style::new(),
        }
    }
}

const LEGEND: [(ChangeKind, &str); 5] = [
    (ChangeKind::Create, "create"),
    (ChangeKind::Update, "update in-place"),
    (
        ChangeKind::Disable,
        "disable (the token stays but grants nothing)",
    ),
    (ChangeKind::Delete, "delete"),
    (
        ChangeKind::Rotate,
        "rotate (generate a new password; the old one stops working)",
    ),
];

/// Writes `plan` as text, styled (the writer decides whether styles are kept).
pub(crate) fn render(plan: &Plan, w: &mut dyn Write) -> io::Result<()> {
    let mut w = io::BufWriter::new(w);
    let p = Palette;
    let summary = plan.summary();
    // Sections are separated by one blank line; the first has none before it.
    let mut gap = false;
    let mut section = |w: &mut dyn Write| -> io::Result<()> {
        if std::mem::replace(&mut gap, true) {
            writeln!(w)?;
        }
        Ok(())
    };
    if !plan.is_empty() {
        section(&mut w)?;
        writeln!(
            w,
            "Scopeform compared the configuration with registry {}. Actions are indicated with \
             the following symbols:",
            plan.registry.name
        )?;
        for (kind, meaning) in LEGEND {
            if summary.count(kind) > 0 {
                let s = p.kind(kind);
                writeln!(w, "{s}{:>3}{s:#} {meaning}", kind_marker(kind))?;
            }
        }
        writeln!(w)?;
        // With `plan --base`, what the pull request does comes apart from what drifted.
        let groups: [(&str, Vec<&Change>); 2] =
            if plan.changes.iter().all(|c| c.origin == Origin::Config) {
                [
                    (
                        "Scopeform will perform the following actions:",
                        plan.changes.iter().collect(),
                    ),
                    ("", Vec::new()),
                ]
            } else {
                let (drift, config) = plan.changes.iter().partition(|c| c.origin == Origin::Drift);
                [
                    (
                        "This configuration change will perform the following actions:",
                        config,
                    ),
                    (
                        "The registry has drifted from the base configuration; applying also puts \
                     back:",
                        drift,
                    ),
                ]
            };
        let mut first = true;
        for (title, changes) in groups.iter().filter(|(_, c)| !c.is_empty()) {
            if !std::mem::replace(&mut first, false) {
                writeln!(w)?;
            }
            writeln!(w, "{title}")?;
            for change in changes {
                writeln!(w)?;
                let b = p.bold();
                writeln!(w, "{b}  # {}{b:#}", headline(change))?;
                if change.origin == Origin::Both {
                    writeln!(w, "  # (the registry had also drifted here)")?;
                }
                if let Some(note) = &change.note {
                    writeln!(w, "  # ({})", terminal(note))?;
                }
                for line in block::lines(change) {
                    let indent = " ".repeat(2 + 4 * line.depth);
                    if line.depth == 0 && line.text != "}" {
                        let s = p.kind(change.kind);
                        writeln!(w, "{s}{:>3}{s:#} {}", kind_marker(change.kind), line.text)?;
                    } else {
                        let s = p.sign(line.sign);
                        writeln!(w, "{indent}{s}{}{s:#} {}", line.sign.marker(), line.text)?;
                    }
                }
            }
        }
    }
    if !plan.access_changes.is_empty() {
        section(&mut w)?;
        writeln!(w, "Access changes:")?;
        for access in &plan.access_changes {
            writeln!(w, "  token.{}", access.token)?;
            let (add, remove) = (p.sign(Sign::Add), p.sign(Sign::Remove));
            for action in sorted_strings(&access.gained) {
                writeln!(w, "      {add}+ {action}{add:#}")?;
            }
            for action in sorted_strings(&access.lost) {
                writeln!(w, "      {remove}- {action}{remove:#}")?;
            }
        }
    }
    if let Some(left) = plan.left_alone.as_ref().filter(|l| !l.is_empty()) {
        section(&mut w)?;
        let s = p.fg(AnsiColor::Red);
        writeln!(
            w,
            "{s}Left in the registry:{s:#} no longer in the configuration since the base \
             revision, but not under `removed`, so they keep their access:"
        )?;
        for address in left {
            writeln!(w, "  {address}")?;
        }
        writeln!(w, "Name them under `removed` to delete or disable them.")?;
    }
    if !plan.unmanaged.is_empty() {
        section(&mut w)?;
        writeln!(w, "Not in the configuration and left alone:")?;
        for address in &plan.unmanaged {
            writeln!(w, "  {address}")?;
        }
    }
    if !plan.waiting.is_empty() {
        section(&mut w)?;
        writeln!(
            w,
            "Password slots waiting their turn (the other slot keeps working):"
        )?;
        for waiting in &plan.waiting {
            writeln!(w, "  {}: {}", waiting.address, waiting.reason)?;
        }
    }
    if let Some(to) = &plan.passwords_to {
        section(&mut w)?;
        writeln!(
            w,
            "New passwords go to Key Vault {}:",
            terminal(&to.key_vault)
        )?;
        for secret in &to.secrets {
            writeln!(
                w,
                "  {} -> secret {}",
                secret.address,
                terminal(&secret.secret)
            )?;
        }
    }
    if !plan.warnings.is_empty() {
        section(&mut w)?;
        let s = p.fg(AnsiColor::Yellow);
        for warning in &plan.warnings {
            writeln!(w, "{s}Warning:{s:#} {}", terminal(warning))?;
        }
    }
    section(&mut w)?;
    let b = p.bold();
    if plan.is_empty() {
        writeln!(
            w,
            "{b}No changes.{b:#} The registry matches the configuration."
        )?;
    } else {
        writeln!(w, "{b}{summary}{b:#}")?;
    }
    w.flush()
}
