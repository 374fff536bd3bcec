//! Roles: who may approve or waive for a role, and whether the requester
//! may approve their own release in it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::rule::{Gate, Rule};
use crate::identity::Identity;

/// Whether the requester of a release may approve it in a role (and waive
/// the gates that ask for that role's approvals). Forbidden unless a role
/// says otherwise: a team of one writes `self_approval = "allowed"`, and
/// every verdict that relied on it says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SelfApproval {
    /// The requester's approval does not count (the default).
    #[default]
    Forbidden,
    /// The requester may approve in this role if they are a member.
    Allowed,
}

crate::vocabulary! {
    SelfApproval, "self-approval policy",
    {
        Forbidden => "forbidden",
        Allowed => "allowed",
    }
}

/// A role of `[roles]`: its members, and whether a member who requested
/// the release may approve it.
///
/// ```toml
/// [roles.qa]
/// members = ["bob", "carol"]
///
/// [roles.release-manager]
/// members = ["alice"]
/// self_approval = "allowed"   # a team of one
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Role {
    /// Who may approve, or waive a gate that asks for this role's
    /// approvals.
    pub members: Vec<Identity>,
    /// Whether the requester, if a member, may approve their own release in
    /// this role (`forbidden` unless said).
    #[serde(default, skip_serializing_if = "is_forbidden")]
    pub self_approval: SelfApproval,
}

fn is_forbidden(s: &SelfApproval) -> bool {
    *s == SelfApproval::Forbidden
}

impl Role {
    /// A role with these members; self-approval forbidden.
    pub fn new(members: impl IntoIterator<Item = Identity>) -> Role {
        Role {
            members: members.into_iter().collect(),
            self_approval: SelfApproval::Forbidden,
        }
    }

    /// This role, with the given self-approval policy.
    pub fn self_approval(self, self_approval: SelfApproval) -> Role {
        Role {
            self_approval,
            ..self
        }
    }
}

/// Who counts as whom when approvals are counted and waivers given: the
/// release's requester and the process's roles.
///
/// Without roles (an empty table) anyone but the requester may approve in
/// any role; with roles, only a role's members may, and a role not in the
/// table has no members.
#[derive(Debug, Clone, Copy, Default)]
pub struct People<'a> {
    /// Who requested the release, once known.
    pub requester: Option<&'a Identity>,
    /// The roles, by name.
    pub roles: Option<&'a BTreeMap<String, Role>>,
}

/// A decision of [`People::may_approve`] that lets the approval count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Allowed {
    /// As anyone would be.
    Plainly,
    /// The requester, because the role allows self-approval: the note says
    /// so, for the verdict.
    BySelfApproval(String),
}

impl<'a> People<'a> {
    /// People with this requester and these roles.
    pub fn new(requester: Option<&'a Identity>, roles: &'a BTreeMap<String, Role>) -> People<'a> {
        People {
            requester,
            roles: Some(roles),
        }
    }

    fn roles(&self) -> Option<&'a BTreeMap<String, Role>> {
        self.roles.filter(|r| !r.is_empty())
    }

    /// Whether `who` may approve in `role`, or why not.
    pub(crate) fn may_approve(&self, role: &str, who: &Identity) -> Result<Allowed, String> {
        let declared = match self.roles() {
            None => None,
            Some(roles) => match roles.get(role) {
                None => {
                    let names: Vec<&str> = roles.keys().map(String::as_str).collect();
                    return Err(format!(
                        "role {role:?} is not in [roles] (roles: {}), so no one may approve in it",
                        names.join(", ")
                    ));
                }
                Some(r) => {
                    if !r.members.contains(who) {
                        let members: Vec<&str> = r.members.iter().map(Identity::as_str).collect();
                        return Err(format!(
                            "{who} is not a member of role {role:?} (members: {})",
                            if members.is_empty() {
                                "none".to_owned()
                            } else {
                                members.join(", ")
                            }
                        ));
                    }
                    Some(r)
                }
            },
        };
        if self.requester == Some(who) {
            return match declared {
                Some(r) if r.self_approval == SelfApproval::Allowed => {
                    Ok(Allowed::BySelfApproval(format!(
                        "{who} requested the release and approved it as {role}, allowed by self_approval = \"allowed\" of role {role:?}"
                    )))
                }
                _ => Err(format!(
                    "{who} requested the release, so their approval does not count"
                )),
            };
        }
        Ok(Allowed::Plainly)
    }

    /// Whether `who` may waive `gate`, or why not: the requester may not
    /// (unless every role whose approvals the gate asks for allows
    /// self-approval and lists them), and a gate that asks for a role's
    /// approvals is waived only by a member of that role.
    pub(crate) fn may_waive(&self, gate: &Gate, who: &Identity) -> Result<Allowed, String> {
        let mut roles = Vec::new();
        approval_roles(&gate.rule, &mut roles);
        let mut note = None;
        for role in &roles {
            match self.may_approve(role, who) {
                Ok(Allowed::Plainly) => {}
                Ok(Allowed::BySelfApproval(n)) => note = Some(n),
                Err(why) => {
                    return Err(format!("{who} may not waive gate {:?}: {why}", gate.name));
                }
            }
        }
        if roles.is_empty() && self.requester == Some(who) {
            return Err(format!(
                "{who} requested the release and may not waive gate {:?}, which guards it",
                gate.name
            ));
        }
        Ok(note.map_or(Allowed::Plainly, Allowed::BySelfApproval))
    }
}

/// The roles whose approvals a rule asks for, anywhere inside it.
pub(crate) fn approval_roles<'r>(rule: &'r Rule, out: &mut Vec<&'r str>) {
    match rule {
        Rule::All(rules) | Rule::Any(rules) => {
            for r in rules {
                approval_roles(r, out);
            }
        }
        Rule::Not(inner) | Rule::Before { rule: inner, .. } => approval_roles(inner, out),
        Rule::Approvals { role, .. } if !out.contains(&role.as_str()) => out.push(role),
        _ => {}
    }
}

/// Whether a rule asks for approvals anywhere inside it.
pub fn asks_for_approvals(rule: &Rule) -> bool {
    let mut roles = Vec::new();
    approval_roles(rule, &mut roles);
    !roles.is_empty()
}
