//! Validation: a definition becomes a [`Pipeline`] only if every reference
//! resolves, every id is unique and the needs form no cycle.

use std::collections::{HashMap, HashSet};

use petgraph::graph::{DiGraph, NodeIndex};

use super::def::PipelineDef;
use super::graph::{NodeData, Pipeline, StepId};
use super::index::IdIndex;
use super::matrix::Cell;
use super::step::{StepKind, Wait};
use crate::duration::Span;
use crate::gate::{CellSpec, Gate, Rule};
use crate::{Error, Result};

/// The largest full-product matrix; beyond it, list the cells.
const MAX_PRODUCT: usize = 10_000;

/// How many problems an error message lists before counting the rest.
const MAX_LISTED: usize = 20;

pub(crate) fn build(mut def: PipelineDef) -> Result<Pipeline> {
    let mut problems: Vec<String> = Vec::new();

    let components = names(
        def.components.iter().map(|c| c.name.as_str()),
        "component",
        &mut problems,
    );
    for c in &def.components {
        let mut seen = HashSet::new();
        for pin in &c.pins {
            if pin.component == c.name {
                problems.push(format!("component {:?} pins itself", c.name));
            } else if !components.contains_key(pin.component.as_str()) {
                problems.push(format!(
                    "component {:?} pins unknown component {:?}",
                    c.name, pin.component
                ));
            } else if !seen.insert(pin.component.as_str()) {
                problems.push(format!(
                    "component {:?} pins {:?} twice",
                    c.name, pin.component
                ));
            }
        }
    }
    let environments = names(
        def.environments.iter().map(|e| e.name.as_str()),
        "environment",
        &mut problems,
    );

    // Step ids.
    // The ids side by side: probing compares against them without pulling
    // each (large) step into the cache.
    let ids: Vec<&str> = def.steps.iter().map(|s| s.id.as_str()).collect();
    let step_id = |i: u32| ids[i as usize];
    let mut table = IdIndex::with_capacity(def.steps.len());
    for (i, s) in def.steps.iter().enumerate() {
        if s.id.trim().is_empty() {
            problems.push(format!("step #{} has an empty id", i + 1));
            continue;
        }
        if s.id.contains(['[', ']']) {
            problems.push(format!(
                "step id {:?} contains '[' or ']', which are reserved for matrix cells",
                s.id
            ));
        }
        let index = u32::try_from(i).unwrap_or(u32::MAX);
        if let Some(first) = table.insert(&s.id, index, step_id) {
            problems.push(format!(
                "duplicate step id {:?} (steps #{} and #{})",
                s.id,
                first + 1,
                i + 1
            ));
        }
    }

    // Matrix cells, per step.
    let mut expanded: Vec<Option<Vec<Cell>>> = Vec::with_capacity(def.steps.len());
    for s in &def.steps {
        let Some(matrix) = &s.matrix else {
            expanded.push(None);
            continue;
        };
        let before = problems.len();
        if matrix.axes.is_empty() {
            problems.push(format!("the matrix of step {:?} has no axes", s.id));
        }
        for (axis, values) in &matrix.axes {
            if values.is_empty() {
                problems.push(format!(
                    "axis {axis:?} of the matrix of step {:?} has no values",
                    s.id
                ));
            }
            let mut seen = HashSet::new();
            for v in values {
                if !seen.insert(v) {
                    problems.push(format!(
                        "axis {axis:?} of the matrix of step {:?} lists {v:?} twice",
                        s.id
                    ));
                }
            }
        }
        for (n, cell) in matrix.cells.iter().enumerate() {
            let at = match &cell.name {
                Some(name) => format!("cell {name:?} of step {:?}", s.id),
                None => format!("cell #{} of step {:?}", n + 1, s.id),
            };
            for (axis, value) in &cell.values {
                match matrix.axes.get(axis) {
                    None => problems.push(format!("{at} names unknown axis {axis:?}")),
                    Some(values) if !values.contains(value) => problems.push(format!(
                        "{at} has {axis} = {value:?}, which is not one of {}",
                        quoted(values)
                    )),
                    Some(_) => {}
                }
            }
            for axis in matrix.axes.keys() {
                if !cell.values.contains_key(axis) {
                    problems.push(format!("{at} has no value for axis {axis:?}"));
                }
            }
        }
        if problems.len() > before {
            expanded.push(None);
            continue;
        }
        match matrix.expand(MAX_PRODUCT) {
            None => {
                problems.push(format!(
                    "the matrix of step {:?} has more than {MAX_PRODUCT} cells; list the cells to run",
                    s.id
                ));
                expanded.push(None);
            }
            Some(cells) => {
                let mut seen = HashSet::new();
                for cell in &cells {
                    let label = cell.label();
                    if label.is_empty() || label.contains(['[', ']']) {
                        problems.push(format!(
                            "cell {label:?} of step {:?} needs a name without '[' or ']'",
                            s.id
                        ));
                    } else if !seen.insert(label.clone()) {
                        problems.push(format!("step {:?} has two cells named {label:?}", s.id));
                    }
                }
                expanded.push(Some(cells));
            }
        }
    }

    // Matrix gates are completed from the matrix step they name.
    let specs: HashMap<String, Vec<CellSpec>> = def
        .steps
        .iter()
        .zip(&expanded)
        .filter_map(|(s, cells)| {
            let cells = cells.as_ref()?;
            let default = s.matrix.as_ref().map(|m| m.requirement).unwrap_or_default();
            let list = cells
                .iter()
                .map(|c| CellSpec {
                    id: format!("{}[{}]", s.id, c.label()),
                    requirement: c.requirement.unwrap_or(default),
                })
                .collect();
            Some((s.id.clone(), list))
        })
        .collect();
    let cell_specs = |step: &str| specs.get(step).cloned();

    let find = |name: &str| table.get(name, step_id);
    let refs = Refs {
        components: &components,
        environments: &environments,
        steps: &find,
        matrix_cells: &cell_specs,
        roles: &def.roles,
    };
    for e in &def.environments {
        check_gates(
            &e.gates,
            &format!("environment {:?}", e.name),
            &refs,
            &mut problems,
        );
    }

    // Needs resolved to step indices, as compressed rows per step.
    let mut resolved: Vec<u32> = Vec::new();
    let mut resolved_at: Vec<u32> = Vec::with_capacity(def.steps.len() + 1);
    for s in &def.steps {
        if let Some(c) = &s.component
            && !components.contains_key(c.as_str())
        {
            problems.push(format!("step {:?} names unknown component {c:?}", s.id));
        }
        if let Some(e) = &s.environment
            && !environments.contains_key(e.as_str())
        {
            problems.push(format!("step {:?} names unknown environment {e:?}", s.id));
        }
        match (s.kind, &s.wait) {
            (StepKind::Wait, None) => problems.push(format!(
                "step {:?} is a wait step without `wait` (a duration or an instant)",
                s.id
            )),
            (kind, Some(_)) if kind != StepKind::Wait => problems.push(format!(
                "step {:?} is a {kind} step but has `wait`; only wait steps wait",
                s.id
            )),
            _ => {}
        }
        if let Some(Wait::For(span)) = s.wait
            && span.seconds() == 0
        {
            problems.push(format!("step {:?} waits for 0", s.id));
        }
        if let Some((problem, _)) = s.env_problem() {
            problems.push(format!("step {:?}: {problem}", s.id));
        }
        if let Some(timeout) = s.timeout {
            if timeout == Span::ZERO {
                problems.push(format!(
                    "step {:?} has a timeout of 0; give a positive duration, or none",
                    s.id
                ));
            } else if !s.is_executed() {
                problems.push(format!(
                    "step {:?} is a {} step and runs no command, so it cannot have a timeout",
                    s.id,
                    if s.is_manual() { "manual" } else { "wait" }
                ));
            }
        }
        if s.max_attempts == 0 {
            problems.push(format!(
                "step {:?} has max_attempts 0; it must be at least 1",
                s.id
            ));
        }
        match &s.command {
            Some(args) if args.is_empty() => {
                problems.push(format!("step {:?} has an empty command", s.id));
            }
            Some(args) if args.first().is_some_and(|a| a.is_empty()) => {
                problems.push(format!(
                    "step {:?} has an empty program name in its command",
                    s.id
                ));
            }
            _ => {}
        }
        if !s.gates.is_empty() {
            check_gates(&s.gates, &format!("step {:?}", s.id), &refs, &mut problems);
        }
        let first = resolved.len();
        resolved_at.push(to_u32(first));
        for need in &s.needs {
            match find(need) {
                None => problems.push(format!("step {:?} needs unknown step {need:?}", s.id)),
                // Compare indices, not strings: the same index is the same id.
                Some(j) if resolved[first..].contains(&j) => {
                    problems.push(format!("step {:?} needs {need:?} twice", s.id));
                }
                Some(j) => resolved.push(j),
            }
        }
    }

    // Nodes: one per step, or one per cell of a matrix step.
    let mut nodes: Vec<NodeData> = Vec::with_capacity(def.steps.len());
    let mut cells: Vec<(Cell, Box<str>)> = Vec::new();
    let mut step_nodes: Vec<(u32, u32)> = Vec::with_capacity(def.steps.len());
    for (i, s) in def.steps.iter().enumerate() {
        let start = nodes.len();
        let step = u32::try_from(i).unwrap_or(u32::MAX);
        match expanded.get_mut(i).and_then(Option::take) {
            Some(list) => {
                let default = s.matrix.as_ref().map(|m| m.requirement).unwrap_or_default();
                for cell in list {
                    let id: Box<str> = format!("{}[{}]", s.id, cell.label()).into();
                    nodes.push(NodeData {
                        step,
                        cell: u32::try_from(cells.len()).unwrap_or(u32::MAX),
                        requirement: cell.requirement.unwrap_or(default),
                    });
                    cells.push((cell, id));
                }
            }
            None => nodes.push(NodeData {
                step,
                cell: u32::MAX,
                requirement: s.requirement,
            }),
        }
        step_nodes.push((to_u32(start), to_u32(nodes.len())));
    }
    if nodes.len() >= u32::MAX as usize {
        problems.push(format!(
            "the pipeline has {} tasks; the limit is {}",
            nodes.len(),
            u32::MAX - 1
        ));
    }

    if !problems.is_empty() {
        // Cycles are reported too, on the needs that do resolve.
        problems.extend(cycles(&def, &find));
        return Err(report(problems));
    }

    // Needs, as compressed rows: needs_at[v]..needs_at[v + 1].
    resolved_at.push(to_u32(resolved.len()));
    // Without matrix cells, task i is step i.
    let same_nodes = cells.is_empty();
    let mut needs_at: Vec<u32> = Vec::with_capacity(nodes.len() + 1);
    let mut needs: Vec<StepId> = Vec::with_capacity(resolved.len());
    for node in &nodes {
        needs_at.push(to_u32(needs.len()));
        let k = node.step as usize;
        for &j in &resolved[resolved_at[k] as usize..resolved_at[k + 1] as usize] {
            if same_nodes {
                needs.push(StepId::new(j as usize));
            } else {
                let (a, b) = step_nodes[j as usize];
                needs.extend((a..b).map(|n| StepId::new(n as usize)));
            }
        }
    }
    needs_at.push(to_u32(needs.len()));

    // Dependents: the same edges, reversed.
    let mut count = vec![0u32; nodes.len() + 1];
    for n in &needs {
        count[n.index() + 1] += 1;
    }
    for i in 1..count.len() {
        count[i] += count[i - 1];
    }
    let dependents_at = count.clone();
    let mut fill = count;
    let mut dependents = vec![StepId::new(0); needs.len()];
    for v in 0..nodes.len() {
        for n in &needs[needs_at[v] as usize..needs_at[v + 1] as usize] {
            let slot = &mut fill[n.index()];
            dependents[*slot as usize] = StepId::new(v);
            *slot += 1;
        }
    }

    // Kahn's algorithm; a FIFO seeded in declaration order keeps the order
    // deterministic without a heap.
    let mut indegree: Vec<u32> = (0..nodes.len())
        .map(|v| needs_at[v + 1] - needs_at[v])
        .collect();
    let mut order: Vec<StepId> = Vec::with_capacity(nodes.len());
    order.extend(
        (0..nodes.len())
            .filter(|&v| indegree[v] == 0)
            .map(StepId::new),
    );
    let mut head = 0;
    while let Some(&v) = order.get(head) {
        head += 1;
        let i = v.index();
        for d in &dependents[dependents_at[i] as usize..dependents_at[i + 1] as usize] {
            let deg = &mut indegree[d.index()];
            *deg -= 1;
            if *deg == 0 {
                order.push(*d);
            }
        }
    }
    if order.len() < nodes.len() {
        let found = cycles(&def, &find);
        return Err(report(if found.is_empty() {
            vec!["the needs form a cycle".to_owned()]
        } else {
            found
        }));
    }

    // Fill in matrix gates, now that every reference is known to resolve.
    // Without matrix cells, tasks are steps: the step table is the index.
    let index = if same_nodes {
        table
    } else {
        let mut index = IdIndex::with_capacity(nodes.len());
        for v in 0..nodes.len() {
            let id_of = |n: u32| -> &str {
                let node = &nodes[n as usize];
                match cells.get(node.cell as usize) {
                    Some((_, id)) => id,
                    None => &def.steps[node.step as usize].id,
                }
            };
            index.insert(id_of(to_u32(v)), to_u32(v), id_of);
        }
        index
    };
    let fill_rule = |rule: &mut Rule| {
        if let Rule::Matrix { step, cells } = rule
            && cells.is_empty()
            && let Some(list) = specs.get(step.as_str())
        {
            cells.clone_from(list);
        }
    };
    let mut fill_rule = fill_rule;
    for e in &mut def.environments {
        for g in &mut e.gates {
            g.rule.walk_mut(&mut fill_rule);
        }
    }
    for s in &mut def.steps {
        for g in &mut s.gates {
            g.rule.walk_mut(&mut fill_rule);
        }
    }

    let gates: Vec<Vec<Gate>> = def
        .steps
        .iter()
        .map(|s| {
            let env_gates = match (&s.kind, &s.environment) {
                (StepKind::Deploy, Some(env)) => def
                    .environments
                    .iter()
                    .find(|e| &e.name == env)
                    .map(|e| e.gates.as_slice())
                    .unwrap_or(&[]),
                _ => &[],
            };
            if s.gates.is_empty() && env_gates.is_empty() {
                Vec::new()
            } else {
                s.gates.iter().chain(env_gates).cloned().collect()
            }
        })
        .collect();

    Ok(Pipeline {
        def,
        nodes,
        cells,
        index,
        needs_at,
        needs,
        dependents_at,
        dependents,
        order,
        gates,
    })
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn quoted(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("{v:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Indexes names, reporting empty and duplicate ones.
fn names<'a>(
    list: impl Iterator<Item = &'a str>,
    what: &str,
    problems: &mut Vec<String>,
) -> HashMap<&'a str, usize> {
    let mut map = HashMap::new();
    for (i, name) in list.enumerate() {
        if name.trim().is_empty() {
            problems.push(format!("{what} #{} has an empty name", i + 1));
            continue;
        }
        if let Some(first) = map.insert(name, i) {
            problems.push(format!(
                "duplicate {what} {name:?} ({what}s #{} and #{})",
                first + 1,
                i + 1
            ));
            map.insert(name, first);
        }
    }
    map
}

struct Refs<'a> {
    components: &'a HashMap<&'a str, usize>,
    environments: &'a HashMap<&'a str, usize>,
    steps: &'a dyn Fn(&str) -> Option<u32>,
    matrix_cells: &'a dyn Fn(&str) -> Option<Vec<CellSpec>>,
    roles: &'a std::collections::BTreeMap<String, crate::gate::Role>,
}

