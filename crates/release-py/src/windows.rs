//! `Window`, `Windows`, `WindowState`: allow windows (deploy slots,
//! business hours) and deny windows (freezes).
//!
//! A window's span is local wall-clock time in its zone, so its times cross
//! as naive `datetime.time`/`datetime` values; `now` and every answer are
//! aware `datetime`s.

use chrono::{DateTime, TimeDelta, Utc, Weekday};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use release_core::calendar::{Window, WindowKind, WindowSpan, WindowState, Windows, Zone};

use crate::convert;
use crate::errors::{IntoPy, parse_error_new};
use crate::schedule::{PySchedule, instant};

/// A whole number of minutes: the core keeps schedule-anchored spans to
/// the minute, and truncating the caller's seconds silently would move the
/// window.
fn minutes(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<TimeDelta> {
    let d = convert::timedelta(ob, what)?;
    if d.subsec_nanos() != 0 || d.num_seconds() % 60 != 0 {
        return Err(PyValueError::new_err(format!(
            "{what} must be a whole number of minutes, not {}",
            ob.str()?
        )));
    }
    Ok(d)
}

/// The one span given by keyword.
fn span(
    weekly: Option<&Bound<'_, PyAny>>,
    daily: Option<&Bound<'_, PyAny>>,
    once: Option<&Bound<'_, PyAny>>,
    occurrences: Option<&Bound<'_, PyAny>>,
) -> PyResult<WindowSpan> {
    let given = [weekly, daily, once, occurrences]
        .iter()
        .filter(|s| s.is_some())
        .count();
    if given != 1 {
        return Err(PyTypeError::new_err(format!(
            "give exactly one of weekly=, daily=, once= or occurrences= (got {given})"
        )));
    }
    if let Some(ob) = weekly {
        let [sd, s, ed, e] = convert::tuple_of(ob, "weekly", "(start_day, start, end_day, end)")?;
        return Ok(WindowSpan::weekly(
            convert::name::<Weekday>(&sd, "weekly start_day")?,
            convert::local_time(&s, "weekly start")?,
            convert::name::<Weekday>(&ed, "weekly end_day")?,
            convert::local_time(&e, "weekly end")?,
        ));
    }
    if let Some(ob) = daily {
        let [days, s, e] = convert::tuple_of(ob, "daily", "(days, start, end)")?;
        let mut list = Vec::new();
        if !days.is_none() {
            convert::not_a_str(&days, "daily days")?;
            for (i, d) in days.try_iter()?.enumerate() {
                list.push(convert::name::<Weekday>(&d?, &format!("daily days[{i}]"))?);
            }
        }
        return Ok(WindowSpan::daily(
            &list,
            convert::local_time(&s, "daily start")?,
            convert::local_time(&e, "daily end")?,
        ));
    }
    if let Some(ob) = once {
        let [s, e] = convert::tuple_of(ob, "once", "(start, end)")?;
        return Ok(WindowSpan::once(
            convert::local_datetime(&s, "once start")?,
            convert::local_datetime(&e, "once end")?,
        ));
    }
    let ob = occurrences.expect("exactly one span was given");
    let [schedule, offset, duration] =
        convert::tuple_of(ob, "occurrences", "(schedule, offset, duration)")?;
    let schedule = schedule.cast::<PySchedule>().map_err(|_| {
        PyTypeError::new_err(format!(
            "occurrences schedule must be a Schedule, not {}",
            convert::type_name(&schedule)
        ))
    })?;
    Ok(WindowSpan::occurrences(
        schedule.get().0.clone(),
        minutes(&offset, "occurrences offset")?,
        minutes(&duration, "occurrences duration")?,
    ))
}

#[allow(clippy::too_many_arguments)] // the keyword arguments of Window.allow/deny
fn window(
    kind: WindowKind,
    name: &str,
    zone: &str,
    weekly: Option<&Bound<'_, PyAny>>,
    daily: Option<&Bound<'_, PyAny>>,
    once: Option<&Bound<'_, PyAny>>,
    occurrences: Option<&Bound<'_, PyAny>>,
) -> PyResult<PyWindow> {
    let zone: Zone = zone.parse().py_err()?;
    let span = span(weekly, daily, once, occurrences)?;
    let w = match kind {
        WindowKind::Allow => Window::allow(name, zone, span),
        WindowKind::Deny => Window::deny(name, zone, span),
    };
    // Checked here as well as in `Windows`, so the error points at the
    // window being built.
    w.validate().py_err()?;
    Ok(PyWindow(w))
}

/// A named allow or deny window in a zone. Build with `Window.allow` or
/// `Window.deny`.
#[pyclass(module = "release_core", name = "Window", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyWindow(pub(crate) Window);

#[pymethods]
impl PyWindow {
    /// An allow window (a deploy slot, business hours). Give exactly one
    /// span: `weekly=(start_day, start, end_day, end)`,
    /// `daily=(days, start, end)`, `once=(start, end)` (naive local
    /// datetimes) or `occurrences=(schedule, offset, duration)`.
    #[staticmethod]
    #[pyo3(signature = (name, zone, *, weekly = None, daily = None, once = None, occurrences = None))]
    fn allow(
        name: &str,
        zone: &str,
        weekly: Option<&Bound<'_, PyAny>>,
        daily: Option<&Bound<'_, PyAny>>,
        once: Option<&Bound<'_, PyAny>>,
        occurrences: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        window(
            WindowKind::Allow,
            name,
            zone,
            weekly,
            daily,
            once,
            occurrences,
        )
    }

    /// A deny window (a freeze), with the same spans as `allow`.
    #[staticmethod]
    #[pyo3(signature = (name, zone, *, weekly = None, daily = None, once = None, occurrences = None))]
    fn deny(
        name: &str,
        zone: &str,
        weekly: Option<&Bound<'_, PyAny>>,
        daily: Option<&Bound<'_, PyAny>>,
        once: Option<&Bound<'_, PyAny>>,
        occurrences: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<Self> {
        window(
            WindowKind::Deny,
            name,
            zone,
            weekly,
            daily,
            once,
            occurrences,
        )
    }

    /// A window from its JSON form (`to_json`).
    /// Deprecated spellings (`"Sun"` for `"SU"`) are read with a
    /// `ReleaseWarning`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        let w: Window = convert::reading(py, || serde_json::from_str(text))?
            .map_err(|e| parse_error_new(format!("invalid window JSON: {e}")))?;
        w.validate().py_err()?;
        Ok(PyWindow(w))
    }

    /// The JSON form, which `from_json` reads back.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The name.
    #[getter]
    fn name(&self) -> &str {
        &self.0.name
    }

    /// 'allow' or 'deny'.
    #[getter]
    fn kind(&self) -> &'static str {
        self.0.kind.as_str()
    }

    /// The IANA zone of the span's wall-clock times.
    #[getter]
    fn zone(&self) -> &'static str {
        self.0.zone.name()
    }

    /// 'weekly', 'daily', 'once' or 'occurrences'.
    #[getter]
    fn repeat(&self) -> &'static str {
        match self.0.span {
            WindowSpan::Weekly { .. } => "weekly",
            WindowSpan::Daily { .. } => "daily",
            WindowSpan::Once { .. } => "once",
            WindowSpan::Occurrences { .. } => "occurrences",
        }
    }

    /// The span in words: `"weekly Sun 20:00 to Mon 08:30"`.
    #[getter]
    fn span(&self) -> String {
        self.0.span.to_string()
    }

    /// The instance active at `now` (an aware datetime) as aware UTC
    /// `(start, end)`, or None.
    fn active_at(
        &self,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<Option<(DateTime<Utc>, DateTime<Utc>)>> {
        Ok(self.0.active_at(instant(now, "now")?))
    }

    fn __repr__(&self) -> String {
        format!(
            "<Window {} {:?} ({}, {})>",
            self.0.kind, self.0.name, self.0.span, self.0.zone
        )
    }
}

