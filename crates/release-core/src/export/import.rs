//! A GitHub Actions run read back as a release-core journal: the REST
//! API's responses for a workflow run, its jobs and its environment
//! approvals in, journal events (format 2) out. Pure: JSON values in,
//! events and journal text out; fetching the responses is the caller's.
//!
//! # The mapping
//!
//! Jobs are matched to the pipeline's tasks by their `name`
//! ([`naming::step_of_job_name`]): a step's id, or `STEP (k=v, ...)` for a
//! matrix cell. The `plan` job and `gate: STEP` jobs are known and carry
//! no event. Any other name is an error naming its place.
//!
//! - The run's `triggering_actor.login` (else `actor.login`) is the
//!   requester: the header's `requested_by` and a `requested` event at
//!   `run_started_at` (else `created_at`).
//! - An automatic step's job: `started` at `started_at`, then at
//!   `completed_at` by `conclusion`: `success` -> `succeeded`; `failure`
//!   and `timed_out` -> `failed` (its message names the conclusion and the
//!   job's page); `cancelled` -> `cancelled` of the task. `skipped` (GitHub
//!   skips a job whose needs failed) records nothing: the engine leaves such
//!   a task pending, blocked by the failure. A job in progress records only
//!   `started`; a queued or waiting one nothing.
//! - A manual step's job runs once its environment's required review
//!   passed ([`naming::approval_environment`]). Its success is an
//!   `approved` event of the task at `started_at`, authored by the login of
//!   the approval of that environment; a rejection (state `rejected`) of a
//!   job that did not succeed is a `cancelled` event of the task by the
//!   rejecter, with `rejected on GitHub` and the comment as its reason (the
//!   engine has no refused approval: a refused manual step does not go on).
//!   A manual job that succeeded without an approval of its environment,
//!   or failed without a rejection, is an error.
//! - A wait step's job that succeeded is a `tick` at `completed_at` (wait
//!   steps start by themselves in the engine).
//! - An approval of an environment no manual step uses (a protected
//!   environment of an automatic deploy) records nothing: the engine needs
//!   no approval there. It is returned as a warning, never dropped in
//!   silence.
//!
//! Every event carries its provenance in the journal line's `source`
//! ([`Source`]): engine `github-actions`, the run
//! (`{"id":..,"attempt":..,"url":..}`: `run_attempt` and `html_url`) and
//! the job (`{"id":..,"name":..,"url":..}`). The events are ordered by
//! time, then by the pipeline's order, and replayed through the engine
//! ([`Run::apply`]), so a journal the engine would refuse is never written:
//! the error names the job.
//!
//! # Identities
//!
//! Logins go through [`Identity`] (ASCII lower-cased: `Octocat` is
//! `octocat`). A GitHub App's login ends in `[bot]`, which the identity
//! format does not allow; it becomes `.bot` (`github-actions[bot]` is
//! `github-actions.bot`): GitHub logins never hold a `.`, so the name
//! cannot be a person's.

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::naming::{self, JobRef};
use crate::identity::Identity;
use crate::pipeline::{Pipeline, StepId, StepKind};
use crate::run::journal::{self, Header, JournalLine, RecordedBy, Source};
use crate::run::{Event, EventKind, Run};
use crate::{Error, Result, Warned, Warning};

/// The engine's name in `source` and on the command line.
pub const ENGINE: &str = "github-actions";

/// One response given to the import, with the name errors call it by (a
/// file's path, `run`).
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    /// What errors call it.
    pub name: &'a str,
    /// The parsed JSON.
    pub value: &'a Value,
}

/// GitHub's responses for one workflow run.
#[derive(Debug, Clone, Copy)]
pub struct Responses<'a> {
    /// `GET /repos/{owner}/{repo}/actions/runs/{run_id}`.
    pub run: Input<'a>,
    /// `GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs`: an object
    /// with `jobs`, or the array of jobs.
    pub jobs: Input<'a>,
    /// `GET /repos/{owner}/{repo}/actions/runs/{run_id}/approvals`, when
    /// the run had any.
    pub approvals: Option<Input<'a>>,
}

/// An imported run: the journal's header and lines.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportedRun {
    /// The header (the requester).
    pub header: Header,
    /// The event lines, chained.
    pub lines: Vec<JournalLine>,
}

