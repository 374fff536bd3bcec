//! `release run`: a pipeline run by release-core's engine, with a shell
//! executor, a journal file synced per event, resume and dry run.
//!
//! The engine decides everything (what is ready, what a failure blocks,
//! what resuming means, how many steps run at once); this module starts
//! processes, writes the journal and presents progress. The core's
//! `Driver::drive_concurrent` runs up to `--parallel` steps at once with the
//! shell executor and shows each event to the `Recorder`, which appends it
//! to the journal and syncs the file before the run goes on. A step's
//! `started` carries the pid and start time of its command, which the
//! executor (`crate::executor`) starts on the driver's thread just before
//! the event is synced; a resume refuses while such a process still runs.
//! SIGTERM and SIGINT stop the run: see `crate::executor`. A dry run is the
//! same driver's deterministic simulation on a virtual clock.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, Utc};
use release_core::duration::Span;
use release_core::gate::Facts;
use release_core::pipeline::{Pipeline, StepId, StepKind};
use release_core::process::Process;
use release_core::run::journal::RecordedBy;
use release_core::run::{
    Blocked, Driver, DryRunExecutor, Event, EventKind, Observer, Planned, ReleaseContext, Run,
    RunStatus, TaskProcess, TaskSnapshot, TaskState, VirtualClock,
};
use serde::Serialize;

use super::Status;
use crate::args::parse_now;
use crate::clock;
use crate::executor::{self, ShellExecutor, Stopped, Stopper};
use crate::file_edits::Editor;
use crate::journal_file::{self, JournalFile};
use crate::output::Out;
use clap::Args;
use release_core::identity::Identity;
use std::path::PathBuf;

/// Arguments of `release run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// A TOML pipeline file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The journal file (JSON lines, one event a line, synced per event).
    /// Without it the run is not recorded and cannot be resumed.
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    /// Continue the run recorded in --journal: succeeded steps never run
    /// again; steps started but never finished are run again. A missing or
    /// empty journal starts a new run.
    #[arg(long, requires = "journal")]
    pub resume: bool,
    /// With --resume: give the steps that failed for good a new round of
    /// attempts (after fixing the cause); the steps their failure blocked
    /// then run too. Recorded as `retried` events in the journal.
    #[arg(long, requires = "resume")]
    pub retry_failed: bool,
    /// Execute nothing: show what would run and when, on a virtual clock
    /// where each step takes its estimated maximum. The journal (with
    /// --resume) is read, never written.
    #[arg(long)]
    pub dry_run: bool,
    /// How many steps may run at once.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub parallel: u64,
    /// Fix the clock at this instant (RFC 3339): every event gets this
    /// time and wait steps never end. For reproducible output.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<DateTime<Utc>>,
    /// How long a step has to end after SIGTERM, when the run is stopped
    /// (SIGTERM or SIGINT to `release run`) or the step's timeout is up,
    /// before its process group gets SIGKILL.
    #[arg(long, value_name = "SPAN", default_value_t = executor::DEFAULT_GRACE)]
    pub grace: Span,
    /// Who requests this release (a login: `alice`). Required to start a
    /// run of a process with an approvals gate or a manual step; recorded
    /// as the run's first event, it cannot change, and that person may not
    /// approve the release's gates or manual steps nor waive its gates.
    #[arg(long, value_name = "ID", value_parser = crate::args::parse_identity)]
    pub requested_by: Option<Identity>,
    #[command(flatten)]
    pub release_state: crate::state_file::ReleaseStateArgs,
    /// A file of existing tags, one `COMPONENT TAG` a line: the plan's
    /// next versions and tags, which steps read as `{tag}`,
    /// `{component.NAME.tag}` and `RELEASE_TAG`, ... (see the README).
    #[arg(long, value_name = "PATH")]
    pub tags: Option<PathBuf>,
    /// An existing tag of a component (repeatable).
    #[arg(long, value_name = "COMPONENT=TAG")]
    pub tag: Vec<String>,
    /// The `[[releases]]` entry released (the default release when absent).
    #[arg(long, value_name = "NAME")]
    pub release: Option<String>,
}

