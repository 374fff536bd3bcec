//! JSON Schemas of the process file, generated from the model types, so
//! editors can validate and complete `release.toml` (taplo and the Even
//! Better TOML extension read a JSON Schema for a TOML file).
//!
//! Every type of the file derives [`schemars::JsonSchema`] behind this
//! feature, and the derive honours the serde attributes the file is read
//! with: `rename_all`, `tag`, `untagged`, `default`, `try_from` shadow
//! types, and `deny_unknown_fields`, which becomes
//! `"additionalProperties": false` so a misspelt key is flagged. Types that
//! are read from text through `FromStr` (durations, estimates, time zones,
//! tag templates, CalVer formats) have hand-written schemas in this module
//! that describe the text they accept; dates and times have theirs in
//! `schema_shapes`.
//!
//! To put a new type in the schema, add
//! `#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]` next to
//! its `Deserialize` derive; a field of a foreign type without a schema
//! (chrono's) needs `#[cfg_attr(feature = "schema", schemars(with = "..."))]`
//! naming one of the stand-ins in the private `schema_shapes` module (which
//! sits below the model, so that the model never names this module). The compiler points at every field
//! that still needs one.
//!
//! [`process_schema`] is the schema of the whole file; the repository
//! commits it as `release.schema.json` (`release schema` prints it), and a
//! test keeps the two equal.
//!
//! # Example
//!
//! ```
//! let schema = release_core::schema::process_schema();
//! assert_eq!(schema["title"], "release.toml");
//! assert_eq!(schema["additionalProperties"], false);
//! assert!(schema["properties"]["trains"].is_object());
//! ```

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

use schemars::generate::SchemaSettings;
use schemars::transform::RecursiveTransform;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

use crate::calendar::{ByDay, Zone};
use crate::duration::{Estimate, Span};
use crate::pipeline::PipelineDef;
use crate::process::ProcessDef;
use crate::schema_shapes::{DATE, anchored};
use crate::train::When;
use crate::version::{CalVerFormat, Pattern, TagTemplate};

/// The JSON Schema (draft 2020-12) of a type of the process file, as a JSON
/// value ready to be written out, with the shared types under `$defs`.
///
/// The schema describes what deserialising accepts: keys, their types,
/// which are required, and the spelling of values read from text. Checks
/// that need the whole file (a step's `needs` names a step that exists, a
/// rotation's roster is not empty) are not in it; loading the file makes
/// them.
///
/// # Example
///
/// ```
/// use release_core::pipeline::Step;
/// use release_core::schema::schema_for;
///
/// let schema = schema_for::<Step>();
/// assert_eq!(schema["required"], serde_json::json!(["id", "kind"]));
/// ```
pub fn schema_for<T: JsonSchema>() -> serde_json::Value {
    SchemaSettings::draft2020_12()
        .with_transform(RecursiveTransform(trim_description))
        .into_generator()
        .into_root_schema_for::<T>()
        .to_value()
}

/// Keeps a description to its prose: an editor shows it on hover, where a
/// rustdoc `# Example` section with its doctest is noise, and so are
/// rustdoc's links to Rust paths (``[`Train::new`](super::Train::new)``
/// becomes `` `Train::new` ``).
fn trim_description(schema: &mut Schema) {
    if let Some(serde_json::Value::String(text)) = schema.get_mut("description") {
        if let Some(at) = text.find("\n\n# ") {
            text.truncate(at);
        }
        *text = unlink(text);
    }
}

