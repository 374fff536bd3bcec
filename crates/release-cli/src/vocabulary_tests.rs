//! One vocabulary across the three surfaces: for every user-facing enum,
//! the names the core accepts (`NAMES`), the CLI's value parsers and
//! `--help`, the Python stubs' `Literal[...]` and the JSON Schema's `enum`
//! are one list (ARCHITECTURE.md, "Vocabulary").
//!
//! The test reads every surface whole: a CLI argument with a value list, a
//! stub alias or a schema definition that no row below accounts for fails
//! it, so a new enum cannot re-spell its values at one edge unnoticed.

use std::collections::BTreeMap;
use std::path::Path;

use clap::CommandFactory;
use release_core::calendar::{
    DutyBy, Frequency, HolidayPolicy, OffsetUnit, Period, Resolution, WindowKind,
};
use release_core::edit::EditFormat;
use release_core::export::ExportTarget;
use release_core::gate::{FactKind, Requirement, Status};
use release_core::line::{LineParity, SupportPhase};
use release_core::pipeline::StepKind;
use release_core::process::Target;
use release_core::run::{OutcomeStatus, RunStatus, TaskState};
use release_core::state::{DisagreementKind, ReleaseMode};
use release_core::train::{ChannelKind, Promote, TagKind, TrainAction};
use release_core::version::{CounterStyle, HotfixStyle, Level, Scheme, Severity, VPrefix};
use release_core::vocab::Vocabulary;
use release_core::{ErrorKind, WarningKind};

/// One enum: its core names and where each surface spells it.
struct Row {
    /// The core's type name, which is also its JSON Schema definition and
    /// (with a leading `_`) its stub alias.
    name: &'static str,
    names: &'static [&'static str],
    /// The CLI arguments (by id) whose values are this enum.
    cli: &'static [&'static str],
}

