//! `--workspace FILE`: one command over several registries' configurations.
//!
//! Each registry is a full, independent run of the single-registry command (its own
//! configuration, its own registry, lock and snapshot), with its output captured; the runs go
//! `--jobs` at a time, so memory grows with the concurrency, not with the number of
//! registries, and their reports are printed in workspace order, then one summary line per
//! registry and a total (see `report`). The exit status is the most severe of the runs'.

mod pin;
mod report;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use super::common::Captured;
use super::exit::ErrorKind;
use super::git_config::GitPath;
use super::tally::Tally;
use super::{CommandError, Context, LiveArgs, Outcome};
use crate::config::workspace::WORKSPACE_FILE_NAMES;
use crate::config::{Workspace, WorkspaceRegistry, load_workspace};
use crate::diagnostic;

pub(crate) use pin::Pin;
pub(super) use report::{ReportFormat, report, summarize};

/// The flags that choose a workspace and its registries.
#[derive(Debug, Clone, Default, clap::Args)]
pub(super) struct WorkspaceArgs {
    /// Run on every registry of this workspace file (`registries: {NAME: [PATH, …]}`), giving
    /// one combined report and exit status. Without PATH and without this flag, a
    /// scopeform.workspace.yaml (or .yml, .hcl) in the current directory is used; an explicit
    /// PATH always means a single configuration.
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    pub workspace: Option<PathBuf>,
    /// With a workspace: only these registries (repeatable, or comma separated).
    #[arg(long, value_name = "NAME", value_delimiter = ',')]
    pub only: Vec<String>,
    /// With a workspace: registry NAME is this one, whatever its configuration says
    /// (repeatable; `NAME=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY`). Once one is given, every
    /// registry the run reads must be pinned, so a pull request can neither move a registry
    /// nor add one.
    #[arg(long, value_name = "NAME=SUB/RG/REGISTRY")]
    pub pin: Vec<Pin>,
}

/// `--jobs`, for the commands that run a workspace's registries side by side.
#[derive(Debug, Clone, Default, clap::Args)]
pub(super) struct JobsArgs {
    /// With a workspace: how many registries are read and planned at once (default: the
    /// number of CPUs). Peak memory grows with this number, not with the number of registries.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    pub jobs: Option<u16>,
}

impl JobsArgs {
    pub(super) fn count(&self) -> usize {
        self.jobs.map_or_else(
            || std::thread::available_parallelism().map_or(1, std::num::NonZero::get),
            usize::from,
        )
    }
}

/// The configuration paths a command reads when it is given none: the current directory.
pub(super) fn paths_or_here(paths: &[PathBuf]) -> Vec<PathBuf> {
    if paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        paths.to_vec()
    }
}

/// A workspace, the registries chosen from it, and where `--pin` holds them.
#[derive(Debug)]
pub(super) struct Selected {
    pub workspace: Workspace,
    pub registries: Vec<WorkspaceRegistry>,
    pub pins: Vec<Pin>,
}

impl WorkspaceArgs {
    /// The workspace these flags select: `--workspace FILE`; else, when no PATH is given, a
    /// workspace file in the current directory; `None` for a single configuration. The file's
    /// problems are printed on stderr.
    pub(super) fn select(
        &self,
        paths: &[PathBuf],
        ctx: &Context,
    ) -> Result<Option<Selected>, CommandError> {
        let found = match (&self.workspace, paths) {
            (Some(file), _) => Some(file.clone()),
            (None, []) => found_here()?,
            (None, _) => None,
        };
        let Some(file) = found else {
            if !self.only.is_empty() {
                return Err(only_without_workspace());
            }
            if !self.pin.is_empty() {
                return Err(CommandError::usage(
                    "`--pin` pins a workspace's registries, and there is no workspace",
                )
                .with_hint(
                    "pin a single configuration's registry with `--subscription`, \
                     `--resource-group` and `--registry`",
                ));
            }
            return Ok(None);
        };
        let workspace = load_workspace(&file).map_err(|diagnostics| {
            let printed = print_diagnostics(&diagnostics, ctx);
            printed.err().unwrap_or_else(|| {
                let errors = diagnostics.iter().filter(|d| d.is_error()).count();
                CommandError::new(format!(
                    "the workspace file {} is invalid ({errors} error{})",
                    file.display(),
                    if errors == 1 { "" } else { "s" }
                ))
            })
        })?;
        let registries = self.chosen(&workspace)?;
        self.check_pins(&workspace, &registries)?;
        Ok(Some(Selected {
            workspace,
            registries,
            pins: self.pin.clone(),
        }))
    }

