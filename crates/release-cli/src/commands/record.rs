//! `release approve`, `waive`, `skip`, `cancel` and `fact`: one event
//! recorded in a run's journal, the input a `release run` stops for.
//!
//! The order is what makes these safe to run by hand: the journal is
//! replayed, the event is applied to the replayed run, and only an event
//! the run accepts is appended (and synced). A refused or invalid event
//! leaves the file byte for byte as it was; not even a torn last line is
//! cut. Whether an event is allowed is the core's decision (`Run::apply`),
//! so the messages are the core's too.
//!
//! The event is applied to the journal as it stands: nothing is ticked
//! first, since the one event given is the only thing written. A step that
//! becomes ready only because time passed (a wait step ended) is approved
//! after `release run --resume` has recorded that.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use chrono::{DateTime, SecondsFormat, Utc};
use release_core::gate::{Fact, FactKind, FactValue};
use release_core::identity::Identity;
use release_core::run::journal::RecordedBy;
use release_core::run::{
    BlockReason, Blocked, Event, EventKind, Run, RunStatus, TaskSnapshot, TaskState,
};
use serde::Serialize;

use super::Status;
use crate::args::parse_now;
use crate::clock;
use crate::journal_file::{self, JournalFile};
use crate::output::Out;
use clap::Args;
use std::path::PathBuf;

/// Where a recorded event goes, and when it happened.
#[derive(Debug, Args)]
pub struct JournalArgs {
    /// The run's journal (`release run --journal`); created if missing.
    #[arg(long, value_name = "PATH")]
    pub journal: PathBuf,
    /// The event's time (RFC 3339) instead of the system clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<DateTime<Utc>>,
}

/// Arguments of `release approve`.
#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The manual step approved (optional with --role).
    #[arg(value_name = "STEP", required_unless_present = "role")]
    pub step: Option<String>,
    /// Who approves.
    #[arg(long, value_name = "ID", value_parser = crate::args::parse_identity)]
    pub by: Identity,
    /// The role approved in: an `approval` fact for gates.
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
    /// The journal and the time.
    #[command(flatten)]
    pub journal: JournalArgs,
}

/// Arguments of `release waive`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["step", "gate"])))]
// clap would list the group before FILE; say it in the order it is typed.
#[command(
    override_usage = "release waive [OPTIONS] <FILE> (<STEP> | --gate <NAME> [--step <STEP>]) --by <NAME> --reason <TEXT> --journal <PATH>"
)]
pub struct WaiveArgs {
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The step waived (a matrix cell: `test[aws-integrated]`).
    #[arg(value_name = "STEP")]
    pub step: Option<String>,
    /// Waive this gate instead of a step.
    #[arg(long, value_name = "NAME")]
    pub gate: Option<String>,
    /// With --gate: the step whose gate is waived (every step that has
    /// the gate when absent).
    #[arg(long = "step", value_name = "STEP", requires = "gate")]
    pub gate_step: Option<String>,
    /// Who waives.
    #[arg(long, value_name = "ID", value_parser = crate::args::parse_identity)]
    pub by: Identity,
    /// Why.
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// The journal and the time.
    #[command(flatten)]
    pub journal: JournalArgs,
}

/// Arguments of `release skip`.
#[derive(Debug, Args)]
pub struct SkipArgs {
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The skippable or advisory step.
    #[arg(value_name = "STEP")]
    pub step: String,
    /// Who skips it.
    #[arg(long, value_name = "ID", value_parser = crate::args::parse_identity)]
    pub by: Identity,
    /// Why.
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// The journal and the time.
    #[command(flatten)]
    pub journal: JournalArgs,
}

/// Arguments of `release cancel`.
#[derive(Debug, Args)]
pub struct CancelArgs {
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The step cancelled; the whole run when absent.
    #[arg(value_name = "STEP")]
    pub step: Option<String>,
    /// Who cancels.
    #[arg(long, value_name = "ID", value_parser = crate::args::parse_identity)]
    pub by: Option<Identity>,
    /// Why.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// The journal and the time.
    #[command(flatten)]
    pub journal: JournalArgs,
}

