//! The one vocabulary: every value a user writes by name (a holiday policy,
//! a step kind, a bump level, a weekday) is spelled by the core, once.
//!
//! Each such enum implements [`Vocabulary`]: its canonical names, in
//! declaration order ([`Vocabulary::NAMES`]), `as_str`, and the deprecated
//! spellings it still reads for one minor release. `FromStr`, serde, the
//! JSON Schema, the CLI's value parsers and `--help`, and the Python
//! binding's conversions and stubs all use these lists and nothing else, so
//! `next_working_day` is `next_working_day` in `release.toml`, on the
//! command line and in Python. The convention (lowercase `snake_case`, and
//! RFC 5545's two-letter codes for weekdays) is written in `ARCHITECTURE.md`.
//!
//! # Example
//!
//! ```
//! use release_core::calendar::Frequency;
//! use release_core::vocab::{self, Vocabulary};
//!
//! assert_eq!(Frequency::NAMES, ["daily", "weekly", "monthly", "yearly"]);
//! assert_eq!("weekly".parse::<Frequency>()?, Frequency::Weekly);
//! assert_eq!(Frequency::Weekly.as_str(), "weekly");
//!
//! let err = "weeky".parse::<Frequency>().unwrap_err();
//! assert_eq!(
//!     err.to_string(),
//!     "unknown frequency \"weeky\" (did you mean \"weekly\"?); expected one of: daily, weekly, monthly, yearly",
//! );
//!
//! // A deprecated spelling is read, with a warning beside the value.
//! let read = vocab::read::<chrono::Weekday>("Sun")?;
//! assert_eq!(read.value, chrono::Weekday::Sun);
//! assert_eq!(read.warnings[0].message, "\"Sun\" is a deprecated spelling of the weekday \"SU\"; write \"SU\" (the old spelling is read until release-core 0.3)");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::warning::{self, Warned, Warning, WarningKind};
use crate::{Error, ErrorKind, Result};

pub use crate::warning::DEPRECATED_UNTIL;

/// An enum whose values users write by name.
///
/// Implemented by every user-facing enum of the core with the
/// [`vocabulary!`](crate::vocabulary) macro, which also derives `FromStr`,
/// serde (as the name) and, with the `schema` feature, a JSON Schema that
/// lists [`NAMES`](Vocabulary::NAMES).
pub trait Vocabulary: Sized + Copy + 'static {
    /// What a value is called in messages: "holiday policy".
    const WHAT: &'static str;
    /// The canonical names, in declaration order.
    const NAMES: &'static [&'static str];
    /// Deprecated spellings still read, each with its canonical name.
    const DEPRECATED: &'static [(&'static str, &'static str)];

    /// The canonical name of this value.
    fn as_str(self) -> &'static str;

    /// The value of a canonical name.
    fn from_name(name: &str) -> Option<Self>;

    /// The canonical name that a deprecated spelling stands for, if `text`
    /// is one: by default a lookup in [`DEPRECATED`](Vocabulary::DEPRECATED).
    fn deprecated(text: &str) -> Option<&'static str> {
        Self::DEPRECATED
            .iter()
            .find(|(old, _)| *old == text)
            .map(|(_, name)| *name)
    }
}

/// Reads `text` as a `T`: a canonical name, or a deprecated spelling with a
/// [`Warning`] beside the value.
///
/// # Errors
///
/// A [parse error](crate::ErrorKind::Parse) naming the text, the closest
/// name and every accepted one.
pub fn read<T: Vocabulary>(text: &str) -> Result<Warned<T>> {
    if let Some(value) = T::from_name(text) {
        return Ok(Warned::new(value));
    }
    if let Some(name) = T::deprecated(text)
        && let Some(value) = T::from_name(name)
    {
        return Ok(Warned::with(
            value,
            vec![Warning::deprecated_spelling(T::WHAT, text, name)],
        ));
    }
    Err(unknown::<T>(text))
}

/// Reads `text` as a `T` inside serde and `FromStr`: a deprecated spelling
/// is reported to the warning collector of the caller (`Process::from_toml`
/// and the other entry points that read documents).
#[doc(hidden)]
pub fn read_collected<T: Vocabulary>(text: &str) -> Result<T> {
    let Warned { value, warnings } = read::<T>(text)?;
    warnings.into_iter().for_each(warning::emit);
    Ok(value)
}

/// The error for a name that is not of the vocabulary.
pub(crate) fn unknown<T: Vocabulary>(text: &str) -> Error {
    unknown_name(T::WHAT, text, T::NAMES)
}