/// Runs `release run`.
///
/// # Errors
///
/// An invalid pipeline file, an unreadable or undecodable journal, a
/// journal that already holds a run (without `--resume`), or a failure to
/// write the journal.
pub fn run(args: RunArgs, out: &mut Out) -> Result<Status> {
    let process = crate::process_file::load(&args.file)?;
    let pipeline = process.pipeline().clone();
    for node in pipeline.nodes() {
        executor::step_env(node.step()).with_context(|| {
            format!(
                "invalid pipeline {}: step {:?}",
                args.file.display(),
                node.step().id
            )
        })?;
    }
    let limit = usize::try_from(args.parallel).unwrap_or(usize::MAX);
    let start = clock::now_or(args.now);
    if let Some(path) = &args.journal {
        regular_or_missing(path)?;
    }
    // One `release run` per journal: the run lock is held until the
    // command ends, and a second run refuses at once, naming this one.
    let writing = args.journal.as_deref().filter(|_| !args.dry_run);
    let _run_lock = writing
        .map(|path| journal_file::RunLock::acquire(path, start))
        .transpose()?;
    let mut file = writing
        .map(|path| JournalFile::open(path, RecordedBy::new("run", None)))
        .transpose()?;
    let (mut run, replayed) = match open_run(&process, &args, start, file.as_mut(), out) {
        Err(e) if e.downcast_ref::<StillRunning>().is_some() => {
            out.note(format_args!("error: {e}"));
            return Ok(Status::Blocked);
        }
        opened => opened?,
    };
    requester(&mut run, &args, start)?;
    run.set_context(context(&process, &args, start)?);
    let mut recorder = Recorder::new(&run, replayed, file);
    recorder.catch_up(&run, out)?;
    recorder.settled()?;

    let release_state =
        crate::state_file::before_run(&args.release_state, &process, &args.file, start, out)?;
    let driver = Driver::parallel(limit);
    let editor = Editor::new(&process, &args.file);
    // A dry run's edits: each file as the edits before left it, and what
    // each step's edits would change.
    let mut overlay: HashMap<PathBuf, String> = HashMap::new();
    let mut edits: Vec<EditDiff> = Vec::new();
    let (report, planned) = if args.dry_run {
        let mut observer = Observing {
            process: &process,
            dry_run: true,
            recorder: &mut recorder,
            out: &mut *out,
            record: |event: &Event, run: &Run, recorder: &mut Recorder, out: &mut Out| {
                if let EventKind::Started { task, .. } = &event.kind
                    && let Some(id) = run.pipeline().find(task)
                {
                    dry_edits(&editor, &run.task(id), &mut overlay, &mut edits);
                }
                recorder.event(event, run, out)
            },
        };
        let mut dry = DryRunExecutor::with_estimates();
        let mut virtual_clock = VirtualClock::new(start);
        let mut report =
            driver.drive_observed(&mut run, &mut dry, &mut virtual_clock, &mut observer)?;
        // Approvals and gates are assumed to pass, so that the dry run
        // shows every command the release runs; each assumption is shown.
        let by = Identity::new("dry-run")?;
        loop {
            let assumed = release_core::run::dry_run_inputs(&run, &by, report.finished_at);
            if assumed.is_empty() {
                break;
            }
            let mut applied = 0;
            for event in assumed {
                let from = run.journal().len();
                match process.apply(&mut run, event) {
                    Ok(()) => applied += 1,
                    // An assumption the run refuses (an approval by the
                    // requester's own name) is not made.
                    Err(e) if e.is_refused() => continue,
                    Err(e) => return Err(e.into()),
                }
                for event in &run.journal()[from..] {
                    observer.event(event, &run)?;
                }
            }
            if applied == 0 {
                break;
            }
            report =
                driver.drive_observed(&mut run, &mut dry, &mut virtual_clock, &mut observer)?;
        }
        (report, dry.planned().to_vec())
    } else {
        let stopper = Stopper::install().context("cannot catch SIGTERM and SIGINT")?;
        let mut clock = clock::run_clock(args.now, Some(Arc::clone(&stopper)));
        let executor = ShellExecutor::from_environment(args.grace, Arc::clone(&stopper))
            .with_editor(editor.clone());
        let pipeline = Arc::clone(&pipeline);
        let record =
            |event: &Event, run: &Run, recorder: &mut Recorder, out: &mut Out| -> Result<()> {
                let signal = stopper.signal();
                let process = match &event.kind {
                    // Nothing starts once the run is asked to stop; the event
                    // is not recorded, so the step never started.
                    EventKind::Started { .. } if signal.is_some() => {
                        return Err(Stopped(signal.unwrap_or_default()).into());
                    }
                    EventKind::Started { task, .. } => {
                        let id = pipeline.lookup(task)?;
                        executor.launch(&run.task(id))
                    }
                    // A command the stop ended has no outcome of its own: it is
                    // recorded as interrupted below.
                    EventKind::Failed { task, .. } if executor.was_stopped(task) => {
                        return Err(Stopped(signal.unwrap_or_default()).into());
                    }
                    _ => None,
                };
                match (process, &event.kind) {
                    (Some(process), EventKind::Started { task, .. }) => {
                        recorder.event(&with_process(event, process), run, out)?;
                        // On disk: the command may run.
                        executor.open_gate(task);
                        Ok(())
                    }
                    // No command runs (a step that only edits files, or
                    // one that could not start): its edits, if any, are
                    // written once its `started` is on disk.
                    (None, EventKind::Started { task, .. }) => {
                        recorder.event(event, run, out)?;
                        executor.open_gate(task);
                        Ok(())
                    }
                    _ => recorder.event(event, run, out),
                }
            };
        let mut observer = Observing {
            process: &process,
            dry_run: false,
            recorder: &mut recorder,
            out: &mut *out,
            record,
        };
        let drove = driver.drive_concurrent(&mut run, &executor, clock.as_mut(), &mut observer);
        if let Some(signal) = stopper.signal() {
            return stopped(&pipeline, &run, &mut recorder, signal, &args, out);
        }
        (drove?, Vec::new())
    };
    summary(&run, &args, report.wakeup, &planned, &edits, out)?;
    let done = (
        run.status() == RunStatus::Succeeded,
        clock::now_or(args.now),
    );
    crate::state_file::after_run(release_state, done, args.dry_run, out)?;
    Ok(match run.status() {
        RunStatus::Succeeded => Status::Done,
        _ => Status::Blocked,
    })
}

