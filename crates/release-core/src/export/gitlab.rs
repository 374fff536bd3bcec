//! The GitLab CI pipeline of a process: a `plan` job whose dotenv report
//! carries the versions, then one job per step linked by `needs`, with
//! `environment`, `when: manual`, `resource_group` and `parallel:matrix`
//! where GitLab has them natively.

use std::collections::BTreeMap;

use serde::Serialize;

use super::common::{Jobs, check_ids, component_of, gates_of, slug, title};
use super::naming::{self, PLAN_JOB};
use super::{Export, ExportFile, ExportNote, ExportOptions};
use crate::gate::{Requirement, Rule};
use crate::pipeline::Step;
use crate::process::Process;
use crate::run::{Piece, env_name, placeholders};
use crate::{Error, Result};

/// GitLab's documented limit: `parallel:matrix` makes at most 200 jobs.
const MATRIX_JOBS: usize = 200;

pub(super) fn export(process: &Process, o: &ExportOptions) -> Result<Export> {
    let def = process.def();
    check_ids(&def.steps)?;
    let mut notes = Vec::new();
    let mut jobs: Vec<(String, Job)> = vec![(PLAN_JOB.to_owned(), plan_job(process))];
    for step in &def.steps {
        notes.extend(super::common::edits_note(step));
        let gates = gates_of(process, step);
        let mut calendar = Vec::new();
        for gate in &gates {
            match &gate.rule {
                Rule::InWindow(_) | Rule::NotHoliday(_) => calendar.push(gate.name.clone()),
                _ => notes.push(ExportNote {
                    about: Some(step.id.to_string()),
                    what: format!(
                        "gate {:?}: GitLab has no import of a pipeline's run into a journal yet, so facts, approvals in roles and soak times are not known to `release explain` there",
                        gate.name
                    ),
                    how: "not checked by the pipeline; protect the environment (GitLab Premium's protected environments and deployment approvals) or gate it by hand".to_owned(),
                    enforced: false,
                }),
            }
        }
        let mut job = step_job(process, step, &mut notes)?;
        if !calendar.is_empty() {
            // The calendar needs no journal: `release explain` knows windows
            // and holidays at the job's own time.
            job.script.insert(
                0,
                format!(
                    "release explain \"$RELEASE_PROCESS\" {} || {{ echo \"waiting for {}\"; exit 1; }}",
                    shell_quote(&step.id),
                    calendar.join(", ")
                ),
            );
            notes.push(ExportNote {
                about: Some(step.id.to_string()),
                what: format!("calendar gates {}: GitLab has no time-based rule", calendar.join(", ")),
                how: "the job asks `release explain` first and fails while the calendar says no (retry it then)".to_owned(),
                enforced: true,
            });
        }
        jobs.push((naming::job_id(&step.id), job));
    }
    let doc = Pipeline {
        workflow: Workflow {
            name: format!("release {}", title(process)),
            rules: vec![Rule1 {
                condition: "$CI_PIPELINE_SOURCE == \"web\" || $CI_PIPELINE_SOURCE == \"schedule\" || $CI_PIPELINE_SOURCE == \"api\"".to_owned(),
            }],
        },
        variables: BTreeMap::from([
            ("CARGO_HOME", "$CI_PROJECT_DIR/.cargo".to_owned()),
            ("RELEASE_PROCESS", o.process_path.clone()),
        ]),
        default: Default_ {
            image: "rust:1".to_owned(),
            cache: Cache {
                key: format!("release-cli-{}", o.cli_version),
                paths: vec![".cargo/bin/".to_owned()],
            },
            before_script: vec![
                "export PATH=\"$CARGO_HOME/bin:$PATH\"".to_owned(),
                "command -v jq >/dev/null || { apt-get update -qq && apt-get install -y -qq jq; }".to_owned(),
                match &o.binary_url {
                    Some(url) => format!(
                        "command -v release >/dev/null || {{ mkdir -p \"$CARGO_HOME/bin\" && curl -fsSL {} -o \"$CARGO_HOME/bin/release\" && chmod +x \"$CARGO_HOME/bin/release\"; }}",
                        shell_quote(url)
                    ),
                    None => format!(
                        "command -v release >/dev/null || cargo install --locked release-cli --version {}",
                        o.cli_version
                    ),
                },
            ],
        },
        jobs: Jobs(jobs),
    };
    let yaml = serde_saphyr::to_string(&doc).map_err(|e| {
        Error::invalid(format!(
            "export: the pipeline could not be written as YAML: {e}"
        ))
    })?;
    notes.push(ExportNote {
        about: None,
        what: "the jobs' image: every job runs in `rust:1` (cargo for release-cli, jq added)".to_owned(),
        how: "the tools the steps' commands call (gh, kubectl, docker) are the team's to add to the image".to_owned(),
        enforced: false,
    });
    notes.push(ExportNote {
        about: None,
        what: "release days: GitLab schedules are set in the project's settings, not in the file".to_owned(),
        how: "add an hourly pipeline schedule; the plan job's guard asks the calendar and the step jobs run only on a release day".to_owned(),
        enforced: true,
    });
    Ok(Export {
        files: vec![ExportFile {
            path: format!(".gitlab/release/{}.gitlab-ci.yml", slug(process)),
            text: format!(
                "# Generated by release-core {} from {} (`release export gitlab-ci`).\n# Include it from .gitlab-ci.yml; edit the process and export again rather than this file.\n{yaml}",
                env!("CARGO_PKG_VERSION"),
                o.process_path
            ),
        }],
        notes,
    })
}

