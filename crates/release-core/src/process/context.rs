//! A run's [`ReleaseContext`] from the plan: what the release releases.

use std::collections::BTreeMap;

use chrono::{DateTime, SecondsFormat, Utc};

use super::model::Process;
use super::next::NextRelease;
use crate::edit::{ChangelogNotes, EditFormat, PlannedEdit};
use crate::gate::Facts;
use crate::run::{
    COMPONENT_FIELDS, Event, Piece, RELEASE_NAMES, ReleaseContext, TASK_NAMES, Task, expand,
    placeholders,
};
use crate::{Result, Warning};

impl Process {
    /// What a run from `now` releases, as [`plan`](Self::plan) and
    /// [`next_releases`](Self::next_releases) compute it from the existing
    /// `tags` (by component): the release's name (`release.name`: the
    /// `[[releases]]` entry, else the process), its day (`release.day`,
    /// RFC 3339, or the date without a release day) and kind
    /// (`release.kind`, when declared), and per component
    /// `component.<name>.version`, `.tag` (the next), `.current_version`
    /// and `.current_tag` (the latest given), where known, and
    /// `component.<name>.pin.<upstream>`: the tag it pins (the upstream's
    /// next, else its latest). With the warnings of tags left out.
    ///
    /// # Errors
    ///
    /// The errors of [`next_releases`](Self::next_releases).
    pub fn context(
        &self,
        now: DateTime<Utc>,
        tags: &BTreeMap<String, Vec<String>>,
        facts: &Facts,
        journal: &[Event],
        release: Option<&str>,
    ) -> Result<(ReleaseContext, Vec<Warning>)> {
        self.context_with(now, tags, &BTreeMap::new(), facts, journal, release)
    }

    /// [`context`](Self::context) with the `changes` since each
    /// component's latest tag (by component), which raise the next
    /// versions as in [`next_releases`](Self::next_releases).
    ///
    /// # Errors
    ///
    /// The errors of [`next_releases`](Self::next_releases).
    pub fn context_with(
        &self,
        now: DateTime<Utc>,
        tags: &BTreeMap<String, Vec<String>>,
        changes: &BTreeMap<String, Vec<crate::version::Change>>,
        facts: &Facts,
        journal: &[Event],
        release: Option<&str>,
    ) -> Result<(ReleaseContext, Vec<Warning>)> {
        let releases = self.next_releases(now, tags, changes, facts, journal, release)?;
        let mut context = ReleaseContext::new();
        let mut warnings = Vec::new();
        let Some(r) = releases.first() else {
            context.set("release.name", self.name());
            return Ok((context, warnings));
        };
        self.release_values(r, &mut context);
        for v in &r.versions {
            let scheme = self
                .pipeline()
                .component(&v.component)
                .and_then(|c| c.tags.as_ref());
            let version = |tag: &str| {
                scheme
                    .and_then(|s| s.version_of(tag))
                    .map_or_else(|| tag.to_owned(), |v| v.to_string())
            };
            let key = |field: &str| format!("component.{}.{field}", v.component);
            if let Some(next) = &v.next {
                context.set(key("tag"), next.clone());
                context.set(key("version"), version(next));
            }
            if let Some(current) = &v.current {
                context.set(key("current_tag"), current.clone());
                context.set(key("current_version"), version(current));
            }
            warnings.extend(v.warnings.iter().cloned());
        }
        self.pin_values(&mut context);
        Ok((context, warnings))
    }

    /// `release.name`, `release.day`, `release.kind` of `r`.
    fn release_values(&self, r: &NextRelease, context: &mut ReleaseContext) {
        context.set(
            "release.name",
            r.release.clone().unwrap_or_else(|| self.name().to_owned()),
        );
        let day = match &r.occurrence {
            Some(o) => o.at.to_rfc3339_opts(SecondsFormat::Secs, true),
            None => r.date.to_string(),
        };
        context.set("release.day", day);
        if let Some(kind) = r.versions.iter().find_map(|v| v.kind()) {
            context.set("release.kind", kind.to_string());
        }
    }

    /// `component.<c>.pin.<upstream>` for every pin: a fixed tag, else the
    /// upstream's next tag, else its latest.
    fn pin_values(&self, context: &mut ReleaseContext) {
        for c in &self.pipeline().def().components {
            for pin in &c.pins {
                let up = |field: &str| {
                    context
                        .values
                        .get(&format!("component.{}.{field}", pin.component))
                        .cloned()
                };
                if let Some(tag) = pin
                    .tag
                    .clone()
                    .or_else(|| up("tag"))
                    .or_else(|| up("current_tag"))
                {
                    context.set(format!("component.{}.pin.{}", c.name, pin.component), tag);
                }
            }
        }
    }
}