/// `event` (a `started`) with the process its command runs in.
fn with_process(event: &Event, process: TaskProcess) -> Event {
    let mut event = event.clone();
    if let EventKind::Started { process: p, .. } = &mut event.kind {
        *p = Some(process);
    }
    event
}

/// After SIGTERM or SIGINT: the run as recorded (events the stop refused
/// are dropped), each step still running — its command ended by the
/// executor — recorded as interrupted, so that `--resume` runs it again;
/// exit 1.
fn stopped(
    pipeline: &Arc<Pipeline>,
    run: &Run,
    recorder: &mut Recorder,
    signal: i32,
    args: &RunArgs,
    out: &mut Out,
) -> Result<Status> {
    let recorded = run.journal()[..recorder.seen].to_vec();
    let mut run = Run::replay(Arc::clone(pipeline), recorded)?;
    let now = clock::now_or(args.now);
    let running: Vec<String> = pipeline
        .nodes()
        .filter(|n| n.kind() != StepKind::Wait && run.state(n.step_id()) == TaskState::Running)
        .map(|n| n.id().to_owned())
        .collect();
    for task in &running {
        let from = run.journal().len();
        run.apply(Event::new(
            now,
            EventKind::Interrupted { task: task.clone() },
        ))?;
        for event in &run.journal()[from..] {
            recorder.event(event, &run, out)?;
        }
    }
    let signal = executor::signal_name(signal);
    if running.is_empty() {
        out.note(format_args!("stopped by {signal}; no step was running"));
    } else {
        out.note(format_args!(
            "stopped by {signal}: {} running step(s) ended and recorded as interrupted; `release run --resume` runs them again",
            running.len()
        ));
    }
    summary(&run, args, None, &[], &[], out)?;
    // A signal that came as the last step finished stopped nothing.
    Ok(match run.status() {
        RunStatus::Succeeded => Status::Done,
        _ => Status::Blocked,
    })
}

/// How long a resume waits for a previous step process that is still
/// there to end by itself (one just killed with its `release` may take a
/// moment to go) before refusing.
const STILL_RUNNING_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

/// A resume refused because a step's previous process still runs: exit 1
/// (a refusal, not bad input: resuming later, once it ended, works).
#[derive(Debug)]
struct StillRunning(String);