/// The first job: whether a scheduled pipeline is on a release day, and
/// the versions as a dotenv report every later job reads
/// (`RELEASE_COMPONENT_BACKEND_TAG`, ..., as `release run` names them).
fn plan_job(process: &Process) -> Job {
    let release = process
        .default_release()
        .map(|r| format!(" --release {}", shell_quote(r.name())))
        .unwrap_or_default();
    let name = r#"(.component | ascii_upcase | gsub("[.-]"; "_"))"#;
    // A scheduled pipeline runs hourly; this hour is a release day if the
    // release day's occurrence falls in it (one script item: GitLab runs
    // each item as a command of its own).
    let guard = [
        "if [ \"$CI_PIPELINE_SOURCE\" = schedule ]; then",
        "  hour=\"$(date -u +%Y-%m-%dT%H:00:00Z)\"",
        "  at=\"$(release --json plan \"$RELEASE_PROCESS\" --now \"$hour\" | jq -r '.release.occurrence.at // empty')\"",
        "  start=\"$(date -u -d \"$hour\" +%s)\"",
        "  if [ -z \"$at\" ] || [ \"$(date -u -d \"$at\" +%s)\" -lt \"$start\" ] || [ \"$(date -u -d \"$at\" +%s)\" -ge $((start + 3600)) ]; then echo \"not a release day\"; exit 1; fi",
        "fi",
    ];
    let script = vec![
        guard.join("\n"),
        format!(
            "release --json next \"$RELEASE_PROCESS\"{release} | jq -r '.[] | \"RELEASE_COMPONENT_\\({name})_TAG=\\(.next // \"\")\", \"RELEASE_COMPONENT_\\({name})_VERSION=\\(.version // \"\")\", \"RELEASE_COMPONENT_\\({name})_CURRENT_TAG=\\(.current // \"\")\", \"RELEASE_COMPONENT_\\({name})_CURRENT_VERSION=\\(.current_version // \"\")\"' > plan.env"
        ),
    ];
    Job {
        script,
        artifacts: Some(Artifacts {
            reports: BTreeMap::from([("dotenv", "plan.env".to_owned())]),
        }),
        ..Job::default()
    }
}

fn step_job(process: &Process, step: &Step, notes: &mut Vec<ExportNote>) -> Result<Job> {
    let mut needs = vec![PLAN_JOB.to_owned()];
    needs.extend(step.needs.iter().map(|n| naming::job_id(n)));
    let mut job = Job {
        needs,
        environment: step.details.environment.clone(),
        resource_group: step.details.environment.clone(),
        when: step.is_manual().then(|| "manual".to_owned()),
        allow_failure: step.is_manual().then_some(false),
        timeout: step
            .details
            .timeout
            .map(|t| format!("{}m", (t.to_delta().num_seconds().max(60) + 59) / 60)),
        ..Job::default()
    };
    if let Some(m) = &step.details.matrix {
        let cells = m.expand(MATRIX_JOBS + 1).unwrap_or_default();
        if cells.is_empty() || cells.len() > MATRIX_JOBS {
            return Err(Error::invalid(format!(
                "export: step {:?}'s matrix is over GitLab's {MATRIX_JOBS} jobs per parallel:matrix; split it into several steps",
                step.id
            )));
        }
        if cells
            .iter()
            .any(|c| c.requirement.unwrap_or(m.requirement) != Requirement::Required)
        {
            notes.push(ExportNote {
                about: Some(step.id.to_string()),
                what: "advisory or skippable matrix cells: GitLab's allow_failure is per job, not per cell".to_owned(),
                how: "every cell must pass".to_owned(),
                enforced: false,
            });
        }
        job.parallel = Some(Parallel {
            matrix: cells
                .iter()
                .map(|c| {
                    c.values
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect()
                })
                .collect(),
        });
    }
    let mut variables = BTreeMap::from([
        ("RELEASE_TASK".to_owned(), step.id.to_string()),
        ("RELEASE_ATTEMPT".to_owned(), "1".to_owned()),
    ]);
    if let Some(serde_json::Value::Object(vars)) = step.details.metadata.get("env") {
        for (k, v) in vars {
            if let Some(v) = v.as_str() {
                variables.insert(k.clone(), v.to_owned());
            }
        }
    }
    job.variables = variables;
    job.script = vec![match (&step.details.command, step.is_manual()) {
        (Some(argv), _) => command_line(process, step, argv, notes),
        (None, true) => format!("echo \"{} approved by $GITLAB_USER_LOGIN\"", step.id),
        (None, false) => {
            notes.push(ExportNote {
                about: Some(step.id.to_string()),
                what: "a step without a command".to_owned(),
                how: "its job only marks the step done; give it a command to run".to_owned(),
                enforced: false,
            });
            format!("echo \"step {} has no command\"", step.id)
        }
    }];
    Ok(job)
}

