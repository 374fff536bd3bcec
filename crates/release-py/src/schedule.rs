//! `Schedule`, `Occurrence`, `OccurrenceExplanation`: release calendars.
//!
//! Instants cross as aware `datetime`s (a naive one is a `TypeError`:
//! the core never guesses a zone); dates as `datetime.date`.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDateTime, PyDict, PyList, PyString};
use release_core::calendar::{
    HolidayPolicy, HolidaySource, MAX_LISTED, Occurrence, OccurrenceExplanation, Override,
    PublishedDate, Recurrence, RecurrenceRule, Schedule,
};

use release_core::Warned;

use crate::convert;
use crate::errors::{IntoPy, warn};

/// An aware `datetime` as an instant.
pub(crate) fn instant(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<DateTime<Utc>> {
    if !ob.is_instance_of::<PyDateTime>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be an aware datetime.datetime, not {}",
            convert::type_name(ob)
        )));
    }
    if ob.call_method0("utcoffset")?.is_none() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be an aware datetime (with tzinfo): release-core never guesses a time zone"
        )));
    }
    // Any tzinfo (zoneinfo, fixed offsets, dateutil): let Python itself
    // convert to UTC, then read that.
    let utc = pyo3::types::PyTzInfo::utc(ob.py())?;
    ob.call_method1("astimezone", (utc,))?.extract()
}

/// A holiday policy: one of the core's names (`HolidayPolicy::NAMES`,
/// read by `HolidayPolicy::from_parts`), or an int n for a shift by n days.
fn policy(ob: Option<&Bound<'_, PyAny>>) -> PyResult<HolidayPolicy> {
    let Some(ob) = ob.filter(|o| !o.is_none()) else {
        return Ok(HolidayPolicy::Skip);
    };
    if let Ok(days) = ob.extract::<i32>() {
        if ob.is_instance_of::<pyo3::types::PyBool>() {
            return Err(PyTypeError::new_err(
                "policy must be a str or an int, not bool",
            ));
        }
        return Ok(HolidayPolicy::Shift(days));
    }
    let text = ob.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!(
            "policy must be a str ({}) or an int, not {}",
            HolidayPolicy::NAMES.join(", "),
            convert::type_name(ob)
        ))
    })?;
    let Warned { value, warnings } = HolidayPolicy::from_parts(&text.to_cow()?, None).py_err()?;
    warn(ob.py(), &warnings)?;
    Ok(value)
}

fn override_from(ob: &Bound<'_, PyAny>, i: usize) -> PyResult<Override> {
    let dict = ob.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err(format!(
            "overrides[{i}] must be a dict, not {}",
            convert::type_name(ob)
        ))
    })?;
    let get = |key: &str| dict.get_item(key);
    let need = |key: &str| -> PyResult<Bound<'_, PyAny>> {
        get(key)?.ok_or_else(|| PyValueError::new_err(format!("overrides[{i}] has no {key:?}")))
    };
    let action: String = need("action")?.extract()?;
    let date = convert::date(&need("date")?)?;
    let reason: String = need("reason")?.extract()?;
    let time = match get("time")? {
        Some(t) if !t.is_none() => Some(convert::local_time(&t, "time")?),
        _ => None,
    };
    for key in dict.keys() {
        let key: String = key.extract()?;
        if !["action", "date", "reason", "time", "to"].contains(&key.as_str()) {
            return Err(PyValueError::new_err(format!(
                "overrides[{i}] has an unknown key {key:?}"
            )));
        }
    }
    Ok(match action.as_str() {
        "cancel" => Override::Cancel { date, reason },
        "move" => Override::Move {
            date,
            to: convert::date(&need("to")?)?,
            time,
            reason,
        },
        "add" => Override::Add { date, time, reason },
        other => {
            return Err(PyValueError::new_err(format!(
                "overrides[{i}] has action {other:?}: expected 'cancel', 'move' or 'add'"
            )));
        }
    })
}

