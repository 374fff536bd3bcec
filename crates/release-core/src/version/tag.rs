//! Tags: a template plus a scheme, for one component.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::fail::Fail;
use super::scheme::{Scheme, Version};
use super::template::{Bound, TagTemplate};
use crate::{Error, Result};

/// How one component's tags are written: a [`TagTemplate`] and a
/// [`Scheme`], with the component's name for `{component}`.
///
/// A repository's tag list usually mixes several components and some junk;
/// a `TagScheme` reads only its own tags and rejects the rest with a reason,
/// so foreign tags are never misread as versions.
///
/// # Example
///
/// ```
/// use release_core::version::{Scheme, TagScheme};
///
/// let backend = TagScheme::new("{component}-v{version}", Scheme::semver())?.for_component("backend")?;
/// let tag = backend.parse("backend-v1.4.0")?;
/// assert_eq!(tag.version().to_string(), "1.4.0");
/// assert!(backend.parse("frontend-v2.0.0").is_err());
/// assert_eq!(backend.tag(tag.version())?, "backend-v1.4.0");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(try_from = "TagSchemeData", into = "TagSchemeData")]
pub struct TagScheme {
    template: TagTemplate,
    scheme: Scheme,
    component: Option<String>,
    bound: Bound,
    initial: Option<Version>,
}

/// The serialised form of a [`TagScheme`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
struct TagSchemeData {
    #[serde(default)]
    template: TagTemplate,
    scheme: Scheme,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    component: Option<String>,
    /// The first version, released when the component has no tag of the
    /// scheme yet (`initial = "1.0.0"`); without it, the next version of a
    /// component never released is not guessed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    initial: Option<String>,
}

impl TryFrom<TagSchemeData> for TagScheme {
    type Error = Error;

    fn try_from(data: TagSchemeData) -> Result<TagScheme> {
        let bound = data.template.bind(data.component.as_deref())?;
        let initial = match &data.initial {
            None => None,
            Some(text) => {
                let v = data
                    .scheme
                    .parse(text)
                    .map_err(|e| Error::config(format!("initial {text:?}: {}", e.message())))?;
                if v.is_prerelease() {
                    return Err(Error::config(format!(
                        "initial {text:?} is a pre-release; give the first final version (1.0.0)"
                    )));
                }
                Some(v)
            }
        };
        Ok(TagScheme {
            template: data.template,
            scheme: data.scheme,
            component: data.component,
            bound,
            initial,
        })
    }
}

impl From<TagScheme> for TagSchemeData {
    fn from(t: TagScheme) -> TagSchemeData {
        TagSchemeData {
            template: t.template,
            scheme: t.scheme,
            component: t.component,
            initial: t.initial.map(|v| v.to_string()),
        }
    }
}

impl From<Scheme> for TagScheme {
    /// Tags that are the bare version (`{version}`).
    fn from(scheme: Scheme) -> TagScheme {
        let template = TagTemplate::default();
        let bound = template
            .bind(None)
            .unwrap_or_else(|_| unreachable!("the default template has no {{component}}"));
        TagScheme {
            template,
            scheme,
            component: None,
            bound,
            initial: None,
        }
    }
}

impl TagScheme {
    /// A tag scheme from a template text and a scheme.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) when the template is
    /// invalid or contains `{component}` (use
    /// [`for_component`](Self::for_component) then).
    pub fn new(template: &str, scheme: Scheme) -> Result<TagScheme> {
        let template = TagTemplate::new(template)?;
        // `{component}` is filled in later by `for_component`; until then
        // `check_bound` refuses to read or write tags.
        let bound = template.bind(template.has_component().then_some("{component}"))?;
        Ok(TagScheme {
            template,
            scheme,
            component: None,
            bound,
            initial: None,
        })
    }

