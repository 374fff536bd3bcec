//! Parse 100,000 mixed tags, sort the valid ones and find the latest:
//! release-core side by side with the bare `semver` crate doing the same.
//!
//! The peer strips a leading `v` itself (the `semver` crate does not accept
//! one) and uses `semver::Version`'s own order; release-core reads the same
//! tags through a SemVer `TagScheme` with an optional `v`, which also
//! normalises `-rc1` counters and keeps the spelling. Both reject the CalVer
//! and junk tags (`2023.06.1` has a leading zero, so it is not SemVer).

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use release_benches::mixed_tags;
use release_core::version::{Scheme, TagScheme};

fn peer(tags: &[String]) -> Option<semver::Version> {
    let mut valid: Vec<semver::Version> = tags
        .iter()
        .filter_map(|t| semver::Version::parse(t.strip_prefix('v').unwrap_or(t)).ok())
        .collect();
    valid.sort();
    valid.pop()
}

fn ours(scheme: &TagScheme, tags: &[String]) -> Option<release_core::version::Version> {
    let mut sorted = scheme.sort(tags);
    sorted.pop().map(|(_, v)| v)
}

fn bench(c: &mut Criterion) {
    let tags = mixed_tags(100_000);
    let scheme = TagScheme::from(Scheme::semver());
    // Same answer, or the comparison means nothing.
    let (p, o) = (peer(&tags), ours(&scheme, &tags));
    assert_eq!(p.map(|v| v.to_string()), o.map(|v| v.to_string()));

    let mut group = c.benchmark_group("parse_sort_latest_100k");
    group.sample_size(20);
    group.bench_function("semver_crate", |b| b.iter(|| peer(black_box(&tags))));
    group.bench_function("release_core", |b| {
        b.iter(|| ours(&scheme, black_box(&tags)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
