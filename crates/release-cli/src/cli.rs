//! The command line: the top-level `Cli` and its `Command`s, assembled
//! from the argument types each command module owns, and the entry point
//! that dispatches and maps outcomes and errors to exit codes.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::commands::calendar::CalendarArgs;
use crate::commands::check::ProcessCheckArgs;
use crate::commands::edit::EditArgs;
use crate::commands::evidence::EvidenceArgs;
use crate::commands::explain::ExplainArgs;
use crate::commands::export::ExportArgs;
use crate::commands::graph::GraphArgs;
use crate::commands::import::ImportCommand;
use crate::commands::journal::JournalPathArgs;
use crate::commands::lines::LinesArgs;
use crate::commands::manual::{CompletionsArgs, ManArgs};
use crate::commands::notes::NotesArgs;
use crate::commands::plan::PlanArgs;
use crate::commands::record::{ApproveArgs, CancelArgs, FactArgs, SkipArgs, WaiveArgs};
use crate::commands::run::RunArgs;
use crate::commands::simulate::SimulateArgs;
use crate::commands::version::VersionCommand;
use crate::commands::{self, Status};
use crate::output::{self, Out};

/// Plan and check software releases: versions, tags, and what comes next.
#[derive(Debug, Parser)]
#[command(name = "release", version, propagate_version = true)]
#[command(
    after_help = "Exit codes: 0 success, 1 refused or blocked, 2 bad input. \
A FILE may be `-`, standard input, unless the command writes it back (a journal, \
the file `release edit` replaces)."
)]
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
    /// (`--tag`, `--tags`): CalVer by the date; SemVer and PEP 440 by the
    /// release kind of the release day (a patch when none is declared),
    /// one per line where the release ships several (`lines`).
    Next(PlanArgs),
    /// Release lines and their support phases (the components' `lines`):
    /// each line's phase on a date (`--now`) and until when, its end of
    /// life, its latest tag and next patch from the tags given (`--tag`,
    /// `--tags`); with --ics, the phase changes as an ICS calendar.
    Lines(LinesArgs),
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
    /// Tags of a list that are not of the scheme are left out and said so:
    /// one line on stderr (how many, the first few with their reasons) and
    /// a `rejected` array in `--json`; the subject TAG of `parse`,
    /// `promote` and `floating` must be valid.
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
    /// Check a journal's hash chain (format 2): each event carries the
    /// SHA-256 of the line before it, so an edit or a removed line breaks
    /// it. Exit 0 when intact, 1 when it breaks (said where) or the
    /// journal is of format 1, 2 when it cannot be read. Tamper-evidence
    /// against edits, not a signature: keep the last hash elsewhere to
    /// detect a rewrite.
    Verify(JournalPathArgs),
    /// Rewrite a format-1 journal (release-core 0.1, no header), which
    /// replays read-only, to format 2: atomically (a synced temporary file
    /// renamed over it), under the journal's locks.
    Migrate(JournalPathArgs),
    /// Turn an engine's run into a journal: GitHub Actions' REST API
    /// responses for a workflow run, its jobs and its environment
    /// approvals, read against the process the workflow was exported from.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Edit one file as a release does: a value at a key path of a TOML,
    /// JSON or YAML file (`--set package.version=1.3.0`), or a CHANGELOG
    /// section (`--changelog`), the rest of the file kept byte for byte;
    /// what cannot be done safely (YAML anchors, aliases, flow collections,
    /// several documents) is refused with the reason. `--dry-run` shows a
    /// diff; otherwise the file is replaced atomically.
    Edit(EditArgs),
    /// The release evidence record of a run, one JSON document from its
    /// journal: status, requester, tags and pins, every step with its
    /// times, attempts and gate verdict (every reason), the facts with
    /// their sources, approvals, waivers and skips with who and why.
    Evidence(EvidenceArgs),
    /// Print the JSON Schema of release.toml (draft 2020-12), for editors
    /// to validate and complete process files (taplo, Even Better TOML).
    Schema,
    /// Export the process to a CI engine: a GitHub Actions workflow whose
    /// jobs are the steps, and the environments' protection settings; or
    /// a GitLab CI pipeline (`gitlab-ci`).
    ///
    /// What the engine cannot express natively (approvals by N people,
    /// windows, holidays, soak times, matrices with waivers...) becomes a
    /// gate job that imports the run's journal and asks `release explain`;
    /// each such item is reported on stderr (`--json`: `notes`), and
    /// `--strict` refuses them. The same file gives the same bytes.
    Export(ExportArgs),
    /// Print a shell completion script: bash, zsh, fish, elvish or
    /// powershell (`release completions bash >
    /// ~/.local/share/bash-completion/completions/release`).
    Completions(CompletionsArgs),
    /// Print the man page in roff: release(1), or a command's own page
    /// (`release man plan | man -l -`).
    Man(ManArgs),
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
        Command::Lines(args) => commands::lines::run(args, &mut out),
        Command::Simulate(args) => commands::simulate::run(args, &mut out),
        Command::Notes(args) => commands::notes::run(args, &mut out),
        Command::Graph(args) => commands::graph::run(args, &mut out),
        Command::Run(args) => commands::run::run(args, &mut out),
        Command::Approve(args) => commands::record::approve(args, &mut out),
        Command::Waive(args) => commands::record::waive(args, &mut out),
        Command::Skip(args) => commands::record::skip(args, &mut out),
        Command::Cancel(args) => commands::record::cancel(args, &mut out),
        Command::Fact(args) => commands::record::fact(args, &mut out),
        Command::Verify(args) => commands::journal::verify(args, &mut out),
        Command::Migrate(args) => commands::journal::migrate(args, &mut out),
        Command::Import(command) => commands::import::run(command, &mut out),
        Command::Edit(args) => commands::edit::run(args, &mut out),
        Command::Evidence(args) => commands::evidence::run(args, &mut out),
        Command::Schema => commands::schema::run(&mut out),
        Command::Export(args) => commands::export::run(args, &mut out),
        Command::Completions(args) => commands::manual::completions(args, &mut out),
        Command::Man(args) => commands::manual::man(args, &mut out),
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
