//! The validated pipeline: a DAG of tasks (steps, and matrix cells) behind
//! our own [`StepId`].

use std::fmt;

use serde::{Deserialize, Serialize};

use super::component::{Component, Environment};
use super::def::{PipelineBuilder, PipelineDef};
use super::index::IdIndex;
use super::matrix::Cell;
use super::step::{Step, StepKind};
use crate::duration::Estimate;
use crate::gate::Gate;
use crate::gate::Requirement;
use crate::{Error, Result};

/// A task of a validated [`Pipeline`]: a step, or one cell of a matrix
/// step. Ids are dense indices in declaration order (cells in cell order),
/// valid only for the pipeline that issued them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StepId(u32);

impl StepId {
    pub(crate) fn new(index: usize) -> StepId {
        // Pipelines are capped at u32::MAX tasks by validation.
        StepId(u32::try_from(index).unwrap_or(u32::MAX))
    }

    /// The id of the task at `index` in declaration order (as
    /// [`index`](Self::index) returns it): for bindings and tables keyed by
    /// index. Meaningful only for a pipeline with more tasks than `index`.
    pub fn from_index(index: usize) -> StepId {
        StepId::new(index)
    }

    /// The index, from 0 to `pipeline.len() - 1`.
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl fmt::Display for StepId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "#{}", self.0)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct NodeData {
    /// Index of the step in the definition.
    pub(crate) step: u32,
    /// Index in `cells` for a matrix cell, `u32::MAX` otherwise.
    pub(crate) cell: u32,
    pub(crate) requirement: Requirement,
}

/// A validated, immutable pipeline: a DAG of tasks.
///
/// It cannot be constructed invalid: [`Pipeline::new`] (or
/// [`PipelineBuilder::build`], or deserialising) checks every reference,
/// every id and the absence of cycles, and reports every problem at once.
///
/// Serialised as its [`PipelineDef`] (matrix gates with their cells filled
/// in).
///
/// # Example
///
/// ```
/// use release_core::pipeline::{Pipeline, Step, StepKind};
///
/// let p = Pipeline::builder()
///     .step(Step::new("tag", StepKind::Tag).estimate("1m".parse()?))
///     .step(Step::new("build", StepKind::Build).needs(["tag"]).estimate("10m..15m".parse()?))
///     .build()?;
/// let order: Vec<&str> = p.order().iter().map(|&id| p.node(id).id()).collect();
/// assert_eq!(order, ["tag", "build"]);
/// assert_eq!(p.critical_path().estimate.to_string(), "11m..16m");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct Pipeline {
    pub(crate) def: PipelineDef,
    pub(crate) nodes: Vec<NodeData>,
    pub(crate) cells: Vec<(Cell, Box<str>)>,
    pub(crate) index: IdIndex,
    pub(crate) needs_at: Vec<u32>,
    pub(crate) needs: Vec<StepId>,
    pub(crate) dependents_at: Vec<u32>,
    pub(crate) dependents: Vec<StepId>,
    pub(crate) order: Vec<StepId>,
    /// Per definition step k: its gates, then its environment's when it
    /// is a deploy step, `gates[gates_at[k]..gates_at[k + 1]]`.
    pub(crate) gates_at: Vec<u32>,
    pub(crate) gates: Vec<Gate>,
}

impl PartialEq for Pipeline {
    fn eq(&self, other: &Pipeline) -> bool {
        // Everything else is derived from the definition.
        self.def == other.def
    }
}

impl Pipeline {
    /// A builder.
    pub fn builder() -> PipelineBuilder {
        PipelineBuilder::new()
    }

    /// Validates a definition.
    ///
    /// # Errors
    ///
    /// An [invalid error](crate::ErrorKind::Invalid) naming every problem:
    /// a cycle (with the steps on it, in order), a step, component,
    /// environment or cell referenced but not defined, a duplicate id, an
    /// empty command, a `wait` step without a duration, a matrix cell
    /// outside its axes. One problem is the whole message; several are
    /// counted and joined with `; `.
    pub fn new(def: PipelineDef) -> Result<Pipeline> {
        super::validate::build(def)
    }

    /// The definition.
    pub fn def(&self) -> &PipelineDef {
        &self.def
    }

    /// The pipeline's name.
    pub fn name(&self) -> &str {
        &self.def.name
    }

    /// Who may approve in each role (`[roles]`).
    pub fn roles(&self) -> &std::collections::BTreeMap<String, crate::gate::Role> {
        &self.def.roles
    }

    /// Whether a run of this pipeline must say who requested it: some
    /// task is manual or has a gate that asks for approvals.
    pub fn needs_requester(&self) -> bool {
        self.nodes().any(|n| {
            n.is_manual()
                || n.gates()
                    .iter()
                    .any(|g| crate::gate::asks_for_approvals(&g.rule))
        })
    }