/// A set of allow and deny windows: open when no deny window is active
/// and, if the set has allow windows, one of them is.
#[pyclass(module = "release_core", name = "Windows", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyWindows(pub(crate) Windows);

#[pymethods]
impl PyWindows {
    /// A validated set (`ConfigError` for two windows with one name).
    #[new]
    fn new(windows: &Bound<'_, PyAny>) -> PyResult<Self> {
        let list = convert::instances(windows, "windows", "Window", |w: &PyWindow| w.0.clone())?;
        Windows::new(list).py_err().map(PyWindows)
    }

    /// A set from its JSON form (`to_json`): a list of windows.
    /// Deprecated spellings are read with a `ReleaseWarning`.
    #[staticmethod]
    fn from_json(py: Python<'_>, text: &str) -> PyResult<Self> {
        convert::reading(py, || serde_json::from_str(text))?
            .map(PyWindows)
            .map_err(|e| parse_error_new(format!("invalid windows JSON: {e}")))
    }

    /// The JSON form, which `from_json` reads back.
    fn to_json(&self) -> PyResult<String> {
        serde_json::to_string(&self.0).map_err(|e| PyValueError::new_err(e.to_string()))
    }

    /// The windows, in order.
    #[getter]
    fn windows(&self) -> Vec<PyWindow> {
        self.0.windows().iter().cloned().map(PyWindow).collect()
    }

