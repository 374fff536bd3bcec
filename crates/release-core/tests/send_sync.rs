//! The core's public types are plain data: each is `Send + Sync`, so a
//! caller may build a process once and share it between threads (the
//! Python binding reads a `Process` or a `Pipeline` from any thread), or
//! move a run to the thread that drives it. A type that grows an `Rc`, a
//! `RefCell` or a raw pointer fails to compile here, and the change shows
//! in review instead of in a user's program.

use release_core::{calendar, evidence, export, gate, line, notes, pipeline, process, run};
use release_core::{state, train, version};

/// Compiles only for `Send + Sync` types.
fn shared<T: Send + Sync>() {}

#[test]
fn errors_and_warnings_cross_threads() {
    shared::<release_core::Error>();
    shared::<release_core::ErrorKind>();
    shared::<release_core::Location>();
    shared::<release_core::Warning>();
    shared::<release_core::Warned<process::Process>>();
}

#[test]
fn versions_and_tags_cross_threads() {
    shared::<version::Scheme>();
    shared::<version::Version>();
    shared::<version::SemVersion>();
    shared::<version::CalVersion>();
    shared::<version::CalVerFormat>();
    shared::<version::Pep440Version>();
    shared::<version::Level>();
    shared::<version::Promotion>();
    shared::<version::Change>();
    shared::<version::Tag>();
    shared::<version::TagList>();
    shared::<version::TagScheme>();
    shared::<version::TagTemplate>();
    shared::<version::TagRule>();
    shared::<version::Classification>();
}

#[test]
fn calendars_cross_threads() {
    shared::<calendar::Zone>();
    shared::<calendar::Schedule>();
    shared::<calendar::Occurrence>();
    shared::<calendar::OccurrenceExplanation>();
    shared::<calendar::RecurrenceRule>();
    shared::<calendar::HolidaySet>();
    shared::<calendar::HolidayPolicy>();
    shared::<calendar::Windows>();
    shared::<calendar::WindowState>();
    shared::<calendar::Rotation>();
    shared::<calendar::Duty>();
    shared::<calendar::Offset>();
    shared::<calendar::Milestones>();
    shared::<calendar::MilestoneAt>();
    shared::<calendar::IcsCalendar>();
}

#[test]
fn gates_and_pipelines_cross_threads() {
    shared::<gate::Fact>();
    shared::<gate::Facts>();
    shared::<gate::Gate>();
    shared::<gate::Rule>();
    shared::<gate::Waiver>();
    shared::<gate::People>();
    shared::<gate::Verdict>();
    shared::<gate::Reason>();
    shared::<pipeline::PipelineDef>();
    shared::<pipeline::Pipeline>();
    shared::<pipeline::Step>();
    shared::<pipeline::StepId>();
    shared::<pipeline::CriticalPath>();
    shared::<line::Lines>();
    shared::<line::LinesDef>();
}

#[test]
fn processes_and_their_answers_cross_threads() {
    shared::<process::ProcessDef>();
    shared::<process::Process>();
    shared::<process::Plan>();
    shared::<process::PlannedStep>();
    shared::<process::Release>();
    shared::<process::Explanation>();
    shared::<process::NextVersion>();
    shared::<process::NextRelease>();
    shared::<train::Train>();
    shared::<train::Simulation>();
    shared::<state::ReleaseState>();
    shared::<state::StateDisagreement>();
    shared::<notes::ReleaseNotes>();
    shared::<notes::Ticket>();
    shared::<evidence::Evidence>();
    shared::<export::Export>();
    shared::<export::ExportOptions>();
}

#[test]
fn runs_cross_threads() {
    shared::<run::Run>();
    shared::<run::Event>();
    shared::<run::EventKind>();
    shared::<run::Outcome>();
    shared::<run::Blocked>();
    shared::<run::Snapshot>();
    shared::<run::Driver>();
    shared::<run::DriveReport>();
    shared::<run::VirtualClock>();
    shared::<run::FixedClock>();
    shared::<run::ReleaseContext>();
    shared::<run::Task<'static>>();
    shared::<run::DryRunExecutor>();
    shared::<run::ScriptedExecutor>();
}
