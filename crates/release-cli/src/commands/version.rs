//! `release version ...`: reading, sorting, bumping, promoting and checking
//! version tags. Every decision is release-core's; this module reads the
//! inputs, calls it, and shapes the answer.
//!
//! The JSON shapes printed here are part of the CLI's interface: objects
//! with named fields, documented on each `*Doc` type. Add fields, never
//! rename or remove them.

use std::collections::BTreeMap;

use anyhow::{Context, Result, bail};
use release_core::version::{
    Change, Classification, HotfixStyle, Level, Rejected, ReleaseKind, RuleVerdict, Scheme,
    Severity, Tag, TagRule, TagScheme, Version, bump_level, classify,
};
use serde::Serialize;

use super::Status;
use crate::args::parse_date;
use crate::git;
use crate::input;
use crate::output::Out;
use crate::scheme::SchemeArgs;
use crate::vocab_arg;
use chrono::NaiveDate;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};

/// The subcommands of `release version`.
#[derive(Debug, Subcommand)]
pub enum VersionCommand {
    /// Read tags and show what each one says: kind, version, pre-release,
    /// build, warnings.
    Parse(ParseArgs),
    /// Compute the next version after the latest of the given tags.
    Next(NextArgs),
    /// Print the latest of the given tags, as written.
    Latest(LatestArgs),
    /// Print the valid tags in version order, oldest first.
    Sort(SortArgs),
    /// Promote a release candidate to its final (3.6.7-rc2 -> 3.6.7).
    Promote(PromoteArgs),
    /// The floating tags a final should move (3.6.7 -> 3.6, 3, latest).
    Floating(FloatingArgs),
    /// Classify tags against hard rules (which decide) and style rules
    /// (which warn).
    Check(CheckArgs),
}

/// Arguments of `release version parse`.
#[derive(Debug, Args)]
pub struct ParseArgs {
    /// Tags to read; from stdin, one per line, when none are given. Every
    /// one must be valid.
    #[arg(value_name = "TAG")]
    pub tags: Vec<String>,
    /// The scheme the tags are read with.
    #[command(flatten)]
    pub scheme: SchemeArgs,
}

/// Arguments of `release version next`.
#[derive(Debug, Args)]
pub struct NextArgs {
    /// Existing tags; the latest one of the scheme is the current version.
    /// From stdin when none are given (unless `--commits -` reads stdin);
    /// when stdin holds none either, from the git repository of the
    /// current directory if it is the top of one (see `--repo`).
    #[arg(value_name = "TAG")]
    pub tags: Vec<String>,

    /// Read the tags from this git repository (`git for-each-ref`) and,
    /// unless the bump is given (`--level`, `--commits`, `--commit`,
    /// `--date`), bump by the commits since the current tag (`git log`).
    #[arg(long, value_name = "DIR", conflicts_with = "tags")]
    pub repo: Option<PathBuf>,

    /// Bump by this level (SemVer; CalVer accepts patch and prerelease):
    /// major 1.2.3 -> 2.0.0, minor -> 1.3.0, patch -> 1.2.4, prerelease
    /// 1.2.3-rc.1 -> 1.2.3-rc.2 (from a final: the next patch's rc.1).
    #[arg(long, value_name = "LEVEL", value_parser = vocab_arg::names::<Level>(), conflicts_with_all = ["commits", "commit", "date"])]
    pub level: Option<Level>,

    /// Conventional-commit messages since the current version: a file, or
    /// `-` for stdin. One subject per line, or NUL-separated full messages
    /// (`git log -z --format=%B`).
    #[arg(long, value_name = "FILE|-")]
    pub commits: Option<PathBuf>,

    /// One conventional-commit message (repeatable; adds to `--commits`).
    #[arg(long, value_name = "MSG")]
    pub commit: Vec<String>,

    /// The release date, YYYY-MM-DD (CalVer). Required for CalVer: the date
    /// is never read from the clock.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_date)]
    pub date: Option<NaiveDate>,