impl ImportedRun {
    /// The events, in order.
    pub fn events(&self) -> Vec<Event> {
        self.lines.iter().map(|l| l.event.clone()).collect()
    }

    /// The journal's text (format 2: header, lines chained by their hashes).
    ///
    /// # Errors
    ///
    /// As [`journal::encode`].
    pub fn to_journal(&self) -> Result<String> {
        let mut out = journal::encode_header(&self.header)?;
        for line in &self.lines {
            out.push_str(&encode_line(line)?);
        }
        Ok(out)
    }
}

fn encode_line(line: &JournalLine) -> Result<String> {
    let mut text = serde_json::to_string(line)
        .map_err(|e| Error::parse(format!("cannot encode event: {e}")))?;
    text.push('\n');
    Ok(text)
}

/// Reads GitHub's responses for a run of `pipeline`'s workflow into a
/// journal: see the [module documentation](self).
///
/// # Errors
///
/// An [invalid error](crate::ErrorKind::Invalid) naming the input and the
/// JSON pointer of the field: a missing or mistyped field, a job of
/// another run or workflow, a job no step has, two jobs of one task, a
/// login that is no identity, a manual job without its approval, or an
/// event the engine refuses (naming the job).
pub fn import(pipeline: &Arc<Pipeline>, responses: Responses<'_>) -> Result<Warned<ImportedRun>> {
    let run = RunInfo::read(responses.run)?;
    let jobs = read_jobs(pipeline, responses.jobs, &run)?;
    let approvals = match responses.approvals {
        Some(input) => read_approvals(input)?,
        None => Vec::new(),
    };
    let mut pending: Vec<Pending> = vec![Pending {
        at: run.started,
        order: 0,
        phase: 0,
        kind: EventKind::Requested {
            by: run.requester.clone(),
        },
        job: None,
    }];
    for job in &jobs {
        pending.extend(job_events(pipeline, job, &approvals, responses)?);
    }
    pending.sort_by_key(|p| (p.at, p.order, p.phase));
    let warnings = unused_approvals(pipeline, &approvals);
    let lines = replay(pipeline, &run, &jobs, responses.jobs.name, pending)?;
    Ok(Warned::with(
        ImportedRun {
            header: Header::new(Some(run.requester.to_string())),
            lines,
        },
        warnings,
    ))
}

/// What the import reads of the run.
struct RunInfo {
    id: Value,
    name: Option<String>,
    attempt: Value,
    url: Value,
    requester: Identity,
    started: DateTime<Utc>,
    input: String,
}

impl RunInfo {
    fn read(input: Input<'_>) -> Result<RunInfo> {
        let at = Place::new(input.name, input.value);
        let id = at.require("/id")?.clone();
        if !id.is_u64() {
            return Err(at.bad("/id", "must be a number"));
        }
        let login_at = if at.get("/triggering_actor/login").is_some() {
            "/triggering_actor/login"
        } else {
            "/actor/login"
        };
        let requester = login(&at, login_at)?;
        let started = match at.get("/run_started_at") {
            Some(Value::String(_)) => at.time("/run_started_at")?,
            _ => at.time("/created_at")?,
        };
        Ok(RunInfo {
            id,
            name: at.get("/name").and_then(Value::as_str).map(str::to_owned),
            attempt: at.get("/run_attempt").cloned().unwrap_or(json!(1)),
            url: at.get("/html_url").cloned().unwrap_or(Value::Null),
            requester,
            started,
            input: input.name.to_owned(),
        })
    }

    fn source(&self, job: Option<&Job>) -> Source {
        Source {
            engine: ENGINE.to_owned(),
            run: Some(json!({"id": self.id, "attempt": self.attempt, "url": self.url})),
            job: job.map(|j| json!({"id": j.id, "name": j.name, "url": j.url})),
        }
    }
}

/// A field's place in an input, for errors: `run.json: /actor/login`.
struct Place<'a> {
    name: &'a str,
    value: &'a Value,
    prefix: String,
}

