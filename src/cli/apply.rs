//! `scopeform apply`: plan (or read a saved plan), ask, then carry the changes out in
//! dependency order with bounded parallelism, saving every new password before reporting it.
//!
//! The secrets file also says which rotations earlier applies started and never saw through.
//! Those that generated a password nobody has are rotated again: the plan made here shows them
//! with the reason, and a saved plan that does not rotate them is refused. Those that never
//! took effect are forgotten.

use std::io::{self, BufRead, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::key_vault::{self, ReadFor};
use super::tally::Tally;
use super::workspace::{self, RegistryRun, Selected, WorkspaceArgs, paths_or_here};
use super::{
    Access, CommandError, Context, KeyVaultArgs, LiveArgs, Outcome, OutputFormat, load, plan::print,
};
use crate::apply::{
    self, ApplyEvent, Job, JobOutcome, KeyVaultSink, SecretsFile, Sinks, Undelivered, WriteFailure,
    WriteTarget,
};
use crate::live::{Backend, LiveBackend, WriteSlot};
use crate::model::{
    BackendLocation, GeneratedPassword, InterruptedRotation, Live, LiveToken, SecretsDestination,
    TokenName, WriteOp,
};
use crate::plan::{self, Address, Plan};

#[derive(Debug, Clone, clap::Args)]
pub(super) struct Args {
    /// Configuration directories and files [default: the current directory, or the workspace
    /// file there].
    paths: Vec<PathBuf>,
    /// With a workspace, registries are applied one at a time, in workspace order; one that
    /// fails does not stop the others, and the summary says which were not applied and why.
    #[command(flatten)]
    workspace: WorkspaceArgs,
    #[command(flatten)]
    live: LiveArgs,
    /// Apply exactly this saved plan (from `plan --out`); refused if the registry changed since.
    /// With a workspace: a directory holding NAME.plan for each registry.
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    plan: Option<PathBuf>,
    /// Apply only this object and what it depends on (repeatable), as Terraform's -target.
    #[arg(long, value_name = "ADDRESS", conflicts_with = "plan")]
    target: Vec<String>,
    /// Don't ask for confirmation (needed when not on a terminal).
    #[arg(long)]
    auto_approve: bool,
    /// How many writes may be in flight at once.
    #[arg(long, value_name = "N", default_value_t = 10, value_parser = clap::value_parser!(u16).range(1..=256))]
    parallelism: u16,
    /// Where generated passwords go (JSON, mode 0600, merged, never overwritten). Required when
    /// the plan rotates a password. Each rotation is recorded there before it is requested:
    /// given the same file, a later apply rotates again any password an interrupted apply
    /// generated and never saved, and says so. One apply at a time: FILE.lock is held. With a
    /// workspace: a directory; each registry's passwords go to NAME.json in it.
    #[arg(long, value_name = "FILE")]
    secrets_out: Option<PathBuf>,
    /// Give this password slot a new password even if it is healthy (repeatable):
    /// `--replace token.NAME.password1`. A saved plan already says what it replaces.
    #[arg(long, value_name = "ADDRESS", conflicts_with = "plan")]
    replace: Vec<Address>,
    #[command(flatten)]
    key_vault: KeyVaultArgs,
}

/// The live backend as the executor's write target; its errors become `WriteFailure`s, which
/// say whether they stop the apply (ARM throttled writes for longer than scopeform waits).
struct Target(LiveBackend);

impl WriteTarget for Target {
    async fn write(
        &self,
        op: &WriteOp,
        slot: &mut WriteSlot,
    ) -> Result<Option<GeneratedPassword>, WriteFailure> {
        Ok(self.0.write(op, slot).await?)
    }

    async fn read_token(&self, name: &TokenName) -> Result<Option<LiveToken>, WriteFailure> {
        Ok(self.0.read_token(name).await?)
    }
}

pub(super) fn run(args: &Args, ctx: &mut Context) -> Result<Outcome, CommandError> {
    // A saved plan names its registry: no workspace is looked for, unless the plan is a
    // directory of them (`plan --workspace --out DIR`).
    if (args.plan.is_none()
        || args.workspace.workspace.is_some()
        || args.plan.as_deref().is_some_and(Path::is_dir))
        && let Some(selected) = args.workspace.select(&args.paths, ctx)?
    {
        return run_workspace(args, &selected, ctx);
    }
    if let Some(dir) = args.plan.as_deref().filter(|p| p.is_dir()) {
        return Err(CommandError::usage(format!(
            "`--plan {}` is a directory: the plans of a workspace, and there is no workspace to \
             say which registries they are for",
            dir.display()
        ))
        .with_hint(
            "pass `--workspace FILE`, or run where scopeform.workspace.yaml is, or name one \
             plan file",
        ));
    }
    let runtime = load::runtime()?;
    // Opened first: the rotations it says earlier applies never saw through shape the plan.
    let mut secrets = args
        .secrets_out
        .as_deref()
        .map(SecretsFile::open_exclusive)
        .transpose()?;
    let interrupted = secrets
        .as_ref()
        .map(SecretsFile::interrupted_rotations)
        .unwrap_or_default();
    let vault: Option<KeyVaultSink>;
    let (plan, backend, live) = match &args.plan {
        Some(path) => {
            let (mut plan, backend, live, destination) = saved_plan(path, args, ctx, &runtime)?;
            // The Key Vault the configuration named when the plan was made, checked before
            // anything changes, as without a saved plan.
            vault =
                args.key_vault
                    .sink_for(destination.as_ref(), &live.registry.name, &args.live)?;
            plan.set_passwords_to(destination.as_ref().filter(|_| vault.is_some()));
            // What is about to happen is shown before it happens, as without a saved plan.
            print(&plan, OutputFormat::Text, ctx)?;
            if let Some(sink) = &vault {
                // Only the slots the plan generates are looked at, so all it finds are rotated
                // by this plan: nothing to say.
                let generated: Vec<_> = plan
                    .generated_passwords()
                    .map(|(token, slot)| (token.clone(), slot))
                    .collect();
                key_vault::undelivered(sink, &generated, &live, &runtime, ReadFor::Apply)?;
            }
            if let Some(file) = secrets.as_mut() {
                let lost = settle_interrupted(file, &interrupted, &live, ctx)?;
                apply::check_saved_plan_rotates(&plan, &lost, file.path()).map_err(|refused| {
                    CommandError::new(refused.to_string()).with_hint(refused.hint())
                })?;
                tell_rotating_again(&lost, ctx)?;
            }
            (plan, backend, live)
        }
        None => {
            let (desired, backend) = load::desired_and_backend(
                &paths_or_here(&args.paths),
                &args.live,
                ctx,
                Access::Write,
            )?;
            plan::check_replace(&desired, &args.replace)
                .map_err(|e| CommandError::usage(e.to_string()))?;
            let live = runtime.block_on(backend.read())?;
            // Key Vault is checked before anything changes, and says which live passwords
            // never reached it: those are rotated again, as lost rotations are.
            vault = args.key_vault.sink(&desired, &args.live)?;
            let undelivered = match &vault {
                Some(sink) => key_vault::undelivered(
                    sink,
                    &desired.managed_password_slots(),
                    &live,
                    &runtime,
                    ReadFor::Apply,
                )?,
                None => Vec::new(),
            };
            let mut interrupted = interrupted.clone();
            interrupted.extend(undelivered.iter().filter_map(Undelivered::as_interrupted));
            let now = super::clock::now(ctx)?;
            let options = plan::Options {
                interrupted: &interrupted,
                replace: &args.replace,
            };
            let plan = plan::diff_with(&desired, &live, now, options)?;
            let mut plan = super::plan::targeted(plan, &args.target, &desired, &live, now)?;
            plan.set_passwords_to(desired.secrets.as_ref().filter(|_| vault.is_some()));
            print(&plan, OutputFormat::Text, ctx)?;
            if let Some(file) = secrets.as_mut() {
                let lost = settle_interrupted(file, &interrupted, &live, ctx)?;
                let rotated: Vec<_> = lost
                    .into_iter()
                    .filter(|r| apply::plan_rotates(&plan, r))
                    .collect();
                tell_rotating_again(&rotated, ctx)?;
            }
            key_vault::tell_redelivering(&plan, &undelivered, ctx)?;
            (plan, backend, live)
        }
    };
    if plan.is_empty() {
        ctx.tally = Some(Tally::new("No changes.", Vec::new()));
        return Ok(Outcome::Success);
    }
    // Checked before anything changes: a new password (a rotation, or a slot created) without
    // a secrets file would be lost.
    let mut sinks = Sinks {
        file: secrets,
        vault,
    };
    apply::check_sinks(&plan, &sinks, args.plan.is_some())
        .map_err(|refused| CommandError::new(refused.to_string()).with_hint(refused.hint()))?;
    if args.plan.is_none() && !args.auto_approve {
        confirm(ctx)?;
    }
    let jobs: Vec<Job> = plan
        .changes
        .iter()
        .map(|c| Job::for_change(c, &live))
        .collect();
    drop(live);
    let stop = Arc::new(AtomicBool::new(false));
    let report = runtime.block_on(async {
        let stop_on_signal = Arc::clone(&stop);
        tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                eprintln!("Interrupted: finishing the writes in flight, starting no new ones.");
                stop_on_signal.store(true, Ordering::SeqCst);
            }
        });
        // Terraform's "Still creating… [10s elapsed]": a long write says it is still going.
        let running: Running = Arc::default();
        let ticker = {
            let running = Arc::clone(&running);
            let mut out = ctx.stdout();
            tokio::spawn(async move {
                let mut every = tokio::time::interval(STILL_RUNNING_EVERY);
                every.tick().await;
                loop {
                    every.tick().await;
                    let lines =
                        still_running(&running.lock().expect("not poisoned"), Instant::now());
                    for line in lines {
                        let _ = writeln!(out, "{line}");
                    }
                }
            })
        };
        let mut stdout = ctx.stdout();
        let report = apply::execute(
            &jobs,
            Arc::new(Target(backend)),
            usize::from(args.parallelism),
            Arc::clone(&stop),
            &mut sinks,
            |event| match event {
                ApplyEvent::Started { job } => {
                    let mut running = running.lock().expect("not poisoned");
                    running.insert(
                        job.address.to_string(),
                        (job.kind.to_string(), Instant::now()),
                    );
                }
                ApplyEvent::Finished {
                    job,
                    outcome,
                    elapsed,
                    done,
                    total,
                } => {
                    running
                        .lock()
                        .expect("not poisoned")
                        .remove(&job.address.to_string());
                    let _ = writeln!(
                        stdout,
                        "[{done}/{total}] {} ({:.2}s)",
                        job_line(job, outcome),
                        elapsed.as_secs_f64()
                    );
                }
            },
        )
        .await;
        ticker.abort();
        report
    });
    let vault_shown = sinks.vault.as_ref().map(|v| v.endpoint().to_owned());
    let outcome = summarize(
        &plan,
        &jobs,
        &report,
        (args.secrets_out.as_ref(), vault_shown.as_deref()),
        ctx,
    )?;
    let s = plan.summary();
    ctx.tally = Some(Tally::new(
        match outcome {
            Outcome::Success => format!(
                "Applied: {} created, {} updated, {} disabled, {} deleted, {} rotated.",
                s.create, s.update, s.disable, s.delete, s.rotate
            ),
            _ => "Partly applied: see its report above.".to_owned(),
        },
        Vec::new(),
    ));
    Ok(outcome)
}

