//! How steps are named on a CI engine: one rule from a step id (and a
//! matrix cell) to a job id and a job name, used by the export and read
//! back by the import.

use std::collections::BTreeMap;

/// The job id of step `step`: GitHub (and GitLab) job ids start with a
/// letter or `_` and hold only ASCII letters, digits, `-` and `_`; every
/// other character becomes `_`, and an id that would start with a digit or
/// `-` gets a leading `_`. Two steps whose ids map to one job id are
/// refused by the export.
///
/// ```
/// use release_core::export::naming::job_id;
///
/// assert_eq!(job_id("tag-backend"), "tag-backend");
/// assert_eq!(job_id("deploy.prod"), "deploy_prod");
/// assert_eq!(job_id("2fa-check"), "_2fa-check");
/// ```
pub fn job_id(step: &str) -> String {
    let mut id: String = step
        .chars()
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '-' | '_' => c,
            _ => '_',
        })
        .collect();
    if !id.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        id.insert(0, '_');
    }
    id
}

/// The job name of step `step`, or of one of its matrix cells: the step
/// id, and for a cell its values in axis order, `test (cloud=aws,
/// database=postgres)`. The name is what the engine reports for each job,
/// so the import maps it back with [`step_of_job_name`].
pub fn job_name(step: &str, cell: Option<&BTreeMap<String, String>>) -> String {
    match cell {
        Some(values) if !values.is_empty() => {
            let pairs: Vec<String> = values.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{step} ({})", pairs.join(", "))
        }
        _ => step.to_owned(),
    }
}

/// The name of the job that checks step `step`'s gates before it runs.
pub fn gate_job_name(step: &str) -> String {
    format!("gate: {step}")
}

/// The job id of the job that checks step `step`'s gates.
pub fn gate_job_id(step: &str) -> String {
    format!("gate-{}", job_id(step))
}

/// The environment whose required review approves manual step `step`:
/// GitHub pauses a job only to enter an environment with required
/// reviewers, so a manual step's job enters its own `environment`, or else
/// `approve-` and its [`job_id`]. An approval of that environment (the run's
/// approvals API) is the step's approval when imported.
///
/// ```
/// use release_core::export::naming::approval_environment;
///
/// assert_eq!(approval_environment("release-notes", None), "approve-release-notes");
/// assert_eq!(approval_environment("verify", Some("production")), "production");
/// ```
pub fn approval_environment(step: &str, environment: Option<&str>) -> String {
    environment.map_or_else(|| format!("approve-{}", job_id(step)), str::to_owned)
}

/// The name (and id) of the first job, which plans the release.
pub const PLAN_JOB: &str = "plan";

/// What a job of an exported workflow is, read from its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum JobRef {
    /// The planning job.
    Plan,
    /// The gate job of a step.
    Gate(String),
    /// A step, or a cell of a matrix step (its values).
    Step {
        /// The step id.
        step: String,
        /// The cell's values, for a matrix step.
        cell: Option<BTreeMap<String, String>>,
    },
}

/// Reads a job name back: [`PLAN_JOB`], a [`gate_job_name`], or a
/// [`job_name`]. Which step ids exist is the caller's to check.
///
/// ```
/// use release_core::export::naming::{JobRef, job_name, step_of_job_name};
///
/// let cell = [("cloud".to_owned(), "aws".to_owned())].into_iter().collect();
/// let name = job_name("test", Some(&cell));
/// assert_eq!(step_of_job_name(&name), JobRef::Step { step: "test".into(), cell: Some(cell) });
/// assert_eq!(step_of_job_name("gate: deploy"), JobRef::Gate("deploy".into()));
/// ```
pub fn step_of_job_name(name: &str) -> JobRef {
    if name == PLAN_JOB {
        return JobRef::Plan;
    }
    if let Some(step) = name.strip_prefix("gate: ") {
        return JobRef::Gate(step.to_owned());
    }
    if let Some((step, rest)) = name.split_once(" (")
        && let Some(inner) = rest.strip_suffix(')')
    {
        let cell: Option<BTreeMap<String, String>> = inner
            .split(", ")
            .map(|pair| {
                pair.split_once('=')
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
            })
            .collect();
        if let Some(cell) = cell {
            return JobRef::Step {
                step: step.to_owned(),
                cell: Some(cell),
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
    fn ids_are_what_github_accepts() {
        for (step, id) in [
            ("build", "build"),
            ("tag_backend", "tag_backend"),
            ("deploy to prod", "deploy_to_prod"),
            ("-x", "_-x"),
            ("9", "_9"),
            // One character, one `_` (not one per UTF-8 byte).
            ("é", "_"),
        ] {
            assert_eq!(job_id(step), id);
            assert!(job_id(step).starts_with(|c: char| c.is_ascii_alphabetic() || c == '_'));
        }
    }

    #[test]
    fn names_round_trip() {
        let cell: BTreeMap<String, String> = [("a", "1"), ("b", "x y")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v.to_owned()))
            .collect();
        for (step, cell) in [("test", Some(cell)), ("deploy", None)] {
            let name = job_name(step, cell.as_ref());
            assert_eq!(
                step_of_job_name(&name),
                JobRef::Step {
                    step: step.to_owned(),
                    cell
                }
            );
        }
        assert_eq!(step_of_job_name(PLAN_JOB), JobRef::Plan);
        assert_eq!(
            step_of_job_name(&gate_job_name("deploy")),
            JobRef::Gate("deploy".into())
        );
    }
}
