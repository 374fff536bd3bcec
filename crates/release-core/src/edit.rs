//! File edits as planned effects: current text and a change in, new text
//! out, for the edits release processes make by hand. The rest of the file
//! is kept byte for byte; what cannot be done safely is refused with the
//! reason and the place. The caller reads and writes the file (the CLI
//! atomically); nothing here touches one.
//!
//! - [`changelog_section`]: a release's section in a CHANGELOG, placed
//!   above the newest release; the same section again changes nothing.
//! - [`toml_value`]: one value at a key path of a TOML file (a
//!   `Cargo.toml`'s `package.version`, a `pyproject.toml`'s
//!   `project.version`), through `toml_edit`, which keeps comments and
//!   layout.
//! - [`yaml_value`]: one scalar at a key path of a YAML file (a
//!   workflow's `env.BE_IMAGE_TAG`), located by saphyr's event parser,
//!   which reports spans; anchors, aliases, flow collections on the path,
//!   block scalars and multi-document files are refused with the reason.
//! - [`json_value`]: one scalar at a key path of a JSON document
//!   (`package.json`'s `version`), located by a reader that reports byte
//!   spans, so only that scalar's bytes change.
//!
//! # Example
//!
//! ```
//! use release_core::edit::json_value;
//!
//! let text = "{\n  \"name\": \"app\",\n  \"version\": \"1.2.0\"\n}\n";
//! let new = json_value("package.json", text, &["version"], "1.3.0")?;
//! assert_eq!(new, "{\n  \"name\": \"app\",\n  \"version\": \"1.3.0\"\n}\n");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::{Deserialize, Serialize};

use crate::{Error, Location, Result};

/// What kind of file an edit changes, which says how it is changed: a
/// value at a key path of a `toml`, `yaml` or `json` document, or a
/// release's section in a `changelog`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum EditFormat {
    /// A TOML document ([`toml_value`]).
    Toml,
    /// A YAML document ([`yaml_value`]).
    Yaml,
    /// A JSON document ([`json_value`]).
    Json,
    /// A Markdown CHANGELOG ([`changelog_section`]).
    Changelog,
}

crate::vocabulary! {
    EditFormat, "edit format",
    {
        Toml => "toml",
        Yaml => "yaml",
        Json => "json",
        Changelog => "changelog",
    }
}

impl EditFormat {
    /// The format a file's extension implies: `.toml`, `.yaml` or `.yml`,
    /// `.json`, and `.md` for a changelog; `None` for any other name.
    ///
    /// ```
    /// use release_core::edit::EditFormat;
    /// assert_eq!(EditFormat::of_file("Cargo.toml"), Some(EditFormat::Toml));
    /// assert_eq!(EditFormat::of_file(".github/workflows/build.yml"), Some(EditFormat::Yaml));
    /// assert_eq!(EditFormat::of_file("CHANGELOG.md"), Some(EditFormat::Changelog));
    /// assert_eq!(EditFormat::of_file("VERSION"), None);
    /// ```
    pub fn of_file(file: &str) -> Option<EditFormat> {
        let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
        let (_, ext) = name.rsplit_once('.')?;
        match ext.to_ascii_lowercase().as_str() {
            "toml" => Some(EditFormat::Toml),
            "yaml" | "yml" => Some(EditFormat::Yaml),
            "json" => Some(EditFormat::Json),
            "md" => Some(EditFormat::Changelog),
            _ => None,
        }
    }

    /// `text` (the file `source`) edited in this format: `value` at `key`
    /// (a dot-separated key path) for a document, `value` as the section
    /// for a changelog (whose `key` is ignored).
    ///
    /// # Errors
    ///
    /// The errors of [`toml_value`], [`yaml_value`], [`json_value`] and
    /// [`changelog_section`].
    pub fn apply(self, source: &str, text: &str, key: &str, value: &str) -> Result<String> {
        let path: Vec<&str> = key.split('.').collect();
        match self {
            EditFormat::Toml => toml_value(source, text, &path, value),
            EditFormat::Yaml => yaml_value(source, text, &path, value),
            EditFormat::Json => json_value(source, text, &path, value),
            EditFormat::Changelog => changelog_section(source, text, value),
        }
    }
}

/// A file edit a step makes, as declared in `release.toml`: the `file`,
/// its `format` (by default the one its extension implies), and for a
/// document the `key` path and the `value` written there. A changelog's
/// edit has neither: its section is the release notes of the step's
/// component's release.
///
/// `file` is relative to the step's component's clone (its `path`) when
/// it has one, else to the directory of `release.toml`. `value` takes the
/// placeholders a step's `command` takes (`{version}`, `{tag}`,
/// `{component.backend.tag}`, `{output.STEP.NAME}`, ...).
///
/// ```toml
/// [[steps.edits]]
/// file = ".github/workflows/build-main.yaml"
/// key = "env.BE_IMAGE_TAG"
/// value = "{component.backend.tag}"
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct FileEdit {
    /// The file, relative to the component's clone (`path`), else to the
    /// directory of `release.toml`.
    pub file: String,
    /// How the file is edited; by default, from its extension (`.toml`,
    /// `.yaml`/`.yml`, `.json`, `.md` for a changelog).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<EditFormat>,
    /// The dot-separated key path of the value (`package.version`,
    /// `env.BE_IMAGE_TAG`, `jobs.build.steps.0.with.tag`; sequence
    /// indices as numbers), for `toml`, `yaml` and `json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The value written at `key`, with a command's placeholders
    /// (`{version}`), for `toml`, `yaml` and `json`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
}

