//! Cheap, allocation-free reasons why a version or tag did not parse.
//!
//! Bulk operations (sorting 100,000 tags) reject many inputs; they keep only
//! these small values. The public [`Error`](crate::Error), with the input
//! quoted in its message, is built from a `Fail` only when a caller asks for
//! one.

use super::prerelease::PreError;
use crate::Error;

#[derive(Debug)]
pub(crate) enum Fail {
    SemVer(semver::Error),
    UnexpectedV,
    MissingV,
    Pre(PreError),
    /// A CalVer token or literal was expected at byte `at`.
    Expected {
        what: &'static str,
        at: usize,
        width: usize,
    },
    /// A literal separator of the format was expected at byte `at`.
    Literal {
        literal: &'static str,
        at: usize,
    },
    OutOfRange {
        what: &'static str,
        value: u64,
        range: &'static str,
        at: usize,
    },
    /// A number is padded where the format wants none, or the reverse.
    Padding {
        what: &'static str,
        token: &'static str,
        padded: bool,
        at: usize,
        len: usize,
    },
    NotADate,
    Trailing {
        at: usize,
    },
    /// The tag does not have the shape of the template.
    Template,
    /// A pre-release label outside the stages a strict scheme declares.
    Stage,
    /// Not a PEP 440 version: `pep440_rs`'s reason.
    Pep440(Box<pep440_rs::VersionParseError>),
}

impl Fail {
    /// Builds the public error. `what` names the input ("tag", "version"),
    /// `scheme` describes the scheme it was read with, if that helps.
    pub(crate) fn into_error(self, what: &str, input: &str, scheme: Option<&str>) -> Error {
        let context = match scheme {
            Some(scheme) => format!("invalid {what} {input:?} for {scheme}"),
            None => format!("invalid {what} {input:?}"),
        };
        let reason = self.describe(input);
        Error::parse(format!("{context}: {reason}"))
    }

    pub(crate) fn describe(&self, input: &str) -> String {
        match self {
            Fail::SemVer(err) => err.to_string(),
            Fail::UnexpectedV => "the scheme's tags carry no 'v' prefix".to_owned(),
            Fail::MissingV => "the scheme's tags start with 'v'".to_owned(),
            Fail::Pre(pre) => pre.describe(),
            Fail::Expected { what, at, width } => {
                format!(
                    "expected {what} at byte {at}, found {}",
                    found(input, *at, *width)
                )
            }
            Fail::Literal { literal, at } => {
                format!(
                    "expected {literal:?} at byte {at}, found {}",
                    found(input, *at, literal.len())
                )
            }
            Fail::OutOfRange {
                what,
                value,
                range,
                at,
            } => {
                format!("{what} {value} at byte {at} is out of range {range}")
            }
            Fail::Padding {
                what,
                token,
                padded,
                at,
                len,
            } => {
                let number = input.get(*at..at + len).unwrap_or("");
                if *padded {
                    format!(
                        "the {what} {number:?} at byte {at} is zero-padded, but {token} is written without padding"
                    )
                } else {
                    format!(
                        "the {what} {number:?} at byte {at} is not zero-padded, but {token} is written with two digits"
                    )
                }
            }
            Fail::NotADate => "the year, month and day do not form a date".to_owned(),
            Fail::Trailing { at } => format!(
                "unexpected {:?} at byte {at}; expected the end or a pre-release such as \"-rc.1\"",
                input.get(*at..).unwrap_or("")
            ),
            Fail::Template => "it does not have the shape of the tag template".to_owned(),
            Fail::Pep440(err) => err.to_string(),
            Fail::Stage => "its pre-release label is not one of the scheme's stages (set candidates.lenient_stages to read it with a warning)".to_owned(),
        }
    }
}

/// Quotes up to `width` characters of `input` from byte `at`, or says the
/// input ended.
fn found(input: &str, at: usize, width: usize) -> String {
    let rest = input.get(at..).unwrap_or("");
    if rest.is_empty() {
        return "the end of the text".to_owned();
    }
    let end = rest
        .char_indices()
        .nth(width.max(1))
        .map_or(rest.len(), |(i, _)| i);
    format!("{:?}", &rest[..end])
}
