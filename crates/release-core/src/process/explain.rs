//! Why a step or an environment is not ready yet, and until when.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::model::Process;
use super::plan::{describe, holding_back};
use crate::gate::{Facts, Verdict};
use crate::pipeline::StepKind;
use crate::run::{Event, TaskState};
use crate::{Error, Result};

/// What [`Process::explain`] explains: a step or an environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Target {
    /// A pipeline step.
    Step,
    /// An environment (its gates, and the deploy steps into it).
    Environment,
}

/// The answer of [`Process::explain`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Explanation {
    /// The name asked about.
    pub name: String,
    /// Whether it is a step or an environment.
    pub target: Target,
    /// Whether it may go ahead now: every gate passed or waived and, for
    /// a step, every need met.
    pub ready: bool,
    /// The state of the step (for an environment, of its first deploy step
    /// not yet done, if any).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<TaskState>,
    /// The verdict of its gates, every reason included.
    pub verdict: Verdict,
    /// Every reason it waits, in words (needs, gates, approvals, slots).
    pub reasons: Vec<String>,
    /// The earliest instant the answer may change without a new fact (a
    /// window opens, a soak ends, a slot comes); `None` when only a new
    /// fact or event can change it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
}

impl Process {
    /// Explains why the step or environment `name` is not ready at `now`
    /// (or that it is), given `facts` and a run's `journal`.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) when `name` is neither a
    /// step nor an environment (listing both); a journal event the run
    /// refuses.
    pub fn explain(
        &self,
        name: &str,
        now: DateTime<Utc>,
        facts: &Facts,
        journal: &[Event],
    ) -> Result<Explanation> {
        let run = self.run_at(now, facts, journal)?;
        let plan = self.plan(now, facts, journal)?;
        let pipeline = self.pipeline();
        if let Some(id) = pipeline.find(name) {
            let verdict = run.verdict(id, now);
            let state = run.state(id);
            let mut reasons = Vec::new();
            if matches!(
                state,
                TaskState::Succeeded
                    | TaskState::Skipped
                    | TaskState::Waived
                    | TaskState::Cancelled
            ) {
                reasons.push(format!("already {}", state.as_str()));
            }
            for need in pipeline.node(id).needs() {
                let need_state = run.state(*need);
                if !matches!(
                    need_state,
                    TaskState::Succeeded | TaskState::Skipped | TaskState::Waived
                ) {
                    reasons.push(format!(
                        "needs {:?}, which is {}",
                        pipeline.node(*need).id(),
                        need_state.as_str()
                    ));
                }
            }
            let planned = plan.steps.iter().find(|s| s.id == name);
            if let Some(b) = run.blocked().into_iter().find(|b| b.task == name) {
                reasons.extend(b.reasons.iter().filter_map(describe));
            }
            let mut until = verdict.next_change;
            if let Some(p) = planned {
                for r in &p.reasons {
                    if !reasons.contains(r) {
                        reasons.push(r.clone());
                    }
                }
                // The planned start (a slot, a window, the release day)
                // says more than an expiring calendar fact.
                if p.start > now {
                    until = Some(p.start);
                }
            }
            let ready = state == TaskState::Ready
                && verdict.status.is_ok()
                && planned.is_none_or(|p| p.start <= now);
            return Ok(Explanation {
                name: name.to_owned(),
                target: Target::Step,
                ready,
                state: Some(state),
                verdict,
                reasons,
                until,
            });
        }
        if let Some(env) = pipeline.environment(name) {
            let deploys: Vec<_> = pipeline
                .nodes()
                .filter(|n| {
                    n.kind() == StepKind::Deploy && n.step().environment.as_deref() == Some(name)
                })
                .collect();
            let pending = deploys.iter().find(|n| {
                !matches!(
                    run.state(n.step_id()),
                    TaskState::Succeeded | TaskState::Skipped | TaskState::Waived
                )
            });
            let (verdict, state) = match pending {
                Some(n) => (run.verdict(n.step_id(), now), Some(run.state(n.step_id()))),
                None => (
                    crate::gate::evaluate(&env.gates, run.facts(), &[], now),
                    deploys.first().map(|n| run.state(n.step_id())),
                ),
            };
            let mut reasons = holding_back(&verdict);
            let mut until = verdict.next_change;
            if let Some(p) = pending.and_then(|n| plan.steps.iter().find(|s| s.id == n.id())) {
                reasons.extend(
                    p.reasons
                        .iter()
                        .filter(|r| !r.starts_with("gate "))
                        .cloned(),
                );
                if p.start > now {
                    until = Some(p.start);
                }
            }
            let ready = verdict.status.is_ok() && reasons.is_empty();
            let until = if ready { None } else { until };
            return Ok(Explanation {
                name: name.to_owned(),
                target: Target::Environment,
                ready,
                state,
                verdict,
                reasons,
                until,
            });
        }
        let steps: Vec<&str> = pipeline.nodes().map(|n| n.id()).collect();
        let envs: Vec<&str> = self
            .def()
            .environments
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        Err(Error::config(format!(
            "{name:?} is neither a step nor an environment (steps: {}; environments: {})",
            steps.join(", "),
            if envs.is_empty() {
                "none".to_owned()
            } else {
                envs.join(", ")
            }
        )))
    }
}
