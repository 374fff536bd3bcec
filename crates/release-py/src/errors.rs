//! The exception tree, declared here and nowhere else.
//!
//! ```text
//! Exception
//! └── ReleaseError            every error release-core reports
//!     ├── ParseError          (also ValueError) text could not be read
//!     ├── ConfigError         (also ValueError) an inconsistent definition
//!     └── RefusedError        a well-formed request the state refuses
//! ```
//!
//! `ParseError` and `ConfigError` are also `ValueError`s because in Python
//! both are "this argument's value is wrong" (a tag, a CalVer format, a tag
//! template), so `except ValueError` keeps working for callers who do not
//! know our names. `RefusedError` is not: the arguments were fine, the
//! request was not (a candidate is required, the date is in the past).
//!
//! An error from a source text (a process file) carries its place: `str()`
//! is `file:line:column: message` followed by the line and a caret, and the
//! instance has `source_name`, `line` and `column` (1-based). Every other
//! error has them as None (class attributes of `ReleaseError`).
//!
//! pyo3's `create_exception!` takes one base class, so the classes are made
//! with `type(name, bases, namespace)` once per interpreter and cached.
//!
//! A Rust panic is a bug, never an answer. pyo3 catches every panic at the
//! boundary (in each function and method, in argument and result
//! conversion, and again when a panic crosses a Python executor back into
//! the driver) and raises its `pyo3_runtime.PanicException`, a
//! `BaseException` that `except Exception` lets through. pyo3 offers no hook
//! to choose that class, so [`register`] makes pyo3's own class (one per
//! extension module, this one's alone) a subclass of `ReleaseError` whose
//! message ends with a request to report the bug. That covers every entry
//! point by construction, which wrapping each method body in
//! `catch_unwind` would not (argument conversion runs before the body).
//! It needs `ReleaseError` to have the layout of `Exception`
//! (`__slots__ = ()`, so its instances take no weak references; they keep
//! their `__dict__`), which CPython checks when `__bases__` is assigned.
//!
//! Warnings are the core's values ([`release_core::Warning`]: a deprecated
//! spelling, a lenient read, an unread tag), raised with Python's
//! `warnings.warn` as one category, so `-W error` and `warnings.catch_warnings`
//! work as for any library:
//!
//! ```text
//! Warning
//! └── UserWarning
//!     └── ReleaseWarning      what release-core read but would rather be written otherwise
//! ```

use pyo3::exceptions::{PyException, PyUserWarning, PyValueError};
use pyo3::panic::PanicException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};
use release_core::{Error, ErrorKind, Warning};

static RELEASE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static PARSE_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static CONFIG_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static REFUSED_ERROR: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static RELEASE_WARNING: PyOnceLock<Py<PyType>> = PyOnceLock::new();
static WARN: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn make<'py>(
    py: Python<'py>,
    name: &str,
    bases: Bound<'py, PyTuple>,
    doc: &str,
    slots: bool,
) -> PyResult<Py<PyType>> {
    let namespace = PyDict::new(py);
    namespace.set_item("__module__", "release_core")?;
    namespace.set_item("__doc__", doc)?;
    if slots {
        namespace.set_item("__slots__", PyTuple::empty(py))?;
    }
    let class = py.get_type::<PyType>().call1((name, bases, namespace))?;
    Ok(class.cast_into::<PyType>()?.unbind())
}

fn release_error(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    RELEASE_ERROR
        .get_or_try_init(py, || {
            let bases = PyTuple::new(py, [py.get_type::<PyException>()])?;
            let class = make(
                py,
                "ReleaseError",
                bases,
                "Base class of every error release-core raises.",
                // The layout of `Exception`, so that pyo3's PanicException
                // can derive from it (see the module documentation).
                true,
            )?;
            // Defaults for errors without a place; `to_py` sets them on the
            // instances of those with one.
            for attr in ["source_name", "line", "column"] {
                class.bind(py).setattr(attr, py.None())?;
            }
            Ok::<_, PyErr>(class)
        })
        .map(|t| t.bind(py))
}

fn sub_error<'py>(
    py: Python<'py>,
    cell: &'static PyOnceLock<Py<PyType>>,
    name: &str,
    value_error: bool,
    doc: &str,
) -> PyResult<&'py Bound<'py, PyType>> {
    cell.get_or_try_init(py, || {
        let mut bases = vec![release_error(py)?.clone()];
        if value_error {
            bases.push(py.get_type::<PyValueError>());
        }
        make(py, name, PyTuple::new(py, bases)?, doc, false)
    })
    .map(|t| t.bind(py))
}

fn parse_error(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    sub_error(
        py,
        &PARSE_ERROR,
        "ParseError",
        true,
        "Text could not be read: a tag, a version, a format string, a rule.",
    )
}

fn config_error(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    sub_error(
        py,
        &CONFIG_ERROR,
        "ConfigError",
        true,
        "A definition is inconsistent: a CalVer format without a year, a tag \
         template without {version}, an operation the scheme does not support.",
    )
}

fn refused_error(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    sub_error(
        py,
        &REFUSED_ERROR,
        "RefusedError",
        false,
        "A well-formed request that the current state refuses: promoting a \
         final when a candidate is required, a CalVer release for a past date.",
    )
}

