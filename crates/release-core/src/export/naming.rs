//! The one naming rule between a process's steps and a GitHub Actions
//! workflow's jobs, shared by the export (steps become jobs) and the
//! import (jobs' runs become journal events), so that each inverts the
//! other.
//!
//! - A step's **job id** ([`job_id`]): GitHub job ids start with a letter
//!   or `_` and hold only ASCII letters, digits, `-` and `_`; every other
//!   character becomes `_`, and an id starting with a digit (or a `-`)
//!   gets a leading `_`. Two steps whose ids map to one job id are an
//!   error ([`job_ids`]).
//! - A job's **name** ([`job_name`]): the step id, and for a matrix cell
//!   `STEP (k1=v1, k2=v2)`, the cell's values in the matrix's key order.
//!   This is the `name` GitHub reports for each job in its jobs API, and
//!   what the import reads back ([`job_of_name`]).
//! - Two jobs are not steps: `plan` (named `plan`), and a gate job named
//!   `gate: STEP` that runs `release explain` before the step's job. The
//!   import knows them and records nothing for them.
//! - The **environment of a manual step** ([`approval_environment`]):
//!   GitHub's only human approval is a protected environment's required
//!   review, so a manual step's job names an environment: the step's own,
//!   or else `approve-JOB_ID`. An approval of that environment is the
//!   step's approval.
//!
//! # Example
//!
//! ```
//! use release_core::export::naming::{job_id, job_name, job_of_name, JobRef};
//!
//! assert_eq!(job_id("deploy.prod"), "deploy_prod");
//! assert_eq!(job_id("2fa-check"), "_2fa-check");
//! let cell = [("cloud".to_owned(), "aws".to_owned()), ("db".to_owned(), "postgres".to_owned())];
//! let name = job_name("test", Some(&cell));
//! assert_eq!(name, "test (cloud=aws, db=postgres)");
//! assert_eq!(
//!     job_of_name(&name),
//!     JobRef::Step { step: "test".into(), cell: Some(cell.to_vec()) }
//! );
//! assert_eq!(job_of_name("gate: deploy"), JobRef::Gate { step: "deploy".into() });
//! # Ok::<(), release_core::Error>(())
//! ```

use std::collections::BTreeMap;

use crate::pipeline::Cell;
use crate::{Error, Result};

/// The name of the job that plans the run (`release plan`).
pub const PLAN_JOB: &str = "plan";

/// The prefix of a gate job's name: `gate: STEP`.
pub const GATE_PREFIX: &str = "gate: ";

/// A step id as a GitHub job id: see the [module documentation](self).
pub fn job_id(step_id: &str) -> String {
    let mut out: String = step_id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !out.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        out.insert(0, '_');
    }
    out
}

/// The job id of every step id, in order.
///
/// # Errors
///
/// An [invalid error](crate::ErrorKind::Invalid) naming two steps whose
/// ids map to one job id (`deploy.prod` and `deploy_prod`).
pub fn job_ids<'a>(step_ids: impl IntoIterator<Item = &'a str>) -> Result<Vec<String>> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    let mut out = Vec::new();
    for step in step_ids {
        let id = job_id(step);
        if let Some(other) = seen.insert(id.clone(), step) {
            return Err(Error::invalid(format!(
                "steps {other:?} and {step:?} both become the GitHub job id {id:?}; rename one (job ids keep only letters, digits, '-' and '_')"
            )));
        }
        out.push(id);
    }
    Ok(out)
}

/// A job's `name:`: the step id, and for a matrix cell its values in the
/// matrix's key order, `STEP (k1=v1, k2=v2)`.
pub fn job_name(step_id: &str, cell: Option<&[(String, String)]>) -> String {
    match cell {
        None => step_id.to_owned(),
        Some(pairs) => {
            let values: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{step_id} ({})", values.join(", "))
        }
    }
}

