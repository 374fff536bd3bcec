//! The definition of a pipeline as data, and a builder for it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::component::{Component, Environment};
use super::graph::Pipeline;
use super::step::Step;
use crate::Result;
use crate::gate::Role;

/// A pipeline as written: components, environments in promotion order, and
/// steps. This is the `release.toml` shape; [`Pipeline::new`] validates it
/// into a [`Pipeline`].
///
/// ```toml
/// name = "fragalysis-production"
/// [[components]]
/// name = "backend"
/// [[environments]]
/// name = "production"
/// [[steps]]
/// id = "tag-backend"
/// kind = "tag"
/// component = "backend"
/// ```
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct PipelineDef {
    /// The pipeline's name, for humans and drawings.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// The components released.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub components: Vec<Component>,
    /// The environments, in promotion order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub environments: Vec<Environment>,
    /// The steps, in any order (dependencies decide the order).
    #[serde(default)]
    pub steps: Vec<Step>,
    /// Who may approve (and waive the gates that ask for approvals) in each
    /// role. Without roles, anyone but the requester may.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub roles: BTreeMap<String, Role>,
}

/// Builds a [`Pipeline`] step by step; [`build`](Self::build) validates.
///
/// # Example
///
/// ```
/// use release_core::pipeline::{Pipeline, Step, StepKind};
///
/// let pipeline = Pipeline::builder()
///     .name("demo")
///     .step(Step::new("build", StepKind::Build))
///     .step(Step::new("deploy", StepKind::Deploy).needs(["build"]))
///     .build()?;
/// assert_eq!(pipeline.len(), 2);
///
/// let err = Pipeline::builder()
///     .step(Step::new("a", StepKind::Build).needs(["b"]))
///     .step(Step::new("b", StepKind::Build).needs(["a"]))
///     .build()
///     .unwrap_err();
/// assert_eq!(err.to_string(), "cycle in needs: \"a\" needs \"b\" needs \"a\"");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default)]
pub struct PipelineBuilder {
    def: PipelineDef,
}

impl PipelineBuilder {
    /// An empty builder.
    pub fn new() -> PipelineBuilder {
        PipelineBuilder::default()
    }

    /// Names the pipeline.
    pub fn name(mut self, name: impl Into<String>) -> PipelineBuilder {
        self.def.name = name.into();
        self
    }

    /// Adds a component.
    pub fn component(mut self, component: Component) -> PipelineBuilder {
        self.def.components.push(component);
        self
    }

    /// Adds an environment (after the ones added before, in promotion order).
    pub fn environment(mut self, environment: Environment) -> PipelineBuilder {
        self.def.environments.push(environment);
        self
    }

    /// Adds a step.
    pub fn step(mut self, step: Step) -> PipelineBuilder {
        self.def.steps.push(step);
        self
    }

    /// Adds a role: who may approve in it.
    pub fn role(mut self, name: impl Into<String>, role: Role) -> PipelineBuilder {
        self.def.roles.insert(name.into(), role);
        self
    }

    /// Adds steps.
    pub fn steps(mut self, steps: impl IntoIterator<Item = Step>) -> PipelineBuilder {
        self.def.steps.extend(steps);
        self
    }

    /// The definition so far.
    pub fn def(&self) -> &PipelineDef {
        &self.def
    }

    /// Validates into a pipeline.
    ///
    /// # Errors
    ///
    /// An [invalid error](crate::ErrorKind::Invalid) listing every problem:
    /// see [`Pipeline::new`].
    pub fn build(self) -> Result<Pipeline> {
        Pipeline::new(self.def)
    }
}