fn check_gates(gates: &[Gate], owner: &str, refs: &Refs<'_>, problems: &mut Vec<String>) {
    let mut seen = HashSet::new();
    for gate in gates {
        if gate.name.trim().is_empty() {
            problems.push(format!("{owner} has a gate with an empty name"));
        } else if !seen.insert(gate.name.as_str()) {
            problems.push(format!("{owner} has two gates named {:?}", gate.name));
        }
        let at = format!("gate {:?} of {owner}", gate.name);
        for rule in gate.rule.walk() {
            match rule {
                Rule::Tag { component, .. }
                    if !refs.components.contains_key(component.as_str()) =>
                {
                    problems.push(format!(
                        "{at} reads the tag of unknown component {component:?}"
                    ));
                }
                Rule::Pins { components, .. } => {
                    if components.is_empty() {
                        problems.push(format!("{at} checks the pins of no component"));
                    }
                    for c in components {
                        if !refs.components.contains_key(c.as_str()) {
                            problems
                                .push(format!("{at} checks the pin of unknown component {c:?}"));
                        }
                    }
                }
                Rule::Soak { environment, .. }
                    if !refs.environments.contains_key(environment.as_str()) =>
                {
                    problems.push(format!("{at} soaks in unknown environment {environment:?}"));
                }
                Rule::Promoted { component, from } => {
                    if !refs.components.contains_key(component.as_str()) {
                        problems.push(format!(
                            "{at} promotes the tag of unknown component {component:?}"
                        ));
                    }
                    if !refs.environments.contains_key(from.as_str()) {
                        problems.push(format!("{at} promotes from unknown environment {from:?}"));
                    }
                }
                Rule::Approvals { at_least: 0, .. } => {
                    problems.push(format!("{at} asks for 0 approvals; ask for at least 1"));
                }
                Rule::Approvals { role, .. }
                    if !refs.roles.is_empty() && !refs.roles.contains_key(role.as_str()) =>
                {
                    let names: Vec<&str> = refs.roles.keys().map(String::as_str).collect();
                    problems.push(format!(
                        "{at} asks for approvals by role {role:?}, which is not in [roles] (roles: {})",
                        names.join(", ")
                    ));
                }
                Rule::Matrix { step, cells } => {
                    if (refs.steps)(step).is_none() {
                        problems.push(format!("{at} names unknown matrix step {step:?}"));
                        continue;
                    }
                    let Some(known) = (refs.matrix_cells)(step) else {
                        problems.push(format!("{at} names step {step:?}, which has no matrix"));
                        continue;
                    };
                    for cell in cells {
                        if !known.iter().any(|k| k.id == cell.id) {
                            problems.push(format!(
                                "{at} names unknown cell {:?} of step {step:?}",
                                cell.id
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }
}

/// Finds the cycles among steps (one per strongly connected component),
/// each named in order from its first declared step.
fn cycles(def: &PipelineDef, steps: &dyn Fn(&str) -> Option<u32>) -> Vec<String> {
    let mut graph: DiGraph<u32, ()> = DiGraph::with_capacity(def.steps.len(), 0);
    let ids: Vec<NodeIndex> = (0..def.steps.len())
        .map(|i| graph.add_node(to_u32(i)))
        .collect();
    for (i, s) in def.steps.iter().enumerate() {
        for need in &s.needs {
            if let Some(j) = steps(need) {
                graph.add_edge(ids[i], ids[j as usize], ());
            }
        }
    }
    let mut found: Vec<(usize, String)> = Vec::new();
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
            .chain(std::iter::once(&first))
            .map(|n| format!("{:?}", def.steps[graph[*n] as usize].id))
            .collect();
        let text = format!("cycle in needs: {}", names.join(" needs "));
        found.push((graph[first] as usize, text));
    }
    found.sort();
    found.into_iter().map(|(_, t)| t).collect()
}

fn report(problems: Vec<String>) -> Error {
    if problems.len() == 1 {
        return Error::invalid(problems.into_iter().next().unwrap_or_default());
    }
    let total = problems.len();
    let mut listed: Vec<String> = problems.into_iter().take(MAX_LISTED).collect();
    if total > MAX_LISTED {
        listed.push(format!("and {} more", total - MAX_LISTED));
    }
    Error::invalid(format!(
        "{total} problems in the pipeline: {}",
        listed.join("; ")
    ))
}