impl std::fmt::Display for StillRunning {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for StillRunning {}

/// Refuses to resume while the process of a step started and never
/// finished (its recorded pid and start time) still runs: starting the step
/// again would run it twice at once.
fn refuse_if_still_running(events: &[Event], path: &Path) -> Result<()> {
    let mut open: BTreeMap<&str, Option<TaskProcess>> = BTreeMap::new();
    for event in events {
        match &event.kind {
            EventKind::Started { task, process } => {
                open.insert(task, *process);
            }
            kind => {
                if let Some(task) = kind.task() {
                    open.remove(task);
                }
            }
        }
    }
    for (task, process) in open {
        let Some(process) = process else { continue };
        if let Some(pid) = executor::still_running_after(&process, STILL_RUNNING_WAIT) {
            let what = if pid == process.pid {
                format!("its process {pid} is still running")
            } else {
                format!(
                    "process {pid} of its process group {} is still running",
                    process.pid
                )
            };
            return Err(StillRunning(format!(
                "cannot resume from journal {}: step {task:?} was started by an earlier `release run` and {what}; \
                 wait for it to end (or end it), then resume",
                path.display()
            ))
            .into());
        }
    }
    Ok(())
}

/// A new run, or the run of `--resume`'s journal (steps started and never
/// finished marked interrupted at `now`), with how many events were read.
/// With `file` (a run that writes its journal), the journal is read under
/// its append lock, which the caller releases after recording what the
/// resume itself applied.
fn open_run(
    process: &Process,
    args: &RunArgs,
    now: DateTime<Utc>,
    file: Option<&mut JournalFile>,
    out: &mut Out,
) -> Result<(Run, usize)> {
    let pipeline = process.pipeline();
    let Some(path) = &args.journal else {
        return Ok((Run::new(Arc::clone(pipeline)), 0));
    };
    let events = match file {
        // A crash during an append: the partial line is cut (and a missing
        // newline added) so that the next event starts on a line of its own.
        Some(file) => file.read_all()?,
        None => {
            let contents = journal_file::read(path)?;
            if contents.format == 1 && !contents.events.is_empty() {
                out.note(journal_file::format_1_note(path));
            }
            contents.events
        }
    };
    // `--now` is the command's time: a journal with events after it is
    // dated in the future (a hand edit, a clock far ahead), and a run at
    // `--now` would have to date its own events before them.
    if let (Some(now), Some(last)) = (args.now, events.last())
        && last.at > now
    {
        bail!(
            "journal {}: its last event is dated {}, after --now {}; a journal's times never go back",
            path.display(),
            last.at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true),
            now.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        );
    }
    if !args.resume {
        if !events.is_empty() && !args.dry_run {
            bail!(
                "journal {} already holds a run: pass --resume to continue it, or choose another --journal",
                path.display()
            );
        }
        return Ok((Run::new(Arc::clone(pipeline)), 0));
    }
    if !args.dry_run {
        refuse_if_still_running(&events, path)?;
    }
    // The core says a journal that does not replay is invalid input (exit 2).
    // It is replayed with the calendar's answers at each event's time, as
    // `plan` and `explain` replay it; those answers are in the run's journal
    // but not in the file, and need not be written: the recorder starts
    // after them, and records what the resume adds.
    let replayed = process
        .replay(&events)
        .with_context(|| format!("cannot resume from journal {}", path.display()))?;
    let seen = replayed.journal().len();
    let mut run = process
        .resumed(replayed, now)
        .with_context(|| format!("cannot resume from journal {}", path.display()))?;
    if args.retry_failed {
        let failed: Vec<String> = pipeline
            .ids()
            .filter(|id| run.state(*id) == TaskState::Failed)
            .map(|id| pipeline.node(id).id().to_owned())
            .collect();
        for task in failed {
            // The core refuses a retry that would change nothing (an
            // advisory failure); that is not an error of the command.
            match run.apply(Event::new(now, EventKind::Retried { task })) {
                Ok(()) => {}
                Err(e) if e.is_refused() => {}
                Err(e) => return Err(e.into()),
            }
        }
    }
    Ok((run, seen))
}