    /// Each `--pin` names a registry of the workspace, once; and once one is given, every
    /// chosen registry has one.
    fn check_pins(
        &self,
        workspace: &Workspace,
        chosen: &[WorkspaceRegistry],
    ) -> Result<(), CommandError> {
        if self.pin.is_empty() {
            return Ok(());
        }
        for (i, pin) in self.pin.iter().enumerate() {
            let name = pin.name.as_str();
            if !workspace.registries.iter().any(|r| r.name == pin.name) {
                return Err(no_such_registry(
                    &format!("--pin {name}=…"),
                    name,
                    workspace,
                ));
            }
            if self.pin[..i].iter().any(|earlier| earlier.name == pin.name) {
                return Err(CommandError::usage(format!(
                    "`--pin {name}=…` is given twice"
                )));
            }
        }
        if let Some(unpinned) = chosen
            .iter()
            .find(|r| !self.pin.iter().any(|pin| pin.name == r.name))
        {
            let name = unpinned.name.as_str();
            return Err(CommandError::usage(format!(
                "registry `{name}` of the workspace has no `--pin`; with `--pin`, every registry \
                 a run reads must be pinned"
            ))
            .with_hint(format!(
                "add `--pin {name}=SUBSCRIPTION/RESOURCE_GROUP/REGISTRY`, or leave it out with \
                 `--only`"
            )));
        }
        Ok(())
    }

    /// The registries `--only` names, in workspace order; all of them without it.
    fn chosen(&self, workspace: &Workspace) -> Result<Vec<WorkspaceRegistry>, CommandError> {
        let names: Vec<&str> = workspace
            .registries
            .iter()
            .map(|r| r.name.as_str())
            .collect();
        if let Some(unknown) = self.only.iter().find(|n| !names.contains(&n.as_str())) {
            return Err(no_such_registry(
                &format!("--only {unknown}"),
                unknown,
                workspace,
            ));
        }
        Ok(workspace
            .registries
            .iter()
            .filter(|r| self.only.is_empty() || self.only.iter().any(|n| n == r.name.as_str()))
            .cloned()
            .collect())
    }
}

/// `flag` names `name`, which `workspace` lacks: a usage error listing what it has.
fn no_such_registry(flag: &str, name: &str, workspace: &Workspace) -> CommandError {
    let names: Vec<&str> = workspace
        .registries
        .iter()
        .map(|r| r.name.as_str())
        .collect();
    let err = CommandError::usage(format!(
        "`{flag}`: the workspace {} has no registry `{name}`; it has {}",
        workspace.file.display(),
        names.join(", ")
    ));
    match diagnostic::did_you_mean(name, names.iter().copied()) {
        Some(hint) => err.with_hint(hint),
        None => err,
    }
}

fn only_without_workspace() -> CommandError {
    CommandError::usage("`--only` chooses registries of a workspace, and there is none").with_hint(
        "pass `--workspace FILE`, or run where scopeform.workspace.yaml is, without PATH",
    )
}