/// `apply --workspace`: each registry applied in turn, as a configuration of its own, its
/// output as it goes; one that fails does not stop the next.
fn run_workspace(
    args: &Args,
    selected: &Selected,
    ctx: &mut Context,
) -> Result<Outcome, CommandError> {
    selected.one_registry_for("--target", !args.target.is_empty())?;
    selected.one_registry_for("--replace", !args.replace.is_empty())?;
    if !args.auto_approve && !Context::interactive() {
        return Err(CommandError::usage(
            "apply needs --auto-approve when it is not run on a terminal",
        ));
    }
    let mut runs = Vec::new();
    for registry in &selected.registries {
        writeln!(ctx.stdout(), "=== registry {} ===", registry.name)?;
        let one = selected.live_for(&args.live, registry).and_then(|live| {
            let mut one = args.clone();
            one.workspace = WorkspaceArgs::default();
            one.paths.clone_from(&registry.paths);
            one.live = live;
            one.secrets_out =
                Selected::file_in(args.secrets_out.as_deref(), registry, "--secrets-out")?;
            one.plan = Selected::plan_file_in(args.plan.as_deref(), registry, "--plan")?;
            Ok(one)
        });
        ctx.tally = None;
        let result = one.and_then(|one| run(&one, ctx));
        if let Err(err) = &result {
            super::exit::print_error(&mut ctx.stderr(), err, Context::styles())?;
        }
        writeln!(ctx.stdout())?;
        runs.push(RegistryRun {
            name: registry.name.to_string(),
            result,
            stdout: Vec::new(),
            stderr: Vec::new(),
            tally: ctx.tally.take(),
        });
    }
    workspace::summarize("apply", selected, &runs, ctx)
}

