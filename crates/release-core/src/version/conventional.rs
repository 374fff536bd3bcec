//! Conventional commits: structured changes, and the bump they call for.
//!
//! The header is `type(scope)!: subject` (conventionalcommits.org 1.0.0).
//! Types are read case-insensitively; a `!` before the colon or a footer
//! `BREAKING CHANGE:` / `BREAKING-CHANGE:` marks a breaking change. A
//! message that does not follow the convention is still a [`Change`], with
//! no type, so release notes can list it under "other".
//!
//! A merge commit (GitHub's `Merge pull request #N from ...`, or a
//! `Merge branch '...'` line as GitLab and git write) is read by its body:
//! when the first non-empty line after the merge line is a conventional
//! header (GitHub and GitLab put the pull request's title there), that line
//! is the header, and the merge line gives the pull request number.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::bump::Level;
use super::scheme::{Scheme, Version};
use crate::{Error, Result};

/// One change, read from a commit message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Change {
    /// The conventional type, lowercased (`feat`, `fix`, ...); `None` when
    /// the message does not follow the convention.
    pub kind: Option<String>,
    /// The scope in parentheses, if any.
    pub scope: Option<String>,
    /// Whether the change is breaking.
    pub breaking: bool,
    /// The subject line (the header after the colon, the header being a
    /// merge commit's conventional body line; or the whole first line of a
    /// non-conventional message).
    pub subject: String,
    /// The pull request, from a GitHub squash subject `... (#123)`, a
    /// GitHub merge commit `Merge pull request #123 from ...`, or a GitLab
    /// merge commit (`Merge branch '...' into '...'`) with a trailer line
    /// `See merge request group/project!123`.
    pub pr: Option<u64>,
    /// Every `#N` reference in the message, in order, without duplicates
    /// (a GitHub pull request included; a GitLab `!N` is not a `#N`
    /// reference).
    pub references: Vec<u64>,
}

impl Change {
    /// Reads a commit message.
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::version::Change;
    ///
    /// let c = Change::parse("feat(api)!: drop v1 endpoints (#42)\n\nCloses #40");
    /// assert_eq!(c.kind.as_deref(), Some("feat"));
    /// assert_eq!(c.scope.as_deref(), Some("api"));
    /// assert!(c.breaking);
    /// assert_eq!(c.subject, "drop v1 endpoints (#42)");
    /// assert_eq!(c.pr, Some(42));
    /// assert_eq!(c.references, [42, 40]);
    ///
    /// let m = Change::parse("Merge pull request #77 from foo/bar\n\nfeat(ui): merged thing");
    /// assert_eq!(m.kind.as_deref(), Some("feat"));
    /// assert_eq!(m.scope.as_deref(), Some("ui"));
    /// assert_eq!(m.subject, "merged thing");
    /// assert_eq!(m.pr, Some(77));
    /// ```
    pub fn parse(message: &str) -> Change {
        let message = message.trim_start();
        let first = message.lines().next().unwrap_or("").trim_end();
        let references = references(message);
        let (header, pr) = match merge_commit(message, first) {
            Some((body_header, pr)) => (body_header.unwrap_or(first), pr),
            None => (first, squash_pr(first)),
        };
        let footer_breaking = message.lines().skip(1).any(|line| {
            line.starts_with("BREAKING CHANGE:") || line.starts_with("BREAKING-CHANGE:")
        });
        match parse_header(header) {
            Some((kind, scope, bang, subject)) => Change {
                kind: Some(kind.to_ascii_lowercase()),
                scope: scope.map(str::to_owned),
                breaking: bang || footer_breaking,
                subject: subject.to_owned(),
                pr,
                references,
            },
            None => Change {
                kind: None,
                scope: None,
                breaking: footer_breaking,
                subject: header.to_owned(),
                pr,
                references,
            },
        }
    }

    /// The bump this change alone calls for: breaking -> major, `feat` ->
    /// minor, `fix` and `perf` -> patch, anything else none.
    pub fn level(&self) -> Option<Level> {
        if self.breaking {
            return Some(Level::Major);
        }
        match self.kind.as_deref() {
            Some("feat") => Some(Level::Minor),
            Some("fix" | "perf") => Some(Level::Patch),
            _ => None,
        }
    }
}

/// `type(scope)!: subject` -> (type, scope, bang, subject).
fn parse_header(header: &str) -> Option<(&str, Option<&str>, bool, &str)> {
    let (head, subject) = header.split_once(':')?;
    let subject = subject.strip_prefix(' ')?.trim();
    if subject.is_empty() {
        return None;
    }
    let (head, bang) = match head.strip_suffix('!') {
        Some(h) => (h, true),
        None => (head, false),
    };
    let (kind, scope) = match head.split_once('(') {
        Some((kind, rest)) => {
            let scope = rest.strip_suffix(')')?;
            if scope.is_empty() || scope.contains(['(', ')']) {
                return None;
            }
            (kind, Some(scope))
        }
        None => (head, None),
    };
    let is_word = !kind.is_empty() && kind.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    is_word.then_some((kind, scope, bang, subject))
}

