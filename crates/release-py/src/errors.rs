//! The exception tree, declared here and nowhere else: [`TREE`] lists every
//! class with its bases and documentation, in the order they are made. The
//! module exposes it as `_release_core._EXCEPTION_TREE` (private, not in
//! `__all__`), and `tests/test_exports.py` checks the runtime classes,
//! the stubs and the package's documentation against it.
//!
//! ```text
//! Exception
//! └── ReleaseError            every error release-core reports
//!     ├── ParseError          (also ValueError) text could not be read
//!     ├── ConfigError         (also ValueError) an inconsistent definition
//!     └── RefusedError        a well-formed request the state refuses
//!         └── RunBusyError    (also RuntimeError) a Run used while it is driven
//! ```
//!
//! `ParseError` and `ConfigError` are also `ValueError`s because in Python
//! both are "this argument's value is wrong" (a tag, a CalVer format, a tag
//! template), so `except ValueError` keeps working for callers who do not
//! know our names. `RefusedError` is not: the arguments were fine, the
//! request was not (a candidate is required, the date is in the past).
//! `RunBusyError` is a refusal of the run's state (it is being driven) and
//! also a `RuntimeError`, the class Python gives to an object used
//! re-entrantly (and the one pyo3 raised before it existed).
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

use pyo3::panic::PanicException;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyTuple, PyType};
use release_core::{Error, ErrorKind, Warning};

/// A class of the tree.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    Release,
    Parse,
    Config,
    Refused,
    RunBusy,
    Warning,
}

/// One class as declared: its name, the class of ours it derives from
/// (first base), the Python built-in it also derives from, its docstring.
struct Decl {
    class: Class,
    name: &'static str,
    parent: Option<Class>,
    builtin: Option<&'static str>,
    doc: &'static str,
}

/// The tree, parents before their children.
const TREE: &[Decl] = &[
    Decl {
        class: Class::Release,
        name: "ReleaseError",
        parent: None,
        builtin: Some("Exception"),
        doc: "Base class of every error release-core raises.",
    },
    Decl {
        class: Class::Parse,
        name: "ParseError",
        parent: Some(Class::Release),
        builtin: Some("ValueError"),
        doc: "Text could not be read: a tag, a version, a format string, a rule.",
    },
    Decl {
        class: Class::Config,
        name: "ConfigError",
        parent: Some(Class::Release),
        builtin: Some("ValueError"),
        doc: "A definition is inconsistent: a CalVer format without a year, a tag \
              template without {version}, an operation the scheme does not support.",
    },
    Decl {
        class: Class::Refused,
        name: "RefusedError",
        parent: Some(Class::Release),
        builtin: None,
        doc: "A well-formed request that the current state refuses: promoting a \
              final when a candidate is required, a CalVer release for a past date.",
    },
    Decl {
        class: Class::RunBusy,
        name: "RunBusyError",
        parent: Some(Class::Refused),
        builtin: Some("RuntimeError"),
        doc: "A Run used while it is being driven: by its own executor or \
              observer, or by another thread, before Run.drive returned.",
    },
    Decl {
        class: Class::Warning,
        name: "ReleaseWarning",
        parent: None,
        builtin: Some("UserWarning"),
        doc: "A warning of release-core: a deprecated spelling that is still \
              read, input read leniently (an uppercase pre-release label), or \
              input left out of an answer (a tag that is not of the scheme).",
    },
];

/// The classes of [`TREE`], made once per interpreter, in its order.
static CLASSES: PyOnceLock<Vec<Py<PyType>>> = PyOnceLock::new();
static WARN: PyOnceLock<Py<PyAny>> = PyOnceLock::new();

fn position(class: Class) -> usize {
    TREE.iter()
        .position(|d| d.class == class)
        .expect("every Class is declared in TREE")
}

