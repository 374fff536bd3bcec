//! A generated pipeline of 100,000 steps and about 300,000 dependencies.
//!
//! 1. `w3_graph_*` (one group, the same seeded graph for every row):
//!    - `petgraph_from_integer_edges`: what petgraph's users write (and the
//!      shared harness's `petgraph_rs.rs`): `Graph::with_capacity`,
//!      `add_node` per duration and `add_edge` per `(u32, u32)`,
//!      `toposort`, one longest-path pass over the order; the graph dropped
//!      inside the timing;
//!    - `release_core_index_builder`: `IndexedPipeline::from_edges` on the
//!      same integer edges (validation: ranges, self-loops, duplicates,
//!      cycles), `order()`, `critical_path()`, dropped inside the timing;
//!    - `release_core_string_ids`: `Pipeline::new` on a ready
//!      `PipelineDef` with string ids and needs (as read from a file; its
//!      copy is made outside the timing), `order()`, `critical_path()`,
//!      the pipeline dropped inside the timing;
//!    - `release_core_string_ids_incl_def`: as the shared harness does,
//!      the `PipelineDef` made from the integer edges (ids as index text)
//!      inside the timing too.
//!
//!    Every row finds the same critical-path length (asserted).
//! 2. `w3_growth`: the index builder and the string path at 10,000,
//!    100,000 and 1,000,000 steps (1M with 10 samples).
//! 3. `drive_noop_executor`: all tasks driven to success by the sequential
//!    driver with a no-op executor (start + outcome events journaled per
//!    task), at 10,000 and 100,000 steps; `PIPELINE_BENCH_1M=1` adds a
//!    one-shot measurement at 1,000,000 steps to show linear growth.
//! 4. Peak heap for the 100,000-step pipeline (definition, validated
//!    pipeline, and a run driven to the end with its journal), and for the
//!    index builder and petgraph on the same edges, measured by a counting
//!    global allocator and printed.
//!
//! Under `cargo bench -- --test` (CI), sizes shrink to 1,000 steps.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use chrono::{TimeZone, Utc};
use criterion::{BatchSize, Criterion, Throughput, criterion_group, criterion_main};
use petgraph::graph::DiGraph;
use release_benches::{GenStep, dag, pipeline_def};
use release_core::duration::{Estimate, Span};
use release_core::pipeline::{IndexedPipeline, Pipeline, PipelineDef, Step, StepKind, StepName};
use release_core::run::journal::{self, RecordedBy};
use release_core::run::{Driver, FixedClock, Outcome, Run, RunStatus, Task};
use std::fmt::Write as _;

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

/// The generated graph as integer data: durations (the estimates' maxima,
/// in seconds), the estimates, and the edges `(need, step)`.
struct IntGraph {
    durations: Vec<u32>,
    min_seconds: Vec<u32>,
    edges: Vec<(u32, u32)>,
}

impl IntGraph {
    fn of(steps: &[GenStep]) -> IntGraph {
        let edges = steps
            .iter()
            .enumerate()
            .flat_map(|(i, s)| s.needs.iter().map(move |&j| (j as u32, i as u32)))
            .collect();
        IntGraph {
            durations: steps.iter().map(|s| (s.max_minutes * 60) as u32).collect(),
            min_seconds: steps.iter().map(|s| (s.min_minutes * 60) as u32).collect(),
            edges,
        }
    }

    fn estimates(&self) -> Vec<Estimate> {
        self.min_seconds
            .iter()
            .zip(&self.durations)
            .map(|(&lo, &hi)| {
                Estimate::new(Span::seconds_of(lo.into()), Span::seconds_of(hi.into()))
                    .expect("min <= max")
            })
            .collect()
    }
}

