//! PEP 440 versions, Python's: `3.14.0a1`, `3.14.0rc1`, `1.0.post1`,
//! `1.0.dev3`, `1!2.0`, `1.0+ubuntu1`.
//!
//! Reading, normalising and ordering are `pep440_rs`'s (the parser uv and
//! ruff use); this module keeps the spelling beside the normal form, warns
//! about spellings that are not normal, and builds the versions that
//! [`Scheme::next`](super::Scheme::next) and its peers answer.

use std::cmp::Ordering;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::str::FromStr;

use pep440_rs::{Prerelease, PrereleaseKind};

use super::fail::Fail;

/// A PEP 440 version together with the way it was spelled.
///
/// Equality, order and hashing are PEP 440's, on the *normal form*
/// (`1.0RC1` is `1.0rc1`, `1.0` equals `1.0.0`); the spelling is kept for
/// [`Display`](fmt::Display), so formatting a parsed version gives back the
/// text it was read from. A spelling that is not the normal form is read
/// all the same, with a [warning](Self::warnings) that names the normal form,
/// as `pip` and `packaging` read it.
///
/// # Example
///
/// ```
/// use release_core::version::Pep440Version;
///
/// let rc = Pep440Version::parse("3.14.0RC1")?;
/// assert_eq!(rc.to_string(), "3.14.0RC1");
/// assert_eq!(rc.normal_form(), "3.14.0rc1");
/// assert_eq!(rc.warnings().len(), 1);
/// assert!(Pep440Version::parse("3.14.0b3")? < rc);
/// assert!(rc < Pep440Version::parse("3.14.0")?);
/// assert!(Pep440Version::parse("3.14.0")? < Pep440Version::parse("3.14.0.post1")?);
/// assert!(Pep440Version::parse("1!0.1")? > Pep440Version::parse("2026.1")?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Pep440Version {
    normalised: pep440_rs::Version,
    /// The text as read, when it differs from the normal form; `None` for
    /// the common normal spelling.
    spelling: Option<Box<str>>,
    /// The pre-release part of the normal form (`rc1`, `a2.dev3`, `dev4`),
    /// so that [`prerelease`](Self::prerelease) can lend it.
    pre: Option<Box<str>>,
}

impl Pep440Version {
    /// Reads a PEP 440 version in any spelling PEP 440 normalises
    /// (`1.0RC1`, `v1.0`, `1.0-alpha1`, `1.0.post-1`, surrounding
    /// whitespace).
    ///
    /// # Errors
    ///
    /// A [parse error](crate::ErrorKind::Parse) that quotes the text and
    /// says what was expected.
    pub fn parse(text: &str) -> crate::Result<Pep440Version> {
        parse(text).map_err(|fail| fail.into_error("version", text, Some("PEP 440")))
    }

    fn from_normalised(normalised: pep440_rs::Version, spelling: Option<&str>) -> Pep440Version {
        let normal = normalised.to_string();
        let spelling = spelling
            .filter(|s| *s != normal)
            .map(|s| s.to_owned().into_boxed_str());
        let pre = pre_text(&normalised);
        Pep440Version {
            normalised,
            spelling,
            pre,
        }
    }

    /// The normal form: `1.0RC1` -> `1.0rc1`, `v1.0-post2` -> `1.0.post2`.
    pub fn normal_form(&self) -> String {
        self.normalised.to_string()
    }

    /// Whether the version was written in its normal form.
    pub fn is_normal(&self) -> bool {
        self.spelling.is_none()
    }

    /// The epoch: `1` of `1!2.0`, else `0`.
    pub fn epoch(&self) -> u64 {
        self.normalised.epoch()
    }

    /// The release segment: `[3, 14, 0]` of `3.14.0rc1`.
    pub fn release(&self) -> &[u64] {
        self.normalised.release()
    }

    /// The post-release number: `1` of `1.0.post1`.
    pub fn post(&self) -> Option<u64> {
        self.normalised.post()
    }

