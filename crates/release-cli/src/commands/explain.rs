//! `release explain`: why a step or an environment is not ready, and until
//! when.

use anyhow::Result;
use release_core::gate::Status as GateStatus;

use super::Status;
use super::plan::when;
use crate::args::{ProcessAt, StateArgs};
use crate::clock;
use crate::output::Out;
use crate::process_file::{self, State};
use clap::Args;

/// Arguments of `release explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The file and the instant.
    #[command(flatten)]
    pub at: ProcessAt,
    /// A step id or an environment name.
    #[arg(value_name = "STEP|ENVIRONMENT")]
    pub target: String,
    /// What is known.
    #[command(flatten)]
    pub state: StateArgs,
}

/// Runs `release explain`: exit 0 when the target may go ahead, 1 when it
/// is blocked.
///
/// # Errors
///
/// An invalid process or state file; a name that is neither a step nor an
/// environment.
pub fn run(args: ExplainArgs, out: &mut Out) -> Result<Status> {
    let process = process_file::load(&args.at.file)?;
    let state = State::read(&args.state)?;
    let now = clock::now_or(args.at.now);
    let e = process.explain(&args.target, now, &state.facts, &state.journal)?;
    let status = if e.ready || e.done {
        Status::Done
    } else {
        Status::Blocked
    };
    if out.is_json() {
        out.json(&e)?;
        return Ok(status);
    }
    let zone = process.schedules().first().map(|s| s.zone());
    let what = match e.target {
        release_core::process::Target::Step => "step",
        release_core::process::Target::Environment => "environment",
    };
    let state_text = e
        .state
        .map(|s| format!(" ({})", s.as_str()))
        .unwrap_or_default();
    let verdict = if e.done {
        "done"
    } else if e.ready {
        "ready"
    } else {
        "blocked"
    };
    out.line(format!("{what} {:?}{state_text}: {verdict}", e.name))?;
    for reason in &e.verdict.reasons {
        let mark = match reason.status {
            GateStatus::Passed => "passed ",
            GateStatus::Failed => "FAILED ",
            GateStatus::Pending => "pending",
            GateStatus::Waived => "waived ",
            // A status added later shows by its name.
            other => other.as_str(),
        };
        let advisory = if reason.blocking { "" } else { " (advisory)" };
        out.line(format!(
            "  {mark} gate {:?}: {}: {}{advisory}",
            reason.gate, reason.rule, reason.detail
        ))?;
    }
    // What is not a gate: needs, slots, windows, approvals ("note" when it
    // does not hold the step back, such as an approval a ready manual step
    // awaits).
    let label = if e.ready || e.done { "note" } else { "waits" };
    for reason in e.reasons.iter().filter(|r| !r.contains("gate \"")) {
        out.line(format!("  {label}: {reason}"))?;
    }
    if let Some(until) = e.until {
        out.line(format!("  until: {} at the earliest", when(until, zone)))?;
    }
    Ok(status)
}