impl<'a> Place<'a> {
    fn new(name: &'a str, value: &'a Value) -> Place<'a> {
        Place {
            name,
            value,
            prefix: String::new(),
        }
    }

    fn within(&self, pointer: &str) -> Place<'a> {
        Place {
            name: self.name,
            value: self.value,
            prefix: format!("{}{pointer}", self.prefix),
        }
    }

    fn get(&self, pointer: &str) -> Option<&'a Value> {
        self.value
            .pointer(&format!("{}{pointer}", self.prefix))
            .filter(|v| !v.is_null())
    }

    fn bad(&self, pointer: &str, what: &str) -> Error {
        Error::invalid(format!("{}: {}{pointer}: {what}", self.name, self.prefix))
    }

    fn require(&self, pointer: &str) -> Result<&'a Value> {
        self.get(pointer)
            .ok_or_else(|| self.bad(pointer, "missing (GitHub's response has it)"))
    }

    fn text(&self, pointer: &str) -> Result<&'a str> {
        self.require(pointer)?
            .as_str()
            .ok_or_else(|| self.bad(pointer, "must be a string"))
    }

    fn time(&self, pointer: &str) -> Result<DateTime<Utc>> {
        let text = self.text(pointer)?;
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| self.bad(pointer, &format!("{text:?} is not an RFC 3339 time: {e}")))
    }
}

/// A GitHub login as an identity: see the [module documentation](self).
pub fn login_identity(login: &str) -> Result<Identity> {
    match login.strip_suffix("[bot]") {
        Some(app) => Identity::new(&format!("{app}.bot")),
        None => Identity::new(login),
    }
}

fn login(at: &Place<'_>, pointer: &str) -> Result<Identity> {
    let text = at.text(pointer)?;
    login_identity(text).map_err(|e| at.bad(pointer, &e.to_string()))
}

/// A job of a step, as read.
struct Job {
    /// Its index in the jobs array.
    index: usize,
    task: StepId,
    id: Value,
    name: String,
    url: Value,
    status: String,
    conclusion: Option<String>,
    /// Its JSON pointer in the jobs input (`/jobs/3`).
    pointer: String,
}

fn read_jobs(pipeline: &Pipeline, input: Input<'_>, run: &RunInfo) -> Result<Vec<Job>> {
    let root = Place::new(input.name, input.value);
    let (array, base) = match input.value {
        Value::Array(a) => (a, ""),
        _ => match root.require("/jobs")? {
            Value::Array(a) => (a, "/jobs"),
            _ => return Err(root.bad("/jobs", "must be an array of jobs")),
        },
    };
    let mut jobs: Vec<Job> = Vec::new();
    let mut tasks: BTreeMap<StepId, usize> = BTreeMap::new();
    for index in 0..array.len() {
        let at = root.within(&format!("{base}/{index}"));
        let run_id = at.require("/run_id")?;
        if *run_id != run.id {
            return Err(at.bad(
                "/run_id",
                &format!(
                    "the job belongs to run {run_id}, not to run {} ({}: /id)",
                    run.id, run.input
                ),
            ));
        }
        if let (Some(name), Some(Value::String(workflow))) = (&run.name, at.get("/workflow_name"))
            && name != workflow
        {
            return Err(at.bad(
                "/workflow_name",
                &format!(
                    "the job is of workflow {workflow:?}, not of the run's {name:?} ({}: /name)",
                    run.input
                ),
            ));
        }
        let name = at.text("/name")?;
        let task = match naming::step_of_job_name(name) {
            JobRef::Plan | JobRef::Gate(_) => continue,
            JobRef::Step { step, cell } => task_of(pipeline, &step, cell.as_ref())
                .ok_or_else(|| at.bad("/name", &unknown_job(pipeline, name)))?,
        };
        if let Some(other) = tasks.insert(task, index) {
            return Err(at.bad(
                "/name",
                &format!(
                    "job {name:?} is task {:?} again (job {base}/{other} is it too)",
                    pipeline.node(task).id()
                ),
            ));
        }
        let pointer = format!("{base}/{index}");
        jobs.push(Job {
            index,
            task,
            id: at.require("/id")?.clone(),
            name: name.to_owned(),
            url: at.get("/html_url").cloned().unwrap_or(Value::Null),
            status: at.text("/status")?.to_owned(),
            conclusion: at
                .get("/conclusion")
                .and_then(Value::as_str)
                .map(str::to_owned),
            pointer,
        });
    }
    Ok(jobs)
}