    /// This tag scheme for the named component (fills `{component}`).
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) when the name is empty.
    pub fn for_component(self, component: &str) -> Result<TagScheme> {
        if component.trim().is_empty() {
            return Err(Error::config("a component name may not be empty"));
        }
        Ok(TagScheme {
            bound: self.template.bind(Some(component))?,
            component: Some(component.to_owned()),
            ..self
        })
    }

    /// The scheme of the versions inside the tags.
    pub fn scheme(&self) -> &Scheme {
        &self.scheme
    }

    /// The template.
    pub fn template(&self) -> &TagTemplate {
        &self.template
    }

    /// The component, if one was given.
    pub fn component(&self) -> Option<&str> {
        self.component.as_deref()
    }

    /// The declared first version (`initial = "1.0.0"`), released when the
    /// component has no tag of the scheme yet.
    pub fn initial(&self) -> Option<&Version> {
        self.initial.as_ref()
    }

    /// This tag scheme with `initial` as its first version.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) when `initial` is a
    /// pre-release.
    pub fn with_initial(mut self, initial: Version) -> Result<TagScheme> {
        if initial.is_prerelease() {
            return Err(Error::config(format!(
                "initial {:?} is a pre-release; give the first final version (1.0.0)",
                initial.to_string()
            )));
        }
        self.initial = Some(initial);
        Ok(self)
    }

    fn check_bound(&self) -> Result<()> {
        if self.template.has_component() && self.component.is_none() {
            return Err(Error::config(format!(
                "tag template {:?} contains {{component}} but no component name was given",
                self.template.as_str()
            )));
        }
        Ok(())
    }

    /// Reads a tag.
    ///
    /// # Errors
    ///
    /// A [parse error](crate::ErrorKind::Parse) naming the tag, the scheme
    /// and the reason: the tag does not have the template's shape, or the
    /// version inside it does not conform to the scheme.
    pub fn parse(&self, tag: &str) -> Result<Tag> {
        self.check_bound()?;
        let scheme = &self.scheme;
        let found = self.bound.split(tag, &mut |text| scheme.parse_inner(text));
        match found {
            Some(Ok(m)) => Ok(Tag {
                text: tag.to_owned(),
                fields: m
                    .fields
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                    .collect(),
                version: m.version,
            }),
            Some(Err(fail)) => Err(fail.into_error("tag", tag, Some(&self.describe()))),
            None => Err(Fail::Template.into_error("tag", tag, Some(&self.describe()))),
        }
    }

    /// Reads only the version of a tag, without keeping the tag text: the
    /// fast path for bulk work. `None` when the tag is not one of ours.
    pub fn version_of(&self, tag: &str) -> Option<Version> {
        let scheme = &self.scheme;
        // Bulk callers read 100,000 tags: skip the general splitter (and the
        // `Match` it builds) for the plain shapes.
        if let Some(prefix) = self.bound.plain_prefix() {
            // A byte comparison, and none at all for an empty prefix: in
            // profiles `str::strip_prefix` spent most of the parse time in
            // libc's memcmp, even for "".
            if prefix.is_empty() {
                return scheme.parse_quiet(tag);
            }
            if !tag.as_bytes().starts_with(prefix.as_bytes()) {
                return None;
            }
            return scheme.parse_quiet(tag.get(prefix.len()..)?);
        }
        match self.bound.split(tag, &mut |text| scheme.parse_inner(text)) {
            Some(Ok(m)) => Some(m.version),
            _ => None,
        }
    }

    /// The tag for a version.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) when the template has free
    /// placeholders (use [`tag_with`](Self::tag_with)) or needs a component.
    pub fn tag(&self, version: &Version) -> Result<String> {
        self.tag_with(version, &[])
    }

    /// The tag for a version, with values for free placeholders such as
    /// `{name}`.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) when a placeholder has no
    /// value or the template needs a component.
    pub fn tag_with(&self, version: &Version, fields: &[(&str, &str)]) -> Result<String> {
        self.check_bound()?;
        self.bound.render(&version.to_string(), fields)
    }

    /// The floating tags of a final, rendered through the template
    /// (`backend-v3.6`, `backend-v3`); `latest` stays bare. See
    /// [`floating_tags`](super::floating_tags) for when each one moves.
    ///
    /// # Errors
    ///
    /// As [`tag_with`](Self::tag_with).
    pub fn floating_tags(
        &self,
        version: &Version,
        existing: &[Version],
        fields: &[(&str, &str)],
    ) -> Result<Vec<String>> {
        self.check_bound()?;
        super::floating_tags(version, existing)
            .into_iter()
            .map(|t| {
                if t == "latest" {
                    Ok(t)
                } else {
                    self.bound.render(&t, fields)
                }
            })
            .collect()
    }

    /// Reads every tag, keeping the valid ones and the reasons for the rest.
    pub fn parse_all<'a, I>(&self, tags: I) -> TagList
    where
        I: IntoIterator<Item = &'a str>,
    {
        let mut list = TagList::default();
        // Only a lenient scheme reads what a strict one would refuse.
        let lenient = self.scheme().candidates().lenient_stages;
        for tag in tags {
            match self.parse(tag) {
                Ok(t) => {
                    let warnings = match lenient {
                        true => self.scheme().stage_warnings(t.version()),
                        false => Vec::new(),
                    };
                    for mut w in warnings {
                        w.input = Some(tag.to_owned());
                        list.warnings.push(w);
                    }
                    list.tags.push(t);
                }
                Err(e) => list.rejected.push(Rejected {
                    tag: tag.to_owned(),
                    error: e,
                }),
            }
        }
        list
    }

    /// Indices of the tags that are ours, sorted by version (ties keep
    /// their input order), with their versions. The bulk path: no tag text
    /// is copied and no error message is built.
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::version::{Scheme, TagScheme};
    ///
    /// let tags = ["v1.10.0", "junk", "v1.9.0", "v1.10.0-rc.1"];
    /// let sorted = TagScheme::from(Scheme::semver()).sort(&tags);
    /// let order: Vec<&str> = sorted.iter().map(|(i, _)| tags[*i]).collect();
    /// assert_eq!(order, ["v1.9.0", "v1.10.0-rc.1", "v1.10.0"]);
    /// ```
    pub fn sort<S: AsRef<str>>(&self, tags: &[S]) -> Vec<(usize, Version)> {
        let mut valid: Vec<(usize, Version)> = Vec::with_capacity(tags.len());
        valid.extend(
            tags.iter()
                .enumerate()
                .filter_map(|(i, t)| self.version_of(t.as_ref()).map(|v| (i, v))),
        );
        super::sort::sort_versions(valid)
    }

    /// [`sort`](Self::sort), and the indices of the tags that are not of
    /// the scheme (in input order), in the same one pass: for callers that
    /// report what they left out and build the reasons only for the few
    /// they show ([`rejected`](Self::rejected)).
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::version::{Scheme, TagScheme};
    ///
    /// let tags = ["v1.10.0", "junk", "v1.9.0"];
    /// let scheme = TagScheme::from(Scheme::semver());
    /// let (sorted, unread) = scheme.sort_with_unread(&tags);
    /// assert_eq!(sorted.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [2, 0]);
    /// assert_eq!(unread, [1]);
    /// assert!(scheme.rejected(tags[1]).unwrap().error.message().contains("junk"));
    /// ```
    pub fn sort_with_unread<S: AsRef<str>>(
        &self,
        tags: &[S],
    ) -> (Vec<(usize, Version)>, Vec<usize>) {
        let (valid, unread) = self.read_all(tags);
        (super::sort::sort_versions(valid), unread)
    }

    /// The indices of the tags of the scheme in version order (ties in
    /// input order), and the indices of the others in input order: what
    /// [`sort_with_unread`](Self::sort_with_unread) finds, without moving
    /// the versions into place, for callers that answer with the tags
    /// themselves.
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::version::{Scheme, TagScheme};
    ///
    /// let tags = ["v1.10.0", "junk", "v1.9.0", "1.9.0"];
    /// let scheme = TagScheme::from(Scheme::semver());
    /// let (order, unread) = scheme.order_with_unread(&tags);
    /// assert_eq!(order, [2, 3, 0]);
    /// assert_eq!(unread, [1]);
    /// ```
    pub fn order_with_unread<S: AsRef<str>>(&self, tags: &[S]) -> (Vec<usize>, Vec<usize>) {
        let (valid, unread) = self.read_all(tags);
        (super::sort::version_order(valid), unread)
    }

    /// Each tag's version with its index, and the indices of the tags not
    /// of the scheme: the one pass both bulk sorts make.
    fn read_all<S: AsRef<str>>(&self, tags: &[S]) -> (Vec<(usize, Version)>, Vec<usize>) {
        let mut valid: Vec<(usize, Version)> = Vec::with_capacity(tags.len());
        let mut unread = Vec::new();
        for (i, tag) in tags.iter().enumerate() {
            match self.version_of(tag.as_ref()) {
                Some(version) => valid.push((i, version)),
                None => unread.push(i),
            }
        }
        (valid, unread)
    }

    /// Why `tag` is not of the scheme, or `None` when it is: the reason
    /// [`parse_all`](Self::parse_all) gives, built for one tag only.
    pub fn rejected(&self, tag: &str) -> Option<Rejected> {
        self.parse(tag).err().map(|error| Rejected {
            tag: tag.to_owned(),
            error,
        })
    }

    /// The index and version of the latest of our tags, optionally ignoring
    /// pre-releases. Of equal versions (`v1.2.3` and `1.2.3`) the first in
    /// the input wins.
    pub fn latest<S: AsRef<str>>(
        &self,
        tags: &[S],
        include_prereleases: bool,
    ) -> Option<(usize, Version)> {
        self.latest_with_unread(tags, include_prereleases).0
    }

    /// [`latest`](Self::latest), and the indices of the tags that are not
    /// of the scheme (in input order), in the same one pass: for callers
    /// that report what they left out.
    pub fn latest_with_unread<S: AsRef<str>>(
        &self,
        tags: &[S],
        include_prereleases: bool,
    ) -> (Option<(usize, Version)>, Vec<usize>) {
        let mut best: Option<(usize, Version)> = None;
        let mut unread = Vec::new();
        for (i, tag) in tags.iter().enumerate() {
            let Some(version) = self.version_of(tag.as_ref()) else {
                unread.push(i);
                continue;
            };
            if !include_prereleases && version.is_prerelease() {
                continue;
            }
            if best.as_ref().is_none_or(|(_, b)| version > *b) {
                best = Some((i, version));
            }
        }
        (best, unread)
    }

    /// A description for messages.
    pub fn describe(&self) -> String {
        if self.template.as_str() == "{version}" {
            self.scheme.describe()
        } else {
            format!("template {} with {}", self.template, self.scheme.describe())
        }
    }
}

