//! `Rotation` and `Duty`: who is on duty from a roster.
//!
//! Roster members, swaps and absences cross as dicts with the keys of the
//! core's serde form (`{"name", "since", "until"}`, `{"date", "person",
//! "instead_of", "reason"}`, `{"person", "from", "to", "reason"}`), so the
//! Python form and the JSON/TOML form say the same thing.

use chrono::NaiveDate;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::PyString;
use release_core::calendar::{Absence, Duty, Member, Period, Rotation, Swap, Zone};

use crate::convert::{self, Fields};
use crate::errors::{IntoPy, parse_error_new};
use crate::schedule::{PyOccurrence, PySchedule, instant};

fn member(ob: &Bound<'_, PyAny>, i: usize) -> PyResult<Member> {
    if let Ok(name) = ob.cast::<PyString>() {
        return Ok(Member::new(name.to_str()?));
    }
    if !ob.is_instance_of::<pyo3::types::PyDict>() {
        return Err(PyTypeError::new_err(format!(
            "roster[{i}] must be a str or a dict with 'name' (and 'since', 'until'), not {}",
            convert::type_name(ob)
        )));
    }
    let f = Fields::new(ob, format!("roster[{i}]"), &["name", "since", "until"])?;
    Ok(Member {
        name: need_str(&f, "name")?,
        since: f.date("since")?,
        until: f.date("until")?,
    })
}

fn swap(ob: &Bound<'_, PyAny>, i: usize) -> PyResult<Swap> {
    let f = Fields::new(
        ob,
        format!("swaps[{i}]"),
        &["date", "person", "instead_of", "reason"],
    )?;
    Ok(Swap {
        date: convert::date_arg(&f.required("date")?, &f.name("date"))?,
        person: need_str(&f, "person")?,
        instead_of: f.string("instead_of")?,
        reason: f.string("reason")?.unwrap_or_default(),
    })
}

fn absence(ob: &Bound<'_, PyAny>, i: usize) -> PyResult<Absence> {
    let f = Fields::new(
        ob,
        format!("absences[{i}]"),
        &["person", "from", "to", "reason"],
    )?;
    Ok(Absence {
        person: need_str(&f, "person")?,
        from: convert::date_arg(&f.required("from")?, &f.name("from"))?,
        to: convert::date_arg(&f.required("to")?, &f.name("to"))?,
        reason: f.string("reason")?.unwrap_or_default(),
    })
}

fn need_str(f: &Fields<'_>, key: &str) -> PyResult<String> {
    f.required(key)?;
    Ok(f.string(key)?.unwrap_or_default())
}

fn items<'py>(ob: Option<&Bound<'py, PyAny>>, what: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
    let Some(ob) = ob.filter(|o| !o.is_none()) else {
        return Ok(Vec::new());
    };
    convert::not_a_str(ob, what)?;
    ob.try_iter()?.collect()
}

/// A rotation: a roster taking turns per period from an anchor date, with
/// swaps and absences.
#[pyclass(module = "release_core", name = "Rotation", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyRotation(pub(crate) Rotation);

#[pymethods]
impl PyRotation {
    /// A rotation. `roster` holds names or dicts `{"name", "since",
    /// "until"}`; `swaps` dicts `{"date", "person", "instead_of",
    /// "reason"}`; `absences` dicts `{"person", "from", "to", "reason"}`.
    #[new]
    #[pyo3(signature = (name, roster, period, anchor, zone, *, swaps = None, absences = None))]
    fn new(
        name: &str,
        roster: &Bound<'_, PyAny>,
        period: &Bound<'_, PyAny>,
        anchor: &Bound<'_, PyAny>,
        zone: &str,
        swaps: Option<&Bound<'_, PyAny>>,
        absences: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        convert::not_a_str(roster, "roster")?;
        let members = roster
            .try_iter()?
            .enumerate()
            .map(|(i, m)| member(&m?, i))
            .collect::<PyResult<Vec<_>>>()?;
        let zone: Zone = zone.parse().py_err()?;
        let mut rotation = Rotation::new(
            name,
            members,
            convert::name::<Period>(period, "period")?,
            convert::date_arg(anchor, "anchor")?,
            zone,
        )
        .py_err()?;
        for (i, s) in items(swaps, "swaps")?.iter().enumerate() {
            rotation = rotation.with_swap(swap(s, i)?).py_err()?;
        }
        for (i, a) in items(absences, "absences")?.iter().enumerate() {
            rotation = rotation.with_absence(absence(a, i)?).py_err()?;
        }
        Ok(PyRotation(rotation))
    }

