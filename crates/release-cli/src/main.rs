//! `release`: the command-line face of release-core.
//!
//! The binary only converts and presents: it reads tags and commit messages
//! from arguments, files and standard input, hands them to release-core, and
//! prints the answer for humans or, with `--json`, for scripts. Exit codes:
//! 0 success, 1 a refused or blocked outcome, 2 bad input.

// Output goes through `output::Out` so that a closed pipe ends the program
// quietly instead of panicking inside `println!`.
#![warn(clippy::print_stdout, clippy::print_stderr, clippy::unwrap_used)]

mod args;
mod atomic;
mod cli;
mod clock;
mod commands;
mod executor;
mod file_edits;
mod git;
mod input;
mod journal_file;
mod output;
mod process_file;
mod rejected;
mod scheme;
mod state_file;
mod vocab_arg;
mod warnings;

#[cfg(test)]
mod vocabulary_tests;

fn main() -> std::process::ExitCode {
    cli::main()
}
