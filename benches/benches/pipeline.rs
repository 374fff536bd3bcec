//! A generated pipeline of 100,000 steps and about 300,000 dependencies.
//!
//! 1. `analyse`: release-core validates the definition into a `Pipeline`
//!    (ids, references, cycles), then computes the topological order and
//!    the critical path; side by side with a bare petgraph graph built from
//!    the same string ids, `petgraph::algo::toposort`, and a longest-path
//!    pass over the order. Both produce the same critical-path length.
//! 2. `drive`: all tasks driven to success by the sequential driver with a
//!    no-op executor (start + outcome events journaled per task), at 10,000
//!    and 100,000 steps; `PIPELINE_BENCH_1M=1` adds a one-shot measurement
//!    at 1,000,000 steps to show linear growth.
//! 3. Peak heap for the 100,000-step pipeline (definition, validated
//!    pipeline, and a run driven to the end with its journal), measured by
//!    a counting global allocator and printed.
//!
//! Under `cargo bench -- --test` (CI), sizes shrink to 1,000 steps.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashMap;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use chrono::{TimeZone, Utc};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use petgraph::graph::{DiGraph, NodeIndex};
use release_benches::{GenStep, dag, pipeline_def};
use release_core::pipeline::Pipeline;
use release_core::run::{Driver, FixedClock, Outcome, Run, RunStatus, Task};

