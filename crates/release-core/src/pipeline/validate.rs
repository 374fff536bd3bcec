//! Validation: a definition becomes a [`Pipeline`] only if every reference
//! resolves, every id is unique and the needs form no cycle. Every
//! [`Problem`] found is reported, in the order of the definition.

use std::collections::{BTreeMap, HashMap, HashSet};

use petgraph::graph::{DiGraph, NodeIndex};

use super::def::PipelineDef;
use super::graph::{NodeData, Pipeline, StepId};
use super::index::{IdIndex, NOT_FOUND};
use super::matrix::{Cell, Matrix};
use super::problem::{CellAt, GateOwner, GateProblem, Problem};
use super::step::{Step, StepKind, Wait};
use crate::duration::Span;
use crate::gate::{CellSpec, Gate, Requirement, Role, Rule};
use crate::{Error, Result};

/// The largest full-product matrix; beyond it, list the cells.
const MAX_PRODUCT: usize = 10_000;

/// How many problems an error message lists before counting the rest.
const MAX_LISTED: usize = 20;

pub(crate) fn build(mut def: PipelineDef) -> Result<Pipeline> {
    let mut problems: Vec<Problem> = Vec::new();
    let components = names(
        def.components.iter().map(|c| c.name.as_str()),
        "component",
        &mut problems,
    );
    check_pins(&def, &components, &mut problems);
    let environments = names(
        def.environments.iter().map(|e| e.name.as_str()),
        "environment",
        &mut problems,
    );
    let steps = StepTable::new(&def, &mut problems);
    let mut expanded: Vec<Option<Vec<Cell>>> =
        def.steps.iter().map(|s| expand(s, &mut problems)).collect();
    let specs = cell_specs(&def, &expanded);
    let refs = Refs {
        components: &components,
        environments: &environments,
        steps: &steps,
        specs: &specs,
        roles: &def.roles,
    };
    for e in &def.environments {
        let owner = GateOwner::Environment(e.name.clone());
        check_gates(&e.gates, &owner, &refs, &mut problems);
    }
    let resolved = resolve_needs(&def, &refs, &mut problems);
    let tasks = Tasks::lay_out(&def, &mut expanded);
    if tasks.nodes.len() >= u32::MAX as usize {
        problems.push(Problem::TooManyTasks {
            tasks: tasks.nodes.len(),
            limit: u32::MAX - 1,
        });
    }
    if !problems.is_empty() {
        // Cycles are reported too, on the needs that do resolve.
        problems.extend(cycles(&def, &steps));
        return Err(report(problems));
    }
    let edges = Edges::new(&tasks, resolved);
    let Some(order) = edges.order() else {
        let mut found = cycles(&def, &steps);
        if found.is_empty() {
            found.push(Problem::Cycle { steps: Vec::new() });
        }
        return Err(report(found));
    };
    let index = tasks.index(&def, steps.into_table());
    fill_matrix_gates(&mut def, &specs);
    let (gates_at, gates) = task_gates(&def);
    Ok(Pipeline {
        def,
        nodes: tasks.nodes,
        cells: tasks.cells,
        index,
        needs_at: edges.needs_at,
        needs: edges.needs,
        dependents_at: edges.dependents_at,
        dependents: edges.dependents,
        order,
        gates_at,
        gates,
    })
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Indexes names, reporting empty and duplicate ones.
fn names<'a>(
    list: impl Iterator<Item = &'a str>,
    what: &'static str,
    problems: &mut Vec<Problem>,
) -> HashMap<&'a str, usize> {
    let mut map = HashMap::new();
    for (i, name) in list.enumerate() {
        if name.trim().is_empty() {
            problems.push(Problem::EmptyName { what, index: i + 1 });
            continue;
        }
        if let Some(first) = map.insert(name, i) {
            problems.push(Problem::DuplicateName {
                what,
                name: name.to_owned(),
                first: first + 1,
                second: i + 1,
            });
            map.insert(name, first);
        }
    }
    map
}

