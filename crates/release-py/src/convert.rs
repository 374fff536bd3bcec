//! Conversions between Python values and release-core values.
//!
//! Option names cross as strings, spelled by the core's vocabulary (typed
//! `Literal[...]` of its `NAMES` in the stubs, one alias per type); a wrong
//! value is the core's `ParseError` naming the accepted ones, a wrong type a
//! `TypeError` naming the argument and the type received. No name is
//! spelled here: [`name`] reads them, `.as_str()` writes them.

use std::borrow::Cow;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime, TimeDelta};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyDate, PyDateTime, PyDelta, PyDict, PyString, PyTime, PyTuple};
use release_core::version::{Scheme, TagScheme, Version};
use release_core::vocab::{self, Vocabulary};
use release_core::{Warned, collect_warnings};

use crate::errors::{IntoPy, warn};
use crate::scheme::PyScheme;
use crate::tags::PyTagScheme;
use crate::version::PyVersion;

/// The items of an iterable (not a `str`) that must all be instances of
/// the frozen pyclass `T`, each mapped by `take`: a `TypeError` names the
/// first item that is not, by its index (`windows[2] must be a Window, not
/// str`).
pub(crate) fn instances<T, R>(
    items: &Bound<'_, PyAny>,
    what: &str,
    class: &str,
    take: impl Fn(&T) -> R,
) -> PyResult<Vec<R>>
where
    T: pyo3::PyClass<Frozen = pyo3::pyclass::boolean_struct::True> + Sync,
{
    not_a_str(items, what)?;
    let mut out = Vec::new();
    for (i, item) in items.try_iter()?.enumerate() {
        let item = item?;
        let value = item.cast::<T>().map_err(|_| {
            PyTypeError::new_err(format!(
                "{what}[{i}] must be a {class}, not {}",
                type_name(&item)
            ))
        })?;
        out.push(take(value.get()));
    }
    Ok(out)
}

/// The name of a Python object's type, for messages.
/// An instant in a zone as chrono-tz's, which pyo3 turns into a
/// `zoneinfo.ZoneInfo` datetime; the core keeps chrono-tz out of its API,
/// so the zone is looked up by its name (one of chrono-tz's own).
pub(crate) fn zoned(
    zone: release_core::calendar::Zone,
    at: chrono::DateTime<chrono::Utc>,
) -> PyResult<chrono::DateTime<chrono_tz::Tz>> {
    let tz: chrono_tz::Tz = zone
        .name()
        .parse()
        .map_err(|e| PyValueError::new_err(format!("time zone {:?}: {e}", zone.name())))?;
    Ok(at.with_timezone(&tz))
}

pub(crate) fn type_name(ob: &Bound<'_, PyAny>) -> String {
    ob.get_type()
        .qualname()
        .map_or_else(|_| "?".to_owned(), |n| n.to_string())
}

/// The error for a value that should be a `str`: a `ValueError` naming the
/// lone surrogate of a `str` that UTF-8 cannot hold (`"\\ud800"`), else a
/// `TypeError` naming its type.
pub(crate) fn str_error(ob: &Bound<'_, PyAny>, what: &str) -> PyErr {
    if ob.is_instance_of::<PyString>() {
        // Python says where: UnicodeEncodeError.start.
        let at = ob
            .call_method1("encode", ("utf-8",))
            .err()
            .and_then(|e| e.value(ob.py()).getattr("start").ok())
            .and_then(|start| start.extract::<usize>().ok());
        let code = at
            .and_then(|i| ob.get_item(i).ok())
            .and_then(|c| c.call_method0("__repr__").ok())
            .map_or_else(String::new, |r| format!(" {r}"));
        let place = at.map_or_else(String::new, |i| format!(" at index {i}"));
        return PyValueError::new_err(format!(
            "{what} contains a lone surrogate{code}{place}, which is not text (it cannot be encoded as UTF-8)"
        ));
    }
    PyTypeError::new_err(format!("{what} must be a str, not {}", type_name(ob)))
}

