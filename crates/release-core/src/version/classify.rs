//! Classifying tags against rules: hard rules decide, style rules warn.
//!
//! The Fragalysis stack deploys a tag to production only if it is
//! "production-grade", `^[0-9]+\.[0-9]+\.[0-9]+$`, tested on the slug that
//! its CI computes from the tag. `2023.6.2` passes that hard rule; the team's
//! preferred style `YYYY.0M.MICRO` is a separate, softer rule that only
//! warns that the month is not zero-padded.

use std::fmt;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::scheme::Scheme;
use crate::{Error, Result};

/// The slug CI slug steps compute from a ref name: lowercase, every
/// character outside `[0-9a-z._]` replaced by `-`, leading and trailing `-`
/// removed, at most 63 characters (the `*_SLUG` variables of
/// `rlespinasse/github-slug-action`, the usual GitHub Actions step).
///
/// # Example
///
/// ```
/// assert_eq!(release_core::version::slug("Release/2023.06.1-RC1"), "release-2023.06.1-rc1");
/// assert_eq!(release_core::version::slug("v1.2.3+build"), "v1.2.3-build");
/// ```
pub fn slug(text: &str) -> String {
    let replaced: String = text
        .chars()
        .map(|c| c.to_ascii_lowercase())
        .map(|c| {
            if c.is_ascii_digit() || c.is_ascii_lowercase() || c == '.' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let trimmed = replaced.trim_matches('-');
    let cut: String = trimmed.chars().take(63).collect();
    cut.trim_end_matches('-').to_owned()
}

/// Whether a failed rule blocks or only warns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Severity {
    /// A failed hard rule rejects the tag (e.g. for production).
    Hard,
    /// A failed style rule is a warning.
    Style,
}

crate::vocabulary! {
    Severity, "severity",
    {
        Hard => "hard",
        Style => "style",
    }
}

/// A regular expression, serialised as its source text.
#[derive(Debug, Clone)]
pub struct Pattern(Regex);

impl Pattern {
    /// Compiles a pattern.
    ///
    /// # Errors
    ///
    /// A [parse error](crate::ErrorKind::Parse) quoting the pattern and the
    /// regex engine's message.
    pub fn new(source: &str) -> Result<Pattern> {
        Regex::new(source).map(Pattern).map_err(|e| {
            // The regex crate draws a multi-line caret diagram; its last
            // line carries the reason, which is what a one-line message needs.
            let text = e.to_string();
            let reason = text
                .lines()
                .last()
                .unwrap_or("")
                .trim_start_matches("error: ");
            Error::parse(format!("invalid pattern {source:?}: {reason}"))
        })
    }

    /// The source text.
    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    /// Whether `text` matches.
    pub fn is_match(&self, text: &str) -> bool {
        self.0.is_match(text)
    }
}

impl PartialEq for Pattern {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Pattern {}

impl Serialize for Pattern {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Pattern {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Pattern::new(&text).map_err(serde::de::Error::custom)
    }
}

/// What a rule tests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "lowercase", deny_unknown_fields)]
pub enum Check {
    /// The tag (or its [slug], when `slug` is set) matches a pattern.
    Pattern {
        /// The regular expression; anchor it with `^...$` to match whole.
        pattern: Pattern,
        /// Whether to test the slug rather than the tag.
        #[serde(default)]
        slug: bool,
    },
    /// The tag is a version of a scheme (for example `YYYY.0M.MICRO`).
    Conforms {
        /// The scheme.
        scheme: Scheme,
    },
}

/// A named rule over tags.
///
/// Serialised as `{ name = "...", severity = "hard", check = { pattern = {
/// pattern = "...", slug = true } } }`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TagRule {
    /// The rule's name, used in verdicts.
    pub name: String,
    /// Hard or style.
    pub severity: Severity,
    /// What is tested.
    pub check: Check,
}

impl TagRule {
    /// The Fragalysis production rule: the slug of the tag matches
    /// `^[0-9]+\.[0-9]+\.[0-9]+$`.
    pub fn production_grade() -> TagRule {
        TagRule {
            name: "production-grade".to_owned(),
            severity: Severity::Hard,
            check: Check::Pattern {
                pattern: Pattern::new(r"^[0-9]+\.[0-9]+\.[0-9]+$").unwrap_or_else(|_| {
                    unreachable!("the production-grade pattern is a valid regex")
                }),
                slug: true,
            },
        }
    }

    /// A rule that the tag matches `pattern`.
    ///
    /// # Errors
    ///
    /// A [parse error](crate::ErrorKind::Parse) for an invalid pattern.
    pub fn pattern(name: &str, severity: Severity, pattern: &str, slug: bool) -> Result<TagRule> {
        Ok(TagRule {
            name: name.to_owned(),
            severity,
            check: Check::Pattern {
                pattern: Pattern::new(pattern)?,
                slug,
            },
        })
    }

    /// A rule that the tag is a version of `scheme`.
    pub fn conforms(name: &str, severity: Severity, scheme: Scheme) -> TagRule {
        TagRule {
            name: name.to_owned(),
            severity,
            check: Check::Conforms { scheme },
        }
    }

    /// Tests one tag.
    pub fn check(&self, tag: &str) -> RuleVerdict {
        let (passed, detail) = match &self.check {
            Check::Pattern {
                pattern,
                slug: use_slug,
            } => {
                let tested = if *use_slug { slug(tag) } else { tag.to_owned() };
                let passed = pattern.is_match(&tested);
                let subject = if *use_slug && tested != tag {
                    format!("slug {tested:?} of {tag:?}")
                } else {
                    format!("{tag:?}")
                };
                let verb = if passed { "matches" } else { "does not match" };
                (passed, format!("{subject} {verb} {}", pattern.as_str()))
            }
            Check::Conforms { scheme } => match scheme.parse(tag) {
                Ok(_) => (true, format!("{tag:?} is a version of {scheme}")),
                Err(e) => (false, e.to_string()),
            },
        };
        RuleVerdict {
            rule: self.name.clone(),
            severity: self.severity,
            passed,
            detail,
        }
    }
}

/// The outcome of one rule on one tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleVerdict {
    /// The rule's name.
    pub rule: String,
    /// The rule's severity.
    pub severity: Severity,
    /// Whether the tag passed.
    pub passed: bool,
    /// Why, for humans.
    pub detail: String,
}

