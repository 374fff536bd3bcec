//! The command line: clap definitions and the entry point that maps
//! outcomes and errors to exit codes.

use std::path::PathBuf;
use std::process::ExitCode;

use chrono::NaiveDate;
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::commands::{self, Status};
use crate::output::{self, Out};
use crate::scheme::SchemeArgs;

/// Plan and check software releases: versions, tags, and what comes next.
#[derive(Debug, Parser)]
#[command(name = "release", version, propagate_version = true)]
#[command(after_help = "Exit codes: 0 success, 1 refused or blocked, 2 bad input.")]
pub struct Cli {
    /// Print a JSON document on stdout instead of text (shapes are stable).
    #[arg(long, global = true)]
    pub json: bool,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands. Those that take a process FILE read a `release.toml`
/// (components, environments, steps, schedules, windows, rotations,
/// milestones; see the README); errors name the file, line and column.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Validate a process file: exit 0 and a summary, or exit 2 and the
    /// first error with its file, line and column.
    Check(ProcessCheckArgs),
    /// What happens next: the release day, who is on duty, the milestones,
    /// the next version of each component, and every step in order with
    /// its earliest start, latest finish, estimate and what it waits for.
    Plan(PlanArgs),
    /// Why a step or an environment is not ready yet, and until when.
    /// Exit 0 when it may go ahead or is done, 1 when it is blocked. A matrix
    /// step may be named by its id (all its cells).
    Explain(ExplainArgs),
    /// The next version of each component of a process, from existing tags
    /// (`--tag`, `--tags`): CalVer by the date, SemVer the next patch.
    Next(PlanArgs),
    /// Play a release train week by week: what each environment holds and
    /// why (the train's `scenario` in the file: merges, hotfixes,
    /// warmfixes).
    Simulate(SimulateArgs),
    /// Release notes (Markdown, sections from the process's `[notes]`) or
    /// the release ticket from commit messages (stdin, or --commits FILE);
    /// or, with --parse-ticket, the pins a ticket lists.
    Notes(NotesArgs),
    /// Read, sort, bump, promote and check version tags.
    ///
    /// Lists of tags (the TAG... of `latest`, `sort`, `next`, `parse` and
    /// `check`, the EXISTING... of `promote` and `floating`) come from the
    /// arguments or, when none are given, from stdin one per line (`git tag |
    /// release version latest`); when stdin is a terminal the list is empty.
    /// Tags of a list that are not of the scheme are skipped; the subject
    /// TAG of `parse`, `promote` and `floating` must be valid.
    #[command(subcommand)]
    Version(VersionCommand),
    /// List a release calendar's upcoming occurrences, or explain one.
    ///
    /// Schedules come from a process FILE (its `[[schedules]]`, with its
    /// `[[windows]]`, `[[rotations]]` and `[milestones]`) or from `--rule`, `--start`,
    /// `--time` and `--zone`. Without `--now`, the current time is read
    /// from the system clock (the one place the CLI reads it).
    Calendar(CalendarArgs),
    /// Draw a pipeline as Graphviz DOT or a Mermaid flowchart.
    ///
    /// FILE is a TOML pipeline (`[[components]]`, `[[environments]]`,
    /// `[[steps]]` in the serde form of release-core's `PipelineDef`); it is
    /// validated first (cycles, unknown references, duplicate ids).
    Graph(GraphArgs),
    /// Run a pipeline: each ready step's command, until every step is done
    /// or nothing more can happen without input.
    ///
    /// A step's `command` is an argument list run directly (never through a
    /// shell), with an environment of PATH and HOME only, plus
    /// RELEASE_TASK, RELEASE_ATTEMPT and the step's `metadata.env` table.
    /// Every event is appended to the --journal file (JSON lines) and
    /// synced before the run goes on; `--resume` continues from it. Progress
    /// goes to stderr, the summary to stdout. Exit 1 when a step failed or
    /// the run is blocked (a manual approval, a gate, a wait).
    Run(RunArgs),
    /// Approve a manual step of a run (kind approve, or `manual = true`),
    /// so that `release run --resume` goes on past it; with --role, also
    /// an approval in that role for gates (`approvals` rules).
    ///
    /// Like every command that records an event (approve, waive, skip,
    /// cancel, fact), it replays the --journal, applies the event to the
    /// run first, and appends it (one JSON line, synced) only if the run
    /// accepts it: exit 1 when it is refused (the step is not awaiting
    /// approval), 2 for bad input (an unknown step), and nothing is
    /// written either way. A missing journal is a run not started yet.
    Approve(ApproveArgs),
    /// Waive a step (it counts as done; a matrix cell's waiver shows in
    /// the matrix gate) or, with --gate, a gate of one step (--step) or of
    /// every step that has it. Recorded in the journal with who and why.
    Waive(WaiveArgs),
    /// Skip a skippable or advisory step on purpose (a required one is
    /// refused: waive it instead). Recorded with who and why.
    Skip(SkipArgs),
    /// Cancel one unfinished step of a run, or (without STEP) the whole
    /// run.
    Cancel(CancelArgs),
    /// Record a fact in a run's journal for its gates to read: a test
    /// result (`test e2e true`), a count (`count open_blockers 0`), an
    /// approval, a tag. VALUE is `true` or `false`, an integer, or text.
    Fact(FactArgs),
    /// Print the JSON Schema of release.toml (draft 2020-12), for editors
    /// to validate and complete process files (taplo, Even Better TOML).
    Schema,
}