impl FileEdit {
    /// A document edit: `value` at `key` of `file`.
    pub fn value(
        file: impl Into<String>,
        key: impl Into<String>,
        value: impl Into<String>,
    ) -> FileEdit {
        FileEdit {
            file: file.into(),
            format: None,
            key: Some(key.into()),
            value: Some(value.into()),
        }
    }

    /// A changelog edit: the release's notes as a section of `file`.
    pub fn changelog(file: impl Into<String>) -> FileEdit {
        FileEdit {
            file: file.into(),
            format: Some(EditFormat::Changelog),
            key: None,
            value: None,
        }
    }

    /// The declared format, else the one `file`'s extension implies.
    pub fn effective_format(&self) -> Option<EditFormat> {
        self.format.or_else(|| EditFormat::of_file(&self.file))
    }

    /// What is wrong with the declaration, if anything: the message and
    /// the field to place it at.
    pub(crate) fn problem(&self) -> Option<(String, &'static str)> {
        let file = &self.file;
        if file.trim().is_empty() {
            return Some(("an edit's `file` is empty".into(), "file"));
        }
        if file.starts_with('/') || file.starts_with('\\') || file.get(1..2) == Some(":") {
            return Some((
                format!(
                    "file {file:?} is absolute; give it relative to the component's clone (`path`), or to the directory of release.toml"
                ),
                "file",
            ));
        }
        let Some(format) = self.effective_format() else {
            return Some((
                format!(
                    "file {file:?}: its format is not clear from its name; say `format = ` one of {}",
                    EditFormat::NAMES.join(", ")
                ),
                "file",
            ));
        };
        match (format, &self.key, &self.value) {
            (EditFormat::Changelog, Some(_), _) => Some((
                format!(
                    "file {file:?} is edited as a changelog, which has no `key`: its section is the release notes"
                ),
                "key",
            )),
            (EditFormat::Changelog, None, Some(_)) => Some((
                format!(
                    "file {file:?} is edited as a changelog, which takes no `value`: its section is the release notes"
                ),
                "value",
            )),
            (EditFormat::Changelog, None, None) => None,
            (_, None, _) => Some((
                format!(
                    "file {file:?}: a {format} edit needs the `key` path of the value it writes"
                ),
                "file",
            )),
            (_, Some(key), _) if key.split('.').any(|s| s.trim().is_empty()) => Some((
                format!(
                    "key {key:?} has an empty segment; write a dot-separated path such as `package.version`"
                ),
                "key",
            )),
            (_, Some(_), None) => Some((
                format!("file {file:?}: a {format} edit needs the `value` it writes"),
                "file",
            )),
            _ => None,
        }
    }
}

/// An edit as a plan shows it and a run makes it: the file, its format,
/// the key path and the value with its placeholders replaced.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlannedEdit {
    /// The file, as declared (relative to the component's clone, else to
    /// the directory of `release.toml`).
    pub file: String,
    /// How it is edited.
    pub format: EditFormat,
    /// The key path, for a document.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// The value written, for a document: placeholders replaced by the
    /// plan's values; in a plan, a placeholder without a value here (a
    /// version without the tags to compute it from, a later output) is
    /// left as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<String>,
    /// For a changelog: whose release notes the section holds (the
    /// component and its version), written at run time from the commits
    /// since the component's latest tag.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<ChangelogNotes>,
}

/// The release whose notes a changelog edit writes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ChangelogNotes {
    /// The component released.
    pub component: String,
    /// Its version, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// The release's date (`YYYY-MM-DD`), the section's heading's.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
}

/// `text` (a CHANGELOG named `source`) with `section` (Markdown whose
/// first line is its `## ` heading, `## 1.3.0 (2023-06-20)` or
/// `## [1.3.0] - 2023-06-20`) placed above the newest release's section,
/// below the title and an `## [Unreleased]` section; at the end when the
/// file has no release yet. A file that has the section already is
/// returned unchanged.
///
/// # Errors
///
/// A [config error](crate::ErrorKind::Config) for a `section` without a
/// `## ` heading; a [refused](crate::ErrorKind::Refused) one, placed at
/// the line, when the file holds a different section for the same version
/// or uses underlined (setext) headings, where a `## ` section cannot be
/// placed.
pub fn changelog_section(source: &str, text: &str, section: &str) -> Result<String> {
    let Some(version) = section.lines().next().and_then(heading_version) else {
        return Err(Error::config(
            "a CHANGELOG section starts with its `## VERSION` heading",
        ));
    };
    let section = format!("{}\n", section.trim_end());
    let mut offset = 0;
    let mut insert_at = None;
    let mut previous_blank = true;
    for line in text.split_inclusive('\n') {
        let bare = line.trim_end();
        let underline =
            !bare.is_empty() && (bare.chars().all(|c| c == '=') || bare.chars().all(|c| c == '-'));
        if underline && !previous_blank && bare.len() >= 3 {
            return Err(Error::refused(
                "this CHANGELOG underlines its headings (setext); a `## ` release section cannot be placed in it",
            )
            .at(Location::of_offset(source, text, offset)));
        }
        if let Some(found) = heading_version(bare) {
            if found == version {
                return same_section(source, text, offset, &section);
            }
            if insert_at.is_none() && !found.eq_ignore_ascii_case("unreleased") {
                insert_at = Some(offset);
            }
        }
        previous_blank = bare.is_empty();
        offset += line.len();
    }
    Ok(match insert_at {
        Some(at) => format!("{}{section}\n{}", &text[..at], &text[at..]),
        None if text.trim().is_empty() => section,
        None => {
            let body = text.trim_end_matches('\n');
            format!("{body}\n\n{section}")
        }
    })
}