fn unknown_job(pipeline: &Pipeline, name: &str) -> String {
    let names: Vec<String> = pipeline
        .nodes()
        .map(|n| naming::job_name(&n.step().id, n.cell().map(|c| &c.values)))
        .collect();
    format!(
        "job {name:?} is no step of process {:?} (its jobs: plan, gate: STEP, {})",
        pipeline.name(),
        names.join(", ")
    )
}

/// The task of a step id and, for a matrix cell, its values.
fn task_of(
    pipeline: &Pipeline,
    step: &str,
    cell: Option<&BTreeMap<String, String>>,
) -> Option<StepId> {
    pipeline
        .nodes()
        .find(|n| n.step().id == step && n.cell().map(|c| &c.values) == cell)
        .map(|n| n.step_id())
}

/// One environment approval, as read.
struct Approval {
    approved: bool,
    by: Identity,
    comment: Option<String>,
    environments: Vec<(String, String)>,
}

fn read_approvals(input: Input<'_>) -> Result<Vec<Approval>> {
    let root = Place::new(input.name, input.value);
    let Value::Array(items) = input.value else {
        return Err(root.bad("", "must be an array of approvals"));
    };
    let mut out = Vec::new();
    for index in 0..items.len() {
        let at = root.within(&format!("/{index}"));
        let approved = match at.text("/state")? {
            "approved" => true,
            "rejected" => false,
            other => {
                return Err(at.bad(
                    "/state",
                    &format!("{other:?} is neither \"approved\" nor \"rejected\""),
                ));
            }
        };
        let Some(Value::Array(envs)) = at.get("/environments") else {
            return Err(at.bad("/environments", "missing, or not an array"));
        };
        let mut environments = Vec::new();
        for e in 0..envs.len() {
            let pointer = format!("/environments/{e}/name");
            let name = at.text(&pointer)?.to_owned();
            environments.push((name, format!("{}: /{index}{pointer}", input.name)));
        }
        out.push(Approval {
            approved,
            by: login(&at, "/user/login")?,
            comment: at
                .get("/comment")
                .and_then(Value::as_str)
                .filter(|c| !crate::identity::is_blank(c))
                .map(str::to_owned),
            environments,
        });
    }
    Ok(out)
}

/// An event before ordering: its time, the task's place in the pipeline's
/// order, its place among the task's events, and its job.
struct Pending {
    at: DateTime<Utc>,
    order: usize,
    phase: u8,
    kind: EventKind,
    job: Option<usize>,
}

