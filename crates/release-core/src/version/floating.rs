//! Floating tags derived from a final: `3.6.7` -> `3.6`, `3`, `latest`.

use super::scheme::Version;
use super::semver::SemVersion;

/// The floating tags a final release should move, given the other releases.
///
/// A floating tag names a line rather than a release: `3.6` is "the newest
/// 3.6.x", `3` "the newest 3.x.y", `latest` "the newest of all". A tag is
/// returned only when `version` really is the newest final of its line among
/// `existing`, so releasing hotfix `3.5.9` after `3.6.7` moves `3.5` but
/// neither `3` nor `latest`. Pre-releases get no floating tags. The `v`
/// spelling follows the version (`v3.6.7` -> `v3.6`, `v3`).
///
/// CalVer versions with a counter float on their period:
/// `2023.06.2` -> `2023.06`, `latest`. PEP 440 finals float on their
/// release segment as SemVer's do (`3.14.2` -> `3.14`, `3`, `latest`).
///
/// # Example
///
/// ```
/// use release_core::version::{floating_tags, Scheme};
///
/// let s = Scheme::semver();
/// let v = s.parse("3.6.7")?;
/// assert_eq!(floating_tags(&v, &[]), ["3.6", "3", "latest"]);
/// let newer = s.parse("3.7.0")?;
/// assert_eq!(floating_tags(&v, &[newer]), ["3.6"]);
/// assert!(floating_tags(&s.parse("3.6.8-rc.1")?, &[]).is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn floating_tags(version: &Version, existing: &[Version]) -> Vec<String> {
    if version.is_prerelease() {
        return Vec::new();
    }
    let finals = || existing.iter().filter(|e| !e.is_prerelease());
    let newest_of = |same_line: &dyn Fn(&Version) -> bool| {
        finals().filter(|e| same_line(e)).all(|e| e <= version)
    };
    let mut tags = Vec::new();
    match version {
        Version::SemVer(v) => {
            let prefix = if v.has_v_prefix() { "v" } else { "" };
            let line = |e: &Version, minor: bool| {
                e.as_semver().is_some_and(|e: &SemVersion| {
                    e.major() == v.major() && (!minor || e.minor() == v.minor())
                })
            };
            if newest_of(&|e| line(e, true)) {
                tags.push(format!("{prefix}{}.{}", v.major(), v.minor()));
            }
            if newest_of(&|e| line(e, false)) {
                tags.push(format!("{prefix}{}", v.major()));
            }
        }
        Version::Pep440(v) => {
            // Like SemVer's, on the release segment of a final without a
            // post-release or local label: `3.14.2` -> `3.14`, `3`.
            let plain = v.post().is_none() && v.local().is_none();
            let release = v.release();
            let epoch = if v.epoch() == 0 {
                String::new()
            } else {
                format!("{}!", v.epoch())
            };
            let line = |e: &Version, n: usize| {
                e.as_pep440().is_some_and(|e| {
                    e.epoch() == v.epoch()
                        && (0..n).all(|i| {
                            e.release().get(i).unwrap_or(&0) == release.get(i).unwrap_or(&0)
                        })
                })
            };
            if plain && release.len() >= 3 && newest_of(&|e| line(e, 2)) {
                tags.push(format!("{epoch}{}.{}", release[0], release[1]));
            }
            if plain && release.len() >= 2 && newest_of(&|e| line(e, 1)) {
                tags.push(format!("{epoch}{}", release[0]));
            }
        }
        Version::CalVer(v) => {
            if let Some(period) = v
                .micro()
                .and_then(|_| period_text(&v.to_string(), v.micro()))
            {
                let same = |e: &Version| e.as_calver().is_some_and(|e| e.same_period(v));
                if newest_of(&same) {
                    tags.push(period);
                }
            }
        }
    }
    if newest_of(&|_| true) {
        tags.push("latest".to_owned());
    }
    tags
}

/// `2023.06.2` -> `2023.06`: the text before the trailing counter and its
/// separator. Only when the counter is written last, which is how every
/// CalVer format with `MICRO` in the seeds reads.
fn period_text(text: &str, micro: Option<u64>) -> Option<String> {
    let micro = micro?.to_string();
    let head = text.strip_suffix(micro.as_str())?;
    let head = head.trim_end_matches(|c: char| !c.is_ascii_alphanumeric());
    (!head.is_empty()).then(|| head.to_owned())
}