/// Each component pins other components of the pipeline, each once.
fn check_pins(def: &PipelineDef, components: &HashMap<&str, usize>, problems: &mut Vec<Problem>) {
    for c in &def.components {
        let mut seen = HashSet::new();
        for pin in &c.pins {
            let (component, other) = (c.name.clone(), pin.component.clone());
            if pin.component == c.name {
                problems.push(Problem::PinsItself { component });
            } else if !components.contains_key(pin.component.as_str()) {
                problems.push(Problem::PinsUnknown {
                    component,
                    pin: other,
                });
            } else if !seen.insert(pin.component.as_str()) {
                problems.push(Problem::PinsTwice {
                    component,
                    pin: other,
                });
            }
        }
    }
}

/// The step ids, each once, found without copying them.
struct StepTable<'a> {
    // Probing compares against the ids where they are: a short id is
    // inline in its (88-byte) step, so one cache line holds both, where a
    // list of `&str` beside the steps would cost a second miss per lookup.
    steps: &'a [Step],
    table: IdIndex,
}

impl<'a> StepTable<'a> {
    /// The table of `def`'s step ids, reporting empty, reserved and
    /// duplicate ones.
    fn new(def: &'a PipelineDef, problems: &mut Vec<Problem>) -> StepTable<'a> {
        let steps = def.steps.as_slice();
        let mut table = IdIndex::with_capacity(def.steps.len());
        for (i, s) in def.steps.iter().enumerate() {
            if s.id.trim().is_empty() {
                problems.push(Problem::EmptyStepId { index: i + 1 });
                continue;
            }
            if s.id.contains(['[', ']']) {
                problems.push(Problem::ReservedInStepId {
                    step: s.id.to_string(),
                });
            }
            if let Some(first) = table.insert(&s.id, to_u32(i), |j| steps[j as usize].id.as_str()) {
                problems.push(Problem::DuplicateStep {
                    step: s.id.to_string(),
                    first: first as usize + 1,
                    second: i + 1,
                });
            }
        }
        StepTable { steps, table }
    }

    fn find(&self, id: &str) -> Option<u32> {
        self.table.get(id, |j| self.steps[j as usize].id.as_str())
    }

    /// [`find`](Self::find) of each id, appended to `out` in order,
    /// [`NOT_FOUND`] for an unknown one.
    fn find_all<'b>(&self, ids: impl Iterator<Item = &'b str>, out: &mut Vec<u32>) {
        self.table
            .get_all(ids, |j| self.steps[j as usize].id.as_str(), out);
    }

    /// Without matrix cells, tasks are steps: the step table is the index.
    fn into_table(self) -> IdIndex {
        self.table
    }
}

/// A matrix step's cells, or `None` for a step without a matrix or with
/// problems (reported).
fn expand(s: &Step, problems: &mut Vec<Problem>) -> Option<Vec<Cell>> {
    let matrix = s.details.matrix.as_ref()?;
    let before = problems.len();
    check_axes(&s.id, matrix, problems);
    check_listed_cells(&s.id, matrix, problems);
    if problems.len() > before {
        return None;
    }
    let Some(cells) = matrix.expand(MAX_PRODUCT) else {
        problems.push(Problem::MatrixTooLarge {
            step: s.id.to_string(),
            limit: MAX_PRODUCT,
        });
        return None;
    };
    let mut seen = HashSet::new();
    for cell in &cells {
        let label = cell.label();
        let step = s.id.to_string();
        if label.is_empty() || label.contains(['[', ']']) {
            problems.push(Problem::BadCellName { step, label });
        } else if !seen.insert(label.clone()) {
            problems.push(Problem::DuplicateCell { step, label });
        }
    }
    Some(cells)
}

/// A matrix has axes, each with values, each value once.
fn check_axes(step: &str, matrix: &Matrix, problems: &mut Vec<Problem>) {
    if matrix.axes.is_empty() {
        problems.push(Problem::NoAxes {
            step: step.to_owned(),
        });
    }
    for (axis, values) in &matrix.axes {
        if values.is_empty() {
            problems.push(Problem::AxisWithoutValues {
                step: step.to_owned(),
                axis: axis.clone(),
            });
        }
        let mut seen = HashSet::new();
        for v in values {
            if !seen.insert(v) {
                problems.push(Problem::AxisValueTwice {
                    step: step.to_owned(),
                    axis: axis.clone(),
                    value: v.clone(),
                });
            }
        }
    }
}

