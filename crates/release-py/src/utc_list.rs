//! Lists of instants as aware UTC `datetime`s, made as cheaply as the
//! stable ABI allows: it has no C API for datetimes, so every object is
//! made through Python calls, and which call matters (a schedule's 261
//! instants were a third of `Schedule.instants`).

use chrono::{DateTime, Datelike, Timelike, Utc};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyList};

/// How many distinct steps between neighbours keep their `timedelta`: a
/// schedule has a few (its interval, the interval and an hour either way
/// across daylight saving time, a day more or less where a holiday moved
/// one).
const STEPS_KEPT: usize = 8;

/// The instants as a list of aware `datetime`s in `datetime.timezone.utc`,
/// in the given order.
///
/// The first is made from its pickle state; each next one is the previous
/// plus a `timedelta` of the step between them: `datetime + timedelta` is
/// C arithmetic without argument parsing, about half the cost of the
/// constructor from a state (measured: 58 against 116 ns), and exact in
/// UTC. The `timedelta`s of recent steps are reused.
///
/// # Errors
///
/// `ValueError` naming `what` for an instant outside the years 1 to 9999
/// that `datetime` has.
pub(crate) fn utc_datetimes<'py>(
    py: Python<'py>,
    instants: &[DateTime<Utc>],
    what: &str,
) -> PyResult<Bound<'py, PyList>> {
    let module = py.import("datetime")?;
    let (class, timedelta) = (module.getattr("datetime")?, module.getattr("timedelta")?);
    let utc = module.getattr("timezone")?.getattr("utc")?;
    let mut items: Vec<Bound<'py, PyAny>> = Vec::with_capacity(instants.len());
    let mut steps: Vec<(i64, Bound<'py, PyAny>)> = Vec::with_capacity(STEPS_KEPT);
    // The microseconds of `items.last()`.
    let mut before = 0;
    for t in instants {
        let out_of_range = || {
            PyValueError::new_err(format!(
                "{what}: {t} is outside the years 1 to 9999 of datetime.datetime"
            ))
        };
        if !(1..=9999).contains(&t.year()) {
            return Err(out_of_range());
        }
        let micros = micros_of(t);
        let item = match items.last() {
            Some(last) => {
                let step = micros - before;
                let delta = match steps.iter().find(|(s, _)| *s == step) {
                    Some((_, delta)) => delta.clone(),
                    None => {
                        let delta = timedelta.call1((0, 0, step))?;
                        if steps.len() == STEPS_KEPT {
                            steps.remove(0);
                        }
                        steps.push((step, delta.clone()));
                        delta
                    }
                };
                last.add(delta)?
            }
            None => {
                let state = datetime_state(t).ok_or_else(out_of_range)?;
                class.call1((PyBytes::new(py, &state), &utc))?
            }
        };
        before = micros;
        items.push(item);
    }
    PyList::new(py, items)
}

/// Microseconds since the Unix epoch, with a leap second's fraction held
/// below the next second as [`datetime_state`] holds it.
fn micros_of(t: &DateTime<Utc>) -> i64 {
    t.timestamp() * 1_000_000 + i64::from(t.timestamp_subsec_micros().min(999_999))
}

/// The state `datetime.datetime` pickles itself as (`__reduce__`): year
/// (two bytes, big-endian), month, day, hour, minute, second, and
/// microseconds (three bytes). `datetime(state, tzinfo)` copies it in
/// without parsing or converting numbers, about half the cost of
/// `fromisoformat` and a third of the eight-argument constructor; the
/// format is fixed by pickle compatibility. `None` outside Python's years
/// 1 to 9999, which `datetime` would not check on this path.
fn datetime_state(t: &DateTime<Utc>) -> Option<[u8; 10]> {
    let year = u16::try_from(t.year())
        .ok()
        .filter(|y| (1..=9999).contains(y))?;
    let [hi, lo] = year.to_be_bytes();
    // Below 10^6: a leap second's 60th is not a microsecond count Python has.
    let micros = t.timestamp_subsec_micros().min(999_999);
    let [_, m2, m1, m0] = micros.to_be_bytes();
    let byte = |n: u32| n as u8; // month, day, hour, minute, second: < 60
    Some([
        hi,
        lo,
        byte(t.month()),
        byte(t.day()),
        byte(t.hour()),
        byte(t.minute()),
        byte(t.second()),
        m2,
        m1,
        m0,
    ])
}
