//! Calendars: the built-in holiday sets, `builtin_holiday_sets` and
//! `builtin_holidays`.

use chrono::Datelike;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDate;
use release_core::calendar::builtin;

/// The names of the built-in holiday sets (`"us"`, `"england-wales"`,
/// `"ke"`).
#[pyfunction]
pub fn builtin_holiday_sets() -> Vec<&'static str> {
    builtin::NAMES.to_vec()
}

/// Every holiday and observed day of a built-in set in `year`, sorted by
/// date, as `(date, name, observed)`; observed days are named
/// `"<name> (observed)"`.
#[pyfunction]
pub fn builtin_holidays<'py>(
    py: Python<'py>,
    name: &str,
    year: i32,
) -> PyResult<Vec<(Bound<'py, PyDate>, String, bool)>> {
    // Python's dates span years 1 to 9999.
    if !(1..=9999).contains(&year) {
        return Err(PyValueError::new_err(format!(
            "invalid year {year}: expected 1 to 9999"
        )));
    }
    let set = builtin::by_name(name).ok_or_else(|| {
        PyValueError::new_err(format!(
            "invalid holiday set {name:?}: expected one of {}",
            builtin::NAMES.map(|n| format!("'{n}'")).join(", ")
        ))
    })?;
    set.holidays_in(year)
        .into_iter()
        .map(|h| {
            let date = PyDate::new(py, h.date.year(), h.date.month() as u8, h.date.day() as u8)?;
            Ok((date, h.name, h.observed))
        })
        .collect()
}