/// Each listed cell has one of its axis's values for every axis, and no
/// other axis.
fn check_listed_cells(step: &str, matrix: &Matrix, problems: &mut Vec<Problem>) {
    for (n, cell) in matrix.cells.iter().enumerate() {
        let at = || match &cell.name {
            Some(name) => CellAt::Named(name.clone()),
            None => CellAt::Numbered(n + 1),
        };
        let step = || step.to_owned();
        for (axis, value) in &cell.values {
            match matrix.axes.get(axis) {
                None => problems.push(Problem::CellUnknownAxis {
                    step: step(),
                    cell: at(),
                    axis: axis.clone(),
                }),
                Some(values) if !values.contains(value) => {
                    problems.push(Problem::CellUnknownValue {
                        step: step(),
                        cell: at(),
                        axis: axis.clone(),
                        value: value.clone(),
                        values: values.clone(),
                    })
                }
                Some(_) => {}
            }
        }
        for axis in matrix.axes.keys().filter(|a| !cell.values.contains_key(*a)) {
            problems.push(Problem::CellWithoutValue {
                step: step(),
                cell: at(),
                axis: axis.clone(),
            });
        }
    }
}

/// Each matrix step's cells as matrix gates name them, by step id.
/// What a matrix step's cells require unless a cell says otherwise.
fn cells_requirement(s: &Step) -> Requirement {
    s.details
        .matrix
        .as_ref()
        .map(|m| m.requirement)
        .unwrap_or_default()
}

fn cell_specs(def: &PipelineDef, expanded: &[Option<Vec<Cell>>]) -> HashMap<String, Vec<CellSpec>> {
    def.steps
        .iter()
        .zip(expanded)
        .filter_map(|(s, cells)| {
            let cells = cells.as_ref()?;
            let default = cells_requirement(s);
            let list = cells
                .iter()
                .map(|c| CellSpec {
                    id: format!("{}[{}]", s.id, c.label()),
                    requirement: c.requirement.unwrap_or(default),
                })
                .collect();
            Some((s.id.to_string(), list))
        })
        .collect()
}

/// What the references of steps and gates resolve against.
struct Refs<'a> {
    components: &'a HashMap<&'a str, usize>,
    environments: &'a HashMap<&'a str, usize>,
    steps: &'a StepTable<'a>,
    specs: &'a HashMap<String, Vec<CellSpec>>,
    roles: &'a BTreeMap<String, Role>,
}

/// Needs resolved to step indices, as compressed rows per step:
/// `needs[at[k]..at[k + 1]]` are step k's.
struct Resolved {
    needs: Vec<u32>,
    at: Vec<u32>,
}

/// Checks every step and resolves its needs.
fn resolve_needs(def: &PipelineDef, refs: &Refs<'_>, problems: &mut Vec<Problem>) -> Resolved {
    // Every need looked up first, in one batched pass; then each step's
    // are checked and kept in place (`kept <= read`: what is kept moves
    // down over what was read).
    let mut needs: Vec<u32> = Vec::with_capacity(def.steps.iter().map(|s| s.needs.len()).sum());
    let all = def
        .steps
        .iter()
        .flat_map(|s| s.needs.iter().map(|n| n.as_str()));
    refs.steps.find_all(all, &mut needs);
    let mut at: Vec<u32> = Vec::with_capacity(def.steps.len() + 1);
    let (mut read, mut kept) = (0, 0);
    for s in &def.steps {
        check_step(s, refs, problems);
        let first = kept;
        at.push(to_u32(first));
        for need in &s.needs {
            let j = needs[read];
            read += 1;
            // The ids are copied only into a problem: resolving 300,000
            // needs allocates nothing per need.
            let (step, text) = (|| s.id.to_string(), || need.to_string());
            if j == NOT_FOUND {
                problems.push(Problem::UnknownNeed {
                    step: step(),
                    need: text(),
                });
            } else if needs[first..kept].contains(&j) {
                // Compare indices, not strings: the same index is the same id.
                problems.push(Problem::NeedTwice {
                    step: step(),
                    need: text(),
                });
            } else {
                needs[kept] = j;
                kept += 1;
            }
        }
    }
    needs.truncate(kept);
    at.push(to_u32(kept));
    Resolved { needs, at }
}