/// A `str` argument, with [`str_error`]'s errors.
pub(crate) fn str_of(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<String> {
    ob.extract::<String>().map_err(|_| str_error(ob, what))
}

/// Python's `repr` of a string, for `__repr__` of objects holding free text.
pub(crate) fn repr_str(py: Python<'_>, text: &str) -> String {
    PyString::new(py, text)
        .repr()
        .map_or_else(|_| format!("{text:?}"), |r| r.to_string())
}

/// A value of the core's vocabulary (a holiday policy, a level, a weekday)
/// from a Python `str`: every name crosses as the core spells it
/// ([`Vocabulary::NAMES`]), and out again with `.as_str()`. An unknown name
/// is the core's `ParseError` (a `ValueError`) naming the closest and every
/// accepted name; a deprecated spelling is read with a `ReleaseWarning`;
/// anything but a `str` is a `TypeError` naming the argument `what`.
pub(crate) fn name<T: Vocabulary>(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<T> {
    let s = ob.cast::<PyString>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} must be a str (a {}: {}), not {}",
            T::WHAT,
            T::NAMES.join(", "),
            type_name(ob)
        ))
    })?;
    name_of(ob.py(), &s.to_cow()?)
}

/// [`name`] of text pyo3 already extracted (an argument with a default).
pub(crate) fn name_of<T: Vocabulary>(py: Python<'_>, text: &str) -> PyResult<T> {
    let Warned { value, warnings } = vocab::read::<T>(text).py_err()?;
    warn(py, &warnings)?;
    Ok(value)
}

/// Reads model types from a document (`serde_json::from_str`,
/// `toml::from_str`) with the core's warning collector, and raises the
/// warnings it reported (deprecated spellings) as `ReleaseWarning`s once
/// the value is read.
pub(crate) fn reading<R>(py: Python<'_>, read: impl FnOnce() -> R) -> PyResult<R> {
    let Warned { value, warnings } = collect_warnings(read);
    warn(py, &warnings)?;
    Ok(value)
}

/// A `datetime.date`. A `datetime.datetime` is refused although it is a
/// subclass of `date`: its date depends on the time zone it is read in, and
/// that choice belongs to the caller (`now.astimezone(tz).date()`), not to
/// a silent truncation here.
pub(crate) fn date(ob: &Bound<'_, PyAny>) -> PyResult<NaiveDate> {
    date_arg(ob, "date")
}

/// `date`, with the argument named `what` in messages.
pub(crate) fn date_arg(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<NaiveDate> {
    if ob.is_instance_of::<PyDateTime>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a datetime.date, not a datetime.datetime: pass the \
             day explicitly, e.g. now.astimezone(zone).date()"
        )));
    }
    if !ob.is_instance_of::<PyDate>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a datetime.date, not {}",
            type_name(ob)
        )));
    }
    let year: i32 = ob.getattr("year")?.extract()?;
    let month: u32 = ob.getattr("month")?.extract()?;
    let day: u32 = ob.getattr("day")?.extract()?;
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or_else(|| PyValueError::new_err(format!("invalid {what} {year}-{month}-{day}")))
}

/// A version read from one text, its lenient reads (an uppercase
/// pre-release label) raised as `ReleaseWarning`s. The batch functions
/// (`sort_tags`, `latest_tag`, `parse_tags`, `existing` lists) do not warn:
/// `Version.warnings` has them.
pub(crate) fn parsed(py: Python<'_>, read: release_core::Result<Version>) -> PyResult<Version> {
    let version = read.py_err()?;
    warn(py, &version.warnings())?;
    Ok(version)
}

/// A version argument: a `Version`, or a `str` read by `scheme` (a
/// `ParseError` when it does not conform).
pub(crate) fn version_arg(scheme: &Scheme, ob: &Bound<'_, PyAny>, what: &str) -> PyResult<Version> {
    if let Ok(v) = ob.cast::<PyVersion>() {
        return Ok(v.get().0.clone());
    }
    if let Ok(s) = ob.cast::<PyString>() {
        return parsed(ob.py(), scheme.parse(&text(s)?));
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be a Version or str, not {}",
        type_name(ob)
    )))
}