/// Makes every class of the tree with `type(name, bases, namespace)`:
/// pyo3's `create_exception!` takes one base class.
fn make_all(py: Python<'_>) -> PyResult<Vec<Py<PyType>>> {
    let builtins = py.import("builtins")?;
    let mut made: Vec<Py<PyType>> = Vec::with_capacity(TREE.len());
    for decl in TREE {
        let mut bases: Vec<Bound<'_, PyAny>> = Vec::new();
        if let Some(parent) = decl.parent {
            bases.push(made[position(parent)].bind(py).clone().into_any());
        }
        if let Some(builtin) = decl.builtin {
            bases.push(builtins.getattr(builtin)?);
        }
        let namespace = PyDict::new(py);
        namespace.set_item("__module__", "release_core")?;
        namespace.set_item("__doc__", decl.doc)?;
        if decl.class == Class::Release {
            // The layout of `Exception`, so that pyo3's PanicException
            // can derive from it (see the module documentation).
            namespace.set_item("__slots__", PyTuple::empty(py))?;
        }
        let class = py
            .get_type::<PyType>()
            .call1((decl.name, PyTuple::new(py, bases)?, namespace))?
            .cast_into::<PyType>()?;
        if decl.class == Class::Release {
            // Defaults for errors without a place; `to_py` sets them on
            // the instances of those with one.
            for attr in ["source_name", "line", "column"] {
                class.setattr(attr, py.None())?;
            }
        }
        made.push(class.unbind());
    }
    Ok(made)
}

/// The Python class of `class`.
pub(crate) fn class(py: Python<'_>, class: Class) -> PyResult<&Bound<'_, PyType>> {
    let all = CLASSES.get_or_try_init(py, || make_all(py))?;
    Ok(all[position(class)].bind(py))
}

/// The tree as data for the tests: `(name, (base names...), doc)` per
/// class, in [`TREE`]'s order.
fn tree_as_data(py: Python<'_>) -> PyResult<Bound<'_, PyTuple>> {
    let rows = TREE
        .iter()
        .map(|d| {
            let bases: Vec<&str> = d
                .parent
                .map(|p| TREE[position(p)].name)
                .into_iter()
                .chain(d.builtin)
                .collect();
            (d.name, PyTuple::new(py, bases)?, d.doc).into_pyobject(py)
        })
        .collect::<PyResult<Vec<_>>>()?;
    PyTuple::new(py, rows)
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
    .call1((
        py.get_type::<PanicException>(),
        class(py, Class::Release)?,
        hint,
    ))?;
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

/// Adds the exception and warning classes to the module.
pub(crate) fn register(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    for decl in TREE {
        m.add(decl.name, class(py, decl.class)?)?;
    }
    panics_are_release_errors(py)?;
    // Attributes, not `add`/`add_function`: those would list them in
    // `__all__`.
    m.setattr("_panic_for_test", wrap_pyfunction!(panic_for_test, m)?)?;
    m.setattr("_EXCEPTION_TREE", tree_as_data(py)?)?;
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
    let category = class(py, Class::Warning)?;
    for w in warnings {
        warn.call1((w.to_string(), category, 1))?;
    }
    Ok(())
}

/// The Python exception for a release-core error, chosen by its kind.
pub(crate) fn to_py(err: Error) -> PyErr {
    Python::attach(|py| {
        let of_kind = match err.kind() {
            ErrorKind::Parse => Class::Parse,
            // An invalid pipeline (a cycle, a dangling reference) is a
            // definition that does not hold together, as a config error is.
            ErrorKind::Config | ErrorKind::Invalid => Class::Config,
            ErrorKind::Refused => Class::Refused,
            // A kind added to the core later is still a ReleaseError.
            _ => Class::Release,
        };
        let class = match class(py, of_kind) {
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
    new_error(Class::Parse, message)
}

/// An error of `class` with a message of the binding's own.
pub(crate) fn new_error(class_of: Class, message: String) -> PyErr {
    Python::attach(|py| match class(py, class_of) {
        Ok(class) => PyErr::from_type(class.clone(), message),
        Err(e) => e,
    })
}

/// A `ConfigError` with a message of the binding's own (an argument the
/// core never saw, such as a count above the binding's limit).
pub(crate) fn config_error_new(message: String) -> PyErr {
    new_error(Class::Config, message)
}
