//! The generated JSON Schema against the example files and the parsers.
//!
//! Every example file must validate; a misspelt key or a value of the wrong
//! type must not. For values read from text the schema and the Rust parser
//! must agree on samples (the schema is what an editor checks as one types,
//! the parser what `release` checks when it loads the file).

#![cfg(feature = "schema")]
// The no-I/O rule is for the library: this test lists and reads the example
// directories so that a new example file is checked without being named here.
#![allow(clippy::disallowed_methods)]

use std::fs;
use std::path::{Path, PathBuf};

use release_core::calendar::{ByDay, HolidaySet, Milestone, Zone};
use release_core::duration::{Estimate, Span};
use release_core::gate::Waiver;
use release_core::notes::NotesConfig;
use release_core::pipeline::PipelineDef;
use release_core::process::{Process, ProcessDef};
use release_core::schema::{pipeline_schema, process_schema, schema_for};
use release_core::train::Scenario;
use release_core::version::{CalVerFormat, TagTemplate};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The `.toml` files of an examples directory.
fn examples(dir: &str) -> Vec<PathBuf> {
    let dir = repository().join("examples").join(dir);
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no examples in {}", dir.display());
    files
}

/// Every `examples/*/release.toml`: a process per folder.
fn process_examples() -> Vec<PathBuf> {
    let dir = repository().join("examples");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path().join("release.toml"))
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "no examples/*/release.toml");
    files
}

/// TOML as an editor hands it to a JSON Schema validator: dates and times
/// become their text.
fn to_json(value: toml::Value) -> Value {
    match value {
        toml::Value::String(s) => Value::String(s),
        toml::Value::Integer(n) => json!(n),
        toml::Value::Float(x) => json!(x),
        toml::Value::Boolean(b) => Value::Bool(b),
        toml::Value::Datetime(d) => Value::String(d.to_string()),
        toml::Value::Array(items) => Value::Array(items.into_iter().map(to_json).collect()),
        toml::Value::Table(table) => {
            Value::Object(table.into_iter().map(|(k, v)| (k, to_json(v))).collect())
        }
    }
}

fn parse_toml(text: &str) -> Value {
    to_json(toml::from_str::<toml::Value>(text).expect("valid TOML"))
}

fn validator(schema: &Value) -> jsonschema::Validator {
    jsonschema::draft202012::new(schema).expect("the generated schema is a valid schema")
}

fn errors(validator: &jsonschema::Validator, doc: &Value) -> Vec<String> {
    validator
        .iter_errors(doc)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn the_schema_is_draft_2020_12_and_closed() {
    let schema = pipeline_schema();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    for name in [
        "PipelineDef",
        "Component",
        "Pin",
        "Environment",
        "Step",
        "Matrix",
        "Cell",
    ] {
        let def = if name == "PipelineDef" {
            &schema
        } else {
            &schema["$defs"][name]
        };
        assert_eq!(def["additionalProperties"], false, "{name}");
    }
    // Doc comments become descriptions, which editors show on hover.
    assert!(
        schema["$defs"]["Step"]["properties"]["needs"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("must be done first"))
    );
}

/// The first place where two JSON documents differ, as a JSON pointer.
fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            x.keys()
                .chain(y.keys())
                .find_map(|k| match (x.get(k), y.get(k)) {
                    (Some(u), Some(v)) => first_difference(u, v, &format!("{at}/{k}")),
                    _ => Some(format!("{at}/{k}")),
                })
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => x
            .iter()
            .zip(y)
            .enumerate()
            .find_map(|(i, (u, v))| first_difference(u, v, &format!("{at}/{i}"))),
        _ => (a != b).then(|| at.to_owned()),
    }
}

#[test]
fn the_committed_schema_is_up_to_date() {
    let path = repository().join("release.schema.json");
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let committed: Value = serde_json::from_str(&text).expect("release.schema.json is JSON");
    let schema = process_schema();
    if let Some(at) = first_difference(&committed, &schema, "") {
        panic!(
            "release.schema.json differs from release_core::schema::process_schema() at {at:?}; \
             regenerate it with `cargo run -p release-cli -- schema > release.schema.json`"
        );
    }
}

