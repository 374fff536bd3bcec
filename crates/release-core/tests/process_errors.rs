//! The bad-input corpus: each file under `tests/bad_input/` is a mistake a
//! team could make in `release.toml` (a typo, a wrong type, a cycle, an
//! unknown time zone, an impossible date, a name that resolves to nothing)
//! or in a release ticket (a missing pin). Each must give its own message,
//! placed at its file, line and column, and never a panic. A new case is
//! a new file: `insta::glob!` finds it and gives it its own snapshot.

use release_core::notes::parse_ticket_pins;
use release_core::process::Process;

/// Each `bad_input/*.toml` gives its own message, placed in its own file,
/// under its own snapshot (`snapshots/process_errors__bad_input@NAME.snap`):
/// adding a case is adding a file.
#[test]
fn every_bad_process_file_gets_its_own_placed_message() {
    // (file, message): no two files may fail alike.
    let mut seen: Vec<(String, String)> = Vec::new();
    insta::glob!("bad_input/*.toml", |path| {
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .expect("a UTF-8 file name")
            .to_owned();
        #[allow(
            clippy::disallowed_methods,
            reason = "a test reads its fixture; the core under test reads nothing"
        )]
        let text = std::fs::read_to_string(path).unwrap();
        let err = Process::from_toml(&name, &text).expect_err(&name);
        let at = err
            .location()
            .unwrap_or_else(|| panic!("{name}: no location in {err}"));
        assert_eq!(at.source, name);
        assert!(at.line >= 1 && at.column >= 1, "{name}");
        if let Some((other, _)) = seen.iter().find(|(_, m)| m == err.message()) {
            panic!("{name}: same message as {other}: {err}");
        }
        seen.push((name.clone(), err.message().to_owned()));
        insta::assert_snapshot!("bad_input", format!("=== {name} ({})\n{err}", err.kind()));
    });
    assert!(seen.len() >= 50, "the corpus shrank: {} files", seen.len());
}

#[test]
fn a_ticket_missing_a_pin_names_it() {
    let process = Process::from_toml(
        "release.toml",
        include_str!("../../../examples/fragalysis/release.toml"),
    )
    .unwrap();
    let components = &process.def().components[..2];
    let err =
        parse_ticket_pins(include_str!("bad_input/missing-pin.ticket.md"), components).unwrap_err();
    insta::assert_snapshot!(err.to_string(), @r#"the ticket has no pin for frontend: expected a bullet line "- frontend <tag>" (or with '*' or '+', or ':' or '=' before the tag)"#);
}
