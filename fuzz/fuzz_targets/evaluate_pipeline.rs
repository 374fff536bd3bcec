//! Fuzz pipelines and runs: bytes decode into a pipeline definition (which
//! may be invalid: cycles, unknown needs, duplicate ids) and a sequence of
//! events. Validation, analysis, gate evaluation and the run never panic;
//! doing everything twice gives the same result; replaying the journal
//! through its JSON-lines form rebuilds the same run.
#![no_main]

use chrono::{DateTime, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use release_core::duration::Span;
use release_core::gate::Requirement;
use release_core::gate::{Fact, FactKind, FactValue, Gate, Rule};
use release_core::pipeline::{Cell, Matrix, Pipeline, PipelineDef, Step, StepId, StepKind, Wait};
use release_core::run::{Event, EventKind, Run, journal};

struct Bytes<'a>(&'a [u8]);

impl Bytes<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
}

const KINDS: [StepKind; 9] = [
    StepKind::Tag,
    StepKind::Build,
    StepKind::Deploy,
    StepKind::Test,
    StepKind::Snapshot,
    StepKind::Approve,
    StepKind::Notify,
    StepKind::Wait,
    StepKind::Custom,
];

fn t(m: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 3, 9, 0, 0).unwrap() + chrono::TimeDelta::minutes(i64::from(m))
}

fn decode_def(b: &mut Bytes<'_>) -> PipelineDef {
    let n = usize::from(b.byte() % 16) + 1;
    let mut steps = Vec::with_capacity(n);
    for i in 0..n {
        let flags = b.byte();
        let kind = KINDS[usize::from(b.byte()) % KINDS.len()];
        // Ids may collide (duplicate ids are a validation error).
        let id = format!(
            "s{}",
            if flags & 0x80 != 0 && b.byte() % 16 == 0 {
                usize::from(b.byte()) % n
            } else {
                i
            }
        );
        let mut step = Step::new(id, kind);
        for _ in 0..(b.byte() % 4) {
            // Mostly earlier steps; sometimes later ones (cycles) or unknown.
            let target = b.byte();
            step.needs.push(
                match target % 64 {
                    63 => format!("missing{target}"),
                    62 => format!("s{}", usize::from(target) % n),
                    _ if i > 0 => format!("s{}", usize::from(target) % i),
                    _ => continue,
                }
                .into(),
            );
        }
        if kind == StepKind::Wait || (flags & 0x01 != 0 && b.byte() % 16 == 0) {
            step.details.wait = Some(Wait::For(Span::minutes(u64::from(b.byte() % 90))));
        }
        if flags & 0x02 != 0 {
            step.details
                .gates
                .push(Gate::new("blockers", Rule::count("blockers", 0)));
        }
        if flags & 0x04 != 0 {
            step.details.gates.push(Gate::new(
                "soak",
                Rule::soak("env", Span::minutes(u64::from(b.byte()))),
            ));
            step.details.environment = Some("env".into());
        }
        if flags & 0x08 != 0 {
            let mut matrix = Matrix::default().axis("os", ["linux", "mac", "win"]);
            for _ in 0..(b.byte() % 4) {
                let os = ["linux", "mac", "win", "linux", "mac", "win", "linux", "bsd"]
                    [usize::from(b.byte() % 8)];
                let req = [
                    Requirement::Required,
                    Requirement::Advisory,
                    Requirement::Skippable,
                ][usize::from(b.byte() % 3)];
                let cell = Cell::new([("os", os)]).requirement(req);
                // Mostly named apart; unnamed twins collide (invalid).
                let cell = if b.byte() % 8 == 0 {
                    cell
                } else {
                    cell.named(format!("c{}", matrix.cells.len()))
                };
                matrix = matrix.cell(cell);
            }
            step.details.matrix = Some(matrix);
        }
        if flags & 0x10 != 0 && step.details.matrix.is_some() {
            let own = step.id.to_string();
            step.details
                .gates
                .push(Gate::new("matrix", Rule::matrix(own)));
        } else if flags & 0x10 != 0 && b.byte() % 16 == 0 {
            // Usually not a matrix step: a validation error.
            let other = format!("s{}", usize::from(b.byte()) % n);
            step.details
                .gates
                .push(Gate::new("matrix", Rule::matrix(other)));
        }
        step.max_attempts = (u32::from(b.byte() % 33) + 15) / 16; // now and then 0: invalid
        step.requirement = [
            Requirement::Required,
            Requirement::Advisory,
            Requirement::Skippable,
        ][usize::from(flags >> 5) % 3];
        let lo = u64::from(b.byte() % 30);
        step.estimate = release_core::duration::Estimate::new(
            Span::minutes(lo),
            Span::minutes(lo + u64::from(b.byte() % 30)),
        )
        .ok();
        steps.push(step);
    }
    PipelineDef {
        name: "fuzz".into(),
        components: Vec::new(),
        environments: vec![release_core::pipeline::Environment::new("env")],
        steps,
        roles: Default::default(),
    }
}