/// Arguments of `release check`.
#[derive(Debug, Args)]
pub struct ProcessCheckArgs {
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
}

/// What is known when a process is asked about: facts, a run's journal,
/// existing tags.
#[derive(Debug, Args)]
pub struct StateArgs {
    /// Facts (test results, approvals, counts) as a JSON array or JSON
    /// lines, in release-core's `Fact` shape. The calendar's own facts
    /// (windows open, holidays) are added.
    #[arg(long, value_name = "PATH")]
    pub facts: Option<PathBuf>,
    /// The journal of a run in progress (`release run --journal`).
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    /// A file of existing tags, one `COMPONENT TAG` a line.
    #[arg(long, value_name = "PATH")]
    pub tags: Option<PathBuf>,
    /// An existing tag of a component (repeatable).
    #[arg(long, value_name = "COMPONENT=TAG")]
    pub tag: Vec<String>,
}

/// A process file and the instant a question is asked at.
#[derive(Debug, Args)]
pub struct ProcessAt {
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Answer at this instant (RFC 3339) instead of the system clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
}

/// Arguments of `release plan` and `release next`.
#[derive(Debug, Args)]
pub struct PlanArgs {
    /// The file and the instant.
    #[command(flatten)]
    pub at: ProcessAt,
    /// What is known.
    #[command(flatten)]
    pub state: StateArgs,
}

/// Arguments of `release explain`.
#[derive(Debug, Args)]
pub struct ExplainArgs {
    /// The file and the instant.
    #[command(flatten)]
    pub at: ProcessAt,
    /// A step id or an environment name.
    #[arg(value_name = "STEP|ENVIRONMENT")]
    pub target: String,
    /// What is known.
    #[command(flatten)]
    pub state: StateArgs,
}

/// Arguments of `release simulate`.
#[derive(Debug, Args)]
pub struct SimulateArgs {
    /// A process file (release.toml) with `[[trains]]`.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The train to play (needed when the file has several).
    #[arg(long, value_name = "NAME")]
    pub train: Option<String>,
    /// Only the table, without each week's reasons.
    #[arg(long)]
    pub brief: bool,
}

/// Arguments of `release notes`.
#[derive(Debug, Args)]
pub struct NotesArgs {
    /// A process file whose `[notes]` table configures sections and the
    /// ticket title (defaults without it).
    #[arg(long, value_name = "FILE")]
    pub process: Option<PathBuf>,
    /// The version the notes are for (`--version` is the program's own).
    #[arg(long, value_name = "VERSION")]
    pub release: Option<String>,
    /// The release date shown in the heading.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub date: Option<NaiveDate>,
    /// Commit messages, one per line (or NUL-separated); `-` or absent:
    /// stdin.
    #[arg(long, value_name = "PATH")]
    pub commits: Option<PathBuf>,
    /// Write the release ticket (title and bullet points) instead.
    #[arg(long)]
    pub ticket: bool,
    /// A pin listed in the ticket (repeatable); with --process, exactly one
    /// valid tag for each component it pins, as --parse-ticket reads them.
    #[arg(long, value_name = "COMPONENT=TAG", requires = "ticket")]
    pub pin: Vec<String>,
    /// Read the pins of a ticket body (file, or `-` for stdin); every
    /// component --process pins must be listed (those another component
    /// pins, or every component when none pins another).
    #[arg(long, value_name = "PATH", conflicts_with_all = ["ticket", "release"])]
    pub parse_ticket: Option<PathBuf>,
}

