//! Hand-written JSON Schemas of the shapes fields take as text without a
//! schema of their own: chrono's dates, times and weekdays, and a title
//! that may be `false`. Fields name them in
//! `#[cfg_attr(feature = "schema", schemars(with = "crate::schema_shapes::..."))]`.
//!
//! A base module, below every model module, so that the model's attributes
//! need not name [`crate::schema`], which sits at the top (it reads the
//! whole process). Shapes that need a model module's data (the built-in
//! holiday names) live beside that data instead.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

// Patterns of the text forms. They follow chrono's parsers; where a parser
// is laxer (chrono skips some whitespace), the pattern asks for the usual
// spelling.

pub(crate) const DATE: &str = "[+-]?[0-9]+-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|[12][0-9]|3[01])";
const TIME: &str = "(?:[01]?[0-9]|2[0-3]):[0-5][0-9](?::(?:[0-5][0-9]|60)(?:\\.[0-9]+)?)?";

pub(crate) fn anchored(body: &str) -> String {
    format!("^{body}$")
}

// Stand-ins for chrono's types, which are read from text; fields name them
// with `#[schemars(with = "...")]`.

/// A local date, `YYYY-MM-DD`.
pub(crate) struct LocalDate;

impl JsonSchema for LocalDate {
    fn schema_name() -> Cow<'static, str> {
        "Date".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A date, YYYY-MM-DD (a string: quote it in TOML).",
            "type": "string",
            "pattern": anchored(DATE),
            "examples": ["2020-11-17"]
        })
    }
}

/// A local time of day, `HH:MM[:SS[.fraction]]`.
pub(crate) struct LocalTime;

impl JsonSchema for LocalTime {
    fn schema_name() -> Cow<'static, str> {
        "Time".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A local time of day, HH:MM or HH:MM:SS (a string: quote it in TOML).",
            "type": "string",
            "pattern": anchored(TIME),
            "examples": ["10:00:00", "08:30"]
        })
    }
}

/// A local date and time, without a zone.
pub(crate) struct LocalDateTime;

impl JsonSchema for LocalDateTime {
    fn schema_name() -> Cow<'static, str> {
        "LocalDateTime".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A local date and time without an offset, YYYY-MM-DDTHH:MM:SS (a string: quote it in TOML).",
            "type": "string",
            "pattern": anchored(&format!("{DATE}[Tt ]{TIME}")),
            "examples": ["2020-12-24T18:00:00"]
        })
    }
}

/// An instant: a date and time with `Z` or an offset.
pub(crate) struct Instant;

impl JsonSchema for Instant {
    fn schema_name() -> Cow<'static, str> {
        "Instant".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "An instant in RFC 3339: a date and time with Z or an offset (a string: quote it in TOML).",
            "type": "string",
            "pattern": anchored(&format!("{DATE}[Tt ]{TIME}(?:[Zz]|[+-][0-9]{{2}}:?[0-9]{{2}})")),
            "examples": ["2026-03-04T09:00:00Z"]
        })
    }
}

/// A weekday by the vocabulary's spelling (RFC 5545's `MO` .. `SU`).
pub(crate) struct WeekdayName;

impl JsonSchema for WeekdayName {
    fn schema_name() -> Cow<'static, str> {
        "Weekday".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        crate::vocab::__schema::<chrono::Weekday>()
    }
}

/// `breaking` in `[notes]`: a section title, or `false` for none.
pub(crate) struct TitleOrFalse;

impl JsonSchema for TitleOrFalse {
    fn schema_name() -> Cow<'static, str> {
        "TitleOrFalse".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A section title, or false for no such section.",
            "anyOf": [
                { "type": "string" },
                { "const": false }
            ]
        })
    }
}

/// The schema of a step's `metadata`: free data, except `env`, the
/// environment variables an executor sets, which is a table of strings
/// keyed by variable names.
pub(crate) struct StepMetadata;

impl JsonSchema for StepMetadata {
    fn schema_name() -> Cow<'static, str> {
        "StepMetadata".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Free data for executors. `env` is a table of the environment variables `release run` sets for the step: names of letters, digits and `_` that do not start with a digit, and string values.",
            "type": "object",
            "properties": {
                "env": {
                    "type": "object",
                    "propertyNames": { "pattern": "^[A-Za-z_][A-Za-z0-9_]*$" },
                    "additionalProperties": { "type": "string" }
                }
            }
        })
    }
}