/// The workspace file in the current directory, if there is one; two are a usage error.
fn found_here() -> Result<Option<PathBuf>, CommandError> {
    let found: Vec<PathBuf> = WORKSPACE_FILE_NAMES
        .iter()
        .map(PathBuf::from)
        .filter(|p| std::fs::symlink_metadata(p).is_ok())
        .collect();
    match found.as_slice() {
        [] => Ok(None),
        [one] => Ok(Some(one.clone())),
        [first, second, ..] => Err(CommandError::usage(format!(
            "two workspace files here, {} and {}; pass `--workspace FILE` to choose",
            first.display(),
            second.display()
        ))),
    }
}

fn print_diagnostics(
    diagnostics: &[diagnostic::Diagnostic],
    ctx: &Context,
) -> Result<(), CommandError> {
    let mut rendered = Vec::new();
    diagnostic::render_all(&mut rendered, diagnostics)?;
    rendered.push(b'\n');
    ctx.stderr().write_all(&rendered)?;
    Ok(())
}

impl Selected {
    /// `--state`, `--secrets-out` and `--secrets` name one file each; with a workspace they
    /// name a directory that holds `NAME.json` for each registry.
    pub(super) fn file_in(
        dir: Option<&Path>,
        registry: &WorkspaceRegistry,
        flag: &str,
    ) -> Result<Option<PathBuf>, CommandError> {
        Self::file_with(dir, registry, flag, "json")
    }

    /// `plan --out` and `apply --plan`: with a workspace, a directory holding `NAME.plan`.
    pub(super) fn plan_file_in(
        dir: Option<&Path>,
        registry: &WorkspaceRegistry,
        flag: &str,
    ) -> Result<Option<PathBuf>, CommandError> {
        Self::file_with(dir, registry, flag, "plan")
    }

    fn file_with(
        dir: Option<&Path>,
        registry: &WorkspaceRegistry,
        flag: &str,
        extension: &str,
    ) -> Result<Option<PathBuf>, CommandError> {
        let Some(dir) = dir else {
            return Ok(None);
        };
        if !dir.is_dir() {
            return Err(CommandError::usage(format!(
                "with a workspace, `{flag}` names a directory holding NAME.{extension} for each registry; {} is not a directory",
                dir.display()
            )));
        }
        Ok(Some(dir.join(format!("{}.{extension}", registry.name))))
    }

    /// The live flags for `registry`: `--state DIR` as `DIR/NAME.json`, and its `--pin` as
    /// the coordinates that override its configuration's; coordinate flags would send every
    /// registry's plan to one registry, and are refused.
    pub(super) fn live_for(
        &self,
        live: &LiveArgs,
        registry: &WorkspaceRegistry,
    ) -> Result<LiveArgs, CommandError> {
        if live.subscription.is_some() || live.resource_group.is_some() || live.registry.is_some() {
            return Err(CommandError::usage(
                "`--subscription`, `--resource-group` and `--registry` name one registry; with a workspace each registry's configuration names its own",
            )
            .with_hint("use `--only NAME` and the configuration, or run without `--workspace`"));
        }
        let mut live = live.clone();
        live.state = Self::file_in(live.state.as_deref(), registry, "--state")?;
        if let Some(pin) = self.pins.iter().find(|pin| pin.name == registry.name) {
            let pinned = pin.registry.clone();
            live.subscription = Some(pinned.subscription);
            live.resource_group = Some(pinned.resource_group);
            live.registry = Some(pinned.name);
        }
        Ok(live)
    }

    /// A flag that names objects of one registry (`--target`, `--replace`) needs exactly one
    /// registry chosen.
    pub(super) fn one_registry_for(&self, flag: &str, given: bool) -> Result<(), CommandError> {
        if given && self.registries.len() != 1 {
            return Err(CommandError::usage(format!(
                "`{flag}` names objects of one registry; choose it with `--only NAME`"
            )));
        }
        Ok(())
    }
}