/// The version of a `## ` heading: `## 1.3.0 (date)`, `## [1.3.0] - date`,
/// `## v1.3.0`; `Unreleased` for that section.
fn heading_version(line: &str) -> Option<&str> {
    let rest = line.strip_prefix("## ")?.trim_start();
    let word = rest.split_whitespace().next()?;
    let word = word.trim_start_matches('[');
    let word = word.split(']').next().unwrap_or(word);
    (!word.is_empty()).then_some(word)
}

/// The file unchanged when its section at `at` is `section`; refused
/// otherwise.
fn same_section(source: &str, text: &str, at: usize, section: &str) -> Result<String> {
    let rest = &text[at..];
    // The section runs to the next `## ` heading or the end.
    let end = rest
        .match_indices("\n## ")
        .next()
        .map_or(rest.len(), |(i, _)| i + 1);
    if rest[..end].trim_end() == section.trim_end() {
        return Ok(text.to_owned());
    }
    Err(Error::refused(
        "the CHANGELOG has a section for this version already, with other text; edit it by hand or remove it",
    )
    .at(Location::of_offset(source, text, at)))
}

/// `text` (a TOML document named `source`) with the value at `path`
/// (table keys; array indices written as numbers) replaced by the string
/// `value`; its comments and spacing around it are kept, and every other
/// byte of the file.
///
/// # Errors
///
/// A [parse error](crate::ErrorKind::Parse), placed, for text that is not
/// TOML; a [refused](crate::ErrorKind::Refused) one for a path that is not
/// there or that names a table or an array rather than one value.
pub fn toml_value(source: &str, text: &str, path: &[&str], value: &str) -> Result<String> {
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        let span = e.span().unwrap_or(0..0);
        Error::parse(format!("not TOML: {}", e.message().trim_end()))
            .at(Location::of_span(source, text, span))
    })?;
    let mut at = Cursor::Item(doc.as_item_mut());
    for (depth, key) in path.iter().enumerate() {
        at = at.step(key).ok_or_else(|| {
            Error::refused(format!(
                "{source}: no value at {}",
                path[..=depth].join(".")
            ))
        })?;
    }
    let old = match at {
        Cursor::Value(v) if !v.is_array() && !v.is_inline_table() => v,
        _ => {
            return Err(Error::refused(format!(
                "{source}: {} is a table or an array, not one value; give the path of a value",
                path.join(".")
            )));
        }
    };
    let decor = old.decor().clone();
    let mut new = toml_edit::Value::from(value);
    *new.decor_mut() = decor;
    *old = new;
    Ok(doc.to_string())
}

