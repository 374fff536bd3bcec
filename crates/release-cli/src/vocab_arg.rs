//! Command-line values by the core's vocabulary: the accepted names, the
//! `--help` list and the error for a typo all come from release-core
//! ([`Vocabulary`]); a deprecated spelling is read with a warning.

use clap::builder::{PossibleValue, TypedValueParser};
use clap::error::{ContextKind, ContextValue, ErrorKind};
use release_core::calendar::HolidayPolicy;
use release_core::vocab::{self, Vocabulary};
use release_core::{Result, Warned};

use crate::warnings;

/// A value parser over names the core owns: `names` for `--help` and
/// errors, `read` (the core's) for the value.
#[derive(Clone)]
pub struct Spelled<V> {
    names: &'static [&'static str],
    read: fn(&str) -> Result<Warned<V>>,
}

/// The value parser of an argument whose values are a core vocabulary:
/// `#[arg(value_parser = vocab_arg::names::<Level>())]`.
pub fn names<T: Vocabulary + Send + Sync>() -> Spelled<T> {
    Spelled {
        names: T::NAMES,
        read: vocab::read::<T>,
    }
}

/// The value parser of `--policy`: a holiday policy's canonical name (its
/// days, for `shift`, come from another flag).
pub fn policy_names() -> Spelled<&'static str> {
    Spelled {
        names: HolidayPolicy::NAMES,
        read: HolidayPolicy::read_name,
    }
}

impl<V: Clone + Send + Sync + 'static> TypedValueParser for Spelled<V> {
    type Value = V;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> std::result::Result<V, clap::Error> {
        let text = value.to_string_lossy();
        match (self.read)(&text) {
            Ok(read) => {
                warnings::report(read.warnings);
                Ok(read.value)
            }
            Err(_) => {
                let mut e = clap::Error::new(ErrorKind::InvalidValue).with_cmd(cmd);
                if let Some(arg) = arg {
                    e.insert(
                        ContextKind::InvalidArg,
                        ContextValue::String(arg.to_string()),
                    );
                }
                e.insert(
                    ContextKind::InvalidValue,
                    ContextValue::String(text.to_string()),
                );
                e.insert(
                    ContextKind::ValidValue,
                    ContextValue::Strings(self.names.iter().map(|n| (*n).to_owned()).collect()),
                );
                if let Some(hint) = vocab::closest(&text, self.names) {
                    e.insert(
                        ContextKind::SuggestedValue,
                        ContextValue::String(hint.to_owned()),
                    );
                }
                Err(e)
            }
        }
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.names.iter().map(|n| PossibleValue::new(*n))))
    }
}
