//! Release notes and release tickets: `ReleaseNotes`, `Ticket` (made by
//! `Process.notes` and `Process.ticket` with the file's `[notes]` table).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pyo3::prelude::*;
use release_core::notes::{NotesSection, ReleaseNotes, Ticket};

use crate::{convert, json};

/// Adds the notes classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PyReleaseNotes>()?;
    m.add_class::<PyTicket>()?;
    Ok(())
}

fn section(s: &NotesSection) -> (String, Vec<String>) {
    (
        s.title.clone(),
        s.entries.iter().map(ToString::to_string).collect(),
    )
}

/// Release notes for one version: changes grouped into the configured
/// sections. Nothing is dropped silently: a change no section takes is in
/// `left_out`.
#[pyclass(module = "release_core", name = "ReleaseNotes", frozen)]
pub struct PyReleaseNotes(pub(crate) ReleaseNotes);

#[pymethods]
impl PyReleaseNotes {
    /// The version released.
    #[getter]
    fn version(&self) -> &str {
        &self.0.version
    }

    /// The release date, if given.
    #[getter]
    fn date(&self) -> Option<NaiveDate> {
        self.0.date
    }

    /// The breaking changes as `(title, entries)`, or None.
    #[getter]
    fn breaking(&self) -> Option<(String, Vec<String>)> {
        self.0.breaking.as_ref().map(section)
    }

    /// The other sections with entries, as `(title, entries)`.
    #[getter]
    fn sections(&self) -> Vec<(String, Vec<String>)> {
        self.0.sections.iter().map(section).collect()
    }

    /// The changes no section takes, as text.
    #[getter]
    fn left_out(&self) -> Vec<String> {
        self.0.left_out.iter().map(ToString::to_string).collect()
    }

    /// The notes as Markdown.
    #[getter]
    fn markdown(&self) -> String {
        self.0.to_markdown()
    }

    /// The notes as Markdown (as the `markdown` property).
    fn to_markdown(&self) -> String {
        self.0.to_markdown()
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    fn __str__(&self) -> String {
        self.0.to_markdown()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        let count = self
            .0
            .breaking
            .iter()
            .map(|s| s.entries.len())
            .sum::<usize>()
            + self
                .0
                .sections
                .iter()
                .map(|s| s.entries.len())
                .sum::<usize>();
        format!(
            "<ReleaseNotes {} ({count} entries, {} left out)>",
            convert::repr_str(py, &self.0.version),
            self.0.left_out.len()
        )
    }
}

/// A release ticket: a title and bullet points, the pinned component tags
/// first, then one per change.
#[pyclass(module = "release_core", name = "Ticket", frozen)]
pub struct PyTicket(pub(crate) Ticket);

#[pymethods]
impl PyTicket {
    /// The title (`Release 2023.06.2`).
    #[getter]
    fn title(&self) -> &str {
        self.0.title()
    }

    /// The body: Markdown bullet points.
    #[getter]
    fn body(&self) -> &str {
        self.0.body()
    }

    /// The pins, component to tag.
    #[getter]
    fn pins(&self) -> BTreeMap<String, String> {
        self.0
            .pins()
            .iter()
            .map(|p| (p.component.clone(), p.tag.clone()))
            .collect()
    }

    /// The whole ticket as Markdown: `# title`, a blank line, the body.
    fn to_markdown(&self) -> String {
        self.0.to_markdown()
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    fn __str__(&self) -> String {
        self.0.to_markdown()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<Ticket {} ({} pins)>",
            convert::repr_str(py, self.0.title()),
            self.0.pins().len()
        )
    }
}