/// Rustdoc's intra-doc links as plain Markdown: inline links to Rust paths
/// lose their target, reference definitions naming Rust paths go, and
/// `` [`Name`] `` shortcut links lose their brackets. Links to URLs stay.
fn unlink(text: &str) -> String {
    /// Inline links, reference definitions, shortcut links. The patterns
    /// are constant (`None` cannot happen; a test checks the result).
    static LINKS: LazyLock<Option<[Regex; 3]>> = LazyLock::new(|| {
        const PATH: &str = "(?:[A-Za-z_][A-Za-z0-9_]*::)*[A-Za-z_][A-Za-z0-9_]*";
        Some([
            Regex::new(&format!(r"\[([^\]]+)\]\({PATH}(?:\(\))?\)")).ok()?,
            Regex::new(&format!(r"(?m)^\[[^\]]+\]: {PATH}\n?")).ok()?,
            Regex::new(r"\[(`[^`\]]+`)\]([^(\[]|$)").ok()?,
        ])
    });
    let Some([inline, definition, shortcut]) = LINKS.as_ref() else {
        return text.to_owned();
    };
    let text = inline.replace_all(text, "$1");
    let text = definition.replace_all(&text, "");
    let text = shortcut.replace_all(&text, "$1$2");
    text.trim_end().to_owned()
}

/// The JSON Schema of a pipeline file ([`PipelineDef`]: `name`,
/// `[[components]]`, `[[environments]]`, `[[steps]]`).
///
/// # Example
///
/// ```
/// let schema = release_core::schema::pipeline_schema();
/// let step = &schema["$defs"]["Step"];
/// assert!(step["properties"]["needs"].is_object());
/// assert_eq!(step["additionalProperties"], false);
/// ```
pub fn pipeline_schema() -> serde_json::Value {
    schema_for::<PipelineDef>()
}

/// The JSON Schema of a whole process file, `release.toml`
/// ([`ProcessDef`]: `name`, `description`, `release_day`,
/// `[[components]]`, `[[environments]]`, `[[steps]]`, `[[schedules]]`,
/// `[[windows]]`, `[[rotations]]`, `[milestones]`, `[[trains]]` and
/// `[notes]`), titled `release.toml`.
///
/// Point an editor at it (taplo: a `#:schema ./release.schema.json`
/// comment on the file's first line, or a `[[rule]]` in `.taplo.toml`) to
/// have keys completed and typos flagged as one types.
///
/// # Example
///
/// ```
/// let schema = release_core::schema::process_schema();
/// assert_eq!(schema["title"], "release.toml");
/// let train = &schema["$defs"]["TrainDef"];
/// assert_eq!(train["required"], serde_json::json!(["name", "schedule", "environments"]));
/// ```
pub fn process_schema() -> serde_json::Value {
    let mut schema = schema_for::<ProcessDef>();
    schema["title"] = "release.toml".into();
    schema["description"] =
        "A team's release process: the components it releases and how they are \
        tagged, the environments in promotion order with their gates, the pipeline's steps, \
        the calendar (schedules, windows, rotations, milestones), release trains, and how \
        release notes are written. Unknown keys are errors at every level."
            .into();
    schema
}

// Patterns of the text forms. They follow the parsers; where a parser is
// laxer, the pattern asks for the usual spelling. Dates and times are in
// `schema_shapes`.

/// `15m`, `1h30m`, `2d`, `0`: units d, h, m, s, largest first, each once.
const DURATION: &str = "(?:0|[0-9]+d(?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s)?|[0-9]+h(?:[0-9]+m)?(?:[0-9]+s)?|[0-9]+m(?:[0-9]+s)?|[0-9]+s)";
impl JsonSchema for Span {
    fn schema_name() -> Cow<'static, str> {
        "Duration".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A duration: numbers with units d, h, m and s, largest first (\"45m\", \"1h30m\", \"2d\"), \"0\", or a number of seconds.",
            "oneOf": [
                { "type": "string", "pattern": anchored(DURATION) },
                { "type": "integer", "minimum": 0 }
            ],
            "examples": ["15m", "1h30m", "24h"]
        })
    }
}