/// A tag read by a [`TagScheme`]: its text, version and free fields.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Tag {
    text: String,
    version: Version,
    fields: Vec<(String, String)>,
}

impl Tag {
    /// The tag exactly as given.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The version inside the tag.
    pub fn version(&self) -> &Version {
        &self.version
    }

    /// Free placeholders captured from the tag, as (name, value).
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    /// The value captured for a free placeholder.
    pub fn field(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

/// A tag that a [`TagScheme`] did not accept, and why.
///
/// Serialized as `{"tag": "junk", "reason": "invalid tag \"junk\" for ..."}`,
/// the shape of every `rejected` list of the CLI's `--json` answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejected {
    /// The tag as given.
    pub tag: String,
    /// Why it was rejected.
    pub error: Error,
}

impl Rejected {
    /// How many rejected tags [`summary`](Self::summary) names before "and
    /// N more".
    pub const SHOWN: usize = 3;

    /// One line saying which tags of a list were left out: `2 of 5 tags
    /// left out, not of SemVer: "junk" (reason), "v2" (reason)`, naming the
    /// first [`SHOWN`](Self::SHOWN) of `examples` and counting the rest of
    /// `left_out` (which may exceed `examples.len()` when a fast path kept
    /// only the first few). `what` names the scheme or the component.
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::version::{Rejected, Scheme, TagScheme};
    ///
    /// let scheme = TagScheme::from(Scheme::semver());
    /// let list = scheme.parse_all(["1.0.0", "junk"]);
    /// let line = Rejected::summary(&scheme.describe(), 2, list.rejected.len(), &list.rejected);
    /// assert!(line.starts_with("1 of 2 tags left out, not of SemVer: \"junk\" ("));
    /// ```
    pub fn summary(what: &str, read: usize, left_out: usize, examples: &[Rejected]) -> String {
        let shown: Vec<String> = examples
            .iter()
            .take(Self::SHOWN)
            .map(|r| format!("{:?} ({})", r.tag, r.error.message()))
            .collect();
        let more = match left_out.saturating_sub(shown.len()) {
            0 => String::new(),
            rest => format!(", and {rest} more"),
        };
        let tags = if read == 1 { "tag" } else { "tags" };
        format!(
            "{left_out} of {read} {tags} left out, not of {what}: {}{more}",
            shown.join(", ")
        )
    }
}

impl Serialize for Rejected {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut doc = serializer.serialize_struct("Rejected", 2)?;
        doc.serialize_field("tag", &self.tag)?;
        doc.serialize_field("reason", &self.error.to_string())?;
        doc.end()
    }
}