/// Counts live and peak heap bytes, for the memory figure.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: delegates to the system allocator; only counts sizes.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller upholds `alloc`'s contract.
        let p = unsafe { System.alloc(layout) };
        if !p.is_null() {
            let live = LIVE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(live, Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: the caller upholds `dealloc`'s contract.
        unsafe { System.dealloc(ptr, layout) };
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller upholds `realloc`'s contract.
        let p = unsafe { System.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= layout.size() {
                let live = LIVE.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                    - layout.size();
                PEAK.fetch_max(live, Ordering::Relaxed);
            } else {
                LIVE.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
            }
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn quick() -> bool {
    std::env::args().any(|a| a == "--test")
}

/// The peer: petgraph from the same string ids, toposort, longest path by
/// maximum estimate (seconds), returning its length and the path.
fn peer(steps: &[GenStep]) -> (u64, Vec<NodeIndex>) {
    let mut graph: DiGraph<u64, ()> = DiGraph::with_capacity(steps.len(), steps.len() * 3);
    let mut index: HashMap<&str, NodeIndex> = HashMap::with_capacity(steps.len());
    for s in steps {
        let node = graph.add_node(s.max_minutes * 60);
        index.insert(&s.id, node);
    }
    for s in steps {
        let to = index[s.id.as_str()];
        for &j in &s.needs {
            let from = index[steps[j].id.as_str()];
            graph.add_edge(from, to, ());
        }
    }
    let order = petgraph::algo::toposort(&graph, None).expect("a DAG");
    let mut dist = vec![0u64; graph.node_count()];
    let mut pred = vec![NodeIndex::end(); graph.node_count()];
    for &v in &order {
        let mut best = 0;
        for u in graph.neighbors_directed(v, petgraph::Direction::Incoming) {
            if dist[u.index()] > best || pred[v.index()] == NodeIndex::end() {
                best = dist[u.index()];
                pred[v.index()] = u;
            }
        }
        dist[v.index()] = best + graph[v];
    }
    let (end, &len) = dist
        .iter()
        .enumerate()
        .max_by_key(|(_, d)| **d)
        .expect("nodes");
    let mut path = vec![NodeIndex::new(end)];
    while let Some(&p) = path.last().map(|v| &pred[v.index()]) {
        if p == NodeIndex::end() {
            break;
        }
        path.push(p);
    }
    path.reverse();
    (len, path)
}

/// Returns the pipeline too, so that dropping it (100,000 steps of owned
/// strings) happens outside the timing, as the peer's borrowed graph is
/// cheap to drop.
fn ours(def: release_core::pipeline::PipelineDef) -> (u64, Pipeline) {
    let pipeline = Pipeline::new(def).expect("valid");
    black_box(pipeline.order());
    let path = pipeline.critical_path();
    (path.estimate.max().seconds(), pipeline)
}

fn drive(pipeline: &std::sync::Arc<Pipeline>) -> RunStatus {
    let mut run = Run::new(pipeline.clone());
    let mut noop = |_: &Task<'_>| Outcome::success();
    let mut clock = FixedClock::new(Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap());
    let report = Driver::sequential()
        .drive(&mut run, &mut noop, &mut clock)
        .expect("drives");
    assert_eq!(report.executed, pipeline.len());
    report.status
}

fn bench(c: &mut Criterion) {
    let n = if quick() { 1_000 } else { 100_000 };
    let steps = dag(n, 3);
    let def = pipeline_def(&steps);
    let dependencies: usize = steps.iter().map(|s| s.needs.len()).sum();
    // Same answer, or the comparison means nothing.
    assert_eq!(peer(&steps).0, ours(def.clone()).0);

    let mut group = c.benchmark_group(format!("analyse_{n}_steps_{dependencies}_deps"));
    group.sample_size(20);
    group.bench_function("petgraph_toposort_longest_path", |b| {
        b.iter(|| black_box(peer(black_box(&steps))))
    });
    group.bench_function("release_core_validate_order_critical_path", |b| {
        b.iter_batched(
            || def.clone(),
            |def| black_box(ours(def)),
            BatchSize::LargeInput,
        )
    });
    group.finish();

    let sizes: &[usize] = if quick() {
        &[1_000]
    } else {
        &[10_000, 100_000]
    };
    let mut group = c.benchmark_group("drive_noop_executor");
    group.sample_size(10);
    for &size in sizes {
        let pipeline =
            std::sync::Arc::new(Pipeline::new(pipeline_def(&dag(size, 3))).expect("valid"));
        group.throughput(Throughput::Elements(size as u64));
        group.bench_function(format!("{size}_tasks"), |b| {
            b.iter(|| assert_eq!(drive(black_box(&pipeline)), RunStatus::Succeeded))
        });
    }
    group.finish();

    if !quick() {
        memory(100_000);
        if std::env::var_os("PIPELINE_BENCH_1M").is_some() {
            for size in [10_000, 100_000, 1_000_000] {
                one_shot(size);
            }
        }
    }
}

/// Peak heap while building and driving an `n`-step pipeline.
fn memory(n: usize) {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    let steps = dag(n, 3);
    let def = pipeline_def(&steps);
    drop(steps);
    let after_def = PEAK.load(Ordering::Relaxed) - base;
    let pipeline = std::sync::Arc::new(Pipeline::new(def).expect("valid"));
    let after_validate = PEAK.load(Ordering::Relaxed) - base;
    let path = pipeline.critical_path();
    black_box(&path);
    drop(path);
    assert_eq!(drive(&pipeline), RunStatus::Succeeded);
    let peak = PEAK.load(Ordering::Relaxed) - base;
    let mib = |b: usize| b as f64 / (1024.0 * 1024.0);
    println!(
        "memory {n} steps: definition {:.1} MiB, + validated pipeline {:.1} MiB, peak with a run driven to the end {:.1} MiB",
        mib(after_def),
        mib(after_validate),
        mib(peak)
    );
}

/// One timed build-and-drive, for sizes too large for criterion's samples.
fn one_shot(n: usize) {
    let def = pipeline_def(&dag(n, 3));
    let start = Instant::now();
    let pipeline = std::sync::Arc::new(Pipeline::new(def).expect("valid"));
    let path = pipeline.critical_path();
    let analysed = start.elapsed();
    black_box(path);
    let start = Instant::now();
    assert_eq!(drive(&pipeline), RunStatus::Succeeded);
    let driven = start.elapsed();
    println!(
        "one shot {n} steps: validate+order+critical path {:.1} ms; drive {:.1} ms = {:.0} ns per task",
        analysed.as_secs_f64() * 1e3,
        driven.as_secs_f64() * 1e3,
        driven.as_nanos() as f64 / n as f64
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