/// A matrix cell's `(key, value)` pairs in the matrix's key order, for
/// [`job_name`]: the model keeps a matrix's axes sorted by name, so this
/// is that order (`cloud`, `database`, `integration`, `schema`).
pub fn cell_pairs(cell: &Cell) -> Vec<(String, String)> {
    cell.values
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// The job name of a task: its step id and its cell, if any.
pub fn task_job_name(step_id: &str, cell: Option<&Cell>) -> String {
    job_name(step_id, cell.map(cell_pairs).as_deref())
}

/// The name of the gate job before `step_id`'s job.
pub fn gate_job_name(step_id: &str) -> String {
    format!("{GATE_PREFIX}{step_id}")
}

/// The environment whose required review approves a manual step: the
/// step's environment, or else `approve-` and the step's [`job_id`].
pub fn approval_environment(step_id: &str, environment: Option<&str>) -> String {
    environment.map_or_else(|| format!("approve-{}", job_id(step_id)), str::to_owned)
}

/// What a job's name says it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobRef {
    /// The plan job.
    Plan,
    /// The gate job of a step.
    Gate {
        /// The step.
        step: String,
    },
    /// A step's job, or a matrix cell's.
    Step {
        /// The step id.
        step: String,
        /// The cell's `(key, value)` pairs, in the name's order.
        cell: Option<Vec<(String, String)>>,
    },
}

/// Reads a job's name back ([`job_name`], [`gate_job_name`], [`PLAN_JOB`]).
/// A name that does not parse as a cell (`build (linux)`, no `=`) is a
/// step id as written; whether such a step exists is the caller's question.
pub fn job_of_name(name: &str) -> JobRef {
    if name == PLAN_JOB {
        return JobRef::Plan;
    }
    if let Some(step) = name.strip_prefix(GATE_PREFIX) {
        return JobRef::Gate {
            step: step.to_owned(),
        };
    }
    if let Some((step, rest)) = name.split_once(" (")
        && let Some(inner) = rest.strip_suffix(')')
    {
        let pairs: Option<Vec<(String, String)>> = inner
            .split(", ")
            .map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
            })
            .collect();
        if let Some(pairs) = pairs {
            return JobRef::Step {
                step: step.to_owned(),
                cell: Some(pairs),
            };
        }
    }
    JobRef::Step {
        step: name.to_owned(),
        cell: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn job_ids_keep_the_allowed_characters_and_start_right() {
        assert_eq!(job_id("build-stack"), "build-stack");
        assert_eq!(job_id("build_stack"), "build_stack");
        assert_eq!(job_id("deploy prod/eu"), "deploy_prod_eu");
        assert_eq!(job_id("1st"), "_1st");
        assert_eq!(job_id("-x"), "_-x");
        assert_eq!(job_id("_x"), "_x");
        assert_eq!(job_id("caf\u{e9}"), "caf_");
    }

    #[test]
    fn two_steps_of_one_job_id_are_an_error() {
        assert_eq!(job_ids(["a", "b"]).unwrap(), ["a", "b"]);
        let err = job_ids(["deploy.prod", "deploy_prod"]).unwrap_err();
        insta::assert_snapshot!(err, @r#"steps "deploy.prod" and "deploy_prod" both become the GitHub job id "deploy_prod"; rename one (job ids keep only letters, digits, '-' and '_')"#);
    }

    #[test]
    fn names_round_trip() {
        let cell = vec![("target".to_owned(), "vm".to_owned())];
        for (name, job) in [
            ("plan", JobRef::Plan),
            (
                "gate: final",
                JobRef::Gate {
                    step: "final".into(),
                },
            ),
            (
                "beta",
                JobRef::Step {
                    step: "beta".into(),
                    cell: None,
                },
            ),
            (
                "deployment-options (target=vm)",
                JobRef::Step {
                    step: "deployment-options".into(),
                    cell: Some(cell.clone()),
                },
            ),
            (
                "build (linux)",
                JobRef::Step {
                    step: "build (linux)".into(),
                    cell: None,
                },
            ),
        ] {
            assert_eq!(job_of_name(name), job, "{name}");
        }
        assert_eq!(
            job_name("deployment-options", Some(&cell)),
            "deployment-options (target=vm)"
        );
        assert_eq!(gate_job_name("final"), "gate: final");
        assert_eq!(
            approval_environment("release-notes", None),
            "approve-release-notes"
        );
        assert_eq!(
            approval_environment("verify", Some("production")),
            "production"
        );
    }
}
