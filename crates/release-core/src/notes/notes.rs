//! Release notes: changes grouped into sections, rendered as Markdown.

use std::fmt::{self, Write as _};

use chrono::NaiveDate;
use serde::Serialize;

use super::config::NotesConfig;
use crate::version::Change;

/// One change as the notes list it.
///
/// The subject loses a trailing `(#123)` naming the pull request, which is
/// kept in [`pr`](Self::pr) and written back (as a link when the config
/// has a `pr_url`).
///
/// # Example
///
/// ```
/// use release_core::notes::Entry;
/// use release_core::version::Change;
///
/// let entry = Entry::new(&Change::parse("feat(api): add search (#123)\n\nCloses #120"));
/// assert_eq!(entry.subject, "add search");
/// assert_eq!(entry.to_string(), "**api:** add search (#123, #120)");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Entry {
    /// The conventional type (`feat`), if the message had one.
    pub kind: Option<String>,
    /// The scope, written in bold before the subject.
    pub scope: Option<String>,
    /// Whether the change is breaking.
    pub breaking: bool,
    /// The subject, without a trailing `(#pr)`.
    pub subject: String,
    /// The pull request number.
    pub pr: Option<u64>,
    /// The other `#N` references of the message, in order (the pull
    /// request excluded).
    pub references: Vec<u64>,
}

impl Entry {
    /// The entry for a change.
    pub fn new(change: &Change) -> Entry {
        let subject = match change.pr {
            Some(pr) => strip_pr_suffix(&change.subject, pr),
            None => &change.subject,
        };
        Entry {
            kind: change.kind.clone(),
            scope: change.scope.clone(),
            breaking: change.breaking,
            subject: subject.to_owned(),
            pr: change.pr,
            references: change
                .references
                .iter()
                .copied()
                .filter(|r| Some(*r) != change.pr)
                .collect(),
        }
    }

    /// Writes the entry (without the bullet): `**scope:** subject (#pr,
    /// #ref)`; numbers already written in the subject are not repeated.
    pub(super) fn write(
        &self,
        out: &mut String,
        links: &Links<'_>,
        mark_breaking: bool,
    ) -> fmt::Result {
        if mark_breaking && self.breaking {
            out.push_str("**BREAKING:** ");
        }
        if let Some(scope) = &self.scope {
            write!(out, "**{scope}:** ")?;
        }
        out.push_str(&self.subject);
        let pr = self.pr.map(|n| (n, links.pr));
        let refs = self.references.iter().map(|n| (*n, links.issue));
        let trailing: Vec<(u64, Option<&str>)> = pr
            .into_iter()
            .chain(refs)
            .filter(|(n, _)| !mentions(&self.subject, *n))
            .collect();
        for (i, (n, url)) in trailing.iter().enumerate() {
            out.push_str(if i == 0 { " (" } else { ", " });
            match url {
                Some(url) => write!(out, "[#{n}]({})", url.replace("{number}", &n.to_string()))?,
                None => write!(out, "#{n}")?,
            }
        }
        if !trailing.is_empty() {
            out.push(')');
        }
        Ok(())
    }
}

impl fmt::Display for Entry {
    /// The entry as Markdown, without links and without the bullet.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        self.write(&mut out, &Links::NONE, true)?;
        f.write_str(&out)
    }
}

/// Link templates for `#N` numbers.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Links<'a> {
    pr: Option<&'a str>,
    issue: Option<&'a str>,
}

impl Links<'_> {
    pub(super) const NONE: Links<'static> = Links {
        pr: None,
        issue: None,
    };
}

/// A heading and its entries.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NotesSection {
    /// The heading.
    pub title: String,
    /// The entries, in input order.
    pub entries: Vec<Entry>,
}