    /// How many tasks (steps, with matrix steps counted per cell).
    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    /// Whether there are no tasks.
    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    /// Every task id, in declaration order.
    pub fn ids(&self) -> impl ExactSizeIterator<Item = StepId> + use<> {
        (0..self.nodes.len()).map(StepId::new)
    }

    /// Every task, in declaration order.
    pub fn nodes(&self) -> impl ExactSizeIterator<Item = Node<'_>> {
        self.ids().map(|id| self.node(id))
    }

    /// A task by id.
    ///
    /// # Panics
    ///
    /// When `id` comes from another, larger pipeline.
    pub fn node(&self, id: StepId) -> Node<'_> {
        Node { pipeline: self, id }
    }

    /// A task by its text id (`build-stack`, `test[aws-integrated]`).
    pub fn find(&self, id: &str) -> Option<StepId> {
        self.index
            .get(id, |i| self.node(StepId(i)).id())
            .map(StepId)
    }

    /// A task by its text id, or an error naming it.
    ///
    /// # Errors
    ///
    /// An [invalid error](crate::ErrorKind::Invalid) for an unknown id.
    pub fn lookup(&self, id: &str) -> Result<StepId> {
        self.find(id)
            .ok_or_else(|| Error::invalid(format!("unknown task {id:?}")))
    }

    /// The tasks in a topological order: every task after all it needs.
    /// Among tasks free to go, declaration order decides.
    pub fn order(&self) -> &[StepId] {
        &self.order
    }

    /// A component by name.
    pub fn component(&self, name: &str) -> Option<&Component> {
        self.def.components.iter().find(|c| c.name == name)
    }

    /// An environment by name.
    pub fn environment(&self, name: &str) -> Option<&Environment> {
        self.def.environments.iter().find(|e| e.name == name)
    }

    /// The tasks with no needs.
    pub fn roots(&self) -> impl Iterator<Item = StepId> + '_ {
        self.ids().filter(|&id| self.node(id).needs().is_empty())
    }

    pub(crate) fn step_of(&self, id: StepId) -> &Step {
        let node = &self.nodes[id.index()];
        &self.def.steps[node.step as usize]
    }
}

impl Serialize for Pipeline {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        self.def.serialize(s)
    }
}

impl<'de> Deserialize<'de> for Pipeline {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Pipeline, D::Error> {
        let def = PipelineDef::deserialize(d)?;
        Pipeline::new(def).map_err(serde::de::Error::custom)
    }
}

impl TryFrom<PipelineDef> for Pipeline {
    type Error = Error;

    fn try_from(def: PipelineDef) -> Result<Pipeline> {
        Pipeline::new(def)
    }
}

/// A view of one task of a pipeline.
#[derive(Debug, Clone, Copy)]
pub struct Node<'a> {
    pipeline: &'a Pipeline,
    id: StepId,
}

impl<'a> Node<'a> {
    /// The task's id in the pipeline.
    pub fn step_id(&self) -> StepId {
        self.id
    }

    fn data(&self) -> &'a NodeData {
        &self.pipeline.nodes[self.id.index()]
    }

    /// The task's text id: the step's id, or `step[cell]` for a cell.
    pub fn id(&self) -> &'a str {
        let data = self.data();
        match self.pipeline.cells.get(data.cell as usize) {
            Some((_, id)) => id,
            None => &self.pipeline.def.steps[data.step as usize].id,
        }
    }

    /// The step this task comes from.
    pub fn step(&self) -> &'a Step {
        self.pipeline.step_of(self.id)
    }

    /// The step's kind.
    pub fn kind(&self) -> StepKind {
        self.step().kind
    }

    /// The matrix cell, for a cell task.
    pub fn cell(&self) -> Option<&'a Cell> {
        self.pipeline
            .cells
            .get(self.data().cell as usize)
            .map(|(c, _)| c)
    }

    /// Whether downstream tasks need this one to succeed.
    pub fn requirement(&self) -> Requirement {
        self.data().requirement
    }

    /// The estimate (of the step; every cell of a matrix the same).
    pub fn estimate(&self) -> Option<Estimate> {
        self.step().effective_estimate()
    }

    /// Whether a person does it.
    pub fn is_manual(&self) -> bool {
        self.step().is_manual()
    }

    /// The tasks this one needs.
    pub fn needs(&self) -> &'a [StepId] {
        let p = self.pipeline;
        let i = self.id.index();
        &p.needs[p.needs_at[i] as usize..p.needs_at[i + 1] as usize]
    }

    /// The tasks that need this one.
    pub fn dependents(&self) -> &'a [StepId] {
        let p = self.pipeline;
        let i = self.id.index();
        &p.dependents[p.dependents_at[i] as usize..p.dependents_at[i + 1] as usize]
    }

    /// The gates on this task: its step's, then (for a deploy step) its
    /// environment's.
    pub fn gates(&self) -> &'a [Gate] {
        let k = self.data().step as usize;
        let at = &self.pipeline.gates_at;
        &self.pipeline.gates[at[k] as usize..at[k + 1] as usize]
    }
}
