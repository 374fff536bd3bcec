//! Step names: the `id` a step is written with, and the `needs` naming
//! other steps.
//!
//! A large pipeline has one name per step and one per dependency: 400,000
//! of them for 100,000 steps with 300,000 needs. As `String`s each was a
//! heap allocation made when the definition was built and freed when it was
//! dropped, and that malloc/free traffic was most of the time a pipeline
//! took to build (issue 16's profile). A [`StepName`] keeps names of up to
//! 24 bytes inline in its 24 bytes (every id of the examples, and `4711`
//! or `build-linux-x86_64-py313`), and only longer ones on the heap.

use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// The name of a step, as `id` and in `needs`: text compared byte for
/// byte, kept inline up to 24 bytes.
///
/// It reads like a `&str` (it dereferences to one) and is made from any
/// string.
///
/// # Example
///
/// ```
/// use release_core::pipeline::{Step, StepKind, StepName};
///
/// let step = Step::new("build", StepKind::Build).needs(["tag"]);
/// assert_eq!(step.id, "build");
/// assert_eq!(step.needs, ["tag"]);
/// let name: StepName = "deploy".into();
/// assert_eq!(name.len(), 6);
/// assert_eq!(String::from(name), "deploy");
/// ```
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct StepName(CompactString);

impl StepName {
    /// A name from text.
    pub fn new(text: &str) -> StepName {
        StepName(CompactString::new(text))
    }

    /// The text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

impl Deref for StepName {
    type Target = str;
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for StepName {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for StepName {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for StepName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for StepName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl From<&str> for StepName {
    fn from(text: &str) -> StepName {
        StepName::new(text)
    }
}

impl From<&String> for StepName {
    fn from(text: &String) -> StepName {
        StepName::new(text)
    }
}

impl From<String> for StepName {
    fn from(text: String) -> StepName {
        // Short text is copied inline and its buffer freed; long text keeps
        // its buffer.
        if text.len() <= size_of::<CompactString>() {
            StepName::new(&text)
        } else {
            StepName(CompactString::from_string_buffer(text))
        }
    }
}

impl From<&StepName> for StepName {
    fn from(name: &StepName) -> StepName {
        name.clone()
    }
}

impl From<StepName> for String {
    fn from(name: StepName) -> String {
        name.0.into_string()
    }
}

impl PartialEq<str> for StepName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for StepName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for StepName {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<StepName> for str {
    fn eq(&self, other: &StepName) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<StepName> for &str {
    fn eq(&self, other: &StepName) -> bool {
        *self == other.as_str()
    }
}

impl PartialEq<StepName> for String {
    fn eq(&self, other: &StepName) -> bool {
        self == other.as_str()
    }
}

#[cfg(feature = "schema")]
impl schemars::JsonSchema for StepName {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "String".into()
    }

    fn json_schema(generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        String::json_schema(generator)
    }

    fn inline_schema() -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_names_keep_their_text() {
        let long = "a-step-name-longer-than-twenty-four-bytes";
        for text in ["", "4711", "build-linux-x86_64-py313", long] {
            let name = StepName::from(text);
            assert_eq!(name, text);
            assert_eq!(name.to_string(), text);
            assert_eq!(format!("{name:?}"), format!("{text:?}"));
            assert_eq!(String::from(name.clone()), text);
        }
    }

    #[test]
    fn serialises_as_a_string() {
        let name = StepName::from("tag");
        assert_eq!(serde_json::to_string(&name).unwrap(), "\"tag\"");
        let back: StepName = serde_json::from_str("\"tag\"").unwrap();
        assert_eq!(back, name);
    }
}