/// Arguments of `release graph`.
#[derive(Debug, Args)]
pub struct GraphArgs {
    /// A TOML pipeline file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The drawing's language.
    #[arg(long, value_enum, default_value = "dot")]
    pub format: GraphFormat,
}

/// A drawing's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum GraphFormat {
    /// Graphviz DOT (`dot -Tsvg`).
    Dot,
    /// A Mermaid flowchart (Markdown on GitHub and GitLab renders it).
    Mermaid,
}

/// Arguments of `release run`.
#[derive(Debug, Args)]
pub struct RunArgs {
    /// A TOML pipeline file.
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The journal file (JSON lines, one event a line, synced per event).
    /// Without it the run is not recorded and cannot be resumed.
    #[arg(long, value_name = "PATH")]
    pub journal: Option<PathBuf>,
    /// Continue the run recorded in --journal: succeeded steps never run
    /// again; steps started but never finished are run again. A missing or
    /// empty journal starts a new run.
    #[arg(long, requires = "journal")]
    pub resume: bool,
    /// With --resume: give the steps that failed for good a new round of
    /// attempts (after fixing the cause); the steps their failure blocked
    /// then run too. Recorded as `retried` events in the journal.
    #[arg(long, requires = "resume")]
    pub retry_failed: bool,
    /// Execute nothing: show what would run and when, on a virtual clock
    /// where each step takes its estimated maximum. The journal (with
    /// --resume) is read, never written.
    #[arg(long)]
    pub dry_run: bool,
    /// How many steps may run at once.
    #[arg(long, value_name = "N", default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..))]
    pub parallel: u64,
    /// Fix the clock at this instant (RFC 3339): every event gets this
    /// time and wait steps never end. For reproducible output.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
}

/// Where a recorded event goes, and when it happened.
#[derive(Debug, Args)]
pub struct JournalArgs {
    /// The run's journal (`release run --journal`); created if missing.
    #[arg(long, value_name = "PATH")]
    pub journal: PathBuf,
    /// The event's time (RFC 3339) instead of the system clock.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
}

/// Arguments of `release approve`.
#[derive(Debug, Args)]
pub struct ApproveArgs {
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The manual step approved (optional with --role).
    #[arg(value_name = "STEP", required_unless_present = "role")]
    pub step: Option<String>,
    /// Who approves.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// The role approved in: an `approval` fact for gates.
    #[arg(long, value_name = "ROLE")]
    pub role: Option<String>,
    /// The journal and the time.
    #[command(flatten)]
    pub journal: JournalArgs,
}

/// Arguments of `release waive`.
#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("what").required(true).args(["step", "gate"])))]
// clap would list the group before FILE; say it in the order it is typed.
#[command(
    override_usage = "release waive [OPTIONS] <FILE> (<STEP> | --gate <NAME> [--step <STEP>]) --by <NAME> --reason <TEXT> --journal <PATH>"
)]
pub struct WaiveArgs {
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The step waived (a matrix cell: `test[aws-integrated]`).
    #[arg(value_name = "STEP")]
    pub step: Option<String>,
    /// Waive this gate instead of a step.
    #[arg(long, value_name = "NAME")]
    pub gate: Option<String>,
    /// With --gate: the step whose gate is waived (every step that has
    /// the gate when absent).
    #[arg(long = "step", value_name = "STEP", requires = "gate")]
    pub gate_step: Option<String>,
    /// Who waives.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// Why.
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// The journal and the time.
    #[command(flatten)]
    pub journal: JournalArgs,
}

/// Arguments of `release skip`.
#[derive(Debug, Args)]
pub struct SkipArgs {
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The skippable or advisory step.
    #[arg(value_name = "STEP")]
    pub step: String,
    /// Who skips it.
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// Why.
    #[arg(long, value_name = "TEXT")]
    pub reason: String,
    /// The journal and the time.
    #[command(flatten)]
    pub journal: JournalArgs,
}