    /// The development release number: `3` of `1.0.dev3`.
    pub fn dev(&self) -> Option<u64> {
        self.normalised.dev()
    }

    /// The local version label, normalised: `ubuntu.1` of `1.0+ubuntu-1`.
    pub fn local(&self) -> Option<String> {
        let local = self.normalised.local();
        (!local.is_empty()).then(|| {
            local
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(".")
        })
    }

    /// Whether this is a pre-release in PEP 440's sense: an alpha, beta or
    /// release candidate, or a development release (`1.0.dev3`).
    pub fn is_prerelease(&self) -> bool {
        self.normalised.any_prerelease()
    }

    /// The pre-release part of the normal form: `rc1` of `3.14.0RC1`,
    /// `a2.dev3` of `1.0a2.dev3`, `dev3` of `1.0.dev3`.
    pub fn prerelease(&self) -> Option<&str> {
        self.pre.as_deref()
    }

    /// The stage and counter: `("rc", 1)` of `3.14.0rc1`; `None` for a
    /// final or a bare development release.
    pub fn stage(&self) -> Option<(&'static str, u64)> {
        self.normalised
            .pre()
            .map(|p| (kind_label(p.kind), p.number))
    }

    /// Warnings about the spelling: a version not in its normal form.
    pub fn warnings(&self) -> Vec<crate::Warning> {
        match &self.spelling {
            Some(spelling) => vec![crate::Warning::new(
                crate::WarningKind::LenientRead,
                format!(
                    "{spelling:?} is not in PEP 440's normal form; read as {:?}",
                    self.normal_form()
                ),
            )],
            None => Vec::new(),
        }
    }

    /// The final this version is or would be: without pre-release,
    /// development release and local label (`3.14.0rc1` -> `3.14.0`); a
    /// post-release of a final stays one (`1.0.post1.dev2` -> `1.0.post1`).
    pub(crate) fn final_release(&self) -> Pep440Version {
        let keep_post = self.normalised.pre().is_none();
        let v = self
            .normalised
            .clone()
            .with_pre(None)
            .with_dev(None)
            .without_local()
            .with_post(self.normalised.post().filter(|_| keep_post));
        Pep440Version::from_normalised(v, None)
    }

    /// This version's release segment replaced (pre, post, dev and local
    /// dropped; the epoch kept).
    pub(crate) fn with_release(&self, release: Vec<u64>) -> Pep440Version {
        let v = pep440_rs::Version::new(release).with_epoch(self.epoch());
        Pep440Version::from_normalised(v, None)
    }

    /// The final release with this stage and counter (`rc`, 2).
    pub(crate) fn with_stage(&self, label: &str, number: u64) -> Option<Pep440Version> {
        let kind = label_kind(label)?;
        let v = self
            .final_release()
            .normalised
            .with_post(None)
            .with_pre(Some(Prerelease { kind, number }));
        Some(Pep440Version::from_normalised(v, None))
    }

    /// The same version with another development release number.
    pub(crate) fn with_dev(&self, dev: u64) -> Pep440Version {
        let v = self.normalised.clone().without_local().with_dev(Some(dev));
        Pep440Version::from_normalised(v, None)
    }

    /// The final release with a post-release number (`1.4.0.post2`).
    pub(crate) fn with_post(&self, post: u64) -> Pep440Version {
        let v = self.final_release().normalised.with_post(Some(post));
        Pep440Version::from_normalised(v, None)
    }
}

/// PEP 440's stage labels, in the normal form: `a`, `b`, `rc`.
fn kind_label(kind: PrereleaseKind) -> &'static str {
    match kind {
        PrereleaseKind::Alpha => "a",
        PrereleaseKind::Beta => "b",
        PrereleaseKind::Rc => "rc",
    }
}

