//! Release notes and tickets: the Markdown a team posts and the pins read
//! back from a ticket. The texts are part of the interface, so they are
//! snapshot-tested, error messages included.

use chrono::NaiveDate;
use proptest::prelude::*;
use release_core::notes::{NotesConfig, ReleaseNotes, Ticket, parse_ticket_pins};
use release_core::pipeline::{Component, Pipeline};
use release_core::version::{Change, Scheme, TagScheme};

/// The Fragalysis production release (seed 004), as a release.toml holds it.
const FRAGALYSIS: &str = include_str!("../../../examples/pipelines/fragalysis-seed.toml");

/// The components the stack pins: backend and frontend, with CalVer tags.
fn pinned_by_stack() -> Vec<Component> {
    let p: Pipeline = toml::from_str(FRAGALYSIS).unwrap();
    let stack = p.component("stack").unwrap();
    stack
        .pins
        .iter()
        .map(|pin| p.component(&pin.component).unwrap().clone())
        .collect()
}

fn changes(messages: &[&str]) -> Vec<Change> {
    messages.iter().map(|m| Change::parse(m)).collect()
}

/// A month of Fragalysis-like history: breaking, scoped, squash and merge
/// pull requests, footers with issue numbers, and messages that are not
/// conventional.
const HISTORY: &[&str] = &[
    "feat(api)!: drop the v1 target endpoints (#401)\n\nBREAKING CHANGE: clients use /v2\nCloses #399",
    "feat(viewer): ligand overlay in the 3D view (#412)",
    "fix: login loop on expired sessions (#415)\n\nFixes #410",
    "perf(db): index compound lookups (#418)",
    "chore: bump django to 4.2.3 (#420)",
    "Update README.md",
    "Merge pull request #421 from xchem/hotfix-upload",
    "fix(upload): accept .sdf.gz files (#422)",
    "docs: describe the staging stack",
    "feat: download all poses as one zip #425",
];

fn date() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(2023, 6, 20)
}