/// A `Version` argument (no text: no scheme to read it with).
pub(crate) fn version_only(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<Version> {
    match ob.cast::<PyVersion>() {
        Ok(v) => Ok(v.get().0.clone()),
        Err(_) => Err(PyTypeError::new_err(format!(
            "{what} must be a Version, not {}",
            type_name(ob)
        ))),
    }
}

/// Refuses a bare `str` where an iterable of items is expected: iterating
/// it would silently yield characters.
pub(crate) fn not_a_str(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<()> {
    if ob.is_instance_of::<PyString>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be an iterable of items, not a single str"
        )));
    }
    Ok(())
}

/// The existing releases: `Version`s, or `str`s read by `read`. Text that
/// `read` does not accept is skipped, as the core skips foreign versions: a
/// repository's tag list holds other components' tags and junk.
pub(crate) fn existing(
    ob: &Bound<'_, PyAny>,
    what: &str,
    read: impl Fn(&str) -> Option<Version>,
) -> PyResult<Vec<Version>> {
    not_a_str(ob, what)?;
    let mut out = Vec::new();
    for (i, item) in ob.try_iter()?.enumerate() {
        let item = item?;
        if let Ok(v) = item.cast::<PyVersion>() {
            out.push(v.get().0.clone());
        } else if let Ok(s) = item.cast::<PyString>() {
            out.extend(read(&text(s)?));
        } else {
            return Err(PyTypeError::new_err(format!(
                "{what}[{i}] must be a Version or str, not {}",
                type_name(&item)
            )));
        }
    }
    Ok(out)
}

/// Reads an iterable of `str` in one pass, keeping the caller's own `str`
/// objects so that results can return them rather than new strings.
pub(crate) fn strings<'py>(
    ob: &Bound<'py, PyAny>,
    what: &str,
) -> PyResult<Vec<Bound<'py, PyString>>> {
    not_a_str(ob, what)?;
    let mut items = Vec::with_capacity(ob.len().unwrap_or(0));
    for (i, item) in ob.try_iter()?.enumerate() {
        let s = item?.cast_into::<PyString>().map_err(|e| {
            PyTypeError::new_err(format!(
                "{what}[{i}] must be str, not {}",
                type_name(e.into_inner().as_any())
            ))
        })?;
        items.push(s);
    }
    Ok(items)
}

/// The text of each string.
pub(crate) fn texts<'a>(items: &'a [Bound<'_, PyString>]) -> PyResult<Vec<Cow<'a, str>>> {
    items.iter().map(text).collect()
}

/// The text of a `str`, borrowed from the string's own UTF-8 buffer. This is
/// the hot loop of the batch functions; it borrows because the extension
/// targets the 3.10 stable ABI, where `PyUnicode_AsUTF8AndSize` is public
/// (on the 3.9 ABI pyo3 has to encode and copy every item, which cost more
/// than parsing the tag).
pub(crate) fn text<'a>(s: &'a Bound<'_, PyString>) -> PyResult<Cow<'a, str>> {
    s.to_str().map(Cow::Borrowed)
}

/// The tag scheme of a batch function: a `TagScheme`, a `Scheme` (bare
/// `{version}` tags) or `None` (SemVer, optional `v`).
pub(crate) fn tag_scheme(ob: Option<&Bound<'_, PyAny>>) -> PyResult<TagScheme> {
    let Some(ob) = ob.filter(|o| !o.is_none()) else {
        return Ok(TagScheme::from(Scheme::semver()));
    };
    if let Ok(t) = ob.cast::<PyTagScheme>() {
        return Ok(t.get().0.clone());
    }
    if let Ok(s) = ob.cast::<PyScheme>() {
        return Ok(TagScheme::from(s.get().0.clone()));
    }
    Err(PyTypeError::new_err(format!(
        "scheme must be a Scheme, a TagScheme or None, not {}",
        type_name(ob)
    )))
}

/// A naive `datetime.time`: a wall-clock time whose offset a zone given
/// elsewhere decides, so an aware one is refused rather than half-read.
pub(crate) fn local_time(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<NaiveTime> {
    if !ob.is_instance_of::<PyTime>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a datetime.time, not {}",
            type_name(ob)
        )));
    }
    if !ob.getattr("tzinfo")?.is_none() {
        return Err(PyValueError::new_err(format!(
            "{what} must be a naive datetime.time: the zone gives its offset"
        )));
    }
    ob.extract()
}