/// Every rule's verdict on one tag.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Classification {
    /// The tag.
    pub tag: String,
    /// One verdict per rule, in rule order.
    pub verdicts: Vec<RuleVerdict>,
}

impl Classification {
    /// Whether every hard rule passed.
    pub fn accepted(&self) -> bool {
        self.verdicts
            .iter()
            .all(|v| v.passed || v.severity == Severity::Style)
    }

    /// The failed hard rules.
    pub fn failures(&self) -> impl Iterator<Item = &RuleVerdict> {
        self.verdicts
            .iter()
            .filter(|v| !v.passed && v.severity == Severity::Hard)
    }

    /// The failed style rules.
    pub fn warnings(&self) -> impl Iterator<Item = &RuleVerdict> {
        self.verdicts
            .iter()
            .filter(|v| !v.passed && v.severity == Severity::Style)
    }
}

impl fmt::Display for Classification {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let verdict = if self.accepted() {
            "accepted"
        } else {
            "rejected"
        };
        write!(f, "{}: {verdict}", self.tag)?;
        for v in &self.verdicts {
            let mark = match (v.passed, v.severity) {
                (true, _) => "ok",
                (false, Severity::Hard) => "FAIL",
                (false, Severity::Style) => "warn",
            };
            write!(f, "\n  {mark:<4} {}: {}", v.rule, v.detail)?;
        }
        Ok(())
    }
}

/// Tests a tag against every rule; the verdict lists each one.
///
/// # Example
///
/// ```
/// use release_core::version::{classify, Scheme, Severity, TagRule};
///
/// let rules = [
///     TagRule::production_grade(),
///     TagRule::conforms("calver-style", Severity::Style, Scheme::calver("YYYY.0M.MICRO")?),
/// ];
/// let c = classify("2023.6.2", &rules);
/// assert!(c.accepted());
/// assert_eq!(c.warnings().count(), 1);
/// assert!(!classify("2023.06.2-rc1", &rules).accepted());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn classify(tag: &str, rules: &[TagRule]) -> Classification {
    Classification {
        tag: tag.to_owned(),
        verdicts: rules.iter().map(|r| r.check(tag)).collect(),
    }
}