/// One entry of a dates table: a dict with `date` and optional `time`,
/// `label`, `replaces` and `reason`.
fn published_from(ob: &Bound<'_, PyAny>, i: usize) -> PyResult<PublishedDate> {
    let dict = ob.cast::<PyDict>().map_err(|_| {
        PyTypeError::new_err(format!(
            "dates[{i}] must be a dict, not {}",
            convert::type_name(ob)
        ))
    })?;
    for key in dict.keys() {
        let key: String = key.extract()?;
        if !["date", "time", "label", "replaces", "reason"].contains(&key.as_str()) {
            return Err(PyValueError::new_err(format!(
                "dates[{i}] has an unknown key {key:?}"
            )));
        }
    }
    let given = |key: &str| -> PyResult<Option<Bound<'_, PyAny>>> {
        Ok(dict.get_item(key)?.filter(|v| !v.is_none()))
    };
    let date = given("date")?
        .ok_or_else(|| PyValueError::new_err(format!("dates[{i}] has no \"date\"")))?;
    Ok(PublishedDate {
        date: convert::date(&date)?,
        time: given("time")?
            .map(|t| convert::local_time(&t, "time"))
            .transpose()?,
        label: given("label")?.map(|v| v.extract()).transpose()?,
        replaces: given("replaces")?.map(|d| convert::date(&d)).transpose()?,
        reason: given("reason")?.map(|v| v.extract()).transpose()?,
    })
}

/// The occurrences of `schedule` at or after `start` and before `end`, made
/// one at a time and refused past [`MAX_LISTED`] (`what` names the method).
fn bounded_between(
    schedule: &Schedule,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    what: &str,
) -> Result<Vec<Occurrence>, String> {
    bounded(schedule.occurrences(), |o| o.at, start, end, what)
}

/// The items of `items` (in order of their instants) at or after `start`
/// and before `end`, at most [`MAX_LISTED`] of them.
fn bounded<T>(
    items: impl Iterator<Item = T>,
    at: impl Fn(&T) -> DateTime<Utc>,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    what: &str,
) -> Result<Vec<T>, String> {
    let list: Vec<T> = items
        .skip_while(|o| at(o) < start)
        .take_while(|o| at(o) < end)
        .take(MAX_LISTED + 1)
        .collect();
    if list.len() > MAX_LISTED {
        return Err(format!(
            "{what}: the range holds more than the {MAX_LISTED} occurrences one call may return; ask for a shorter range"
        ));
    }
    Ok(list)
}

/// A release schedule: a recurrence rule at a local time in a zone, with
/// holidays, a holiday policy and overrides.
#[pyclass(module = "release_core", name = "Schedule", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PySchedule(pub(crate) Schedule);

#[pymethods]
impl PySchedule {
    /// A schedule from an RRULE value (`"FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"`)
    /// and a start date, or a published table of `dates` (dicts with
    /// `date` and optional `time`, `label`, `replaces`, `reason`), or both;
    /// at a local time in an IANA zone.
    #[new]
    #[pyo3(signature = (name, rule = None, *, start = None, time, zone, holidays = Vec::new(), policy = None, overrides = Vec::new(), dates = Vec::new()))]
    #[allow(clippy::too_many_arguments)] // keyword-only arguments of a Python constructor
    fn new(
        name: &str,
        rule: Option<&str>,
        start: Option<&Bound<'_, PyAny>>,
        time: &Bound<'_, PyAny>,
        zone: &str,
        holidays: Vec<String>,
        policy: Option<&Bound<'_, PyAny>>,
        overrides: Vec<Bound<'_, PyAny>>,
        dates: Vec<Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        let table = dates
            .iter()
            .enumerate()
            .map(|(i, d)| published_from(d, i))
            .collect::<PyResult<Vec<_>>>()?;
        let time = convert::local_time(time, "time")?;
        let zone = zone.parse().py_err()?;
        let mut schedule = match (rule, start) {
            (Some(rule), Some(start)) => {
                let rule: RecurrenceRule = rule.parse().py_err()?;
                let recurrence = Recurrence::new(convert::date(start)?, rule).py_err()?;
                Schedule::new(name, recurrence, time, zone).py_err()?
            }
            (None, None) => Schedule::from_dates(name, table.clone(), time, zone).py_err()?,
            (Some(_), None) => {
                return Err(PyTypeError::new_err("a rule needs start= (its first date)"));
            }
            (None, Some(_)) => {
                return Err(PyTypeError::new_err(
                    "start= is the first date of a rule; give the rule too",
                ));
            }
        };
        let policy = self::policy(policy)?;
        if !holidays.is_empty() || policy != HolidayPolicy::Skip {
            schedule = schedule
                .with_holidays(
                    holidays.into_iter().map(HolidaySource::Builtin).collect(),
                    policy,
                )
                .py_err()?;
        }
        for (i, o) in overrides.iter().enumerate() {
            schedule = schedule.with_override(override_from(o, i)?).py_err()?;
        }
        if rule.is_some() && !table.is_empty() {
            schedule = schedule.with_dates(table).py_err()?;
        }
        Ok(PySchedule(schedule))
    }

