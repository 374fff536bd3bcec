//! `IcsCalendar`: RFC 5545 export of occurrences and milestones.

use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use release_core::calendar::{IcsCalendar, MilestoneAt, Occurrence};

use crate::convert;
use crate::errors::IntoPy;
use crate::milestones::PyMilestoneAt;
use crate::schedule::{PyOccurrence, PySchedule, instant};

/// The items of an iterable of one pyclass, cloned out; `kind` names the
/// class for the message.
fn each<T, U>(
    ob: &Bound<'_, PyAny>,
    what: &str,
    kind: &str,
    get: impl Fn(&T) -> U,
) -> PyResult<Vec<U>>
where
    T: pyo3::PyClass<Frozen = pyo3::pyclass::boolean_struct::True> + Sync,
{
    convert::not_a_str(ob, what)?;
    let mut out = Vec::new();
    for (i, item) in ob.try_iter()?.enumerate() {
        let item = item?;
        let t = item.cast::<T>().map_err(|_| {
            PyTypeError::new_err(format!(
                "{what}[{i}] must be {kind}, not {}",
                convert::type_name(&item)
            ))
        })?;
        out.push(get(t.get()));
    }
    Ok(out)
}

/// A calendar to export as RFC 5545 text: one event per occurrence or
/// milestone, with `TZID`s and UIDs stable across runs.
///
/// No method holds the calendar while Python code runs (arguments are read
/// first), so with the GIL a call never finds it taken.
#[pyclass(module = "release_core", name = "IcsCalendar")]
pub struct PyIcsCalendar {
    // The core does not give its calendar's name back; keep a copy for
    // the `name` property.
    name: String,
    calendar: IcsCalendar,
}

impl PyIcsCalendar {
    /// Adds one event the core built (the `Lines.add_to` phase changes).
    pub(crate) fn add_event(&mut self, event: release_core::calendar::IcsEvent) -> PyResult<()> {
        self.calendar.add_event(event).py_err().map(|_| ())
    }
}

#[pymethods]
impl PyIcsCalendar {
    /// An empty calendar; `name` becomes `X-WR-CALNAME`, which clients
    /// show. `process` (its name) and `components` (schedule name to
    /// component) are named in the events' summaries: `"Python 3.13.0"`,
    /// `"eat-slots application: production release"`.
    #[new]
    #[pyo3(signature = (name, *, process = None, components = None))]
    fn new(
        name: &str,
        process: Option<&str>,
        components: Option<std::collections::BTreeMap<String, String>>,
    ) -> Self {
        let mut calendar = IcsCalendar::new(name);
        if let Some(process) = process {
            calendar = calendar.with_process(process);
        }
        for (schedule, component) in components.unwrap_or_default() {
            calendar = calendar.with_component(&schedule, &component);
        }
        PyIcsCalendar {
            name: name.to_owned(),
            calendar,
        }
    }

    /// Adds one event per occurrence of `schedule`, each lasting
    /// `duration` (a `timedelta`). All or nothing: on an error (a UID
    /// already in the calendar, a negative duration) no event is added.
    fn add_occurrences(
        slf: &Bound<'_, Self>,
        schedule: &Bound<'_, PySchedule>,
        occurrences: &Bound<'_, PyAny>,
        duration: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let list: Vec<Occurrence> = each(
            occurrences,
            "occurrences",
            "an Occurrence",
            |o: &PyOccurrence| o.0.clone(),
        )?;
        let duration = convert::timedelta(duration, "duration")?;
        // Taken once the arguments (which may run Python code, as a
        // generator does) are read, so never held across Python code.
        let mut this = slf.borrow_mut();
        // The core adds event by event; a copy keeps a failed call from
        // leaving half of its events behind.
        let mut next = this.calendar.clone();
        next.add_occurrences(&schedule.get().0, &list, duration)
            .py_err()?;
        this.calendar = next;
        Ok(())
    }

    /// Adds one event per placed milestone (from `Milestones.resolve` for
    /// `occurrence`), each lasting `duration`. All or nothing, as
    /// `add_occurrences`.
    fn add_milestones(
        slf: &Bound<'_, Self>,
        schedule: &Bound<'_, PySchedule>,
        occurrence: &Bound<'_, PyOccurrence>,
        milestones: &Bound<'_, PyAny>,
        duration: &Bound<'_, PyAny>,
    ) -> PyResult<()> {
        let list: Vec<MilestoneAt> = each(
            milestones,
            "milestones",
            "a MilestoneAt",
            |m: &PyMilestoneAt| m.at.clone(),
        )?;
        let duration = convert::timedelta(duration, "duration")?;
        let mut this = slf.borrow_mut();
        let mut next = this.calendar.clone();
        next.add_milestones(&schedule.get().0, &occurrence.get().0, &list, duration)
            .py_err()?;
        this.calendar = next;
        Ok(())
    }

    /// The calendar's name.
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// The events' UIDs, in the order added.
    #[getter]
    fn uids(&self) -> Vec<String> {
        self.calendar
            .events()
            .iter()
            .map(|e| e.uid.clone())
            .collect()
    }

    fn __len__(&self) -> usize {
        self.calendar.events().len()
    }

    /// The calendar as RFC 5545 text (CRLF line ends), with `DTSTAMP` set
    /// to `now` (an aware datetime; pass a fixed one for identical bytes).
    fn to_ics(slf: &Bound<'_, Self>, now: &Bound<'_, PyAny>) -> PyResult<String> {
        // A tzinfo is Python code: read before the calendar is taken.
        let now = instant(now, "now")?;
        Ok(slf.borrow().calendar.to_ics(now))
    }

    fn __repr__(&self) -> String {
        format!("<IcsCalendar with {} events>", self.calendar.events().len())
    }
}
