//! The fields of a step that most steps of a large pipeline leave unset,
//! kept out of line.
//!
//! A generated pipeline of 100,000 steps has ids, needs and estimates and
//! little else. With every field inline a [`Step`](super::Step) was 464
//! bytes, and each pass of validation streamed 46 MB through the cache;
//! with these fields behind one pointer that is allocated only when one of
//! them is set, a step is 88 bytes.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, DerefMut};

use super::super::matrix::Matrix;
use super::Wait;
use crate::calendar::CalendarPoint;
use crate::duration::Span;
use crate::edit::FileEdit;
use crate::gate::Gate;
use crate::version::ReleaseKind;

/// The rarely set fields of a [`Step`](super::Step): what each means is
/// the `release.toml` key of the same name (see `release.schema.json`,
/// the `schema` feature's module, or the README).
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct StepDetails {
    /// A sentence for humans.
    pub description: Option<String>,
    /// The component it acts on.
    pub component: Option<String>,
    /// The environment it acts in; a `deploy` step is guarded by its gates.
    pub environment: Option<String>,
    /// Gates that must hold before it starts.
    pub gates: Vec<Gate>,
    /// The command an executor runs, as an argument list (never a shell
    /// string).
    pub command: Option<Vec<String>>,
    /// Free data for executors; `env`, if present, is a table of the
    /// environment variables to set.
    pub metadata: BTreeMap<String, serde_json::Value>,
    /// For `wait` steps: how long.
    pub wait: Option<Wait>,
    /// For matrix steps: the cells it expands into.
    pub matrix: Option<Matrix>,
    /// How long one attempt of the step's command may run before the
    /// executor ends it and the attempt fails.
    pub timeout: Option<Span>,
    /// The step starts no earlier than this point of the release's
    /// calendar.
    pub not_before: Option<CalendarPoint>,
    /// The step should be done by this point: a deadline, which never
    /// stops anything.
    pub due: Option<CalendarPoint>,
    /// The kind of release this `tag` step makes of its component.
    pub release_kind: Option<ReleaseKind>,
    /// The files the step edits when its task runs, before its command.
    pub edits: Vec<FileEdit>,
}

/// What every unset [`Details`] reads as.
static UNSET: StepDetails = StepDetails {
    description: None,
    component: None,
    environment: None,
    gates: Vec::new(),
    command: None,
    metadata: BTreeMap::new(),
    wait: None,
    matrix: None,
    timeout: None,
    not_before: None,
    due: None,
    release_kind: None,
    edits: Vec::new(),
};

/// A [`StepDetails`] behind one pointer, allocated on the first write:
/// reading it gives the details (all unset when none was written), writing
/// a field through it allocates them.
///
/// ```
/// use release_core::pipeline::{Step, StepKind};
///
/// let mut step = Step::new("deploy", StepKind::Deploy);
/// assert_eq!(step.details.environment, None);
/// step.details.environment = Some("production".to_owned());
/// assert_eq!(step.details.environment.as_deref(), Some("production"));
/// ```
#[derive(Clone, Default)]
pub struct Details(Option<Box<StepDetails>>);

impl Details {
    /// The details, owned.
    pub fn into_inner(self) -> StepDetails {
        self.0.map(|b| *b).unwrap_or_default()
    }

    /// Whether no field is set.
    pub fn is_unset(&self) -> bool {
        **self == UNSET
    }
}

impl From<StepDetails> for Details {
    fn from(details: StepDetails) -> Details {
        // Unset details stay unallocated, so a step read from a file is as
        // small as one built in code.
        if details == UNSET {
            Details(None)
        } else {
            Details(Some(Box::new(details)))
        }
    }
}

impl Deref for Details {
    type Target = StepDetails;
    fn deref(&self) -> &StepDetails {
        self.0.as_deref().unwrap_or(&UNSET)
    }
}

impl DerefMut for Details {
    fn deref_mut(&mut self) -> &mut StepDetails {
        self.0.get_or_insert_with(Box::default)
    }
}

impl PartialEq for Details {
    fn eq(&self, other: &Details) -> bool {
        **self == **other
    }
}

impl fmt::Debug for Details {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}
