//! What can be wrong with a pipeline definition, as values: validation
//! collects every [`Problem`] it finds, then reports them all in one
//! error.

use std::fmt;

use super::step::StepKind;

/// One thing wrong with a pipeline definition. Its `Display` is the
/// message the pipeline's error gives for it.
///
/// Numbers (`index`, `first`, `second`) count from 1, as the messages do,
/// except those of an [`IndexedPipeline`](super::IndexedPipeline)'s edges
/// and nodes, which are indices into the lists given and count from 0.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[allow(missing_docs)] // The fields are named after what the message says.
pub enum Problem {
    /// A component or environment without a name.
    EmptyName { what: &'static str, index: usize },
    /// Two components or environments of one name.
    DuplicateName {
        what: &'static str,
        name: String,
        first: usize,
        second: usize,
    },
    /// A component pins itself.
    PinsItself { component: String },
    /// A component pins a component the pipeline does not have.
    PinsUnknown { component: String, pin: String },
    /// A component pins another twice.
    PinsTwice { component: String, pin: String },
    /// A step without an id.
    EmptyStepId { index: usize },
    /// A step id with `[` or `]`, which name matrix cells.
    ReservedInStepId { step: String },
    /// Two steps of one id.
    DuplicateStep {
        step: String,
        first: usize,
        second: usize,
    },
    /// A matrix without axes.
    NoAxes { step: String },
    /// A matrix axis without values.
    AxisWithoutValues { step: String, axis: String },
    /// A matrix axis listing a value twice.
    AxisValueTwice {
        step: String,
        axis: String,
        value: String,
    },
    /// A listed cell names an axis the matrix does not have.
    CellUnknownAxis {
        step: String,
        cell: CellAt,
        axis: String,
    },
    /// A listed cell has a value its axis does not list.
    CellUnknownValue {
        step: String,
        cell: CellAt,
        axis: String,
        value: String,
        values: Vec<String>,
    },
    /// A listed cell has no value for an axis.
    CellWithoutValue {
        step: String,
        cell: CellAt,
        axis: String,
    },
    /// A full-product matrix with more cells than `limit`.
    MatrixTooLarge { step: String, limit: usize },
    /// A cell whose name is empty or has `[` or `]`.
    BadCellName { step: String, label: String },
    /// Two cells of one step with one name.
    DuplicateCell { step: String, label: String },
    /// Something wrong with the gates of a step or environment.
    Gate {
        owner: GateOwner,
        problem: GateProblem,
    },
    /// A step names a component the pipeline does not have.
    UnknownComponent { step: String, component: String },
    /// A step names an environment the pipeline does not have.
    UnknownEnvironment { step: String, environment: String },
    /// A wait step without `wait`.
    WaitWithoutWait { step: String },
    /// A step that is not a wait step but has `wait`.
    WaitOnOtherKind { step: String, kind: StepKind },
    /// A wait step waiting for no time.
    WaitsForZero { step: String },
    /// A step's `metadata.env` is not a table of strings.
    Env { step: String, problem: String },
    /// A timeout of 0.
    ZeroTimeout { step: String },
    /// A timeout on a step that runs no command (`manual`, else a wait step).
    TimeoutWithoutCommand { step: String, manual: bool },
    /// `max_attempts = 0`.
    ZeroAttempts { step: String },
    /// An empty command.
    EmptyCommand { step: String },
    /// A command whose program name is empty.
    EmptyProgram { step: String },
    /// A step needs a step the pipeline does not have.
    UnknownNeed { step: String, need: String },
    /// A step needs another twice.
    NeedTwice { step: String, need: String },
    /// More tasks than the engine's ids can count.
    TooManyTasks { tasks: usize, limit: u32 },
    /// The needs form a cycle: its steps in order, from the first
    /// declared (empty when no cycle could be named).
    Cycle { steps: Vec<String> },
    /// [`IndexedPipeline::from_edges`](super::IndexedPipeline::from_edges):
    /// not one estimate per node.
    EstimateCount { nodes: usize, estimates: usize },
    /// An edge (`edges[edge] = (from, to)`, counted from 0 like the list)
    /// names a node at or past `nodes`.
    EdgeOutOfRange {
        edge: usize,
        from: u32,
        to: u32,
        nodes: usize,
    },
    /// An edge from a node to itself.
    SelfLoop { edge: usize, node: u32 },
    /// An edge given twice: `edges[edge]` repeats `edges[first]`.
    DuplicateEdge {
        edge: usize,
        first: usize,
        from: u32,
        to: u32,
    },
    /// The edges form a cycle: its nodes in order, each needing the next,
    /// from the lowest index.
    NodeCycle { nodes: Vec<u32> },
}

/// Which listed cell of a matrix: by its name, else by its place in the
/// list (from 1).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CellAt {
    /// A cell with a `name`.
    Named(String),
    /// A cell without one, by its place in the list.
    Numbered(usize),
}

/// What holds a gate: a step, or an environment (whose gates guard the
/// steps deploying to it).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum GateOwner {
    /// A step's gates, by step id.
    Step(String),
    /// An environment's gates, by environment name.
    Environment(String),
}