#[test]
fn the_process_schema_is_titled_and_closed() {
    let schema = process_schema();
    assert_eq!(schema["title"], "release.toml");
    assert!(
        schema["description"]
            .as_str()
            .is_some_and(|d| !d.is_empty())
    );
    assert_eq!(schema["additionalProperties"], false);
    for name in [
        "TrainDef",
        "Rules",
        "FixRule",
        "Scenario",
        "NotesConfig",
        "Section",
    ] {
        assert_eq!(
            schema["$defs"][name]["additionalProperties"], false,
            "{name}"
        );
    }
    // Hover text is Markdown for people, without rustdoc's Rust paths.
    let text = schema.to_string();
    for link in [
        "](crate::",
        "](super::",
        "](self::",
        "]: super::",
        "[`Schedule`]",
    ] {
        assert!(!text.contains(link), "a description has {link:?}");
    }
}

/// Each file parses as `T` and validates against the schema.
fn assert_examples_validate<T: DeserializeOwned>(schema: &Value, files: &[PathBuf]) {
    let validator = validator(schema);
    for path in files {
        let text = fs::read_to_string(path).unwrap();
        if let Err(e) = toml::from_str::<T>(&text) {
            panic!("{}: {e}", path.display());
        }
        let errs = errors(&validator, &parse_toml(&text));
        assert!(errs.is_empty(), "{}: {errs:#?}", path.display());
    }
}

#[test]
fn every_process_example_validates() {
    let files = process_examples();
    for path in &files {
        let text = fs::read_to_string(path).unwrap();
        if let Err(e) = Process::from_toml(&path.display().to_string(), &text) {
            panic!("{e}");
        }
    }
    assert_examples_validate::<ProcessDef>(&process_schema(), &files);
}

#[test]
fn every_pipeline_example_validates() {
    let files = examples("pipelines");
    assert_examples_validate::<PipelineDef>(&pipeline_schema(), &files);
    // A pipeline file is a process file without a calendar.
    assert_examples_validate::<ProcessDef>(&process_schema(), &files);
}

/// Each mutant of an example is rejected both by the schema and by the
/// parser.
fn assert_mutants_rejected<T: DeserializeOwned>(
    schema: &Value,
    base: &str,
    mutants: &[(&str, &str)],
) {
    let validator = validator(schema);
    let base_text = fs::read_to_string(base).unwrap();
    for (from, to) in mutants {
        assert!(base_text.contains(from), "{base} lacks {from:?}");
        let text = base_text.replacen(from, to, 1);
        assert!(
            toml::from_str::<T>(&text).is_err(),
            "the parser accepts {to:?}"
        );
        assert!(
            !validator.is_valid(&parse_toml(&text)),
            "the schema accepts {to:?}"
        );
    }
}

#[test]
fn typos_and_wrong_types_in_pipelines_are_rejected() {
    let base = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/pipelines/fragalysis-production.toml"
    );
    assert_mutants_rejected::<PipelineDef>(
        &pipeline_schema(),
        base,
        &[
            // Unknown keys, at each level.
            ("needs = [\"tag-backend\"]", "nedds = [\"tag-backend\"]"),
            (
                "name = \"fragalysis-production\"",
                "nmae = \"fragalysis-production\"",
            ),
            ("branch = \"master\"", "brnach = \"master\""),
            ("variable = \"BE_IMAGE_TAG\"", "varaible = \"BE_IMAGE_TAG\""),
            ("kind = \"calver\", format", "kind = \"calver\", fromat"),
            (
                "{ tag = { component = \"stack\" } }",
                "{ tag = { componnet = \"stack\" } }",
            ),
            ("{ tag = { component", "{ tags = { component"),
            // Wrong types and values.
            ("manual = true", "manual = \"yes\""),
            ("manual = true", "max_attempts = \"three\""),
            ("manual = true", "max_attempts = -1"),
            ("kind = \"test\"", "kind = \"tests\""),
            ("estimate = \"3m..4m\"", "estimate = \"3 minutes\""),
            ("estimate = \"3m..4m\"", "estimate = 180"),
            ("needs = [\"tag-backend\"]", "needs = \"tag-backend\""),
            (
                "format = \"YYYY.0M.MICRO\" } }\n\n[[components]]\nname = \"frontend\"",
                "format = \"vYYYY\" } }\n\n[[components]]\nname = \"frontend\"",
            ),
            ("kind = \"calver\"", "kind = \"calendar\""),
        ],
    );
}