/// Writes in flight: label → (action, when it started).
type Running = Arc<std::sync::Mutex<std::collections::BTreeMap<String, (String, Instant)>>>;

/// How often writes that are still going say so.
const STILL_RUNNING_EVERY: Duration = Duration::from_secs(10);

/// `token.x: still creating… [10s elapsed]` for each write in flight for a tick or more.
fn still_running(
    running: &std::collections::BTreeMap<String, (String, Instant)>,
    now: Instant,
) -> Vec<String> {
    running
        .iter()
        .filter_map(|(label, (action, started))| {
            let elapsed = now.saturating_duration_since(*started);
            (elapsed >= STILL_RUNNING_EVERY).then(|| {
                let verb = action.strip_suffix('e').unwrap_or(action);
                format!("{label}: still {verb}ing… [{}s elapsed]", elapsed.as_secs())
            })
        })
        .collect()
}

/// `token.x create: done`, `…: FAILED: <ARM's message, escaped>`, `…: CONFLICT, not done: …`.
fn job_line(job: &Job, outcome: &JobOutcome) -> String {
    match outcome {
        JobOutcome::Succeeded => format!("{} {}: done", job.address, job.kind),
        JobOutcome::Failed(err) => {
            format!("{} {}: FAILED: {}", job.address, job.kind, err.terminal())
        }
        JobOutcome::Conflict(err) => format!(
            "{} {}: CONFLICT, not done: {}",
            job.address,
            job.kind,
            err.terminal()
        ),
        JobOutcome::Skipped => format!("{} {}: not started", job.address, job.kind),
    }
}