/// One thing wrong with the gates of a step or an environment; the
/// owner is its [`Problem::Gate`]'s. `gate` is the gate's name.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
#[allow(missing_docs)] // The fields are named after what the message says.
pub enum GateProblem {
    /// A gate without a name.
    EmptyName,
    /// Two gates of one name.
    Twice { gate: String },
    /// A `tag` rule reads a component the pipeline does not have.
    TagOfUnknown { gate: String, component: String },
    /// A `pins` rule of no component.
    PinsOfNone { gate: String },
    /// A `pins` rule reads a component the pipeline does not have.
    PinOfUnknown { gate: String, component: String },
    /// A `soak` rule in an environment the pipeline does not have.
    SoakInUnknown { gate: String, environment: String },
    /// A `promoted` rule of a component the pipeline does not have.
    PromotesUnknown { gate: String, component: String },
    /// A `promoted` rule from an environment the pipeline does not have.
    PromotesFromUnknown { gate: String, environment: String },
    /// An `approvals` rule asking for none.
    ZeroApprovals { gate: String },
    /// An `approvals` rule of a role `[roles]` does not have.
    UnknownRole {
        gate: String,
        role: String,
        roles: Vec<String>,
    },
    /// A `matrix` rule naming a step the pipeline does not have.
    UnknownMatrixStep { gate: String, step: String },
    /// A `matrix` rule naming a step without a matrix.
    NotAMatrix { gate: String, step: String },
    /// A `matrix` rule naming a cell its step does not have.
    UnknownCell {
        gate: String,
        step: String,
        cell: String,
    },
}

// One arm per message: a table to read down, not logic to follow.
impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::EmptyName { what, index } => write!(f, "{what} #{index} has an empty name"),
            Problem::DuplicateName {
                what,
                name,
                first,
                second,
            } => write!(
                f,
                "duplicate {what} {name:?} ({what}s #{first} and #{second})"
            ),
            Problem::PinsItself { component } => write!(f, "component {component:?} pins itself"),
            Problem::PinsUnknown { component, pin } => {
                write!(f, "component {component:?} pins unknown component {pin:?}")
            }
            Problem::PinsTwice { component, pin } => {
                write!(f, "component {component:?} pins {pin:?} twice")
            }
            Problem::EmptyStepId { index } => write!(f, "step #{index} has an empty id"),
            Problem::ReservedInStepId { step } => write!(
                f,
                "step id {step:?} contains '[' or ']', which are reserved for matrix cells"
            ),
            Problem::DuplicateStep {
                step,
                first,
                second,
            } => write!(
                f,
                "duplicate step id {step:?} (steps #{first} and #{second})"
            ),
            Problem::Gate { owner, problem } => problem.fmt_for(owner, f),
            Problem::NoAxes { step } => write!(f, "the matrix of step {step:?} has no axes"),
            Problem::AxisWithoutValues { step, axis } => write!(
                f,
                "axis {axis:?} of the matrix of step {step:?} has no values"
            ),
            Problem::AxisValueTwice { step, axis, value } => write!(
                f,
                "axis {axis:?} of the matrix of step {step:?} lists {value:?} twice"
            ),
            Problem::CellUnknownAxis { step, cell, axis } => {
                write!(f, "{} names unknown axis {axis:?}", cell.of(step))
            }
            Problem::CellUnknownValue {
                step,
                cell,
                axis,
                value,
                values,
            } => write!(
                f,
                "{} has {axis} = {value:?}, which is not one of {}",
                cell.of(step),
                quoted(values)
            ),
            Problem::CellWithoutValue { step, cell, axis } => {
                write!(f, "{} has no value for axis {axis:?}", cell.of(step))
            }
            Problem::MatrixTooLarge { step, limit } => write!(
                f,
                "the matrix of step {step:?} has more than {limit} cells; list the cells to run"
            ),
            Problem::BadCellName { step, label } => write!(
                f,
                "cell {label:?} of step {step:?} needs a name without '[' or ']'"
            ),
            Problem::DuplicateCell { step, label } => {
                write!(f, "step {step:?} has two cells named {label:?}")
            }
            Problem::UnknownComponent { step, component } => {
                write!(f, "step {step:?} names unknown component {component:?}")
            }
            Problem::UnknownEnvironment { step, environment } => {
                write!(f, "step {step:?} names unknown environment {environment:?}")
            }
            Problem::WaitWithoutWait { step } => write!(
                f,
                "step {step:?} is a wait step without `wait` (a duration or an instant)"
            ),
            Problem::WaitOnOtherKind { step, kind } => write!(
                f,
                "step {step:?} is a {kind} step but has `wait`; only wait steps wait"
            ),
            Problem::WaitsForZero { step } => write!(f, "step {step:?} waits for 0"),
            Problem::Env { step, problem } => write!(f, "step {step:?}: {problem}"),
            Problem::ZeroTimeout { step } => write!(
                f,
                "step {step:?} has a timeout of 0; give a positive duration, or none"
            ),
            Problem::TimeoutWithoutCommand { step, manual } => write!(
                f,
                "step {step:?} is a {} step and runs no command, so it cannot have a timeout",
                if *manual { "manual" } else { "wait" }
            ),
            Problem::ZeroAttempts { step } => {
                write!(f, "step {step:?} has max_attempts 0; it must be at least 1")
            }
            Problem::EmptyCommand { step } => write!(f, "step {step:?} has an empty command"),
            Problem::EmptyProgram { step } => {
                write!(f, "step {step:?} has an empty program name in its command")
            }
            Problem::UnknownNeed { step, need } => {
                write!(f, "step {step:?} needs unknown step {need:?}")
            }
            Problem::NeedTwice { step, need } => write!(f, "step {step:?} needs {need:?} twice"),
            Problem::TooManyTasks { tasks, limit } => {
                write!(f, "the pipeline has {tasks} tasks; the limit is {limit}")
            }
            Problem::Cycle { steps } if steps.is_empty() => f.write_str("the needs form a cycle"),
            Problem::Cycle { steps } => {
                let mut names: Vec<String> = steps.iter().map(|s| format!("{s:?}")).collect();
                if let Some(first) = names.first().cloned() {
                    names.push(first);
                }
                write!(f, "cycle in needs: {}", names.join(" needs "))
            }
            Problem::EstimateCount { nodes, estimates } => {
                write!(
                    f,
                    "{nodes} nodes but {estimates} estimates: give one per node"
                )
            }
            Problem::EdgeOutOfRange {
                edge,
                from,
                to,
                nodes,
            } => {
                let node = if *from as usize >= *nodes { from } else { to };
                let known = match nodes {
                    0 => "there are no nodes".to_owned(),
                    n => format!("the nodes are 0 to {}", n - 1),
                };
                write!(
                    f,
                    "edges[{edge}] = ({from}, {to}) names node {node}, but {known}"
                )
            }
            Problem::SelfLoop { edge, node } => {
                write!(
                    f,
                    "edges[{edge}] = ({node}, {node}) is a self-loop: node {node} needs itself"
                )
            }
            Problem::DuplicateEdge {
                edge,
                first,
                from,
                to,
            } => write!(f, "edges[{edge}] = ({from}, {to}) repeats edges[{first}]"),
            Problem::NodeCycle { nodes } => {
                let mut names: Vec<String> = nodes.iter().map(|n| format!("node {n}")).collect();
                if let Some(first) = names.first().cloned() {
                    names.push(first);
                }
                write!(f, "cycle in edges: {}", names.join(" needs "))
            }
        }
    }
}

