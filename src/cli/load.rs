//! Loading the configuration for commands that need a valid one: diagnostics go to stderr, and
//! any error stops the command.

use std::io::Write;
use std::path::PathBuf;

use super::git_config::GitPath;
use super::plan::timed;
use super::{Access, CommandError, Context, LiveArgs};
use crate::diagnostic;
use crate::live::LiveBackend;
use crate::model::{BackendLocation, Desired, Live};
use crate::{config, loader};

/// Loads and validates `paths`, printing warnings and errors (and under `--verbose` the time
/// each step took); `Err` when there is an error.
pub(super) fn desired(paths: &[PathBuf], ctx: &Context) -> Result<Desired, CommandError> {
    let loaded = loader::load(paths);
    if ctx.verbose {
        let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0;
        let loader::Timings {
            read,
            parse,
            check,
            resolve,
        } = loaded.timings;
        ctx.progress(&format!(
            "configuration: read {:.1} ms, parse {:.1} ms, check {:.1} ms (each object, beside \
             the parse), resolve {:.1} ms",
            ms(read),
            ms(parse),
            ms(check),
            ms(resolve)
        ));
    }
    checked(loaded, ctx, "the configuration")
}

/// Loads `paths` and reads the registry `live` selects, timing both under `--verbose`.
pub(super) fn desired_and_live(
    paths: &[PathBuf],
    live: &LiveArgs,
    ctx: &Context,
) -> Result<(Desired, Live), CommandError> {
    let (desired, live, _) = desired_live_and_location(paths, live, ctx)?;
    Ok((desired, live))
}

/// `desired_and_live`, and where the registry was read (for a saved plan).
pub(super) fn desired_live_and_location(
    paths: &[PathBuf],
    live: &LiveArgs,
    ctx: &Context,
) -> Result<(Desired, Live, BackendLocation), CommandError> {
    let (desired, backend) = desired_and_backend(paths, live, ctx, Access::Read)?;
    let location = backend.location();
    let state = match backend {
        LiveBackend::Snapshot(snapshot) => snapshot.into_state(),
        arm @ LiveBackend::Arm(_) => timed(ctx, "read live registry", || {
            runtime()?
                .block_on(arm.into_live())
                .map_err(CommandError::from)
        })?,
    };
    Ok((desired, state, location))
}

/// Loads `paths` and opens the registry `live` selects, timing both under `--verbose`.
///
/// A snapshot does not depend on the configuration, so it is parsed on a second thread while
/// the configuration loads: at Premium scale each takes a good part of a second. ARM needs the
/// configuration's coordinates first (and is read by the caller).
pub(super) fn desired_and_backend(
    paths: &[PathBuf],
    live: &LiveArgs,
    ctx: &Context,
    access: Access,
) -> Result<(Desired, LiveBackend), CommandError> {
    if live.state.is_none() {
        let mut desired = timed(ctx, "load and validate", || desired(paths, ctx))?;
        live.override_coordinates(&mut desired);
        let backend = live.backend_as(Some(&desired), ctx, access)?;
        return Ok((desired, backend));
    }
    let (desired, backend) = std::thread::scope(|scope| {
        let backend = scope.spawn(|| {
            timed(ctx, "read live registry", || {
                live.backend_as(None, ctx, access)
            })
        });
        let desired = timed(ctx, "load and validate", || desired(paths, ctx));
        let backend = backend
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (desired, backend)
    });
    // The configuration's problems come first, as they would without the second thread.
    let mut desired = desired?;
    live.override_coordinates(&mut desired);
    Ok((desired, backend?))
}

/// Loads a configuration argument of `diff`: a path, or `git:REV:PATH`; `None` for a
/// `git:REV:PATH` whose path did not exist at the revision (as `plan --base` treats it).
pub(super) fn desired_arg(arg: &str, ctx: &Context) -> Result<Option<Desired>, CommandError> {
    match GitPath::parse(arg) {
        Some(git_path) => {
            let git_path = git_path?;
            if !git_path.existed()? {
                return Ok(None);
            }
            let sources = git_path.sources()?;
            checked(loader::load_sources(sources), ctx, &format!("`{arg}`")).map(Some)
        }
        None => checked(
            loader::load(&[PathBuf::from(arg)]),
            ctx,
            &format!("`{arg}`"),
        )
        .map(Some),
    }
}

/// The configuration that gives `snapshot` and `export` the registry's coordinates: `paths`
/// when given; otherwise the current directory when it holds configuration files and the flags
/// do not already say everything (`--state`, or all three coordinates). `None`: the flags alone.
pub(super) fn coordinates(
    paths: &[PathBuf],
    live: &LiveArgs,
    ctx: &Context,
) -> Result<Option<Desired>, CommandError> {
    let flags_suffice = live.state.is_some()
        || (live.subscription.is_some()
            && live.resource_group.is_some()
            && live.registry.is_some());
    let here = [PathBuf::from(".")];
    let paths = match paths {
        [] if flags_suffice || !config::has_configuration_files(&here[0]) => return Ok(None),
        [] => &here[..],
        paths => paths,
    };
    let mut desired = desired(paths, ctx)?;
    live.override_coordinates(&mut desired);
    Ok(Some(desired))
}

/// Loads `paths` as they were at git revision `rev` (`plan --base`), leaving out those that
/// did not exist then; `None` when none did (the pull request that adds the configuration).
pub(super) fn desired_at(
    rev: &str,
    paths: &[PathBuf],
    ctx: &Context,
) -> Result<Option<Desired>, CommandError> {
    let mut sources = Vec::new();
    let mut existed = false;
    for path in paths {
        let git_path = GitPath {
            rev: rev.to_owned(),
            path: path.clone(),
        };
        if git_path.existed()? {
            existed = true;
            sources.extend(git_path.sources()?);
        }
    }
    if !existed {
        return Ok(None);
    }
    checked(
        loader::load_sources(sources),
        ctx,
        &format!("the configuration at {rev}"),
    )
    .map(Some)
}

/// Prints the diagnostics of `loaded`; its desired state, or `Err` when there is an error.
fn checked(loaded: loader::Loaded, ctx: &Context, what: &str) -> Result<Desired, CommandError> {
    if !loaded.diagnostics.is_empty() {
        let mut rendered = Vec::new();
        diagnostic::render_all(&mut rendered, &loaded.diagnostics)?;
        rendered.push(b'\n');
        ctx.stderr().write_all(&rendered)?;
    }
    let errors = loaded.diagnostics.iter().filter(|d| d.is_error()).count();
    match loaded.desired {
        Some(desired) if errors == 0 => Ok(desired),
        _ => Err(CommandError::config(format!(
            "{what} is invalid ({errors} error{})",
            if errors == 1 { "" } else { "s" }
        ))),
    }
}

/// A runtime for the network work of one command.
pub(super) fn runtime() -> Result<tokio::runtime::Runtime, CommandError> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(|err| CommandError::internal(&err))
}
