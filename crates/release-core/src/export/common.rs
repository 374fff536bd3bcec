//! What every target's export needs: the process's names, job ids that
//! cannot collide, and the gates a step must pass.

use std::collections::BTreeMap;

use super::naming::{self, PLAN_JOB};
use crate::gate::Gate;
use crate::pipeline::Step;
use crate::process::Process;
use crate::{Error, Result};

/// The process's name for titles, or `release` without one.
pub(super) fn title(process: &Process) -> String {
    match process.name() {
        "" => "process".to_owned(),
        name => name.to_owned(),
    }
}

/// The process's name as a file name: lowercase ASCII letters, digits and
/// `-`.
pub(super) fn slug(process: &Process) -> String {
    let mut out = String::new();
    for c in process.name().chars() {
        match c {
            'a'..='z' | '0'..='9' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            _ if !out.ends_with('-') && !out.is_empty() => out.push('-'),
            _ => {}
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() {
        "release".to_owned()
    } else {
        out
    }
}

/// Two step ids that map to one job id are refused; so is a step that
/// takes the id of a job the export adds.
pub(super) fn check_ids(steps: &[Step]) -> Result<()> {
    let mut seen: BTreeMap<String, &str> = BTreeMap::new();
    for step in steps {
        for id in [naming::job_id(&step.id), naming::gate_job_id(&step.id)] {
            if id == PLAN_JOB {
                return Err(Error::invalid(format!(
                    "export: step {:?} would take the job id {PLAN_JOB:?} of the planning job; rename the step",
                    step.id
                )));
            }
            if let Some(other) = seen.insert(id.clone(), &step.id) {
                return Err(Error::invalid(format!(
                    "export: steps {other:?} and {:?} both map to the job id {id:?} (job ids hold only letters, digits, '-' and '_'); rename one",
                    step.id
                )));
            }
        }
    }
    Ok(())
}

/// A step's gates and those of the environment it enters.
pub(super) fn gates_of(process: &Process, step: &Step) -> Vec<Gate> {
    let mut gates = step.details.gates.clone();
    if let Some(env) = step
        .details
        .environment
        .as_deref()
        .and_then(|e| process.pipeline().environment(e))
    {
        gates.extend(env.gates.iter().cloned());
    }
    gates
}

/// The component a step releases: its `component`, or the process's only
/// component with a tag scheme.
pub(super) fn component_of<'p>(process: &'p Process, step: &'p Step) -> Option<&'p str> {
    step.details.component.as_deref().or_else(|| {
        process
            .def()
            .only_tagged_component()
            .map(|c| c.name.as_str())
    })
}

/// Jobs in the order they were made (plan first): a map whose keys keep
/// that order, as both engines read jobs by key.
pub(super) struct Jobs<J>(pub(super) Vec<(String, J)>);

impl<J: serde::Serialize> serde::Serialize for Jobs<J> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for (id, job) in &self.0 {
            map.serialize_entry(id, job)?;
        }
        map.end()
    }
}

/// The note of a step's file edits (`[[steps.edits]]`), which an exported
/// job does not make: said, never dropped in silence.
pub(super) fn edits_note(step: &Step) -> Option<super::ExportNote> {
    if step.details.edits.is_empty() {
        return None;
    }
    let mut files: Vec<&str> = Vec::new();
    for edit in &step.details.edits {
        if !files.contains(&edit.file.as_str()) {
            files.push(&edit.file);
        }
    }
    Some(super::ExportNote {
        about: Some(step.id.to_string()),
        what: format!("file edits of {}: the exported job does not make them", files.join(", ")),
        how: "left out; make them in the step's command (`release edit FILE --set KEY=VALUE`), or run the step with `release run`".to_owned(),
        enforced: false,
    })
}
