//! Every console example of the READMEs prints exactly what they show.
//!
//! A ```console block is a transcript: each `$ ` line is a command run by
//! `sh -c` at the repository root with this `release` first on PATH (a
//! line ending in `\` goes on), and the lines up to the next `$ ` are its
//! output. The marks the READMEs use:
//!
//! - `  # words` after a command is a comment, not run;
//! - `(stderr)`, `(exit N)` or `(stderr, exit N)` after two spaces at the
//!   end of an output line: the line is on stderr, and the exit code;
//!   without `(exit N)` it must be 0;
//! - a line `...` (indented or not) stands for any lines, `...` inside a
//!   line for any text;
//! - a one-line `{...}` is a JSON document, compared as a value with the
//!   pretty-printed output;
//! - stderr is compared when the transcript shows any of it.
//!
//! Examples that are not transcripts (files the reader has, commands that
//! write files) are ```sh blocks, which are not run.

use std::path::{Path, PathBuf};
use std::process::Command;

use regex::Regex;

#[derive(Debug)]
struct Example {
    file: &'static str,
    line: usize,
    command: String,
    stdout: Vec<String>,
    stderr: Vec<String>,
    code: i32,
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn examples(file: &'static str) -> Vec<Example> {
    let text = std::fs::read_to_string(root().join(file)).unwrap();
    let mark = Regex::new(r"\s{2,}\((stderr|exit (\d+)|stderr, exit (\d+))\)$").unwrap();
    let comment = Regex::new(r"\s{2,}# .*$").unwrap();
    let mut found: Vec<Example> = Vec::new();
    // Whether the lines are in a fence, and in a console one at which
    // indentation (a block inside a list item is indented).
    let (mut in_fence, mut console) = (false, None::<usize>);
    let mut lines = text.lines().enumerate();
    while let Some((n, line)) = lines.next() {
        if line.trim_start().starts_with("```") {
            in_fence = !in_fence;
            let indent = line.len() - line.trim_start().len();
            console = (in_fence && line.trim() == "```console").then_some(indent);
            continue;
        }
        let Some(indent) = console else {
            continue;
        };
        let line = line.get(indent..).unwrap_or("");
        if let Some(command) = line.strip_prefix("$ ") {
            let mut command = command.to_owned();
            while command.ends_with('\\') {
                let (_, more) = lines.next().expect("a command goes on");
                command.push('\n');
                command.push_str(more);
            }
            let command = comment.replace(&command, "").into_owned();
            found.push(Example {
                file,
                line: n + 1,
                command,
                stdout: Vec::new(),
                stderr: Vec::new(),
                code: 0,
            });
            continue;
        }
        let example = found.last_mut().expect("output after a command");
        let (text, stderr, code) = match mark.captures(line) {
            None => (line, false, None),
            Some(c) => (
                &line[..c.get(0).unwrap().start()],
                c[1].starts_with("stderr"),
                c.get(2).or(c.get(3)).map(|d| d.as_str().parse().unwrap()),
            ),
        };
        if let Some(code) = code {
            example.code = code;
        }
        let to = if stderr {
            &mut example.stderr
        } else {
            &mut example.stdout
        };
        to.push(text.to_owned());
    }
    found
}

/// Whether `got` is what `shown` shows, `...` standing for any lines (a
/// line of its own) or any text (inside a line).
fn matches(shown: &[String], got: &[&str]) -> bool {
    if let [line] = shown
        && line.starts_with('{')
    {
        let shown: serde_json::Value = serde_json::from_str(line).expect("the sample is JSON");
        return serde_json::from_str::<serde_json::Value>(&got.join("\n")).ok() == Some(shown);
    }
    let pattern: Vec<String> = shown
        .iter()
        .map(|l| {
            if l.trim() == "..." {
                return r"(?:[^\n]*\n)*?".to_owned();
            }
            let parts: Vec<String> = l.split("...").map(regex::escape).collect();
            format!("{}\n", parts.join(".*?"))
        })
        .collect();
    let re = Regex::new(&format!("^{}$", pattern.concat())).unwrap();
    let text: String = got.iter().map(|l| format!("{l}\n")).collect();
    re.is_match(&text)
}

fn check(file: &'static str) {
    let bin = Path::new(env!("CARGO_BIN_EXE_release"))
        .parent()
        .unwrap()
        .to_owned();
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap())),
    )
    .unwrap();
    let examples = examples(file);
    assert!(!examples.is_empty(), "{file}: no console example");
    let mut failures = Vec::new();
    for ex in &examples {
        let output = Command::new("sh")
            .args(["-c", &ex.command])
            .current_dir(root())
            .env("PATH", &path)
            .stdin(std::process::Stdio::null())
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        let stdout_lines: Vec<&str> = stdout.lines().map(str::trim_end).collect();
        let stderr_lines: Vec<&str> = stderr.lines().map(str::trim_end).collect();
        let shown: Vec<String> = ex.stdout.iter().map(|l| l.trim_end().to_owned()).collect();
        let code = output.status.code().unwrap_or(-1);
        let ok = code == ex.code
            && matches(&shown, &stdout_lines)
            && (ex.stderr.is_empty() || matches(&ex.stderr, &stderr_lines));
        if !ok {
            failures.push(format!(
                "{}:{}: $ {}\nshown (exit {}):\n{}\n{}\ngot (exit {code}):\n{stdout}{}",
                ex.file,
                ex.line,
                ex.command,
                ex.code,
                shown.join("\n"),
                ex.stderr
                    .iter()
                    .map(|l| format!("{l}  (stderr)\n"))
                    .collect::<String>(),
                stderr
                    .lines()
                    .map(|l| format!("{l}  (stderr)\n"))
                    .collect::<String>(),
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_readme_console_examples_print_what_they_show() {
    check("README.md");
}

#[test]
fn the_cli_crate_readme_examples_print_what_they_show() {
    check("crates/release-cli/README.md");
}