    fn __len__(&self) -> usize {
        self.0.windows().len()
    }

    /// Whether changes may move at `now` (an aware datetime).
    fn is_open(&self, now: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(self.0.is_open(instant(now, "now")?))
    }

    /// Whether the set is open at `now`, the windows that decide, and
    /// until when.
    fn state_at(&self, py: Python<'_>, now: &Bound<'_, PyAny>) -> PyResult<PyWindowState> {
        let now = instant(now, "now")?;
        Ok(PyWindowState(py.detach(|| self.0.state_at(now))))
    }

    /// The first instant after `now` at which the set opens or closes, or
    /// None if nothing changes within about ten years.
    fn next_change(
        &self,
        py: Python<'_>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<Option<DateTime<Utc>>> {
        let now = instant(now, "now")?;
        Ok(py.detach(|| self.0.next_change(now)))
    }

    /// The first instant after `now` at which the set goes from closed to
    /// open (if open at `now`: the opening after the next close).
    fn next_open(&self, py: Python<'_>, now: &Bound<'_, PyAny>) -> PyResult<Option<DateTime<Utc>>> {
        let now = instant(now, "now")?;
        Ok(py.detach(|| self.0.next_open(now)))
    }

    /// The first instant after `now` at which the set goes from open to
    /// closed (if closed at `now`: the close after the next opening).
    fn next_close(
        &self,
        py: Python<'_>,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<Option<DateTime<Utc>>> {
        let now = instant(now, "now")?;
        Ok(py.detach(|| self.0.next_close(now)))
    }

    fn __repr__(&self) -> String {
        let names: Vec<String> = self
            .0
            .windows()
            .iter()
            .map(|w| format!("{} {:?}", w.kind, w.name))
            .collect();
        format!("<Windows [{}]>", names.join(", "))
    }
}

/// Whether a `Windows` set is open at an instant, and why.
#[pyclass(module = "release_core", name = "WindowState", frozen, eq)]
#[derive(Clone, PartialEq)]
pub struct PyWindowState(pub(crate) WindowState);

#[pymethods]
impl PyWindowState {
    /// Whether changes may move.
    #[getter]
    fn open(&self) -> bool {
        self.0.open
    }

    /// The windows that decide, as sentences.
    #[getter]
    fn reasons(&self) -> Vec<String> {
        self.0.reasons.clone()
    }

    /// When the state next changes (aware UTC), or None.
    #[getter]
    fn until(&self) -> Option<DateTime<Utc>> {
        self.0.until
    }

    fn __str__(&self) -> String {
        self.0.to_string()
    }

    fn __repr__(&self) -> String {
        format!("<WindowState {}>", self.0)
    }
}