    /// Start a pre-release of the computed next version (1.5.0 -> 1.5.0-rc.1).
    #[arg(long)]
    pub pre: bool,

    /// Move to this pre-release stage (or `final`): within the current
    /// stage the counter goes up (3.14.0b3 -> 3.14.0b4), to a later one its
    /// first (3.14.0a7 --stage b -> 3.14.0b1, 1.0.0-beta.2 --stage rc ->
    /// 1.0.0-rc.1), never back to an earlier one. With --level, the first
    /// pre-release of that stage of the level's next version (1.2.3
    /// --level minor --stage beta -> 1.3.0-beta.1). The stages are PEP
    /// 440's (a, b, rc) or those of --stages.
    #[arg(long, value_name = "STAGE", conflicts_with_all = ["commits", "commit", "date", "pre"])]
    pub stage: Option<String>,

    /// Number a hotfix of `--base` instead of the next release: patch, the
    /// next patch of the base's line (1.4.0 with 1.4.1 out -> 1.4.2), or
    /// suffix, a `-hotfix.N` suffix on the base (1.4.0 -> 1.4.0-hotfix.1).
    #[arg(long, value_name = "STYLE", value_parser = vocab_arg::names::<HotfixStyle>(), requires = "base", conflicts_with_all = ["level", "commits", "commit", "date", "pre"])]
    pub hotfix: Option<HotfixStyle>,

    /// The tag a hotfix is based on (with `--hotfix`).
    #[arg(long, value_name = "TAG", requires = "hotfix")]
    pub base: Option<String>,

    /// The scheme of the tags and of the next version.
    #[command(flatten)]
    pub scheme: SchemeArgs,
}

/// Arguments of `release version latest`.
#[derive(Debug, Args)]
pub struct LatestArgs {
    /// Tags to choose from; from stdin when none are given.
    #[arg(value_name = "TAG")]
    pub tags: Vec<String>,
    /// Ignore pre-releases.
    #[arg(long)]
    pub no_prereleases: bool,
    /// The scheme of the tags.
    #[command(flatten)]
    pub scheme: SchemeArgs,
}

/// Arguments of `release version sort`.
#[derive(Debug, Args)]
pub struct SortArgs {
    /// Tags to sort; from stdin when none are given.
    #[arg(value_name = "TAG")]
    pub tags: Vec<String>,
    /// Newest first.
    #[arg(long)]
    pub reverse: bool,
    /// List the tags that are not of the scheme, with reasons, on stderr.
    #[arg(long)]
    pub show_rejected: bool,
    /// The scheme of the tags.
    #[command(flatten)]
    pub scheme: SchemeArgs,
}

/// Arguments of `release version promote`.
#[derive(Debug, Args)]
pub struct PromoteArgs {
    /// The candidate to promote (or a final, to check that it may be
    /// released).
    #[arg(value_name = "TAG")]
    pub tag: String,
    /// Existing tags; from stdin when none are given.
    #[arg(value_name = "EXISTING")]
    pub existing: Vec<String>,
    /// The scheme of the tags.
    #[command(flatten)]
    pub scheme: SchemeArgs,
}

/// Arguments of `release version floating`.
#[derive(Debug, Args)]
pub struct FloatingArgs {
    /// The final being released.
    #[arg(value_name = "TAG")]
    pub tag: String,
    /// Existing tags; from stdin when none are given.
    #[arg(value_name = "EXISTING")]
    pub existing: Vec<String>,
    /// The scheme of the tags.
    #[command(flatten)]
    pub scheme: SchemeArgs,
}