/// Forgets the interrupted rotations that never took effect (saying so with `--verbose`) and
/// returns the ones that generated a password nobody saved.
fn settle_interrupted(
    file: &mut SecretsFile,
    interrupted: &[InterruptedRotation],
    live: &Live,
    ctx: &Context,
) -> Result<Vec<InterruptedRotation>, CommandError> {
    let settled = apply::settle_interrupted(file, interrupted, live)?;
    if ctx.verbose {
        for r in &settled.forgotten {
            ctx.progress(&format!(
                "The rotation of {} of {} an interrupted apply started at {} never took effect; forgetting it.",
                r.slot,
                r.token,
                plan::timestamp(r.started)
            ));
        }
    }
    Ok(settled.lost)
}

/// Says, in plain words, which passwords are rotated again and why.
fn tell_rotating_again(rotated: &[InterruptedRotation], ctx: &Context) -> Result<(), CommandError> {
    let mut stderr = ctx.stderr();
    for r in rotated {
        writeln!(stderr, "{}; rotating it again.", r.describe_lost())?;
    }
    Ok(())
}

fn saved_plan(
    path: &PathBuf,
    args: &Args,
    ctx: &Context,
    runtime: &tokio::runtime::Runtime,
) -> Result<(Plan, LiveBackend, Live, Option<SecretsDestination>), CommandError> {
    let file = std::fs::File::open(path)
        .map_err(|e| CommandError::new(format!("cannot read plan {}: {e}", path.display())))?;
    let saved = plan::saved::read(&mut io::BufReader::new(file))
        .map_err(|e| CommandError::new(format!("{}: {e}", path.display())))?;
    let registry = &saved.plan.registry;
    let mut live_args = args.live.clone();
    // The plan file's coordinates go into a URL: checked like the configuration's. A snapshot
    // (`--state`) needs none.
    let invalid = |e: &dyn std::fmt::Display| {
        CommandError::new(format!("{}: the plan's registry: {e}", path.display()))
    };
    if live_args.state.is_none() {
        if live_args.subscription.is_none() {
            live_args.subscription = Some(registry.subscription.parse().map_err(|e| invalid(&e))?);
        }
        if live_args.resource_group.is_none() {
            live_args.resource_group =
                Some(registry.resource_group.parse().map_err(|e| invalid(&e))?);
        }
        live_args
            .registry
            .get_or_insert_with(|| registry.name.clone());
    }
    let backend = live_args.backend_as(None, ctx, Access::Write)?;
    check_same_backend(&saved.backend, &backend.location(), path)?;
    let live = runtime.block_on(backend.read())?;
    plan::saved::check_fresh(&saved, &live).map_err(|stale| {
        // Its message says "plan is stale" itself.
        CommandError::from(stale)
            .with_hint("run `scopeform plan --out FILE` again and review the new plan")
    })?;
    Ok((saved.plan, backend, live, saved.secrets))
}