impl JsonSchema for Estimate {
    fn schema_name() -> Cow<'static, str> {
        "Estimate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "How long a step usually takes: a duration (\"5m\") or a range \"min..max\" (\"3m..4m\") whose minimum is not above its maximum.",
            "type": "string",
            "pattern": anchored(&format!("\\s*{DURATION}\\s*(?:\\.\\.\\s*{DURATION}\\s*)?")),
            "examples": ["3m..4m", "10m..15m", "1m"]
        })
    }
}

impl JsonSchema for Zone {
    fn schema_name() -> Cow<'static, str> {
        "Zone".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let names: Vec<&str> = chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name()).collect();
        json_schema!({
            "description": "An IANA time zone name, spelt exactly (\"Africa/Nairobi\", \"America/Los_Angeles\", \"UTC\").",
            "type": "string",
            "enum": names
        })
    }
}

impl JsonSchema for TagTemplate {
    fn schema_name() -> Cow<'static, str> {
        "TagTemplate".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Where the version sits in a tag: \"{version}\" exactly once, optionally \"{component}\" and other \"{name}\" placeholders, two placeholders always separated by literal text.",
            "type": "string",
            "pattern": "\\{version\\}",
            "default": "{version}",
            "examples": ["v{version}", "{component}-v{version}", "release-{name}-{version}"]
        })
    }
}

impl JsonSchema for CalVerFormat {
    fn schema_name() -> Cow<'static, str> {
        "CalVerFormat".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        const TOKEN: &str = "(?:YYYY|YY|0Y|MM|0M|WW|0W|DD|0D|MICRO)";
        json_schema!({
            "description": "A CalVer format: tokens YYYY, YY, 0Y, MM, 0M, WW, 0W, DD, 0D and MICRO with separators between them. It needs a year, each field at most once, no week with a month or day, and ends with a token.",
            "type": "string",
            "pattern": anchored(&format!("{TOKEN}(?:[^A-Za-z0-9]*{TOKEN})*")),
            "examples": ["YYYY.0M.MICRO", "YY.MM.DD_MICRO", "YYYY.0W"]
        })
    }
}

impl JsonSchema for Pattern {
    fn schema_name() -> Cow<'static, str> {
        "Pattern".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A regular expression in Rust regex syntax; anchor it with ^...$ to match a whole tag.",
            "type": "string",
            "format": "regex",
            "examples": ["^[0-9]+\\.[0-9]+\\.[0-9]+$"]
        })
    }
}

impl JsonSchema for ByDay {
    fn schema_name() -> Cow<'static, str> {
        "ByDay".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "A weekday in RRULE spelling (MO, TU, WE, TH, FR, SA, SU), after an ordinal in monthly and yearly rules: 1 to 5 or -1 to -5 in a month (\"2TU\", \"-1FR\"), 1 to 53 or -1 to -53 in a yearly rule without by_month (\"20MO\").",
            "type": "string",
            "pattern": "^(?:[+-]?(?:[1-9]|[1-4][0-9]|5[0-3]))?(?:MO|TU|WE|TH|FR|SA|SU)$",
            "examples": ["MO", "TU", "2TU", "-1FR", "20MO"]
        })
    }
}

impl JsonSchema for When {
    fn schema_name() -> Cow<'static, str> {
        "When".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        // RFC 3339 as chrono's `parse_from_rfc3339` reads it: a four-digit
        // year, seconds, and an offset with a colon.
        const RFC3339: &str = "[0-9]{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12][0-9]|3[01])[Tt ](?:[01][0-9]|2[0-3]):[0-5][0-9]:(?:[0-5][0-9]|60)(?:\\.[0-9]+)?(?:[Zz]|[+-][0-9]{2}:[0-5][0-9])";
        json_schema!({
            "description": "A date, YYYY-MM-DD (the start of that day in the schedule's zone), or an RFC 3339 instant with Z or an offset (a string: quote it in TOML).",
            "type": "string",
            "anyOf": [
                { "pattern": anchored(DATE) },
                { "pattern": anchored(RFC3339) }
            ],
            "examples": ["2020-11-17", "2020-11-17T18:00:00Z"]
        })
    }
}