#[test]
fn typos_and_wrong_types_in_calendars_are_rejected() {
    let base = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/mozilla-sync/release.toml"
    );
    assert_mutants_rejected::<ProcessDef>(
        &process_schema(),
        base,
        &[
            (
                "policy = \"next_working_day\"",
                "polcy = \"next_working_day\"",
            ),
            ("policy = \"next_working_day\"", "policy = \"next_workday\""),
            ("[[rotations]]", "[[rotation]]"),
            ("[[schedules]]", "[[schedule]]"),
            ("{ date = \"2021-01-05\"", "{ dat = \"2021-01-05\""),
            ("{ date = \"2021-01-05\"", "{ date = \"05/01/2021\""),
            (
                "zone = \"America/Los_Angeles\"",
                "zone = \"America/Los Angeles\"",
            ),
            ("time = \"10:00:00\"", "time = \"10am\""),
            ("interval = 2", "interval = \"2\""),
            ("by_day = [\"TU\"]", "by_day = [\"Tuesday\"]"),
            ("period = \"monthly\"", "period = \"fortnightly\""),
            ("unit = \"working_days\"", "unit = \"workdays\""),
            ("offset = -1", "offset = \"-1\""),
        ],
    );
}

#[test]
fn typos_and_wrong_types_in_trains_are_rejected() {
    let base = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../examples/mozilla-sync/release.toml"
    );
    assert_mutants_rejected::<ProcessDef>(
        &process_schema(),
        base,
        &[
            ("release_day = \"release\"", "release_days = \"release\""),
            ("release_day = \"release\"", "release_day = true"),
            ("[[trains]]", "[[train]]"),
            ("cycle_weeks = 2", "cycle_weeks = \"2\""),
            ("cycle_weeks = 2", "cycle_weeks = -2"),
            ("cycle_weeks = 2", "cycle_week = 2"),
            (
                "skip_when_unchanged = true",
                "skip_when_unchanged = \"yes\"",
            ),
            (
                "promote = \"previous_release_day\"",
                "promote = \"previous\"",
            ),
            ("promote = \"previous_release_day\"", "level = \"micro\""),
            ("hotfix = { through", "hotfix = { throuhg"),
            ("replaces_planned = true }", "replaces_planned = 1 }"),
            ("[trains.scenario]", "[trains.scenarios]"),
            (
                "start = \"2020-11-17\"\nweeks",
                "start = \"17/11/2020\"\nweeks",
            ),
            ("weeks = 3", "weeks = \"three\""),
            ("\"2020-11-13T17:30:00Z\"", "\"2020-11-13 at 17:30\""),
            ("latest = \"v0.0.3\"", "latest = [\"v0.0.3\"]"),
            ("name = \"sync\"", "nmae = \"sync\""),
        ],
    );
}

/// The schema of `T` and `T`'s deserialiser agree on each sample.
fn assert_agree<T: DeserializeOwned + schemars::JsonSchema>(samples: &[Value]) {
    let validator = validator(&schema_for::<T>());
    for sample in samples {
        let by_schema = validator.is_valid(sample);
        let by_parser = serde_json::from_value::<T>(sample.clone());
        assert_eq!(
            by_schema,
            by_parser.is_ok(),
            "{} on {sample}: schema says {by_schema}, parser says {:?}",
            std::any::type_name::<T>(),
            by_parser.err().map(|e| e.to_string())
        );
    }
}

/// Samples the schema accepts that the parser rejects: the gaps a JSON
/// Schema cannot close (orders, counts, calendars), listed so that they are
/// known rather than found.
fn assert_schema_looser<T: DeserializeOwned + schemars::JsonSchema>(samples: &[Value]) {
    let validator = validator(&schema_for::<T>());
    for sample in samples {
        assert!(validator.is_valid(sample), "schema rejects {sample}");
        assert!(
            serde_json::from_value::<T>(sample.clone()).is_err(),
            "parser accepts {sample}"
        );
    }
}

#[test]
fn durations_and_estimates_agree_with_the_parser() {
    assert_agree::<Span>(&[
        json!("15m"),
        json!("1h30m"),
        json!("2d"),
        json!("1d2h3m4s"),
        json!("0"),
        json!("0m"),
        json!(90),
        json!(0),
        json!(-1),
        json!(""),
        json!("m"),
        json!("15"),
        json!("1m1h"),
        json!("1h1h"),
        json!("1h 30m"),
        json!("1.5h"),
        json!("15min"),
    ]);
    assert_agree::<Estimate>(&[
        json!("3m..4m"),
        json!("5m"),
        json!(" 3m .. 4m "),
        json!("10m..15m"),
        json!("3m.."),
        json!("..4m"),
        json!("3m...4m"),
        json!("3m-4m"),
        json!(180),
    ]);
    assert_schema_looser::<Estimate>(&[json!("5m..3m")]);
}