/// What the run releases, from the plan at `now` and the tags given.
fn context(process: &Process, args: &RunArgs, now: DateTime<Utc>) -> Result<ReleaseContext> {
    let state_args = crate::args::StateArgs {
        facts: None,
        journal: None,
        tags: args.tags.clone(),
        tag: args.tag.clone(),
        repo: Vec::new(),
    };
    let mut state = crate::process_file::State::read(&state_args)?;
    // Without --tags/--tag, the components' clones (`path`) give them.
    state.read_git(process, &args.file, &state_args)?;
    // The commits read with them raise the next versions, as `plan` and
    // `next` show them.
    let (context, warnings) = process.context_with(
        now,
        &state.tags,
        &state.changes,
        &Facts::new(),
        &[],
        args.release.as_deref(),
    )?;
    crate::warnings::report(warnings);
    Ok(context)
}

/// Records `--requested-by` as the first event of a new run, checks it
/// against a resumed run's, and refuses to start a run that needs a
/// requester without one.
fn requester(run: &mut Run, args: &RunArgs, now: DateTime<Utc>) -> Result<()> {
    let fresh = run.journal().is_empty();
    match (&args.requested_by, run.requester()) {
        (Some(given), Some(recorded)) if given == recorded => Ok(()),
        (Some(given), Some(recorded)) => bail!(
            "the run in {} was requested by {recorded}; the requester cannot change (--requested-by {given})",
            args.journal
                .as_deref()
                .map_or_else(String::new, |p| p.display().to_string())
        ),
        (Some(given), None) => {
            run.apply(Event::new(now, EventKind::Requested { by: given.clone() }))
                .context("--requested-by")?;
            Ok(())
        }
        (None, Some(_)) => Ok(()),
        (None, None) if fresh && !args.dry_run && run.needs_requester() => bail!(
            "{} asks for people's approvals (an approvals gate or a manual step): say who requests this release with --requested-by ID; the requester may not approve it",
            args.file.display()
        ),
        // A dry run assumes approvals (see `dry_run_inputs`), which a run
        // takes only with a requester: an anonymous one, never written.
        (None, None) if fresh && args.dry_run && run.needs_requester() => {
            run.apply(Event::new(
                now,
                EventKind::Requested {
                    by: Identity::new("dry-run.requester")?,
                },
            ))?;
            Ok(())
        }
        (None, None) => Ok(()),
    }
}

/// Refuses a journal path that names something other than a regular file
/// (a directory, a FIFO, a device): reading a FIFO would block for ever,
/// and a directory is no run to resume or refuse. A missing file is a run
/// not started yet.
fn regular_or_missing(path: &Path) -> Result<()> {
    let Ok(meta) = std::fs::metadata(path) else {
        return Ok(());
    };
    let what = if meta.is_file() {
        return Ok(());
    } else if meta.is_dir() {
        "a directory"
    } else {
        special_kind(&meta)
    };
    bail!(
        "journal {} is {what}: give --journal the path of a regular file (it is created if missing)",
        path.display()
    )
}

#[cfg(unix)]
fn special_kind(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt;
    let t = meta.file_type();
    if t.is_fifo() {
        "a FIFO (named pipe)"
    } else if t.is_socket() {
        "a socket"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

#[cfg(not(unix))]
fn special_kind(_: &std::fs::Metadata) -> &'static str {
    "not a regular file"
}

/// The driver's observer: the recorder and the output.
struct Observing<'a, F> {
    /// Whose calendar answers at each event's time.
    process: &'a Process,
    /// A dry run: approvals and gates are assumed as the driver goes.
    dry_run: bool,
    recorder: &'a mut Recorder,
    out: &'a mut Out,
    /// How an event is recorded: the shell executor starts a step's command
    /// at its `started` event, records it with the process, and only then
    /// lets the command run.
    record: F,
}