/// One step's own fields and its gates.
fn check_step(s: &Step, refs: &Refs<'_>, problems: &mut Vec<Problem>) {
    let step = || s.id.to_string();
    if let Some(c) = &s.details.component
        && !refs.components.contains_key(c.as_str())
    {
        problems.push(Problem::UnknownComponent {
            step: step(),
            component: c.clone(),
        });
    }
    if let Some(e) = &s.details.environment
        && !refs.environments.contains_key(e.as_str())
    {
        problems.push(Problem::UnknownEnvironment {
            step: step(),
            environment: e.clone(),
        });
    }
    check_wait(s, problems);
    if let Some((problem, _)) = s.env_problem() {
        problems.push(Problem::Env {
            step: step(),
            problem,
        });
    }
    check_timeout(s, problems);
    if s.max_attempts == 0 {
        problems.push(Problem::ZeroAttempts { step: step() });
    }
    match &s.details.command {
        Some(args) if args.is_empty() => problems.push(Problem::EmptyCommand { step: step() }),
        Some(args) if args.first().is_some_and(|a| a.is_empty()) => {
            problems.push(Problem::EmptyProgram { step: step() });
        }
        _ => {}
    }
    if !s.details.gates.is_empty() {
        check_gates(&s.details.gates, &GateOwner::Step(step()), refs, problems);
    }
}

/// Wait steps, and only they, wait; for some time.
fn check_wait(s: &Step, problems: &mut Vec<Problem>) {
    let step = || s.id.to_string();
    match (s.kind, &s.details.wait) {
        (StepKind::Wait, None) => problems.push(Problem::WaitWithoutWait { step: step() }),
        (kind, Some(_)) if kind != StepKind::Wait => {
            problems.push(Problem::WaitOnOtherKind { step: step(), kind });
        }
        _ => {}
    }
    if let Some(Wait::For(span)) = s.details.wait
        && span.seconds() == 0
    {
        problems.push(Problem::WaitsForZero { step: step() });
    }
}

/// A timeout is positive, on a step that runs a command.
fn check_timeout(s: &Step, problems: &mut Vec<Problem>) {
    let Some(timeout) = s.details.timeout else {
        return;
    };
    if timeout == Span::ZERO {
        problems.push(Problem::ZeroTimeout {
            step: s.id.to_string(),
        });
    } else if !s.is_executed() {
        problems.push(Problem::TimeoutWithoutCommand {
            step: s.id.to_string(),
            manual: s.is_manual(),
        });
    }
}

/// The gates of one step or environment: named, each name once, every
/// reference of their rules resolving.
fn check_gates(gates: &[Gate], owner: &GateOwner, refs: &Refs<'_>, problems: &mut Vec<Problem>) {
    let mut found = Vec::new();
    let mut seen = HashSet::new();
    for gate in gates {
        if gate.name.trim().is_empty() {
            found.push(GateProblem::EmptyName);
        } else if !seen.insert(gate.name.as_str()) {
            found.push(GateProblem::Twice {
                gate: gate.name.clone(),
            });
        }
        for rule in gate.rule.walk() {
            check_rule(rule, &gate.name, refs, &mut found);
        }
    }
    problems.extend(found.into_iter().map(|problem| Problem::Gate {
        owner: owner.clone(),
        problem,
    }));
}

/// One rule's references (not those of the rules inside it).
fn check_rule(rule: &Rule, gate: &str, refs: &Refs<'_>, found: &mut Vec<GateProblem>) {
    let gate = || gate.to_owned();
    let component_known = |c: &str| refs.components.contains_key(c);
    let environment_known = |e: &str| refs.environments.contains_key(e);
    match rule {
        Rule::Tag { component, .. } if !component_known(component) => {
            found.push(GateProblem::TagOfUnknown {
                gate: gate(),
                component: component.clone(),
            });
        }
        Rule::Pins { components, .. } => {
            if components.is_empty() {
                found.push(GateProblem::PinsOfNone { gate: gate() });
            }
            for c in components.iter().filter(|c| !component_known(c)) {
                found.push(GateProblem::PinOfUnknown {
                    gate: gate(),
                    component: c.clone(),
                });
            }
        }
        Rule::Soak { environment, .. } if !environment_known(environment) => {
            found.push(GateProblem::SoakInUnknown {
                gate: gate(),
                environment: environment.clone(),
            });
        }
        Rule::Promoted { component, from } => {
            if !component_known(component) {
                found.push(GateProblem::PromotesUnknown {
                    gate: gate(),
                    component: component.clone(),
                });
            }
            if !environment_known(from) {
                found.push(GateProblem::PromotesFromUnknown {
                    gate: gate(),
                    environment: from.clone(),
                });
            }
        }
        Rule::Approvals { at_least: 0, .. } => {
            found.push(GateProblem::ZeroApprovals { gate: gate() })
        }
        Rule::Approvals { role, .. }
            if !refs.roles.is_empty() && !refs.roles.contains_key(role.as_str()) =>
        {
            found.push(GateProblem::UnknownRole {
                gate: gate(),
                role: role.clone(),
                roles: refs.roles.keys().cloned().collect(),
            });
        }
        Rule::Matrix { step, cells } => check_matrix_rule(step, cells, gate(), refs, found),
        _ => {}
    }
}

