//! A pipeline built from an integer graph: for callers whose steps are
//! already numbered (a build system's targets, a generated DAG), without
//! making a [`Step`](super::Step) and a text id per node.

use super::analysis::{CriticalPath, Longest, PathStep};
use super::def::PipelineDef;
use super::graph::StepId;
use super::problem::Problem;
use super::step::{Step, StepKind};
use super::validate::{Edges, report};
use crate::Result;
use crate::duration::Estimate;

/// A validated DAG of `n` numbered nodes, each with an estimate: the
/// order and critical path of a [`Pipeline`](super::Pipeline) for callers
/// who hold integer edges.
///
/// It answers [`order`](Self::order) and
/// [`critical_path`](Self::critical_path) exactly as a `Pipeline` of the
/// same graph would (one step per node, id = the node's index as text,
/// needs in edge order). Node `i` is [`StepId::from_index(i)`](StepId::from_index).
///
/// **Ids.** Nodes have no text ids stored: the index is the id. Text is
/// made only when asked: [`id`](Self::id), the steps of a
/// [`critical_path`](Self::critical_path), and [`to_def`](Self::to_def)
/// (which builds the full [`PipelineDef`], whose [`Pipeline`](super::Pipeline)
/// a run can drive).
///
/// **Memory.** 28 bytes per node (its estimate, 16; the starts of its rows
/// of needs and dependents, 4 each; its place in the order, 4) and 8 bytes
/// per edge (once as a need, once as a dependent): 5.2 MB for 100,000
/// nodes and 300,000 edges. Building takes, besides, 8 bytes per node and
/// 4 per edge while checking for duplicate edges.
///
/// # Example
///
/// ```
/// use release_core::duration::{Estimate, Span};
/// use release_core::pipeline::{IndexedPipeline, StepId};
///
/// // (u, v): node v needs node u.
/// let minutes = |m| Estimate::exactly(Span::minutes(m));
/// let p = IndexedPipeline::from_edges(
///     4,
///     vec![minutes(3), minutes(5), minutes(10), minutes(15)],
///     &[(0, 2), (1, 2), (2, 3)],
/// )?;
/// let order: Vec<usize> = p.order().iter().map(|id| id.index()).collect();
/// assert_eq!(order, [0, 1, 2, 3]);
/// assert_eq!(p.critical_path().to_string(), "1 (5m) -> 2 (10m) -> 3 (15m) = 30m");
/// assert_eq!(p.needs(StepId::from_index(2)), [StepId::from_index(0), StepId::from_index(1)]);
///
/// let err = IndexedPipeline::from_edges(2, vec![minutes(1); 2], &[(0, 1), (1, 0)]).unwrap_err();
/// assert_eq!(err.to_string(), "cycle in edges: node 0 needs node 1 needs node 0");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone)]
pub struct IndexedPipeline {
    estimates: Vec<Estimate>,
    edges: Edges,
    order: Vec<StepId>,
}

impl IndexedPipeline {
    /// Validates `n` nodes (`0..n`), one estimate each, and `edges`: each
    /// `(u, v)` says node `v` needs node `u` (u comes first).
    ///
    /// # Errors
    ///
    /// An [invalid error](crate::ErrorKind::Invalid) naming every problem
    /// by its index in `edges`: a node out of range, a self-loop, an edge
    /// given twice; else a cycle, by its nodes. Also when `estimates` has
    /// not `n` entries, or `n` is `u32::MAX` or more.
    pub fn from_edges(
        n: usize,
        estimates: Vec<Estimate>,
        edges: &[(u32, u32)],
    ) -> Result<IndexedPipeline> {
        let mut problems = Vec::new();
        if estimates.len() != n {
            problems.push(Problem::EstimateCount {
                nodes: n,
                estimates: estimates.len(),
            });
        }
        if n >= u32::MAX as usize || edges.len() >= u32::MAX as usize {
            problems.push(Problem::TooManyTasks {
                tasks: n.max(edges.len()),
                limit: u32::MAX - 1,
            });
            return Err(report(problems));
        }
        check_edges(n, edges, &mut problems);
        if !problems.is_empty() {
            return Err(report(problems));
        }
        let by_target = rows(n, edges);
        check_duplicates(n, edges, &by_target, &mut problems);
        if !problems.is_empty() {
            return Err(report(problems));
        }
        let (needs_at, slots) = by_target;
        let needs = slots
            .into_iter()
            .map(|k| StepId::new(edges[k as usize].0 as usize))
            .collect();
        let edges = Edges::from_needs(needs_at, needs);
        let order = match edges.order_or_left() {
            Ok(order) => order,
            Err(left) => {
                let nodes = cycle(&edges, &left);
                return Err(report(vec![Problem::NodeCycle { nodes }]));
            }
        };
        Ok(IndexedPipeline {
            estimates,
            edges,
            order,
        })
    }

    /// How many nodes.
    pub fn len(&self) -> usize {
        self.estimates.len()
    }

    /// Whether there are no nodes.
    pub fn is_empty(&self) -> bool {
        self.estimates.is_empty()
    }

    /// The nodes in a topological order: every node after all it needs;
    /// among nodes free to go, the lower index first (as
    /// [`Pipeline::order`](super::Pipeline::order) goes by declaration).
    pub fn order(&self) -> &[StepId] {
        &self.order
    }

    /// The nodes `id` needs, in the order of their edges.
    ///
    /// # Panics
    ///
    /// When `id` is not below [`len`](Self::len).
    pub fn needs(&self, id: StepId) -> &[StepId] {
        self.edges.needs_of(id.index())
    }