impl CellAt {
    /// `cell "name" of step "id"`, or `cell #2 of step "id"`.
    fn of(&self, step: &str) -> String {
        match self {
            CellAt::Named(name) => format!("cell {name:?} of step {step:?}"),
            CellAt::Numbered(n) => format!("cell #{n} of step {step:?}"),
        }
    }
}

impl fmt::Display for GateOwner {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GateOwner::Step(id) => write!(f, "step {id:?}"),
            GateOwner::Environment(name) => write!(f, "environment {name:?}"),
        }
    }
}

impl GateProblem {
    fn fmt_for(&self, owner: &GateOwner, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = |gate: &str| format!("gate {gate:?} of {owner}");
        match self {
            GateProblem::EmptyName => write!(f, "{owner} has a gate with an empty name"),
            GateProblem::Twice { gate } => write!(f, "{owner} has two gates named {gate:?}"),
            GateProblem::TagOfUnknown { gate, component } => write!(
                f,
                "{} reads the tag of unknown component {component:?}",
                at(gate)
            ),
            GateProblem::PinsOfNone { gate } => {
                write!(f, "{} checks the pins of no component", at(gate))
            }
            GateProblem::PinOfUnknown { gate, component } => write!(
                f,
                "{} checks the pin of unknown component {component:?}",
                at(gate)
            ),
            GateProblem::SoakInUnknown { gate, environment } => write!(
                f,
                "{} soaks in unknown environment {environment:?}",
                at(gate)
            ),
            GateProblem::PromotesUnknown { gate, component } => write!(
                f,
                "{} promotes the tag of unknown component {component:?}",
                at(gate)
            ),
            GateProblem::PromotesFromUnknown { gate, environment } => write!(
                f,
                "{} promotes from unknown environment {environment:?}",
                at(gate)
            ),
            GateProblem::ZeroApprovals { gate } => {
                write!(f, "{} asks for 0 approvals; ask for at least 1", at(gate))
            }
            GateProblem::UnknownRole { gate, role, roles } => write!(
                f,
                "{} asks for approvals by role {role:?}, which is not in [roles] (roles: {})",
                at(gate),
                roles.join(", ")
            ),
            GateProblem::UnknownMatrixStep { gate, step } => {
                write!(f, "{} names unknown matrix step {step:?}", at(gate))
            }
            GateProblem::NotAMatrix { gate, step } => {
                write!(f, "{} names step {step:?}, which has no matrix", at(gate))
            }
            GateProblem::UnknownCell { gate, step, cell } => write!(
                f,
                "{} names unknown cell {cell:?} of step {step:?}",
                at(gate)
            ),
        }
    }
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}
