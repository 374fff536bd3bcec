//! `IndexedPipeline::from_edges`: the index-based builder answers as the
//! string path does on the same graph, and its errors name the index.

use proptest::prelude::*;
use release_core::duration::{Estimate, Span};
use release_core::pipeline::{IndexedPipeline, Pipeline, StepId};

fn minutes(m: u64) -> Estimate {
    Estimate::exactly(Span::minutes(m))
}

fn error(n: usize, edges: &[(u32, u32)]) -> String {
    match IndexedPipeline::from_edges(n, vec![minutes(1); n], edges) {
        Ok(p) => format!("ok: {} nodes", p.len()),
        Err(e) => format!("{}: {e}", e.kind()),
    }
}

#[test]
fn errors_name_the_index() {
    insta::assert_snapshot!(error(3, &[(0, 3)]), @"invalid: edges[0] = (0, 3) names node 3, but the nodes are 0 to 2");
    insta::assert_snapshot!(error(0, &[(0, 0)]), @"invalid: edges[0] = (0, 0) names node 0, but there are no nodes");
    insta::assert_snapshot!(error(3, &[(0, 1), (2, 2)]), @"invalid: edges[1] = (2, 2) is a self-loop: node 2 needs itself");
    insta::assert_snapshot!(error(3, &[(0, 1), (1, 2), (0, 1)]), @"invalid: edges[2] = (0, 1) repeats edges[0]");
    insta::assert_snapshot!(error(4, &[(0, 1), (2, 1), (1, 2), (3, 0)]), @"invalid: cycle in edges: node 1 needs node 2 needs node 1");
    insta::assert_snapshot!(error(3, &[(7, 1), (1, 1)]), @"invalid: 2 problems in the pipeline: edges[0] = (7, 1) names node 7, but the nodes are 0 to 2; edges[1] = (1, 1) is a self-loop: node 1 needs itself");
    let short = IndexedPipeline::from_edges(2, vec![minutes(1)], &[]).unwrap_err();
    insta::assert_snapshot!(short, @"2 nodes but 1 estimates: give one per node");
    insta::assert_snapshot!(error(0, &[]), @"ok: 0 nodes");
}

/// A random DAG: edges go from a lower to a higher index of a random
/// permutation (so not always low to high), each pair once.
/// Nodes, edges, and per node an estimate's (minimum, extra) in minutes.
type Graph = (usize, Vec<(u32, u32)>, Vec<(u64, u64)>);

fn graph() -> impl Strategy<Value = Graph> {
    (1usize..40).prop_flat_map(|n| {
        let pairs = prop::collection::vec((0..n as u32, 0..n as u32), 0..n * 3);
        let perm = Just((0..n as u32).collect::<Vec<_>>()).prop_shuffle();
        let est = prop::collection::vec((0u64..5, 0u64..4), n);
        (Just(n), pairs, perm, est).prop_map(|(n, pairs, perm, est)| {
            let mut edges: Vec<(u32, u32)> = Vec::new();
            for (a, b) in pairs {
                let (lo, hi) = (a.min(b), a.max(b));
                let e = (perm[lo as usize], perm[hi as usize]);
                if lo != hi && !edges.contains(&e) {
                    edges.push(e);
                }
            }
            (n, edges, est)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Same order and critical path as the string path on the same graph.
    #[test]
    fn answers_as_the_string_path((n, edges, est) in graph()) {
        let estimates: Vec<Estimate> = est
            .iter()
            .map(|&(lo, extra)| Estimate::new(Span::minutes(lo), Span::minutes(lo + extra)).unwrap())
            .collect();
        let indexed = IndexedPipeline::from_edges(n, estimates, &edges).unwrap();
        let pipeline = Pipeline::new(indexed.to_def()).unwrap();
        prop_assert_eq!(indexed.order(), pipeline.order());
        prop_assert_eq!(indexed.critical_path(), pipeline.critical_path());
        for v in pipeline.ids() {
            prop_assert_eq!(indexed.needs(v), pipeline.node(v).needs());
            prop_assert_eq!(indexed.dependents(v), pipeline.node(v).dependents());
            prop_assert_eq!(indexed.id(v), pipeline.node(v).id());
        }
    }

    /// A cycle closed by one more edge is found and named: each node
    /// needing the next, along edges given.
    #[test]
    fn cycles_are_named((n, mut edges, _) in graph(), pick in any::<prop::sample::Index>()) {
        prop_assume!(!edges.is_empty());
        let (u, v) = edges[pick.index(edges.len())];
        // v needs u; u needing v closes a cycle.
        edges.push((v, u));
        let err = IndexedPipeline::from_edges(n, vec![minutes(1); n], &edges).unwrap_err();
        let text = err.to_string();
        let nodes: Vec<u32> = text
            .strip_prefix("cycle in edges: ")
            .unwrap()
            .split(" needs ")
            .map(|s| s.strip_prefix("node ").unwrap().parse().unwrap())
            .collect();
        prop_assert_eq!(nodes.first(), nodes.last());
        prop_assert_eq!(nodes[0], *nodes.iter().min().unwrap());
        for pair in nodes.windows(2) {
            // pair[0] needs pair[1]: an edge (pair[1], pair[0]).
            prop_assert!(edges.contains(&(pair[1], pair[0])), "{} {:?}", text, edges);
        }
    }
}

#[test]
fn ids_are_made_when_asked() {
    let p = IndexedPipeline::from_edges(3, vec![minutes(2); 3], &[(2, 0), (0, 1)]).unwrap();
    let order: Vec<String> = p.order().iter().map(|&v| p.id(v)).collect();
    assert_eq!(order, ["2", "0", "1"]);
    assert_eq!(p.estimate(StepId::from_index(1)), minutes(2));
    assert_eq!(p.duration(), minutes(6));
    assert_eq!(p.to_def().steps[1].needs, ["0"]);
}

/// A step keeps its hot fields inline (two names of 24 bytes, the needs,
/// the estimate, attempts, requirement) and the rest behind one pointer:
/// 88 bytes on 64-bit targets (464 with every field inline), which is what
/// a large pipeline streams through the cache on each validation pass.
/// This catches it growing unnoticed.
#[test]
fn a_step_stays_compact() {
    use release_core::pipeline::Step;
    if size_of::<usize>() == 8 {
        assert!(size_of::<Step>() <= 88, "{}", size_of::<Step>());
    }
}
