//! Fuzz process files: arbitrary text (TOML or not) never panics; an error
//! is placed inside the text; an accepted process plans, explains its
//! steps, simulates its trains and answers the same twice.
#![no_main]

use chrono::{DateTime, Utc};
use libfuzzer_sys::fuzz_target;
use release_core::gate::Facts;
use release_core::process::Process;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let process = match Process::from_toml("fuzz.toml", text) {
        Ok(p) => p,
        Err(err) => {
            if let Some(at) = err.location() {
                assert!(at.line >= 1 && at.line <= text.lines().count().max(1) + 1);
                assert!(at.column >= 1);
            }
            let _ = err.to_string();
            return;
        }
    };
    let now: DateTime<Utc> = "2024-03-01T09:00:00Z".parse().expect("instant");
    let first = process.plan(now, &Facts::new(), &[]);
    let second = process.plan(now, &Facts::new(), &[]);
    assert_eq!(first.is_ok(), second.is_ok());
    if let (Ok(a), Ok(b)) = (&first, &second) {
        assert_eq!(a, b);
    }
    for node in process.pipeline().nodes().take(20) {
        let _ = process.explain(node.id(), now, &Facts::new(), &[]);
    }
    for train in process.trains() {
        let _ = process.simulate(Some(train.name()), None);
    }
    let _ = process.calendar_facts(now);
});