/// Arguments of `release cancel`.
#[derive(Debug, Args)]
pub struct CancelArgs {
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The step cancelled; the whole run when absent.
    #[arg(value_name = "STEP")]
    pub step: Option<String>,
    /// Who cancels.
    #[arg(long, value_name = "NAME")]
    pub by: Option<String>,
    /// Why.
    #[arg(long, value_name = "TEXT")]
    pub reason: Option<String>,
    /// The journal and the time.
    #[command(flatten)]
    pub journal: JournalArgs,
}

/// Arguments of `release fact`.
#[derive(Debug, Args)]
pub struct FactArgs {
    /// A process file (release.toml).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// The fact's kind: test, count, approval, requester,
    /// calendar.holiday, calendar.window_open, deployed, tag, pin.
    #[arg(value_name = "KIND")]
    pub kind: String,
    /// What it is about: the test, the count, the role, the component.
    #[arg(value_name = "SUBJECT")]
    pub subject: String,
    /// `true` or `false`, an integer, or else text.
    #[arg(value_name = "VALUE", allow_hyphen_values = true)]
    pub value: String,
    /// Who or what reported it (a CI system, a person).
    #[arg(long, value_name = "S")]
    pub source: Option<String>,
    /// When it stops holding (RFC 3339).
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub expires: Option<chrono::DateTime<chrono::Utc>>,
    /// The journal and the time.
    #[command(flatten)]
    pub journal: JournalArgs,
}

/// Arguments of `release calendar`.
#[derive(Debug, Args)]
pub struct CalendarArgs {
    /// A process file (release.toml) with `[[schedules]]` tables.
    #[arg(value_name = "FILE")]
    pub file: Option<PathBuf>,
    /// An RRULE (`FREQ=WEEKLY;INTERVAL=2;BYDAY=TU`) or RFC 5545 text with a
    /// DTSTART line, for a schedule given on the command line.
    #[arg(long, value_name = "RRULE")]
    pub rule: Option<String>,
    /// The first date of `--rule` (YYYY-MM-DD).
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub start: Option<NaiveDate>,
    /// The local time of `--rule` (HH:MM).
    #[arg(long, value_name = "HH:MM", value_parser = parse_time)]
    pub time: Option<chrono::NaiveTime>,
    /// The IANA zone of `--rule` (Africa/Nairobi).
    #[arg(long, value_name = "ZONE")]
    pub zone: Option<String>,
    /// The name of `--rule`'s schedule.
    #[arg(long, default_value = "release")]
    pub name: String,
    /// Built-in holiday sets for `--rule` (us, england-wales, ke).
    #[arg(long = "holidays", value_name = "SET")]
    pub holidays: Vec<String>,
    /// What `--rule` does on a holiday.
    #[arg(long, value_enum, default_value = "skip")]
    pub policy: PolicyArg,
    /// With `--policy shift`: by how many days (negative: earlier), at
    /// most 31 either way.
    #[arg(
        long,
        value_name = "DAYS",
        default_value_t = 1,
        allow_negative_numbers = true
    )]
    pub shift: i32,
    /// The current time (RFC 3339), for reproducible answers.
    #[arg(long, value_name = "RFC3339", value_parser = parse_now)]
    pub now: Option<chrono::DateTime<chrono::Utc>>,
    /// How many occurrences to list per schedule, at most 100000 (a larger
    /// count is refused).
    #[arg(long, default_value_t = 10)]
    pub count: usize,
    /// Explain the occurrence scheduled on DATE instead of listing.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub explain: Option<NaiveDate>,
    /// Print the listed occurrences and milestones as an RFC 5545 calendar.
    #[arg(long, conflicts_with = "explain")]
    pub ics: bool,
    /// With --ics: the calendar's name.
    #[arg(long, value_name = "NAME")]
    pub calendar_name: Option<String>,
    /// With --ics: how long each event lasts, in minutes.
    #[arg(long, value_name = "MINUTES", default_value_t = 60)]
    pub duration: i64,
}

/// A holiday policy on the command line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyArg {
    /// Drop the occurrence.
    Skip,
    /// Move it to the previous working day.
    PreviousWorkingDay,
    /// Move it to the next working day.
    NextWorkingDay,
    /// Move it by --shift days.
    Shift,
    /// Keep it on the holiday.
    Keep,
}

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