/// The command as one shell line: each argument in double quotes, its
/// placeholders as the plan job's dotenv variables (`{tag}` ->
/// `${RELEASE_COMPONENT_BACKEND_TAG}`), matrix values as the job's own
/// (`{cell.os}` -> `${os}`). A placeholder with no such variable is
/// written as it is, with a note.
fn command_line(
    process: &Process,
    step: &Step,
    argv: &[String],
    notes: &mut Vec<ExportNote>,
) -> String {
    let own = component_of(process, step);
    let variable = |name: &str| -> Option<String> {
        let fields = ["tag", "version", "current_tag", "current_version"];
        match name.split('.').collect::<Vec<_>>().as_slice() {
            ["step"] => Some(step.id.to_string()),
            ["environment"] => step.details.environment.clone(),
            ["component"] => own.map(str::to_owned),
            [field] if fields.contains(field) => {
                own.map(|c| format!("${{{}}}", env_name(&format!("component.{c}.{field}"))))
            }
            ["component", _, field] if fields.contains(field) => {
                Some(format!("${{{}}}", env_name(name)))
            }
            ["component", _, "pin", pinned] => Some(format!(
                "${{{}}}",
                env_name(&format!("component.{pinned}.tag"))
            )),
            ["cell", axis] => Some(format!("${{{axis}}}")),
            _ => None,
        }
    };
    let mut line = Vec::with_capacity(argv.len());
    for arg in argv {
        let Ok(pieces) = placeholders(arg) else {
            line.push(shell_quote(arg));
            continue;
        };
        let mut quoted = String::from("\"");
        for piece in pieces {
            match piece {
                Piece::Text(t) => quoted.push_str(&escape_double(t)),
                Piece::Name(n) => {
                    match variable(n) {
                        Some(v) if v.starts_with("${") => quoted.push_str(&v),
                        Some(v) => quoted.push_str(&escape_double(&v)),
                        None => {
                            notes.push(ExportNote {
                            about: Some(step.id.to_string()),
                            what: format!("placeholder {{{n}}} in {arg:?}: no GitLab variable gives its value"),
                            how: "the argument is passed as written".to_owned(),
                            enforced: false,
                        });
                            quoted.push_str(&escape_double(&format!("{{{n}}}")));
                        }
                    }
                }
            }
        }
        quoted.push('"');
        line.push(quoted);
    }
    line.join(" ")
}

/// Text inside a double-quoted shell word: `\`, `"`, `$` and `` ` ``
/// escaped.
fn escape_double(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '\\' | '"' | '$' | '`') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

fn shell_quote(arg: &str) -> String {
    super::shell::join(&[arg.to_owned()])
}

// ------------------------------------------------------------ the document

#[derive(Serialize)]
struct Pipeline {
    workflow: Workflow,
    variables: BTreeMap<&'static str, String>,
    default: Default_,
    #[serde(flatten)]
    jobs: Jobs<Job>,
}

#[derive(Serialize)]
struct Workflow {
    name: String,
    rules: Vec<Rule1>,
}

#[derive(Serialize)]
struct Rule1 {
    #[serde(rename = "if")]
    condition: String,
}

#[derive(Serialize)]
struct Default_ {
    image: String,
    cache: Cache,
    before_script: Vec<String>,
}

#[derive(Serialize)]
struct Cache {
    key: String,
    paths: Vec<String>,
}

#[derive(Serialize, Default)]
struct Job {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    needs: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    environment: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    resource_group: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    when: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    allow_failure: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    timeout: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    parallel: Option<Parallel>,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    variables: BTreeMap<String, String>,
    script: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    artifacts: Option<Artifacts>,
}

#[derive(Serialize)]
struct Parallel {
    matrix: Vec<BTreeMap<String, String>>,
}

#[derive(Serialize)]
struct Artifacts {
    reports: BTreeMap<&'static str, String>,
}