fn decode_events(b: &mut Bytes<'_>, pipeline: &Pipeline, run: &mut Run) {
    let mut minute = 0u32;
    while !b.0.is_empty() {
        let op = b.byte();
        let arg = usize::from(b.byte());
        minute += u32::from(b.byte() % 8);
        let task = pipeline
            .node(StepId::from_index(arg % pipeline.len()))
            .id()
            .to_owned();
        let kind = match op % 12 {
            // A requester: accepted only before anything happened, then
            // fixed; the approvals of "a" then count or not by who it is.
            10 => EventKind::Requested {
                by: id(if arg % 2 == 0 { "a" } else { "r" }),
            },
            0 => EventKind::Started {
                task,
                process: None,
            },
            1 => EventKind::Succeeded {
                task,
                message: None,
            },
            2 => EventKind::Failed {
                task,
                message: "boom".into(),
            },
            3 => EventKind::Interrupted { task },
            4 => EventKind::Approved {
                task: Some(task),
                by: id("a"),
                role: Some("qa".into()),
            },
            5 => EventKind::Waived {
                task: Some(task),
                gate: (arg % 2 == 0).then(|| "blockers".into()),
                by: id("w"),
                reason: "r".into(),
            },
            6 => EventKind::Skipped {
                task,
                by: id("s"),
                reason: "r".into(),
            },
            7 => EventKind::Fact {
                fact: Box::new(Fact::new(
                    FactKind::Count,
                    "blockers",
                    FactValue::Count((arg % 2) as i64),
                    "f",
                    t(minute),
                )),
            },
            8 => EventKind::Fact {
                fact: Box::new(Fact::new(
                    FactKind::Deployed,
                    "env",
                    FactValue::Text("x".into()),
                    "f",
                    t(minute),
                )),
            },
            9 => EventKind::Cancelled {
                task: (arg % 5 != 0).then_some(task),
                by: None,
                reason: None,
            },
            _ => {
                run.tick(t(minute));
                continue;
            }
        };
        // Refused events are fine; they must leave the run unchanged.
        let before = run.clone();
        if run.apply(Event::new(t(minute), kind)).is_err() {
            assert_eq!(*run, before, "a refused event changed the run");
        }
    }
}

fn evaluate(data: &[u8]) -> String {
    let mut b = Bytes(data);
    let def = decode_def(&mut b);
    let pipeline = match Pipeline::new(def) {
        Ok(p) => p,
        Err(e) => return format!("invalid: {e}"),
    };
    let path = pipeline.critical_path();
    let dot = pipeline.to_dot();
    let mermaid = pipeline.to_mermaid();
    let mut run = Run::new(pipeline.clone());
    decode_events(&mut b, &pipeline, &mut run);
    let text = journal::encode_all(run.journal()).expect("encodes");
    let events = journal::decode(&text).expect("decodes").events;
    assert_eq!(events, run.journal());
    let replayed = Run::replay(pipeline.clone(), events.clone()).expect("replays");
    assert_eq!(replayed, run, "replay differs from the live run");
    let resumed = Run::resume(pipeline, events, t(100_000)).expect("resumes");
    format!(
        "{path}\n{dot}{mermaid}{:?}\n{:?}\n{:?}\n{:?}",
        run.snapshot(),
        run.blocked(),
        resumed.snapshot(),
        run.next_wakeup()
    )
}

fuzz_target!(|data: &[u8]| {
    let first = evaluate(data);
    let second = evaluate(data);
    assert_eq!(first, second, "the same input gave different results");
});

/// A fixed, valid identity.
fn id(name: &str) -> release_core::identity::Identity {
    name.parse()
        .unwrap_or_else(|e| panic!("{name:?} is a valid identity: {e}"))
}
