//! Work grows about linearly with the pipeline: a plan, a dry-run drive
//! and an explanation of a 100k-step chain cost at most 30 times those of a
//! 10k-step chain (a quadratic path costs 100 times; linear work measured
//! 10-15x, as caches and allocation grow with the chain, and 15.0x once
//! while two other builds ran, so 15 was too tight a bound).
//!
//! Time is this thread's CPU time where the platform reports it (Linux's
//! `/proc/thread-self/stat`), so that other work on a loaded machine does
//! not count; elsewhere wall time, the best of a few tries.

// The no-I/O and no-clock rules are for the library: this test reads
// /proc for CPU time, and a clock where there is none.
#![allow(clippy::disallowed_methods, clippy::disallowed_types)]

use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use release_core::gate::Facts;
use release_core::process::Process;
use release_core::run::{Driver, DryRunExecutor, Event, Run, RunStatus, VirtualClock};

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap()
}

/// The findings' generator: `n` build steps, each needing the one before.
fn chain(n: usize) -> Process {
    let mut text = String::from("name = \"chain\"\n");
    for i in 0..n {
        text.push_str(&format!("[[steps]]\nid = \"s{i}\"\nkind = \"build\"\n"));
        if i > 0 {
            text.push_str(&format!("needs = [\"s{}\"]\n", i - 1));
        }
    }
    Process::from_toml("chain.toml", &text).expect("the chain is valid")
}

/// This thread's CPU time (user and system), if the platform says.
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // The fields after the command name, which is in parentheses.
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let ticks: u64 = fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?;
    // USER_HZ is 100 on every Linux configuration in use.
    Some(Duration::from_millis(ticks * 10))
}

/// The cost of `work`: CPU time when known, else the best wall time of 3.
fn cost(mut work: impl FnMut()) -> Duration {
    if let Some(before) = thread_cpu() {
        work();
        return thread_cpu().map_or(Duration::ZERO, |after| after.saturating_sub(before));
    }
    (0..3)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .min()
        .unwrap_or(Duration::ZERO)
}

/// Asserts that `work(100_000)` costs at most 30 times `work(10_000)`.
fn assert_linear(what: &str, work: impl Fn(&Process)) {
    let (small, large) = (chain(10_000), chain(100_000));
    // The small case is short: the best of 3 (a stray page fault or a
    // coarse clock tick weighs less), with a floor of 20 ms that the clock's
    // 10 ms ticks cannot make zero.
    let small_cost = (0..3)
        .map(|_| cost(|| work(&small)))
        .min()
        .unwrap_or(Duration::ZERO)
        .max(Duration::from_millis(20));
    let large_cost = cost(|| work(&large));
    let ratio = large_cost.as_secs_f64() / small_cost.as_secs_f64();
    assert!(
        ratio <= 30.0,
        "{what}: 100k steps cost {large_cost:?}, 10k steps {small_cost:?}: {ratio:.1}x (at most 30x)"
    );
}

#[test]
fn plan_grows_linearly() {
    assert_linear("plan", |p| {
        let plan = p.plan(now(), &Facts::new(), &[]).unwrap();
        assert_eq!(plan.steps.len(), p.pipeline().len());
    });
}

#[test]
fn dry_run_drive_grows_linearly() {
    assert_linear("dry-run drive", |p| {
        let mut run = Run::new(p.pipeline().clone());
        let mut events = 0usize;
        let mut observer = |_: &Event, _: &Run| {
            events += 1;
            Ok::<(), release_core::Error>(())
        };
        let report = Driver::parallel(1)
            .drive_observed(
                &mut run,
                &mut DryRunExecutor::with_estimates(),
                &mut VirtualClock::new(now()),
                &mut observer,
            )
            .unwrap();
        assert_eq!(report.status, RunStatus::Succeeded);
        assert_eq!(events, 2 * p.pipeline().len());
        // What the CLI prints afterwards.
        assert_eq!(run.blocked().len(), 0);
        assert_eq!(run.snapshot().tasks.len(), p.pipeline().len());
    });
}

#[test]
fn explain_grows_linearly() {
    assert_linear("explain", |p| {
        let last = format!("s{}", p.pipeline().len() - 1);
        let e = p.explain(&last, now(), &Facts::new(), &[]).unwrap();
        assert!(!e.ready);
    });
}