#[test]
fn default_notes() {
    let notes = ReleaseNotes::new(
        &NotesConfig::default(),
        "2023.06.2",
        date(),
        &changes(HISTORY),
    );
    insta::assert_snapshot!("default_notes", notes.to_markdown());
    let left_out: Vec<String> = notes.left_out.iter().map(|e| e.to_string()).collect();
    insta::assert_debug_snapshot!(left_out, @r#"
    [
        "bump django to 4.2.3 (#420)",
        "Update README.md",
        "Merge pull request #421 from xchem/hotfix-upload",
    ]
    "#);
    insta::assert_snapshot!(
        "default_notes_json",
        serde_json::to_string_pretty(&notes).unwrap()
    );
}

#[test]
fn custom_notes() {
    let config: NotesConfig = toml::from_str(
        r#"
        sections = [
          { title = "New", types = ["feat"] },
          { title = "Fixed", types = ["fix", "perf"] },
        ]
        breaking = false
        other = "Also in this release"
        ticket_title = "Fragalysis {version}"
        pr_url = "https://github.com/xchem/fragalysis-stack/pull/{number}"
        issue_url = "https://github.com/xchem/fragalysis-stack/issues/{number}"
        "#,
    )
    .unwrap();
    config.validate().unwrap();
    let notes = ReleaseNotes::new(&config, "2023.06.2", None, &changes(HISTORY));
    assert!(notes.left_out.is_empty());
    insta::assert_snapshot!("custom_notes", notes.to_markdown());
}

/// Merge commits (`git log -z --format=%B`) are read by their body's
/// conventional header and keep the pull request number; one without such
/// a body stays a non-conventional change.
#[test]
fn merge_commits_land_in_their_type_section() {
    let notes = ReleaseNotes::new(
        &NotesConfig::default(),
        "2023.06.2",
        None,
        &changes(&[
            "Merge pull request #430 from xchem/upload-zip\n\nfeat(upload): accept zip archives\n\nCloses #428",
            "Merge branch 'paging' into 'main'\n\nfix!: target list paging\n\nSee merge request xchem/fragalysis!31",
            "Merge pull request #421 from xchem/hotfix-upload",
        ]),
    );
    insta::assert_snapshot!(notes.to_markdown(), @r"
    ## 2023.06.2

    ### Breaking changes

    - target list paging (#31)

    ### Features

    - **upload:** accept zip archives (#430, #428)
    ");
    let left_out: Vec<String> = notes.left_out.iter().map(|e| e.to_string()).collect();
    assert_eq!(
        left_out,
        ["Merge pull request #421 from xchem/hotfix-upload"]
    );
}

fn fragalysis_ticket() -> Ticket {
    let changes = changes(&[
        "feat(viewer): ligand overlay in the 3D view (#412)",
        "fix: login loop on expired sessions (#415)\n\nFixes #410",
        "Merge pull request #421 from xchem/hotfix-upload",
        "chore: bump django to 4.2.3 (#420)",
    ]);
    Ticket::new(
        &NotesConfig::default(),
        "2023.06.2",
        &changes,
        &[("backend", "2023.05.1"), ("frontend", "2023.05.4")],
    )
}

#[test]
fn fragalysis_ticket_markdown() {
    let ticket = fragalysis_ticket();
    assert_eq!(ticket.title(), "Release 2023.06.2");
    insta::assert_snapshot!(ticket.to_markdown(), @r"
    # Release 2023.06.2

    - backend 2023.05.1
    - frontend 2023.05.4

    - **viewer:** ligand overlay in the 3D view (#412)
    - login loop on expired sessions (#415, #410)
    - Merge pull request #421 from xchem/hotfix-upload
    - bump django to 4.2.3 (#420)
    ");
}

#[test]
fn fragalysis_ticket_round_trips() {
    let ticket = fragalysis_ticket();
    let pins = parse_ticket_pins(ticket.body(), &pinned_by_stack()).unwrap();
    assert_eq!(pins, ticket.pins());
    let read: Vec<String> = pins
        .iter()
        .map(|p| format!("line {}: {} {}", p.line, p.component, p.tag))
        .collect();
    insta::assert_debug_snapshot!(read, @r#"
    [
        "line 1: backend 2023.05.1",
        "line 2: frontend 2023.05.4",
    ]
    "#);
    // The whole document reads the same, two lines further down.
    let pins = parse_ticket_pins(&ticket.to_markdown(), &pinned_by_stack()).unwrap();
    assert_eq!(pins[0].line, 3);
}

#[test]
fn ticket_errors() {
    let comps = pinned_by_stack();
    let err = |body: &str| {
        let e = parse_ticket_pins(body, &comps).unwrap_err();
        format!("{}: {e}", e.kind())
    };

    insta::assert_snapshot!(
        err("- backend 2023.05.1\n- #415 fix login loop\n"),
        @r#"parse: the ticket has no pin for frontend: expected a bullet line "- frontend <tag>" (or with '*' or '+', or ':' or '=' before the tag)"#
    );
    insta::assert_snapshot!(
        err("- backend 2023.05.1\n- frontend 2023.05.4 (hotfix)\n"),
        @r#"parse: the ticket has no pin for frontend: expected a bullet line "- frontend <tag>" (or with '*' or '+', or ':' or '=' before the tag); line 2 "- frontend 2023.05.4 (hotfix)" names frontend but is not of that shape"#
    );
    insta::assert_snapshot!(
        err("Nothing pinned yet.\n"),
        @r#"parse: the ticket has no pin for backend, frontend: expected one bullet line per component, like "- backend <tag>" (or with '*' or '+', or ':' or '=' before the tag)"#
    );
    insta::assert_snapshot!(
        err("- backend 2023.05.1\n- frontend 2023.05.4\n\n* backend: 2023.05.2\n"),
        @r#"parse: the ticket pins backend twice with different tags: line 1 says "2023.05.1" and line 4 says "2023.05.2""#
    );
    insta::assert_snapshot!(
        err("- backend 2023.5.1\n- frontend 2023.05.4\n"),
        @r#"parse: line 1 of the ticket pins backend on "2023.5.1", which is not a backend tag: invalid tag "2023.5.1" for format YYYY.0M.MICRO: the month "5" at byte 5 is not zero-padded, but 0M is written with two digits"#
    );
    // The same tag twice is not a conflict.
    let pins = parse_ticket_pins(
        "- backend 2023.05.1\n- frontend 2023.05.4\n+ backend = 2023.05.1\n",
        &comps,
    )
    .unwrap();
    assert_eq!(pins[0].line, 1);
}

#[test]
fn config_errors() {
    let config: NotesConfig = toml::from_str(
        r#"
        sections = [
          { title = "Features", types = ["feat"] },
          { title = "Fixes", types = ["fix"] },
          { title = "Maintenance", types = ["chore", "Fix"] },
        ]
        "#,
    )
    .unwrap();
    let e = config.validate().unwrap_err();
    insta::assert_snapshot!(
        format!("{}: {e}", e.kind()),
        @r#"config: notes type "Fix" is listed in section 2 ("Fixes") and again in section 3 ("Maintenance")"#
    );
}

fn name() -> impl Strategy<Value = String> {
    "[a-z][a-z0-9-]{0,8}"
}

fn calver_tag() -> impl Strategy<Value = String> {
    (2000u32..2100, 1u32..13, 0u32..40).prop_map(|(y, m, n)| format!("{y}.{m:02}.{n}"))
}

/// Changes whose bullets cannot read as pins: scoped (the scope is bold) or
/// with a subject of several words and a pull request.
fn message() -> impl Strategy<Value = String> {
    prop_oneof![
        ("[a-z]{2,6}", name(), "[a-z ]{1,20}", 1u64..5000)
            .prop_map(|(t, s, subj, pr)| format!("{t}({s}): x{subj} (#{pr})")),
        ("[a-z]{1,8} [a-z]{1,8} [a-z ]{1,20}", 1u64..5000)
            .prop_map(|(subj, pr)| format!("{subj} (#{pr})")),
    ]
}

proptest! {
    /// Ticket::new then parse_ticket_pins gives back the pins, lines
    /// included, whatever the changes below them.
    #[test]
    fn ticket_pins_round_trip(
        pins in proptest::collection::btree_map(name(), calver_tag(), 0..6),
        messages in proptest::collection::vec(message(), 0..6),
        tagged in any::<bool>(),
    ) {
        let scheme = TagScheme::from(Scheme::calver("YYYY.0M.MICRO").unwrap());
        let components: Vec<Component> = pins
            .keys()
            .map(|n| {
                let c = Component::new(n.as_str());
                if tagged { c.tags(scheme.clone()) } else { c }
            })
            .collect();
        let pins: Vec<(String, String)> = pins.into_iter().collect();
        let changes: Vec<Change> = messages.iter().map(|m| Change::parse(m)).collect();
        let ticket = Ticket::new(&NotesConfig::default(), "2023.06.2", &changes, &pins);
        let read = parse_ticket_pins(ticket.body(), &components).unwrap();
        prop_assert_eq!(read, ticket.pins());
    }

    /// Hand-written pins in any of the accepted shapes read the same.
    #[test]
    fn pin_shapes_read_alike(
        pins in proptest::collection::btree_map(name(), calver_tag(), 1..6),
        shapes in proptest::collection::vec((0usize..3, 0usize..3, any::<bool>()), 6),
    ) {
        let components: Vec<Component> = pins.keys().map(|n| Component::new(n.as_str())).collect();
        let mut body = String::from("Release notes:\n");
        for ((n, t), (b, s, ticks)) in pins.iter().zip(&shapes) {
            let bullet = ["-", "*", "+"][*b];
            let sep = [" ", ": ", " = "][*s];
            let tag = if *ticks { format!("`{t}`") } else { t.clone() };
            body.push_str(&format!("{bullet} {n}{sep}{tag}\n- #12 unrelated change\n"));
        }
        let read = parse_ticket_pins(&body, &components).unwrap();
        let got: Vec<(String, String)> = read.into_iter().map(|p| (p.component, p.tag)).collect();
        let want: Vec<(String, String)> = pins.into_iter().collect();
        prop_assert_eq!(got, want);
    }
}
