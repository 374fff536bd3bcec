// The release-core side of the shared perf harness (`../shared/perf`): its
// run_peers.sh uses this file instead of its own copy when RELEASE_CORE_DIR
// names this checkout, so the harness follows the API (here: the renames of
// issue 9, `calendar::RecurrenceRule` and `duration::{Estimate, Span}`). It
// is built by the harness, against its `perf_peers` helper crate, not by
// this workspace.
//! release-core (the Rust crate) for all three workloads, timed exactly like
//! the floor peers: semver_rs.rs (W1), rrule_rs.rs (W2), petgraph_rs.rs (W3).
//!
//! * W1: release-core's bulk path `TagScheme::sort` on the raw tags with the
//!   default SemVer scheme, whose optional `v` is exactly the harness rule
//!   "strip one leading 'v', then parse strictly" (`vv1.2.3` stays invalid);
//!   returns the valid tags' indices in order with their versions. Note: release-core
//!   orders pre-releases by its own documented rule (labels lowercased,
//!   `rc1` read as `rc.1`), which differs from strict SemVer 2.0.0 precedence
//!   on some tags; the order cross-check in report.py shows where.
//! * W2: per expansion, a `Schedule` (weekly, interval 2, TU, UNTIL = the
//!   local end as an instant, 10:00 America/New_York) with the US federal
//!   set and the next-working-day policy; instants collected. The holiday set
//!   (`calendar::builtin::us_federal()`) is built once in setup and handed to
//!   each schedule, as the peers build their calendar once.
//! * W3: the edge list becomes a `PipelineDef` (one step per node, id = its
//!   index as text, needs = its predecessors, exact estimate = its duration
//!   in seconds), `Pipeline::new` validates it (ids, references, cycles; the
//!   topological order is computed here), then `order()` and
//!   `critical_path()`; the pipeline is dropped inside the timing as the
//!   peers' graphs are.
use chrono::{Datelike, NaiveDate, NaiveDateTime, Utc, Weekday};
use perf_peers::*;
use release_core::calendar::{
    builtin, ByDay, Frequency, HolidayPolicy, HolidaySource, Recurrence, RecurrenceRule, Schedule,
    Until, Zone,
};
use release_core::duration::{Estimate, Span};
use release_core::pipeline::{Pipeline, PipelineDef, Step, StepKind, StepName};
use std::fmt::Write as _;
use release_core::version::{Scheme, TagScheme};
use serde_json::json;
use std::time::Instant;

const IMPL: &str = "rust-release_core";

fn lib() -> String {
    format!("release-core {}", env!("PERF_RELEASE_CORE"))
}

fn main() {
    let args = parse_args();
    match args.workload.as_str() {
        "w1_tags" => w1(&args),
        "w2_calendar" => w2(&args),
        "w3_graph" => w3(&args),
        w => unsupported(IMPL, w),
    }
}

fn w1(args: &Args) {
    let t0 = Instant::now();
    let tags = load_tags(&args.data);
    let scheme = TagScheme::from(Scheme::semver()); // optional `v`
    let setup = t0.elapsed().as_secs_f64();
    let timed = time_runs(args, 1, |_lap| scheme.sort(&tags));
    let sorted = &timed.out;
    let max = sorted.last().map(|(_, v)| strip_v(&v.to_string()).to_owned());
    let result = json!({"valid": sorted.len(), "max": max, "semantics": "semver"});
    if let Some(prefix) = dump_prefix(args, IMPL) {
        let bits: String = tags
            .iter()
            .map(|t| if scheme.version_of(t).is_some() { '1' } else { '0' })
            .collect();
        std::fs::write(format!("{}.valid", prefix.display()), bits + "\n").unwrap();
        let text: String = sorted.iter().map(|(i, _)| format!("{i}\n")).collect();
        std::fs::write(format!("{}.sorted", prefix.display()), text).unwrap();
    }
    emit(args, IMPL, &lib(), tags.len(), "s per (parse all tags + sort valid)", 1, setup, &timed, result);
}