fn squash_pr(header: &str) -> Option<u64> {
    let inner = header.strip_suffix(')')?;
    let start = inner.rfind("(#")?;
    inner[start + 2..].parse().ok()
}

/// For a merge commit: the body's first non-empty line if it is a
/// conventional header, and the pull (or merge) request number. `None`
/// when `first` is not a merge line.
fn merge_commit<'m>(message: &'m str, first: &str) -> Option<(Option<&'m str>, Option<u64>)> {
    let pr = if let Some(rest) = first.strip_prefix("Merge pull request #") {
        leading_number(rest)
    } else if first.starts_with("Merge branch '") {
        gitlab_merge_request(message)
    } else {
        return None;
    };
    let body_header = message
        .lines()
        .skip(1)
        .map(str::trim)
        .find(|line| !line.is_empty())
        .filter(|line| parse_header(line).is_some());
    Some((body_header, pr))
}

/// The `N` of a GitLab trailer line `See merge request group/project!N`.
fn gitlab_merge_request(message: &str) -> Option<u64> {
    message.lines().skip(1).find_map(|line| {
        let reference = line.trim().strip_prefix("See merge request ")?;
        let (_, number) = reference.rsplit_once('!')?;
        number.parse().ok()
    })
}

fn leading_number(text: &str) -> Option<u64> {
    let digits: String = text.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn references(message: &str) -> Vec<u64> {
    let mut refs = Vec::new();
    let bytes = message.as_bytes();
    for (i, _) in message.match_indices('#') {
        // `#` must start a word: `abc#1` and `C#` are not references.
        if i > 0 && bytes[i - 1].is_ascii_alphanumeric() {
            continue;
        }
        let digits: String = message[i + 1..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        let next = message[i + 1 + digits.len()..].chars().next();
        if next.is_some_and(|c| c.is_alphanumeric()) {
            continue;
        }
        if let Ok(n) = digits.parse::<u64>()
            && !refs.contains(&n)
        {
            refs.push(n);
        }
    }
    refs
}

/// The bump a set of changes calls for, given the current version.
///
/// The largest level of any change wins. While the major version is 0
/// (SemVer's "anything may change" range) a breaking change calls for a
/// minor bump, not a major one, as release-please and semantic-release do by
/// default; `feat` still calls for minor. `None` when no change calls for a
/// release (only `docs`, `chore`, ...).
pub fn bump_level(changes: &[Change], current: Option<&Version>) -> Option<Level> {
    let level = changes.iter().filter_map(Change::level).max()?;
    let major_zero = current
        .and_then(Version::as_semver)
        .is_some_and(|v| v.major() == 0);
    Some(if level == Level::Major && major_zero {
        Level::Minor
    } else {
        level
    })
}

impl Scheme {
    /// The next version from the changes since `current`: the changes
    /// decide whether there is a release at all, and then
    ///
    /// - SemVer: the changes decide the level ([`bump_level`]), and `date`
    ///   must be `None`;
    /// - CalVer: the release `date` decides the version
    ///   ([`Scheme::next_for_date`] over the `existing` versions), so it
    ///   is required; the core reads no clock.
    ///
    /// `Ok(None)` when no change calls for a release. The CLI's `release
    /// version next --commits`, Python's `Scheme.next_from_commits` and
    /// [`Process::next_versions`](crate::process::Process::next_versions)
    /// all answer through this call.
    ///
    /// # Errors
    ///
    /// A [config error](crate::ErrorKind::Config) for a CalVer scheme
    /// without a date or a SemVer scheme with one; otherwise as
    /// [`Scheme::next`] and [`Scheme::next_for_date`].
    ///
    /// # Example
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use release_core::version::{Change, Scheme};
    ///
    /// let calver = Scheme::calver("YYYY.0M.MICRO")?;
    /// let existing = [calver.parse("2023.06.1")?];
    /// let date = NaiveDate::from_ymd_opt(2023, 6, 20);
    /// let fix = [Change::parse("fix: typo")];
    /// let next = calver.next_from_changes(existing.last(), &fix, &existing, date)?;
    /// assert_eq!(next.unwrap().to_string(), "2023.06.2");
    /// // Nothing that calls for a release: no release, whatever the date.
    /// let chore = [Change::parse("chore: tidy")];
    /// assert_eq!(calver.next_from_changes(existing.last(), &chore, &existing, date)?, None);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_from_changes(
        &self,
        current: Option<&Version>,
        changes: &[Change],
        existing: &[Version],
        date: Option<NaiveDate>,
    ) -> Result<Option<Version>> {
        let Some(level) = bump_level(changes, current) else {
            return Ok(None);
        };
        match (self, date) {
            (Scheme::CalVer(_), Some(date)) => self.next_for_date(date, existing).map(Some),
            (Scheme::CalVer(_), None) => Err(Error::config(
                "a CalVer version follows the release date: give the date with the changes (release-core reads no clock)",
            )),
            (Scheme::SemVer(_) | Scheme::Pep440(_), None) => self.next(current, level).map(Some),
            (Scheme::SemVer(_) | Scheme::Pep440(_), Some(date)) => Err(Error::config(format!(
                "a date ({date}) applies to CalVer schemes; a {} version follows the changes' level",
                self.describe()
            ))),
        }
    }

    /// The next version from conventional-commit messages since `current`:
    /// [`Scheme::next_from_changes`] of the parsed messages.
    ///
    /// `Ok(None)` when no commit calls for a release.
    ///
    /// # Errors
    ///
    /// As [`Scheme::next_from_changes`].
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::version::Scheme;
    ///
    /// let s = Scheme::semver();
    /// let current = s.parse("1.4.2")?;
    /// let next = s.next_from_commits(Some(&current), &["fix: typo", "feat: dark mode"], &[], None)?;
    /// assert_eq!(next.unwrap().to_string(), "1.5.0");
    /// let zero = s.parse("0.8.3")?;
    /// let next = s.next_from_commits(Some(&zero), &["refactor!: new config format"], &[], None)?;
    /// assert_eq!(next.unwrap().to_string(), "0.9.0");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn next_from_commits<S: AsRef<str>>(
        &self,
        current: Option<&Version>,
        messages: &[S],
        existing: &[Version],
        date: Option<NaiveDate>,
    ) -> Result<Option<Version>> {
        let changes: Vec<Change> = messages.iter().map(|m| Change::parse(m.as_ref())).collect();
        self.next_from_changes(current, &changes, existing, date)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers() {
        let c = Change::parse("Fix(parser): handle CRLF");
        assert_eq!(c.kind.as_deref(), Some("fix"));
        assert_eq!(c.level(), Some(Level::Patch));
        let c = Change::parse("update readme");
        assert_eq!(c.kind, None);
        assert_eq!(c.subject, "update readme");
        let c = Change::parse("chore: bump deps\n\nBREAKING CHANGE: needs rust 1.85");
        assert!(c.breaking);
        assert_eq!(c.level(), Some(Level::Major));
        assert_eq!(Change::parse("feat:no space").kind, None);
        assert_eq!(
            Change::parse("Merge pull request #77 from a/b").pr,
            Some(77)
        );
        assert_eq!(
            Change::parse("docs: C# and abc#3 are not refs").references,
            Vec::<u64>::new()
        );
    }

    #[test]
    fn merge_commits_are_read_by_their_body() {
        let c = Change::parse("Merge pull request #77 from foo/bar\n\nfeat: merged thing");
        assert_eq!(c.kind.as_deref(), Some("feat"));
        assert_eq!(c.subject, "merged thing");
        assert_eq!(c.level(), Some(Level::Minor));
        assert_eq!((c.pr, c.references), (Some(77), vec![77]));
        let c = Change::parse(
            "Merge pull request #78 from foo/baz\n\n  \nfix(api)!: new paging\n\nmore text",
        );
        assert_eq!(
            (c.kind.as_deref(), c.scope.as_deref(), c.breaking),
            (Some("fix"), Some("api"), true)
        );
        assert_eq!(c.subject, "new paging");
        let c = Change::parse("Merge pull request #79 from a/b\n\nchore: x\n\nBREAKING CHANGE: y");
        assert!(c.breaking);
        // A body that is not conventional: the merge line stays the subject.
        let c = Change::parse("Merge pull request #80 from a/b\n\nAdd thing\n\nfeat: later");
        assert_eq!(c.kind, None);
        assert_eq!(c.subject, "Merge pull request #80 from a/b");
        assert_eq!(c.pr, Some(80));
        // GitLab: the number comes from the trailer, as `!N`.
        let c = Change::parse(
            "Merge branch 'feature' into 'main'\n\nperf(db): faster lookups\n\n\
             Closes #12\n\nSee merge request group/project!34",
        );
        assert_eq!(
            (c.kind.as_deref(), c.scope.as_deref(), c.subject.as_str()),
            (Some("perf"), Some("db"), "faster lookups")
        );
        assert_eq!((c.pr, c.references), (Some(34), vec![12]));
        let c = Change::parse("Merge branch 'hotfix'\n\nfix: crash");
        assert_eq!((c.kind.as_deref(), c.pr), (Some("fix"), None));
        // Only the first line is a merge line; a conventional header wins.
        let c = Change::parse("feat: x\n\nMerge pull request #5 from a/b");
        assert_eq!((c.subject.as_str(), c.pr), ("x", None));
    }

    #[test]
    fn levels() {
        let s = Scheme::semver();
        let v = s.parse("2.0.0").unwrap();
        assert_eq!(
            s.next_from_commits(Some(&v), &["docs: x", "chore: y"], &[], None)
                .unwrap(),
            None
        );
        let next = s
            .next_from_commits(
                Some(&v),
                &["perf: faster", "feat!: removed flag"],
                &[],
                None,
            )
            .unwrap();
        assert_eq!(next.unwrap().to_string(), "3.0.0");
    }
}
