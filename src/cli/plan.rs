//! `scopeform plan`: compare the configuration with the live registry and print the changes.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use chrono::Utc;

use super::key_vault::{self, ReadFor};
use super::tally::Tally;
use super::workspace::{self, JobsArgs, Selected, WorkspaceArgs, paths_or_here};
use super::{CommandError, Context, KeyVaultArgs, LiveArgs, Outcome, OutputFormat, load};
use crate::apply::{SecretsFile, Undelivered};
use crate::plan::{self, Address, Plan, saved::SavedPlan};
use crate::render;

#[derive(Debug, Clone, clap::Args)]
pub(super) struct Args {
    /// Configuration directories and files [default: the current directory, or the workspace
    /// file there].
    paths: Vec<PathBuf>,
    #[command(flatten)]
    workspace: WorkspaceArgs,
    #[command(flatten)]
    jobs: JobsArgs,
    #[command(flatten)]
    live: LiveArgs,
    /// How to print the plan: text, json or markdown (for a PR comment).
    #[arg(long, value_enum, default_value_t)]
    format: OutputFormat,
    /// Exit 2 when there are changes and 0 when there are none (1 stays "error").
    #[arg(long)]
    detailed_exitcode: bool,
    /// Mark each change as coming from the configuration change since git revision REV, from
    /// drift in the registry, or both (the same paths are read as they were at REV; those that
    /// did not exist then are left out, and if none did, every change is the configuration's).
    #[arg(long, value_name = "REV")]
    base: Option<String>,
    /// Plan only this object and what it depends on (repeatable), as Terraform's -target: for
    /// repairs, not routine use. A token's target includes its password slots.
    #[arg(long, value_name = "ADDRESS")]
    pub(super) target: Vec<String>,
    /// Save the plan for `scopeform apply --plan FILE`. With a workspace: a directory that
    /// receives NAME.plan for each registry.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    /// The secrets file `apply --secrets-out` will use (read, never written): a password an
    /// interrupted apply generated and never saved there is planned to be rotated again. With a
    /// workspace: a directory holding NAME.json for each registry.
    #[arg(long, value_name = "FILE")]
    secrets: Option<PathBuf>,
    /// Give this password slot a new password even if it is healthy, as Terraform's
    /// `-replace` does (repeatable): `--replace token.NAME.password1`.
    #[arg(long, value_name = "ADDRESS")]
    replace: Vec<Address>,
    /// Also compare with the configuration's Key Vault (`secrets.key_vault`), as `apply`
    /// does: a live password that is not the newest version delivered for its slot is planned
    /// to be rotated again. Needs `secrets/list` (no values). Use it for a plan saved with
    /// `--out`: `apply --plan` checks only the passwords the plan generates.
    #[arg(long)]
    key_vault: bool,
    #[command(flatten)]
    key_vault_endpoint: KeyVaultArgs,
    /// With a workspace and `--base`: this registry's paths at REV, as the workspace file
    /// listed them then (none: the registry is new).
    #[arg(skip)]
    base_paths: Option<Vec<PathBuf>>,
}

/// Prints `label: N ms` on stderr under `--verbose`, with the process's memory where the
/// system reports it (resident now, and the peak so far).
pub(super) fn timed<T>(ctx: &Context, label: &str, work: impl FnOnce() -> T) -> T {
    let started = Instant::now();
    let result = work();
    if ctx.verbose {
        let elapsed = started.elapsed().as_secs_f64() * 1000.0;
        ctx.progress(&match memory_mb() {
            Some((resident, peak)) => {
                format!("{label}: {elapsed:.1} ms (resident {resident} MB, peak {peak} MB)")
            }
            None => format!("{label}: {elapsed:.1} ms"),
        });
    }
    result
}

/// The process's resident and peak resident memory in MB, from `/proc/self/status` (Linux).
fn memory_mb() -> Option<(u64, u64)> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| {
        let line = status.lines().find(|line| line.starts_with(name))?;
        let kb: u64 = line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()?;
        Some(kb / 1024)
    };
    Some((field("VmRSS:")?, field("VmHWM:")?))
}

