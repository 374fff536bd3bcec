//! The process commands (`check`, `plan`, `explain`, `next`, `simulate`,
//! `notes`, `schema`) on the shipped examples, run as a binary from the
//! repository root, under snapshot. `check`, `plan` and `graph` run on every
//! `examples/*/release.toml`, found by `insta::glob!`: a new example is a
//! new directory.

use insta::assert_snapshot;

mod support;
use support::{release, release_in, scratch};

fn root() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn at_root(args: &[&str]) -> String {
    release_in(&root(), args)
}

/// Calls `test(name, file)` for every `examples/NAME/release.toml` (`file`
/// from the repository root), each under its own snapshot suffix
/// (`@NAME__release.toml`): a new example is checked, planned and drawn by
/// adding its directory.
fn each_example(mut test: impl FnMut(&str, &str)) {
    insta::glob!("../../../examples", "*/release.toml", |path| {
        let name = path
            .parent()
            .and_then(|p| p.file_name())
            .and_then(|n| n.to_str())
            .expect("examples/NAME/release.toml");
        test(name, &format!("examples/{name}/release.toml"));
    });
}

/// A reproducible instant per example: a day its document talks about.
fn now(example: &str) -> &'static str {
    match example {
        "ecr-viewer" => "2024-05-01T09:00:00Z",
        "release-guide" => "2024-03-01T09:00:00Z",
        "mozilla-sync" => "2020-12-02T12:00:00Z",
        "eat-slots" => "2020-07-04T09:00:00Z",
        _ => "2023-06-20T09:00:00Z",
    }
}

#[test]
fn every_example_checks() {
    each_example(|_, file| assert_snapshot!("check", at_root(&["check", file])));
}

#[test]
fn every_example_plans() {
    each_example(|example, file| {
        let mut args = vec!["plan", file, "--now", now(example)];
        if example == "fragalysis" {
            args.extend(["--tags", "examples/fragalysis/tags.txt"]);
        }
        assert_snapshot!("plan", at_root(&args));
    });
}

#[test]
fn every_example_draws() {
    each_example(|_, file| {
        assert_snapshot!("graph", at_root(&["graph", file, "--format", "mermaid"]));
    });
}

#[test]
fn plan_as_json() {
    assert_snapshot!(at_root(&[
        "--json",
        "plan",
        "examples/mozilla-sync/release.toml",
        "--now",
        "2020-12-02T12:00:00Z"
    ]));
}

#[test]
fn fragalysis_next_versions() {
    assert_snapshot!(at_root(&[
        "next",
        "examples/fragalysis/release.toml",
        "--now",
        "2023-06-20T09:00:00Z",
        "--tags",
        "examples/fragalysis/tags.txt",
        "--tag",
        "stack=2023.06.2",
    ]));
}

#[test]
fn fragalysis_production_passes_with_green_ci_and_production_pins() {
    assert_snapshot!(at_root(&[
        "explain",
        "examples/fragalysis/release.toml",
        "production",
        "--now",
        "2023-06-20T10:00:00Z",
        "--facts",
        "examples/fragalysis/facts.json",
        "--journal",
        "examples/fragalysis/journal.jsonl",
    ]));
}

/// Without the journal, the deploy waits for the tags first (exit 1).
#[test]
fn fragalysis_production_waits_for_the_stack_tag() {
    assert_snapshot!(at_root(&[
        "explain",
        "examples/fragalysis/release.toml",
        "production",
        "--now",
        "2023-06-20T09:00:00Z",
        "--facts",
        "examples/fragalysis/facts.json",
    ]));
}

/// A matrix step named by its id covers its cells; a finished step is
/// done (exit 0).
#[test]
fn ecr_matrix_step_and_finished_step() {
    assert_snapshot!(
        "ecr_matrix_step",
        at_root(&[
            "explain",
            "examples/ecr-viewer/release.toml",
            "test",
            "--now",
            "2024-05-01T12:00:00Z",
        ])
    );
    assert_snapshot!(
        "ecr_finished_step",
        at_root(&[
            "explain",
            "examples/ecr-viewer/release.toml",
            "beta",
            "--now",
            "2024-05-02T12:00:00Z",
            "--journal",
            "examples/ecr-viewer/journal.jsonl",
        ])
    );
}

/// A run in progress: done steps at their journal times, what is left.
#[test]
fn fragalysis_plan_mid_run() {
    assert_snapshot!(at_root(&[
        "plan",
        "examples/fragalysis/release.toml",
        "--now",
        "2023-06-20T09:30:00Z",
        "--facts",
        "examples/fragalysis/facts.json",
        "--journal",
        "examples/fragalysis/journal.jsonl",
    ]));
}