/// The peer, as the harness's petgraph_rs.rs: a graph from the integer
/// edges, toposort, and the longest path by maximum (seconds).
fn petgraph_from_edges(g: &IntGraph) -> u64 {
    let n = g.durations.len();
    let mut graph: DiGraph<u32, ()> = DiGraph::with_capacity(n, g.edges.len());
    let nodes: Vec<_> = g.durations.iter().map(|&d| graph.add_node(d)).collect();
    for &(u, v) in &g.edges {
        graph.add_edge(nodes[u as usize], nodes[v as usize], ());
    }
    let order = petgraph::algo::toposort(&graph, None).expect("a DAG");
    let mut start = vec![0u64; n];
    let mut best = 0u64;
    for &u in &order {
        let fin = start[u.index()] + u64::from(graph[u]);
        best = best.max(fin);
        for v in graph.neighbors(u) {
            let s = &mut start[v.index()];
            if *s < fin {
                *s = fin;
            }
        }
    }
    best
}

/// The index builder on the same edges.
fn index_builder(g: &IntGraph) -> u64 {
    let p = IndexedPipeline::from_edges(g.durations.len(), g.estimates(), &g.edges).expect("valid");
    black_box(p.order());
    p.critical_path().estimate.max().seconds()
}

/// The string path on a ready definition; the pipeline is dropped here.
fn string_ids(def: PipelineDef) -> u64 {
    let pipeline = Pipeline::new(def).expect("valid");
    black_box(pipeline.order());
    pipeline.critical_path().estimate.max().seconds()
}

/// The harness's `def_from_edges`: the definition from the integer graph,
/// ids the index as text.
fn def_from_edges(g: &IntGraph) -> PipelineDef {
    let n = g.durations.len();
    // Ids written through one buffer: a name of up to 24 bytes is kept
    // inline, so no id is a heap allocation of its own.
    let mut text = String::new();
    let ids: Vec<StepName> = (0..n)
        .map(|i| {
            text.clear();
            write!(text, "{i}").expect("writing to a String");
            StepName::new(&text)
        })
        .collect();
    let mut needs: Vec<Vec<StepName>> = vec![Vec::new(); n];
    for &(u, v) in &g.edges {
        needs[v as usize].push(ids[u as usize].clone());
    }
    let estimates = g.estimates();
    let steps = ids
        .into_iter()
        .zip(needs)
        .zip(estimates)
        .map(|((id, needs), e)| {
            let mut step = Step::new(id, StepKind::Build);
            step.needs = needs;
            step.estimate = Some(e);
            step
        })
        .collect();
    PipelineDef {
        steps,
        ..PipelineDef::default()
    }
}

fn drive(pipeline: &std::sync::Arc<Pipeline>) -> RunStatus {
    driven(pipeline).status()
}

/// A run of every task to success by the sequential driver, no-op executor.
fn driven(pipeline: &std::sync::Arc<Pipeline>) -> Run {
    let mut run = Run::new(pipeline.clone());
    let mut noop = |_: &Task<'_>| Outcome::success();
    let mut clock = FixedClock::new(Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap());
    let report = Driver::sequential()
        .drive(&mut run, &mut noop, &mut clock)
        .expect("drives");
    assert_eq!(report.executed, pipeline.len());
    run
}

/// What `release run` does per event before its write and `fsync`: the
/// format-2 line chained to the previous line's hash, and that line's
/// hash for the next. Returns the bytes written.
fn journal_chain(events: &[release_core::run::Event]) -> usize {
    let by = RecordedBy::new("run", None);
    let mut prev = journal::hash(b"header");
    let mut written = 0;
    for event in events {
        let line = journal::encode_entry(event, &by, &prev).expect("encodes");
        prev = journal::hash(line.trim_end().as_bytes());
        written += line.len();
    }
    written
}