/// Arguments of `release fact`.
#[derive(Debug, Args)]
pub struct FactArgs {
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The fact's kind.
    #[arg(value_name = "KIND", value_parser = crate::vocab_arg::names::<FactKind>())]
    pub kind: FactKind,
    /// What it is about: the test, the count, the role, the component.
    #[arg(value_name = "SUBJECT")]
    pub subject: String,
    /// `true` or `false`, an integer, or else text.
    #[arg(value_name = "VALUE", allow_hyphen_values = true)]
    pub value: String,
    /// Who or what reported it (a CI system, a person).
    #[arg(long, value_name = "S")]
    pub source: Option<String>,
    /// When it stops holding (RFC 3339).
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub expires: Option<DateTime<Utc>>,
    /// The journal and the time.
    #[command(flatten)]
    pub journal: JournalArgs,
}

/// Runs `release approve`.
///
/// # Errors
///
/// As [`record`]; a blank --by.
pub fn approve(args: ApproveArgs, out: &mut Out) -> Result<Status> {
    let kind = EventKind::Approved {
        task: args.step,
        by: args.by,
        role: args.role.map(|r| given("--role", r)).transpose()?,
    };
    let recorded_by = RecordedBy::new("approve", by_of(&kind));
    record(&args.file, &args.journal, recorded_by, |_| Ok(kind), out)
}

/// Runs `release waive`.
///
/// # Errors
///
/// As [`record`]; a blank --by or --reason.
pub fn waive(args: WaiveArgs, out: &mut Out) -> Result<Status> {
    let kind = EventKind::Waived {
        task: args.step.or(args.gate_step),
        gate: args.gate,
        by: args.by,
        reason: given("--reason", args.reason)?,
    };
    let recorded_by = RecordedBy::new("waive", by_of(&kind));
    record(&args.file, &args.journal, recorded_by, |_| Ok(kind), out)
}

/// Runs `release skip`.
///
/// # Errors
///
/// As [`record`]; a blank --by or --reason.
pub fn skip(args: SkipArgs, out: &mut Out) -> Result<Status> {
    let kind = EventKind::Skipped {
        task: args.step,
        by: args.by,
        reason: given("--reason", args.reason)?,
    };
    let recorded_by = RecordedBy::new("skip", by_of(&kind));
    record(&args.file, &args.journal, recorded_by, |_| Ok(kind), out)
}

/// Runs `release cancel`.
///
/// # Errors
///
/// As [`record`]; a blank --by or --reason.
pub fn cancel(args: CancelArgs, out: &mut Out) -> Result<Status> {
    let kind = EventKind::Cancelled {
        task: args.step,
        by: args.by,
        reason: args.reason.map(|r| given("--reason", r)).transpose()?,
    };
    let by = match &kind {
        EventKind::Cancelled { by, .. } => by.clone(),
        _ => None,
    };
    let recorded_by = RecordedBy::new("cancel", by);
    record(&args.file, &args.journal, recorded_by, |_| Ok(kind), out)
}

/// Runs `release fact`: the fact is observed at the event's time.
///
/// # Errors
///
/// As [`record`]; an unknown KIND (the core's message lists the kinds);
/// --expires not after the fact's time.
pub fn fact(args: FactArgs, out: &mut Out) -> Result<Status> {
    match args.kind {
        FactKind::Approval => bail!(
            "nothing recorded: `release fact approval` is refused, since an approval must say who approved; use `release approve {} --role {} --by ID`",
            args.file.display(),
            args.subject
        ),
        FactKind::Output => bail!(
            "nothing recorded: `release fact output` is refused; an output is what a step reports in its RELEASE_OUTPUT file while `release run` runs it"
        ),
        FactKind::Requester => bail!(
            "nothing recorded: `release fact requester` is refused; the requester is given when the run starts (`release run --requested-by ID`) and cannot change"
        ),
        _ => {}
    }
    let FactArgs {
        file,
        kind,
        subject,
        value: text,
        source,
        expires,
        journal,
    } = args;
    record(
        &file,
        &journal,
        RecordedBy::new("fact", None),
        |at| {
            let mut fact = Fact::new(kind, subject, value(&text), source.unwrap_or_default(), at);
            if let Some(expires) = expires {
                if expires <= at {
                    bail!(
                        "--expires {} is not after the fact's time {}",
                        rfc3339(expires),
                        rfc3339(at)
                    );
                }
                fact = fact.expiring(expires);
            }
            Ok(EventKind::fact(fact))
        },
        out,
    )
}