    /// The nodes that need `id`, by index.
    ///
    /// # Panics
    ///
    /// When `id` is not below [`len`](Self::len).
    pub fn dependents(&self, id: StepId) -> &[StepId] {
        self.edges.dependents_of(id.index())
    }

    /// The estimate of `id`.
    ///
    /// # Panics
    ///
    /// When `id` is not below [`len`](Self::len).
    pub fn estimate(&self, id: StepId) -> Estimate {
        self.estimates[id.index()]
    }

    /// The text id of `id`, made now: its index (`"42"`), as in
    /// [`to_def`](Self::to_def).
    pub fn id(&self, id: StepId) -> String {
        id.index().to_string()
    }

    /// The critical path and duration estimates, as
    /// [`Pipeline::critical_path`](super::Pipeline::critical_path) gives
    /// them for [`to_def`](Self::to_def)'s pipeline. Every node has an
    /// estimate, so `unestimated` is empty.
    pub fn critical_path(&self) -> CriticalPath {
        let longest = Longest::of(&self.order, &self.estimates, |v| self.needs(v));
        CriticalPath {
            steps: longest
                .chain
                .iter()
                .map(|&id| PathStep {
                    id: self.id(id),
                    estimate: Some(self.estimate(id)),
                })
                .collect(),
            estimate: longest.estimate,
            total: longest.total,
            serial: longest.serial,
            unestimated: Vec::new(),
        }
    }

    /// The whole graph's duration with unlimited parallelism, as
    /// [`CriticalPath::total`].
    pub fn duration(&self) -> Estimate {
        self.critical_path().total
    }

    /// The same graph as a definition: one `build` step per node, its id
    /// the index as text, its needs those of its edges in order, its
    /// estimate. [`Pipeline::new`](super::Pipeline::new) accepts it, and
    /// gives the same order and critical path.
    pub fn to_def(&self) -> PipelineDef {
        let steps = (0..self.len())
            .map(StepId::new)
            .map(|v| {
                let mut step = Step::new(self.id(v), StepKind::Build);
                step.needs = self.needs(v).iter().map(|&u| self.id(u).into()).collect();
                step.estimate = Some(self.estimate(v));
                step
            })
            .collect();
        PipelineDef {
            steps,
            ..PipelineDef::default()
        }
    }
}

/// Every edge names nodes below `n`, and two different ones.
fn check_edges(n: usize, edges: &[(u32, u32)], problems: &mut Vec<Problem>) {
    for (edge, &(from, to)) in edges.iter().enumerate() {
        if from as usize >= n || to as usize >= n {
            problems.push(Problem::EdgeOutOfRange {
                edge,
                from,
                to,
                nodes: n,
            });
        } else if from == to {
            problems.push(Problem::SelfLoop { edge, node: from });
        }
    }
}

/// The edges' indices grouped by the node that needs (compressed rows,
/// edge order kept within a row): `slots[at[v]..at[v + 1]]` are v's.
fn rows(n: usize, edges: &[(u32, u32)]) -> (Vec<u32>, Vec<u32>) {
    let mut at = vec![0u32; n + 1];
    for &(_, to) in edges {
        at[to as usize + 1] += 1;
    }
    for i in 1..at.len() {
        at[i] += at[i - 1];
    }
    let mut fill = at.clone();
    let mut slots = vec![0u32; edges.len()];
    for (k, &(_, to)) in edges.iter().enumerate() {
        let slot = &mut fill[to as usize];
        // Below u32::MAX: from_edges refuses more edges.
        slots[*slot as usize] = k as u32;
        *slot += 1;
    }
    (at, slots)
}

/// No edge given twice: one pass over each node's needs, marking each
/// node needed with the needing node (no set of pairs).
fn check_duplicates(
    n: usize,
    edges: &[(u32, u32)],
    (at, slots): &(Vec<u32>, Vec<u32>),
    problems: &mut Vec<Problem>,
) {
    let mut marked_by = vec![u32::MAX; n];
    let mut first_edge = vec![0u32; n];
    for v in 0..n {
        for &k in &slots[at[v] as usize..at[v + 1] as usize] {
            let (from, to) = edges[k as usize];
            let u = from as usize;
            if marked_by[u] == to {
                problems.push(Problem::DuplicateEdge {
                    edge: k as usize,
                    first: first_edge[u] as usize,
                    from,
                    to,
                });
            } else {
                marked_by[u] = to;
                first_edge[u] = k;
            }
        }
    }
    // Report in the order of the edges, as the other problems are.
    problems.sort_by_key(|p| match p {
        Problem::DuplicateEdge { edge, .. } => *edge,
        _ => 0,
    });
}

/// One cycle among the nodes Kahn's algorithm left (`left[v] > 0`: some
/// need of v is unordered, so v is on a cycle or behind one): walk from
/// the lowest such node along unordered needs until a node repeats. The
/// cycle runs each node needing the next, from its lowest index.
fn cycle(edges: &Edges, left: &[u32]) -> Vec<u32> {
    let Some(start) = left.iter().position(|&l| l > 0) else {
        return Vec::new();
    };
    let mut seen_at = vec![u32::MAX; left.len()];
    let mut path: Vec<u32> = Vec::new();
    let mut v = start;
    while seen_at[v] == u32::MAX {
        seen_at[v] = path.len() as u32;
        path.push(v as u32);
        // An unordered node has an unordered need: Kahn's would have
        // ordered it otherwise.
        match edges.needs_of(v).iter().find(|u| left[u.index()] > 0) {
            Some(u) => v = u.index(),
            None => return Vec::new(),
        }
    }
    let mut nodes = path.split_off(seen_at[v] as usize);
    if let Some(pos) = (0..nodes.len()).min_by_key(|&k| nodes[k]) {
        nodes.rotate_left(pos);
    }
    nodes
}
