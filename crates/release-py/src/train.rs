//! Release trains: `Simulation`, `Week`, `Holding` (made by
//! `Process.simulate`), and scenarios from plain data.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDate, PyDateTime, PyDict, PyInt, PyString};
use release_core::train::{Holding, Scenario, Simulation, Week, When};

use crate::errors::IntoPy;
use crate::schedule::instant;
use crate::{convert, json};

/// Adds the train classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<PySimulation>()?;
    m.add_class::<PyWeek>()?;
    m.add_class::<PyHolding>()?;
    Ok(())
}

/// A point in a scenario: `"YYYY-MM-DD"` or RFC 3339 text, a
/// `datetime.date` (the start of that local day), an aware `datetime`.
fn when(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<When> {
    if ob.is_instance_of::<PyDateTime>() {
        return Ok(When::Instant(instant(ob, what)?));
    }
    if ob.is_instance_of::<PyDate>() {
        return Ok(When::Date(convert::date_arg(ob, what)?));
    }
    if let Ok(s) = ob.cast::<PyString>() {
        return s.to_cow()?.parse::<When>().py_err();
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be a datetime.date, an aware datetime or a str, not {}",
        convert::type_name(ob)
    )))
}

fn whens(ob: Option<Bound<'_, PyAny>>, what: &str) -> PyResult<Vec<When>> {
    let Some(ob) = ob else { return Ok(Vec::new()) };
    convert::not_a_str(&ob, what)?;
    ob.try_iter()?
        .enumerate()
        .map(|(i, item)| when(&item?, &format!("{what}[{i}]")))
        .collect()
}

fn count(ob: Option<Bound<'_, PyAny>>, what: &str) -> PyResult<Option<u32>> {
    ob.map(|v| {
        if !v.is_instance_of::<PyInt>() || v.is_instance_of::<pyo3::types::PyBool>() {
            return Err(PyTypeError::new_err(format!(
                "{what} must be an int, not {}",
                convert::type_name(&v)
            )));
        }
        v.extract::<u32>()
            .map_err(|_| PyValueError::new_err(format!("{what} must be a non-negative int")))
    })
    .transpose()
}

/// A scenario from a dict in the `[trains.scenario]` shape.
pub(crate) fn scenario_arg(ob: &Bound<'_, PyAny>) -> PyResult<Scenario> {
    let spec = convert::Fields::new(
        ob,
        "scenario".to_owned(),
        &[
            "start",
            "weeks",
            "cycles",
            "initial",
            "latest",
            "merges",
            "hotfixes",
            "warmfixes",
            "points",
        ],
    )?;
    let start = when(&spec.required("start")?, &spec.name("start"))?;
    let mut initial = BTreeMap::new();
    if let Some(d) = spec.optional("initial")? {
        let d = d.cast::<PyDict>().map_err(|_| {
            PyTypeError::new_err(format!(
                "scenario[\"initial\"] must be a dict of environment to tag, not {}",
                convert::type_name(&d)
            ))
        })?;
        for (k, v) in d.iter() {
            let (Ok(env), Ok(tag)) = (k.extract::<String>(), v.extract::<String>()) else {
                return Err(PyTypeError::new_err(
                    "scenario[\"initial\"] must map str environments to str tags",
                ));
            };
            initial.insert(env, tag);
        }
    }
    let mut points = BTreeMap::new();
    if let Some(d) = spec.optional("points")? {
        let d = d.cast::<PyDict>().map_err(|_| {
            PyTypeError::new_err(format!(
                "scenario[\"points\"] must be a dict of environment to times, not {}",
                convert::type_name(&d)
            ))
        })?;
        for (k, v) in d.iter() {
            let Ok(env) = k.extract::<String>() else {
                return Err(PyTypeError::new_err(
                    "scenario[\"points\"] must map str environments to lists of times",
                ));
            };
            let what = format!("scenario[\"points\"][{env:?}]");
            points.insert(env, whens(Some(v), &what)?);
        }
    }
    Ok(Scenario {
        start,
        weeks: count(spec.optional("weeks")?, &spec.name("weeks"))?,
        cycles: count(spec.optional("cycles")?, &spec.name("cycles"))?,
        initial,
        latest: spec.string("latest")?,
        merges: whens(spec.optional("merges")?, &spec.name("merges"))?,
        hotfixes: whens(spec.optional("hotfixes")?, &spec.name("hotfixes"))?,
        warmfixes: whens(spec.optional("warmfixes")?, &spec.name("warmfixes"))?,
        points,
    })
}

/// A train played week by week: what every environment held, and why.
#[pyclass(module = "release_core", name = "Simulation", frozen)]
pub struct PySimulation(pub(crate) Simulation);

#[pymethods]
impl PySimulation {
    /// The train's name.
    #[getter]
    fn train(&self) -> &str {
        &self.0.train
    }

    /// The environments, in promotion order.
    #[getter]
    fn environments(&self) -> Vec<String> {
        self.0.environments.clone()
    }