fn row<T: Vocabulary>(name: &'static str, cli: &'static [&'static str]) -> Row {
    Row {
        name,
        names: T::NAMES,
        cli,
    }
}

fn rows() -> Vec<Row> {
    vec![
        row::<VPrefix>("VPrefix", &["v_prefix"]),
        row::<Level>("Level", &["level"]),
        row::<HotfixStyle>("HotfixStyle", &["hotfix"]),
        row::<CounterStyle>("CounterStyle", &["counter_style"]),
        row::<Severity>("Severity", &[]),
        row::<Frequency>("Frequency", &[]),
        row::<Resolution>("Resolution", &[]),
        row::<Period>("Period", &[]),
        row::<DutyBy>("DutyBy", &[]),
        row::<WindowKind>("WindowKind", &[]),
        row::<OffsetUnit>("OffsetUnit", &[]),
        row::<SupportPhase>("SupportPhase", &[]),
        row::<LineParity>("LineParity", &[]),
        row::<Requirement>("Requirement", &[]),
        row::<StepKind>("StepKind", &[]),
        row::<EditFormat>("EditFormat", &[]),
        row::<FactKind>("FactKind", &["kind"]),
        row::<Status>("Status", &[]),
        row::<RunStatus>("RunStatus", &[]),
        row::<TaskState>("TaskState", &[]),
        row::<OutcomeStatus>("OutcomeStatus", &[]),
        row::<Promote>("Promote", &[]),
        row::<TagKind>("TagKind", &[]),
        row::<ChannelKind>("ChannelKind", &[]),
        row::<ExportTarget>("ExportTarget", &["target"]),
        row::<TrainAction>("TrainAction", &[]),
        row::<Target>("Target", &[]),
        row::<ErrorKind>("ErrorKind", &[]),
        row::<ReleaseMode>("ReleaseMode", &[]),
        row::<DisagreementKind>("DisagreementKind", &[]),
        row::<WarningKind>("WarningKind", &[]),
        row::<chrono::Weekday>("Weekday", &[]),
        // Not a `Vocabulary` (its `shift` carries days), but spelled once
        // all the same.
        Row {
            name: "HolidayPolicy",
            names: HolidayPolicy::NAMES,
            cli: &["policy"],
        },
        Row {
            name: "VersionKind",
            names: Scheme::KINDS,
            cli: &["scheme"],
        },
        Row {
            name: "HolidaySetName",
            names: &release_core::calendar::builtin::NAMES,
            cli: &[],
        },
    ]
}

/// Value lists of the edges that are not the core's, with the reason.
const CLI_OWN: &[(&str, &str)] = &[
    (
        "format",
        "release graph --format (dot, mermaid) and release calendar --format (table, mermaid): the CLI's output formats, options of the edge",
    ),
    (
        "shell",
        "release completions SHELL (bash, elvish, fish, powershell, zsh): clap_complete's shells, an option of the edge",
    ),
];
const STUB_OWN: &[(&str, &str)] = &[(
    "_Repeat",
    "the `repeat` tags of the core's WindowSpan (a data enum; checked against the schema below)",
)];

fn repository() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// Every argument of the command tree with a list of possible values:
/// (`release calendar --policy`, id, values).
fn cli_value_lists() -> Vec<(String, String, Vec<String>)> {
    fn walk(cmd: &clap::Command, path: &str, out: &mut Vec<(String, String, Vec<String>)>) {
        for arg in cmd.get_arguments() {
            let values: Vec<String> = arg
                .get_possible_values()
                .iter()
                .map(|v| v.get_name().to_owned())
                .collect();
            if !values.is_empty() {
                out.push((
                    format!("{path} --{}", arg.get_long().unwrap_or("")),
                    arg.get_id().to_string(),
                    values,
                ));
            }
        }
        for sub in cmd.get_subcommands() {
            walk(sub, &format!("{path} {}", sub.get_name()), out);
        }
    }
    let mut out = Vec::new();
    let mut cmd = crate::cli::Cli::command();
    cmd.build();
    walk(&cmd, "release", &mut out);
    out
}

/// The stubs' `_Name: TypeAlias = Literal["a", "b"]` aliases (one or
/// several lines).
fn stub_aliases() -> BTreeMap<String, Vec<String>> {
    let path = repository().join("crates/release-py/python/release_core/_release_core.pyi");
    let text = std::fs::read_to_string(path).expect("the stubs exist");
    let alias = regex::Regex::new(r"(?m)^(_[A-Za-z]+): TypeAlias = Literal\[([^\]]*)\]")
        .expect("a valid pattern");
    let string = regex::Regex::new(r#""([^"]*)""#).expect("a valid pattern");
    alias
        .captures_iter(&text)
        .map(|c| {
            let names = string
                .captures_iter(&c[2])
                .map(|s| s[1].to_owned())
                .collect();
            (c[1].to_owned(), names)
        })
        .collect()
}

/// The strings a schema definition allows: its `enum`, the `const`s of its
/// alternatives, and the keys an object alternative requires
/// (`{ shift = 1 }`).
fn schema_names(def: &serde_json::Value) -> Vec<String> {
    let mut out = Vec::new();
    if let Some(list) = def.get("enum").and_then(|e| e.as_array()) {
        out.extend(list.iter().filter_map(|v| v.as_str().map(str::to_owned)));
    }
    for key in ["oneOf", "anyOf"] {
        for alt in def
            .get(key)
            .and_then(|a| a.as_array())
            .into_iter()
            .flatten()
        {
            if let Some(c) = alt.get("const").and_then(|c| c.as_str()) {
                out.push(c.to_owned());
            }
            for r in alt
                .get("required")
                .and_then(|r| r.as_array())
                .into_iter()
                .flatten()
            {
                out.extend(r.as_str().map(str::to_owned));
            }
            out.extend(schema_names(alt));
        }
    }
    out
}

fn schema() -> serde_json::Value {
    let text = std::fs::read_to_string(repository().join("release.schema.json"))
        .expect("release.schema.json exists");
    serde_json::from_str(&text).expect("release.schema.json is JSON")
}

fn sorted(list: &[impl AsRef<str>]) -> Vec<String> {
    let mut v: Vec<String> = list.iter().map(|s| s.as_ref().to_owned()).collect();
    v.sort();
    v
}

#[test]
fn every_cli_value_list_is_the_cores() {
    let rows = rows();
    for (flag, id, values) in cli_value_lists() {
        if let Some(row) = rows.iter().find(|r| r.cli.contains(&id.as_str())) {
            assert_eq!(
                values, row.names,
                "{flag}: the CLI's values are not the core's {}::NAMES",
                row.name
            );
        } else {
            assert!(
                CLI_OWN.iter().any(|(own, _)| *own == id),
                "{flag} lists values {values:?} that no core vocabulary owns: use vocab_arg::names::<T>() or list it in CLI_OWN with the reason"
            );
        }
    }
}

#[test]
fn every_cli_row_is_found_on_the_command_line() {
    let lists = cli_value_lists();
    for row in rows() {
        for id in row.cli {
            assert!(
                lists.iter().any(|(_, i, _)| i == id),
                "{}: no CLI argument {id:?} has a value list",
                row.name
            );
        }
    }
}

#[test]
fn every_stub_alias_is_the_cores() {
    let aliases = stub_aliases();
    let rows = rows();
    for (alias, names) in &aliases {
        let Some(row) = rows.iter().find(|r| format!("_{}", r.name) == *alias) else {
            assert!(
                STUB_OWN.iter().any(|(own, _)| own == alias),
                "the stubs' {alias} = Literal{names:?} is no core vocabulary: name it _<CoreType> or list it in STUB_OWN"
            );
            continue;
        };
        assert_eq!(
            names, row.names,
            "the stubs' {alias} is not the core's {}::NAMES",
            row.name
        );
    }
}

/// The enums that cross to Python have an alias; those that do not
/// (internal to the CLI or Rust-only answers) are listed here.
#[test]
fn every_enum_that_crosses_to_python_is_typed_by_its_alias() {
    const RUST_ONLY: &[&str] = &[
        "Frequency",
        "Requirement",
        "OutcomeStatus",
        "Promote",
        "ChannelKind",
        "TrainAction",
        "ErrorKind",
        "WarningKind",
    ];
    let aliases = stub_aliases();
    for row in rows() {
        if RUST_ONLY.contains(&row.name) {
            assert!(
                !aliases.contains_key(&format!("_{}", row.name)),
                "{} crosses to Python now: drop it from RUST_ONLY",
                row.name
            );
        } else {
            assert!(
                aliases.contains_key(&format!("_{}", row.name)),
                "the stubs have no _{} alias",
                row.name
            );
        }
    }
}

#[test]
fn every_schema_enum_is_the_cores() {
    let schema = schema();
    let defs = schema["$defs"].as_object().expect("$defs");
    let schema_name = |row: &Row| match row.name {
        "HolidaySetName" => "BuiltinHolidays",
        other => other,
    };
    for row in rows() {
        let Some(def) = defs.get(schema_name(&row)) else {
            // Output-only enums (a run's status) are not in the file format.
            continue;
        };
        assert_eq!(
            sorted(&schema_names(def)),
            sorted(row.names),
            "release.schema.json's {} is not the core's {}::NAMES",
            schema_name(&row),
            row.name
        );
    }
    // The stubs' own `_Repeat` is the schema's `repeat` tags.
    let repeat: Vec<String> = defs["WindowSpan"]["oneOf"]
        .as_array()
        .expect("WindowSpan is a oneOf of the repeat shapes")
        .iter()
        .filter_map(|alt| {
            alt["properties"]["repeat"]["const"]
                .as_str()
                .map(str::to_owned)
        })
        .collect();
    assert_eq!(sorted(&repeat), sorted(&stub_aliases()["_Repeat"]));
}

#[test]
fn every_file_format_enum_is_in_the_schema() {
    let schema = schema();
    for name in [
        "VPrefix",
        "Level",
        "CounterStyle",
        "Severity",
        "Frequency",
        "Period",
        "WindowKind",
        "OffsetUnit",
        "SupportPhase",
        "LineParity",
        "Requirement",
        "StepKind",
        "EditFormat",
        "FactKind",
        "Promote",
        "ChannelKind",
        "TrainAction",
        "Weekday",
        "HolidayPolicy",
    ] {
        assert!(
            schema["$defs"].get(name).is_some(),
            "release.schema.json has no {name}"
        );
    }
}