/// The error for `text`, which is none of the `names` of `what`: it names
/// the closest name and every accepted one. Also for spellings kept outside
/// a [`Vocabulary`] (the holiday policies, whose `shift` carries days).
pub(crate) fn unknown_name(what: &str, text: &str, names: &[&str]) -> Error {
    let hint = closest(text, names)
        .map(|n| format!(" (did you mean {n:?}?)"))
        .unwrap_or_default();
    Error::parse(format!(
        "unknown {what} {text:?}{hint}; expected one of: {}",
        names.join(", ")
    ))
}

/// The name closest to `text` when it is a plausible typo of it: the same
/// name in other case or with `-` for `_`, or within a small edit distance.
pub fn closest<'a>(text: &str, names: &[&'a str]) -> Option<&'a str> {
    let folded = fold(text);
    if let Some(n) = names.iter().find(|n| fold(n) == folded) {
        return Some(n);
    }
    let limit = (folded.chars().count() / 3).clamp(1, 3);
    names
        .iter()
        .map(|n| (distance(&folded, &fold(n)), *n))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

fn fold(text: &str) -> String {
    text.trim()
        .chars()
        .map(|c| if c == '-' || c == ' ' { '_' } else { c })
        .flat_map(char::to_lowercase)
        .collect()
}

/// Levenshtein distance over characters; names are short.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}

/// Implements [`Vocabulary`], `FromStr`, `Display`, serde (as the name)
/// and, with the `schema` feature, `schemars::JsonSchema` for a fieldless
/// enum, from one table of names.
///
/// ```ignore
/// vocabulary! {
///     Requirement, "matrix cell requirement",
///     { Required => "required", Advisory => "advisory", Skippable => "skippable" }
///     deprecated { "optional" => "advisory" }
/// }
/// ```
#[macro_export]
#[doc(hidden)]
macro_rules! vocabulary {
    (
        $ty:ident, $what:literal,
        { $($variant:ident => $name:literal),+ $(,)? }
        $(deprecated { $($old:literal => $new:literal),* $(,)? })?
    ) => {
        impl $ty {
            /// The canonical names, in declaration order (the
            /// [vocabulary](crate::vocab)).
            pub const NAMES: &'static [&'static str] = &[$($name),+];

            /// The canonical name of this value.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)+
                }
            }
        }

        impl $crate::vocab::Vocabulary for $ty {
            const WHAT: &'static str = $what;
            const NAMES: &'static [&'static str] = $ty::NAMES;
            const DEPRECATED: &'static [(&'static str, &'static str)] =
                &[$($(($old, $new)),*)?];

            fn as_str(self) -> &'static str {
                $ty::as_str(self)
            }

            fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($name => Some($ty::$variant),)+
                    _ => None,
                }
            }
        }

        impl ::std::str::FromStr for $ty {
            type Err = $crate::Error;

            /// Reads a canonical name, or a deprecated spelling (reported
            /// to the reading document's warnings).
            fn from_str(s: &str) -> $crate::Result<$ty> {
                $crate::vocab::read_collected::<$ty>(s)
            }
        }

        impl ::std::fmt::Display for $ty {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str($crate::vocab::Vocabulary::as_str(*self))
            }
        }

        impl ::serde::Serialize for $ty {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str($crate::vocab::Vocabulary::as_str(*self))
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $ty {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> ::std::result::Result<$ty, D::Error> {
                d.deserialize_str($crate::vocab::__Visitor::<$ty>::new())
            }
        }

        $crate::__vocabulary_schema!($ty);
    };
}

#[cfg(feature = "schema")]
#[macro_export]
#[doc(hidden)]
macro_rules! __vocabulary_schema {
    ($ty:ident) => {
        impl ::schemars::JsonSchema for $ty {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                stringify!($ty).into()
            }

            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                $crate::vocab::__schema::<$ty>()
            }
        }
    };
}

#[cfg(not(feature = "schema"))]
#[macro_export]
#[doc(hidden)]
macro_rules! __vocabulary_schema {
    ($ty:ident) => {};
}

/// The schema of a vocabulary: a string, one of the canonical names.
#[cfg(feature = "schema")]
#[doc(hidden)]
pub fn __schema<T: Vocabulary>() -> schemars::Schema {
    schemars::json_schema!({
        "type": "string",
        "enum": T::NAMES,
        "description": format!("A {}: one of {}.", T::WHAT, T::NAMES.join(", ")),
    })
}

/// Deserialises a vocabulary value from a string.
#[doc(hidden)]
pub struct __Visitor<T>(std::marker::PhantomData<T>);

impl<T> __Visitor<T> {
    #[doc(hidden)]
    pub fn new() -> Self {
        __Visitor(std::marker::PhantomData)
    }
}

impl<T> Default for __Visitor<T> {
    fn default() -> Self {
        Self::new()
    }
}