/// A saved plan is carried out where it was made: one made against a snapshot is not applied
/// to the live registry (nor the other way round, nor on another endpoint or file).
fn check_same_backend(
    planned: &BackendLocation,
    here: &BackendLocation,
    plan_path: &Path,
) -> Result<(), CommandError> {
    if planned == here {
        return Ok(());
    }
    let plan = plan_path.display();
    let command = match planned {
        BackendLocation::Snapshot { path } => {
            format!("scopeform apply --plan {plan} --state {}", path.display())
        }
        BackendLocation::Arm { endpoint } => {
            format!("scopeform apply --plan {plan} --arm-endpoint {endpoint}")
        }
    };
    Err(CommandError::new(format!(
        "the plan was made against {planned}, not {here}; nothing was changed"
    ))
    .with_hint(format!("apply it where it was made: `{command}`")))
}

fn confirm(ctx: &Context) -> Result<(), CommandError> {
    if !Context::interactive() {
        return Err(CommandError::usage("apply needs --auto-approve when it is not run on a terminal")
            .with_hint("review the plan with `scopeform plan`, or save it with `plan --out FILE` and run `apply --plan FILE`"));
    }
    let mut stderr = ctx.stderr();
    write!(
        stderr,
        "\nDo you want to perform these actions? Only 'yes' will be accepted: "
    )?;
    stderr.flush()?;
    let mut answer = String::new();
    io::stdin().lock().read_line(&mut answer)?;
    if answer.trim() == "yes" {
        Ok(())
    } else {
        Err(CommandError::new("apply cancelled; nothing was changed"))
    }
}