#[test]
fn zones_weekdays_and_rrule_days_agree_with_the_parser() {
    assert_agree::<Zone>(&[
        json!("Africa/Nairobi"),
        json!("America/Los_Angeles"),
        json!("UTC"),
        json!("US/Pacific"),
        json!("africa/nairobi"),
        json!("Mars/Olympus"),
        json!(""),
    ]);
    let weekend = |days: Value| json!({ "name": "team", "weekend": days, "holidays": [] });
    assert_agree::<HolidaySet>(&[
        weekend(json!(["SA", "SU"])),
        weekend(json!(["FR", "SA"])),
        weekend(json!(["WE"])),
        weekend(json!(["Satur"])),
        weekend(json!(["Sa"])),
        weekend(json!(["Sonntag"])),
        weekend(json!([6])),
    ]);
    // The spellings windows read before the one vocabulary (chrono's
    // `Sun`, `sunday`) still parse, with a deprecation warning, until
    // release-core 0.3; the schema offers only the canonical codes, so an
    // editor flags them.
    let validator = validator(&schema_for::<HolidaySet>());
    for old in ["Sun", "Sat", "saturday", "Wednesday", "SUNDAY"] {
        let sample = weekend(json!([old]));
        assert!(!validator.is_valid(&sample), "schema accepts {sample}");
        let read =
            release_core::collect_warnings(|| serde_json::from_value::<HolidaySet>(sample.clone()));
        assert!(read.value.is_ok(), "parser rejects {sample}");
        assert_eq!(read.warnings.len(), 1, "{sample}");
        assert_eq!(
            read.warnings[0].kind,
            release_core::WarningKind::DeprecatedSpelling
        );
    }
    assert_agree::<ByDay>(&[
        json!("MO"),
        json!("2TU"),
        json!("-1FR"),
        json!("+1MO"),
        json!("5SU"),
        json!("6MO"),
        json!("0MO"),
        json!("-6MO"),
        json!("mo"),
        json!("MONDAY"),
    ]);
}

#[test]
fn dates_times_and_instants_agree_with_the_parser() {
    let absence = |from: &str| json!({ "person": "bob", "from": from, "to": "2099-01-01" });
    assert_agree::<release_core::calendar::Absence>(&[
        absence("2021-01-05"),
        absence("2021-1-5"),
        absence("2021-13-01"),
        absence("2021-01-32"),
        absence("21-01-05"),
        absence("05/01/2021"),
        absence("2021-01-05T00:00:00"),
    ]);
    // Day-of-month ranges are not checked against the month.
    assert_schema_looser::<release_core::calendar::Absence>(&[absence("2021-02-30")]);

    let at = |time: &str| json!({ "name": "freeze", "offset": -2, "time": time });
    assert_agree::<Milestone>(&[
        at("10:00:00"),
        at("08:30"),
        at("8:30"),
        at("23:59:59.5"),
        at("24:00"),
        at("10:60"),
        at("10"),
        at("10am"),
        at("10:00:00Z"),
    ]);

    let waiver =
        |at: &str| json!({ "target": { "gate": "qa" }, "by": "alice", "reason": "r", "at": at });
    assert_agree::<Waiver>(&[
        waiver("2026-03-03T09:00:00Z"),
        waiver("2026-03-03T09:00:00+03:00"),
        waiver("2026-03-03T09:00:00.250Z"),
        waiver("2026-03-03T09:00:00"),
        waiver("2026-03-03"),
        waiver("yesterday"),
    ]);
}