/// A place in a TOML document while a key path is followed. Lookups go
/// through the tables' own `get_mut`, never `Item`'s indexing, which
/// inserts a missing key.
enum Cursor<'a> {
    Item(&'a mut toml_edit::Item),
    Table(&'a mut toml_edit::Table),
    Value(&'a mut toml_edit::Value),
}

impl<'a> Cursor<'a> {
    fn step(self, key: &str) -> Option<Cursor<'a>> {
        use toml_edit::{Item, Value};
        let index = key.parse::<usize>().ok();
        match self {
            Cursor::Item(Item::Value(v)) => Cursor::Value(v).step(key),
            Cursor::Item(Item::Table(t)) | Cursor::Table(t) => t.get_mut(key).map(Cursor::item),
            Cursor::Item(Item::ArrayOfTables(a)) => a.get_mut(index?).map(Cursor::Table),
            Cursor::Item(Item::None) => None,
            Cursor::Value(Value::InlineTable(t)) => t.get_mut(key).map(Cursor::Value),
            Cursor::Value(Value::Array(a)) => a.get_mut(index?).map(Cursor::Value),
            Cursor::Value(_) => None,
        }
    }

    /// An item, a value when it is one (the last step's target).
    fn item(item: &'a mut toml_edit::Item) -> Cursor<'a> {
        match item {
            toml_edit::Item::Value(v) => Cursor::Value(v),
            other => Cursor::Item(other),
        }
    }
}

/// `text` (a YAML document named `source`) with the scalar at `path`
/// (mapping keys; sequence indices written as numbers) replaced by `value`:
/// plain when the scalar was plain and `value` reads back as the same
/// string, else double-quoted. Every other byte is kept.
///
/// # Errors
///
/// A [parse error](crate::ErrorKind::Parse), placed, for text that is not
/// YAML; a [refused](crate::ErrorKind::Refused) one, placed, for what
/// cannot be edited safely in place: several documents, an anchor or an
/// alias on the path, a flow collection (`{..}`, `[..]`) on the path, a
/// block scalar (`|`, `>`), a key that appears twice, a path that is not
/// there or that names a mapping or a sequence.
pub fn yaml_value(source: &str, text: &str, path: &[&str], value: &str) -> Result<String> {
    let target = yaml_target(source, text, path)?;
    let (start, end) = (target.start, target.end);
    let written = match target.style {
        ScalarStyle::Plain if plain_is_string(value) => value.to_owned(),
        // YAML's double-quoted scalars read JSON's escapes.
        _ => serde_json::to_string(value).unwrap_or_default(),
    };
    Ok(format!("{}{written}{}", &text[..start], &text[end..]))
}

use saphyr_parser::{Event, Parser, ScalarStyle};

/// The scalar a YAML edit replaces: its bytes and style.
struct YamlTarget {
    start: usize,
    end: usize,
    style: ScalarStyle,
}

/// A collection being read while the events are followed.
enum YamlLevel {
    /// A mapping: the key just read (None when a key comes next), the
    /// keys seen, whether it is on the path.
    Map {
        key: Option<String>,
        seen: Vec<String>,
        on_path: bool,
    },
    /// A sequence: the index of the next item, whether it is on the path.
    Seq { next: usize, on_path: bool },
}

fn yaml_target(source: &str, text: &str, path: &[&str]) -> Result<YamlTarget> {
    // saphyr's markers count characters; edits need bytes.
    let bytes: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let byte = |chars: usize| bytes.get(chars).copied().unwrap_or(text.len());
    let place = |chars: usize| Location::of_offset(source, text, byte(chars));
    let refuse = |message: String, chars: usize| Error::refused(message).at(place(chars));
    let shown = path.join(".");
    let mut levels: Vec<YamlLevel> = Vec::new();
    let mut documents = 0;
    let mut found = None;
    for event in Parser::new_from_str(text) {
        let (event, span) = event.map_err(|e| {
            Error::parse(format!("not YAML: {}", e.info())).at(place(e.marker().index()))
        })?;
        let at = span.start.index();
        if let Event::DocumentStart(_) = event {
            documents += 1;
            if documents > 1 {
                return Err(refuse(
                    "several YAML documents in one file: which one to edit is not clear".into(),
                    at,
                ));
            }
            continue;
        }
        // Where this event's node sits: on the path, and at its end?
        let depth = levels.len();
        let (is_key, on_path) = match levels.last_mut() {
            None => (false, true),
            Some(YamlLevel::Map { key, on_path, .. }) if key.is_none() => (true, *on_path),
            Some(YamlLevel::Map { key, on_path, .. }) => {
                let matches = depth <= path.len() && key.as_deref() == Some(path[depth - 1]);
                (false, *on_path && matches)
            }
            Some(YamlLevel::Seq { next, on_path }) => {
                let matches = depth <= path.len() && path[depth - 1] == next.to_string();
                (false, *on_path && matches)
            }
        };
        let node = matches!(
            event,
            Event::Scalar(..)
                | Event::MappingStart(..)
                | Event::SequenceStart(..)
                | Event::Alias(_)
        );
        let anchored = match &event {
            Event::Scalar(_, _, anchor, _)
            | Event::MappingStart(anchor, _)
            | Event::SequenceStart(anchor, _) => *anchor != 0,
            _ => false,
        };
        if node && !is_key && on_path {
            if anchored || matches!(event, Event::Alias(_)) {
                return Err(refuse(
                    format!(
                        "{shown}: an anchor or an alias on the path; editing it would change every place that refers to it"
                    ),
                    at,
                ));
            }
            let flow = matches!(event, Event::MappingStart(..) | Event::SequenceStart(..))
                && matches!(text[byte(at)..].chars().next(), Some('{' | '['));
            if flow {
                return Err(refuse(
                    format!(
                        "{shown}: a flow collection ({{..}} or [..]) on the path; it cannot be edited in place safely"
                    ),
                    at,
                ));
            }
        }
        let at_target = node && !is_key && on_path && depth == path.len();
        match event {
            Event::Scalar(value, style, ..) => {
                if is_key {
                    if let Some(YamlLevel::Map { key, seen, on_path }) = levels.last_mut() {
                        if *on_path
                            && seen.iter().any(|k| *k == value)
                            && path.get(depth - 1) == Some(&&*value)
                        {
                            return Err(refuse(
                                format!(
                                    "{shown}: the key {value:?} appears twice; which one to edit is not clear"
                                ),
                                at,
                            ));
                        }
                        seen.push(value.to_string());
                        *key = Some(value.into_owned());
                    }
                    continue;
                }
                if at_target {
                    if matches!(style, ScalarStyle::Literal | ScalarStyle::Folded) {
                        return Err(refuse(
                            format!("{shown}: a block scalar (| or >); give a one-line value"),
                            at,
                        ));
                    }
                    if found.is_some() {
                        return Err(refuse(format!("{shown}: found twice"), at));
                    }
                    found = Some(YamlTarget {
                        start: byte(at),
                        end: byte(span.end.index()),
                        style,
                    });
                }
                advance(&mut levels);
            }
            Event::MappingStart(..) | Event::SequenceStart(..) => {
                if is_key {
                    return Err(refuse("a mapping or a sequence as a key".into(), at));
                }
                if at_target {
                    return Err(refuse(
                        format!(
                            "{shown}: a mapping or a sequence, not one value; give the path of a scalar"
                        ),
                        at,
                    ));
                }
                let descend = on_path && depth < path.len();
                levels.push(if matches!(event, Event::MappingStart(..)) {
                    YamlLevel::Map {
                        key: None,
                        seen: Vec::new(),
                        on_path: descend,
                    }
                } else {
                    YamlLevel::Seq {
                        next: 0,
                        on_path: descend,
                    }
                });
            }
            Event::Alias(_) => advance(&mut levels),
            Event::MappingEnd | Event::SequenceEnd => {
                levels.pop();
                advance(&mut levels);
            }
            _ => {}
        }
    }
    found.ok_or_else(|| Error::refused(format!("{source}: no value at {shown}")))
}

/// A value was read in the innermost collection: a mapping expects its
/// next key, a sequence its next item.
fn advance(levels: &mut [YamlLevel]) {
    match levels.last_mut() {
        Some(YamlLevel::Map { key, .. }) => *key = None,
        Some(YamlLevel::Seq { next, .. }) => *next += 1,
        None => {}
    }
}

/// Whether `value` written plain reads back as that string: no
/// character YAML gives a meaning, and not a number, a boolean or null.
fn plain_is_string(value: &str) -> bool {
    let safe = !value.is_empty()
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '/' | '-' | '+'))
        && !value.starts_with(['-', '.', '+']);
    let typed = value.parse::<f64>().is_ok()
        || matches!(
            value.to_ascii_lowercase().as_str(),
            "true" | "false" | "null" | "yes" | "no" | "on" | "off" | "y" | "n" | "nan" | "inf"
        )
        || value.starts_with("0x")
        || value.starts_with("0o");
    safe && !typed
}