/// Arguments of `release version check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Tags to classify; from stdin when none are given.
    #[arg(value_name = "TAG")]
    pub tags: Vec<String>,
    /// Hard rule: the tag's CI slug matches ^[0-9]+\.[0-9]+\.[0-9]+$.
    #[arg(long)]
    pub production_grade: bool,
    /// Hard rule: the tag matches REGEX (anchor it with ^...$).
    #[arg(long, value_name = "NAME=REGEX", value_parser = parse_named)]
    pub pattern: Vec<(String, String)>,
    /// Hard rule: the tag is a version of this CalVer format.
    #[arg(long, value_name = "FORMAT")]
    pub require_calver: Vec<String>,
    /// Style rule (warns): the tag matches REGEX.
    #[arg(long, value_name = "NAME=REGEX", value_parser = parse_named)]
    pub style_pattern: Vec<(String, String)>,
    /// Style rule (warns): the tag is a version of this CalVer format.
    #[arg(long, value_name = "FORMAT")]
    pub style_calver: Vec<String>,
}

fn parse_named(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, regex)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), regex.to_owned()))
        }
        _ => Err(format!("invalid rule {text:?}: expected NAME=REGEX")),
    }
}

/// Runs one `release version` subcommand.
///
/// # Errors
///
/// Bad input, or a refusal from release-core; the caller chooses the exit
/// code from the error.
pub fn run(command: VersionCommand, out: &mut Out) -> Result<Status> {
    match command {
        VersionCommand::Parse(args) => parse(args, out),
        VersionCommand::Next(args) => next(args, out),
        VersionCommand::Latest(args) => latest(args, out),
        VersionCommand::Sort(args) => sort(args, out),
        VersionCommand::Promote(args) => promote(args, out),
        VersionCommand::Floating(args) => floating(args, out),
        VersionCommand::Check(args) => check(args, out),
    }
}

// ---------------------------------------------------------------- parse

/// One entry of `parse --json` (an array of these, in input order).
#[derive(Serialize)]
#[serde(untagged)]
enum ParsedDoc {
    Valid(ValidDoc),
    Invalid(InvalidDoc),
}

/// A tag that was read.
#[derive(Serialize)]
struct ValidDoc {
    /// The tag as given.
    tag: String,
    /// Always `true`.
    valid: bool,
    /// `semver` or `calver`.
    kind: &'static str,
    /// The `{version}` part of the tag, as written.
    version: String,
    /// The pre-release as written (`rc1`), or null.
    prerelease: Option<String>,
    /// SemVer build metadata, or null.
    build: Option<String>,
    /// The numbers: `major`, `minor`, `patch` for SemVer; `year` and those
    /// of `month`, `week`, `day`, `micro` that the format has, for CalVer.
    parts: PartsDoc,
    /// Free template placeholders captured from the tag (`{name}`).
    fields: BTreeMap<String, String>,
    /// Warnings about the spelling.
    warnings: Vec<String>,
}

/// A tag that could not be read.
#[derive(Serialize)]
struct InvalidDoc {
    /// The tag as given.
    tag: String,
    /// Always `false`.
    valid: bool,
    /// Why.
    error: ErrorDoc,
}

#[derive(Serialize)]
struct ErrorDoc {
    kind: &'static str,
    message: String,
}

/// The numbers of a version; only those the version has are written.
#[derive(Serialize, Default)]
struct PartsDoc {
    #[serde(skip_serializing_if = "Option::is_none")]
    major: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    minor: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    patch: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    year: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    month: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    week: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    day: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    micro: Option<u64>,
}

impl PartsDoc {
    fn of(version: &Version) -> PartsDoc {
        if let Some(v) = version.as_semver() {
            PartsDoc {
                major: Some(v.major()),
                minor: Some(v.minor()),
                patch: Some(v.patch()),
                ..PartsDoc::default()
            }
        } else if let Some(v) = version.as_calver() {
            PartsDoc {
                year: Some(v.year()),
                month: v.month(),
                week: v.week(),
                day: v.day(),
                micro: v.micro(),
                ..PartsDoc::default()
            }
        } else {
            PartsDoc::default()
        }
    }