impl<T: Vocabulary> serde::de::Visitor<'_> for __Visitor<T> {
    type Value = T;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "a {}: one of {}", T::WHAT, T::NAMES.join(", "))
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> std::result::Result<T, E> {
        read_collected::<T>(v).map_err(|e| E::custom(e.message()))
    }
}

// The error and warning kinds are spelled here, where the vocabulary is:
// `error` and `warning` are below `vocab` in the import order
// (ARCHITECTURE.md).
crate::vocabulary! {
    ErrorKind, "error kind",
    {
        Parse => "parse",
        Config => "config",
        Refused => "refused",
        Invalid => "invalid",
    }
}

crate::vocabulary! {
    WarningKind, "warning kind",
    {
        DeprecatedSpelling => "deprecated_spelling",
        LenientRead => "lenient_read",
        UnreadInput => "unread_input",
    }
}

/// The weekdays, spelled as RFC 5545 writes them (`MO` .. `SU`) everywhere:
/// recurrences, windows, holiday rules, the CLI and Python. chrono's own
/// spellings (`Sun`, `sunday`), which windows read before, are deprecated.
impl Vocabulary for chrono::Weekday {
    const WHAT: &'static str = "weekday";
    const NAMES: &'static [&'static str] = &["MO", "TU", "WE", "TH", "FR", "SA", "SU"];
    /// Listed for documentation; [`deprecated`](Vocabulary::deprecated)
    /// reads every spelling chrono read before, in any case.
    const DEPRECATED: &'static [(&'static str, &'static str)] = &[
        ("Mon", "MO"),
        ("monday", "MO"),
        ("Sun", "SU"),
        ("sunday", "SU"),
    ];

    fn deprecated(text: &str) -> Option<&'static str> {
        text.parse::<chrono::Weekday>().ok().map(Vocabulary::as_str)
    }

    fn as_str(self) -> &'static str {
        use chrono::Weekday::*;
        match self {
            Mon => "MO",
            Tue => "TU",
            Wed => "WE",
            Thu => "TH",
            Fri => "FR",
            Sat => "SA",
            Sun => "SU",
        }
    }

    fn from_name(name: &str) -> Option<Self> {
        use chrono::Weekday::*;
        Some(match name {
            "MO" => Mon,
            "TU" => Tue,
            "WE" => Wed,
            "TH" => Thu,
            "FR" => Fri,
            "SA" => Sat,
            "SU" => Sun,
            _ => return None,
        })
    }
}

/// serde for a [`chrono::Weekday`] field by the vocabulary's names
/// (`#[serde(with = "crate::vocab::weekday")]`); chrono's own serde spells
/// `Sun`.
pub(crate) mod weekday {
    use chrono::Weekday;
    use serde::{Deserializer, Serializer};

    use super::{__Visitor, Vocabulary};

    pub(crate) fn serialize<S: Serializer>(day: &Weekday, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(day.as_str())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Weekday, D::Error> {
        d.deserialize_str(__Visitor::<Weekday>::new())
    }
}

/// serde for a list of weekdays by the vocabulary's names.
pub(crate) mod weekdays {
    use chrono::Weekday;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    #[derive(Serialize, Deserialize)]
    #[serde(transparent)]
    struct Day(#[serde(with = "super::weekday")] Weekday);

    pub(crate) fn serialize<S: Serializer>(days: &[Weekday], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(days.iter().map(|d| Day(*d)))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Weekday>, D::Error> {
        Ok(Vec::<Day>::deserialize(d)?
            .into_iter()
            .map(|d| d.0)
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn closest_names() {
        let names = ["skip", "previous_working_day", "next_working_day", "keep"];
        assert_eq!(
            closest("next-working-day", &names),
            Some("next_working_day")
        );
        assert_eq!(
            closest("Next_Working_Day", &names),
            Some("next_working_day")
        );
        assert_eq!(closest("skp", &names), Some("skip"));
        assert_eq!(closest("monday", &names), None);
    }

    #[test]
    fn weekdays_read_rfc_codes_and_warn_on_old_spellings() {
        assert_eq!(read::<chrono::Weekday>("TU").unwrap().warnings.len(), 0);
        let old = read::<chrono::Weekday>("Tuesday").unwrap();
        assert_eq!(old.value, chrono::Weekday::Tue);
        assert_eq!(old.warnings.len(), 1);
        assert_eq!(read::<chrono::Weekday>("TUE").unwrap().warnings.len(), 1);
        let err = read::<chrono::Weekday>("Tuz").unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown weekday \"Tuz\" (did you mean \"TU\"?); expected one of: MO, TU, WE, TH, FR, SA, SU"
        );
    }
}
