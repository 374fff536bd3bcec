//! The `[notes]` table: how changes are grouped into sections, and the
//! templates for titles and links.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Error, Result};

/// How release notes and release tickets are written: the `[notes]` table
/// of a team's `release.toml`.
///
/// Sections map conventional-commit types to headings, as clog and
/// conventional-changelog do. Every field may be left out; an empty table is
/// [`NotesConfig::default`].
///
/// ```toml
/// [notes]
/// sections = [
///   { title = "Features", types = ["feat"] },
///   { title = "Bug Fixes", types = ["fix"] },
/// ]
/// breaking = "Breaking changes"   # or false: no breaking section
/// other = "Other changes"         # absent: such changes are left out
/// ticket_title = "Release {version}"
/// pr_url = "https://github.com/xchem/fragalysis-stack/pull/{number}"
/// issue_url = "https://github.com/xchem/fragalysis-stack/issues/{number}"
/// ```
///
/// # Example
///
/// ```
/// use release_core::notes::NotesConfig;
///
/// let config: NotesConfig = toml::from_str(r#"
///     sections = [{ title = "New", types = ["feat"] }]
///     other = "Everything else"
/// "#)?;
/// config.validate()?;
/// assert_eq!(config.breaking.as_deref(), Some("Breaking changes"));
/// assert_eq!(config.ticket_title, "Release {version}");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields, default)]
pub struct NotesConfig {
    /// The sections, in the order they are written. A change goes to the
    /// first section that lists its type.
    pub sections: Vec<Section>,
    /// The title of the section that lists breaking changes before all
    /// others; a breaking change is listed there and not again under its
    /// type. `None` (`breaking = false` in TOML) keeps breaking changes in
    /// their type's section, marked. Absent in TOML: `"Breaking changes"`.
    #[serde(with = "title_or_false")]
    #[cfg_attr(
        feature = "schema",
        schemars(with = "crate::schema_shapes::TitleOrFalse")
    )]
    pub breaking: Option<String>,
    /// The title of the section for changes whose type no section lists
    /// (non-conventional messages included). `None` (absent in TOML) leaves
    /// them out of the Markdown notes: [`ReleaseNotes::left_out`] lists them
    /// (the `left_out` array of `release notes --json`), and `release notes`
    /// names them on stderr in a `note:` line. The release ticket lists
    /// every change either way.
    ///
    /// [`ReleaseNotes::left_out`]: super::ReleaseNotes::left_out
    #[serde(skip_serializing_if = "Option::is_none")]
    pub other: Option<String>,
    /// The release ticket's title; `{version}` is replaced by the version.
    pub ticket_title: String,
    /// A link for pull request numbers, with `{number}`; `None` writes bare
    /// `#123`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pr_url: Option<String>,
    /// A link for other `#123` references (issues), with `{number}`; `None`
    /// writes bare `#123`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issue_url: Option<String>,
}

/// One section of the notes: a heading and the commit types listed under
/// it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Section {
    /// The heading (`Features`).
    pub title: String,
    /// The conventional-commit types listed under it (`feat`), matched
    /// without regard to ASCII case.
    pub types: Vec<String>,
}

impl Section {
    /// A section with a title and its types.
    pub fn new<T: AsRef<str>>(title: impl Into<String>, types: &[T]) -> Section {
        Section {
            title: title.into(),
            types: types.iter().map(|t| t.as_ref().to_owned()).collect(),
        }
    }

    /// Whether this section lists the type.
    pub fn lists(&self, kind: &str) -> bool {
        self.types.iter().any(|t| t.eq_ignore_ascii_case(kind))
    }
}

impl Default for NotesConfig {
    /// The sections of conventional-changelog's `conventionalcommits`
    /// preset that are shown by default, plus documentation and
    /// refactoring; `chore`, `ci`, `build`, `test` and `style` changes, and
    /// messages that are not conventional, are left out of the notes and
    /// listed in [`ReleaseNotes::left_out`] instead (see
    /// [`other`](Self::other)).
    ///
    /// [`ReleaseNotes::left_out`]: super::ReleaseNotes::left_out
    fn default() -> NotesConfig {
        NotesConfig {
            sections: vec![
                Section::new("Features", &["feat"]),
                Section::new("Bug Fixes", &["fix"]),
                Section::new("Performance", &["perf"]),
                Section::new("Reverts", &["revert"]),
                Section::new("Documentation", &["docs"]),
                Section::new("Refactoring", &["refactor"]),
            ],
            breaking: Some(DEFAULT_BREAKING.to_owned()),
            other: None,
            ticket_title: "Release {version}".to_owned(),
            pr_url: None,
            issue_url: None,
        }
    }
}

