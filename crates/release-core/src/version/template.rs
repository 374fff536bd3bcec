//! Tag templates: where the version sits inside a tag.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Part {
    Literal(String),
    Version,
    Component,
    /// A free placeholder such as `{name}`: any non-empty text, captured.
    Field(String),
}

/// A tag template such as `v{version}`, `{component}-v{version}` or
/// `release-{version}-beta`.
///
/// Placeholders are `{version}` (exactly once), `{component}` (replaced by
/// the component's name) and any other `{name}`, which matches non-empty
/// free text that is captured, not interpreted. Two placeholders must be
/// separated by literal text so that a tag can be split without guessing.
///
/// # Example
///
/// ```
/// use release_core::version::TagTemplate;
///
/// let template: TagTemplate = "{component}-v{version}".parse()?;
/// assert!(template.has_component());
/// assert!("{version}{name}".parse::<TagTemplate>().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TagTemplate {
    source: String,
    parts: Vec<Part>,
}

impl Default for TagTemplate {
    fn default() -> Self {
        TagTemplate {
            source: "{version}".to_owned(),
            parts: vec![Part::Version],
        }
    }
}

impl TagTemplate {
    /// Parses a template.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) for a missing or repeated
    /// `{version}`, an unclosed or empty placeholder, or two adjacent
    /// placeholders.
    pub fn new(source: &str) -> Result<TagTemplate> {
        let err = |why: String| Error::config(format!("invalid tag template {source:?}: {why}"));
        let mut parts = Vec::new();
        let mut rest = source;
        while !rest.is_empty() {
            match rest.find(['{', '}']) {
                Some(0) if rest.starts_with('}') => {
                    return Err(err(format!(
                        "unmatched '}}' at byte {}",
                        source.len() - rest.len()
                    )));
                }
                Some(0) => {
                    let at = source.len() - rest.len();
                    let close = rest.find('}').ok_or_else(|| {
                        err(format!("the placeholder at byte {at} is not closed"))
                    })?;
                    let name = &rest[1..close];
                    if name.is_empty()
                        || !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                    {
                        return Err(err(format!(
                            "placeholder {{{name}}} at byte {at} must be a name of letters, digits and '_'"
                        )));
                    }
                    if matches!(parts.last(), Some(p) if !matches!(p, Part::Literal(_))) {
                        return Err(err(format!(
                            "placeholder {{{name}}} at byte {at} follows another placeholder; separate them with literal text"
                        )));
                    }
                    parts.push(match name {
                        "version" => Part::Version,
                        "component" => Part::Component,
                        other => Part::Field(other.to_owned()),
                    });
                    rest = &rest[close + 1..];
                }
                found => {
                    let end = found.unwrap_or(rest.len());
                    parts.push(Part::Literal(rest[..end].to_owned()));
                    rest = &rest[end..];
                }
            }
        }
        match parts.iter().filter(|p| **p == Part::Version).count() {
            0 => return Err(err("it has no {version} placeholder".into())),
            1 => {}
            _ => return Err(err("{version} appears more than once".into())),
        }
        Ok(TagTemplate {
            source: source.to_owned(),
            parts,
        })
    }

    /// The template text.
    pub fn as_str(&self) -> &str {
        &self.source
    }

    /// Whether the template contains `{component}`.
    pub fn has_component(&self) -> bool {
        self.parts.contains(&Part::Component)
    }

    /// The names of the free placeholders, in order.
    pub fn fields(&self) -> impl Iterator<Item = &str> {
        self.parts.iter().filter_map(|p| match p {
            Part::Field(name) => Some(name.as_str()),
            _ => None,
        })
    }

    /// The template with `{component}` replaced by `component`.
    pub(crate) fn bind(&self, component: Option<&str>) -> Result<Bound> {
        let mut parts: Vec<BoundPart> = Vec::with_capacity(self.parts.len());
        for part in &self.parts {
            let literal = match part {
                Part::Literal(text) => text.clone(),
                Part::Component => match component {
                    Some(name) => name.to_owned(),
                    None => {
                        return Err(Error::config(format!(
                            "tag template {:?} contains {{component}} but no component name was given",
                            self.source
                        )));
                    }
                },
                Part::Version => {
                    parts.push(BoundPart::Version);
                    continue;
                }
                Part::Field(name) => {
                    parts.push(BoundPart::Field(name.clone()));
                    continue;
                }
            };
            match parts.last_mut() {
                Some(BoundPart::Literal(prev)) => prev.push_str(&literal),
                _ => parts.push(BoundPart::Literal(literal)),
            }
        }
        Ok(Bound { parts })
    }
}

impl std::str::FromStr for TagTemplate {
    type Err = Error;

    fn from_str(s: &str) -> Result<TagTemplate> {
        TagTemplate::new(s)
    }
}

impl fmt::Display for TagTemplate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl Serialize for TagTemplate {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.source)
    }
}