/// A matrix rule names a matrix step and cells it has.
fn check_matrix_rule(
    step: &str,
    cells: &[CellSpec],
    gate: String,
    refs: &Refs<'_>,
    found: &mut Vec<GateProblem>,
) {
    if refs.steps.find(step).is_none() {
        found.push(GateProblem::UnknownMatrixStep {
            gate,
            step: step.to_owned(),
        });
        return;
    }
    let Some(known) = refs.specs.get(step) else {
        found.push(GateProblem::NotAMatrix {
            gate,
            step: step.to_owned(),
        });
        return;
    };
    for cell in cells.iter().filter(|c| !known.iter().any(|k| k.id == c.id)) {
        found.push(GateProblem::UnknownCell {
            gate: gate.clone(),
            step: step.to_owned(),
            cell: cell.id.clone(),
        });
    }
}

/// The tasks: one per step, or one per cell of a matrix step.
struct Tasks {
    nodes: Vec<NodeData>,
    cells: Vec<(Cell, Box<str>)>,
    /// Per step, its tasks: `nodes[a..b]`.
    step_nodes: Vec<(u32, u32)>,
}

impl Tasks {
    fn lay_out(def: &PipelineDef, expanded: &mut [Option<Vec<Cell>>]) -> Tasks {
        let mut tasks = Tasks {
            nodes: Vec::with_capacity(def.steps.len()),
            cells: Vec::new(),
            step_nodes: Vec::with_capacity(def.steps.len()),
        };
        for (i, s) in def.steps.iter().enumerate() {
            let start = tasks.nodes.len();
            let step = to_u32(i);
            match expanded.get_mut(i).and_then(Option::take) {
                Some(list) => {
                    let default = cells_requirement(s);
                    for cell in list {
                        let id: Box<str> = format!("{}[{}]", s.id, cell.label()).into();
                        tasks.nodes.push(NodeData {
                            step,
                            cell: to_u32(tasks.cells.len()),
                            requirement: cell.requirement.unwrap_or(default),
                        });
                        tasks.cells.push((cell, id));
                    }
                }
                None => tasks.nodes.push(NodeData {
                    step,
                    cell: u32::MAX,
                    requirement: s.requirement,
                }),
            }
            tasks
                .step_nodes
                .push((to_u32(start), to_u32(tasks.nodes.len())));
        }
        tasks
    }

    /// Without matrix cells, task i is step i.
    fn are_steps(&self) -> bool {
        self.cells.is_empty()
    }

    /// The index of task ids: the step table when tasks are steps.
    fn index(&self, def: &PipelineDef, steps: IdIndex) -> IdIndex {
        if self.are_steps() {
            return steps;
        }
        let id_of = |n: u32| -> &str {
            let node = &self.nodes[n as usize];
            match self.cells.get(node.cell as usize) {
                Some((_, id)) => id,
                None => &def.steps[node.step as usize].id,
            }
        };
        let mut index = IdIndex::with_capacity(self.nodes.len());
        for v in 0..self.nodes.len() {
            index.insert(id_of(to_u32(v)), to_u32(v), id_of);
        }
        index
    }
}

/// The edges between tasks, both ways, as compressed rows: task v needs
/// `needs[needs_at[v]..needs_at[v + 1]]`, and likewise for dependents.
#[derive(Debug, Clone)]
pub(super) struct Edges {
    pub(super) needs_at: Vec<u32>,
    pub(super) needs: Vec<StepId>,
    pub(super) dependents_at: Vec<u32>,
    pub(super) dependents: Vec<StepId>,
}