impl<F> Observer<anyhow::Error> for Observing<'_, F>
where
    F: FnMut(&Event, &Run, &mut Recorder, &mut Out) -> Result<()>,
{
    fn event(&mut self, event: &Event, run: &Run) -> Result<()> {
        (self.record)(event, run, self.recorder, self.out)
    }

    fn incoming(&mut self, _: &Run) -> Result<Vec<Event>> {
        self.recorder.incoming()
    }

    fn known(&mut self, run: &Run, at: DateTime<Utc>) -> Result<Vec<Event>> {
        let mut events = self.process.calendar_events(run, at);
        if !self.dry_run {
            return Ok(events);
        }
        // A dry run never waits for people or gates: what it assumes at
        // `at`, decided on the run as the calendar leaves it (a copy only
        // when the calendar has news, so that asking at every event stays
        // linear). Each assumption is kept if the run takes it.
        let by = Identity::new("dry-run")?;
        let mut copy = None;
        if !events.is_empty() {
            let mut next = run.clone();
            for event in &events {
                next.apply(event.clone())?;
            }
            copy = Some(next);
        }
        let assumed = release_core::run::dry_run_inputs(copy.as_ref().unwrap_or(run), &by, at);
        if assumed.is_empty() {
            return Ok(events);
        }
        let mut next = copy.unwrap_or_else(|| run.clone());
        for event in assumed {
            if next.apply(event.clone()).is_ok() {
                events.push(event);
            }
        }
        Ok(events)
    }

    fn settled(&mut self) -> Result<()> {
        self.recorder.settled()
    }
}

/// The run's observer: writes each event to the journal, then shows it on
/// stderr. Before each event of its own the driver asks it for what others
/// appended (under the journal's append lock, held until the driver's
/// event is written), and shows those events too, which are not written
/// again.
struct Recorder {
    file: Option<JournalFile>,
    /// Events others appended that the driver has yet to show: they are
    /// in the file already.
    external: usize,
    seen: usize,
    started: HashMap<String, DateTime<Utc>>,
    /// Each task's state as last shown.
    states: Vec<TaskState>,
    /// Wait steps with gates: a fact may start them at any event.
    gated_waits: Vec<StepId>,
    /// Wait steps running: a tick may end them.
    running_waits: BTreeSet<StepId>,
}

impl Recorder {
    fn new(run: &Run, replayed: usize, file: Option<JournalFile>) -> Recorder {
        let mut started = HashMap::new();
        for e in &run.journal()[..replayed] {
            if let EventKind::Started { task, .. } = &e.kind {
                started.insert(task.clone(), e.at);
            }
        }
        // Tasks the resume itself interrupted show through their events.
        let states = run.pipeline().ids().map(|id| run.state(id)).collect();
        let waits = || {
            run.pipeline()
                .nodes()
                .filter(|n| n.kind() == StepKind::Wait)
        };
        Recorder {
            file,
            external: 0,
            seen: replayed,
            started,
            states,
            gated_waits: waits()
                .filter(|n| !n.gates().is_empty())
                .map(|n| n.step_id())
                .collect(),
            running_waits: waits()
                .map(|n| n.step_id())
                .filter(|&id| run.state(id) == TaskState::Running)
                .collect(),
        }
    }

    /// What others appended to the journal since this run last read or
    /// wrote it; the append lock stays held until [`settled`](Self::settled).
    fn incoming(&mut self) -> Result<Vec<Event>> {
        let Some(file) = &mut self.file else {
            return Ok(Vec::new());
        };
        let events = file.incoming()?;
        self.external += events.len();
        Ok(events)
    }

    /// Releases the append lock.
    fn settled(&mut self) -> Result<()> {
        match &mut self.file {
            Some(file) => file.unlock(),
            None => Ok(()),
        }
    }

    /// Records the events the command applied itself before driving (a
    /// resume's interruptions, retries).
    fn catch_up(&mut self, run: &Run, out: &mut Out) -> Result<()> {
        for event in &run.journal()[self.seen..] {
            self.event(event, run, out)?;
        }
        Ok(())
    }

    /// Appends (and syncs) one event, then prints its progress line, and one
    /// for each change no event names (a wait step starting or ending).
    /// `run` is the state just after the event.
    fn event(&mut self, event: &Event, run: &Run, out: &mut Out) -> Result<()> {
        if self.external > 0 {
            self.external -= 1;
        } else if let Some(file) = &mut self.file {
            // A start records what the task releases (its context).
            let context = match &event.kind {
                EventKind::Started { task, .. } => {
                    run.pipeline().find(task).map(|id| run.task(id).values())
                }
                _ => None,
            };
            file.append_in(event, context.as_ref())?;
        }
        self.seen += 1;
        if let Some(line) = self.progress(event, run) {
            out.note(format_args!("[{}] {line}", event.at.format("%H:%M:%S")));
        }
        let named = event.kind.task();
        let pipeline = Arc::clone(run.pipeline());
        for id in self.changed(event, run) {
            let node = pipeline.node(id);
            let state = run.state(id);
            if named != Some(node.id()) && (state == TaskState::Running || state.is_terminal()) {
                out.note(format_args!(
                    "[{}] {} {state}",
                    event.at.format("%H:%M:%S"),
                    node.id()
                ));
            }
        }
        Ok(())
    }