/// The result of [`TagScheme::parse_all`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TagList {
    /// Accepted tags, in input order.
    pub tags: Vec<Tag>,
    /// Rejected tags with reasons, in input order.
    pub rejected: Vec<Rejected>,
    /// Accepted tags read leniently (a pre-release label outside the
    /// scheme's declared stages, with `lenient_stages`), each naming its
    /// tag as the input.
    pub warnings: Vec<crate::Warning>,
}

impl TagList {
    /// The accepted tags sorted by version (stable).
    pub fn sorted(&self) -> Vec<&Tag> {
        let mut tags: Vec<&Tag> = self.tags.iter().collect();
        tags.sort_by(|a, b| a.version.cmp(&b.version));
        tags
    }

    /// The versions of the accepted tags, in input order.
    pub fn versions(&self) -> Vec<Version> {
        self.tags.iter().map(|t| t.version.clone()).collect()
    }

    /// The latest accepted tag, optionally ignoring pre-releases.
    pub fn latest(&self, include_prereleases: bool) -> Option<&Tag> {
        self.tags
            .iter()
            .filter(|t| include_prereleases || !t.version.is_prerelease())
            .fold(None, |best: Option<&Tag>, t| match best {
                Some(b) if b.version >= t.version => Some(b),
                _ => Some(t),
            })
    }
}