#[test]
fn scenario_times_and_notes_agree_with_the_parser() {
    let start = |at: &str| json!({ "start": at });
    assert_agree::<Scenario>(&[
        start("2020-11-17"),
        start("2020-11-17T18:00:00Z"),
        start("2020-11-17T18:00:00z"),
        start("2020-11-17t18:00:00Z"),
        start("2020-11-17 18:00:00Z"),
        start("2020-11-17T10:00:00-08:00"),
        start("2020-11-17T18:00:00.5+01:00"),
        start("2020-11-17T18:00Z"),
        start("2020-11-17T18:00:00"),
        start("2020-11-17T18:00:00+0100"),
        start("2020-11-17T25:00:00Z"),
        start("20-11-17T18:00:00Z"),
        start("17/11/2020"),
        start("tuesday"),
        json!({ "start": "2020-11-17", "merges": ["2020-11-12", "2020-11-13T17:30:00Z"] }),
        json!({ "start": "2020-11-17", "hotfixes": ["soon"] }),
        json!({ "start": 20201117 }),
        json!({}),
    ]);

    let notes = |breaking: Value| json!({ "breaking": breaking });
    assert_agree::<NotesConfig>(&[
        json!({}),
        notes(json!("Breaking changes")),
        notes(json!("")),
        notes(json!(false)),
        notes(json!(true)),
        notes(json!(1)),
        notes(json!(["Breaking"])),
        json!({ "sections": [{ "title": "New", "types": ["feat"] }], "other": "Else" }),
        json!({ "sections": [{ "title": "New" }] }),
        json!({ "sections": [{ "title": "New", "types": ["feat"], "emoji": "x" }] }),
        json!({ "ticket_title": 1 }),
        json!({ "pr_url": "https://x/pull/{number}", "issue_url": "https://x/issues/{number}" }),
        json!({ "section": [] }),
    ]);
}

#[test]
fn formats_and_templates_are_checked_as_far_as_a_pattern_can() {
    assert_agree::<CalVerFormat>(&[
        json!("YYYY.0M.MICRO"),
        json!("YY.MM.DD_MICRO"),
        json!("YYYY.0W"),
        json!("vYYYY"),
        json!("YYYY."),
        json!("YYYY.0M.PATCH"),
    ]);
    // Which fields a format combines is for the parser to say.
    assert_schema_looser::<CalVerFormat>(&[json!("MM.DD"), json!("YYYY.MM.0M")]);

    assert_agree::<TagTemplate>(&[
        json!("v{version}"),
        json!("{component}-v{version}"),
        json!("release-{name}-{version}"),
        json!("v"),
        json!("{ver}"),
    ]);
    assert_schema_looser::<TagTemplate>(&[json!("{version}{name}"), json!("{version}-{version}")]);
}

/// Each document parses and validates: the shapes the examples do not use.
fn assert_accepted<T: DeserializeOwned + schemars::JsonSchema>(docs: &[&str]) {
    let validator = validator(&schema_for::<T>());
    for text in docs {
        if let Err(e) = toml::from_str::<T>(text) {
            panic!("the parser rejects {text}: {e}");
        }
        let errs = errors(&validator, &parse_toml(text));
        assert!(errs.is_empty(), "{text}: {errs:#?}");
    }
}

