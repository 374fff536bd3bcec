//! Release lines and their support phases: `Lines`, from a process's
//! component (`Process.release_lines`) or from a `lines` table and a tag
//! scheme. Conversion only; every answer is release-core's `line` module.

use chrono::NaiveDate;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use release_core::line::{Line, Lines, LinesDef};
use release_core::version::{Tag, TagScheme, Version};

use crate::errors::IntoPy;
use crate::ics::PyIcsCalendar;
use crate::tags::PyTagScheme;
use crate::{convert, json};

/// A component's release lines: which line each tag is in, each line's
/// support phases and their dates, the next patch of a line.
#[pyclass(module = "release_core", name = "Lines", frozen)]
pub struct PyLines {
    component: String,
    lines: Lines,
    tags: TagScheme,
}

impl PyLines {
    pub(crate) fn of(component: &str, lines: Lines, tags: TagScheme) -> PyLines {
        PyLines {
            component: component.to_owned(),
            lines,
            tags,
        }
    }

    /// The tags of the scheme; others are left out.
    fn read(&self, tags: Option<&Bound<'_, PyAny>>) -> PyResult<Vec<Tag>> {
        let Some(tags) = tags.filter(|t| !t.is_none()) else {
            return Ok(Vec::new());
        };
        let items = convert::strings(tags, "tags")?;
        let texts = convert::texts(&items)?;
        let list = self.tags.parse_all(texts.iter().map(|t| t.as_ref()));
        Ok(list.tags)
    }

    fn all(&self, tags: &[Tag]) -> PyResult<Vec<Line>> {
        let versions: Vec<Version> = tags.iter().map(|t| t.version().clone()).collect();
        self.lines.lines(&versions).py_err()
    }

    fn dict<'py>(
        &self,
        py: Python<'py>,
        line: &Line,
        tags: &[Tag],
        on: NaiveDate,
    ) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("line", &line.key)?;
        let own = self.lines.tags_of(&line.key, tags);
        d.set_item("tags", own.iter().map(|t| t.as_str()).collect::<Vec<_>>())?;
        d.set_item("first_release", line.first_release)?;
        let phases: Vec<Bound<'py, PyDict>> = line
            .phases
            .iter()
            .map(|p| {
                let pd = PyDict::new(py);
                pd.set_item("phase", p.phase.as_str())?;
                pd.set_item("start", p.start)?;
                pd.set_item("declared", p.declared)?;
                pd.set_item("because", &p.because)?;
                Ok(pd)
            })
            .collect::<PyResult<_>>()?;
        d.set_item("phases", phases)?;
        let at = line.phase_on(on);
        d.set_item("phase", at.map(|p| p.phase.as_str()))?;
        d.set_item("since", at.map(|p| p.since))?;
        d.set_item("until", at.and_then(|p| p.until))?;
        d.set_item("next", at.and_then(|p| p.next).map(|p| p.as_str()))?;
        d.set_item("supported", line.is_supported(on))?;
        d.set_item("end_of_life", line.end_of_life())?;
        Ok(d)
    }
}

#[pymethods]
impl PyLines {
    /// Lines from a `lines` table in the `release.toml` shape (a dict;
    /// dates as "YYYY-MM-DD", offsets as text) for tags of `tags`;
    /// `component` names them in calendar events. A `ConfigError`
    /// names the key (`lines.key: ...`).
    #[new]
    #[pyo3(signature = (definition, tags, component = "lines"))]
    fn new(definition: &Bound<'_, PyAny>, tags: &PyTagScheme, component: &str) -> PyResult<Self> {
        let def: LinesDef = json::from_py(definition, "definition")?;
        let lines = Lines::new(def, tags.0.scheme()).py_err()?;
        Ok(PyLines::of(component, lines, tags.0.clone()))
    }

    /// The component the lines are of.
    #[getter]
    fn component(&self) -> &str {
        &self.component
    }

    /// The key of the line `tag` is in, or None (not of the scheme, or in
    /// no line).
    fn key_of(&self, tag: &str) -> Option<String> {
        self.tags
            .version_of(tag)
            .and_then(|v| self.lines.key_of(&v))
    }

    /// Every line in key order (the lines the tags fall in and those the
    /// definition declares), each a dict: `line`, its `tags` (oldest
    /// first), `first_release`, `phases` (each `phase`, `start`,
    /// `declared`, `because`), and on the date `on`: `phase`, `since`,
    /// `until`, `next`, `supported`; and `end_of_life`. Tags not of the
    /// scheme are left out.
    #[pyo3(signature = (on, tags = None))]
    fn lines<'py>(
        &self,
        py: Python<'py>,
        on: &Bound<'py, PyAny>,
        tags: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let on = convert::date_arg(on, "on")?;
        let tags = self.read(tags)?;
        self.all(&tags)?
            .iter()
            .map(|l| self.dict(py, l, &tags, on))
            .collect()
    }

    /// The lines supported on `on` (released, not end of life), as
    /// `lines` gives them.
    #[pyo3(signature = (on, tags = None))]
    fn supported<'py>(
        &self,
        py: Python<'py>,
        on: &Bound<'py, PyAny>,
        tags: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Vec<Bound<'py, PyDict>>> {
        let on = convert::date_arg(on, "on")?;
        let tags = self.read(tags)?;
        self.all(&tags)?
            .iter()
            .filter(|l| l.is_supported(on))
            .map(|l| self.dict(py, l, &tags, on))
            .collect()
    }

    /// The next patch release of line `line` as a tag: after the line's
    /// latest tag, whatever newer lines hold (`1.35` gives `1.35.4` after
    /// `1.35.3` although `1.36.0` exists).
    #[pyo3(signature = (line, tags = None))]
    fn next_patch(&self, line: &str, tags: Option<&Bound<'_, PyAny>>) -> PyResult<String> {
        let versions: Vec<Version> = self
            .read(tags)?
            .iter()
            .map(|t| t.version().clone())
            .collect();
        let next = self.lines.next_patch(line, &versions).py_err()?;
        self.tags.tag(&next).py_err()
    }

    /// Adds the lines' phase changes to `calendar`, one all-day event per
    /// dated phase (`"node 20: end_of_life"`).
    #[pyo3(signature = (calendar, tags = None))]
    fn add_to(
        &self,
        calendar: &Bound<'_, PyIcsCalendar>,
        tags: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let tags = self.read(tags)?;
        let lines = self.all(&tags)?;
        // Free: no method of IcsCalendar holds it across Python code.
        let mut calendar = calendar.borrow_mut();
        for event in Lines::phase_events(&self.component, &lines) {
            calendar.add_event(event)?;
        }
        Ok(())
    }

    fn __repr__(&self) -> String {
        format!("<Lines of {:?}>", self.component)
    }
}