impl Process {
    /// The file edits `task` makes, with its values (see
    /// [`ReleaseContext::of_task`]) in their placeholders; a changelog's
    /// notes name the step's component (else the one tagged component),
    /// its version and the release day's date. `lenient` (a plan) leaves a
    /// placeholder without a value as written; a run refuses it.
    ///
    /// # Errors
    ///
    /// Without `lenient`, an [invalid error](crate::ErrorKind::Invalid)
    /// naming the edit and the placeholder without a value.
    pub fn edits_of(&self, task: &Task<'_>, lenient: bool) -> Result<Vec<PlannedEdit>> {
        let values = task.values();
        let mut out = Vec::with_capacity(task.step.details.edits.len());
        for (j, edit) in task.step.details.edits.iter().enumerate() {
            // Checked when the file was read: every edit has a format.
            let Some(format) = edit.effective_format() else {
                continue;
            };
            let value = match &edit.value {
                Some(v) => Some(match expand(v, &values) {
                    Ok(v) => v,
                    Err(_) if lenient => v.clone(),
                    Err(e) => {
                        return Err(crate::Error::invalid(format!(
                            "step {:?}: edits[{j}] ({}): value {v:?}: {e}",
                            task.id, edit.file
                        )));
                    }
                }),
                None => None,
            };
            let notes = (format == EditFormat::Changelog)
                .then(|| super::model::notes_component(self.def(), task.step).ok())
                .flatten()
                .map(|component| ChangelogNotes {
                    component: component.to_owned(),
                    version: values
                        .get(&format!("component.{component}.version"))
                        .cloned(),
                    date: values
                        .get("release.day")
                        .and_then(|d| d.get(..10))
                        .filter(|d| d.parse::<chrono::NaiveDate>().is_ok())
                        .map(str::to_owned),
                });
            out.push(PlannedEdit {
                file: edit.file.clone(),
                format,
                key: edit.key.clone(),
                value,
                notes,
            });
        }
        Ok(out)
    }
}

/// Why a step's command cannot run: a placeholder that no run of this
/// process can fill, or a brace out of place; `Ok` when every placeholder
/// names a value a run may have (`{tag}` of a step without a component
/// is refused: no component, no tag).
pub(crate) fn check_command(
    process_components: &[(&str, Vec<&str>)],
    steps: &[&str],
    step: &crate::pipeline::Step,
    cell_axes: &[&str],
    arg: &str,
) -> std::result::Result<(), String> {
    for piece in placeholders(arg)? {
        let Piece::Name(name) = piece else { continue };
        if known(process_components, steps, step, cell_axes, name) {
            continue;
        }
        return Err(format!(
            "unknown placeholder {{{name}}}; {}",
            hint(process_components, step, cell_axes)
        ));
    }
    Ok(())
}

fn known(
    components: &[(&str, Vec<&str>)],
    steps: &[&str],
    step: &crate::pipeline::Step,
    cell_axes: &[&str],
    name: &str,
) -> bool {
    let own_component = [
        "component",
        "version",
        "tag",
        "current_version",
        "current_tag",
    ];
    if TASK_NAMES.contains(&name) {
        return match name {
            "environment" => step.details.environment.is_some(),
            n if own_component.contains(&n) => step.details.component.is_some(),
            _ => true,
        };
    }
    if RELEASE_NAMES.contains(&name) {
        return true;
    }
    if let Some(axis) = name.strip_prefix("cell.") {
        return cell_axes.contains(&axis);
    }
    if let Some(rest) = name.strip_prefix("output.") {
        // `output.<step>.<name>`: a step of the file (its id may hold dots
        // of its own, so every split is tried).
        return rest.match_indices('.').any(|(i, _)| {
            steps.contains(&&rest[..i]) && crate::run::is_output_name(&rest[i + 1..])
        });
    }
    let Some(rest) = name.strip_prefix("component.") else {
        return false;
    };
    components.iter().any(|(c, pins)| {
        rest.strip_prefix(c)
            .and_then(|r| r.strip_prefix('.'))
            .is_some_and(|field| {
                COMPONENT_FIELDS.contains(&field)
                    || field
                        .strip_prefix("pin.")
                        .is_some_and(|up| pins.contains(&up))
            })
    })
}