/// The `--by` of an approval, waiver or skip: who recorded it.
fn by_of(kind: &EventKind) -> Option<Identity> {
    match kind {
        EventKind::Approved { by, .. }
        | EventKind::Waived { by, .. }
        | EventKind::Skipped { by, .. } => Some(by.clone()),
        _ => None,
    }
}

/// A fact's VALUE: `true` or `false`, an integer, or else text.
fn value(text: &str) -> FactValue {
    match text {
        "true" => FactValue::Bool(true),
        "false" => FactValue::Bool(false),
        _ => text
            .parse::<i64>()
            .map_or_else(|_| FactValue::Text(text.to_owned()), FactValue::Count),
    }
}

/// A name or a reason that must say something: an audit trail of blank
/// approvers and reasons is no trail.
fn given(flag: &str, text: String) -> Result<String> {
    if release_core::identity::is_blank(&text) {
        bail!("{flag} must not be blank");
    }
    Ok(text)
}

/// Records one event: loads the process, takes the journal's append lock
/// (waiting for another writer's one append, `release run`'s included),
/// replays the journal (a missing one is a run not started), takes the
/// event's time (`--now`, or the clock read after the journal, never
/// before its last event), builds the event and applies it and, only if
/// the run accepts it, repairs a torn last line (or a missing final
/// newline) and appends the event, synced, before releasing the lock.
/// Then prints what was recorded and the run's status.
///
/// # Errors
///
/// An invalid process file or journal (a journal that does not replay:
/// exit 2); a `--now` before the journal's last event (exit 2); the core's
/// error for the event (refused: exit 1; unknown step or gate: exit 2),
/// with nothing written; a failure to write the journal.
fn record(
    file: &Path,
    journal: &JournalArgs,
    recorded_by: RecordedBy,
    kind: impl FnOnce(DateTime<Utc>) -> Result<EventKind>,
    out: &mut Out,
) -> Result<Status> {
    let process = crate::process_file::load(file)?;
    let path = journal.journal.as_path();
    let mut writer = JournalFile::open(path, recorded_by)?;
    writer.lock()?;
    let contents = journal_file::read(path)?;
    let last = contents.events.last().map(|e| e.at);
    let at = match (journal.now, last) {
        // A journal only moves forward: an event before the last one would
        // rewrite history that replays already depend on.
        (Some(at), Some(last)) if at < last => bail!(
            "nothing recorded in {}: the event's time {} is before the journal's last event at {}",
            path.display(),
            rfc3339(at),
            rfc3339(last)
        ),
        (Some(at), _) => at,
        // The clock is read after the journal, under the lock, and a clock
        // behind the journal's (another machine's) is taken as its last time.
        (None, last) => {
            let now = clock::now_or(None);
            last.map_or(now, |last| now.max(last))
        }
    };
    let kind = kind(at)?;
    // The run every path sees: the journal replayed with the calendar's
    // answers at each event's time, and the event after what the calendar
    // says at its own (an approval inside a window is accepted).
    let mut run = process
        .replay(&contents.events)
        .with_context(|| format!("cannot replay journal {}", path.display()))?;
    let from = run.journal().len();
    let event = Event::new(at, kind);
    process
        .apply(&mut run, event.clone())
        .with_context(|| format!("nothing recorded in {}", path.display()))?;
    writer.read_all()?;
    // The calendar's facts the event was decided on go first, so that the
    // journal says what the calendar said when.
    for recorded in &run.journal()[from..] {
        writer.append(recorded)?;
    }
    writer.unlock()?;
    report(&event, &run, path, out)?;
    Ok(Status::Done)
}