    /// The weeks played, first first.
    #[getter]
    fn weeks(&self) -> Vec<PyWeek> {
        self.0.weeks.iter().cloned().map(PyWeek).collect()
    }

    /// The table process documents draw: a row per week, a column per
    /// environment.
    fn table(&self) -> String {
        self.0.to_table()
    }

    /// Every week with its release day, the schedule's notes and each
    /// environment's tag and reasons: the table's explanation.
    fn report(&self) -> String {
        self.0.to_report()
    }

    /// This simulation with only the weeks where something happens: a
    /// release day, or an environment that changed.
    fn brief(&self) -> PySimulation {
        PySimulation(self.0.brief())
    }

    /// The table of the brief weeks, with their dates and a `*` after each
    /// tag that changed (`release simulate --brief`).
    fn brief_table(&self) -> String {
        self.0.to_brief()
    }

    /// The JSON form.
    fn to_json(&self) -> PyResult<String> {
        json::to_text(&self.0)
    }

    fn __len__(&self) -> usize {
        self.0.weeks.len()
    }

    fn __str__(&self) -> String {
        self.0.to_table()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<Simulation {} ({} weeks)>",
            convert::repr_str(py, &self.0.train),
            self.0.weeks.len()
        )
    }
}

/// One week of a simulation.
#[pyclass(module = "release_core", name = "Week", frozen)]
pub struct PyWeek(Week);

#[pymethods]
impl PyWeek {
    /// The week's number, from 1.
    #[getter]
    fn number(&self) -> u32 {
        self.0.number
    }

    /// The first day of the week.
    #[getter]
    fn start(&self) -> NaiveDate {
        self.0.start
    }

    /// The week within its cycle, from 1.
    #[getter]
    fn cycle_week(&self) -> u32 {
        self.0.cycle_week
    }

    /// The local date of the week's release day, if it has one (after
    /// holiday moves).
    #[getter]
    fn release_day(&self) -> Option<NaiveDate> {
        self.0.release_day.as_ref().map(|d| d.date)
    }

    /// The instant of the week's release, if any (UTC).
    #[getter]
    fn release_at(&self) -> Option<DateTime<Utc>> {
        self.0.release_day.as_ref().map(|d| d.at)
    }

    /// The days of the train's other schedules and its point releases
    /// this week: (date, what).
    #[getter]
    fn days(&self) -> Vec<(NaiveDate, String)> {
        self.0
            .days
            .iter()
            .map(|d| (d.date, d.what.clone()))
            .collect()
    }

    /// What the schedule did this week: holiday moves and skips, "no
    /// release day this week".
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.0.notes.clone()
    }

    /// What each environment holds at the end of the week, in promotion
    /// order.
    #[getter]
    fn environments(&self) -> Vec<PyHolding> {
        self.0.environments.iter().cloned().map(PyHolding).collect()
    }

    /// The tag `environment` holds at the end of the week, or None.
    fn tag(&self, environment: &str) -> Option<String> {
        self.0
            .environments
            .iter()
            .find(|h| h.environment == environment)
            .and_then(|h| h.tag.clone())
    }

    fn __repr__(&self) -> String {
        let held: Vec<String> = self
            .0
            .environments
            .iter()
            .map(|h| format!("{}={}", h.environment, h.tag.as_deref().unwrap_or("-")))
            .collect();
        format!("<Week {} {}>", self.0.number, held.join(" "))
    }
}

/// What an environment holds at the end of a week, and why.
#[pyclass(module = "release_core", name = "Holding", frozen)]
pub struct PyHolding(Holding);

#[pymethods]
impl PyHolding {
    /// The environment.
    #[getter]
    fn environment(&self) -> &str {
        &self.0.environment
    }

    /// The tag it holds, if any.
    #[getter]
    fn tag(&self) -> Option<&str> {
        self.0.tag.as_deref()
    }

    /// Where the tag came from: `"initial"`, `"release"`, `"hotfix"` or
    /// `"warmfix"`.
    #[getter]
    fn kind(&self) -> Option<&'static str> {
        self.0.kind.map(|k| k.as_str())
    }

    /// Whether it changed during the week.
    #[getter]
    fn changed(&self) -> bool {
        self.0.changed
    }

    /// Every deployment of the week, as `(tag, kind, at)`.
    #[getter]
    fn deployed(&self) -> Vec<(String, &'static str, DateTime<Utc>)> {
        self.0
            .deployed
            .iter()
            .map(|d| (d.tag.clone(), d.kind.as_str(), d.at))
            .collect()
    }

    /// Why it holds what it holds.
    #[getter]
    fn reasons(&self) -> Vec<String> {
        self.0.reasons.clone()
    }

    fn __repr__(&self, py: Python<'_>) -> String {
        format!(
            "<Holding {} {}{}>",
            convert::repr_str(py, &self.0.environment),
            self.0
                .tag
                .as_deref()
                .map_or_else(|| "None".to_owned(), |t| convert::repr_str(py, t)),
            if self.0.changed { " changed" } else { "" }
        )
    }
}
