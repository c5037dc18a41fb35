//! `scopeform fmt [PATH…]`: rewrite configuration files in the canonical layout, or with
//! `--check` only say which would change (for CI), as `terraform fmt` does.

use std::fs;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};

use anstyle::{AnsiColor, Style};
use similar::{ChangeTag, TextDiff};

use super::{CommandError, Context, Outcome};
use crate::config;
use crate::diagnostic::{self, Diagnostic};
use crate::render::untrusted::terminal;

#[derive(Debug, clap::Args)]
#[command(after_help = "\
Examples:
  scopeform fmt                      rewrite the configuration in the current directory
  scopeform fmt acr/ extra.hcl       rewrite these files and directories
  scopeform fmt --check --diff acr/  in CI: fail if a file is not formatted, and show how
  scopeform fmt -r .                 every configuration file under the current directory
  scopeform fmt - < in.yaml          format standard input (YAML; --language hcl for HCL)

The layout: two spaces per level (a key's `-` items one level in), one space after `:` and
`-`, `[a, b]` and `{ k: v }`, `=` aligned in runs of one-line HCL attributes, one blank line
between top-level HCL blocks, at most one blank line in a row, no trailing whitespace, one
final newline. Comments, key order, quoting and values stay as written.")]
pub(super) struct Args {
    /// Configuration directories (every *.yaml, *.yml and *.hcl file in them) and files; `-`
    /// reads standard input and writes the result to standard output.
    #[arg(default_value = ".")]
    paths: Vec<PathBuf>,
    /// Write nothing; list the files that are not formatted, and exit 1 if there are any.
    #[arg(long)]
    check: bool,
    /// Print the changes as a unified diff (with --check too).
    #[arg(long)]
    diff: bool,
    /// Also format the configuration files in subdirectories (not hidden ones, no links).
    #[arg(long, short)]
    recursive: bool,
    /// The language of standard input (`-`).
    #[arg(long, value_enum, default_value_t)]
    language: StdinLanguage,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
enum StdinLanguage {
    #[default]
    Yaml,
    Hcl,
}

pub(super) fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    if args.paths.iter().any(|p| p.as_os_str() == "-") {
        if args.paths.len() > 1 {
            return Err(CommandError::usage(
                "`-` (standard input) cannot be formatted with other paths",
            ));
        }
        return stdin(args, ctx);
    }
    let paths = if args.recursive {
        directories_under(&args.paths)?
    } else {
        args.paths.clone()
    };
    let (files, mut problems) = config::discover(&paths);
    let mut changed = 0;
    for file in files {
        let name = file.name();
        let text = match file.read() {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    problems.push(Diagnostic::error(
                        format!("`{name}` is not UTF-8 text"),
                        None,
                    ));
                    continue;
                }
            },
            Err(err) => {
                problems.push(Diagnostic::error(
                    format!("cannot read `{name}`: {err}"),
                    None,
                ));
                continue;
            }
        };
        let formatted = match crate::fmt::format(&name, &text) {
            Ok(formatted) => formatted,
            Err(mut diagnostics) => {
                problems.append(&mut diagnostics);
                continue;
            }
        };
        if formatted == text {
            continue;
        }
        changed += 1;
        if !args.check
            && let Err(err) = write_atomically(file.target(), &formatted)
        {
            problems.push(Diagnostic::error(
                format!("cannot write `{name}`: {err}"),
                None,
            ));
            continue;
        }
        let mut out = ctx.stdout();
        writeln!(out, "{}", terminal(&name))?;
        if args.diff {
            write_diff(&mut out, &name, &text, &formatted)?;
        }
    }
    if !problems.is_empty() {
        let mut rendered = Vec::new();
        diagnostic::render_all(&mut rendered, &problems)?;
        rendered.push(b'\n');
        ctx.stderr().write_all(&rendered)?;
    }
    if args.check && changed > 0 {
        let files = if changed == 1 { "file is" } else { "files are" };
        writeln!(
            ctx.stderr(),
            "{changed} {files} not formatted; `scopeform fmt` rewrites them"
        )?;
    }
    let failed = problems.iter().any(Diagnostic::is_error) || (args.check && changed > 0);
    Ok(if failed {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

/// `fmt -`: standard input formatted to standard output (with `--check`, only the verdict).
fn stdin(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    let mut text = String::new();
    io::stdin()
        .read_to_string(&mut text)
        .map_err(|err| CommandError::new(format!("cannot read standard input: {err}")))?;
    let name = match args.language {
        StdinLanguage::Yaml => "<stdin>.yaml",
        StdinLanguage::Hcl => "<stdin>.hcl",
    };
    let formatted = match crate::fmt::format(name, &text) {
        Ok(formatted) => formatted,
        Err(diagnostics) => {
            let mut rendered = Vec::new();
            diagnostic::render_all(&mut rendered, &diagnostics)?;
            rendered.push(b'\n');
            ctx.stderr().write_all(&rendered)?;
            return Ok(Outcome::Failed);
        }
    };
    let mut out = ctx.stdout();
    if args.diff && formatted != text {
        write_diff(&mut out, "<stdin>", &text, &formatted)?;
    } else if !args.check {
        // The text itself, as it is: a formatted file is the user's, not a report.
        io::stdout().write_all(formatted.as_bytes())?;
    }
    Ok(if args.check && formatted != text {
        Outcome::Failed
    } else {
        Outcome::Success
    })
}

/// `paths` with every directory under them that holds configuration files, hidden
/// directories and links to directories left out.
fn directories_under(paths: &[PathBuf]) -> Result<Vec<PathBuf>, CommandError> {
    let mut out = Vec::new();
    for path in paths {
        if !path.is_dir() {
            out.push(path.clone());
            continue;
        }
        let mut dirs = vec![path.clone()];
        let mut found = Vec::new();
        while let Some(dir) = dirs.pop() {
            if config::has_configuration_files(&dir) {
                found.push(dir.clone());
            }
            let entries = fs::read_dir(&dir).map_err(|err| {
                CommandError::new(format!("cannot read `{}`: {err}", dir.display()))
            })?;
            for entry in entries.filter_map(Result::ok) {
                let hidden = entry.file_name().to_string_lossy().starts_with('.');
                if !hidden && entry.file_type().is_ok_and(|t| t.is_dir()) {
                    dirs.push(entry.path());
                }
            }
        }
        found.sort();
        if found.is_empty() {
            // Let discovery say that there is nothing to format here.
            found.push(path.clone());
        }
        out.extend(found);
    }
    Ok(out)
}

/// Replaces `path` with `text` at once: a temporary file beside it, with its permissions,
/// written, flushed and renamed over it.
fn write_atomically(path: &Path, text: &str) -> io::Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let permissions = fs::metadata(path)?.permissions();
    let mut temp = tempfile::Builder::new()
        .prefix(".scopeform-fmt")
        .tempfile_in(dir)?;
    temp.write_all(text.as_bytes())?;
    temp.as_file().set_permissions(permissions)?;
    temp.as_file().sync_all()?;
    temp.persist(path).map_err(|err| err.error)?;
    Ok(())
}

/// The change from `old` to `new` as a unified diff, every line of the file escaped.
fn write_diff(out: &mut impl Write, name: &str, old: &str, new: &str) -> io::Result<()> {
    let removed = Style::new().fg_color(Some(AnsiColor::Red.into()));
    let added = Style::new().fg_color(Some(AnsiColor::Green.into()));
    let header = Style::new().bold();
    let hunk_style = Style::new().fg_color(Some(AnsiColor::Cyan.into()));
    writeln!(out, "{header}--- {}{header:#}", terminal(name))?;
    writeln!(out, "{header}+++ {}{header:#}", terminal(name))?;
    let diff = TextDiff::from_lines(old, new);
    for hunk in diff.unified_diff().context_radius(3).iter_hunks() {
        writeln!(out, "{hunk_style}{}{hunk_style:#}", hunk.header())?;
        for change in hunk.iter_changes() {
            let line = change.value();
            let line = line.strip_suffix('\n').unwrap_or(line);
            let line = line.strip_suffix('\r').unwrap_or(line);
            let (sign, style) = match change.tag() {
                ChangeTag::Delete => ('-', removed),
                ChangeTag::Insert => ('+', added),
                ChangeTag::Equal => (' ', Style::new()),
            };
            writeln!(out, "{style}{sign}{}{style:#}", terminal(line))?;
            if change.missing_newline() {
                writeln!(out, "\\ No newline at end of file")?;
            }
        }
    }
    Ok(())
}