/// Each registry's paths as the workspace file listed them at git revision `rev` (`plan
/// --base`): a registry the file did not list then (or a file that did not exist) is new, and
/// every change in it is the configuration's.
pub(super) fn paths_at(
    rev: &str,
    workspace: &Workspace,
    ctx: &Context,
) -> Result<std::collections::BTreeMap<String, Vec<PathBuf>>, CommandError> {
    let file = GitPath {
        rev: rev.to_owned(),
        path: workspace.file.clone(),
    };
    if !file.existed()? {
        return Ok(std::collections::BTreeMap::new());
    }
    let dir = workspace
        .file
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut registries = std::collections::BTreeMap::new();
    for (name, text) in file.sources()? {
        let source = crate::diagnostic::SourceFile::new(name, text);
        let listed = crate::config::workspace::parse(&source, dir).map_err(|diagnostics| {
            print_diagnostics(&diagnostics, ctx)
                .err()
                .unwrap_or_else(|| {
                    CommandError::new(format!("the workspace file at {rev} is invalid"))
                })
        })?;
        for registry in listed {
            registries.insert(registry.name.to_string(), registry.paths);
        }
    }
    Ok(registries)
}

/// One registry's run: how it ended, what it printed, and its one-line result.
#[derive(Debug)]
pub(super) struct RegistryRun {
    pub name: String,
    pub result: Result<Outcome, CommandError>,
    pub stdout: Vec<u8>,
    pub stderr: Vec<u8>,
    pub tally: Option<Tally>,
}

impl RegistryRun {
    /// The error that stopped this run, with its causes, as one line (`message: cause`).
    pub(super) fn error(&self) -> Option<String> {
        let err = self.result.as_ref().err()?;
        let mut text = err.message.clone();
        for cause in &err.causes {
            text.push_str(": ");
            text.push_str(cause);
        }
        Some(text)
    }

    /// The exit status this run alone would have had.
    pub(super) fn exit_code(&self) -> u8 {
        match &self.result {
            Ok(Outcome::Success) => 0,
            Ok(Outcome::Changes) => 2,
            Err(err) => match err.kind {
                ErrorKind::Usage => super::exit::USAGE,
                ErrorKind::BrokenPipe => 0,
                ErrorKind::User | ErrorKind::Config | ErrorKind::Internal => 1,
            },
            Ok(Outcome::Failed) => 1,
        }
    }
}

/// Runs `command` for each chosen registry, `jobs` at a time, each with the arguments
/// `for_registry` makes and its output captured; the runs in workspace order.
pub(super) fn run_each<A: Sync + Send>(
    selected: &Selected,
    jobs: usize,
    ctx: &Context,
    for_registry: impl Fn(&WorkspaceRegistry) -> Result<A, CommandError> + Sync,
    command: fn(&A, &mut Context) -> Result<Outcome, CommandError>,
) -> Vec<RegistryRun> {
    let registries = &selected.registries;
    let next = AtomicUsize::new(0);
    let runs: Mutex<Vec<Option<RegistryRun>>> =
        Mutex::new(registries.iter().map(|_| None).collect());
    let one = |registry: &WorkspaceRegistry| {
        let capture = Arc::new(Captured::default());
        let mut registry_ctx = ctx.captured(Arc::clone(&capture), registry.name.as_str());
        let result = for_registry(registry).and_then(|args| command(&args, &mut registry_ctx));
        let tally = registry_ctx.tally.take();
        drop(registry_ctx);
        let take = |buffer: &Mutex<Vec<u8>>| {
            std::mem::take(
                &mut *buffer
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner),
            )
        };
        RegistryRun {
            name: registry.name.to_string(),
            result,
            stdout: take(&capture.stdout),
            stderr: take(&capture.stderr),
            tally,
        }
    };
    std::thread::scope(|scope| {
        for _ in 0..jobs.clamp(1, registries.len().max(1)) {
            scope.spawn(|| {
                loop {
                    let index = next.fetch_add(1, Ordering::SeqCst);
                    let Some(registry) = registries.get(index) else {
                        break;
                    };
                    let run = one(registry);
                    runs.lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)[index] = Some(run);
                }
            });
        }
    });
    runs.into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .into_iter()
        .flatten()
        .collect()
}
