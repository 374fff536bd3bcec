//! `Milestone`, `Milestones`, `MilestoneAt`: dates placed relative to an
//! occurrence (code freeze = the release minus 2 working days) or to
//! another milestone.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use release_core::calendar::{Milestone, MilestoneAt, Milestones, OffsetUnit, Zone};

use crate::convert;
use crate::errors::{IntoPy, parse_error_new};
use crate::schedule::{PyOccurrence, PySchedule};

/// One milestone definition: `offset` days or working days from the
/// occurrence, or from the milestone named by `after`.
#[pyclass(module = "release_core", name = "Milestone", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyMilestone(pub(crate) Milestone);

#[pymethods]
impl PyMilestone {
    /// A milestone; `time` is its local time (a naive `datetime.time`),
    /// that of what it is relative to if None.
    #[new]
    #[pyo3(signature = (name, offset, unit = "days", *, after = None, time = None))]
    fn new(
        py: Python<'_>,
        name: &str,
        offset: i32,
        unit: &str,
        after: Option<&str>,
        time: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let unit = convert::name_of::<OffsetUnit>(py, unit)?;
        let mut m = Milestone::new(name, offset, unit);
        if let Some(after) = after {
            m = m.after(after);
        }
        if let Some(time) = time.filter(|t| !t.is_none()) {
            m = m.at(convert::local_time(time, "time")?);
        }
        Ok(PyMilestone(m))
    }

    /// The name.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// How many days (negative: before).
    #[getter]
    fn offset(&self) -> i32 {
        self.0.offset
    }

    /// 'days' or 'working_days'.
    #[getter]
    fn unit(&self) -> &'static str {
        self.0.unit.as_str()
    }

    /// The milestone it is relative to; None for the occurrence.
    #[getter]
    fn after(&self) -> Option<&str> {
        self.0.from.as_deref()
    }

    /// The local time, if fixed.
    #[getter]
    fn time(&self) -> Option<NaiveTime> {
        self.0.time
    }

    fn __repr__(&self) -> String {
        let mut text = format!(
            "<Milestone {:?}: {} {}",
            self.0.name,
            self.0.offset,
            self.0.unit.as_str()
        );
        if let Some(from) = &self.0.from {
            text.push_str(&format!(" after {from:?}"));
        }
        if let Some(t) = self.0.time {
            text.push_str(&format!(" at {}", t.format("%H:%M")));
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
        convert::not_a_str(milestones, "milestones")?;
        let mut list = Vec::new();
        for (i, m) in milestones.try_iter()?.enumerate() {
            let m = m?;
            let m = m.cast::<PyMilestone>().map_err(|_| {
                PyTypeError::new_err(format!(
                    "milestones[{i}] must be a Milestone, not {}",
                    convert::type_name(&m)
                ))
            })?;
            list.push(m.get().0.clone());
        }
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
    /// given order.
    fn resolve(
        &self,
        schedule: &Bound<'_, PySchedule>,
        occurrence: &Bound<'_, PyOccurrence>,
    ) -> PyResult<Vec<PyMilestoneAt>> {
        let schedule = &schedule.get().0;
        let zone = schedule.zone();
        Ok(self
            .0
            .resolve(schedule, &occurrence.get().0)
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
    fn local(&self) -> DateTime<Tz> {
        self.zone.in_zone(self.at.at)
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

    fn __str__(&self) -> String {
        self.at.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<MilestoneAt {}>", self.at)
    }
}