/// A naive `datetime.datetime`: a wall-clock date and time in a zone given
/// elsewhere (an aware one is refused, as in `local_time`).
pub(crate) fn local_datetime(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<NaiveDateTime> {
    if !ob.is_instance_of::<PyDateTime>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a naive datetime.datetime, not {}",
            type_name(ob)
        )));
    }
    if !ob.getattr("tzinfo")?.is_none() {
        return Err(PyValueError::new_err(format!(
            "{what} must be a naive datetime.datetime (local wall-clock time): the zone gives its offset"
        )));
    }
    ob.extract()
}

/// A `datetime.timedelta`.
pub(crate) fn timedelta(ob: &Bound<'_, PyAny>, what: &str) -> PyResult<TimeDelta> {
    if !ob.is_instance_of::<PyDelta>() {
        return Err(PyTypeError::new_err(format!(
            "{what} must be a datetime.timedelta, not {}",
            type_name(ob)
        )));
    }
    ob.extract()
}

/// A tuple of exactly `N` items; `shape` names them for the message
/// (`"(start, end)"`).
pub(crate) fn tuple_of<'py, const N: usize>(
    ob: &Bound<'py, PyAny>,
    what: &str,
    shape: &str,
) -> PyResult<[Bound<'py, PyAny>; N]> {
    let t = ob.cast::<PyTuple>().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} must be a tuple {shape}, not {}",
            type_name(ob)
        ))
    })?;
    let items: Vec<Bound<'py, PyAny>> = t.iter().collect();
    let len = items.len();
    items.try_into().map_err(|_| {
        PyTypeError::new_err(format!(
            "{what} must be a tuple {shape} of {N} items, not {len}"
        ))
    })
}

/// A dict argument whose keys are all among `known`; the message for a
/// missing key or a wrong type names `what` (`"swaps[0]"`).
pub(crate) struct Fields<'py> {
    dict: Bound<'py, PyDict>,
    what: String,
}

impl<'py> Fields<'py> {
    /// Checks the type and the keys.
    pub(crate) fn new(ob: &Bound<'py, PyAny>, what: String, known: &[&str]) -> PyResult<Self> {
        let dict = ob.cast::<PyDict>().map_err(|_| {
            PyTypeError::new_err(format!("{what} must be a dict, not {}", type_name(ob)))
        })?;
        for key in dict.keys() {
            let key: String = key
                .extract()
                .map_err(|_| PyTypeError::new_err(format!("{what} must have str keys")))?;
            if !known.contains(&key.as_str()) {
                return Err(PyValueError::new_err(format!(
                    "{what} has an unknown key {key:?}: expected {}",
                    known
                        .iter()
                        .map(|k| format!("{k:?}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                )));
            }
        }
        Ok(Fields {
            dict: dict.clone(),
            what,
        })
    }

    /// The value of `key` (None and absent alike give `None`).
    pub(crate) fn optional(&self, key: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        Ok(self.dict.get_item(key)?.filter(|v| !v.is_none()))
    }

    /// The value of `key`, which must be present.
    pub(crate) fn required(&self, key: &str) -> PyResult<Bound<'py, PyAny>> {
        self.optional(key)?
            .ok_or_else(|| PyValueError::new_err(format!("{} has no {key:?}", self.what)))
    }

    /// `"<what>[<key>]"`, for the messages of the value's own conversion.
    pub(crate) fn name(&self, key: &str) -> String {
        format!("{}[{key:?}]", self.what)
    }

    /// A `str` value.
    pub(crate) fn string(&self, key: &str) -> PyResult<Option<String>> {
        self.optional(key)?
            .map(|v| str_of(&v, &self.name(key)))
            .transpose()
    }

    /// A `datetime.date` value.
    pub(crate) fn date(&self, key: &str) -> PyResult<Option<NaiveDate>> {
        self.optional(key)?
            .map(|v| date_arg(&v, &self.name(key)))
            .transpose()
    }
}