/// Release notes for one version: changes grouped into the configured
/// sections.
///
/// Every change lands in exactly one place: the breaking section (when the
/// config has one and the change is breaking), else the first section that
/// lists its type, else the `other` section, else [`left_out`](Self::left_out),
/// which the Markdown does not show and callers report (`release notes`
/// names them on stderr).
///
/// # Example
///
/// ```
/// use chrono::NaiveDate;
/// use release_core::notes::{NotesConfig, ReleaseNotes};
/// use release_core::version::Change;
///
/// let changes: Vec<Change> = ["feat(api): add search (#123)", "fix: login loop (#124)", "chore: bump deps"]
///     .iter()
///     .map(|m| Change::parse(m))
///     .collect();
/// let date = NaiveDate::from_ymd_opt(2026, 2, 10);
/// let notes = ReleaseNotes::new(&NotesConfig::default(), "2026.02.1", date, &changes);
/// assert_eq!(notes.left_out.len(), 1);
/// assert_eq!(
///     notes.to_markdown(),
///     "## 2026.02.1 (2026-02-10)\n\n### Features\n\n- **api:** add search (#123)\n\n### Bug Fixes\n\n- login loop (#124)\n",
/// );
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReleaseNotes {
    /// The version released.
    pub version: String,
    /// The release date, if given.
    pub date: Option<NaiveDate>,
    /// The breaking changes, listed first; `None` when the config has no
    /// breaking section or nothing is breaking.
    pub breaking: Option<NotesSection>,
    /// The other sections that have entries, in config order, the `other`
    /// section last.
    pub sections: Vec<NotesSection>,
    /// Changes that no section takes (their type is listed nowhere and the
    /// config has no `other` section), in input order.
    pub left_out: Vec<Entry>,
    #[serde(skip)]
    pr_url: Option<String>,
    #[serde(skip)]
    issue_url: Option<String>,
}

impl ReleaseNotes {
    /// Groups the changes, keeping the order of the config's sections and,
    /// within a section, the order of `changes`.
    ///
    /// The config is not validated here; see [`NotesConfig::validate`]. A
    /// type listed in two sections goes to the first.
    pub fn new(
        config: &NotesConfig,
        version: &str,
        date: Option<NaiveDate>,
        changes: &[Change],
    ) -> ReleaseNotes {
        let mut breaking = Vec::new();
        let mut by_section: Vec<Vec<Entry>> = vec![Vec::new(); config.sections.len()];
        let mut other = Vec::new();
        let mut left_out = Vec::new();
        for change in changes {
            let entry = Entry::new(change);
            if config.breaking.is_some() && entry.breaking {
                breaking.push(entry);
            } else if let Some(i) = config.section_of(entry.kind.as_deref()) {
                if let Some(list) = by_section.get_mut(i) {
                    list.push(entry);
                }
            } else if config.other.is_some() {
                other.push(entry);
            } else {
                left_out.push(entry);
            }
        }
        let section = |title: &str, entries: Vec<Entry>| {
            (!entries.is_empty()).then(|| NotesSection {
                title: title.to_owned(),
                entries,
            })
        };
        let mut sections: Vec<NotesSection> = config
            .sections
            .iter()
            .zip(by_section)
            .filter_map(|(s, entries)| section(&s.title, entries))
            .collect();
        sections.extend(
            config
                .other
                .as_deref()
                .and_then(|title| section(title, other)),
        );
        ReleaseNotes {
            version: version.to_owned(),
            date,
            breaking: config
                .breaking
                .as_deref()
                .and_then(|title| section(title, breaking)),
            sections,
            left_out,
            pr_url: config.pr_url.clone(),
            issue_url: config.issue_url.clone(),
        }
    }

    /// The notes as Markdown: a `##` heading with the version and date, a
    /// `###` heading per section, a bullet per entry. Scopes are bold; pull
    /// request and issue numbers are links when the config has templates.
    /// Breaking changes outside a breaking section start with
    /// `**BREAKING:**`.
    pub fn to_markdown(&self) -> String {
        let mut out = String::new();
        // Writing to a String cannot fail; the result is ignored for that
        // reason only.
        let _ = self.write_markdown(&mut out);
        out
    }

