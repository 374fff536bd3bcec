//! The environments a workflow uses, as GitHub's environments REST API
//! takes them (`PUT /repos/{owner}/{repo}/environments/{name}`): required
//! reviewers, `prevent_self_review`, the wait timer and the deployment
//! branch policy.
//!
//! GitHub wants reviewers as numeric ids; the process knows logins. Each
//! reviewer is written `{"type": "User", "login": "alice", "id": null}`
//! and the document's `resolve` field says how to fill the ids
//! (`gh api users/LOGIN --jq .id`) before the body is sent.

use serde::Serialize;

use super::ExportNote;
use crate::gate::{Rule, SelfApproval};
use crate::process::Process;
use crate::{Error, Result};

/// The environment a manual step's job enters, so that GitHub pauses it
/// for its reviewers.
pub(super) fn approval_environment(step: &str) -> String {
    // One rule with the import's: naming owns it.
    super::naming::approval_environment(step, None)
}

#[derive(Serialize)]
struct Document {
    /// How to turn logins into the ids the API wants.
    resolve: &'static str,
    environments: Vec<EnvironmentSettings>,
}

#[derive(Serialize)]
struct EnvironmentSettings {
    name: String,
    /// The request that applies `body`.
    api: String,
    body: Body,
}

#[derive(Serialize)]
struct Body {
    wait_timer: u32,
    prevent_self_review: bool,
    reviewers: Vec<Reviewer>,
    deployment_branch_policy: Option<BranchPolicy>,
}

#[derive(Serialize)]
struct Reviewer {
    #[serde(rename = "type")]
    kind: &'static str,
    login: String,
    id: Option<u64>,
}

#[derive(Serialize)]
struct BranchPolicy {
    protected_branches: bool,
    custom_branch_policies: bool,
}

const RESOLVE: &str = "replace each reviewer's null id: users with `gh api users/LOGIN --jq .id`, teams (login ORG/SLUG) with `gh api orgs/ORG/teams/SLUG --jq .id`; drop `login`; then `gh api -X PUT repos/OWNER/REPO/environments/NAME --input BODY.json`";

/// The settings document (JSON text) of every environment the workflow's
/// jobs enter, and notes on what it cannot carry.
pub(super) fn document(process: &Process) -> Result<(String, Vec<ExportNote>)> {
    let def = process.def();
    let mut notes = Vec::new();
    let mut environments = Vec::new();
    for env in &def.environments {
        let mut reviewers = Vec::new();
        let mut prevent_self_review = false;
        let uses = def
            .steps
            .iter()
            .any(|s| s.details.environment.as_ref() == Some(&env.name));
        let approvals = def
            .steps
            .iter()
            .filter(|s| s.details.environment.as_ref() == Some(&env.name))
            .flat_map(|s| s.details.gates.iter())
            .chain(env.gates.iter())
            .filter_map(|g| match &g.rule {
                Rule::Approvals { role, .. } => Some(role),
                _ => None,
            });
        for role in approvals {
            if let Some(r) = def.roles.get(role) {
                prevent_self_review |= r.self_approval == SelfApproval::Forbidden;
                for member in &r.members {
                    if !reviewers
                        .iter()
                        .any(|x: &Reviewer| x.login == member.as_str())
                    {
                        reviewers.push(Reviewer {
                            kind: if member.as_str().contains('/') {
                                "Team"
                            } else {
                                "User"
                            },
                            login: member.as_str().to_owned(),
                            id: None,
                        });
                    }
                }
            }
        }
        if reviewers.len() > 6 {
            notes.push(ExportNote {
                about: Some(format!("environment {}", env.name)),
                what: format!(
                    "{} reviewers, over GitHub's 6 per environment",
                    reviewers.len()
                ),
                how: "the first six are listed; give the rest through a team".to_owned(),
                enforced: false,
            });
            reviewers.truncate(6);
        }
        if uses || !reviewers.is_empty() {
            environments.push(EnvironmentSettings {
                api: format!("PUT /repos/{{owner}}/{{repo}}/environments/{}", env.name),
                name: env.name.clone(),
                body: Body {
                    wait_timer: 0,
                    prevent_self_review,
                    reviewers,
                    deployment_branch_policy: None,
                },
            });
        }
    }
    for step in def
        .steps
        .iter()
        .filter(|s| s.is_manual() && s.details.environment.is_none())
    {
        environments.push(EnvironmentSettings {
            name: approval_environment(&step.id),
            api: format!(
                "PUT /repos/{{owner}}/{{repo}}/environments/{}",
                approval_environment(&step.id)
            ),
            body: Body {
                wait_timer: 0,
                prevent_self_review: true,
                reviewers: Vec::new(),
                deployment_branch_policy: None,
            },
        });
    }
    let text = serde_json::to_string_pretty(&Document {
        resolve: RESOLVE,
        environments,
    })
    .map_err(|e| Error::invalid(format!("export: the settings could not be written: {e}")))?;
    Ok((text + "\n", notes))
}