/// The names a step may use, for the error.
fn hint(
    components: &[(&str, Vec<&str>)],
    step: &crate::pipeline::Step,
    cell_axes: &[&str],
) -> String {
    let mut names: Vec<String> = vec!["{step}".into(), "{attempt}".into()];
    if step.details.environment.is_some() {
        names.push("{environment}".into());
    }
    if step.details.component.is_some() {
        names.extend(
            [
                "{component}",
                "{version}",
                "{tag}",
                "{current_version}",
                "{current_tag}",
            ]
            .map(String::from),
        );
    }
    names.extend(RELEASE_NAMES.iter().map(|n| format!("{{{n}}}")));
    names.extend(cell_axes.iter().map(|a| format!("{{cell.{a}}}")));
    names.push("{output.STEP.NAME}".into());
    if let Some((c, _)) = components.first() {
        names.push(format!(
            "{{component.{c}.tag}} (and .version, .current_tag, .current_version)"
        ));
    }
    format!(
        "a command may use {}; `{{{{` and `}}}}` are literal braces",
        names.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use chrono::{DateTime, Utc};

    use super::Process;
    use crate::gate::Facts;
    use crate::version::Change;

    const EDITS: &str = r#"
[[components]]
name = "backend"
tags = { template = "v{version}", scheme = { kind = "semver" } }

[[components]]
name = "stack"
tags = { template = "{version}", scheme = { kind = "semver" } }
pins = [{ component = "backend" }]

[[steps]]
id = "bump"
kind = "custom"
component = "backend"
edits = [
  { file = "Cargo.toml", key = "package.version", value = "{version}" },
  { file = "CHANGELOG.md" },
]

[[steps]]
id = "pin"
kind = "custom"
component = "stack"
needs = ["bump"]
edits = [
  { file = "build.yaml", key = "env.BE_IMAGE_TAG", value = "{component.stack.pin.backend}" },
  { file = "out.json", format = "json", key = "a", value = "{output.bump.digest}" },
]
"#;

    fn now() -> DateTime<Utc> {
        "2023-06-20T10:00:00Z".parse().unwrap()
    }

    #[test]
    fn a_plan_resolves_each_steps_edits_from_the_tags_and_the_commits() {
        let process = Process::from_toml("release.toml", EDITS).unwrap();
        let tags = BTreeMap::from([("backend".to_owned(), vec!["v1.2.0".to_owned()])]);
        let changes = BTreeMap::from([("backend".to_owned(), vec![Change::parse("feat: x")])]);
        let plan = process
            .plan_tagged(now(), &Facts::new(), &[], None, &tags, &changes)
            .unwrap();
        let edits: Vec<_> = plan.steps.iter().map(|s| &s.edits).collect();
        let edits = serde_json::to_string_pretty(&edits).unwrap();
        insta::assert_snapshot!(edits, @r#"
        [
          [
            {
              "file": "Cargo.toml",
              "format": "toml",
              "key": "package.version",
              "value": "1.3.0"
            },
            {
              "file": "CHANGELOG.md",
              "format": "changelog",
              "notes": {
                "component": "backend",
                "version": "1.3.0",
                "date": "2023-06-20"
              }
            }
          ],
          [
            {
              "file": "build.yaml",
              "format": "yaml",
              "key": "env.BE_IMAGE_TAG",
              "value": "v1.3.0"
            },
            {
              "file": "out.json",
              "format": "json",
              "key": "a",
              "value": "{output.bump.digest}"
            }
          ]
        ]
        "#);
        // A run refuses what the plan leaves as written.
        let pipeline = process.pipeline();
        let pin = pipeline.lookup("pin").unwrap();
        let task = crate::run::Task::of(pipeline, pin, 1);
        let err = process.edits_of(&task, false).unwrap_err();
        insta::assert_snapshot!(err, @r#"step "pin": edits[0] (build.yaml): value "{component.stack.pin.backend}": {component.stack.pin.backend} has no value in this run (for versions and tags, give `release run` the existing tags: --tags FILE or --tag COMPONENT=TAG)"#);
    }

    #[test]
    fn a_step_without_edits_plans_none() {
        let process = Process::from_toml(
            "release.toml",
            "[[steps]]\nid = \"a\"\nkind = \"custom\"\ncommand = [\"true\"]\n",
        )
        .unwrap();
        let plan = process.plan(now(), &Facts::new(), &[]).unwrap();
        assert!(plan.steps[0].edits.is_empty());
    }
}