fn job_events(
    pipeline: &Pipeline,
    job: &Job,
    approvals: &[Approval],
    responses: Responses<'_>,
) -> Result<Vec<Pending>> {
    let node = pipeline.node(job.task);
    let task = node.id().to_owned();
    let at = Place::new(responses.jobs.name, responses.jobs.value).within(&job.pointer);
    let order = 1 + pipeline
        .order()
        .iter()
        .position(|&id| id == job.task)
        .unwrap_or(0);
    let event = |at: DateTime<Utc>, phase: u8, kind: EventKind| Pending {
        at,
        order,
        phase,
        kind,
        job: Some(job.index),
    };
    let completed = job.status == "completed";
    let conclusion = job.conclusion.as_deref();
    if completed && conclusion.is_none() {
        return Err(at.bad("/conclusion", "missing for a completed job"));
    }
    if node.is_manual() {
        let env = naming::approval_environment(
            &node.step().id,
            node.step().details.environment.as_deref(),
        );
        let review = |approved: bool| {
            approvals
                .iter()
                .find(|a| a.approved == approved && a.environments.iter().any(|(e, _)| *e == env))
        };
        let what = |state: &str| {
            format!(
                "job {:?} is the manual step {task:?}, and no {state} of environment {env:?} is in the approvals{}",
                job.name,
                responses
                    .approvals
                    .map_or(" (none were given)".to_owned(), |a| format!(
                        " ({})",
                        a.name
                    ))
            )
        };
        return Ok(match conclusion {
            _ if !completed => Vec::new(),
            Some("success") => {
                let a = review(true).ok_or_else(|| at.bad("/conclusion", &what("approval")))?;
                vec![event(
                    at.time("/started_at")?,
                    1,
                    EventKind::Approved {
                        task: Some(task),
                        by: a.by.clone(),
                        role: None,
                    },
                )]
            }
            Some("skipped") | None => Vec::new(),
            Some(_) => {
                let r = review(false).ok_or_else(|| at.bad("/conclusion", &what("rejection")))?;
                let reason = match &r.comment {
                    Some(c) => format!("rejected on GitHub: {c}"),
                    None => "rejected on GitHub".to_owned(),
                };
                vec![event(
                    at.time("/completed_at")?,
                    1,
                    EventKind::Cancelled {
                        task: Some(task),
                        by: Some(r.by.clone()),
                        reason: Some(reason),
                    },
                )]
            }
        });
    }
    if node.kind() == StepKind::Wait {
        return Ok(match conclusion {
            Some("success") if completed => {
                vec![event(at.time("/completed_at")?, 1, EventKind::Tick)]
            }
            _ => Vec::new(),
        });
    }
    let mut out = Vec::new();
    match (job.status.as_str(), conclusion) {
        ("completed", Some("skipped")) => return Ok(out),
        ("completed", _) | ("in_progress", _) => {
            out.push(event(at.time("/started_at")?, 0, EventKind::started(&task)));
        }
        _ => return Ok(out),
    }
    if !completed {
        return Ok(out);
    }
    let started = at.time("/started_at")?;
    let end = at.time("/completed_at")?;
    if end < started {
        return Err(at.bad("/completed_at", "is before its started_at"));
    }
    let url = job.url.as_str().unwrap_or("its page");
    let kind = match conclusion.unwrap_or_default() {
        "success" => EventKind::Succeeded {
            task,
            message: None,
        },
        c @ ("failure" | "timed_out") => EventKind::Failed {
            task,
            message: format!("GitHub job {:?}: {c} ({url})", job.name),
        },
        "cancelled" => EventKind::Cancelled {
            task: Some(task),
            by: None,
            reason: Some(format!("GitHub job {:?} cancelled ({url})", job.name)),
        },
        other => {
            return Err(at.bad(
                "/conclusion",
                &format!(
                    "{other:?} has no meaning for a release step (success, failure, timed_out, cancelled, skipped)"
                ),
            ));
        }
    };
    out.push(event(end, 1, kind));
    Ok(out)
}

/// Warnings for approvals of environments that no manual step uses.
fn unused_approvals(pipeline: &Pipeline, approvals: &[Approval]) -> Vec<Warning> {
    let used: Vec<String> = pipeline
        .nodes()
        .filter(|n| n.is_manual())
        .map(|n| {
            naming::approval_environment(&n.step().id, n.step().details.environment.as_deref())
        })
        .collect();
    let mut out = Vec::new();
    for a in approvals {
        for (env, pointer) in &a.environments {
            if !used.contains(env) {
                out.push(Warning::unread(
                    env,
                    format!(
                        "{pointer}: the approval of environment {env:?} by {} approves no manual step of process {:?}, so it records nothing",
                        a.by,
                        pipeline.name(),
                    ),
                ));
            }
        }
    }
    out
}

/// Applies the events in order through the engine, chaining their lines.
fn replay(
    pipeline: &Arc<Pipeline>,
    run: &RunInfo,
    jobs: &[Job],
    jobs_input: &str,
    pending: Vec<Pending>,
) -> Result<Vec<JournalLine>> {
    let header = Header::new(Some(run.requester.to_string()));
    let mut prev = journal::hash(journal::encode_header(&header)?.trim_end().as_bytes());
    let mut engine = Run::new(Arc::clone(pipeline));
    let mut lines = Vec::new();
    for p in pending {
        let job = p.job.and_then(|i| jobs.iter().find(|j| j.index == i));
        let event = Event::new(p.at, p.kind);
        engine.apply(event.clone()).map_err(|e| match job {
            Some(j) => Error::invalid(format!(
                "{jobs_input}: {}: job {:?}: the engine refuses its {} event: {}",
                j.pointer,
                j.name,
                event.kind.name(),
                e.message()
            )),
            None => Error::invalid(format!(
                "{}: the engine refuses the run's {} event: {}",
                run.input,
                event.kind.name(),
                e.message()
            )),
        })?;
        let line = JournalLine {
            event,
            recorded_by: RecordedBy::new("import", None),
            prev: prev.clone(),
            context: None,
            outputs: None,
            source: Some(run.source(job)),
        };
        prev = journal::hash(encode_line(&line)?.trim_end().as_bytes());
        lines.push(line);
    }
    Ok(lines)
}