fn bench(c: &mut Criterion) {
    let n = if quick() { 1_000 } else { 100_000 };
    let steps = dag(n, 3);
    let def = pipeline_def(&steps);
    let graph = IntGraph::of(&steps);
    let dependencies = graph.edges.len();
    // Same answer, or the comparison means nothing.
    let expected = petgraph_from_edges(&graph);
    assert_eq!(index_builder(&graph), expected);
    assert_eq!(string_ids(def.clone()), expected);
    assert_eq!(string_ids(def_from_edges(&graph)), expected);

    let mut group = c.benchmark_group(format!("w3_graph_{n}_steps_{dependencies}_deps"));
    group.sample_size(20);
    group.bench_function("petgraph_from_integer_edges", |b| {
        b.iter(|| black_box(petgraph_from_edges(black_box(&graph))))
    });
    group.bench_function("release_core_index_builder", |b| {
        b.iter(|| black_box(index_builder(black_box(&graph))))
    });
    group.bench_function("release_core_string_ids", |b| {
        b.iter_batched(
            || def.clone(),
            |def| black_box(string_ids(def)),
            BatchSize::LargeInput,
        )
    });
    group.bench_function("release_core_string_ids_incl_def", |b| {
        b.iter(|| black_box(string_ids(def_from_edges(black_box(&graph)))))
    });
    group.finish();
    growth(c);

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

    // Journaling on its own row: the events of the runs above encoded and
    // chained (the file write and its fsync are the disk's, not ours).
    let mut group = c.benchmark_group("journal_encode_chain");
    group.sample_size(10);
    for &size in sizes {
        let pipeline =
            std::sync::Arc::new(Pipeline::new(pipeline_def(&dag(size, 3))).expect("valid"));
        let run = driven(&pipeline);
        let events = run.journal();
        group.throughput(Throughput::Elements(events.len() as u64));
        group.bench_function(format!("{size}_tasks_{}_events", events.len()), |b| {
            b.iter(|| black_box(journal_chain(black_box(events))))
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

/// The index builder and the string path at growing sizes.
fn growth(c: &mut Criterion) {
    let sizes: &[usize] = if quick() {
        &[1_000]
    } else {
        &[10_000, 100_000, 1_000_000]
    };
    let mut group = c.benchmark_group("w3_growth");
    for &size in sizes {
        let steps = dag(size, 3);
        let graph = IntGraph::of(&steps);
        let def = pipeline_def(&steps);
        drop(steps);
        group.sample_size(if size >= 1_000_000 { 10 } else { 20 });
        group.throughput(Throughput::Elements(size as u64));
        group.bench_function(format!("index_builder/{size}"), |b| {
            b.iter(|| black_box(index_builder(black_box(&graph))))
        });
        group.bench_function(format!("string_ids/{size}"), |b| {
            b.iter_batched(
                || def.clone(),
                |def| black_box(string_ids(def)),
                BatchSize::LargeInput,
            )
        });
    }
    group.finish();
}

/// Peak heap above `base` while `f` runs (what it returns is dropped
/// before the reading).
fn peak_of<T>(f: impl FnOnce() -> T) -> usize {
    let base = LIVE.load(Ordering::Relaxed);
    PEAK.store(base, Ordering::Relaxed);
    black_box(f());
    PEAK.load(Ordering::Relaxed) - base
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
    drop(pipeline);
    // The integer rows: from the same edges (held outside the reading).
    let graph = IntGraph::of(&dag(n, 3));
    // Each whole timed unit: build, order, longest path.
    let index = peak_of(|| index_builder(&graph));
    let before = LIVE.load(Ordering::Relaxed);
    let built = IndexedPipeline::from_edges(graph.durations.len(), graph.estimates(), &graph.edges)
        .expect("valid");
    let held = LIVE.load(Ordering::Relaxed) - before;
    drop(built);
    let petgraph = peak_of(|| petgraph_from_edges(&graph));
    println!(
        "memory {n} steps, {} edges: index builder peak {:.1} MiB, held {:.1} MiB ({:.1} bytes per step with its edges); petgraph peak {:.1} MiB; peak ratio {:.2}",
        graph.edges.len(),
        mib(index),
        mib(held),
        held as f64 / n as f64,
        mib(petgraph),
        index as f64 / petgraph as f64
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