impl Edges {
    /// The edges from the needs, as compressed rows over tasks.
    pub(super) fn from_needs(needs_at: Vec<u32>, needs: Vec<StepId>) -> Edges {
        let (dependents_at, dependents) = reversed(needs_at.len() - 1, &needs_at, &needs);
        Edges {
            needs_at,
            needs,
            dependents_at,
            dependents,
        }
    }

    fn new(tasks: &Tasks, resolved: Resolved) -> Edges {
        if tasks.are_steps() {
            // Task i is step i: the resolved rows are the edges (the map
            // keeps the allocation, u32 to u32).
            let needs = resolved.needs.into_iter().map(|j| StepId::new(j as usize));
            return Edges::from_needs(resolved.at, needs.collect());
        }
        let nodes = &tasks.nodes;
        let mut needs_at: Vec<u32> = Vec::with_capacity(nodes.len() + 1);
        let mut needs: Vec<StepId> = Vec::with_capacity(resolved.needs.len());
        for node in nodes {
            needs_at.push(to_u32(needs.len()));
            let k = node.step as usize;
            for &j in &resolved.needs[resolved.at[k] as usize..resolved.at[k + 1] as usize] {
                let (a, b) = tasks.step_nodes[j as usize];
                needs.extend((a..b).map(|n| StepId::new(n as usize)));
            }
        }
        needs_at.push(to_u32(needs.len()));
        Edges::from_needs(needs_at, needs)
    }

    pub(super) fn needs_of(&self, v: usize) -> &[StepId] {
        &self.needs[self.needs_at[v] as usize..self.needs_at[v + 1] as usize]
    }

    pub(super) fn dependents_of(&self, v: usize) -> &[StepId] {
        &self.dependents[self.dependents_at[v] as usize..self.dependents_at[v + 1] as usize]
    }

    /// Kahn's algorithm; a FIFO seeded in declaration order keeps the
    /// order deterministic without a heap. `None` when the needs form a
    /// cycle.
    pub(super) fn order(&self) -> Option<Vec<StepId>> {
        self.order_or_left().ok()
    }

    /// The order, or when the needs form a cycle, each task's count of
    /// needs left unordered (the tasks on or behind a cycle have some).
    pub(super) fn order_or_left(&self) -> std::result::Result<Vec<StepId>, Vec<u32>> {
        let n = self.needs_at.len() - 1;
        let mut indegree: Vec<u32> = (0..n)
            .map(|v| self.needs_at[v + 1] - self.needs_at[v])
            .collect();
        let mut order: Vec<StepId> = Vec::with_capacity(n);
        order.extend((0..n).filter(|&v| indegree[v] == 0).map(StepId::new));
        let mut head = 0;
        while let Some(&v) = order.get(head) {
            head += 1;
            for d in self.dependents_of(v.index()) {
                let deg = &mut indegree[d.index()];
                *deg -= 1;
                if *deg == 0 {
                    order.push(*d);
                }
            }
        }
        if order.len() == n {
            Ok(order)
        } else {
            Err(indegree)
        }
    }
}

/// The edges `needs` (compressed rows over `n` tasks), reversed.
fn reversed(n: usize, needs_at: &[u32], needs: &[StepId]) -> (Vec<u32>, Vec<StepId>) {
    let mut count = vec![0u32; n + 1];
    for need in needs {
        count[need.index() + 1] += 1;
    }
    for i in 1..count.len() {
        count[i] += count[i - 1];
    }
    let dependents_at = count.clone();
    let mut fill = count;
    let mut dependents = vec![StepId::new(0); needs.len()];
    for v in 0..n {
        for need in &needs[needs_at[v] as usize..needs_at[v + 1] as usize] {
            let slot = &mut fill[need.index()];
            dependents[*slot as usize] = StepId::new(v);
            *slot += 1;
        }
    }
    (dependents_at, dependents)
}

/// Matrix gates are completed from the matrix step they name, now that
/// every reference is known to resolve.
fn fill_matrix_gates(def: &mut PipelineDef, specs: &HashMap<String, Vec<CellSpec>>) {
    let mut fill = |rule: &mut Rule| {
        if let Rule::Matrix { step, cells } = rule
            && cells.is_empty()
            && let Some(list) = specs.get(step.as_str())
        {
            cells.clone_from(list);
        }
    };
    let environments = def.environments.iter_mut().flat_map(|e| &mut e.gates);
    // Only steps with gates are written to: writing through `details`
    // allocates a step's details.
    let steps = (def.steps.iter_mut())
        .filter(|s| !s.details.gates.is_empty())
        .flat_map(|s| &mut s.details.gates);
    for g in environments.chain(steps) {
        g.rule.walk_mut(&mut fill);
    }
}