    /// The tasks whose state `event` changed, in declaration order, with
    /// their new state recorded. Without an event naming them, tasks change
    /// only when a task they need changes (a wait step starts), when a
    /// fact opens a gate (of a wait step), when time ends a wait, or when
    /// the whole run is cancelled; so only those are looked at, never every
    /// task for every event (which made a long run quadratic).
    fn changed(&mut self, event: &Event, run: &Run) -> Vec<StepId> {
        let pipeline = run.pipeline();
        let mut queue: Vec<StepId> = match &event.kind {
            EventKind::Cancelled { task: None, .. } => pipeline.ids().collect(),
            kind => kind
                .task()
                .and_then(|t| pipeline.find(t))
                .into_iter()
                .chain(self.gated_waits.iter().copied())
                .chain(self.running_waits.iter().copied())
                .collect(),
        };
        let mut changed = Vec::new();
        while let Some(id) = queue.pop() {
            let state = run.state(id);
            if std::mem::replace(&mut self.states[id.index()], state) == state {
                continue;
            }
            let node = pipeline.node(id);
            if node.kind() == StepKind::Wait {
                if state == TaskState::Running {
                    self.running_waits.insert(id);
                } else {
                    self.running_waits.remove(&id);
                }
            }
            changed.push(id);
            queue.extend(node.dependents().iter().copied());
        }
        changed.sort_unstable();
        changed
    }

    fn progress(&mut self, event: &Event, run: &Run) -> Option<String> {
        let took = |started: &HashMap<String, DateTime<Utc>>, task: &str| {
            started
                .get(task)
                .map(|t| format!(" in {}", seconds(event.at - *t)))
                .unwrap_or_default()
        };
        Some(match &event.kind {
            EventKind::Started { task, .. } => {
                self.started.insert(task.clone(), event.at);
                let attempts = run.pipeline().find(task).map_or(1, |id| run.attempts(id));
                if attempts > 1 {
                    format!("{task} started (attempt {attempts})")
                } else {
                    format!("{task} started")
                }
            }
            EventKind::Succeeded { task, message } => {
                let mut line = format!("{task} succeeded{}", took(&self.started, task));
                if let Some(m) = message {
                    line.push_str(&format!(": {m}"));
                }
                line
            }
            EventKind::Failed { task, message } => {
                let retry = run
                    .pipeline()
                    .find(task)
                    .is_some_and(|id| !run.state(id).is_terminal());
                format!(
                    "{task} failed{}: {message}{}",
                    took(&self.started, task),
                    if retry { " (will retry)" } else { "" }
                )
            }
            EventKind::Interrupted { task } => {
                format!("{task} interrupted (started but never finished); it runs again")
            }
            EventKind::Tick => return None,
            // The calendar's answers are journaled for the record; what
            // they change shows through the tasks they start.
            EventKind::Fact { fact } if fact.source == release_core::process::CALENDAR_SOURCE => {
                return None;
            }
            _ => {
                // Approvals, waivers, skips, facts, cancellations: the
                // core's own wording, without its timestamp.
                let text = event.to_string();
                text.split_once(' ').map(|(_, rest)| rest.to_owned())?
            }
        })
    }
}

/// `3.2s`, or `4m05s` from a minute on.
fn seconds(d: chrono::TimeDelta) -> String {
    let ms = d.num_milliseconds().max(0);
    if ms < 60_000 {
        format!("{}.{}s", ms / 1000, (ms % 1000) / 100)
    } else {
        format!("{}m{:02}s", ms / 60_000, (ms % 60_000) / 1000)
    }
}

