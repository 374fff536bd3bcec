//! `Milestone`, `Milestones`, `MilestoneAt`: dates placed relative to an
//! occurrence (code freeze = the release minus 2 working days) or to
//! another milestone.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use release_core::calendar::{
    Milestone, MilestoneAt, Milestones, Offset, OffsetUnit, Schedule, WorkDays, Zone,
};

use crate::convert;
use crate::errors::{IntoPy, parse_error_new};
use crate::schedule::{PyOccurrence, PySchedule};

/// An offset: how far a date lies from another ('-2 working_days',
/// '1TU of month -5', 'next 04-30', 'previous FR then -1 days').
#[pyclass(module = "release_core", name = "Offset", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyOffset(pub(crate) Offset);

#[pymethods]
impl PyOffset {
    /// Reads an offset's text (`ParseError` naming the step that is wrong).
    #[new]
    fn new(text: &Bound<'_, PyAny>) -> PyResult<Self> {
        let text = convert::str_of(text, "text")?;
        text.parse().py_err().map(PyOffset)
    }

    /// The date this offset from `date`, counting the working days of
    /// `schedule`'s holiday sets (Saturdays and Sundays off if None).
    #[pyo3(signature = (date, schedule = None))]
    fn apply_date(
        &self,
        date: &Bound<'_, PyAny>,
        schedule: Option<&Bound<'_, PySchedule>>,
    ) -> PyResult<NaiveDate> {
        let date = convert::date_arg(date, "date")?;
        let mut days = schedule.map_or_else(WorkDays::default, |s| s.get().0.work_days());
        self.0.apply_date(date, &mut days).py_err()
    }

    /// The offset in words: 'the first Tuesday of the month 5 months before'.
    fn describe(&self) -> String {
        self.0.describe()
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!("Offset({})", convert::repr_str(py, &self.0.to_string()))
    }
}

/// An offset given to a milestone: an int of `unit`s, an offset's text or
/// an `Offset`.
fn offset_arg(py: Python<'_>, offset: &Bound<'_, PyAny>, unit: Option<&str>) -> PyResult<Offset> {
    if let Ok(o) = offset.cast::<PyOffset>() {
        if unit.is_some() {
            return Err(PyValueError::new_err(
                "unit only goes with an int offset; an Offset names its units",
            ));
        }
        return Ok(o.get().0.clone());
    }
    if offset.is_instance_of::<pyo3::types::PyBool>() {
        return Err(PyTypeError::new_err(
            "offset must be an int, a str or an Offset, not bool",
        ));
    }
    if let Ok(n) = offset.extract::<i32>() {
        let unit = match unit {
            Some(u) => convert::name_of::<OffsetUnit>(py, u)?,
            None => OffsetUnit::Days,
        };
        return Ok(Offset::by(n, unit));
    }
    if offset.is_instance_of::<pyo3::types::PyString>() {
        if unit.is_some() {
            return Err(PyValueError::new_err(
                "unit only goes with an int offset; an offset's text names its units",
            ));
        }
        return convert::str_of(offset, "offset")?.parse().py_err();
    }
    Err(PyTypeError::new_err(format!(
        "offset must be an int, a str or an Offset, not {}",
        convert::type_name(offset)
    )))
}

/// One milestone definition: `offset` from an occurrence (this one, or
/// `occurrence` later, of its own schedule or of `schedule`), or from the
/// milestone named by `after`.
#[pyclass(module = "release_core", name = "Milestone", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyMilestone(pub(crate) Milestone);

#[pymethods]
impl PyMilestone {
    /// A milestone; `time` is its local time (a naive `datetime.time`),
    /// that of what it is relative to if None. `follow` makes it move with
    /// its occurrence (by default it stays where the rule's date puts it).
    #[new]
    #[pyo3(signature = (name, offset = None, unit = None, *, after = None, time = None, schedule = None, occurrence = 0, follow = false))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        py: Python<'_>,
        name: &str,
        offset: Option<&Bound<'_, PyAny>>,
        unit: Option<&str>,
        after: Option<&str>,
        time: Option<&Bound<'_, PyAny>>,
        schedule: Option<&str>,
        occurrence: i32,
        follow: bool,
    ) -> PyResult<Self> {
        let offset = match offset.filter(|o| !o.is_none()) {
            Some(o) => offset_arg(py, o, unit)?,
            None if unit.is_some() => {
                return Err(PyValueError::new_err("unit without an offset"));
            }
            None => Offset::zero(),
        };
        let mut m = Milestone::with_offset(name, offset).of_occurrence(occurrence);
        if let Some(schedule) = schedule {
            m = m.of_schedule(schedule, occurrence);
        }
        if let Some(after) = after {
            m = m.after(after);
        }
        if let Some(time) = time.filter(|t| !t.is_none()) {
            m = m.at(convert::local_time(time, "time")?);
        }
        if follow {
            m = m.following();
        }
        Ok(PyMilestone(m))
    }

    /// The name.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// The offset from the reference.
    #[getter]
    fn offset(&self) -> PyOffset {
        PyOffset(self.0.offset.clone())
    }

    /// The milestone it is relative to; None for an occurrence.
    #[getter]
    fn after(&self) -> Option<&str> {
        self.0.from.as_deref()
    }

    /// The other schedule whose occurrence it is relative to, if any.
    #[getter]
    fn schedule(&self) -> Option<&str> {
        self.0.schedule.as_deref()
    }

    /// Which occurrence, counted from this one.
    #[getter]
    fn occurrence(&self) -> i32 {
        self.0.occurrence
    }

    /// Whether it moves with its occurrence.
    #[getter]
    fn follow(&self) -> bool {
        self.0.follow
    }

    /// The local time, if fixed.
    #[getter]
    fn time(&self) -> Option<NaiveTime> {
        self.0.time
    }

    fn __repr__(&self) -> String {
        let mut text = format!("<Milestone {:?}: {}", self.0.name, self.0.offset);
        if let Some(from) = &self.0.from {
            text.push_str(&format!(" after {from:?}"));
        }
        if let Some(t) = self.0.time {
            text.push_str(&format!(" at {}", t.format("%H:%M")));
        }
        if self.0.follow {
            text.push_str(" (follows)");
        }
        text.push('>');
        text
    }
}

