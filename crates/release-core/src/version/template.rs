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
    /// `{version}`, a repeated free placeholder (`{env}` twice), an unclosed
    /// or empty placeholder, or two adjacent placeholders.
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
        // A name twice would read two values where a tag is written with
        // one: `{env}-{version}-{env}` cannot round-trip `a-1.0.0-b`.
        let mut seen = std::collections::BTreeSet::new();
        for part in &parts {
            if let Part::Field(name) = part
                && !seen.insert(name.as_str())
            {
                return Err(err(format!(
                    "{{{name}}} appears more than once; give each placeholder its own name"
                )));
            }
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

/// Every start of `lit` in `tag`, overlapping ones included, in order.
fn occurrences(tag: &str, lit: &str) -> Vec<usize> {
    let mut found = Vec::new();
    let Some(step) = lit.chars().next().map(char::len_utf8) else {
        return found;
    };
    let mut from = 0;
    while let Some(i) = tag.get(from..).and_then(|rest| rest.find(lit)) {
        found.push(from + i);
        from += i + step;
    }
    found
}

/// The first start of `lit` in `tag` after byte `pos`.
fn first_after(tag: &str, lit: &str, pos: usize) -> Option<usize> {
    let step = tag[pos..].chars().next().map_or(1, char::len_utf8);
    let from = pos + step;
    tag.get(from..)?.find(lit).map(|i| from + i)
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
        self.search(tag, read)
    }

    /// The general splitter, in time linear in the tag's length apart from
    /// the reads (see [`split`](Self::split) for the result it chooses).
    ///
    /// The parts alternate between literals and placeholders, and every
    /// free field accepts any non-empty text, so:
    ///
    /// - Every field before the version takes the shortest text that
    ///   works, except the last one: a field that ends earlier leaves a
    ///   superset of the splits to the parts after it. The last field before
    ///   the version fixes where the version starts, so the version may start
    ///   after any occurrence of the literal before it.
    /// - Whether the parts after the version fit the rest of the tag does
    ///   not depend on any read, so it is decided once per position by a
    ///   backward pass, and only the version texts that leave a fitting rest
    ///   are read.
    ///
    /// The first split found, in order of version start and then version
    /// end, is the one a search trying the shortest text for each
    /// placeholder in turn finds first. When no split works, the error is
    /// that of the last version text read (the one starting and ending
    /// latest); when no version text left a fitting rest, there is none and
    /// the tag does not have the template's shape.
    fn search<'t, V, E>(
        &'t self,
        tag: &'t str,
        read: &mut impl FnMut(&'t str) -> std::result::Result<V, E>,
    ) -> Option<std::result::Result<Match<'t, V>, E>> {
        let parts = &self.parts;
        let n = parts.len();
        let k = parts.iter().position(|p| *p == BoundPart::Version)?;
        let len = tag.len();
        // The fields before the version, and where the version may start.
        let mut fields: Vec<(&'t str, &'t str)> = Vec::new();
        let mut pos = 0;
        // (index of the last field before the version, its start)
        let mut last_field: Option<(usize, usize)> = None;
        let mut j = 0;
        while j < k {
            match &parts[j] {
                BoundPart::Literal(lit) => {
                    if !tag[pos..].starts_with(lit.as_str()) {
                        return None;
                    }
                    pos += lit.len();
                }
                BoundPart::Version => return None,
                BoundPart::Field(_) => {
                    // A field is always followed by a literal, and the
                    // version by construction comes later.
                    let BoundPart::Literal(lit) = &parts[j + 1] else {
                        return None;
                    };
                    if j + 2 == k {
                        last_field = Some((j, pos));
                        break;
                    }
                    let end = first_after(tag, lit, pos)?;
                    fields.push((self.field_name(j), &tag[pos..end]));
                    pos = end;
                }
            }
            j += 1;
        }
        let starts: Vec<usize> = match last_field {
            Some((j, start)) => {
                let BoundPart::Literal(lit) = &parts[j + 1] else {
                    return None;
                };
                occurrences(tag, lit)
                    .into_iter()
                    .filter(|q| *q > start)
                    .map(|q| q + lit.len())
                    .collect()
            }
            None => vec![pos],
        };
        // fits[i - k - 1][p]: whether parts i.. match tag[p..], for the
        // parts after the version.
        // (Left empty when the version is last, the common case.)
        let mut fits: Vec<Vec<bool>> = Vec::new();
        if k + 1 < n {
            fits = vec![Vec::new(); n - k];
            let mut done = vec![false; len + 1];
            done[len] = true;
            fits[n - k - 1] = done;
        }
        for i in (k + 1..n).rev() {
            let next = &fits[i - k];
            let mut here = vec![false; len + 1];
            match &parts[i] {
                BoundPart::Literal(lit) => {
                    for q in occurrences(tag, lit) {
                        here[q] = next[q + lit.len()];
                    }
                }
                BoundPart::Field(_) | BoundPart::Version if i + 1 == n => {
                    here[..len].fill(true);
                }
                BoundPart::Field(_) | BoundPart::Version => {
                    let mut later = false;
                    for p in (0..=len).rev() {
                        here[p] = later;
                        later |= next[p];
                    }
                }
            }
            fits[i - k - 1] = here;
        }
        // Where the version may end: the end of the tag, or before the
        // literal that follows it, where the rest fits.
        let ends: Vec<usize> = match parts.get(k + 1) {
            None => vec![len],
            Some(BoundPart::Literal(lit)) => occurrences(tag, lit)
                .into_iter()
                .filter(|q| fits[0][*q])
                .collect(),
            Some(_) => return None,
        };
        let mut last_err = None;
        for &start in &starts {
            let first = ends.partition_point(|q| *q <= start);
            for &end in &ends[first..] {
                match read(&tag[start..end]) {
                    Ok(version) => {
                        if let Some((j, from)) = last_field {
                            let BoundPart::Literal(lit) = &parts[j + 1] else {
                                return None;
                            };
                            fields.push((self.field_name(j), &tag[from..start - lit.len()]));
                        }
                        self.rest(tag, k + 1, end, &fits, &mut fields);
                        return Some(Ok(Match { version, fields }));
                    }
                    Err(e) => last_err = Some(e),
                }
            }
        }
        last_err.map(Err)
    }

    /// Captures the fields after the version, from `pos` where part `index`
    /// starts; `fits` says where the rest matches (see [`search`](Self::search)).
    fn rest<'t>(
        &'t self,
        tag: &'t str,
        index: usize,
        mut pos: usize,
        fits: &[Vec<bool>],
        fields: &mut Vec<(&'t str, &'t str)>,
    ) {
        let k = index - 1;
        for i in index..self.parts.len() {
            match &self.parts[i] {
                BoundPart::Literal(lit) => pos += lit.len(),
                BoundPart::Field(name) => {
                    let next = &fits[i - k];
                    let end = (pos + 1..=tag.len())
                        .find(|q| next[*q])
                        .unwrap_or(tag.len());
                    fields.push((name, &tag[pos..end]));
                    pos = end;
                }
                BoundPart::Version => {}
            }
        }
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

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Fuzz parse_tag (27 crashes, one cause): a placeholder named twice
    /// read two values that rendering cannot give back.
    #[test]
    fn a_placeholder_named_twice_is_refused() {
        let err = TagTemplate::new("{version}v{s2a}v{s2a}").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid tag template \"{version}v{s2a}v{s2a}\": {s2a} appears more than once; give each placeholder its own name"
        );
        assert!(TagTemplate::new("{env}-{version}-{region}").is_ok());
    }

    type Found<'t> = Option<std::result::Result<(&'t str, Vec<(&'t str, &'t str)>), ()>>;

    fn bound(template: &str) -> Bound {
        TagTemplate::new(template)
            .unwrap()
            .bind(Some("app"))
            .unwrap()
    }

    /// Reads a version as `N.N.N` with an optional `-pre`.
    fn read(text: &str) -> std::result::Result<&str, ()> {
        crate::version::Scheme::semver()
            .parse_inner(text)
            .map(|_| text)
            .map_err(|_| ())
    }

    fn new_split<'t>(b: &'t Bound, tag: &'t str) -> (Found<'t>, usize) {
        let mut reads = 0;
        let found = b
            .split(tag, &mut |t| {
                reads += 1;
                read(t)
            })
            .map(|r| r.map(|m| (m.version, m.fields)));
        (found, reads)
    }

    /// The matcher this one replaced (exponential in the placeholders):
    /// the reference for which split is chosen.
    fn old_walk<'t>(
        b: &'t Bound,
        index: usize,
        tag: &'t str,
        pos: usize,
        fields: &mut Vec<(&'t str, &'t str)>,
    ) -> Option<Option<&'t str>> {
        let Some(part) = b.parts.get(index) else {
            return (pos == tag.len()).then_some(None);
        };
        let lit = match part {
            BoundPart::Literal(lit) => {
                return if tag[pos..].starts_with(lit.as_str()) {
                    old_walk(b, index + 1, tag, pos + lit.len(), fields)
                } else {
                    None
                };
            }
            _ => match b.parts.get(index + 1) {
                Some(BoundPart::Literal(lit)) => Some(lit.as_str()),
                _ => None,
            },
        };
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
                BoundPart::Version => {
                    if read(text).is_ok() && old_walk(b, index + 1, tag, end, fields).is_some() {
                        return Some(Some(text));
                    }
                }
                _ => {
                    fields.push((b.field_name(index), text));
                    if let Some(found) = old_walk(b, index + 1, tag, end, fields) {
                        return Some(found);
                    }
                    fields.pop();
                }
            }
        }
        None
    }

    fn old_split<'t>(b: &'t Bound, tag: &'t str) -> Option<(&'t str, Vec<(&'t str, &'t str)>)> {
        let mut fields = Vec::new();
        match old_walk(b, 0, tag, 0, &mut fields) {
            Some(Some(version)) => Some((version, fields)),
            _ => None,
        }
    }

    const TEMPLATES: [&str; 10] = [
        "{name}-{version}",
        "{org}-{env}-{name}-{version}",
        "{a}/{b}-v{version}",
        "release-{version}-{name}",
        "{a}-{version}-{b}",
        "{a}-{version}/{b}-x",
        "v{version}/{a}/{b}",
        "{component}-{a}-{version}",
        "{a}.{b}-{version}",
        "x{a}-{b}-{version}-{c}-{d}",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(3000))]

        /// The linear matcher chooses the split the exhaustive search chose,
        /// and finds one exactly when it did.
        #[test]
        fn same_split_as_the_exhaustive_search(
            t in 0..TEMPLATES.len(),
            tag in "(app|rc|[10.x/v-]){0,16}",
        ) {
            let b = bound(TEMPLATES[t]);
            let (found, _) = new_split(&b, &tag);
            let old = old_split(&b, &tag);
            match (found, old) {
                (Some(Ok(new)), Some(old)) => prop_assert_eq!(new, old),
                (None | Some(Err(())), None) => {}
                (new, old) => prop_assert!(false, "{:?} vs {:?}", new, old),
            }
        }
    }

    #[test]
    fn fields_take_the_shortest_text_that_works() {
        let b = bound("{name}-{version}");
        let (found, _) = new_split(&b, "my-app-1.2.3");
        assert_eq!(found, Some(Ok(("1.2.3", vec![("name", "my-app")]))));
        let b = bound("{a}-{version}-{b}-{c}");
        let (found, _) = new_split(&b, "x-y-1.2.3-rc-p-q-r");
        assert_eq!(
            found,
            Some(Ok((
                "1.2.3",
                vec![("a", "x-y"), ("b", "rc"), ("c", "p-q-r")]
            )))
        );
    }

    #[test]
    fn overlapping_literals_are_all_candidates() {
        // The exhaustive search looked for `--` without overlaps, so it
        // never tried `x-` + `--` + `1.0.0`.
        let b = bound("{a}--{version}");
        let (found, _) = new_split(&b, "x---1.0.0");
        assert_eq!(found, Some(Ok(("1.0.0", vec![("a", "x-")]))));
    }

    #[test]
    fn a_version_error_only_for_a_split_whose_rest_fits() {
        let b = bound("{a}-{version}-{b}");
        // The rest fits: the version's own error.
        assert_eq!(new_split(&b, "a-1.x-b").0, Some(Err(())));
        // No split leaves a fitting rest (`{b}` would be empty): the shape.
        assert_eq!(new_split(&b, "a-1.x-").0, None);
    }

    /// HIGH-6: reads, the only super-linear work, are bounded by the number
    /// of places the version can start (when it ends the template).
    #[test]
    fn hostile_tags_take_linear_reads() {
        let tag = vec!["x"; 2000].join("-");
        let b = bound("{org}-{env}-{name}-{version}");
        let (found, reads) = new_split(&b, &tag);
        assert_eq!(found, Some(Err(())));
        assert!(reads <= 2000, "{reads} reads");

        let tag = vec!["x"; 200].join("-");
        let b = bound("{a}-{b}-{c}-{d}-{e}-{version}");
        let (found, reads) = new_split(&b, &tag);
        assert_eq!(found, Some(Err(())));
        assert!(reads <= 200, "{reads} reads");

        // The version in the middle: at most one read per (start, end).
        let tag = vec!["x"; 400].join("-");
        let b = bound("{a}-{version}-{b}");
        let (_, reads) = new_split(&b, &tag);
        assert!(reads <= 400 * 400 / 2, "{reads} reads");
    }
}