    /// A schedule from RFC 5545 text: a `DTSTART` line and an `RRULE` line.
    #[staticmethod]
    #[pyo3(signature = (name, text, zone = None))]
    fn from_rrule(name: &str, text: &str, zone: Option<&str>) -> PyResult<Self> {
        let zone = zone.map(str::parse).transpose().py_err()?;
        Schedule::from_rrule(name, text, zone)
            .py_err()
            .map(PySchedule)
    }

    /// A schedule from its JSON form (`to_json`).
    /// Deprecated spellings are read with a `ReleaseWarning`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        convert::reading(py, || serde_json::from_str(text))?
            .map(PySchedule)
            .map_err(|e| crate::errors::parse_error_new(format!("invalid schedule JSON: {e}")))
    }

    /// The JSON form, which `from_json` reads back.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The rule as `DTSTART` and `RRULE` lines.
    fn to_rrule(&self) -> String {
        self.0.to_rrule()
    }

    /// The schedule's name.
    #[getter]
    fn name(&self) -> &str {
        self.0.name()
    }

    /// The IANA zone name.
    #[getter]
    fn zone(&self) -> &'static str {
        self.0.zone().name()
    }

    /// The next occurrence strictly after `now` (an aware datetime), or
    /// None.
    fn next_after(&self, now: &Bound<'_, PyAny>) -> PyResult<Option<PyOccurrence>> {
        let now = instant(now, "now")?;
        Ok(self.0.next_after(now).map(PyOccurrence))
    }

    /// The next `n` occurrences strictly after `now`.
    ///
    /// `n` is at most 100,000 (`MAX_LISTED`): a larger `n` raises
    /// `ConfigError` (a `ValueError`) at once, before any is made.
    fn upcoming(
        &self,
        py: Python<'_>,
        now: &Bound<'_, PyAny>,
        n: usize,
    ) -> PyResult<Vec<PyOccurrence>> {
        let now = instant(now, "now")?;
        if n > MAX_LISTED {
            return Err(crate::errors::config_error_new(format!(
                "upcoming: n={n} is more than the {MAX_LISTED} occurrences one call may return; ask for fewer (a later `now` gives later ones)"
            )));
        }
        Ok(py
            .detach(|| self.0.upcoming(now, n))
            .into_iter()
            .map(PyOccurrence)
            .collect())
    }

    /// The occurrences at or after `start` and before `end`.
    ///
    /// At most 100,000 (`MAX_LISTED`): a range holding more raises
    /// `ConfigError` (a `ValueError`).
    fn between(
        &self,
        py: Python<'_>,
        start: &Bound<'_, PyAny>,
        end: &Bound<'_, PyAny>,
    ) -> PyResult<Vec<PyOccurrence>> {
        let (start, end) = (instant(start, "start")?, instant(end, "end")?);
        Ok(py
            .detach(|| bounded_between(&self.0, start, end, "between"))
            .map_err(crate::errors::config_error_new)?
            .into_iter()
            .map(PyOccurrence)
            .collect())
    }

    /// The instants (aware UTC datetimes) of the occurrences at or after
    /// `start` and before `end`: the batch form of `between`, with its
    /// limit.
    fn instants<'py>(
        &self,
        py: Python<'py>,
        start: &Bound<'py, PyAny>,
        end: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyList>> {
        let (start, end) = (instant(start, "start")?, instant(end, "end")?);
        let instants: Vec<DateTime<Utc>> = py
            .detach(|| bounded(self.0.instants(), |t| *t, start, end, "instants"))
            .map_err(crate::errors::config_error_new)?;
        crate::utc_list::utc_datetimes(py, &instants, "instants")
    }

    /// Why the occurrence scheduled on `date` is where it is.
    fn explain(&self, date: &Bound<'_, PyAny>) -> PyResult<PyExplanation> {
        Ok(PyExplanation(self.0.explain(convert::date(date)?)))
    }

    fn __repr__(&self) -> String {
        format!(
            "<Schedule {:?}: {}>",
            self.0.name(),
            self.0.to_rrule().replace('\n', " ")
        )
    }
}

