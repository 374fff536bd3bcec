//! Why a step or an environment is not ready yet, and until when.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::model::Process;
use super::plan::{Plan, PlannedStep, holding_back};
use crate::gate::{Facts, Verdict};
use crate::pipeline::{StepId, StepKind};
use crate::run::{Event, Run, TaskState};
use crate::{Error, Result};

/// What [`Process::explain`] explains: a step or an environment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A pipeline step.
    Step,
    /// An environment (its gates, and the deploy steps into it).
    Environment,
}

crate::vocabulary! {
    Target, "explanation target",
    {
        Step => "step",
        Environment => "environment",
    }
}

/// The answer of [`Process::explain`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Explanation {
    /// The name asked about.
    pub name: String,
    /// Whether it is a step or an environment.
    pub target: Target,
    /// Whether it may go ahead now: every gate passed or waived, every need
    /// met, its slot or window here, and (for a manual step) only an
    /// approval missing. For an environment: its next deploy step may go
    /// ahead.
    pub ready: bool,
    /// Whether it is already done (succeeded, skipped or waived; for an
    /// environment, every deploy into it; for a matrix step, every cell).
    pub done: bool,
    /// The state of the step (for an environment, of its first deploy step
    /// not yet done, if any; for a matrix step, of its first cell not yet
    /// done).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state: Option<TaskState>,
    /// The verdict of its gates, every reason included.
    pub verdict: Verdict,
    /// Every reason it waits, in words (needs, gates, approvals, slots).
    pub reasons: Vec<String>,
    /// When it is not ready: the earliest instant the answer may change
    /// without a new fact or event (a window opens, a soak ends, a slot
    /// comes); `None` when only a new fact or event can change it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub until: Option<DateTime<Utc>>,
}

impl Process {
    /// Explains why the step or environment `name` is not ready at `now`
    /// (or that it is, or that it is done), given `facts` and a run's
    /// `journal`. A matrix step may be named by its id: the explanation
    /// covers its cells.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) when `name` is neither a
    /// step nor an environment (listing both); an
    /// [invalid error](crate::ErrorKind::Invalid) for a journal event the
    /// run refuses.
    pub fn explain(
        &self,
        name: &str,
        now: DateTime<Utc>,
        facts: &Facts,
        journal: &[Event],
    ) -> Result<Explanation> {
        let run = self.run_at(now, facts, journal)?;
        let plan = self.plan_steps(now, facts, journal, None)?;
        let pipeline = self.pipeline();
        let tasks: Vec<StepId> = match pipeline.find(name) {
            Some(id) => vec![id],
            // A matrix step by its id: its cells.
            None => pipeline
                .nodes()
                .filter(|n| n.cell().is_some() && n.step().id == name)
                .map(|n| n.step_id())
                .collect(),
        };
        if !tasks.is_empty() {
            return Ok(self.explain_tasks(name, Target::Step, &tasks, &run, &plan, now));
        }
        if let Some(env) = pipeline.environment(name) {
            let deploys: Vec<StepId> = pipeline
                .nodes()
                .filter(|n| {
                    n.kind() == StepKind::Deploy
                        && n.step().details.environment.as_deref() == Some(name)
                })
                .map(|n| n.step_id())
                .collect();
            if deploys.is_empty() {
                // No deploy step: the environment's gates alone.
                let verdict =
                    crate::gate::evaluate_with(&env.gates, run.facts(), &[], now, run.people());
                let ready = verdict.status.is_ok();
                return Ok(Explanation {
                    name: name.to_owned(),
                    target: Target::Environment,
                    ready,
                    done: false,
                    state: None,
                    reasons: holding_back(&verdict),
                    until: if ready { None } else { verdict.next_change },
                    verdict,
                });
            }
            return Ok(self.explain_tasks(name, Target::Environment, &deploys, &run, &plan, now));
        }
        let steps: Vec<&str> = self.def().steps.iter().map(|s| s.id.as_str()).collect();
        let envs: Vec<&str> = self
            .def()
            .environments
            .iter()
            .map(|e| e.name.as_str())
            .collect();
        Err(Error::config(format!(
            "{name:?} is neither a step nor an environment (steps: {}; environments: {})",
            if steps.is_empty() {
                "none".to_owned()
            } else {
                steps.join(", ")
            },
            if envs.is_empty() {
                "none".to_owned()
            } else {
                envs.join(", ")
            }
        )))
    }

    /// The explanation of a group of tasks (one step, a matrix step's
    /// cells, an environment's deploy steps): about the first not yet done.
    fn explain_tasks(
        &self,
        name: &str,
        target: Target,
        tasks: &[StepId],
        run: &Run,
        plan: &Plan,
        now: DateTime<Utc>,
    ) -> Explanation {
        let pipeline = self.pipeline();
        let pending: Vec<StepId> = tasks
            .iter()
            .copied()
            .filter(|&id| !is_done(run.state(id)))
            .collect();
        let Some(&first) = pending.first() else {
            let last = tasks[tasks.len() - 1];
            return Explanation {
                name: name.to_owned(),
                target,
                ready: false,
                done: true,
                state: Some(run.state(last)),
                verdict: run.verdict(last, now),
                reasons: vec![format!("already {}", run.state(last).as_str())],
                until: None,
            };
        };
        // By id and as a set, so that an environment with many deploy steps
        // is explained in linear time.
        let planned_steps: HashMap<&str, &PlannedStep> =
            plan.steps.iter().map(|s| (s.id.as_str(), s)).collect();
        let mut reasons: Vec<String> = Vec::new();
        let mut given: HashSet<String> = HashSet::new();
        let mut push = |r: String| {
            if given.insert(r.clone()) {
                reasons.push(r);
            }
        };
        let mut ready = true;
        let mut until: Option<DateTime<Utc>> = None;
        let several = pending.len() > 1;
        for &id in &pending {
            let node = pipeline.node(id);
            let prefix = if several {
                format!("{}: ", node.id())
            } else {
                String::new()
            };
            let state = run.state(id);
            let verdict = run.verdict(id, now);
            for need in node.needs() {
                let need_state = run.state(*need);
                if !is_done(need_state) {
                    push(format!(
                        "{prefix}needs {:?}, which is {}",
                        pipeline.node(*need).id(),
                        need_state.as_str()
                    ));
                }
            }
            for r in holding_back(&verdict) {
                push(format!("{prefix}{r}"));
            }
            let planned = planned_steps.get(node.id()).copied();
            if let Some(p) = planned {
                for r in p.reasons.iter().filter(|r| !r.starts_with("gate ")) {
                    push(format!("{prefix}{r}"));
                }
            }
            let never = planned.is_some_and(|p| p.never);
            let start = planned.map(|p| p.start).filter(|&s| s > now && !never);
            let this_ready =
                state == TaskState::Ready && verdict.status.is_ok() && start.is_none() && !never;
            ready &= this_ready;
            if !this_ready && !never {
                // The planned start (a slot, a window, the release day)
                // says more than an expiring calendar fact.
                let next = start.or(verdict.next_change);
                until = match (until, next) {
                    (Some(u), Some(n)) => Some(u.min(n)),
                    (u, n) => u.or(n),
                };
            }
        }
        let verdict = run.verdict(first, now);
        Explanation {
            name: name.to_owned(),
            target,
            ready,
            done: false,
            state: Some(run.state(first)),
            verdict,
            reasons,
            until: if ready { None } else { until },
        }
    }
}

fn is_done(state: TaskState) -> bool {
    matches!(
        state,
        TaskState::Succeeded | TaskState::Skipped | TaskState::Waived
    )
}