#[test]
fn mozilla_production_is_blocked_exit_1() {
    assert_snapshot!(at_root(&[
        "explain",
        "examples/mozilla-sync/release.toml",
        "production",
        "--now",
        "2020-12-15T19:00:00Z",
    ]));
}

#[test]
fn mozilla_simulation_reproduces_the_document_table() {
    assert_snapshot!(at_root(&["simulate", "examples/mozilla-sync/release.toml"]));
}

#[test]
fn eat_window_closed_until_sunday() {
    assert_snapshot!(at_root(&[
        "explain",
        "examples/eat-slots/release.toml",
        "move-to-staging",
        "--now",
        "2020-07-06T06:00:00Z",
    ]));
}

#[test]
fn eat_calendar_reads_the_process_file() {
    assert_snapshot!(at_root(&[
        "calendar",
        "examples/eat-slots/release.toml",
        "--now",
        "2020-07-01T12:00:00+03:00",
        "--count",
        "1",
    ]));
}

#[test]
fn ecr_final_with_a_waived_cell() {
    assert_snapshot!(at_root(&[
        "explain",
        "examples/ecr-viewer/release.toml",
        "final",
        "--now",
        "2024-05-02T12:00:00Z",
        "--journal",
        "examples/ecr-viewer/journal.jsonl",
    ]));
}

const COMMITS: &str =
    "feat(api): RHS download (#1188)\nfix: target list paging (#1201)\nchore: bump deps\n";

#[test]
fn notes_and_ticket() {
    let process = root().join("examples/fragalysis/release.toml");
    let process = process.to_str().unwrap();
    assert_snapshot!(
        "notes_markdown",
        release(
            &[
                "notes",
                "--process",
                process,
                "--release",
                "2023.06.2",
                "--date",
                "2023-06-20"
            ],
            Some(COMMITS)
        )
    );
    assert_snapshot!(
        "notes_ticket",
        release(
            &[
                "notes",
                "--process",
                process,
                "--release",
                "2023.06.2",
                "--ticket",
                "--pin",
                "backend=2023.05.1",
                "--pin",
                "frontend=2023.05.4",
            ],
            Some(COMMITS)
        )
    );
}

#[test]
fn a_ticket_is_read_back_into_pins_or_refused() {
    let process = root().join("examples/fragalysis/release.toml");
    let process = process.to_str().unwrap();
    let dir = scratch(
        "process-ticket",
        &[
            (
                "ok.md",
                "Release 2023.06.2\n\n- backend 2023.05.1\n- frontend 2023.05.4\n- #1201 paging\n",
            ),
            ("missing.md", "Release 2023.06.2\n\n- backend 2023.05.1\n"),
        ],
    );
    assert_snapshot!(
        "ticket_ok",
        release_in(
            &dir,
            &["notes", "--process", process, "--parse-ticket", "ok.md"]
        )
    );
    assert_snapshot!(
        "ticket_missing",
        release_in(
            &dir,
            &[
                "notes",
                "--process",
                process,
                "--parse-ticket",
                "missing.md"
            ]
        )
    );
}

/// Runs each command line (after `notes --process <fragalysis>`) with the
/// same commits on stdin, one after another in one snapshot.
fn notes_runs(with_process: bool, stdin: &str, runs: &[&[&str]]) -> String {
    let process = root().join("examples/fragalysis/release.toml");
    let process = process.to_str().unwrap();
    let mut text = String::new();
    for args in runs {
        let mut all = vec!["notes"];
        if with_process {
            all.extend(["--process", "fragalysis.toml"]);
        }
        all.extend_from_slice(args);
        let shown: Vec<String> = all
            .iter()
            .map(|a| {
                if a.is_empty() || a.contains(' ') {
                    format!("{a:?}")
                } else {
                    (*a).to_owned()
                }
            })
            .collect();
        text.push_str(&format!("$ release {}\n", shown.join(" ")));
        let real: Vec<&str> = all
            .iter()
            .map(|a| if *a == "fragalysis.toml" { process } else { a })
            .collect();
        text.push_str(&release(&real, Some(stdin)));
        text.push('\n');
    }
    text
}

#[test]
fn notes_read_merge_commits_and_name_what_they_leave_out() {
    // `git log -z --format=%B`: whole messages, NUL-separated.
    let commits = "Merge pull request #1210 from xchem/zip\n\nfeat(upload): accept zip archives\n\0\
                   Merge branch 'paging' into 'main'\n\nfix: target list paging\n\n\
                   See merge request xchem/fragalysis!31\n\0\
                   chore: bump deps (#1211)\n\0Update README.md\n\0";
    assert_snapshot!(
        "notes_merge_commits",
        notes_runs(
            true,
            commits,
            &[
                &["--release", "2023.06.2"],
                &["--release", "2023.06.2", "--json"],
            ]
        )
    );
}