    fn write_markdown(&self, out: &mut String) -> fmt::Result {
        write!(out, "## {}", self.version)?;
        if let Some(date) = self.date {
            write!(out, " ({})", date.format("%Y-%m-%d"))?;
        }
        out.push_str("\n\n");
        let links = Links {
            pr: self.pr_url.as_deref(),
            issue: self.issue_url.as_deref(),
        };
        let sections: Vec<&NotesSection> = self.breaking.iter().chain(&self.sections).collect();
        if sections.is_empty() {
            out.push_str("No notable changes.\n");
        }
        for (i, section) in sections.iter().enumerate() {
            if i > 0 {
                out.push('\n');
            }
            writeln!(out, "### {}\n", section.title)?;
            for entry in &section.entries {
                out.push_str("- ");
                entry.write(out, &links, self.breaking.is_none())?;
                out.push('\n');
            }
        }
        Ok(())
    }
}

/// The subject without a trailing `(#pr)`.
fn strip_pr_suffix(subject: &str, pr: u64) -> &str {
    let suffix = format!("(#{pr})");
    match subject.strip_suffix(&suffix) {
        Some(rest) if !rest.trim().is_empty() => rest.trim_end(),
        _ => subject,
    }
}

/// Whether the text already mentions `#n` as a word.
fn mentions(text: &str, n: u64) -> bool {
    let needle = format!("#{n}");
    text.match_indices(&needle).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + needle.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::notes::Section;

    fn changes(messages: &[&str]) -> Vec<Change> {
        messages.iter().map(|m| Change::parse(m)).collect()
    }

    #[test]
    fn entries_keep_numbers_once() {
        let e = Entry::new(&Change::parse("Merge pull request #77 from a/b"));
        assert_eq!(e.to_string(), "Merge pull request #77 from a/b");
        let e = Entry::new(&Change::parse("fix: see #12 (#13)\n\nRefs #12, #14"));
        assert_eq!(e.subject, "see #12");
        assert_eq!(e.references, [12, 14]);
        assert_eq!(e.to_string(), "see #12 (#13, #14)");
        let e = Entry::new(&Change::parse("feat!: (#5)"));
        assert_eq!(e.to_string(), "**BREAKING:** (#5)");
        assert!(!mentions("#123", 12));
        assert!(mentions("(#12)", 12));
    }

    #[test]
    fn links() {
        let config = NotesConfig {
            pr_url: Some("https://h/pull/{number}".into()),
            issue_url: Some("https://h/issues/{number}".into()),
            ..NotesConfig::default()
        };
        let notes = ReleaseNotes::new(
            &config,
            "1.0.0",
            None,
            &changes(&["fix(ui): x (#3)\n\nCloses #1"]),
        );
        assert_eq!(
            notes.to_markdown(),
            "## 1.0.0\n\n### Bug Fixes\n\n- **ui:** x ([#3](https://h/pull/3), [#1](https://h/issues/1))\n"
        );
    }

    #[test]
    fn every_change_lands_once() {
        let config = NotesConfig {
            sections: vec![Section::new("A", &["a"]), Section::new("B", &["b", "a"])],
            breaking: None,
            other: Some("Other".into()),
            ..NotesConfig::default()
        };
        let cs = changes(&["b: 1", "a!: 2", "x: 3", "plain 4", "A: 5"]);
        let notes = ReleaseNotes::new(&config, "v", None, &cs);
        let titles: Vec<(&str, usize)> = notes
            .sections
            .iter()
            .map(|s| (s.title.as_str(), s.entries.len()))
            .collect();
        assert_eq!(titles, [("A", 2), ("B", 1), ("Other", 2)]);
        assert!(notes.breaking.is_none() && notes.left_out.is_empty());
        assert!(notes.to_markdown().contains("- **BREAKING:** 2\n"));
        let empty = ReleaseNotes::new(&config, "v", None, &[]);
        assert_eq!(empty.to_markdown(), "## v\n\nNo notable changes.\n");
    }
}
