//! `release_core._release_core`: the Python bindings of release-core.
//!
//! Conversion only: every decision is the core's. One file per exposed
//! concept, conversions in `convert`, the exception tree in `errors`.

// pyo3's macros generate the unsafe glue; our own code has none.
#![deny(unsafe_code)]

mod calendar;
mod commits;
mod convert;
mod errors;
mod evidence;
mod gate;
mod ics;
mod json;
mod lines;
mod milestones;
mod notes;
mod pipeline;
mod process;
mod rotation;
mod rules;
mod run;
mod schedule;
mod scheme;
mod state;
mod tags;
mod train;
mod utc_list;
mod version;
mod windows;

use pyo3::prelude::*;

/// The native module; `release_core/__init__.py` re-exports it.
#[pymodule]
fn _release_core(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    errors::register(m)?;
    m.add_class::<version::PyVersion>()?;
    m.add_class::<scheme::PyScheme>()?;
    m.add_class::<scheme::PyPromotion>()?;
    m.add_class::<tags::PyTagScheme>()?;
    m.add_class::<tags::PyTag>()?;
    m.add_class::<tags::PyTagList>()?;
    m.add_class::<commits::PyChange>()?;
    m.add_class::<rules::PyTagRule>()?;
    m.add_class::<rules::PyRuleVerdict>()?;
    m.add_class::<rules::PyClassification>()?;
    m.add_class::<schedule::PySchedule>()?;
    m.add_class::<schedule::PyOccurrence>()?;
    m.add_class::<schedule::PyExplanation>()?;
    m.add_class::<windows::PyWindow>()?;
    m.add_class::<windows::PyWindows>()?;
    m.add_class::<windows::PyWindowState>()?;
    m.add_class::<rotation::PyRotation>()?;
    m.add_class::<rotation::PyDuty>()?;
    m.add_class::<milestones::PyOffset>()?;
    m.add_class::<milestones::PyMilestone>()?;
    m.add_class::<milestones::PyMilestones>()?;
    m.add_class::<milestones::PyMilestoneAt>()?;
    m.add_class::<ics::PyIcsCalendar>()?;
    m.add_class::<lines::PyLines>()?;
    m.add_class::<pipeline::PyPipeline>()?;
    m.add_class::<pipeline::PyIndexedPipeline>()?;
    m.add_class::<pipeline::PyCriticalPath>()?;
    m.add_class::<gate::PyFact>()?;
    m.add_class::<gate::PyGate>()?;
    m.add_class::<gate::PyWaiver>()?;
    m.add_class::<gate::PyReason>()?;
    m.add_class::<gate::PyVerdict>()?;
    m.add_function(wrap_pyfunction!(gate::evaluate, m)?)?;
    m.add_class::<state::PyReleaseState>()?;
    m.add_function(wrap_pyfunction!(state::advance_state, m)?)?;
    m.add_function(wrap_pyfunction!(evidence::evidence, m)?)?;
    run::register(m)?;
    process::register(m)?;
    m.add_function(wrap_pyfunction!(tags::sort_tags, m)?)?;
    m.add_function(wrap_pyfunction!(tags::latest_tag, m)?)?;
    m.add_function(wrap_pyfunction!(tags::parse_tags, m)?)?;
    m.add_function(wrap_pyfunction!(tags::floating_tags, m)?)?;
    m.add_function(wrap_pyfunction!(commits::parse_commit, m)?)?;
    m.add_function(wrap_pyfunction!(commits::bump_level, m)?)?;
    m.add_function(wrap_pyfunction!(rules::classify, m)?)?;
    m.add_function(wrap_pyfunction!(rules::slug, m)?)?;
    m.add_function(wrap_pyfunction!(calendar::builtin_holiday_sets, m)?)?;
    m.add_function(wrap_pyfunction!(calendar::builtin_holidays, m)?)?;
    Ok(())
}