/// A candidate label as a PEP 440 stage: the normal `a`, `b`, `rc` and the
/// spellings PEP 440 normalises to them.
pub(crate) fn label_kind(label: &str) -> Option<PrereleaseKind> {
    match label.to_ascii_lowercase().as_str() {
        "a" | "alpha" => Some(PrereleaseKind::Alpha),
        "b" | "beta" => Some(PrereleaseKind::Beta),
        "rc" | "c" | "pre" | "preview" => Some(PrereleaseKind::Rc),
        _ => None,
    }
}

fn pre_text(v: &pep440_rs::Version) -> Option<Box<str>> {
    let mut text = String::new();
    if let Some(pre) = v.pre() {
        text.push_str(&pre.to_string());
    }
    if let Some(post) = v.post().filter(|_| v.any_prerelease()) {
        if !text.is_empty() {
            text.push('.');
        }
        text.push_str(&format!("post{post}"));
    }
    if let Some(dev) = v.dev() {
        if !text.is_empty() {
            text.push('.');
        }
        text.push_str(&format!("dev{dev}"));
    }
    (!text.is_empty()).then(|| text.into_boxed_str())
}

/// Python's whitespace (`str.isspace`, the `\s` that `packaging` strips):
/// Unicode's `White_Space` and the four ASCII separators U+001C..U+001F.
fn python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

pub(crate) fn parse(text: &str) -> Result<Pep440Version, Fail> {
    let trimmed = text.trim_matches(python_space);
    let normalised =
        pep440_rs::Version::from_str(trimmed).map_err(|e| Fail::Pep440(Box::new(e)))?;
    Ok(Pep440Version::from_normalised(normalised, Some(text)))
}

impl fmt::Display for Pep440Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.spelling {
            Some(spelling) => f.write_str(spelling),
            None => self.normalised.fmt(f),
        }
    }
}

impl fmt::Debug for Pep440Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Pep440Version({self})")
    }
}

impl PartialEq for Pep440Version {
    fn eq(&self, other: &Self) -> bool {
        self.normalised == other.normalised
    }
}

impl Eq for Pep440Version {}

impl Hash for Pep440Version {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.normalised.hash(state);
    }
}

impl PartialOrd for Pep440Version {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Pep440Version {
    fn cmp(&self, other: &Self) -> Ordering {
        self.normalised.cmp(&other.normalised)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(text: &str) -> Pep440Version {
        Pep440Version::parse(text).unwrap()
    }

    #[test]
    fn orders_as_pep_440() {
        let order = [
            "1.0.dev456",
            "1.0a1",
            "1.0a2.dev456",
            "1.0a12.dev456",
            "1.0a12",
            "1.0b1.dev456",
            "1.0b2",
            "1.0b2.post345.dev456",
            "1.0b2.post345",
            "1.0rc1.dev456",
            "1.0rc1",
            "1.0",
            "1.0+abc.5",
            "1.0+abc.7",
            "1.0+5",
            "1.0.post456.dev34",
            "1.0.post456",
            "1.1.dev1",
            "1!0.1",
        ];
        for pair in order.windows(2) {
            assert!(v(pair[0]) < v(pair[1]), "{} < {}", pair[0], pair[1]);
        }
        assert_eq!(v("1.0"), v("1.0.0"));
    }

    #[test]
    fn keeps_the_spelling_and_warns_about_it() {
        for (text, normal) in [
            ("1.0RC1", "1.0rc1"),
            ("v1.0", "1.0"),
            ("1.0-alpha1", "1.0a1"),
            ("1.0-1", "1.0.post1"),
            (" 1.0 ", "1.0"),
        ] {
            let read = v(text);
            assert_eq!(read.to_string(), text);
            assert_eq!(read.normal_form(), normal);
            let warnings = read.warnings();
            assert_eq!(warnings.len(), 1, "{text}");
            assert!(warnings[0].message.contains(normal), "{text}");
        }
        assert!(v("3.14.0rc1").warnings().is_empty());
    }
}