#[test]
fn every_rule_and_step_shape_validates() {
    assert_accepted::<PipelineDef>(&[r#"
        [[components]]
        name = "app"
        tags = { template = "{component}-v{version}", component = "app", scheme = { kind = "semver", v_prefix = "always", candidates = { label = "beta", style = "attached", required = true } } }

        [[components]]
        name = "lib"
        tags = { scheme = { kind = "calver", format = "YY.0M.MICRO", first_micro = 0 } }

        [[environments]]
        name = "production"
        gates = [
          { name = "e2e", rule = { test = "e2e" } },
          { name = "blockers", rule = { count = { name = "open_blockers", at_most = 0 } } },
          { name = "qa", rule = { approvals = { role = "qa", at_least = 2 } } },
          { name = "calendar", rule = { all = [{ not_holiday = "us" }, { in_window = "deploy" }, { not = { any = [] } }] } },
          { name = "soak", rule = { soak = { environment = "staging", at_least = "24h", artifact = "v1.2.3" } } },
          { name = "soak-seconds", rule = { soak = { environment = "staging", at_least = 3600 } } },
          { name = "tag", rule = { tag = { component = "app", rule = { name = "semver", severity = "style", check = { conforms = { scheme = { kind = "semver" } } } } } } },
          { name = "pins", rule = { pins = { components = ["lib"], branch = "main", rule = { name = "digits", severity = "hard", check = { pattern = { pattern = "^[0-9.]+$", slug = true } } } } } },
          { name = "cells", rule = { matrix = { step = "test", cells = [{ id = "test[a]", requirement = "advisory" }, { id = "test[b]" }] } } },
          { name = "fact", rule = { fact = { kind = "calendar.window_open", subject = "deploy", equals = true } } },
          { name = "pinned", rule = { fact = { kind = "pin", equals = { tag = "1.0.0", branch = "main" } } } },
        ]

        [[steps]]
        id = "test"
        kind = "test"
        matrix = { axes = { os = ["linux", "mac"] }, requirement = "skippable" }
        max_attempts = 3
        requirement = "advisory"

        [[steps]]
        id = "cool-off"
        kind = "wait"
        needs = ["test"]
        wait = { for = "1h" }

        [[steps]]
        id = "at-nine"
        kind = "wait"
        wait = { until = "2026-03-04T09:00:00Z" }

        [[steps]]
        id = "ok"
        kind = "approve"
        metadata = { anything = [1, "two", { three = 3.0 }] }
    "#]);
}

#[test]
fn every_calendar_shape_validates() {
    assert_accepted::<ProcessDef>(&[r#"
        [[schedules]]
        name = "monthly"
        time = "09:00"
        zone = "Europe/London"
        policy = { shift = -1 }
        recurrence = { start = "2024-01-01", rule = { frequency = "monthly", by_day = ["TU", "WE"], by_set_pos = [-1], until = "2025-01-01", week_start = "SU" } }
        overrides = [
          { action = "cancel", date = "2024-12-31", reason = "holidays" },
          { action = "move", date = "2024-06-26", to = "2024-06-27", time = "10:00:00", reason = "offsite" },
          { action = "add", date = "2024-07-01", reason = "extra" },
        ]

        [[schedules.holidays]]
        name = "team"
        weekend = ["FR", "SA"]
        holidays = [
          { name = "new year", date = { rule = "fixed", month = 1, day = 1 }, observed = "nearest_weekday", since = 2000 },
          { name = "thanksgiving", date = { rule = "nth", month = 11, weekday = "TH", n = 4 } },
          { name = "good friday", date = { rule = "easter", offset = -2 }, until = 2030 },
          { name = "eid", date = { rule = "dates", dates = ["2024-04-10", "2025-03-30"] } },
        ]

        [[schedules]]
        name = "daily"
        time = "12:00:00"
        zone = "UTC"
        holidays = ["england-wales"]
        policy = "keep"
        recurrence = { start = "2024-01-01", rule = { frequency = "daily", by_month = [1, 2], by_month_day = [1, -1], until = "2024-12-31T23:59:59Z" } }
        dates = [
          { date = "2024-01-01", label = "1.0.0", time = "13:00" },
          { date = "2024-02-02", label = "1.1.0", replaces = "2024-02-01", reason = "a slipped final" },
          { date = "2024-03-05" },
        ]

        [[schedules]]
        name = "published"
        time = "12:00"
        zone = "UTC"
        dates = [
          { date = "2024-10-07", label = "3.13.0" },
          { date = "2024-10-01", time = "18:00:00", label = "3.13.0rc3", reason = "a late regression" },
        ]

        [[schedules]]
        name = "yearly"
        time = "09:00"
        zone = "America/New_York"
        recurrence = { start = "2024-01-01", rule = { frequency = "yearly", interval = 2, by_week_no = [20, -1], by_year_day = [-1, 100], by_day = ["MO", "FR"], by_set_pos = [1], week_start = "SU", count = 10 } }

        [[schedules]]
        name = "thanksgiving"
        time = "09:00"
        zone = "America/New_York"
        recurrence = { start = "2024-01-01", rule = { frequency = "yearly", by_month = [11], by_day = ["4TH"] } }

        [[windows]]
        name = "business hours"
        kind = "allow"
        zone = "Europe/London"
        span = { repeat = "daily", days = ["MO", "TU"], start = "09:00", end = "17:30" }

        [[windows]]
        name = "freeze"
        kind = "deny"
        zone = "Europe/London"
        span = { repeat = "once", start = "2024-12-20T18:00:00", end = "2025-01-02T08:00:00" }

        [[windows]]
        name = "around releases"
        kind = "allow"
        zone = "UTC"
        span = { repeat = "occurrences", offset_minutes = -60, duration_minutes = 120, schedule = { name = "r", time = "10:00:00", zone = "UTC", recurrence = { start = "2024-01-01", rule = { frequency = "weekly" } } } }

        [[rotations]]
        name = "on call"
        roster = ["alice", { name = "bob", since = "2024-02-01" }, { name = "carol", until = "2024-06-30" }]
        period = "weekly"
        anchor = "2024-01-01"
        zone = "UTC"
        absences = [{ person = "alice", from = "2024-03-01", to = "2024-03-05", reason = "PTO" }]

        [milestones]
        monthly = [
          { name = "freeze", offset = -2, unit = "working_days", time = "17:00" },
          { name = "branch", from = "freeze", offset = 0 },
        ]
    "#]);
}

#[test]
fn every_train_and_notes_shape_validates() {
    assert_accepted::<ProcessDef>(&[r#"
        name = "train"
        description = "every field of a train and of the notes"
        release_day = "release"

        [[environments]]
        name = "staging"
        schedule = "release"

        [[trains]]
        name = "t"
        schedule = "release"
        environments = ["staging", "production"]

        [[trains]]
        name = "u"
        schedule = "release"
        environments = ["staging"]
        component = "app"
        cycle_weeks = 1
        rules = { skip_when_unchanged = false, level = "minor", fix_level = "prerelease", promote = "current", hotfix = { through = "staging", replaces_planned = false }, warmfix = {} }
        scenario = { start = "2020-11-17T18:00:00Z", cycles = 2, initial = { staging = "v1.0.0" }, latest = "v1.0.0", merges = ["2020-11-18"], hotfixes = ["2020-11-19T09:00:00-08:00"], warmfixes = ["2020-11-20"] }

        [notes]
        sections = [{ title = "Features", types = ["feat", "feature"] }]
        breaking = false
        other = "Other changes"
        ticket_title = "Release {version}"
        pr_url = "https://example.org/pull/{number}"
        issue_url = "https://example.org/issues/{number}"
    "#]);
}

#[test]
fn descriptions_keep_the_prose_and_drop_the_doctests() {
    let schema = pipeline_schema();
    let scheme = schema["$defs"]["Scheme"]["description"].as_str().unwrap();
    assert!(scheme.starts_with("A version scheme"), "{scheme}");
    assert!(!scheme.contains("# Example"), "{scheme}");
}

/// LOW-19: what `check` refuses, the schema refuses too: `max_attempts = 0`,
/// `metadata.env` values that are not strings or keys that are not
/// variable names, a holiday shift beyond 31 days. What both accept, both
/// accept.
#[test]
fn the_schema_refuses_what_check_refuses() {
    let validator = validator(&process_schema());
    let step =
        |extra: &str| format!("name = \"p\"\n[[steps]]\nid = \"a\"\nkind = \"build\"\n{extra}\n");
    for (extra, says) in [
        ("max_attempts = 0", "must be at least 1"),
        ("metadata = { env = { A = 1 } }", "must be a string"),
        (
            "metadata = { env = { \"PATH=/evil:\" = \"x\" } }",
            "is not a variable name",
        ),
        (
            "metadata = { env = { \"1A\" = \"x\" } }",
            "is not a variable name",
        ),
        ("metadata = { env = \"A=1\" }", "must be a table of strings"),
    ] {
        let text = step(extra);
        assert!(
            !validator.is_valid(&parse_toml(&text)),
            "the schema accepts {extra:?}"
        );
        let err = Process::from_toml("p.toml", &text).unwrap_err();
        assert!(err.to_string().contains(says), "{extra}: {err}");
        assert!(err.location().is_some(), "{extra}: {err} has no place");
    }
    for extra in [
        "max_attempts = 1",
        "metadata = { env = { _A1 = \"x\" }, other = 3 }",
    ] {
        let text = step(extra);
        assert!(validator.is_valid(&parse_toml(&text)), "{extra}");
        Process::from_toml("p.toml", &text).unwrap();
    }
    let schedule = |shift: i32| {
        format!(
            "name = \"p\"\n[[schedules]]\nname = \"r\"\ntime = \"09:00:00\"\nzone = \"UTC\"\nholidays = [\"us\"]\npolicy = {{ shift = {shift} }}\nrecurrence = {{ start = \"2024-01-01\", rule = {{ frequency = \"weekly\" }} }}\n"
        )
    };
    assert!(validator.is_valid(&parse_toml(&schedule(31))));
    Process::from_toml("p.toml", &schedule(-31)).unwrap();
    assert!(!validator.is_valid(&parse_toml(&schedule(32))));
    let err = Process::from_toml("p.toml", &schedule(100_000_000)).unwrap_err();
    assert!(err.to_string().contains("at most 31 days"), "{err}");
}