/// How to bump a SemVer version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LevelArg {
    /// 1.2.3 -> 2.0.0.
    Major,
    /// 1.2.3 -> 1.3.0.
    Minor,
    /// 1.2.3 -> 1.2.4.
    Patch,
    /// 1.2.3-rc.1 -> 1.2.3-rc.2; 1.2.3 -> 1.2.4-rc.1.
    #[value(alias = "pre")]
    Prerelease,
}

/// How to number a hotfix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HotfixArg {
    /// The next patch of the base's line (1.4.0 with 1.4.1 out -> 1.4.2).
    Patch,
    /// A `-hotfix.N` suffix on the base (1.4.0 -> 1.4.0-hotfix.1).
    Suffix,
}

/// Arguments of `release version next`.
#[derive(Debug, Args)]
pub struct NextArgs {
    /// Existing tags; the latest one of the scheme is the current version.
    /// From stdin when none are given (unless `--commits -` reads stdin).
    #[arg(value_name = "TAG")]
    pub tags: Vec<String>,

    /// Bump by this level (SemVer; CalVer accepts patch and prerelease).
    #[arg(long, value_enum, conflicts_with_all = ["commits", "commit", "date"])]
    pub level: Option<LevelArg>,

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

    /// Number a hotfix of `--base` instead of the next release.
    #[arg(long, value_enum, requires = "base", conflicts_with_all = ["level", "commits", "commit", "date", "pre"])]
    pub hotfix: Option<HotfixArg>,

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

fn parse_date(text: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .map_err(|e| format!("invalid date {text:?}: {e}; expected YYYY-MM-DD"))
}

fn parse_time(text: &str) -> Result<chrono::NaiveTime, String> {
    chrono::NaiveTime::parse_from_str(text, "%H:%M")
        .or_else(|_| chrono::NaiveTime::parse_from_str(text, "%H:%M:%S"))
        .map_err(|_| format!("invalid time {text:?}: expected HH:MM"))
}

fn parse_now(text: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| {
            format!(
                "invalid time {text:?}: {e}; expected RFC 3339 such as 2020-07-01T12:00:00+03:00"
            )
        })
}

fn parse_named(text: &str) -> Result<(String, String), String> {
    match text.split_once('=') {
        Some((name, regex)) if !name.trim().is_empty() => {
            Ok((name.trim().to_owned(), regex.to_owned()))
        }
        _ => Err(format!("invalid rule {text:?}: expected NAME=REGEX")),
    }
}

/// Parses the command line, runs the command and returns the exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            // Help and --version exit 0, usage errors 2; printing can only
            // fail when stdout or stderr is gone, and then there is no one
            // to tell.
            let _ = err.print();
            return ExitCode::from(u8::try_from(err.exit_code()).unwrap_or(2));
        }
    };
    let mut out = Out::new(cli.json);
    let result = match cli.command {
        Command::Version(command) => commands::version::run(command, &mut out),
        Command::Calendar(args) => commands::calendar::run(args, &mut out),
        Command::Check(args) => commands::check::run(args, &mut out),
        Command::Plan(args) => commands::plan::run(args, &mut out),
        Command::Explain(args) => commands::explain::run(args, &mut out),
        Command::Next(args) => commands::plan::next(args, &mut out),
        Command::Simulate(args) => commands::simulate::run(args, &mut out),
        Command::Notes(args) => commands::notes::run(args, &mut out),
        Command::Graph(args) => commands::graph::run(args, &mut out),
        Command::Run(args) => commands::run::run(args, &mut out),
        Command::Approve(args) => commands::record::approve(args, &mut out),
        Command::Waive(args) => commands::record::waive(args, &mut out),
        Command::Skip(args) => commands::record::skip(args, &mut out),
        Command::Cancel(args) => commands::record::cancel(args, &mut out),
        Command::Fact(args) => commands::record::fact(args, &mut out),
        Command::Schema => commands::schema::run(&mut out),
    };
    match result {
        Ok(Status::Done) => ExitCode::SUCCESS,
        Ok(Status::Blocked) => ExitCode::from(1),
        Ok(Status::Invalid) => ExitCode::from(2),
        Err(err) => output::report_error(&err, &mut out),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    /// clap checks the definitions only when a command is parsed; this
    /// checks every subcommand at once (duplicate names, bad defaults).
    #[test]
    fn the_command_line_is_well_formed() {
        super::Cli::command().debug_assert();
    }
}