    /// `major 1, minor 2, patch 3`, in the order of the fields.
    fn human(&self) -> String {
        let text = |n: Option<u64>| n.map(|n| n.to_string());
        let named = [
            ("major", text(self.major)),
            ("minor", text(self.minor)),
            ("patch", text(self.patch)),
            ("year", self.year.map(|y| y.to_string())),
            ("month", text(self.month.map(u64::from))),
            ("week", text(self.week.map(u64::from))),
            ("day", text(self.day.map(u64::from))),
            ("micro", text(self.micro)),
        ];
        named
            .iter()
            .filter_map(|(name, value)| value.as_ref().map(|v| format!("{name} {v}")))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn describe(tag: &Tag) -> ValidDoc {
    let version = tag.version();
    ValidDoc {
        tag: tag.as_str().to_owned(),
        valid: true,
        kind: version.kind(),
        version: version.to_string(),
        prerelease: version.prerelease().map(str::to_owned),
        build: version
            .as_semver()
            .and_then(|v| v.build())
            .map(str::to_owned),
        parts: PartsDoc::of(version),
        fields: tag.fields().iter().cloned().collect(),
        warnings: version.warnings().into_iter().map(|w| w.message).collect(),
    }
}

fn parse(args: ParseArgs, out: &mut Out) -> Result<Status> {
    let scheme = args.scheme.tag_scheme()?;
    let tags = input::tags(args.tags)?;
    if tags.is_empty() {
        bail!("no tags to read: give TAG arguments or pipe tags on stdin");
    }
    let mut docs = Vec::with_capacity(tags.len());
    let mut errors = Vec::new();
    for text in &tags {
        match scheme.parse(text) {
            Ok(tag) => docs.push(ParsedDoc::Valid(describe(&tag))),
            Err(err) => {
                docs.push(ParsedDoc::Invalid(InvalidDoc {
                    tag: text.clone(),
                    valid: false,
                    error: ErrorDoc {
                        kind: err.kind().as_str(),
                        message: err.to_string(),
                    },
                }));
                errors.push(err);
            }
        }
    }
    if out.is_json() {
        out.json(&docs)?;
    } else {
        let mut first = true;
        for doc in &docs {
            let ParsedDoc::Valid(doc) = doc else { continue };
            if !first {
                out.line("")?;
            }
            first = false;
            print_parsed(doc, out)?;
        }
    }
    for err in &errors {
        out.note(format_args!("error: {err}"));
    }
    Ok(if errors.is_empty() {
        Status::Done
    } else {
        Status::Invalid
    })
}

fn print_parsed(doc: &ValidDoc, out: &mut Out) -> Result<()> {
    let none = || "none".to_owned();
    out.line(&doc.tag)?;
    out.line(format_args!("  kind:       {}", doc.kind))?;
    out.line(format_args!("  version:    {}", doc.version))?;
    out.line(format_args!("  parts:      {}", doc.parts.human()))?;
    out.line(format_args!(
        "  prerelease: {}",
        doc.prerelease.clone().unwrap_or_else(none)
    ))?;
    out.line(format_args!(
        "  build:      {}",
        doc.build.clone().unwrap_or_else(none)
    ))?;
    for (name, value) in &doc.fields {
        out.line(format_args!("  {{{name}}}: {value}"))?;
    }
    for warning in &doc.warnings {
        out.line(format_args!("  warning:    {warning}"))?;
    }
    Ok(())
}

// ---------------------------------------------------------------- next

/// The answer of `next --json`.
#[derive(Serialize)]
struct NextDoc {
    /// The latest of the given tags (the current version), or null for a
    /// first release.
    current: Option<String>,
    /// The next `{version}`, or null when no commit calls for a release.
    version: Option<String>,
    /// The next tag, or null when no commit calls for a release.
    tag: Option<String>,
    /// The SemVer level applied (given by `--level` or called for by the
    /// commits), or null.
    level: Option<Level>,
}

/// The tags of `version next`: the arguments; else from `--repo`; else
/// stdin (unless `--commits -` reads it); else, when stdin held none, the
/// current directory's git repository when it is the top of one. The
/// repository is returned when the tags came from one.
fn next_tags(args: &NextArgs) -> Result<(Vec<String>, Option<git::Repo>)> {
    if !args.tags.is_empty() {
        return Ok((args.tags.clone(), None));
    }
    if let Some(dir) = &args.repo {
        let repo = git::Repo::open(dir).context("--repo")?;
        return Ok((repo.tags()?, Some(repo)));
    }
    // With `--commits -` stdin holds the commits.
    if input::is_stdin(args.commits.as_deref()) {
        return Ok((Vec::new(), None));
    }
    let piped = input::tags(Vec::new())?;
    if !piped.is_empty() {
        return Ok((piped, None));
    }
    match git::Repo::here(Path::new(".")) {
        Some(repo) => Ok((repo.tags()?, Some(repo))),
        None => Ok((Vec::new(), None)),
    }
}

/// The commit messages `version next` bumps by: `--commits` and
/// `--commit`; else, with tags from git and no `--level`, git's commits
/// since the current tag: for SemVer and PEP 440 without `--date`, and for
/// CalVer with it (the date makes the version, the commits say whether
/// there is a release, as `release next` reads them); else none (the bump
/// is said otherwise).
fn next_commits(
    args: &NextArgs,
    repo: Option<&git::Repo>,
    current: Option<&Tag>,
    calver: bool,
) -> Result<Option<Vec<String>>> {
    if args.commits.is_some() || !args.commit.is_empty() {
        return input::commits(args.commits.as_deref(), &args.commit).map(Some);
    }
    match repo {
        Some(repo) if args.level.is_none() && (args.date.is_none() != calver) => {
            repo.commits_since(current.map(Tag::as_str), None).map(Some)
        }
        _ => Ok(None),
    }
}

fn next(args: NextArgs, out: &mut Out) -> Result<Status> {
    let tags = args.scheme.tag_scheme()?;
    let scheme = tags.scheme();
    let calver = matches!(scheme, Scheme::CalVer(_));
    if args.date.is_some() && !calver {
        bail!(
            "--date applies to CalVer schemes (give --format); SemVer bumps by --level or commits"
        );
    }
    if args.pre && args.level == Some(Level::Prerelease) {
        bail!(
            "--pre starts a pre-release of the next version; --level prerelease already gives one"
        );
    }
    let (texts, repo) = next_tags(&args)?;
    let list = tags.parse_all(texts.iter().map(String::as_str));
    crate::rejected::report_list(&tags.describe(), texts.len(), &list);
    let existing = list.versions();
    let current_tag = list.latest(true);
    let current = current_tag.map(Tag::version);

    let mut applied = None;
    let mut commits_read = None;
    let next = if let Some(style) = args.hotfix {
        let base = args.base.context("--hotfix needs --base TAG")?;
        let base = tags.parse(&base)?;
        Some(scheme.hotfix(base.version(), &existing, style)?)
    } else if let Some(messages) = next_commits(&args, repo.as_ref(), current_tag, calver)? {
        commits_read = Some(messages.len());
        let changes: Vec<Change> = messages.iter().map(|m| Change::parse(m)).collect();
        if calver && args.date.is_none() {
            bail!(
                "a CalVer version follows the release date: give --date YYYY-MM-DD with the commits (release never reads the clock)"
            );
        }
        if !calver {
            applied = bump_level(&changes, current);
        }
        // The commits decide whether there is a release; SemVer takes
        // their level, CalVer the date (one core call, as Python's).
        scheme.next_from_changes(current, &changes, &existing, args.date)?
    } else if let Some(stage) = &args.stage {
        applied = args.level;
        Some(to_stage(scheme, current, &existing, args.level, stage)?)
    } else if let Some(arg) = args.level {
        applied = Some(arg);
        Some(scheme.next(current, arg)?)
    } else if let Some(date) = args.date {
        Some(scheme.next_for_date(date, &existing)?)
    } else if calver {
        bail!(
            "a CalVer version follows the release date: give --date YYYY-MM-DD (release never reads the clock), or --level patch|prerelease"
        );
    } else {
        bail!(
            "say how to bump: --level major|minor|patch|prerelease, or conventional commits with --commits FILE|- or --commit MSG"
        );
    };
    let next = match next {
        Some(version) if args.pre => Some(scheme.start_prerelease(&version)?),
        other => other,
    };
    let tag = next.as_ref().map(|v| tags.tag(v)).transpose()?;
    if out.is_json() {
        out.json(&NextDoc {
            current: current_tag.map(|t| t.as_str().to_owned()),
            version: next.as_ref().map(Version::to_string),
            tag,
            level: applied,
        })?;
    } else if let Some(tag) = tag {
        out.line(tag)?;
    } else {
        let from_git = repo.is_some() && args.commits.is_none() && args.commit.is_empty();
        out.line(match commits_read.unwrap_or(0) {
            0 if from_git => match current_tag {
                Some(tag) => format!("no release: no commits since {}", tag.as_str()),
                None => "no release: the repository has no commits".to_owned(),
            },
            0 => "no release: no commit messages were given".to_owned(),
            1 => "no release: the commit message does not call for one".to_owned(),
            n => format!("no release: none of the {n} commit messages calls for one"),
        })?;
    }
    Ok(Status::Done)
}

/// The version of `--stage STAGE`: the current version moved to the stage,
/// or with `--level` the kind "level + stage" after it.
fn to_stage(
    scheme: &Scheme,
    current: Option<&Version>,
    existing: &[Version],
    level: Option<Level>,
    stage: &str,
) -> Result<Version> {
    match level {
        Some(_) if stage.eq_ignore_ascii_case("final") => {
            bail!("--stage final with --level is the level's final: leave --stage out")
        }
        Some(level) => Ok(ReleaseKind::new(level)
            .with_prerelease(stage)
            .next(scheme, current, existing)?),
        None => {
            let current = current.context(
                "--stage moves the current version to a stage, and no tag of the scheme was given; add --level to start a new version at that stage",
            )?;
            Ok(scheme.move_to_stage(current, stage)?)
        }
    }
}

// ---------------------------------------------------------------- latest

/// The answer of `latest --json`; both null when no tag is of the scheme.
#[derive(Serialize)]
struct LatestDoc {
    /// The latest tag, as given.
    tag: Option<String>,
    /// Its `{version}` part.
    version: Option<String>,
}

fn latest(args: LatestArgs, out: &mut Out) -> Result<Status> {
    let scheme = args.scheme.tag_scheme()?;
    let tags = input::tags(args.tags)?;
    let list = scheme.parse_all(tags.iter().map(String::as_str));
    crate::rejected::report_list(&scheme.describe(), tags.len(), &list);
    let found = scheme.latest(&tags, !args.no_prereleases);
    let doc = LatestDoc {
        tag: found.as_ref().map(|(i, _)| tags[*i].clone()),
        version: found.as_ref().map(|(_, v)| v.to_string()),
    };
    if out.is_json() {
        out.json(&doc)?;
    } else if let Some(tag) = &doc.tag {
        out.line(tag)?;
    }
    if doc.tag.is_none() {
        let what = if args.no_prereleases {
            "final tag"
        } else {
            "tag"
        };
        out.note(format_args!(
            "no {what} of {} found ({} read)",
            scheme.describe(),
            tags.len()
        ));
        return Ok(Status::Blocked);
    }
    Ok(Status::Done)
}

// ---------------------------------------------------------------- sort

/// The answer of `sort --json`.
#[derive(Serialize)]
struct SortDoc {
    /// The valid tags in order (the tags that are not of the scheme are
    /// the answer's `rejected` array, in input order).
    tags: Vec<TagDoc>,
}

#[derive(Serialize)]
struct TagDoc {
    tag: String,
    version: String,
}

/// The library's bulk path ([`TagScheme::sort_with_unread`]): no tag text
/// copied and no reason built for a rejected tag except the few the stderr
/// note shows, or all of them when the answer lists them (`--json`,
/// `--show-rejected`).
fn sort(args: SortArgs, out: &mut Out) -> Result<Status> {
    let scheme = args.scheme.tag_scheme()?;
    let list = input::tag_list(args.tags)?;
    let tags = list.tags();
    let lenient = scheme.scheme().candidates().lenient_stages;
    // The text answer is the tags themselves: their order is enough, and
    // not moving 100,000 versions into place is a third of the work.
    let (mut order, mut versions, unread) = if out.is_json() || lenient {
        let (sorted, unread) = scheme.sort_with_unread(&tags);
        let (order, versions): (Vec<usize>, Vec<Version>) = sorted.into_iter().unzip();
        (order, versions, unread)
    } else {
        let (order, unread) = scheme.order_with_unread(&tags);
        (order, Vec::new(), unread)
    };
    let listed = match out.is_json() || args.show_rejected {
        true => unread.len(),
        false => Rejected::SHOWN,
    };
    let rejected: Vec<Rejected> = unread
        .iter()
        .take(listed)
        .filter_map(|&i| scheme.rejected(tags[i]))
        .collect();
    crate::rejected::report_counted(&scheme.describe(), tags.len(), unread.len(), &rejected);
    if lenient {
        // In input order, as `parse_all` gives them.
        let mut read: Vec<(usize, &Version)> = order.iter().copied().zip(&versions).collect();
        read.sort_unstable_by_key(|(i, _)| *i);
        crate::warnings::report(read.into_iter().flat_map(|(i, version)| {
            let tag = tags[i];
            scheme
                .scheme()
                .stage_warnings(version)
                .into_iter()
                .map(move |mut w| {
                    w.input = Some(tag.to_owned());
                    w
                })
        }));
    }
    if args.reverse {
        order.reverse();
        versions.reverse();
    }
    if out.is_json() {
        out.json(&SortDoc {
            tags: order
                .iter()
                .zip(&versions)
                .map(|(i, version)| TagDoc {
                    tag: tags[*i].to_owned(),
                    version: version.to_string(),
                })
                .collect(),
        })?;
    } else {
        // One write: stdout is line-buffered, and a write per tag was most
        // of this command's time on 100k tags.
        let mut text = String::with_capacity(order.iter().map(|i| tags[*i].len() + 1).sum());
        for i in &order {
            text.push_str(tags[*i]);
            text.push('\n');
        }
        out.raw(&text)?;
    }
    if args.show_rejected {
        for rejected in &rejected {
            out.note(format_args!("rejected: {}", rejected.error));
        }
    }
    Ok(Status::Done)
}

// ---------------------------------------------------------------- promote

/// The answer of `promote --json`.
#[derive(Serialize)]
struct PromoteDoc {
    /// The candidate promoted, as a tag, or null when a final was given and
    /// no candidate of it exists.
    from: Option<String>,
    /// The final's tag.
    to: String,
    /// The final's `{version}`.
    version: String,
}

/// Reads the subject tag of an operation, which must be valid (unlike the
/// tags of a list, which are left out, and reported, when they are not of
/// the scheme).
fn subject(scheme: &TagScheme, text: &str) -> Result<Tag> {
    Ok(scheme.parse(text)?)
}

/// The free fields of a tag (`{name}` in `{name}-{version}`), which tags
/// derived from it keep.
fn fields(tag: &Tag) -> Vec<(&str, &str)> {
    tag.fields()
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect()
}

/// The versions of an EXISTING... list; the tags not of the scheme are
/// reported and left out.
fn existing_versions(scheme: &TagScheme, args: Vec<String>) -> Result<Vec<Version>> {
    let texts = input::tags(args)?;
    let list = scheme.parse_all(texts.iter().map(String::as_str));
    crate::rejected::report_list(&scheme.describe(), texts.len(), &list);
    Ok(list.versions())
}

fn promote(args: PromoteArgs, out: &mut Out) -> Result<Status> {
    let scheme = args.scheme.tag_scheme()?;
    let tag = subject(&scheme, &args.tag)?;
    let existing = existing_versions(&scheme, args.existing)?;
    let promotion = scheme.scheme().promote(tag.version(), &existing)?;
    let fields = fields(&tag);
    let doc = PromoteDoc {
        from: promotion
            .from
            .as_ref()
            .map(|v| scheme.tag_with(v, &fields))
            .transpose()?,
        to: scheme.tag_with(&promotion.to, &fields)?,
        version: promotion.to.to_string(),
    };
    if out.is_json() {
        out.json(&doc)?;
    } else {
        out.line(&doc.to)?;
    }
    Ok(Status::Done)
}

// ---------------------------------------------------------------- floating

/// The answer of `floating --json`.
#[derive(Serialize)]
struct FloatingDoc {
    /// The final, as given.
    tag: String,
    /// The floating tags to move to it; empty for a pre-release.
    floating: Vec<String>,
}

fn floating(args: FloatingArgs, out: &mut Out) -> Result<Status> {
    let scheme = args.scheme.tag_scheme()?;
    let tag = subject(&scheme, &args.tag)?;
    let existing = existing_versions(&scheme, args.existing)?;
    let floating = scheme.floating_tags(tag.version(), &existing, &fields(&tag))?;
    if out.is_json() {
        out.json(&FloatingDoc {
            tag: tag.as_str().to_owned(),
            floating,
        })?;
    } else {
        for t in &floating {
            out.line(t)?;
        }
    }
    Ok(Status::Done)
}

// ---------------------------------------------------------------- check

/// The answer of `check --json`.
#[derive(Serialize)]
struct CheckDoc<'a> {
    /// Whether every tag passed every hard rule.
    accepted: bool,
    /// One entry per tag, in input order.
    tags: Vec<CheckedDoc<'a>>,
}

#[derive(Serialize)]
struct CheckedDoc<'a> {
    /// The tag.
    tag: &'a str,
    /// Whether it passed every hard rule.
    accepted: bool,
    /// One verdict per rule: `rule`, `severity` (`hard` or `style`),
    /// `passed`, `detail`.
    verdicts: &'a [RuleVerdict],
}

