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

use crate::{Error, Location, Result};

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
}