/// Makes pyo3's `PanicException` a `ReleaseError` that asks for a bug
/// report (see the module documentation).
const PANICS: &std::ffi::CStr = c"
def install(panic, base, hint):
    panic.__bases__ = (base,)

    def __str__(self):
        return base.__str__(self) + hint

    panic.__str__ = __str__
    panic.__doc__ = (
        'A Rust panic inside release-core: a bug, raised as a ReleaseError.'
    )
";

fn panics_are_release_errors(py: Python<'_>) -> PyResult<()> {
    let hint = format!(
        " (a panic inside release-core: this is a bug, not a problem with the input; please report it, with the call that raised it, at {}/issues)",
        env!("CARGO_PKG_REPOSITORY")
    );
    PyModule::from_code(
        py,
        PANICS,
        c"release_core/_panics.py",
        c"release_core._panics",
    )?
    .getattr("install")?
    .call1((py.get_type::<PanicException>(), release_error(py)?, hint))?;
    Ok(())
}

/// Panics with `message`: the test suite's way to prove that a panic
/// reaches Python as a `ReleaseError`. Test-only, so it is private and
/// absent from the stubs.
#[pyfunction]
#[pyo3(name = "_panic_for_test")]
fn panic_for_test(message: &str) {
    panic!("{message}");
}

/// The warning category of release-core.
fn release_warning(py: Python<'_>) -> PyResult<&Bound<'_, PyType>> {
    RELEASE_WARNING
        .get_or_try_init(py, || {
            let bases = PyTuple::new(py, [py.get_type::<PyUserWarning>()])?;
            make(
                py,
                "ReleaseWarning",
                bases,
                "A warning of release-core: a deprecated spelling that is still \
                 read, input read leniently (an uppercase pre-release label), or \
                 input left out of an answer (a tag that is not of the scheme).",
                false,
            )
        })
        .map(|t| t.bind(py))
}

/// Adds the exception and warning classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("ReleaseError", release_error(py)?)?;
    m.add("ParseError", parse_error(py)?)?;
    m.add("ConfigError", config_error(py)?)?;
    m.add("RefusedError", refused_error(py)?)?;
    panics_are_release_errors(py)?;
    // An attribute, not `add_function`: that would list it in `__all__`.
    m.setattr("_panic_for_test", wrap_pyfunction!(panic_for_test, m)?)?;
    m.add("ReleaseWarning", release_warning(py)?)?;
    Ok(())
}

/// Raises each of the core's warnings with `warnings.warn(message,
/// ReleaseWarning, stacklevel=1)`: the message is the warning's `Display`
/// (`file:line:col: message` for one placed in a document). Level 1 is the
/// Python line that called into the binding, since a native function adds
/// no frame of its own. An error is the warnings filter turning a warning
/// into an exception (`-W error`); it is the caller's to raise.
pub(crate) fn warn(py: Python<'_>, warnings: &[Warning]) -> PyResult<()> {
    if warnings.is_empty() {
        return Ok(());
    }
    let warn = WARN
        .get_or_try_init(py, || {
            Ok::<_, PyErr>(py.import("warnings")?.getattr("warn")?.unbind())
        })?
        .bind(py);
    let category = release_warning(py)?;
    for w in warnings {
        warn.call1((w.to_string(), category, 1))?;
    }
    Ok(())
}

/// The Python exception for a release-core error, chosen by its kind.
pub(crate) fn to_py(err: Error) -> PyErr {
    Python::attach(|py| {
        let class = match err.kind() {
            ErrorKind::Parse => parse_error(py),
            // An invalid pipeline (a cycle, a dangling reference) is a
            // definition that does not hold together, as a config error is.
            ErrorKind::Config | ErrorKind::Invalid => config_error(py),
            ErrorKind::Refused => refused_error(py),
            // A kind added to the core later is still a ReleaseError.
            _ => release_error(py),
        };
        let class = match class {
            Ok(class) => class.clone(),
            Err(e) => return e,
        };
        let Some(at) = err.location() else {
            return PyErr::from_type(class, err.message().to_owned());
        };
        // The whole rustc-style text: `file:line:col: message`, the line,
        // a caret.
        let located = PyErr::from_type(class, err.to_string());
        let value = located.value(py);
        let placed = value
            .setattr("source_name", at.source.as_str())
            .and_then(|()| value.setattr("line", at.line))
            .and_then(|()| value.setattr("column", at.column));
        match placed {
            Ok(()) => located,
            Err(e) => e,
        }
    })
}

/// Shorthand for converting a release-core result.
pub(crate) trait IntoPy<T> {
    /// Converts the error, if any, with [`to_py`].
    fn py_err(self) -> PyResult<T>;
}

impl<T> IntoPy<T> for release_core::Result<T> {
    fn py_err(self) -> PyResult<T> {
        self.map_err(to_py)
    }
}

/// A `ParseError` with a message of the binding's own (text the core never
/// saw, such as a JSON document that serde rejected).
pub(crate) fn parse_error_new(message: String) -> PyErr {
    Python::attach(|py| match parse_error(py) {
        Ok(class) => PyErr::from_type(class.clone(), message),
        Err(e) => e,
    })
}

/// A `ConfigError` with a message of the binding's own (an argument the
/// core never saw, such as a count above the binding's limit).
pub(crate) fn config_error_new(message: String) -> PyErr {
    Python::attach(|py| match config_error(py) {
        Ok(class) => PyErr::from_type(class.clone(), message),
        Err(e) => e,
    })
}