fn w2(args: &Args) {
    let t0 = Instant::now();
    let spec = load_calendar(&args.data, args.reps);
    let reps = spec["reps"].as_u64().unwrap() as usize;
    let zone: Zone = spec["tz"].as_str().unwrap().parse().unwrap();
    let local = |k: &str| NaiveDateTime::parse_from_str(spec[k].as_str().unwrap(), "%Y-%m-%dT%H:%M:%S").unwrap();
    let start = local("dtstart_local");
    let until = zone.resolve(local("until_local")).0; // RFC 5545: UNTIL in UTC when DTSTART has a TZID
    assert_eq!(spec["freq"], "WEEKLY");
    let byday = match spec["byweekday"].as_str().unwrap() {
        "MO" => Weekday::Mon, "TU" => Weekday::Tue, "WE" => Weekday::Wed, "TH" => Weekday::Thu,
        "FR" => Weekday::Fri, "SA" => Weekday::Sat, "SU" => Weekday::Sun,
        d => panic!("byweekday {d}"),
    };
    let interval = spec["interval"].as_u64().unwrap() as u32;
    assert_eq!(spec["holidays"], "US");
    assert_eq!(spec["holiday_rule"], "shift_next_business_day");
    let (y0, y1) = (spec["holiday_years"][0].as_i64().unwrap() as i32, spec["holiday_years"][1].as_i64().unwrap() as i32);
    let us = builtin::us_federal(); // the calendar, built once
    let setup = t0.elapsed().as_secs_f64();

    let expand = |_lap: &mut Lap| -> Vec<chrono::DateTime<Utc>> {
        let mut rule = RecurrenceRule::new(Frequency::Weekly, interval);
        rule.by_day = vec![ByDay::every(byday)];
        rule.until = Some(Until::Instant(until));
        let recurrence = Recurrence::new(start.date(), rule).unwrap();
        let schedule = Schedule::new("release", recurrence, start.time(), zone)
            .unwrap()
            .with_holidays(vec![HolidaySource::Custom(us.clone())], HolidayPolicy::NextWorkingDay)
            .unwrap();
        schedule.instants().collect()
    };
    let timed = time_runs(args, reps, expand);
    let iso: Vec<String> = timed.out.iter().map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string()).collect();
    let joined: String = iso.iter().map(|s| format!("{s}\n")).collect();
    let result = json!({
        "occurrences": iso.len(), "first": iso.first(), "last": iso.last(),
        "shifted": timed.out.iter().filter(|d| zone.in_zone(**d).weekday() != start.weekday()).count(),
        "sha256": sha256_hex(joined.as_bytes())[..16].to_string(),
    });
    if let Some(prefix) = dump_prefix(args, IMPL) {
        std::fs::write(format!("{}.occurrences", prefix.display()), &joined).unwrap();
        let mut hs: Vec<NaiveDate> = (y0..=y1).flat_map(|y| us.holidays_in(y)).map(|h| h.date).collect();
        hs.sort();
        hs.dedup();
        let text: String = hs.iter().map(|d| format!("{d}\n")).collect();
        std::fs::write(format!("{}.holidays", prefix.display()), text).unwrap();
    }
    emit(args, IMPL, &lib(), reps, "s per expansion (10y recurrence + holiday shift + UTC)", reps, setup, &timed, result);
}

/// The edge list as a release-core pipeline definition.
pub fn def_from_edges(n: usize, dur: &[u32], edges: &[(u32, u32)]) -> PipelineDef {
    // Ids written through one buffer into `StepName`s, which keep up to 24
    // bytes inline: no id or need is a heap allocation of its own.
    let mut text = String::new();
    let ids: Vec<StepName> = (0..n)
        .map(|i| {
            text.clear();
            write!(text, "{i}").expect("writing to a String");
            StepName::new(&text)
        })
        .collect();
    let mut needs: Vec<Vec<StepName>> = vec![Vec::new(); n];
    for &(u, v) in edges {
        needs[v as usize].push(ids[u as usize].clone());
    }
    let steps = ids
        .into_iter()
        .zip(needs)
        .zip(dur)
        .map(|((id, needs), &d)| {
            let mut step = Step::new(id, StepKind::Build);
            step.needs = needs;
            step.estimate = Some(Estimate::exactly(Span::seconds_of(d as u64)));
            step
        })
        .collect();
    PipelineDef { name: "w3".to_owned(), steps, ..PipelineDef::default() }
}

fn w3(args: &Args) {
    let t0 = Instant::now();
    let dag = load_dag(&args.data);
    let setup = t0.elapsed().as_secs_f64();
    let timed = time_runs(args, 1, |lap| {
        let def = def_from_edges(dag.n, &dag.dur, &dag.edges);
        lap.mark("build_def");
        let pipeline = Pipeline::new(def).expect("a valid DAG");
        lap.mark("build_validate");
        let order: Vec<u32> = pipeline.order().iter().map(|s| s.index() as u32).collect();
        lap.mark("toposort");
        let best = pipeline.critical_path().total.max().seconds();
        lap.mark("longest_path");
        drop(pipeline);
        lap.mark("drop");
        (order, best)
    });
    let (order, best) = &timed.out;
    let mut pos = vec![usize::MAX; dag.n];
    for (i, &u) in order.iter().enumerate() {
        pos[u as usize] = i;
    }
    let topo_valid = order.len() == dag.n
        && dag.edges.iter().all(|&(u, v)| pos[u as usize] < pos[v as usize]);
    let result = json!({"critical_path": best, "topo_valid": topo_valid, "nodes": dag.n, "edges": dag.edges.len()});
    emit(args, IMPL, &lib(), dag.n, "s per (build graph + toposort + critical path)", 1, setup, &timed, result);
}