/// `text` (a JSON document named `source`) with the scalar at `path` (object
/// keys; array indices written as numbers) replaced by the string `value`,
/// written as a JSON string. Only that scalar's bytes change.
///
/// # Errors
///
/// A [parse error](crate::ErrorKind::Parse), placed, for text that is not
/// JSON; a [refused](crate::ErrorKind::Refused) one for a path that is
/// not there, a key that appears twice on the path, or a value at the path
/// that is an object or an array.
pub fn json_value(source: &str, text: &str, path: &[&str], value: &str) -> Result<String> {
    let mut reader = JsonReader {
        text: text.as_bytes(),
        at: 0,
    };
    let root = reader.document().map_err(|(message, at)| {
        Error::parse(format!("not JSON: {message}")).at(Location::of_offset(source, text, at))
    })?;
    let mut node = &root;
    for (depth, key) in path.iter().enumerate() {
        let shown = path[..=depth].join(".");
        let next = match &node.kind {
            JsonKind::Object(members) => {
                let mut found = members.iter().filter(|(k, _)| k == key);
                let first = found.next();
                if let Some((_, second)) = found.next() {
                    return Err(Error::refused(format!(
                        "{shown}: the key appears twice; which one to edit is not clear"
                    ))
                    .at(Location::of_offset(source, text, second.span.0)));
                }
                first.map(|(_, v)| v)
            }
            JsonKind::Array(items) => key.parse::<usize>().ok().and_then(|i| items.get(i)),
            JsonKind::Scalar => None,
        };
        let Some(next) = next else {
            return Err(
                Error::refused(format!("no value at {shown}")).at(Location::of_offset(
                    source,
                    text,
                    node.span.0,
                )),
            );
        };
        node = next;
    }
    if !matches!(node.kind, JsonKind::Scalar) {
        return Err(Error::refused(format!(
            "{}: an object or an array, not one value; give the path of a scalar",
            path.join(".")
        ))
        .at(Location::of_offset(source, text, node.span.0)));
    }
    // A string always serialises.
    let written = serde_json::to_string(value).unwrap_or_default();
    let (start, end) = node.span;
    Ok(format!("{}{written}{}", &text[..start], &text[end..]))
}

/// A JSON value and the bytes it spans.
struct JsonNode {
    span: (usize, usize),
    kind: JsonKind,
}

enum JsonKind {
    Object(Vec<(String, JsonNode)>),
    Array(Vec<JsonNode>),
    Scalar,
}

/// A JSON reader that keeps each value's byte span (serde_json does not
/// report them); errors are a message and a byte offset.
struct JsonReader<'a> {
    text: &'a [u8],
    at: usize,
}