#[test]
fn a_ticket_is_checked_against_the_process_before_it_is_written() {
    let runs: &[&[&str]] = &[
        &[
            "--release",
            "2023.06.2",
            "--ticket",
            "--pin",
            "backend=2023.05.1",
        ],
        &[
            "--release",
            "2023.06.2",
            "--ticket",
            "--pin",
            "bakend=2023.05.1",
            "--pin",
            "frontend=2023.05.4",
        ],
        &[
            "--release",
            "2023.06.2",
            "--ticket",
            "--pin",
            "stack=2023.06.2",
        ],
        &[
            "--release",
            "2023.06.2",
            "--ticket",
            "--pin",
            "backend=2023.05.1",
            "--pin",
            "frontend=2023.05.4",
            "--pin",
            "backend=2023.05.2",
        ],
        &[
            "--release",
            "2023.06.2",
            "--ticket",
            "--pin",
            "backend=2023.5.1",
            "--pin",
            "frontend=2023.05.4",
        ],
        &["--release", "2023.6.2"],
        &["--release", ""],
    ];
    assert_snapshot!("notes_ticket_refused", notes_runs(true, COMMITS, runs));
    // A change whose bullet reads as a pin would make the ticket unreadable.
    assert_snapshot!(
        "notes_ticket_would_not_read_back",
        notes_runs(
            true,
            "frontend 2023.05.9\n",
            &[&[
                "--release",
                "2023.06.2",
                "--ticket",
                "--pin",
                "backend=2023.05.1",
                "--pin",
                "frontend=2023.05.4",
            ]]
        )
    );
    // Without a process nothing is known to check against.
    assert_snapshot!(
        "notes_ticket_without_process",
        notes_runs(
            false,
            COMMITS,
            &[
                &["--release", "anything", "--ticket", "--pin", "bakend=x y"],
                &["--release", " "],
            ]
        )
    );
}

#[test]
fn a_typo_is_placed_at_its_line_and_column() {
    let dir = scratch(
        "process-typo",
        &[(
            "release.toml",
            "name = \"x\"\n\n[[steps]]\nid = \"a\"\nkind = \"tag\"\nnedds = []\n",
        )],
    );
    assert_snapshot!(release_in(&dir, &["check", "release.toml"]));
    assert_snapshot!(
        "typo_json",
        release_in(&dir, &["--json", "check", "release.toml"])
    );
}

#[test]
fn explaining_an_unknown_name_lists_what_exists() {
    assert_snapshot!(at_root(&[
        "explain",
        "examples/release-guide/release.toml",
        "deploy",
        "--now",
        "2024-03-01T09:00:00Z",
    ]));
}

#[test]
fn the_committed_schema_is_what_release_schema_prints() {
    let (code, stdout, _) = support::run(&["schema"], None);
    assert_eq!(code, 0);
    let committed = std::fs::read_to_string(root().join("release.schema.json")).unwrap();
    assert_eq!(stdout.trim_end(), committed.trim_end());
}

/// The first indented ```text block of `readme` from byte `from`, without
/// its indentation, and the byte where it ends.
fn text_block(readme: &str, from: usize) -> (String, usize) {
    let start = from + readme[from..].find("   ```text\n").unwrap() + "   ```text\n".len();
    let end = start + readme[start..].find("   ```\n").unwrap();
    let block = readme[start..end]
        .lines()
        .map(|l| l.strip_prefix("   ").unwrap_or(l))
        .map(|l| format!("{l}\n"))
        .collect();
    (block, end)
}

/// The README's first command prints what the README shows.
#[test]
fn the_readme_main_command_shows_its_real_output() {
    let readme = std::fs::read_to_string(root().join("README.md")).unwrap();
    let command = "cargo run -q -p release-cli -- plan examples/fragalysis/release.toml --now 2023-06-20T09:00:00Z --tags examples/fragalysis/tags.txt";
    assert!(readme.contains(command), "the README's command 1 changed");
    let (shown, end) = text_block(&readme, 0);
    let output = at_root(&[
        "plan",
        "examples/fragalysis/release.toml",
        "--now",
        "2023-06-20T09:00:00Z",
        "--tags",
        "examples/fragalysis/tags.txt",
    ]);
    // The README's second block is what it prints on stderr.
    let (stderr, _) = text_block(&readme, end);
    assert_eq!(
        format!("exit 0\n--- stdout\n{shown}--- stderr\n{stderr}"),
        output
    );
}