const DEFAULT_BREAKING: &str = "Breaking changes";

impl NotesConfig {
    /// Checks that the configuration is consistent.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) for the first problem
    /// found, naming the section by its 1-based position and its title: an
    /// empty title, a section without types, a type listed twice, two
    /// sections with the same title, a `ticket_title` without `{version}`,
    /// a link template without `{number}`, or an unknown placeholder.
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::notes::{NotesConfig, Section};
    ///
    /// let mut config = NotesConfig::default();
    /// config.sections.push(Section::new("Fixes", &["fix"]));
    /// assert_eq!(
    ///     config.validate().unwrap_err().to_string(),
    ///     "notes type \"fix\" is listed in section 2 (\"Bug Fixes\") and again in section 7 (\"Fixes\")",
    /// );
    /// ```
    pub fn validate(&self) -> Result<()> {
        let mut titles: Vec<(String, &str)> = Vec::new();
        let mut types: Vec<(&str, usize, &str)> = Vec::new();
        for (i, section) in self.sections.iter().enumerate() {
            let at = At::Section(i + 1, &section.title);
            if section.title.trim().is_empty() {
                return Err(Error::config(format!("notes {at} has an empty title")));
            }
            if section.types.is_empty() {
                return Err(Error::config(format!(
                    "notes {at} lists no types; give it types = [\"...\"] or remove it"
                )));
            }
            for kind in &section.types {
                if kind.trim().is_empty() {
                    return Err(Error::config(format!("notes {at} lists an empty type")));
                }
                if let Some((_, j, title)) =
                    types.iter().find(|(k, _, _)| k.eq_ignore_ascii_case(kind))
                {
                    let first = At::Section(*j, title);
                    return Err(Error::config(if *j == i + 1 {
                        format!("notes type {kind:?} is listed twice in {at}")
                    } else {
                        format!("notes type {kind:?} is listed in {first} and again in {at}")
                    }));
                }
                types.push((kind, i + 1, &section.title));
            }
            titles.push((at.to_string(), &section.title));
        }
        for (field, title) in [("breaking", &self.breaking), ("other", &self.other)] {
            let Some(title) = title else { continue };
            if title.trim().is_empty() {
                return Err(Error::config(format!(
                    "notes {field} section has an empty title"
                )));
            }
            titles.push((format!("{field} section"), title));
        }
        for (n, (at, title)) in titles.iter().enumerate() {
            if let Some((first, _)) = titles[..n].iter().find(|(_, t)| t == title) {
                return Err(Error::config(format!(
                    "notes {at} has the same title {title:?} as {first}"
                )));
            }
        }
        check_template("ticket_title", &self.ticket_title, "version")?;
        for (field, url) in [("pr_url", &self.pr_url), ("issue_url", &self.issue_url)] {
            if let Some(url) = url {
                check_template(field, url, "number")?;
            }
        }
        Ok(())
    }

    /// The section a change of this type goes to: the first that lists it.
    pub(super) fn section_of(&self, kind: Option<&str>) -> Option<usize> {
        let kind = kind?;
        self.sections.iter().position(|s| s.lists(kind))
    }

    /// The ticket title for a version.
    pub(super) fn ticket_title(&self, version: &str) -> String {
        self.ticket_title.replace("{version}", version)
    }
}

/// Where in the config a problem is, for messages.
enum At<'a> {
    Section(usize, &'a str),
}

impl fmt::Display for At<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            At::Section(n, title) if title.trim().is_empty() => write!(f, "section {n}"),
            At::Section(n, title) => write!(f, "section {n} ({title:?})"),
        }
    }
}

/// A template must contain `{wanted}` and no other placeholder.
fn check_template(field: &str, template: &str, wanted: &str) -> Result<()> {
    let mut rest = template;
    let mut found = false;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            return Err(Error::config(format!(
                "notes {field} {template:?} has a '{{' without a closing '}}'"
            )));
        };
        let name = &after[..close];
        if name != wanted {
            return Err(Error::config(format!(
                "notes {field} {template:?} has an unknown placeholder {{{name}}}; \
                 only {{{wanted}}} is replaced"
            )));
        }
        found = true;
        rest = &after[close + 1..];
    }
    if !found {
        return Err(Error::config(format!(
            "notes {field} {template:?} does not contain {{{wanted}}}"
        )));
    }
    Ok(())
}

