//! Property test: a planned step never starts before its anchor. Over
//! generated processes (a weekly release day with milestones at generated
//! offsets, chains of steps, some with `not_before` points and offsets,
//! some with `due`), from generated instants:
//!
//! - a step with `not_before` starts no earlier than that point;
//! - a step starts no earlier than every step it needs finishes, at the
//!   earliest;
//! - a step not placed on the calendar (no `not_before` in its chain)
//!   starts no earlier than the release day;
//! - nothing starts before `now`; `misses_by` is set exactly when the
//!   earliest finish is after the deadline (and `now` is not past it).

use chrono::{DateTime, Duration, TimeZone, Utc};
use proptest::prelude::*;
use release_core::gate::Facts;
use release_core::process::Process;

#[derive(Debug, Clone)]
struct StepSpec {
    needs: Option<usize>,
    not_before: Option<(usize, i32)>,
    due: Option<(usize, i32)>,
    minutes: u32,
}

fn steps() -> impl Strategy<Value = Vec<StepSpec>> {
    prop::collection::vec(
        (
            any::<prop::sample::Index>(),
            prop::option::weighted(0.5, (0usize..3, -48i32..48)),
            prop::option::weighted(0.4, (0usize..3, -48i32..48)),
            1u32..600,
            any::<bool>(),
        ),
        1..8,
    )
    .prop_map(|specs| {
        specs
            .into_iter()
            .enumerate()
            .map(|(i, (need, nb, due, minutes, chained))| StepSpec {
                needs: (i > 0 && chained).then(|| need.index(i)),
                not_before: nb,
                due,
                minutes,
            })
            .collect()
    })
}

fn process(milestones: &[i32; 3], specs: &[StepSpec]) -> String {
    let mut text = String::from(
        "name = \"p\"\nrelease_day = \"r\"\n[[schedules]]\nname = \"r\"\ntime = \"10:00\"\nzone = \"Europe/London\"\nholidays = [\"england-wales\"]\npolicy = \"next_working_day\"\nrecurrence = { start = \"2024-01-02\", rule = { frequency = \"weekly\", by_day = [\"TU\"] } }\n",
    );
    for (i, offset) in milestones.iter().enumerate() {
        text.push_str(&format!(
            "[[milestones.r]]\nname = \"m{i}\"\noffset = \"{offset} hours\"\n"
        ));
    }
    for (i, s) in specs.iter().enumerate() {
        text.push_str(&format!(
            "[[steps]]\nid = \"s{i}\"\nkind = \"custom\"\nestimate = \"{}m\"\n",
            s.minutes
        ));
        if let Some(n) = s.needs {
            text.push_str(&format!("needs = [\"s{n}\"]\n"));
        }
        if let Some((m, h)) = s.not_before {
            text.push_str(&format!(
                "not_before = {{ milestone = \"m{m}\", offset = \"{h} hours\" }}\n"
            ));
        }
        if let Some((m, h)) = s.due {
            text.push_str(&format!(
                "due = {{ milestone = \"m{m}\", offset = \"{h} hours\" }}\n"
            ));
        }
    }
    text
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    #[test]
    fn steps_never_start_before_their_anchor(
        milestones in prop::array::uniform3(-400i32..24),
        specs in steps(),
        hours in 0i64..24 * 400,
    ) {
        let text = process(&milestones, &specs);
        let p = Process::from_toml("p.toml", &text).unwrap();
        let now: DateTime<Utc> =
            Utc.with_ymd_and_hms(2024, 1, 1, 0, 0, 0).unwrap() + Duration::hours(hours);
        let plan = p.plan(now, &Facts::new(), &[]).unwrap();
        let release = plan.release.as_ref().unwrap();
        let at = |id: &str| plan.steps.iter().find(|s| s.id == id).unwrap();
        let mut early = vec![false; specs.len()];
        for (i, spec) in specs.iter().enumerate() {
            let step = at(&format!("s{i}"));
            prop_assert!(step.start >= now, "{} starts before now\n{text}", step.id);
            early[i] = spec.not_before.is_some() || spec.needs.is_some_and(|n| early[n]);
            if spec.not_before.is_some() {
                let point = step.not_before.unwrap();
                prop_assert!(step.start >= point, "{} starts before its not_before\n{text}", step.id);
            }
            if let Some(n) = spec.needs {
                let need = at(&format!("s{n}"));
                let earliest = need.start + Duration::minutes(i64::from(specs[n].minutes));
                prop_assert!(step.start >= earliest, "{} starts before {} can finish\n{text}", step.id, need.id);
            }
            if !early[i] {
                prop_assert!(step.start >= release.occurrence.at.max(now), "{} starts before the release day\n{text}", step.id);
            }
            if let Some(due) = step.due {
                let earliest_finish = step.start + Duration::minutes(i64::from(spec.minutes));
                prop_assert_eq!(step.misses_by.is_some(), earliest_finish > due || now > due, "{}\n{}", step.id, text);
            }
        }
    }
}