pub(super) fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    if let Some(selected) = args.workspace.select(&args.paths, ctx)? {
        return run_workspace(args, &selected, ctx);
    }
    let paths = paths_or_here(&args.paths);
    let (desired, live, location) = load::desired_live_and_location(&paths, &args.live, ctx)?;
    let mut interrupted = match &args.secrets {
        Some(path) => SecretsFile::open(path)?.interrupted_rotations(),
        None => Vec::new(),
    };
    let undelivered = if args.key_vault {
        let sink = key_vault::to_compare_with(&args.key_vault_endpoint, &desired, &args.live)?;
        let slots = desired.managed_password_slots();
        key_vault::undelivered(&sink, &slots, &live, &load::runtime()?, ReadFor::Plan)?
    } else {
        Vec::new()
    };
    interrupted.extend(undelivered.iter().filter_map(Undelivered::as_interrupted));
    plan::check_replace(&desired, &args.replace)?;
    let now = super::clock::now(ctx)?;
    let options = plan::Options {
        interrupted: &interrupted,
        replace: &args.replace,
    };
    let mut plan = timed(ctx, "diff", || {
        plan::diff_with(&desired, &live, now, options)
    })?;
    plan = targeted(plan, &args.target, &desired, &live, now)?;
    if let Some(rev) = &args.base {
        match load::desired_at(rev, args.base_paths.as_deref().unwrap_or(&paths), ctx)? {
            Some(mut base) => {
                args.live.override_coordinates(&mut base);
                // A lost password is the registry's state, not the configuration's change: drift.
                let base_plan = plan::diff_recovering(&base, &live, now, &interrupted)?;
                plan::mark_origins(&mut plan, &base_plan);
                plan.left_alone = Some(plan::left_alone(&base, &desired, &live, &plan));
                plan.warnings.extend(plan::moved_since_base(
                    base.secrets.as_ref(),
                    desired.secrets.as_ref(),
                ));
            }
            // Every change is the configuration's, which is what an unmarked plan says.
            None => writeln!(
                ctx.stderr(),
                "The configuration did not exist at {rev}: every change comes from adding it."
            )?,
        }
    }
    if args.key_vault_endpoint.reaches_a_vault(&args.live) {
        plan.set_passwords_to(desired.secrets.as_ref());
    }
    key_vault::tell_redelivering(&plan, &undelivered, ctx)?;
    timed(ctx, "render", || print(&plan, args.format, ctx))?;
    ctx.tally = Some(tally(&plan));
    if let Some(path) = &args.out {
        let mut bytes = Vec::new();
        let saved = SavedPlan::new(plan.clone(), &live, location, desired.secrets.clone());
        plan::saved::write(&saved, &mut bytes)?;
        crate::live::write_atomically(path, &bytes)?;
        writeln!(
            ctx.stderr(),
            "Saved the plan to {}; apply it with `scopeform apply --plan {}`.",
            path.display(),
            path.display()
        )?;
    }
    Ok(if args.detailed_exitcode && !plan.is_empty() {
        Outcome::Changes
    } else {
        Outcome::Success
    })
}

/// `plan --workspace`: each registry planned as a configuration of its own, `--jobs` at once.
fn run_workspace(args: &Args, selected: &Selected, ctx: &Context) -> Result<Outcome, CommandError> {
    selected.one_registry_for("--target", !args.target.is_empty())?;
    selected.one_registry_for("--replace", !args.replace.is_empty())?;
    let base_paths = match &args.base {
        Some(rev) => Some(workspace::paths_at(rev, &selected.workspace, ctx)?),
        None => None,
    };
    let runs = workspace::run_each(
        selected,
        args.jobs.count(),
        ctx,
        |registry| {
            let mut one = args.clone();
            one.workspace = WorkspaceArgs::default();
            one.paths.clone_from(&registry.paths);
            one.live = selected.live_for(&args.live, registry)?;
            one.secrets = Selected::file_in(args.secrets.as_deref(), registry, "--secrets")?;
            one.out = Selected::plan_file_in(args.out.as_deref(), registry, "--out")?;
            one.base_paths = base_paths
                .as_ref()
                .map(|at| at.get(registry.name.as_str()).cloned().unwrap_or_default());
            Ok(one)
        },
        run,
    );
    workspace::report("plan", selected, &runs, args.format.into(), ctx)
}

/// The plan's summary line and counts, for a workspace's summary.
pub(super) fn tally(plan: &Plan) -> Tally {
    let s = plan.summary();
    let line = if plan.is_empty() {
        "No changes.".to_owned()
    } else {
        s.to_string()
    };
    Tally::new(
        line,
        vec![
            ("to create", s.create),
            ("to update", s.update),
            ("to disable", s.disable),
            ("to delete", s.delete),
            ("to rotate", s.rotate),
        ],
    )
}

/// `plan` narrowed to `--target` addresses (unchanged without any); an address that names no
/// object is a usage error with the nearest one.
pub(super) fn targeted(
    plan: Plan,
    targets: &[String],
    desired: &crate::model::Desired,
    live: &crate::model::Live,
    now: chrono::DateTime<Utc>,
) -> Result<Plan, CommandError> {
    use plan::target::{parse_targets, restrict};
    let addresses = parse_targets(targets, desired, live)?;
    Ok(restrict(plan, &addresses, desired, live, now)?)
}

/// Writes a plan to stdout in `format`.
pub(super) fn print(plan: &Plan, format: OutputFormat, ctx: &Context) -> Result<(), CommandError> {
    let mut out = std::io::BufWriter::new(ctx.stdout());
    match format {
        OutputFormat::Text => render::plan::text::render(plan, &mut out)?,
        OutputFormat::Markdown => render::plan::markdown::render(plan, &mut out)?,
        OutputFormat::Json => render::plan::json::render(plan, &mut out)?,
    }
    out.flush()?;
    Ok(())
}
