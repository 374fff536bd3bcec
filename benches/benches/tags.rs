//! W1: parse 100,000 tags and sort the valid ones, release-core side by
//! side with the bare `semver` crate doing the same, as its users call it
//! (strip one leading `v`, `Version::parse`, `Vec::sort`).
//!
//! - `w1_harness_100k`: the shared perf harness's own corpus
//!   (`benches/data/harness_tags.txt`), with its oversized numbers, odd
//!   pre-releases and junk: the figure `BENCHMARKS.md` quotes.
//! - `w1_growth`: the seeded `mixed_tags` corpus at 10k, 100k and 1M, both
//!   contenders, for the growth per 10x (n log n expected: a sort).
//!
//! release-core reads the same tags through a SemVer `TagScheme` with an
//! optional `v` (exactly the peer's strip), keeps each tag's index, and
//! reads `-rc1` counters and uppercase labels leniently; both reject
//! CalVer (`2023.06.1` has a leading zero) and junk.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use release_benches::mixed_tags;
use release_core::version::{Scheme, TagScheme};

/// The harness's corpus: split on `\n`, the final empty element dropped.
fn harness_tags() -> Vec<String> {
    let text = include_str!("../data/harness_tags.txt");
    let mut tags: Vec<String> = text.split('\n').map(str::to_owned).collect();
    tags.pop();
    tags
}

fn peer(tags: &[String]) -> Vec<semver::Version> {
    let mut valid: Vec<semver::Version> = Vec::with_capacity(tags.len());
    valid.extend(
        tags.iter()
            .filter_map(|t| semver::Version::parse(t.strip_prefix('v').unwrap_or(t)).ok()),
    );
    valid.sort();
    valid
}

fn ours(scheme: &TagScheme, tags: &[String]) -> Vec<(usize, release_core::version::Version)> {
    scheme.sort(tags)
}

/// Same valid set and same greatest version, or the comparison means
/// nothing. (The orders differ only among pre-releases release-core reads
/// leniently: `-SNAPSHOT` lowercased, `rc1` as `rc.1`.)
fn same_answer(scheme: &TagScheme, tags: &[String]) {
    let (p, o) = (peer(tags), ours(scheme, tags));
    assert_eq!(p.len(), o.len(), "valid counts differ");
    assert_eq!(
        p.last().map(|v| v.to_string()),
        o.last().map(|(_, v)| v.to_string())
    );
}

fn harness(c: &mut Criterion) {
    let tags = harness_tags();
    assert_eq!(tags.len(), 100_000);
    let scheme = TagScheme::from(Scheme::semver());
    same_answer(&scheme, &tags);
    let mut group = c.benchmark_group("w1_harness_100k");
    group.sample_size(20);
    group.bench_function("semver_crate", |b| b.iter(|| peer(black_box(&tags))));
    group.bench_function("release_core", |b| {
        b.iter(|| ours(&scheme, black_box(&tags)))
    });
    group.finish();
}

fn growth(c: &mut Criterion) {
    let scheme = TagScheme::from(Scheme::semver());
    let mut group = c.benchmark_group("w1_growth");
    group.sample_size(10);
    for n in [10_000, 100_000, 1_000_000] {
        let tags = mixed_tags(n);
        same_answer(&scheme, &tags);
        group.bench_with_input(BenchmarkId::new("semver_crate", n), &tags, |b, tags| {
            b.iter(|| peer(black_box(tags)))
        });
        group.bench_with_input(BenchmarkId::new("release_core", n), &tags, |b, tags| {
            b.iter(|| ours(&scheme, black_box(tags)))
        });
    }
    group.finish();
}

criterion_group!(benches, harness, growth);
criterion_main!(benches);
