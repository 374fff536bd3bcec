//! The release evidence record: one JSON document per release, exported
//! from a run's journal, for auditors and change records. It says what
//! was released (the tags and pins the run's facts recorded), every gate's
//! verdict with its reasons, the facts with their sources, approvals,
//! waivers and skips with who and why, and when each step ran.
//!
//! The field names are stable (documented on each type, checked by a
//! snapshot test); fields are added, never renamed or removed, and
//! `format` changes when a field changes meaning.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::gate::{Fact, FactKind, FactValue, Verdict};
use crate::identity::Identity;
use crate::run::{EventKind, Run, RunStatus, TaskState};

/// When a step first started and last finished.
type StepTimes = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

/// The format of [`Evidence`], written as `format`.
pub const EVIDENCE_FORMAT: u32 = 1;

/// The evidence of one release run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evidence {
    /// [`EVIDENCE_FORMAT`].
    pub format: u32,
    /// How the run stands (`succeeded` for a finished release).
    pub status: RunStatus,
    /// Who requested the release, when recorded.
    pub requested_by: Option<Identity>,
    /// The first event's time.
    pub started: Option<DateTime<Utc>>,
    /// The last event's time.
    pub finished: Option<DateTime<Utc>>,
    /// The tags the run recorded (`tag` facts): component to tag.
    pub tags: BTreeMap<String, String>,
    /// The pins the run recorded (`pin` facts): component to pinned tag.
    pub pins: BTreeMap<String, String>,
    /// Every step, in the pipeline's order.
    pub steps: Vec<StepEvidence>,
    /// Every fact recorded, with its source and time.
    pub facts: Vec<Fact>,
    /// Every approval, in order.
    pub approvals: Vec<ApprovalEvidence>,
    /// Every waiver and skip, with who and why.
    pub waivers: Vec<WaiverEvidence>,
}

/// One step of the run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StepEvidence {
    /// The step's id.
    pub id: String,
    /// Its state at the end of the journal.
    pub state: TaskState,
    /// Its component, if any.
    pub component: Option<String>,
    /// Its environment, if any.
    pub environment: Option<String>,
    /// When its first attempt started.
    pub started: Option<DateTime<Utc>>,
    /// When it finished (succeeded, failed for good, was waived, skipped
    /// or approved).
    pub finished: Option<DateTime<Utc>>,
    /// How many attempts it took.
    pub attempts: u32,
    /// The verdict of its gates at the journal's last event, with every
    /// reason; absent for a step without gates.
    pub gates: Option<Verdict>,
}

/// One approval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApprovalEvidence {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: Identity,
    /// The manual step approved, if any.
    pub task: Option<String>,
    /// The role approved in, if any.
    pub role: Option<String>,
}

/// One waiver (of a step or a gate) or skip.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct WaiverEvidence {
    /// When.
    pub at: DateTime<Utc>,
    /// `waived` or `skipped`.
    pub action: &'static str,
    /// The step, if one.
    pub task: Option<String>,
    /// The gate, for a gate waiver.
    pub gate: Option<String>,
    /// Who.
    pub by: Identity,
    /// Why.
    pub reason: String,
}

impl Evidence {
    /// The evidence of `run` (a replayed journal).
    pub fn of_run(run: &Run) -> Evidence {
        let journal = run.journal();
        let last = journal.last().map(|e| e.at);
        let mut evidence = Evidence {
            format: EVIDENCE_FORMAT,
            status: run.status(),
            requested_by: run.requester().cloned(),
            started: journal.first().map(|e| e.at),
            finished: last,
            tags: BTreeMap::new(),
            pins: BTreeMap::new(),
            steps: Vec::new(),
            facts: Vec::new(),
            approvals: Vec::new(),
            waivers: Vec::new(),
        };
        let mut times: BTreeMap<&str, StepTimes> = BTreeMap::new();
        for event in journal {
            let at = event.at;
            match &event.kind {
                EventKind::Started { task, .. } => {
                    let t = times.entry(task).or_default();
                    t.0 = t.0.or(Some(at));
                }
                EventKind::Succeeded { task, .. } | EventKind::Failed { task, .. } => {
                    times.entry(task).or_default().1 = Some(at);
                }
                EventKind::Approved { task, by, role } => {
                    if let Some(task) = task {
                        times.entry(task).or_default().1 = Some(at);
                    }
                    evidence.approvals.push(ApprovalEvidence {
                        at,
                        by: by.clone(),
                        task: task.clone(),
                        role: role.clone(),
                    });
                }
                EventKind::Waived {
                    task,
                    gate,
                    by,
                    reason,
                } => {
                    if let (Some(task), None) = (task, gate) {
                        times.entry(task).or_default().1 = Some(at);
                    }
                    evidence.waivers.push(WaiverEvidence {
                        at,
                        action: "waived",
                        task: task.clone(),
                        gate: gate.clone(),
                        by: by.clone(),
                        reason: reason.clone(),
                    });
                }
                EventKind::Skipped { task, by, reason } => {
                    times.entry(task).or_default().1 = Some(at);
                    evidence.waivers.push(WaiverEvidence {
                        at,
                        action: "skipped",
                        task: Some(task.clone()),
                        gate: None,
                        by: by.clone(),
                        reason: reason.clone(),
                    });
                }
                EventKind::Fact { fact } => {
                    let text = match &fact.value {
                        FactValue::Text(t) | FactValue::Pinned { tag: t, .. } => t.clone(),
                        other => other.to_string(),
                    };
                    match fact.kind {
                        FactKind::Tag => {
                            evidence.tags.insert(fact.subject.clone(), text);
                        }
                        FactKind::Pin => {
                            evidence.pins.insert(fact.subject.clone(), text);
                        }
                        _ => {}
                    }
                    evidence.facts.push((**fact).clone());
                }
                _ => {}
            }
        }
        let pipeline = run.pipeline();
        for id in pipeline.ids() {
            let node = pipeline.node(id);
            let step = node.step();
            let (started, finished) = times.get(node.id()).copied().unwrap_or_default();
            evidence.steps.push(StepEvidence {
                id: node.id().to_owned(),
                state: run.state(id),
                component: step.details.component.clone(),
                environment: step.details.environment.clone(),
                started,
                finished,
                attempts: run.attempts(id),
                gates: match (step.details.gates.is_empty(), last) {
                    (false, Some(at)) => Some(run.verdict(id, at)),
                    _ => None,
                },
            });
        }
        evidence
    }

    /// The record as JSON, two-space indented, ending in a newline.
    pub fn to_json(&self) -> String {
        // Strings, maps, instants and the core's serialisable values.
        let mut text = serde_json::to_string_pretty(self).unwrap_or_default();
        text.push('\n');
        text
    }
}