fn rules(args: &CheckArgs) -> Result<Vec<TagRule>> {
    let mut rules = Vec::new();
    if args.production_grade {
        rules.push(TagRule::production_grade());
    }
    for (name, regex) in &args.pattern {
        rules.push(TagRule::pattern(name, Severity::Hard, regex, false)?);
    }
    for format in &args.require_calver {
        let scheme = Scheme::calver(format)?;
        rules.push(TagRule::conforms(
            &format!("calver {format}"),
            Severity::Hard,
            scheme,
        ));
    }
    for (name, regex) in &args.style_pattern {
        rules.push(TagRule::pattern(name, Severity::Style, regex, false)?);
    }
    for format in &args.style_calver {
        let scheme = Scheme::calver(format)?;
        rules.push(TagRule::conforms(
            &format!("calver {format}"),
            Severity::Style,
            scheme,
        ));
    }
    if rules.is_empty() {
        bail!(
            "no rules to check against: give --production-grade, --pattern, --require-calver, --style-pattern or --style-calver"
        );
    }
    Ok(rules)
}

fn check(args: CheckArgs, out: &mut Out) -> Result<Status> {
    let rules = rules(&args)?;
    let tags = input::tags(args.tags)?;
    if tags.is_empty() {
        bail!("no tags to check: give TAG arguments or pipe tags on stdin");
    }
    let results: Vec<Classification> = tags.iter().map(|t| classify(t, &rules)).collect();
    let accepted = results.iter().all(Classification::accepted);
    if out.is_json() {
        out.json(&CheckDoc {
            accepted,
            tags: results
                .iter()
                .map(|c| CheckedDoc {
                    tag: &c.tag,
                    accepted: c.accepted(),
                    verdicts: &c.verdicts,
                })
                .collect(),
        })?;
    } else {
        for c in &results {
            out.line(c)?;
        }
    }
    Ok(if accepted {
        Status::Done
    } else {
        Status::Blocked
    })
}