/// The JSON document of the recording commands with `--json`.
#[derive(Serialize)]
struct Recorded<'a> {
    recorded: &'a Event,
    journal: &'a Path,
    status: RunStatus,
    ready: Vec<&'a str>,
    awaiting_approval: Vec<&'a str>,
    tasks: &'a [TaskSnapshot],
    blocked: &'a [Blocked],
}

fn report(event: &Event, run: &Run, journal: &Path, out: &mut Out) -> Result<()> {
    let pipeline = run.pipeline();
    let ready: Vec<&str> = run.ready().map(|id| pipeline.node(id).id()).collect();
    let awaiting: Vec<&str> = run
        .awaiting_approval()
        .map(|id| pipeline.node(id).id())
        .collect();
    let snapshot = run.snapshot();
    let blocked = run.blocked();
    if out.is_json() {
        return out.json(&Recorded {
            recorded: event,
            journal,
            status: snapshot.status,
            ready,
            awaiting_approval: awaiting,
            tasks: &snapshot.tasks,
            blocked: &blocked,
        });
    }
    out.line(confirmation(event))?;
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for t in &snapshot.tasks {
        *counts.entry(t.state.as_str()).or_default() += 1;
    }
    let counts: Vec<String> = counts.iter().map(|(s, n)| format!("{n} {s}")).collect();
    out.line(format!("run {}: {}", snapshot.status, counts.join(", ")))?;
    if !ready.is_empty() {
        out.line(format!("  ready: {}", ready.join(", ")))?;
    }
    if !awaiting.is_empty() {
        out.line(format!("  awaiting approval: {}", awaiting.join(", ")))?;
    }
    // Tasks merely waiting for unfinished needs are the normal course of a
    // run; what is shown is what needs attention: gates, waits, failures.
    for b in blocked.iter().filter(|b| worth_showing(b)) {
        out.line(format!("  blocked: {b}"))?;
    }
    Ok(())
}

fn worth_showing(blocked: &Blocked) -> bool {
    blocked.reasons.iter().any(|r| match r {
        BlockReason::Needs { state, .. } => {
            matches!(state, TaskState::Failed | TaskState::Cancelled)
        }
        BlockReason::AwaitingApproval => false,
        _ => true,
    })
}

fn rfc3339(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// `approved "verify" by alice at 2026-03-03T12:00:00Z`.
fn confirmation(event: &Event) -> String {
    let at = rfc3339(event.at);
    match &event.kind {
        EventKind::Approved { task, by, role } => match (task, role) {
            (Some(t), None) => format!("approved {t:?} by {by} at {at}"),
            (Some(t), Some(r)) => format!("approved {t:?} by {by} as {r:?} at {at}"),
            (None, Some(r)) => format!("approved as {r:?} by {by} at {at}"),
            (None, None) => event.to_string(),
        },
        EventKind::Waived {
            task,
            gate,
            by,
            reason,
        } => match (gate, task) {
            (None, Some(t)) => format!("waived {t:?} by {by} at {at}: {reason}"),
            (Some(g), Some(t)) => format!("waived gate {g:?} of {t:?} by {by} at {at}: {reason}"),
            (Some(g), None) => {
                format!("waived gate {g:?} of every step by {by} at {at}: {reason}")
            }
            (None, None) => event.to_string(),
        },
        EventKind::Skipped { task, by, reason } => {
            format!("skipped {task:?} by {by} at {at}: {reason}")
        }
        EventKind::Cancelled { task, by, reason } => {
            let mut line = match task {
                Some(t) => format!("cancelled {t:?}"),
                None => "cancelled the run".to_owned(),
            };
            if let Some(by) = by {
                line.push_str(&format!(" by {by}"));
            }
            line.push_str(&format!(" at {at}"));
            if let Some(r) = reason {
                line.push_str(&format!(": {r}"));
            }
            line
        }
        EventKind::Fact { fact } => match fact.expires {
            Some(e) => format!("recorded {fact}, until {}", rfc3339(e)),
            None => format!("recorded {fact}"),
        },
        _ => event.to_string(),
    }
}