    /// A rotation from its JSON form (`to_json`).
    /// Deprecated spellings are read with a `ReleaseWarning`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        convert::reading(py, || serde_json::from_str(text))?
            .map(PyRotation)
            .map_err(|e| parse_error_new(format!("invalid rotation JSON: {e}")))
    }

    /// The JSON form, which `from_json` reads back.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The name.
    #[getter]
    fn name(&self) -> &str {
        self.0.name()
    }

    /// The roster's names, in turn order (`to_json` has their dates).
    #[getter]
    fn roster(&self) -> Vec<String> {
        self.0.roster().iter().map(|m| m.name.clone()).collect()
    }

    /// 'weekly', 'monthly' or 'per_occurrence'.
    #[getter]
    fn period(&self) -> &'static str {
        self.0.period().as_str()
    }

    /// The date the first period starts on.
    #[getter]
    fn anchor(&self) -> NaiveDate {
        self.0.anchor()
    }

    /// The IANA zone that gives `now` its date in `on_duty`.
    #[getter]
    fn zone(&self) -> &'static str {
        self.0.zone().name()
    }

    /// Who is on duty at `now` (an aware datetime), on its date in the
    /// rotation's zone.
    fn on_duty(&self, now: &Bound<'_, PyAny>) -> PyResult<PyDuty> {
        self.0.on_duty(instant(now, "now")?).py_err().map(PyDuty)
    }

    /// Who is on duty on a date (weekly and monthly rotations).
    fn on_date(&self, date: &Bound<'_, PyAny>) -> PyResult<PyDuty> {
        self.0.on_date(convert::date(date)?).py_err().map(PyDuty)
    }

    /// Who is on duty for an occurrence of `schedule`.
    fn for_occurrence(
        &self,
        py: Python<'_>,
        schedule: &Bound<'_, PySchedule>,
        occurrence: &Bound<'_, PyOccurrence>,
    ) -> PyResult<PyDuty> {
        let (s, o) = (&schedule.get().0, &occurrence.get().0);
        py.detach(|| self.0.for_occurrence(s, o))
            .py_err()
            .map(PyDuty)
    }

    /// The duty of `count` consecutive periods from the one containing
    /// `from_date`, each as on its first day (weekly and monthly
    /// rotations).
    fn table(&self, from_date: &Bound<'_, PyAny>, count: usize) -> PyResult<Vec<PyDuty>> {
        let from = convert::date_arg(from_date, "from_date")?;
        Ok(self
            .0
            .table(from, count)
            .py_err()?
            .into_iter()
            .map(PyDuty)
            .collect())
    }

    fn __repr__(&self) -> String {
        format!(
            "<Rotation {:?}: {} of {} from {}>",
            self.0.name(),
            self.0.period(),
            self.roster().join(", "),
            self.0.anchor()
        )
    }
}

/// Who is on duty on a date, and why.
#[pyclass(module = "release_core", name = "Duty", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyDuty(pub(crate) Duty);

#[pymethods]
impl PyDuty {
    /// The rotation's name.
    #[getter]
    fn rotation(&self) -> &str {
        &self.0.rotation
    }

    /// Who is on duty.
    #[getter]
    fn person(&self) -> &str {
        &self.0.person
    }

    /// Why them: 'turn', 'swap' or 'cover'.
    #[getter]
    fn by(&self) -> &'static str {
        self.0.by.as_str()
    }

    /// Whose turn the period is, by the roster alone.
    #[getter]
    fn turn(&self) -> &str {
        &self.0.turn
    }

    /// The period's position from the anchor, from 0.
    #[getter]
    fn period(&self) -> u32 {
        self.0.period
    }

    /// The period's first date.
    #[getter]
    fn start(&self) -> NaiveDate {
        self.0.start
    }

    /// The period's last date (inclusive).
    #[getter]
    fn end(&self) -> NaiveDate {
        self.0.end
    }

    /// The date asked about.
    #[getter]
    fn date(&self) -> NaiveDate {
        self.0.date
    }

    /// The explanation, step by step.
    #[getter]
    fn reasons(&self) -> Vec<String> {
        self.0.reasons.clone()
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "<Duty {} on {}: {} ({})>",
            self.0.rotation,
            self.0.date,
            self.0.person,
            self.by()
        )
    }
}
