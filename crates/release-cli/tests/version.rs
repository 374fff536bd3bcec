//! `release version ...` run as a binary: arguments, stdin, stdout, stderr
//! and exit codes, with inline snapshots that read as examples.
//!
//! Nothing here depends on the clock or the network: every date is given.

use insta::assert_snapshot;

mod support;
use support::{release, run};

/// The README example: the next Fragalysis release in June 2023.
#[test]
fn readme_calver_example() {
    let output = release(
        &[
            "version",
            "next",
            "--format",
            "YYYY.0M.MICRO",
            "--date",
            "2023-06-20",
            "2023.05.1",
            "2023.06.1",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    2023.06.2
    "#);
}

/// `git tag | release version next ...`: foreign and non-conforming tags are skipped.
#[test]
fn next_reads_tags_from_stdin() {
    let output = release(
        &[
            "version",
            "next",
            "--format",
            "YYYY.0M.MICRO",
            "--date",
            "2023-06-20",
        ],
        Some("2023.05.1\n2023.06.1\n2023.6.5\nlatest\nv2.0.0\n"),
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    2023.06.2
    --- stderr
    note: 3 of 5 tags left out, not of format YYYY.0M.MICRO: "2023.6.5" (invalid tag "2023.6.5" for format YYYY.0M.MICRO: the month "6" at byte 5 is not zero-padded, but 0M is written with two digits), "latest" (invalid tag "latest" for format YYYY.0M.MICRO: expected a four-digit year (YYYY) at byte 0, found "late"), "v2.0.0" (invalid tag "v2.0.0" for format YYYY.0M.MICRO: expected a four-digit year (YYYY) at byte 0, found "v2.0")
    "#);
}

/// JSON shape of next for CalVer.
#[test]
fn next_json_calver() {
    let output = release(
        &[
            "version",
            "next",
            "--json",
            "--format",
            "YYYY.0M.MICRO",
            "--date",
            "2023-07-03",
        ],
        Some("2023.05.1\n2023.06.1\n"),
    );
    assert_snapshot!(output, @r#"
exit 0
--- stdout
{
  "format_version": 1,
  "current": "2023.06.1",
  "version": "2023.07.1",
  "tag": "2023.07.1",
  "level": null
}
"#);
}

/// No tags: the first release of the period.
#[test]
fn next_first_calver_release() {
    let output = release(
        &[
            "version",
            "next",
            "--format",
            "YYYY.0M.MICRO",
            "--date",
            "2023-07-03",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    2023.07.1
    "#);
}

/// From a candidate, a minor bump releases the candidate's final.
#[test]
fn next_json_semver_level() {
    let output = release(
        &[
            "version",
            "next",
            "--json",
            "--level",
            "minor",
            "v1.4.2",
            "v1.5.0-rc.1",
            "junk",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
exit 0
--- stdout
{
  "format_version": 1,
  "current": "v1.5.0-rc.1",
  "version": "v1.5.0",
  "tag": "v1.5.0",
  "level": "minor",
  "rejected": [
    {
      "tag": "junk",
      "reason": "invalid tag \"junk\" for SemVer: unexpected character 'j' while parsing major version number"
    }
  ]
}
--- stderr
note: 1 of 3 tags left out, not of SemVer: "junk" (invalid tag "junk" for SemVer: unexpected character 'j' while parsing major version number)
"#);
}

/// --pre starts a candidate of the computed next version.
#[test]
fn next_level_with_pre() {
    let output = release(
        &["version", "next", "--level", "minor", "--pre", "v1.4.2"],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    v1.5.0-rc.1
    "#);
}

/// The candidate counter keeps the team's spelling.
#[test]
fn next_level_prerelease_attached() {
    let output = release(
        &[
            "version",
            "next",
            "--level",
            "prerelease",
            "--counter-style",
            "attached",
            "1.4.2",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    1.4.3-rc1
    "#);
}

/// No tags and stdin closed: a first release.
#[test]
fn next_first_semver_release() {
    let output = release(&["version", "next", "--level", "minor"], None);
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    0.1.0
    "#);
}

/// Conventional commits: feat calls for a minor bump.
#[test]
fn next_commits_feat_is_minor() {
    let output = release(
        &[
            "version",
            "next",
            "--commit",
            "fix: typo",
            "--commit",
            "feat: dark mode",
            "1.4.2",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    1.5.0
    "#);
}

/// While the major version is 0 a breaking change calls for a minor bump.
#[test]
fn next_commits_breaking_on_zero_is_minor() {
    let output = release(
        &[
            "version",
            "next",
            "--json",
            "--commit",
            "refactor!: new config format",
            "0.8.3",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
exit 0
--- stdout
{
  "format_version": 1,
  "current": "0.8.3",
  "version": "0.9.0",
  "tag": "0.9.0",
  "level": "minor"
}
"#);
}

/// After 1.0 a breaking change calls for a major bump.
#[test]
fn next_commits_breaking_is_major() {
    let output = release(
        &[
            "version",
            "next",
            "--commit",
            "refactor!: new config format",
            "1.8.3",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    2.0.0
    "#);
}

/// `git log -z --format=%B | release version next --commits - TAG`: full messages keep their footers.
#[test]
fn next_commits_from_stdin_nul_separated() {
    let output = release(
        &["version", "next", "--commits", "-", "1.2.0"],
        Some(
            "chore: tidy\n\nnothing to see\0fix: parser\n\nBREAKING CHANGE: drops the v1 syntax\n\0",
        ),
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    2.0.0
    "#);
}

/// One subject per line (`git log --format=%s`).
#[test]
fn next_commits_from_stdin_lines() {
    let output = release(
        &["version", "next", "--commits", "-", "v0.3.1"],
        Some("docs: readme\nfix: off by one\n"),
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    v0.3.2
    "#);
}

/// Nothing calls for a release: said so, exit 0.
#[test]
fn next_no_release() {
    let output = release(
        &[
            "version",
            "next",
            "--commit",
            "docs: readme",
            "--commit",
            "chore: deps",
            "1.4.2",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    no release: none of the 2 commit messages calls for one
    "#);
}

/// Nothing calls for a release: version null.
#[test]
fn next_no_release_json() {
    let output = release(
        &[
            "version",
            "next",
            "--json",
            "--commit",
            "docs: readme",
            "1.4.2",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
exit 0
--- stdout
{
  "format_version": 1,
  "current": "1.4.2",
  "version": null,
  "tag": null,
  "level": null
}
"#);
}

/// CalVer with commits: the commits decide whether, the date decides what.
#[test]
fn next_calver_commits_and_date() {
    let output = release(
        &[
            "version",
            "next",
            "--format",
            "YYYY.0M.MICRO",
            "--date",
            "2023-06-20",
            "--commit",
            "fix: crash",
            "2023.06.1",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    2023.06.2
    "#);
}

/// A patch-style hotfix of an old line.
#[test]
fn next_hotfix_patch() {
    let output = release(
        &[
            "version", "next", "--hotfix", "patch", "--base", "1.4.0", "1.4.0", "1.4.1", "1.5.0",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    1.4.2
    "#);
}

/// A suffix-style hotfix.
#[test]
fn next_hotfix_suffix() {
    let output = release(
        &[
            "version",
            "next",
            "--hotfix",
            "suffix",
            "--base",
            "1.4.0",
            "1.4.0",
            "1.4.0-hotfix.1",
            "1.5.0",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    1.4.0-hotfix.2
    "#);
}

/// CalVer never reads the clock: without --date it is bad input.
#[test]
fn next_calver_requires_date() {
    let output = release(
        &["version", "next", "--format", "YYYY.0M.MICRO", "2023.06.1"],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: a CalVer version follows the release date: give --date YYYY-MM-DD (release never reads the clock), or --level patch|prerelease
    "#);
}

/// A date before the latest release is refused: exit 1.
#[test]
fn next_calver_date_in_the_past_is_refused() {
    let output = release(
        &[
            "version",
            "next",
            "--format",
            "YYYY.0M.MICRO",
            "--date",
            "2023-05-01",
            "2023.06.1",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 1
    --- stderr
    error: a release on 2023-05-01 would be 2023.05.1, which is not newer than the latest release 2023.06.1
    "#);
}

/// SemVer needs to be told how to bump.
#[test]
fn next_semver_needs_a_level() {
    let output = release(&["version", "next", "1.2.3"], None);
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: say how to bump: --level major|minor|patch|prerelease, or conventional commits with --commits FILE|- or --commit MSG
    "#);
}

/// --date is for CalVer.
#[test]
fn next_date_on_semver_is_bad_input() {
    let output = release(
        &[
            "version",
            "next",
            "--date",
            "2023-06-20",
            "--commit",
            "feat: x",
            "1.2.3",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: --date applies to CalVer schemes (give --format); SemVer bumps by --level or commits
    "#);
}

/// The hotfix base is a subject: it must be valid.
#[test]
fn next_invalid_hotfix_base() {
    let output = release(
        &[
            "version", "next", "--hotfix", "patch", "--base", "one.four", "1.4.0",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: invalid tag "one.four" for SemVer: unexpected character 'o' while parsing major version number
    "#);
}

/// A malformed date is a usage error.
#[test]
fn next_invalid_date() {
    let output = release(
        &[
            "version",
            "next",
            "--format",
            "YYYY.0M.MICRO",
            "--date",
            "2023-13-01",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: invalid value '2023-13-01' for '--date <YYYY-MM-DD>': invalid date "2023-13-01": input is out of range; expected YYYY-MM-DD

    For more information, try '--help'.
    "#);
}

/// Tags of one component in a monorepo.
#[test]
fn next_with_component_template() {
    let output = release(
        &[
            "version",
            "next",
            "--template",
            "{component}-v{version}",
            "--component",
            "backend",
            "--level",
            "patch",
            "backend-v1.2.3",
            "frontend-v2.0.0",
            "backend-v1.3.0-rc.1",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    backend-v1.3.0
    --- stderr
    note: 1 of 3 tags left out, not of template {component}-v{version} with SemVer: "frontend-v2.0.0" (invalid tag "frontend-v2.0.0" for template {component}-v{version} with SemVer: it does not have the shape of the tag template)
    "#);
}

/// parse shows what a tag says.
#[test]
fn parse_human() {
    let output = release(&["version", "parse", "v1.2.3-RC1+build.5", "2.0.0"], None);
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    v1.2.3-RC1+build.5
      kind:       semver
      version:    v1.2.3-RC1+build.5
      parts:      major 1, minor 2, patch 3
      prerelease: RC1
      build:      build.5
      warning:    pre-release "RC1" has uppercase letters; read as "rc1" (SemVer would order it before any lowercase label)

    2.0.0
      kind:       semver
      version:    2.0.0
      parts:      major 2, minor 0, patch 0
      prerelease: none
      build:      none
    "#);
}

/// parse --json: an array of named fields, in input order.
#[test]
fn parse_json() {
    let output = release(&["version", "parse", "--json", "v1.2.3-rc1+build.5"], None);
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    [
      {
        "tag": "v1.2.3-rc1+build.5",
        "valid": true,
        "kind": "semver",
        "version": "v1.2.3-rc1+build.5",
        "prerelease": "rc1",
        "build": "build.5",
        "parts": {
          "major": 1,
          "minor": 2,
          "patch": 3
        },
        "fields": {},
        "warnings": []
      }
    ]
    "#);
}

/// parse --json for CalVer.
#[test]
fn parse_calver_json() {
    let output = release(
        &[
            "version",
            "parse",
            "--json",
            "--format",
            "YYYY.0M.MICRO",
            "2023.06.2-rc1",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    [
      {
        "tag": "2023.06.2-rc1",
        "valid": true,
        "kind": "calver",
        "version": "2023.06.2-rc1",
        "prerelease": "rc1",
        "build": null,
        "parts": {
          "year": 2023,
          "month": 6,
          "micro": 2
        },
        "fields": {},
        "warnings": []
      }
    ]
    "#);
}

/// A tag given to parse must be valid.
#[test]
fn parse_invalid_is_exit_2() {
    let output = release(&["version", "parse", "1.2.3", "v1.2"], None);
    assert_snapshot!(output, @r#"
    exit 2
    --- stdout
    1.2.3
      kind:       semver
      version:    1.2.3
      parts:      major 1, minor 2, patch 3
      prerelease: none
      build:      none
    --- stderr
    error: invalid tag "v1.2" for SemVer: unexpected end of input while parsing minor version number
    "#);
}

/// parse --json reports invalid tags in place.
#[test]
fn parse_invalid_json() {
    let output = release(
        &[
            "version",
            "parse",
            "--json",
            "--format",
            "YYYY.0M.MICRO",
            "2023.6.2",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 2
    --- stdout
    [
      {
        "tag": "2023.6.2",
        "valid": false,
        "error": {
          "kind": "parse",
          "message": "invalid tag \"2023.6.2\" for format YYYY.0M.MICRO: the month \"6\" at byte 5 is not zero-padded, but 0M is written with two digits"
        }
      }
    ]
    --- stderr
    error: invalid tag "2023.6.2" for format YYYY.0M.MICRO: the month "6" at byte 5 is not zero-padded, but 0M is written with two digits
    "#);
}

/// latest prints the tag as written, skipping junk.
#[test]
fn latest_with_v_prefix_and_junk() {
    let output = release(
        &[
            "version",
            "latest",
            "v1.9.0",
            "junk",
            "1.10.0",
            "v2.0.0-rc.1",
            "release-candidate",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    v2.0.0-rc.1
    --- stderr
    note: 2 of 5 tags left out, not of SemVer: "junk" (invalid tag "junk" for SemVer: unexpected character 'j' while parsing major version number), "release-candidate" (invalid tag "release-candidate" for SemVer: unexpected character 'r' while parsing major version number)
    "#);
}

/// --no-prereleases.
#[test]
fn latest_no_prereleases() {
    let output = release(
        &[
            "version",
            "latest",
            "--no-prereleases",
            "v1.9.0",
            "junk",
            "1.10.0",
            "v2.0.0-rc.1",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    1.10.0
    --- stderr
    note: 1 of 4 tags left out, not of SemVer: "junk" (invalid tag "junk" for SemVer: unexpected character 'j' while parsing major version number)
    "#);
}

/// --v-prefix always skips bare tags; tags from stdin.
#[test]
fn latest_v_prefix_always_from_stdin() {
    let output = release(
        &[
            "version",
            "latest",
            "--v-prefix",
            "always",
            "--no-prereleases",
        ],
        Some("v1.9.0\njunk\n1.10.0\nv2.0.0-rc.1\n"),
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    v1.9.0
    --- stderr
    note: 2 of 4 tags left out, not of SemVer (with 'v' prefix): "junk" (invalid tag "junk" for SemVer (with 'v' prefix): the scheme's tags start with 'v'), "1.10.0" (invalid tag "1.10.0" for SemVer (with 'v' prefix): the scheme's tags start with 'v')
    "#);
}

/// latest --json.
#[test]
fn latest_json() {
    let output = release(&["version", "latest", "--json", "v1.9.0", "v1.10.0"], None);
    assert_snapshot!(output, @r#"
exit 0
--- stdout
{
  "format_version": 1,
  "tag": "v1.10.0",
  "version": "v1.10.0"
}
"#);
}

/// No tag of the scheme: exit 1, JSON nulls.
#[test]
fn latest_none_is_exit_1() {
    let output = release(&["version", "latest", "--json", "junk", "latest"], None);
    assert_snapshot!(output, @r#"
exit 1
--- stdout
{
  "format_version": 1,
  "tag": null,
  "version": null,
  "rejected": [
    {
      "tag": "junk",
      "reason": "invalid tag \"junk\" for SemVer: unexpected character 'j' while parsing major version number"
    },
    {
      "tag": "latest",
      "reason": "invalid tag \"latest\" for SemVer: unexpected character 'l' while parsing major version number"
    }
  ]
}
--- stderr
note: 2 of 2 tags left out, not of SemVer: "junk" (invalid tag "junk" for SemVer: unexpected character 'j' while parsing major version number), "latest" (invalid tag "latest" for SemVer: unexpected character 'l' while parsing major version number)
no tag of SemVer found (2 read)
"#);
}

/// sort lists valid tags in order; --show-rejected explains the rest on stderr.
#[test]
fn sort_with_rejected() {
    let output = release(
        &[
            "version",
            "sort",
            "--show-rejected",
            "v1.10.0",
            "junk",
            "v1.9.0",
            "v1.10.0-rc.1",
            "1.10.0-rc.10",
            "1.10.0-rc.2",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    v1.9.0
    v1.10.0-rc.1
    1.10.0-rc.2
    1.10.0-rc.10
    v1.10.0
    --- stderr
    note: 1 of 6 tags left out, not of SemVer: "junk" (invalid tag "junk" for SemVer: unexpected character 'j' while parsing major version number)
    rejected: invalid tag "junk" for SemVer: unexpected character 'j' while parsing major version number
    "#);
}

/// CalVer sort, newest first, from stdin.
#[test]
fn sort_calver_reverse_from_stdin() {
    let output = release(
        &["version", "sort", "--reverse", "--format", "YYYY.0M.MICRO"],
        Some("2023.06.10\n2023.06.2\n2023.6.5\n2022.12.1\n"),
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    2023.06.10
    2023.06.2
    2022.12.1
    --- stderr
    note: 1 of 4 tags left out, not of format YYYY.0M.MICRO: "2023.6.5" (invalid tag "2023.6.5" for format YYYY.0M.MICRO: the month "6" at byte 5 is not zero-padded, but 0M is written with two digits)
    "#);
}

/// sort --json.
#[test]
fn sort_json() {
    let output = release(
        &["version", "sort", "--json", "v1.10.0", "junk", "v1.9.0"],
        None,
    );
    assert_snapshot!(output, @r#"
exit 0
--- stdout
{
  "format_version": 1,
  "tags": [
    {
      "tag": "v1.9.0",
      "version": "v1.9.0"
    },
    {
      "tag": "v1.10.0",
      "version": "v1.10.0"
    }
  ],
  "rejected": [
    {
      "tag": "junk",
      "reason": "invalid tag \"junk\" for SemVer: unexpected character 'j' while parsing major version number"
    }
  ]
}
--- stderr
note: 1 of 3 tags left out, not of SemVer: "junk" (invalid tag "junk" for SemVer: unexpected character 'j' while parsing major version number)
"#);
}

/// promote: 3.6.7-rc2 -> 3.6.7.
#[test]
fn promote_candidate() {
    let output = release(
        &["version", "promote", "3.6.7-rc2", "3.6.6", "3.6.7-rc1"],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    3.6.7
    "#);
}

/// promote --json.
#[test]
fn promote_json() {
    let output = release(
        &[
            "version",
            "promote",
            "--json",
            "--template",
            "v{version}",
            "v3.6.7-rc2",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
exit 0
--- stdout
{
  "format_version": 1,
  "from": "v3.6.7-rc2",
  "to": "v3.6.7",
  "version": "3.6.7"
}
"#);
}

/// The final already exists: refused, exit 1.
#[test]
fn promote_refused_when_final_exists() {
    let output = release(
        &["version", "promote", "3.6.7-rc2", "3.6.7-rc2", "3.6.7"],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 1
    --- stderr
    error: 3.6.7 is already released; nothing to promote
    "#);
}

/// The scheme requires a candidate and none exists: refused, exit 1.
#[test]
fn promote_refused_without_required_candidate() {
    let output = release(
        &[
            "version",
            "promote",
            "--require-candidate",
            "3.6.7",
            "3.6.6",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 1
    --- stderr
    error: no release candidate of 3.6.7 exists, and this scheme releases a final only by promoting a candidate
    "#);
}

/// A refusal with --json: an error object on stdout too.
#[test]
fn promote_refused_json() {
    let output = release(
        &[
            "version",
            "promote",
            "--json",
            "--require-candidate",
            "3.6.7",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
exit 1
--- stdout
{
  "format_version": 1,
  "error": {
    "kind": "refused",
    "message": "no release candidate of 3.6.7 exists, and this scheme releases a final only by promoting a candidate"
  }
}
--- stderr
error: no release candidate of 3.6.7 exists, and this scheme releases a final only by promoting a candidate
"#);
}

/// The latest candidate of the final is the one promoted.
#[test]
fn promote_final_with_required_candidate_from_stdin() {
    let output = release(
        &[
            "version",
            "promote",
            "--json",
            "--require-candidate",
            "3.6.7",
        ],
        Some("3.6.6\n3.6.7-rc1\n3.6.7-rc2\n"),
    );
    assert_snapshot!(output, @r#"
exit 0
--- stdout
{
  "format_version": 1,
  "from": "3.6.7-rc2",
  "to": "3.6.7",
  "version": "3.6.7"
}
"#);
}

/// The subject of promote must be valid.
#[test]
fn promote_invalid_tag_is_exit_2() {
    let output = release(&["version", "promote", "3.6.x"], None);
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: invalid tag "3.6.x" for SemVer: unexpected character 'x' while parsing patch version number
    "#);
}

/// floating: the newest final moves every floating tag.
#[test]
fn floating_newest() {
    let output = release(&["version", "floating", "3.6.7", "3.5.9", "3.6.6"], None);
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    3.6
    3
    latest
    "#);
}

/// A hotfix of an old line moves only its own line.
#[test]
fn floating_hotfix_of_old_line() {
    let output = release(
        &[
            "version",
            "floating",
            "--template",
            "v{version}",
            "v3.5.10",
            "v3.5.9",
            "v3.6.7",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    v3.5
    "#);
}

/// floating --json for CalVer.
#[test]
fn floating_json_calver() {
    let output = release(
        &[
            "version",
            "floating",
            "--json",
            "--format",
            "YYYY.0M.MICRO",
            "2023.06.2",
            "2023.06.1",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
exit 0
--- stdout
{
  "format_version": 1,
  "tag": "2023.06.2",
  "floating": [
    "2023.06",
    "latest"
  ]
}
"#);
}

/// 2023.6.2 is production-grade; the style rule only warns about padding.
#[test]
fn check_production_grade_with_style_warning() {
    let output = release(
        &[
            "version",
            "check",
            "--production-grade",
            "--style-calver",
            "YYYY.0M.MICRO",
            "2023.6.2",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 0
    --- stdout
    2023.6.2: accepted
      ok   production-grade: "2023.6.2" matches ^[0-9]+\.[0-9]+\.[0-9]+$
      warn calver YYYY.0M.MICRO: invalid version "2023.6.2" for format YYYY.0M.MICRO: the month "6" at byte 5 is not zero-padded, but 0M is written with two digits
    "#);
}

/// A candidate is not production-grade: exit 1.
#[test]
fn check_candidate_is_rejected() {
    let output = release(
        &[
            "version",
            "check",
            "--production-grade",
            "--style-calver",
            "YYYY.0M.MICRO",
            "2023.06.2-rc1",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 1
    --- stdout
    2023.06.2-rc1: rejected
      FAIL production-grade: "2023.06.2-rc1" does not match ^[0-9]+\.[0-9]+\.[0-9]+$
      ok   calver YYYY.0M.MICRO: "2023.06.2-rc1" is a version of format YYYY.0M.MICRO
    "#);
}

/// check --json.
#[test]
fn check_json() {
    let output = release(
        &[
            "version",
            "check",
            "--json",
            "--production-grade",
            "--style-calver",
            "YYYY.0M.MICRO",
            "2023.6.2",
            "2023.06.2-rc1",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
exit 1
--- stdout
{
  "format_version": 1,
  "accepted": false,
  "tags": [
    {
      "tag": "2023.6.2",
      "accepted": true,
      "verdicts": [
        {
          "rule": "production-grade",
          "severity": "hard",
          "passed": true,
          "detail": "\"2023.6.2\" matches ^[0-9]+\\.[0-9]+\\.[0-9]+$"
        },
        {
          "rule": "calver YYYY.0M.MICRO",
          "severity": "style",
          "passed": false,
          "detail": "invalid version \"2023.6.2\" for format YYYY.0M.MICRO: the month \"6\" at byte 5 is not zero-padded, but 0M is written with two digits"
        }
      ]
    },
    {
      "tag": "2023.06.2-rc1",
      "accepted": false,
      "verdicts": [
        {
          "rule": "production-grade",
          "severity": "hard",
          "passed": false,
          "detail": "\"2023.06.2-rc1\" does not match ^[0-9]+\\.[0-9]+\\.[0-9]+$"
        },
        {
          "rule": "calver YYYY.0M.MICRO",
          "severity": "style",
          "passed": true,
          "detail": "\"2023.06.2-rc1\" is a version of format YYYY.0M.MICRO"
        }
      ]
    }
  ]
}
"#);
}

/// User patterns and a required CalVer format, tags from stdin.
#[test]
fn check_patterns_and_required_calver() {
    let output = release(
        &[
            "version",
            "check",
            "--pattern",
            "no-v=^[0-9]",
            "--style-pattern",
            "short=^.{0,10}$",
            "--require-calver",
            "YYYY.MM.MICRO",
        ],
        Some("2023.6.2\nv2023.6.2\n"),
    );
    assert_snapshot!(output, @r#"
    exit 1
    --- stdout
    2023.6.2: accepted
      ok   no-v: "2023.6.2" matches ^[0-9]
      ok   calver YYYY.MM.MICRO: "2023.6.2" is a version of format YYYY.MM.MICRO
      ok   short: "2023.6.2" matches ^.{0,10}$
    v2023.6.2: rejected
      FAIL no-v: "v2023.6.2" does not match ^[0-9]
      FAIL calver YYYY.MM.MICRO: invalid version "v2023.6.2" for format YYYY.MM.MICRO: expected a four-digit year (YYYY) at byte 0, found "v202"
      ok   short: "v2023.6.2" matches ^.{0,10}$
    "#);
}

/// An invalid regex is bad input.
#[test]
fn check_invalid_pattern_is_exit_2() {
    let output = release(&["version", "check", "--pattern", "bad=(", "1.2.3"], None);
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: invalid pattern "(": unclosed group
    "#);
}

/// At least one rule.
#[test]
fn check_without_rules_is_exit_2() {
    let output = release(&["version", "check", "1.2.3"], None);
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: no rules to check against: give --production-grade, --pattern, --require-calver, --style-pattern or --style-calver
    "#);
}

/// An invalid CalVer format names the format.
#[test]
fn invalid_calver_format_is_exit_2() {
    let output = release(
        &["version", "latest", "--format", "YYYY.BAD", "2023.1"],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: invalid CalVer format "YYYY.BAD": unknown token at byte 5: "BAD" (tokens: YYYY, YY, 0Y, MM, 0M, WW, 0W, DD, 0D, MICRO)
    "#);
}

/// An invalid template names the template.
#[test]
fn invalid_template_is_exit_2() {
    let output = release(
        &["version", "latest", "--template", "release-{name}", "1.2.3"],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: invalid tag template "release-{name}": it has no {version} placeholder
    "#);
}

/// A {component} template needs --component.
#[test]
fn component_template_needs_component() {
    let output = release(
        &[
            "version",
            "latest",
            "--template",
            "{component}-v{version}",
            "be-v1.2.3",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: --template "{component}-v{version}" contains {component}; give --component NAME
    "#);
}

/// --scheme semver with a CalVer format.
#[test]
fn conflicting_scheme_options_are_exit_2() {
    let output = release(
        &[
            "version",
            "latest",
            "--scheme",
            "semver",
            "--format",
            "YYYY.0M.MICRO",
            "2023.06.1",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: --format "YYYY.0M.MICRO" is a CalVer format, but --scheme is semver
    "#);
}

/// A missing --commits file is bad input.
#[test]
fn unreadable_commits_file_is_exit_2() {
    let output = release(
        &[
            "version",
            "next",
            "--commits",
            "/nonexistent/commits.txt",
            "1.2.3",
        ],
        None,
    );
    assert_snapshot!(output, @r#"
    exit 2
    --- stderr
    error: could not read commit messages from "/nonexistent/commits.txt": No such file or directory (os error 2)
    "#);
}

/// With --json a failure is also an error object on stdout.
#[test]
fn json_error_shape() {
    let output = release(&["--json", "version", "floating", "3.6"], None);
    assert_snapshot!(output, @r#"
exit 2
--- stdout
{
  "format_version": 1,
  "error": {
    "kind": "parse",
    "message": "invalid tag \"3.6\" for SemVer: unexpected end of input while parsing minor version number"
  }
}
--- stderr
error: invalid tag "3.6" for SemVer: unexpected end of input while parsing minor version number
"#);
}

/// clap's usage errors exit 2 and name the argument (the rest of clap's
/// message is clap's to word).
#[test]
fn unknown_flag_is_exit_2() {
    let (code, stdout, stderr) = run(&["version", "latest", "--frob"], None);
    assert_eq!(code, 2);
    assert_eq!(stdout, "");
    assert_snapshot!(stderr.lines().next().unwrap_or(""), @"error: unexpected argument '--frob' found");
}

/// Help is not an error.
#[test]
fn help_exits_0() {
    let (code, stdout, _) = run(&["version", "next", "--help"], None);
    assert_eq!(code, 0);
    assert!(stdout.contains("--date <YYYY-MM-DD>"));
}

/// The JSON of every subcommand parses, so scripts can rely on it.
#[test]
fn json_is_json() {
    let cases: &[&[&str]] = &[
        &["version", "parse", "--json", "1.2.3"],
        &["version", "next", "--json", "--level", "patch", "1.2.3"],
        &["version", "latest", "--json", "1.2.3"],
        &["version", "sort", "--json", "1.2.3", "x"],
        &["version", "promote", "--json", "1.2.3-rc.1"],
        &["version", "floating", "--json", "1.2.3"],
        &["version", "check", "--json", "--production-grade", "1.2.3"],
        &["version", "promote", "--json", "nope"],
    ];
    for args in cases {
        let (_, stdout, _) = run(args, None);
        assert!(
            stdout.starts_with('{') || stdout.starts_with('['),
            "{args:?}: {stdout}"
        );
        assert!(
            stdout.trim_end().ends_with(['}', ']']),
            "{args:?}: {stdout}"
        );
    }
}

/// `--stage` moves within a stage and to later ones, and starts a stage of
/// the next version with `--level`; it never goes back.
#[test]
fn next_moves_through_the_stages() {
    let next = |args: &[&str]| {
        let mut all = vec!["version", "next"];
        all.extend_from_slice(args);
        release(&all, None)
    };
    let pep440 = ["--scheme", "pep440", "--template", "v{version}"];
    let with = |extra: &[&'static str]| [&pep440[..], extra].concat();
    assert_snapshot!(next(&with(&["--stage", "b", "v3.14.0a7", "v3.13.5"])), @r"
    exit 0
    --- stdout
    v3.14.0b1
    ");
    assert_snapshot!(next(&with(&["--stage", "b", "v3.14.0b3"])), @r"
    exit 0
    --- stdout
    v3.14.0b4
    ");
    assert_snapshot!(next(&with(&["--stage", "final", "v3.14.0rc3"])), @r"
    exit 0
    --- stdout
    v3.14.0
    ");
    assert_snapshot!(next(&with(&["--level", "minor", "--stage", "a", "v3.13.5"])), @r"
    exit 0
    --- stdout
    v3.14.0a1
    ");
    assert_snapshot!(next(&with(&["--stage", "a", "v3.14.0b1"])), @r#"
    exit 1
    --- stderr
    error: 3.14.0b1 is at stage b 1; moving to "a" would go backwards (stages go a, b, rc, then final)
    "#);
    let staged = ["--stages", "alpha,beta,rc"];
    assert_snapshot!(next(&[&staged[..], &["--stage", "rc", "1.0.0-beta.2"]].concat()), @r"
    exit 0
    --- stdout
    1.0.0-rc.1
    ");
    assert_snapshot!(next(&[&staged[..], &["--level", "minor", "--stage", "hotfix", "1.0.0"]].concat()), @r#"
    exit 1
    --- stderr
    error: release kind minor hotfix: "hotfix" is not a stage of SemVer (its stages: alpha, beta, rc, then final)
    "#);
    assert_snapshot!(next(&["--stage", "rc"]), @r"
    exit 2
    --- stderr
    error: --stage moves the current version to a stage, and no tag of the scheme was given; add --level to start a new version at that stage
    ");
    assert_snapshot!(next(&["--scheme", "pep440", "--stages", "alpha", "--level", "patch", "1.0"]), @r"
    exit 2
    --- stderr
    error: --stages applies to SemVer and CalVer; PEP 440's stages are a, b and rc
    ");
}

/// A scheme with declared stages leaves out labels outside them (and
/// other spellings of them), said in one line; `--lenient-stages` reads
/// them with a warning each.
#[test]
fn declared_stages_strict_and_lenient() {
    let tags = ["1.0.0-RC.1", "1.0.0-beta.1", "1.0.0-hotfix.1"];
    let strict = release(
        &[&["version", "sort", "--stages", "alpha,beta,rc"][..], &tags].concat(),
        None,
    );
    assert_snapshot!(strict, @r#"
    exit 0
    --- stdout
    1.0.0-beta.1
    --- stderr
    note: 2 of 3 tags left out, not of SemVer (stages alpha, beta, rc): "1.0.0-RC.1" (invalid tag "1.0.0-RC.1" for SemVer (stages alpha, beta, rc): its pre-release label is not one of the scheme's stages (set candidates.lenient_stages to read it with a warning)), "1.0.0-hotfix.1" (invalid tag "1.0.0-hotfix.1" for SemVer (stages alpha, beta, rc): its pre-release label is not one of the scheme's stages (set candidates.lenient_stages to read it with a warning))
    "#);
    let lenient = release(
        &[
            &[
                "--json",
                "version",
                "latest",
                "--stages",
                "alpha,beta,rc",
                "--lenient-stages",
            ][..],
            &tags,
        ]
        .concat(),
        None,
    );
    assert_snapshot!(lenient, @r#"
exit 0
--- stdout
{
  "format_version": 1,
  "tag": "1.0.0-RC.1",
  "version": "1.0.0-RC.1",
  "warnings": [
    {
      "kind": "lenient_read",
      "message": "the pre-release label of 1.0.0-RC.1 is the stage \"rc\" spelled otherwise; write \"rc\"",
      "input": "1.0.0-RC.1"
    },
    {
      "kind": "lenient_read",
      "message": "the pre-release label \"hotfix\" of 1.0.0-hotfix.1 is not a stage of SemVer (its stages: alpha, beta, rc)",
      "input": "1.0.0-hotfix.1"
    }
  ]
}
--- stderr
warning: the pre-release label of 1.0.0-RC.1 is the stage "rc" spelled otherwise; write "rc"
warning: the pre-release label "hotfix" of 1.0.0-hotfix.1 is not a stage of SemVer (its stages: alpha, beta, rc)
"#);
}
