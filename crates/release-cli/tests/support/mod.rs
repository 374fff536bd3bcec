//! Running the `release` binary in tests.

// Each test file uses a different subset of these helpers.
#![allow(dead_code)]

use std::io::Write;
use std::process::{Command, Stdio};

/// Runs `release` with `args`, feeding `stdin` (or a closed stdin), and
/// renders the exit code, stdout and stderr for a snapshot.
pub fn release(args: &[&str], stdin: Option<&str>) -> String {
    let (code, stdout, stderr) = run(args, stdin);
    let mut text = format!("exit {code}\n");
    if !stdout.is_empty() {
        text.push_str("--- stdout\n");
        text.push_str(&stdout);
    }
    if !stderr.is_empty() {
        text.push_str("--- stderr\n");
        text.push_str(&stderr);
    }
    text
}

pub fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_release"))
        .args(args)
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the release binary runs");
    if let Some(text) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        // A command that refuses its arguments may exit before it reads
        // stdin: a broken pipe then is no failure of the test.
        if let Err(e) = pipe.write_all(text.as_bytes()) {
            assert_eq!(
                e.kind(),
                std::io::ErrorKind::BrokenPipe,
                "stdin is written: {e}"
            );
        }
    }
    let output = child.wait_with_output().expect("the release binary ends");
    (
        output.status.code().expect("the binary exits with a code"),
        String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    )
}

/// Like [`release`], with `dir` as the working directory (where relative
/// paths in the arguments and in steps' commands resolve).
pub fn release_in(dir: &std::path::Path, args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_release"))
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::null())
        .output()
        .expect("the release binary runs");
    let mut text = format!(
        "exit {}\n",
        output.status.code().expect("the binary exits with a code")
    );
    let stdout = String::from_utf8(output.stdout).expect("stdout is UTF-8");
    let stderr = String::from_utf8(output.stderr).expect("stderr is UTF-8");
    if !stdout.is_empty() {
        text.push_str("--- stdout\n");
        text.push_str(&stdout);
    }
    if !stderr.is_empty() {
        text.push_str("--- stderr\n");
        text.push_str(&stderr);
    }
    text
}

/// A fresh, empty directory for one test, holding `files` (name, text).
pub fn scratch(test: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("release-cli-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("the scratch directory is created");
    for (name, text) in files {
        std::fs::write(dir.join(name), text).expect("a scratch file is written");
    }
    dir
}

/// The reliability findings' `scratch/g.toml`: a build, a deploy behind an
/// approvals gate (role qa), and a manual sign-off.
pub const GATES: &str = r#"
name = "gates"
[[steps]]
id = "build"
kind = "build"
command = ["true"]
[[steps]]
id = "deploy"
kind = "deploy"
needs = ["build"]
command = ["true"]
gates = [{ name = "signoff", rule = { approvals = { role = "qa", at_least = 1 } } }]
[[steps]]
id = "sign"
kind = "approve"
needs = ["deploy"]
"#;

/// Runs git in `dir` with a fixed identity and date and no user or system
/// configuration, so the repositories are the same on every machine.
pub fn git(dir: &std::path::Path, args: &[&str]) {
    let output = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Ada")
        .env("GIT_AUTHOR_EMAIL", "ada@example.org")
        .env("GIT_COMMITTER_NAME", "Ada")
        .env("GIT_COMMITTER_EMAIL", "ada@example.org")
        .env("GIT_AUTHOR_DATE", "2023-06-01T10:00:00Z")
        .env("GIT_COMMITTER_DATE", "2023-06-01T10:00:00Z")
        .output()
        .expect("git runs");
    assert!(
        output.status.success(),
        "git {args:?} in {}: {}",
        dir.display(),
        String::from_utf8_lossy(&output.stderr)
    );
}