impl<'de> Deserialize<'de> for TagTemplate {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        TagTemplate::new(&text).map_err(serde::de::Error::custom)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BoundPart {
    Literal(String),
    Version,
    Field(String),
}

/// A template with its component filled in: literals, the version and free
/// fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Bound {
    pub(crate) parts: Vec<BoundPart>,
}

/// A successful match: where the version is, and the captured fields.
pub(crate) struct Match<'t, V> {
    pub(crate) version: V,
    pub(crate) fields: Vec<(&'t str, &'t str)>,
}

impl Bound {
    /// For `{version}` and `literal{version}`, the literal (possibly
    /// empty); `None` for any other shape.
    pub(crate) fn plain_prefix(&self) -> Option<&str> {
        match self.parts.as_slice() {
            [BoundPart::Version] => Some(""),
            [BoundPart::Literal(prefix), BoundPart::Version] => Some(prefix),
            _ => None,
        }
    }

    /// Splits `tag` by the template. `read` parses a candidate version text;
    /// a split is accepted only if it does, so `{name}-{version}` reads
    /// `my-app-1.2.3` as name `my-app`, version `1.2.3`. Free fields take the
    /// shortest text that works.
    pub(crate) fn split<'t, V, E>(
        &'t self,
        tag: &'t str,
        read: &mut impl FnMut(&'t str) -> std::result::Result<V, E>,
    ) -> Option<std::result::Result<Match<'t, V>, E>> {
        // The overwhelmingly common shapes, `{version}` and `v{version}`,
        // need no search.
        match self.parts.as_slice() {
            [BoundPart::Version] => {
                return Some(read(tag).map(|version| Match {
                    version,
                    fields: Vec::new(),
                }));
            }
            [BoundPart::Literal(prefix), BoundPart::Version] => {
                let rest = tag.strip_prefix(prefix.as_str())?;
                return Some(read(rest).map(|version| Match {
                    version,
                    fields: Vec::new(),
                }));
            }
            _ => {}
        }
        let mut fields = Vec::new();
        let mut last_err = None;
        match self.walk(0, tag, 0, &mut fields, read, &mut last_err) {
            Some(Some(version)) => Some(Ok(Match { version, fields })),
            // Cannot happen: a template has exactly one `{version}`.
            Some(None) => None,
            None => last_err.map(Err),
        }
    }

    /// Matches parts from `index` against `tag[pos..]`. Returns `None` when
    /// no split works, `Some(version)` on success (`Some(None)` when the
    /// version was read by an earlier part).
    fn walk<'t, V, E>(
        &'t self,
        index: usize,
        tag: &'t str,
        pos: usize,
        fields: &mut Vec<(&'t str, &'t str)>,
        read: &mut impl FnMut(&'t str) -> std::result::Result<V, E>,
        last_err: &mut Option<E>,
    ) -> Option<Option<V>> {
        let Some(part) = self.parts.get(index) else {
            return (pos == tag.len()).then_some(None);
        };
        let lit = match part {
            BoundPart::Literal(lit) => {
                let next = pos + lit.len();
                return if tag[pos..].starts_with(lit.as_str()) {
                    self.walk(index + 1, tag, next, fields, read, last_err)
                } else {
                    None
                };
            }
            _ => match self.parts.get(index + 1) {
                Some(BoundPart::Literal(lit)) => Some(lit.as_str()),
                _ => None,
            },
        };
        // Candidate ends of this placeholder, shortest first: before each
        // occurrence of the next literal, or the end of the tag.
        let ends: Vec<usize> = match lit {
            Some(lit) => tag[pos..]
                .match_indices(lit)
                .map(|(i, _)| pos + i)
                .collect(),
            None => vec![tag.len()],
        };
        for end in ends.into_iter().filter(|end| *end > pos) {
            let text = &tag[pos..end];
            match part {
                BoundPart::Version => match read(text) {
                    Ok(version) => {
                        if self
                            .walk(index + 1, tag, end, fields, read, last_err)
                            .is_some()
                        {
                            return Some(Some(version));
                        }
                    }
                    Err(e) => *last_err = Some(e),
                },
                _ => {
                    fields.push((self.field_name(index), text));
                    if let Some(found) = self.walk(index + 1, tag, end, fields, read, last_err) {
                        return Some(found);
                    }
                    fields.pop();
                }
            }
        }
        None
    }

    fn field_name(&self, index: usize) -> &str {
        match &self.parts[index] {
            BoundPart::Field(name) => name,
            _ => "",
        }
    }

    /// Renders a tag: the version's text in the version slot, `fields` in
    /// the free slots.
    pub(crate) fn render(&self, version: &str, fields: &[(&str, &str)]) -> Result<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                BoundPart::Literal(lit) => out.push_str(lit),
                BoundPart::Version => out.push_str(version),
                BoundPart::Field(name) => {
                    let value = fields
                        .iter()
                        .find(|(n, _)| n == name)
                        .map(|(_, v)| *v)
                        .filter(|v| !v.is_empty())
                        .ok_or_else(|| {
                            Error::config(format!("the tag template needs a value for {{{name}}}"))
                        })?;
                    out.push_str(value);
                }
            }
        }
        Ok(out)
    }
}