type Read<T> = std::result::Result<T, (String, usize)>;

/// How deep objects and arrays may nest: a hostile document cannot
/// exhaust the stack.
const MAX_DEPTH: usize = 128;

impl JsonReader<'_> {
    fn document(&mut self) -> Read<JsonNode> {
        let node = self.value(0)?;
        self.space();
        if self.at < self.text.len() {
            return Err(("text after the document".to_owned(), self.at));
        }
        Ok(node)
    }

    fn space(&mut self) {
        while self
            .text
            .get(self.at)
            .is_some_and(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
        {
            self.at += 1;
        }
    }

    fn value(&mut self, depth: usize) -> Read<JsonNode> {
        if depth > MAX_DEPTH {
            return Err((format!("nested deeper than {MAX_DEPTH}"), self.at));
        }
        self.space();
        let start = self.at;
        let kind = match self.text.get(self.at) {
            Some(b'{') => self.object(depth)?,
            Some(b'[') => self.array(depth)?,
            Some(b'"') => {
                self.string()?;
                JsonKind::Scalar
            }
            Some(_) => {
                self.literal()?;
                JsonKind::Scalar
            }
            None => return Err(("a value is missing".to_owned(), self.at)),
        };
        Ok(JsonNode {
            span: (start, self.at),
            kind,
        })
    }

    fn object(&mut self, depth: usize) -> Read<JsonKind> {
        self.at += 1;
        let mut members = Vec::new();
        self.space();
        if self.text.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Ok(JsonKind::Object(members));
        }
        loop {
            self.space();
            if self.text.get(self.at) != Some(&b'"') {
                return Err(("expected a key in double quotes".to_owned(), self.at));
            }
            let key = self.string()?;
            self.space();
            if self.text.get(self.at) != Some(&b':') {
                return Err(("expected ':' after the key".to_owned(), self.at));
            }
            self.at += 1;
            let value = self.value(depth + 1)?;
            members.push((key, value));
            self.space();
            match self.text.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(JsonKind::Object(members));
                }
                _ => return Err(("expected ',' or '}'".to_owned(), self.at)),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Read<JsonKind> {
        self.at += 1;
        let mut items = Vec::new();
        self.space();
        if self.text.get(self.at) == Some(&b']') {
            self.at += 1;
            return Ok(JsonKind::Array(items));
        }
        loop {
            items.push(self.value(depth + 1)?);
            self.space();
            match self.text.get(self.at) {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(JsonKind::Array(items));
                }
                _ => return Err(("expected ',' or ']'".to_owned(), self.at)),
            }
        }
    }

    /// A string at `"`, decoded by serde_json once its end is found.
    fn string(&mut self) -> Read<String> {
        let start = self.at;
        self.at += 1;
        loop {
            match self.text.get(self.at) {
                Some(b'"') => break,
                Some(b'\\') => self.at += 2,
                Some(_) => self.at += 1,
                None => return Err(("a string is not closed".to_owned(), start)),
            }
        }
        self.at += 1;
        let raw = std::str::from_utf8(&self.text[start..self.at])
            .map_err(|_| ("a string is not UTF-8".to_owned(), start))?;
        serde_json::from_str(raw).map_err(|e| (format!("invalid string: {e}"), start))
    }

    /// A number, `true`, `false` or `null`, checked by serde_json.
    fn literal(&mut self) -> Read<()> {
        let start = self.at;
        while self
            .text
            .get(self.at)
            .is_some_and(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'+' | b'.'))
        {
            self.at += 1;
        }
        let raw = std::str::from_utf8(&self.text[start..self.at]).unwrap_or("");
        match serde_json::from_str::<serde_json::Value>(raw) {
            Ok(v) if !v.is_string() && !v.is_object() && !v.is_array() && !raw.is_empty() => Ok(()),
            _ => Err(("expected a value".to_owned(), start)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHANGELOG: &str =
        "# Changelog\n\n## [Unreleased]\n\n- wip\n\n## [1.2.0] - 2023-06-01\n\n- old\n";

    #[test]
    fn a_section_goes_above_the_newest_release_and_once_only() {
        let section = "## [1.3.0] - 2023-06-20\n\n- new\n";
        let once = changelog_section("CHANGELOG.md", CHANGELOG, section).expect("placed");
        assert_eq!(
            once,
            "# Changelog\n\n## [Unreleased]\n\n- wip\n\n## [1.3.0] - 2023-06-20\n\n- new\n\n## [1.2.0] - 2023-06-01\n\n- old\n"
        );
        let twice = changelog_section("CHANGELOG.md", &once, section).expect("the same");
        assert_eq!(twice, once);
    }

    #[test]
    fn a_changelog_without_releases_gets_the_section_at_its_end() {
        let new =
            changelog_section("C.md", "# Changelog\n", "## 0.1.0\n\n- first").expect("placed");
        assert_eq!(new, "# Changelog\n\n## 0.1.0\n\n- first\n");
        assert_eq!(
            changelog_section("C.md", "", "## 0.1.0").expect("placed"),
            "## 0.1.0\n"
        );
    }

    #[test]
    fn layouts_it_cannot_place_the_notes_in_are_refused_with_the_line() {
        let setext = "Changelog\n=========\n\n1.2.0\n-----\n- old\n";
        let err = changelog_section("C.md", setext, "## 1.3.0").unwrap_err();
        insta::assert_snapshot!(err, @r#"
C.md:2:1: this CHANGELOG underlines its headings (setext); a `## ` release section cannot be placed in it
  |
2 | =========
  | ^
"#);
        let other =
            changelog_section("C.md", CHANGELOG, "## [1.2.0] - 2023-06-01\n\n- other").unwrap_err();
        insta::assert_snapshot!(err_line(&other), @r#"7:1: the CHANGELOG has a section for this version already, with other text; edit it by hand or remove it"#);
        let bare = changelog_section("C.md", CHANGELOG, "1.3.0").unwrap_err();
        insta::assert_snapshot!(bare, @r#"a CHANGELOG section starts with its `## VERSION` heading"#);
    }

    fn err_line(err: &Error) -> String {
        match err.location() {
            Some(l) => format!("{}:{}: {}", l.line, l.column, err.message()),
            None => err.message().to_owned(),
        }
    }

    #[test]
    fn a_toml_value_is_replaced_with_its_comments_and_layout_kept() {
        let text = "# the manifest\n[package]\nname = \"app\"   # ours\nversion   =  \"1.2.0\"  # bumped by release\n\n[[bin]]\nname = \"x\"\n";
        let new = toml_value("Cargo.toml", text, &["package", "version"], "1.3.0").expect("edited");
        assert_eq!(new, text.replace("1.2.0", "1.3.0"));
        let bin = toml_value("Cargo.toml", text, &["bin", "0", "name"], "y").expect("edited");
        assert_eq!(bin, text.replace("\"x\"", "\"y\""));
        let errors: Vec<String> = [
            toml_value("Cargo.toml", text, &["package"], "x"),
            toml_value("Cargo.toml", text, &["package", "edition"], "x"),
            toml_value("Cargo.toml", "a = [1", &["a"], "x"),
        ]
        .into_iter()
        .map(|r| err_line(&r.unwrap_err()))
        .collect();
        insta::assert_debug_snapshot!(errors, @r#"
[
    "Cargo.toml: package is a table or an array, not one value; give the path of a value",
    "Cargo.toml: no value at package.edition",
    "1:7: not TOML: unclosed array, expected `]`",
]
"#);
    }

    const WORKFLOW: &str = "# build the stack, caf\u{e9} \u{1f680}\nname: build main\non:\n  push:\n    branches: [ master ]\nenv:\n  BE_IMAGE_TAG: 2023.05.1   # backend\n  FE_IMAGE_TAG: \"2023.05.4\"\n  STACK: &stack fragalysis\njobs:\n  build:\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo caf\u{e9} ${{ env.BE_IMAGE_TAG }}\n";

    #[test]
    fn a_yaml_scalar_is_replaced_in_its_style_and_nothing_else() {
        let be =
            yaml_value("w.yaml", WORKFLOW, &["env", "BE_IMAGE_TAG"], "2023.06.1").expect("edited");
        assert_eq!(be, WORKFLOW.replace("2023.05.1", "2023.06.1"));
        let fe =
            yaml_value("w.yaml", WORKFLOW, &["env", "FE_IMAGE_TAG"], "2023.06.2").expect("edited");
        assert_eq!(fe, WORKFLOW.replace("\"2023.05.4\"", "\"2023.06.2\""));
        // A plain value that would read as a number is quoted.
        let num =
            yaml_value("w.yaml", WORKFLOW, &["env", "BE_IMAGE_TAG"], "2023.06").expect("edited");
        assert!(
            num.contains("BE_IMAGE_TAG: \"2023.06\"   # backend"),
            "{num}"
        );
        let item = yaml_value(
            "w.yaml",
            WORKFLOW,
            &["jobs", "build", "steps", "0", "uses"],
            "actions/checkout@v5",
        )
        .expect("edited");
        assert_eq!(
            item,
            WORKFLOW
                .replace("checkout@v4", "checkout@v5")
                .replace("uses: actions/checkout@v5", "uses: \"actions/checkout@v5\"")
        );
    }

    #[test]
    fn yaml_edits_that_are_not_safe_are_refused_with_the_reason() {
        let errors: Vec<String> = [
            yaml_value("w.yaml", WORKFLOW, &["on", "push", "branches", "0"], "main"),
            yaml_value("w.yaml", WORKFLOW, &["env", "STACK"], "x"),
            yaml_value("w.yaml", WORKFLOW, &["env"], "x"),
            yaml_value("w.yaml", WORKFLOW, &["env", "NOPE"], "x"),
            yaml_value("w.yaml", "a: 1\n---\na: 2\n", &["a"], "x"),
            yaml_value("w.yaml", "a: |\n  text\n", &["a"], "x"),
            yaml_value("w.yaml", "a: 1\na: 2\n", &["a"], "x"),
            yaml_value("w.yaml", "a: [1\n", &["a"], "x"),
            yaml_value("w.yaml", "b: &x 1\na: *x\n", &["a"], "x"),
        ]
        .into_iter()
        .map(|r| err_line(&r.unwrap_err()))
        .collect();
        insta::assert_debug_snapshot!(errors, @r#"
[
    "5:15: on.push.branches.0: a flow collection ({..} or [..]) on the path; it cannot be edited in place safely",
    "9:10: env.STACK: an anchor or an alias on the path; editing it would change every place that refers to it",
    "7:3: env: a mapping or a sequence, not one value; give the path of a scalar",
    "w.yaml: no value at env.NOPE",
    "2:1: several YAML documents in one file: which one to edit is not clear",
    "2:3: a: a block scalar (| or >); give a one-line value",
    "2:1: a: the key \"a\" appears twice; which one to edit is not clear",
    "1:4: a: a flow collection ({..} or [..]) on the path; it cannot be edited in place safely",
    "2:4: a: an anchor or an alias on the path; editing it would change every place that refers to it",
]
"#);
    }

    #[test]
    fn a_json_scalar_is_replaced_and_nothing_else() {
        let text = "{ \"name\" : \"app\",\n\t\"version\":\"1.2.0\" ,\"deps\": {\"a\": [1, {\"v\": null}]} }";
        let new = json_value("p.json", text, &["version"], "1.3.0").expect("edited");
        assert_eq!(new, text.replace("\"1.2.0\"", "\"1.3.0\""));
        let deep = json_value("p.json", text, &["deps", "a", "1", "v"], "x\"y").expect("edited");
        assert_eq!(deep, text.replace("null", "\"x\\\"y\""));
    }

    #[test]
    fn json_edits_that_are_not_safe_are_refused() {
        let text = "{\"a\": {\"b\": 1}, \"c\": 1, \"c\": 2}";
        let errors: Vec<String> = [
            json_value("p.json", text, &["a"], "x"),
            json_value("p.json", text, &["c"], "x"),
            json_value("p.json", text, &["a", "z"], "x"),
            json_value("p.json", "{\"a\": tru}", &["a"], "x"),
            json_value("p.json", "{\"a\": 1} x", &["a"], "x"),
        ]
        .into_iter()
        .map(|r| err_line(&r.unwrap_err()))
        .collect();
        insta::assert_debug_snapshot!(errors, @r#"
[
    "1:7: a: an object or an array, not one value; give the path of a scalar",
    "1:30: c: the key appears twice; which one to edit is not clear",
    "1:7: no value at a.z",
    "1:7: not JSON: expected a value",
    "1:10: not JSON: text after the document",
]
"#);
    }

    #[test]
    fn deep_nesting_is_refused_not_a_stack_overflow() {
        let text = "[".repeat(100_000);
        assert!(json_value("p.json", &text, &["0"], "x").is_err());
    }

    #[test]
    fn an_edit_declaration_says_what_is_missing_or_extra() {
        let problems: Vec<String> = [
            FileEdit::value("Cargo.toml", "package.version", "{version}"),
            FileEdit::changelog("CHANGELOG.md"),
            FileEdit::value("VERSION", "a", "x"),
            FileEdit::value("/etc/x.toml", "a", "x"),
            FileEdit::value("a.yml", "env..X", "x"),
            FileEdit {
                key: None,
                ..FileEdit::value("a.json", "a", "x")
            },
            FileEdit {
                value: None,
                ..FileEdit::value("a.json", "a", "x")
            },
            FileEdit {
                value: Some("x".into()),
                ..FileEdit::changelog("NEWS.md")
            },
        ]
        .iter()
        .map(|e| match e.problem() {
            Some((message, field)) => format!("{field}: {message}"),
            None => "ok".to_owned(),
        })
        .collect();
        insta::assert_debug_snapshot!(problems, @r#"
[
    "ok",
    "ok",
    "file: file \"VERSION\": its format is not clear from its name; say `format = ` one of toml, yaml, json, changelog",
    "file: file \"/etc/x.toml\" is absolute; give it relative to the component's clone (`path`), or to the directory of release.toml",
    "key: key \"env..X\" has an empty segment; write a dot-separated path such as `package.version`",
    "file: file \"a.json\": a json edit needs the `key` path of the value it writes",
    "file: file \"a.json\": a json edit needs the `value` it writes",
    "value: file \"NEWS.md\" is edited as a changelog, which takes no `value`: its section is the release notes",
]
"#);
    }

    #[test]
    fn a_format_applies_its_edit() {
        let new = EditFormat::Yaml
            .apply("w.yaml", WORKFLOW, "env.BE_IMAGE_TAG", "2023.06.1")
            .expect("edited");
        assert_eq!(new, WORKFLOW.replace("2023.05.1", "2023.06.1"));
        let once = EditFormat::Changelog
            .apply("C.md", CHANGELOG, "", "## 1.3.0\n\n- new")
            .expect("placed");
        assert!(once.contains("## 1.3.0\n\n- new\n\n## [1.2.0]"), "{once}");
    }
}