/// `breaking = "Title"` or `breaking = false`; absent means the default
/// title, so TOML (which has no null) can still turn the section off.
mod title_or_false {
    use std::fmt;

    use serde::de::{self, Visitor};

    use super::{Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(
        title: &Option<String>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        match title {
            Some(title) => serializer.serialize_str(title),
            None => serializer.serialize_bool(false),
        }
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<Option<String>, D::Error> {
        struct TitleOrFalse;

        impl Visitor<'_> for TitleOrFalse {
            type Value = Option<String>;

            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a section title or false")
            }

            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Some(v.to_owned()))
            }

            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                if v {
                    Err(E::invalid_value(de::Unexpected::Bool(true), &self))
                } else {
                    Ok(None)
                }
            }

            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }

            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
        }

        deserializer.deserialize_any(TitleOrFalse)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(config: &NotesConfig) -> String {
        config.validate().unwrap_err().to_string()
    }

    #[test]
    fn default_is_valid_and_is_the_empty_table() {
        let config = NotesConfig::default();
        config.validate().unwrap();
        assert_eq!(toml::from_str::<NotesConfig>("").unwrap(), config);
        let text = toml::to_string(&config).unwrap();
        assert_eq!(toml::from_str::<NotesConfig>(&text).unwrap(), config);
    }

    #[test]
    fn breaking_false_turns_the_section_off() {
        let config: NotesConfig = toml::from_str("breaking = false").unwrap();
        assert_eq!(config.breaking, None);
        let text = toml::to_string(&config).unwrap();
        assert!(text.contains("breaking = false"), "{text}");
        assert_eq!(toml::from_str::<NotesConfig>(&text).unwrap(), config);
        let json = serde_json::to_string(&config).unwrap();
        assert_eq!(serde_json::from_str::<NotesConfig>(&json).unwrap(), config);
        let e = toml::from_str::<NotesConfig>("breaking = true").unwrap_err();
        assert!(e.to_string().contains("a section title or false"), "{e}");
    }

    #[test]
    fn unknown_fields_are_refused() {
        let e = toml::from_str::<NotesConfig>("section = []").unwrap_err();
        assert!(e.to_string().contains("unknown field `section`"), "{e}");
        let e = toml::from_str::<NotesConfig>("sections = [{ title = \"A\", type = [\"x\"] }]")
            .unwrap_err();
        assert!(e.to_string().contains("unknown field `type`"), "{e}");
    }

    #[test]
    fn validation_names_the_section() {
        let base = NotesConfig::default();
        let mut c = base.clone();
        c.sections[2].title = " ".into();
        assert_eq!(err(&c), "notes section 3 has an empty title");
        let mut c = base.clone();
        c.sections[0].types.clear();
        assert_eq!(
            err(&c),
            "notes section 1 (\"Features\") lists no types; give it types = [\"...\"] or remove it"
        );
        let mut c = base.clone();
        c.sections[0].types.push("FEAT".into());
        assert_eq!(
            err(&c),
            "notes type \"FEAT\" is listed twice in section 1 (\"Features\")"
        );
        let mut c = base.clone();
        c.other = Some("Features".into());
        assert_eq!(
            err(&c),
            "notes other section has the same title \"Features\" as section 1 (\"Features\")"
        );
        let mut c = base.clone();
        c.breaking = Some(String::new());
        assert_eq!(err(&c), "notes breaking section has an empty title");
        let mut c = base.clone();
        c.ticket_title = "Release".into();
        assert_eq!(
            err(&c),
            "notes ticket_title \"Release\" does not contain {version}"
        );
        let mut c = base.clone();
        c.ticket_title = "Release {verison}".into();
        assert_eq!(
            err(&c),
            "notes ticket_title \"Release {verison}\" has an unknown placeholder {verison}; only {version} is replaced"
        );
        let mut c = base.clone();
        c.pr_url = Some("https://x/pull/{number".into());
        assert_eq!(
            err(&c),
            "notes pr_url \"https://x/pull/{number\" has a '{' without a closing '}'"
        );
        let mut c = base;
        c.issue_url = Some("https://x/issues/".into());
        assert!(err(&c).starts_with("notes issue_url"));
        assert!(c.validate().unwrap_err().is_config());
    }
}
