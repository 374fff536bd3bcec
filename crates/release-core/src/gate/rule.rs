//! Rules over facts, and named gates that hold them.

use serde::{Deserialize, Serialize};

use super::Requirement;
use super::fact::{FactKind, FactValue};
use crate::duration::Span;
use crate::version::TagRule;

/// A rule over facts. Rules compose with [`All`](Rule::All),
/// [`Any`](Rule::Any) and [`Not`](Rule::Not).
///
/// Serialised as a one-key table, the natural `release.toml` shape:
///
/// ```toml
/// rule = { test = "e2e" }
/// rule = { count = { name = "open_blockers", at_most = 0 } }
/// rule = { approvals = { role = "qa", at_least = 1 } }
/// rule = { soak = { environment = "staging", at_least = "24h" } }
/// rule = { all = [{ not_holiday = "uk" }, { in_window = "promotion" }] }
/// ```
///
/// Each rule reads facts of one kind; a missing fact leaves the rule
/// pending, never failed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[cfg_attr(feature = "schema", schemars(rename = "GateRule"))]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
#[non_exhaustive]
pub enum Rule {
    /// The test (fact `test`, subject = the name) passed.
    Test(String),
    /// A count (fact `count`) is at most a limit: open blockers == 0 is
    /// `{ name = "open_blockers", at_most = 0 }`.
    Count {
        /// What is counted.
        name: String,
        /// The largest count that passes.
        at_most: i64,
    },
    /// At least `at_least` distinct people approved in `role` (facts
    /// `approval`, which a run builds only from `approved` events). The
    /// requester (the run's `requested` event) may not approve their own
    /// release, so the rule stays pending until the requester is known;
    /// with `[roles]`, only the role's members count.
    Approvals {
        /// The role (subject of the approval facts).
        role: String,
        /// How many distinct approvers are needed.
        at_least: u32,
    },
    /// The calendar says it is not a holiday (fact `calendar.holiday`,
    /// subject = the calendar).
    NotHoliday(String),
    /// The calendar says a window is open (fact `calendar.window_open`,
    /// subject = the window).
    InWindow(String),
    /// Promotion order: the component's tag (fact `tag`) was deployed to
    /// environment `from` before (a fact `deployed` with that tag, subject
    /// = `from`, at any earlier time). Pending, naming what `from` holds,
    /// until then.
    Promoted {
        /// The component whose tag is promoted.
        component: String,
        /// The environment the tag must have reached first.
        from: String,
    },
    /// An artifact has been in an environment for at least a duration (fact
    /// `deployed`, subject = the environment, time = when deployed). Pending,
    /// with the instant it will pass, until then.
    Soak {
        /// The environment.
        environment: String,
        /// How long it must have been there.
        at_least: Span,
        /// Which artifact (tag) must be there; any when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        artifact: Option<String>,
    },
    /// A component's tag (fact `tag`, subject = the component) satisfies a
    /// tag rule, e.g. [`TagRule::production_grade`].
    Tag {
        /// The component.
        component: String,
        /// The rule the tag must pass.
        #[serde(default = "TagRule::production_grade")]
        rule: TagRule,
    },
    /// Every pinned upstream tag (facts `pin`, subject = the upstream
    /// component) passes a tag rule and comes from the named branch: the
    /// Fragalysis stack takes only production-grade tags from the
    /// `production` branches of backend and frontend.
    Pins {
        /// The upstream components.
        components: Vec<String>,
        /// The branch every pinned tag must come from.
        branch: String,
        /// The rule every pinned tag must pass (production-grade by default).
        #[serde(default = "TagRule::production_grade")]
        rule: TagRule,
    },
    /// Every required cell of a test matrix passed (facts `test`, subject =
    /// the cell's task id); advisory cells are reported but do not block;
    /// skippable cells may be skipped.
    ///
    /// In a pipeline, write only `step`: the cells are filled in from the
    /// matrix step when the pipeline is built.
    Matrix {
        /// The matrix step.
        step: String,
        /// The cells and what each requires.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        cells: Vec<CellSpec>,
    },
    /// The latest fact of a kind and subject equals a value.
    Fact {
        /// The kind.
        kind: FactKind,
        /// The subject.
        #[serde(default)]
        subject: String,
        /// The value that passes.
        equals: FactValue,
    },
    /// A step reported an output (fact `output`, subject `<step>.<name>`,
    /// from its `RELEASE_OUTPUT` file): any value, or the value `equals`.
    /// Pending until the step reports it.
    Output {
        /// The step (task id) that reports it.
        step: String,
        /// The output's name.
        name: String,
        /// The value that passes; any when absent.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        equals: Option<String>,
    },
    /// The rule held before a milestone of the release (fact
    /// `calendar.milestone`, subject = the milestone, value = its instant,
    /// which a process gives for its release day's milestones): "the
    /// cherry-picks merged before the feature freeze" is
    /// `{ before = { milestone = "feature freeze", rule = { test = "cherry-picks" } } }`.
    /// The inner rule is evaluated on the facts known at the milestone;
    /// before it, a pending inner rule is pending; from it on, a rule that
    /// did not hold by then fails.
    Before {
        /// The milestone.
        milestone: String,
        /// What must have held by then.
        rule: Box<Rule>,
    },
    /// Every rule holds (an empty list holds).
    All(Vec<Rule>),
    /// Some rule holds (an empty list does not).
    Any(Vec<Rule>),
    /// The rule does not hold.
    Not(Box<Rule>),
}

