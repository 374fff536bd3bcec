//! Hostile process files and journal paths (the reliability findings'
//! LOW-15, LOW-16, LOW-18 and LOW-19): each is refused at once, with a
//! message that says what is wrong and where.

use insta::assert_snapshot;

mod support;
use support::{release_in, scratch};

/// LOW-15: an error on a 10 MB line shows about 120 columns of it, with
/// `…` where it is cut and the caret under the error (it used to echo the
/// whole line, and a caret line as long).
#[test]
fn a_long_line_is_clipped_in_errors() {
    let long_value = format!("name = \"{}\"\n", "x".repeat(10_000_000));
    let junk_after = format!("name = \"x\" {}\n", "y".repeat(10_000_000));
    let dir = scratch(
        "hostile-long",
        &[("value.toml", &long_value), ("junk.toml", &junk_after)],
    );
    let output = release_in(&dir, &["check", "value.toml"]);
    assert!(output.len() < 1000, "{} bytes of output", output.len());
    let excerpt = format!("1 | name = \"{}…", "x".repeat(112));
    assert_snapshot!(output.replace(&excerpt, "1 | <excerpt>"), @r"
    exit 2
    --- stderr
    error: value.toml:1:1: the process is empty: it defines no [[steps]], [[schedules]], [[windows]], [[rotations]], [[trains]], [[components]] or [[environments]]
      |
    1 | <excerpt>
      | ^
    ");
    let output = release_in(&dir, &["check", "junk.toml"]);
    assert!(output.len() < 1000, "{} bytes of output", output.len());
    let excerpt = format!("1 | name = \"x\" {}…", "y".repeat(109));
    assert_snapshot!(output.replace(&excerpt, "1 | <excerpt>"), @r"
    exit 2
    --- stderr
    error: junk.toml:1:12: unexpected key or value, expected newline, `#`
      |
    1 | <excerpt>
      |            ^
    ");
    // An error far into the line: the excerpt starts with `…`, and the
    // caret still points at the error.
    let far = format!("name = \"{}\" = 1\n", "z".repeat(5000));
    let dir = scratch("hostile-far", &[("far.toml", &far)]);
    let output = release_in(&dir, &["check", "far.toml"]);
    let lines: Vec<&str> = output.lines().collect();
    let excerpt = lines
        .iter()
        .find_map(|l| l.strip_prefix("1 | "))
        .expect("an excerpt");
    let carets = lines
        .last()
        .and_then(|l| l.strip_prefix("  | "))
        .expect("carets");
    assert!(
        excerpt.starts_with('…') && excerpt.chars().count() <= 122,
        "{excerpt}"
    );
    let column = carets.find('^').expect("a caret");
    let under: String = excerpt.chars().skip(column).take(3).collect();
    assert_eq!(under, "= 1", "{output}");
    assert!(output.contains("far.toml:1:5011:"), "{output}");
}

/// LOW-18: a file that is not UTF-8 says the line and column of the first
/// bad byte.
#[test]
fn invalid_utf8_is_placed() {
    let dir = scratch("hostile-utf8", &[]);
    std::fs::write(
        dir.join("latin1.toml"),
        b"name = \"x\"\n[[steps]]\nid = \"caf\xe9\"\nkind = \"build\"\n",
    )
    .unwrap();
    let output = release_in(&dir, &["check", "latin1.toml"]);
    assert_snapshot!(output, @r"
    exit 2
    --- stderr
    error: latin1.toml:3:10: the file is not UTF-8 text: byte 0xE9 (at byte 30) does not start or continue a UTF-8 character
    ");
}

/// LOW-16: `metadata.env` keys are variable names and values strings,
/// checked by `check` with the place (a key with `=` overrode another
/// variable, a NUL failed after `started` was journaled, and a number
/// passed `check` and failed `run`).
#[test]
fn env_keys_and_values_are_checked() {
    let file = |env: &str| {
        format!(
            "name = \"e\"\n[[steps]]\nid = \"a\"\nkind = \"build\"\nmetadata = {{ env = {{ {env} }} }}\n"
        )
    };
    let dir = scratch(
        "hostile-env",
        &[
            ("equals.toml", &file("\"PATH=/evil:\" = \"x\"")),
            ("nul.toml", &file("\"A\\u0000B\" = \"x\"")),
            ("number.toml", &file("A = 1")),
            ("nul-value.toml", &file("A = \"x\\u0000\"")),
            ("digit.toml", &file("\"1A\" = \"x\"")),
            ("good.toml", &file("_A1 = \"x\", b = \"y\"")),
        ],
    );
    assert_snapshot!(release_in(&dir, &["check", "equals.toml"]), @r#"
    exit 2
    --- stderr
    error: equals.toml:5:38: steps[0] ("a"): metadata.env key "PATH=/evil:" is not a variable name (letters, digits and _, not starting with a digit)
      |
    5 | metadata = { env = { "PATH=/evil:" = "x" } }
      |                                      ^^^
    "#);
    assert_snapshot!(release_in(&dir, &["check", "nul.toml"]), @r#"
    exit 2
    --- stderr
    error: nul.toml:5:35: steps[0] ("a"): metadata.env key "A\0B" is not a variable name (letters, digits and _, not starting with a digit)
      |
    5 | metadata = { env = { "A\u0000B" = "x" } }
      |                                   ^^^
    "#);
    assert_snapshot!(release_in(&dir, &["check", "number.toml"]), @r#"
    exit 2
    --- stderr
    error: number.toml:5:26: steps[0] ("a"): metadata.env.A must be a string, not 1
      |
    5 | metadata = { env = { A = 1 } }
      |                          ^
    "#);
    assert_snapshot!(release_in(&dir, &["check", "nul-value.toml"]), @r#"
    exit 2
    --- stderr
    error: nul-value.toml:5:26: steps[0] ("a"): metadata.env.A contains a NUL character
      |
    5 | metadata = { env = { A = "x\u0000" } }
      |                          ^^^^^^^^^
    "#);
    let output = release_in(&dir, &["check", "digit.toml"]);
    assert!(output.starts_with("exit 2\n"), "{output}");
    let output = release_in(&dir, &["check", "good.toml"]);
    assert!(output.starts_with("exit 0\n"), "{output}");
}

/// LOW-18: a journal that is a directory or a FIFO is refused at once,
/// saying what it is (a directory was "already holds a run"; a FIFO with
/// --resume blocked for ever).
#[cfg(unix)]
#[test]
fn a_journal_must_be_a_regular_file() {
    let dir = scratch(
        "hostile-journal",
        &[(
            "p.toml",
            "name = \"p\"\n[[steps]]\nid = \"a\"\nkind = \"build\"\ncommand = [\"true\"]\n",
        )],
    );
    std::fs::create_dir(dir.join("jdir")).unwrap();
    let status = std::process::Command::new("mkfifo")
        .arg(dir.join("fifo"))
        .status()
        .expect("mkfifo runs");
    assert!(status.success());
    let output = release_in(&dir, &["run", "p.toml", "--journal", "jdir"]);
    assert_snapshot!(output, @r"
    exit 2
    --- stderr
    error: journal jdir is a directory: give --journal the path of a regular file (it is created if missing)
    ");
    let output = release_in(&dir, &["run", "p.toml", "--journal", "fifo", "--resume"]);
    assert_snapshot!(output, @r"
    exit 2
    --- stderr
    error: journal fifo is a FIFO (named pipe): give --journal the path of a regular file (it is created if missing)
    ");
}
