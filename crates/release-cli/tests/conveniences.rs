//! What users of a CLI expect of it: shell completions, a man page, `-` as
//! standard input for a FILE, a format version in every `--json` document,
//! and a quiet end when the reader of its output goes away.

use std::io::Write;
use std::process::{Command, Stdio};

use insta::assert_snapshot;

mod support;
use support::{release, run};

const FRAGALYSIS: &str = "../../examples/fragalysis/release.toml";

#[test]
fn completions_are_generated_for_every_shell() {
    for (shell, marker) in [
        ("bash", "complete -F _release"),
        ("zsh", "#compdef release"),
        ("fish", "complete -c release"),
        ("elvish", "edit:completion:arg-completer[release]"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let (code, stdout, stderr) = run(&["completions", shell], None);
        assert_eq!((code, stderr.as_str()), (0, ""), "{shell}");
        assert!(stdout.contains(marker), "{shell}: no {marker:?}");
        // Every command is completed, the two new ones included.
        for command in ["plan", "version", "completions", "man"] {
            assert!(stdout.contains(command), "{shell}: no {command}");
        }
    }
    assert_snapshot!(release(&["completions", "tcsh"], None), @r#"
exit 2
--- stderr
error: invalid value 'tcsh' for '<SHELL>'
  [possible values: bash, elvish, fish, powershell, zsh]

  tip: a similar value exists: 'zsh'

For more information, try '--help'.
"#);
}

#[test]
fn the_man_page_is_roff_for_the_command_and_each_subcommand() {
    let (code, page, _) = run(&["man"], None);
    assert_eq!(code, 0);
    assert!(page.contains(".TH release 1"), "{page}");
    assert!(page.contains("release\\-plan(1)") || page.contains("plan"));
    let (code, plan, _) = run(&["man", "plan"], None);
    assert_eq!(code, 0);
    assert!(plan.contains(".TH release-plan 1"), "{plan}");
    assert!(plan.contains("\\fBrelease plan\\fR"), "{plan}");
    assert_snapshot!(release(&["man", "plna"], None), @r#"
exit 2
--- stderr
error: release man: no command "plna"; `release help` lists them
"#);
}

#[test]
fn a_file_may_be_standard_input() {
    let text = std::fs::read_to_string(FRAGALYSIS).unwrap();
    let (code, stdout, _) = run(&["check", "-"], Some(&text));
    assert_eq!(code, 0);
    assert!(
        stdout.starts_with("<stdin>: valid process \"fragalysis\""),
        "{stdout}"
    );
    // Errors are placed in `<stdin>`.
    assert_snapshot!(release(&["check", "-"], Some("name = 1\n")), @r"
    exit 2
    --- stderr
    error: <stdin>:1:8: invalid type: integer `1`, expected a string
      |
    1 | name = 1
      |        ^
    ");
    // A tags file from stdin, the process from a file.
    let (code, stdout, _) = run(
        &[
            "next",
            FRAGALYSIS,
            "--now",
            "2023-06-20T09:00:00Z",
            "--tags",
            "-",
        ],
        Some("stack 2023.06.1\n"),
    );
    assert_eq!(code, 0);
    assert!(stdout.contains("2023.06.2"), "{stdout}");
}

#[test]
fn standard_input_is_read_once() {
    let text = std::fs::read_to_string(FRAGALYSIS).unwrap();
    let args = ["plan", "-", "--facts", "-", "--now", "2023-06-20T09:00:00Z"];
    assert_snapshot!(release(&args, Some(&text)), @r#"
exit 2
--- stderr
error: cannot read <stdin>: standard input is read by another argument already; only one FILE may be `-`
"#);
}

#[test]
fn a_file_written_back_cannot_be_standard_input() {
    assert_snapshot!(release(&["approve", FRAGALYSIS, "choose-versions", "--journal", "-", "--by", "alice"], None), @r#"
exit 2
--- stderr
error: the journal cannot be `-` (standard input): this command writes it back; name a file
"#);
    assert_snapshot!(release(&["run", FRAGALYSIS, "--journal", "-", "--now", "2023-06-20T09:00:00Z"], None), @r#"
exit 2
--- stderr
error: the journal cannot be `-` (standard input): this command writes it back; name a file
"#);
    assert_snapshot!(release(&["run", FRAGALYSIS, "--dry-run", "--state", "-", "--now", "2023-06-20T09:00:00Z"], None), @r#"
exit 2
--- stderr
[09:00:00] requested by dry-run.requester
error: the state file of a run (--state) cannot be `-` (standard input): this command writes it back; name a file
"#);
    assert_snapshot!(release(&["migrate", "-"], None), @r#"
exit 2
--- stderr
error: the journal cannot be `-` (standard input): this command writes it back; name a file
"#);
    assert_snapshot!(release(&["edit", "-", "--set", "a=1"], Some("a = 0\n")), @r#"
exit 2
--- stderr
error: the file to edit (without --dry-run) cannot be `-` (standard input): this command writes it back; name a file
"#);
    // With --dry-run it is read, but has no file name to tell its kind.
    assert_snapshot!(release(&["edit", "-", "--set", "a=1", "--dry-run"], Some("a = 0\n")), @r#"
exit 2
--- stderr
error: <stdin>: --set edits .toml, .json, .yaml and .yml files; this one's kind is not known by its name
"#);
}

#[test]
fn every_json_object_carries_the_format_version() {
    let (_, stdout, _) = run(
        &["--json", "version", "next", "--level", "minor", "v1.4.2"],
        None,
    );
    assert!(
        stdout.starts_with("{\n  \"format_version\": 1,\n"),
        "{stdout}"
    );
    // Errors too.
    let (_, stdout, _) = run(&["--json", "check", "no-such-file.toml"], None);
    assert!(
        stdout.starts_with("{\n  \"format_version\": 1,\n  \"error\""),
        "{stdout}"
    );
    // The JSON Schema is a document of its own format.
    let (_, stdout, _) = run(&["schema"], None);
    assert!(!stdout.contains("format_version"));
}

/// `release version sort | head -1`: the reader closes the pipe before
/// `release` writes; the write fails with EPIPE, and `release` ends with
/// exit 0 and nothing on stderr (no "Broken pipe" error).
#[test]
fn a_closed_stdout_ends_quietly() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_release"))
        .args(["version", "sort"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Close the reading end first: `release` reads all of stdin before it
    // writes, so its first write meets a closed pipe.
    drop(child.stdout.take());
    let tags: String = (0..2000).map(|i| format!("v1.0.{i}\n")).collect();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(tags.as_bytes())
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

/// Help wraps at the terminal's width (clap's `wrap_help`: the terminal's
/// size, or `COLUMNS`), not at a fixed 100 columns.
#[test]
fn help_wraps_at_the_terminal_width() {
    let output = Command::new(env!("CARGO_BIN_EXE_release"))
        .args(["version", "--help"])
        .env("COLUMNS", "60")
        .output()
        .unwrap();
    let help = String::from_utf8(output.stdout).unwrap();
    assert!(help.lines().count() > 10, "{help}");
    for line in help.lines() {
        assert!(line.chars().count() <= 60, "{line:?}");
    }
}