/// A validated set of milestones (`ConfigError` for a duplicate name, an
/// unknown reference or a cycle).
#[pyclass(module = "release_core", name = "Milestones", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyMilestones(pub(crate) Milestones);

#[pymethods]
impl PyMilestones {
    /// A validated set.
    #[new]
    fn new(milestones: &Bound<'_, PyAny>) -> PyResult<Self> {
        let list = convert::instances(milestones, "milestones", "Milestone", |m: &PyMilestone| {
            m.0.clone()
        })?;
        Milestones::new(list).py_err().map(PyMilestones)
    }

    /// A set from its JSON form (`to_json`): a list of milestones.
    /// Deprecated spellings are read with a `ReleaseWarning`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        convert::reading(py, || serde_json::from_str(text))?
            .map(PyMilestones)
            .map_err(|e| parse_error_new(format!("invalid milestones JSON: {e}")))
    }

    /// The JSON form, which `from_json` reads back.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The milestones, in the given order.
    #[getter]
    fn milestones(&self) -> Vec<PyMilestone> {
        self.0
            .milestones()
            .iter()
            .cloned()
            .map(PyMilestone)
            .collect()
    }

    fn __len__(&self) -> usize {
        self.0.milestones().len()
    }

    /// Places every milestone for one occurrence of `schedule`, in the
    /// given order; milestones relative to other schedules find them in
    /// `among`.
    #[pyo3(signature = (schedule, occurrence, among = None))]
    fn resolve(
        &self,
        schedule: &Bound<'_, PySchedule>,
        occurrence: &Bound<'_, PyOccurrence>,
        among: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Vec<PyMilestoneAt>> {
        let schedule = &schedule.get().0;
        let zone = schedule.zone();
        let mut schedules: Vec<Schedule> = vec![schedule.clone()];
        if let Some(among) = among {
            schedules.extend(convert::instances(
                among,
                "among",
                "Schedule",
                |s: &PySchedule| s.0.clone(),
            )?);
        }
        Ok(self
            .0
            .resolve_among(schedule, &occurrence.get().0, &schedules)
            .py_err()?
            .into_iter()
            .map(|at| PyMilestoneAt { at, zone })
            .collect())
    }

    fn __repr__(&self) -> String {
        let names: Vec<String> = self
            .0
            .milestones()
            .iter()
            .map(|m| format!("{:?}", m.name))
            .collect();
        format!("<Milestones [{}]>", names.join(", "))
    }
}

/// A placed milestone. It keeps the schedule's zone, so `local` is an aware
/// datetime in that zone.
#[pyclass(module = "release_core", name = "MilestoneAt", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyMilestoneAt {
    pub(crate) at: MilestoneAt,
    pub(crate) zone: Zone,
}

#[pymethods]
impl PyMilestoneAt {
    /// The milestone's name.
    #[getter]
    fn name(&self) -> &str {
        &self.at.name
    }

    /// The local date.
    #[getter]
    fn date(&self) -> NaiveDate {
        self.at.date
    }

    /// The instant in the schedule's zone (a `zoneinfo.ZoneInfo` datetime).
    #[getter]
    fn local(&self) -> PyResult<DateTime<Tz>> {
        convert::zoned(self.zone, self.at.at)
    }

    /// The instant, as an aware UTC datetime.
    #[getter]
    fn at(&self) -> DateTime<Utc> {
        self.at.at
    }

    /// The milestone it is relative to; None for the occurrence.
    #[getter]
    fn from_(&self) -> Option<&str> {
        self.at.from.as_deref()
    }

    /// The offset in words: 'minus 2 working days'.
    #[getter]
    fn offset(&self) -> &str {
        &self.at.offset
    }

    /// How it was placed: 'code freeze = release 2020-12-29 minus 2
    /// working days'.
    #[getter]
    fn explanation(&self) -> &str {
        &self.at.explanation
    }

    /// Why it is not where its offset puts it (an override), if it moved.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.at.notes.clone()
    }

    fn __str__(&self) -> String {
        self.at.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<MilestoneAt {}>", self.at)
    }
}