/// One cell of a [`Rule::Matrix`]: its task id and requirement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct CellSpec {
    /// The cell's task id, `step[cell]`, the subject of its test fact.
    pub id: String,
    /// Whether the cell must pass.
    #[serde(default)]
    pub requirement: Requirement,
}

impl Rule {
    /// `{ test = name }`.
    pub fn test(name: impl Into<String>) -> Rule {
        Rule::Test(name.into())
    }

    /// No more than `at_most` of `name` (`Rule::count("open_blockers", 0)`).
    pub fn count(name: impl Into<String>, at_most: i64) -> Rule {
        Rule::Count {
            name: name.into(),
            at_most,
        }
    }

    /// At least `at_least` approvals by `role`, not counting the requester.
    pub fn approvals(role: impl Into<String>, at_least: u32) -> Rule {
        Rule::Approvals {
            role: role.into(),
            at_least,
        }
    }

    /// In `environment` for at least `at_least`.
    pub fn soak(environment: impl Into<String>, at_least: Span) -> Rule {
        Rule::Soak {
            environment: environment.into(),
            at_least,
            artifact: None,
        }
    }

    /// The component's tag reached `from` first (promotion order).
    pub fn promoted(component: impl Into<String>, from: impl Into<String>) -> Rule {
        Rule::Promoted {
            component: component.into(),
            from: from.into(),
        }
    }

    /// The component's tag passes `rule`.
    pub fn tag(component: impl Into<String>, rule: TagRule) -> Rule {
        Rule::Tag {
            component: component.into(),
            rule,
        }
    }

    /// Every pin of `components` is production-grade and from `branch`.
    pub fn pins<I, S>(components: I, branch: impl Into<String>) -> Rule
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        Rule::Pins {
            components: components.into_iter().map(Into::into).collect(),
            branch: branch.into(),
            rule: TagRule::production_grade(),
        }
    }

    /// The matrix step's required cells passed (cells filled in by the
    /// pipeline).
    pub fn matrix(step: impl Into<String>) -> Rule {
        Rule::Matrix {
            step: step.into(),
            cells: Vec::new(),
        }
    }

    /// `rule` held before the milestone `milestone`.
    pub fn before(milestone: impl Into<String>, rule: Rule) -> Rule {
        Rule::Before {
            milestone: milestone.into(),
            rule: Box::new(rule),
        }
    }

    /// Not this rule.
    #[allow(clippy::should_implement_trait)] // a constructor named as the rule reads, not `!`.
    pub fn not(rule: Rule) -> Rule {
        Rule::Not(Box::new(rule))
    }

    /// Every sub-rule, depth first, this one included.
    pub fn walk(&self) -> Vec<&Rule> {
        let mut out = vec![self];
        let mut i = 0;
        while let Some(rule) = out.get(i).copied() {
            match rule {
                Rule::All(rules) | Rule::Any(rules) => out.extend(rules.iter()),
                Rule::Not(rule) | Rule::Before { rule, .. } => out.push(rule),
                _ => {}
            }
            i += 1;
        }
        out
    }

    pub(crate) fn walk_mut(&mut self, f: &mut dyn FnMut(&mut Rule)) {
        f(self);
        match self {
            Rule::All(rules) | Rule::Any(rules) => {
                for rule in rules {
                    rule.walk_mut(f);
                }
            }
            Rule::Not(rule) | Rule::Before { rule, .. } => rule.walk_mut(f),
            _ => {}
        }
    }
}

/// A named rule: what must hold before a step runs or a release enters an
/// environment.
///
/// ```toml
/// [[environments.gates]]
/// name = "qa-signoff"
/// rule = { approvals = { role = "qa", at_least = 1 } }
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Gate {
    /// The gate's name, used in verdicts and waivers.
    pub name: String,
    /// The rule.
    pub rule: Rule,
}

impl Gate {
    /// A gate.
    pub fn new(name: impl Into<String>, rule: Rule) -> Gate {
        Gate {
            name: name.into(),
            rule,
        }
    }
}