fn summarize(
    plan: &Plan,
    jobs: &[Job],
    report: &apply::ApplyReport,
    (secrets_path, vault): (Option<&PathBuf>, Option<&str>),
    ctx: &Context,
) -> Result<Outcome, CommandError> {
    let mut out = ctx.stdout();
    writeln!(out)?;
    if report.is_complete() {
        let s = plan.summary();
        writeln!(
            out,
            "Apply complete! {} created, {} updated, {} disabled, {} deleted, {} rotated.",
            s.create, s.update, s.disable, s.delete, s.rotate
        )?;
        if apply::generated_passwords(plan) > 0
            && let Some(path) = secrets_path
        {
            writeln!(
                out,
                "New passwords were written to {} (mode 0600).",
                path.display()
            )?;
        }
        if apply::generated_passwords(plan) > 0
            && let Some(vault) = vault
        {
            writeln!(
                out,
                "New passwords were written to Key Vault {vault}, each as the newest version of its secret."
            )?;
        }
        return Ok(Outcome::Success);
    }
    let conflicts = match report.conflicts() {
        0 => String::new(),
        n => format!(", {n} in conflict"),
    };
    for error in &report.internal_errors {
        let _ = writeln!(ctx.stderr(), "internal error: {error}");
    }
    writeln!(
        out,
        "Apply {}: {} succeeded, {} failed, {} not started{conflicts}.",
        if report.interrupted {
            "interrupted"
        } else if report.stopped.is_some() {
            "stopped"
        } else {
            "failed"
        },
        report.succeeded(),
        report.failed(),
        report.skipped()
    )?;
    if let Some(reason) = &report.stopped {
        writeln!(out, "No further write was started: {}.", reason.terminal())?;
    }
    for (job, outcome) in jobs.iter().zip(&report.outcomes) {
        match outcome {
            JobOutcome::Failed(err) => {
                writeln!(
                    out,
                    "  failed:  {} ({}): {}",
                    job.address,
                    job.kind,
                    err.terminal()
                )?;
            }
            JobOutcome::Conflict(err) => {
                writeln!(
                    out,
                    "  conflict: {} ({}): {}",
                    job.address,
                    job.kind,
                    err.terminal()
                )?;
            }
            JobOutcome::Skipped => {
                writeln!(out, "  not started: {} ({})", job.address, job.kind)?;
            }
            JobOutcome::Succeeded => {}
        }
    }
    if report.conflicts() > 0 {
        writeln!(
            out,
            "The registry changed under this apply (another apply running at the same time?): \
             what is in conflict was left alone. Run `scopeform plan` again to see the registry \
             as it is now."
        )?;
    } else {
        writeln!(
            out,
            "Run `scopeform apply` again to finish: what succeeded will not be repeated."
        )?;
    }
    Ok(Outcome::Failed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_in_flight_for_a_tick_say_they_are_still_going() {
        let start = Instant::now();
        let running = std::collections::BTreeMap::from([
            ("token.ci-push".to_owned(), ("delete".to_owned(), start)),
            (
                "scope_map.readers".to_owned(),
                ("update".to_owned(), start + Duration::from_secs(5)),
            ),
            (
                "token.ci-push.password1".to_owned(),
                ("rotate".to_owned(), start),
            ),
        ]);
        assert_eq!(
            still_running(&running, start + Duration::from_secs(12)),
            [
                "token.ci-push: still deleting… [12s elapsed]",
                "token.ci-push.password1: still rotating… [12s elapsed]"
            ]
        );
        assert!(still_running(&running, start + Duration::from_secs(9)).is_empty());
    }
    use crate::render::untrusted::{HOSTILE, active_parts};

    /// Issue 12.4: ARM's message was printed as sent in the `FAILED:` line.
    #[test]
    fn a_failed_job_line_prints_arms_message_inert() {
        let job = Job {
            address: Address::ScopeMap("ci-pull".parse().expect("name")),
            kind: crate::plan::ChangeKind::Update,
            op: WriteOp::DeleteScopeMap {
                name: "ci-pull".parse().expect("name"),
            },
            depends_on: Vec::new(),
            expect: None,
        };
        let line = job_line(&job, &JobOutcome::Failed(HOSTILE.into()));
        assert!(
            line.starts_with("scope_map.ci-pull update: FAILED: ok\\u{a}```"),
            "{line}"
        );
        assert_eq!(active_parts(&line, false), Vec::<&str>::new(), "{line}");
    }
}