/// One occurrence of a schedule.
#[pyclass(module = "release_core", name = "Occurrence", frozen, eq, hash)]
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct PyOccurrence(pub(crate) Occurrence);

#[pymethods]
impl PyOccurrence {
    /// The schedule's name.
    #[getter]
    fn schedule(&self) -> &str {
        &self.0.schedule
    }

    /// Position of the scheduled date in the rule (None for an added one).
    #[getter]
    fn index(&self) -> Option<u32> {
        self.0.index
    }

    /// The date the rule gave (for an entry of a dates table, the rule
    /// date it stands for, else its own).
    #[getter]
    fn scheduled(&self) -> NaiveDate {
        self.0.scheduled
    }

    /// What ships on it (a version, from the dates table), or None.
    #[getter]
    fn label(&self) -> Option<&str> {
        self.0.label.as_deref()
    }

    /// The local date it happens on.
    #[getter]
    fn date(&self) -> NaiveDate {
        self.0.date
    }

    /// The instant, as an aware UTC datetime.
    #[getter]
    fn at(&self) -> DateTime<Utc> {
        self.0.at
    }

    /// The instant in the schedule's zone (a `zoneinfo.ZoneInfo` datetime).
    #[getter]
    fn local(&self) -> PyResult<DateTime<Tz>> {
        convert::zoned(self.0.zone, self.0.at)
    }

    /// Why it moved or was added, if it did.
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.0.notes.clone()
    }

    /// How the local time met DST: 'exact', 'gap' or 'ambiguous'.
    #[getter]
    fn resolution(&self) -> &'static str {
        self.0.resolution.as_str()
    }

    fn __repr__(&self) -> String {
        format!("<Occurrence {}>", self.0)
    }
}

/// Why a scheduled date's occurrence is where it is.
#[pyclass(module = "release_core", name = "OccurrenceExplanation", frozen)]
#[derive(Clone)]
pub struct PyExplanation(pub(crate) OccurrenceExplanation);

#[pymethods]
impl PyExplanation {
    /// The date asked about.
    #[getter]
    fn date(&self) -> NaiveDate {
        self.0.date
    }

    /// Whether the rule schedules that date.
    #[getter]
    fn scheduled(&self) -> bool {
        self.0.scheduled
    }

    /// The resulting occurrence, if any.
    #[getter]
    fn occurrence(&self) -> Option<PyOccurrence> {
        self.0.occurrence.clone().map(PyOccurrence)
    }

    /// Every reason, in order.
    #[getter]
    fn reasons(&self) -> Vec<String> {
        self.0.reasons.clone()
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }
}