/// The JSON document of `release run --json`.
#[derive(Serialize)]
struct Summary<'a> {
    status: RunStatus,
    dry_run: bool,
    journal: Option<&'a Path>,
    #[serde(skip_serializing_if = "Option::is_none")]
    waiting_until: Option<DateTime<Utc>>,
    tasks: &'a [TaskSnapshot],
    blocked: &'a [Blocked],
    #[serde(skip_serializing_if = "<[Planned]>::is_empty")]
    planned: &'a [Planned],
    /// A dry run's file edits, as diffs.
    #[serde(skip_serializing_if = "<[EditDiff]>::is_empty")]
    edits: &'a [EditDiff],
}

/// What a dry run's step would change in one file (or why its edits
/// would fail).
#[derive(Debug, Serialize)]
struct EditDiff {
    /// The task.
    task: String,
    /// The file, as shown (empty when the edits fail before one is read).
    file: String,
    /// The change as a unified diff; empty when the file is unchanged.
    diff: String,
    /// Why the task's edits would fail, if they would.
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

/// A dry run's edits of `task`: computed on the files as earlier steps'
/// edits left them (`overlay`, which takes the new texts), never written.
fn dry_edits(
    editor: &Editor,
    task: &release_core::run::Task<'_>,
    overlay: &mut HashMap<PathBuf, String>,
    edits: &mut Vec<EditDiff>,
) {
    if !Editor::edits(task) {
        return;
    }
    match editor.changes(task, overlay) {
        Ok(changes) => {
            for change in changes {
                edits.push(EditDiff {
                    task: task.id.to_owned(),
                    file: change.shown.clone(),
                    diff: change.diff(),
                    error: None,
                });
                overlay.insert(change.path, change.new);
            }
        }
        Err(error) => edits.push(EditDiff {
            task: task.id.to_owned(),
            file: String::new(),
            diff: String::new(),
            error: Some(error),
        }),
    }
}

fn summary(
    run: &Run,
    args: &RunArgs,
    wakeup: Option<DateTime<Utc>>,
    planned: &[Planned],
    edits: &[EditDiff],
    out: &mut Out,
) -> Result<()> {
    let snapshot = run.snapshot();
    let blocked = run.blocked();
    if out.is_json() {
        return out.json(&Summary {
            status: snapshot.status,
            dry_run: args.dry_run,
            journal: args.journal.as_deref(),
            waiting_until: wakeup,
            tasks: &snapshot.tasks,
            blocked: &blocked,
            planned,
            edits,
        });
    }
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &snapshot.tasks {
        *counts.entry(t.state.as_str()).or_default() += 1;
    }
    let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
    let what = if args.dry_run { "dry run" } else { "run" };
    out.line(format!("{what} {}: {}", snapshot.status, counts.join(", ")))?;
    let width = snapshot.tasks.iter().map(|t| t.id.len()).max().unwrap_or(0);
    // By task (the last plan of each), so that each line finds its note at
    // once: a search per task made a long dry run quadratic.
    let blocked: HashMap<&str, &Blocked> = blocked.iter().map(|b| (b.task.as_str(), b)).collect();
    let planned: HashMap<&str, &Planned> = planned.iter().map(|p| (p.task.as_str(), p)).collect();
    for t in &snapshot.tasks {
        let note = if let Some(b) = blocked.get(t.id.as_str()) {
            let text = b.to_string();
            text.strip_prefix(&format!("{}: ", b.task))
                .unwrap_or(&text)
                .to_owned()
        } else if let Some(p) = planned.get(t.id.as_str()) {
            match &p.command {
                Some(c) => format!("would run {c:?}"),
                None if edits.iter().any(|e| e.task == t.id) => {
                    "edits files only (below)".to_owned()
                }
                None => "no command".to_owned(),
            }
        } else {
            t.message.clone().unwrap_or_default()
        };
        let line = format!("  {:width$}  {:9}  {note}", t.id, t.state.as_str());
        out.line(line.trim_end())?;
    }
    if let Some(at) = wakeup {
        out.line(format!(
            "waiting until {} (the clock is fixed by --now)",
            at.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, true)
        ))?;
    }
    for edit in edits {
        match (&edit.error, edit.diff.is_empty()) {
            (Some(error), _) => out.line(format!("edits of {} would fail: {error}", edit.task))?,
            (None, true) => {
                out.line(format!("{} would leave {} unchanged", edit.task, edit.file))?
            }
            (None, false) => {
                out.line(format!("{} would edit {}:", edit.task, edit.file))?;
                out.raw(&edit.diff)?;
            }
        }
    }
    Ok(())
}
