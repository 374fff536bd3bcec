//! `release version sort` of the shared perf harness's 100,000 tags as a
//! whole process (start-up, reading stdin, the stderr note, writing
//! stdout) side by side with the library call it makes in-process
//! (`TagScheme::order_with_unread` on the same lines, the answer written to
//! a buffer). Target: the process at most 1.5x the library.

// criterion_group! generates an undocumented public function.
#![allow(missing_docs)]

use std::hint::black_box;
use std::io::Write;
use std::process::{Command, Stdio};

use criterion::{Criterion, criterion_group, criterion_main};
use release_core::version::{Scheme, TagScheme};

const TAGS: &str = include_str!("../../../benches/data/harness_tags.txt");

/// What the CLI reads: each line trimmed, blank lines dropped, borrowed
/// from the text read whole.
fn lines(text: &str) -> Vec<&str> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect()
}

fn library(scheme: &TagScheme, text: &str) -> usize {
    let tags = lines(text);
    let (order, unread) = scheme.order_with_unread(&tags);
    let mut answer = String::new();
    for i in &order {
        answer.push_str(tags[*i]);
        answer.push('\n');
    }
    black_box(unread.len()) + black_box(answer).len()
}

fn process() -> Vec<u8> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_release"))
        .args(["version", "sort"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("release runs");
    let mut stdin = child.stdin.take().expect("a pipe");
    // Written from a thread: the child's stdout must be drained meanwhile.
    let writer = std::thread::spawn(move || stdin.write_all(TAGS.as_bytes()));
    let output = child.wait_with_output().expect("release ends");
    writer.join().expect("writer").expect("stdin written");
    assert!(output.status.success());
    output.stdout
}

fn bench(c: &mut Criterion) {
    let scheme = TagScheme::from(Scheme::semver());
    // The same answer: the process prints exactly the library's order.
    let tags = lines(TAGS);
    let expected: String = scheme
        .sort(&tags)
        .iter()
        .map(|(i, _)| format!("{}\n", tags[*i]))
        .collect();
    assert_eq!(String::from_utf8(process()).expect("UTF-8"), expected);

    let mut group = c.benchmark_group("cli_version_sort_100k");
    group.sample_size(10);
    group.bench_function("library_in_process", |b| {
        b.iter(|| library(&scheme, black_box(TAGS)))
    });
    group.bench_function("release_process", |b| b.iter(process));
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