/// Per step: its gates, then its environment's when it is a deploy step,
/// as compressed rows (step k's are `gates[at[k]..at[k + 1]]`): one list
/// for the pipeline, not one per step.
fn task_gates(def: &PipelineDef) -> (Vec<u32>, Vec<Gate>) {
    let mut at = Vec::with_capacity(def.steps.len() + 1);
    let mut gates = Vec::new();
    for s in &def.steps {
        at.push(to_u32(gates.len()));
        let env_gates = match (&s.kind, &s.details.environment) {
            (StepKind::Deploy, Some(env)) => def
                .environments
                .iter()
                .find(|e| &e.name == env)
                .map(|e| e.gates.as_slice())
                .unwrap_or(&[]),
            _ => &[],
        };
        gates.extend(s.details.gates.iter().chain(env_gates).cloned());
    }
    at.push(to_u32(gates.len()));
    (at, gates)
}

/// Finds the cycles among steps (one per strongly connected component),
/// each named in order from its first declared step.
fn cycles(def: &PipelineDef, steps: &StepTable<'_>) -> Vec<Problem> {
    let mut graph: DiGraph<u32, ()> = DiGraph::with_capacity(def.steps.len(), 0);
    let ids: Vec<NodeIndex> = (0..def.steps.len())
        .map(|i| graph.add_node(to_u32(i)))
        .collect();
    for (i, s) in def.steps.iter().enumerate() {
        for need in &s.needs {
            if let Some(j) = steps.find(need) {
                graph.add_edge(ids[i], ids[j as usize], ());
            }
        }
    }
    let mut found: Vec<(usize, Vec<String>)> = Vec::new();
    for scc in petgraph::algo::tarjan_scc(&graph) {
        let members: HashSet<NodeIndex> = scc.iter().copied().collect();
        let Some(&start) = scc.iter().min_by_key(|n| graph[**n]) else {
            continue;
        };
        let self_loop = graph.contains_edge(start, start);
        if scc.len() < 2 && !self_loop {
            continue;
        }
        // Walk inside the component, always to the first-declared member
        // not yet on the path; a strongly connected component always
        // leads back to a node already on the path.
        let mut path = vec![start];
        let mut cycle = None;
        while cycle.is_none() {
            let Some(&here) = path.last() else { break };
            let mut next: Vec<NodeIndex> = graph
                .neighbors(here)
                .filter(|n| members.contains(n))
                .collect();
            next.sort_by_key(|n| graph[*n]);
            if let Some(back) = next.iter().find_map(|n| path.iter().position(|p| p == n)) {
                cycle = Some(path[back..].to_vec());
            } else if let Some(&n) = next.first() {
                path.push(n);
            } else {
                break;
            }
        }
        let Some(mut cycle) = cycle else { continue };
        // Start the cycle at its first-declared step.
        if let Some(pos) = (0..cycle.len()).min_by_key(|&k| graph[cycle[k]]) {
            cycle.rotate_left(pos);
        }
        let Some(&first) = cycle.first() else {
            continue;
        };
        let names: Vec<String> = cycle
            .iter()
            .map(|n| def.steps[graph[*n] as usize].id.to_string())
            .collect();
        found.push((graph[first] as usize, names));
    }
    found.sort();
    found
        .into_iter()
        .map(|(_, steps)| Problem::Cycle { steps })
        .collect()
}

pub(super) fn report(problems: Vec<Problem>) -> Error {
    if let [problem] = problems.as_slice() {
        return Error::invalid(problem.to_string());
    }
    let total = problems.len();
    let mut listed: Vec<String> = problems
        .iter()
        .take(MAX_LISTED)
        .map(Problem::to_string)
        .collect();
    if total > MAX_LISTED {
        listed.push(format!("and {} more", total - MAX_LISTED));
    }
    Error::invalid(format!(
        "{total} problems in the pipeline: {}",
        listed.join("; ")
    ))
}
