//! Version and tag schemes: SemVer, CalVer, PEP 440 and tag templates.
//!
//! A [`Scheme`] says how versions are written and ordered; a [`TagScheme`]
//! adds the [`TagTemplate`] that places a version inside a tag for one
//! component. From there:
//!
//! - parse and format, round-trip exact ([`Scheme::parse`], [`TagScheme::parse`]);
//! - compare, sort and find the latest ([`TagScheme::sort`], [`TagScheme::latest`]);
//! - choose the next version by level ([`Scheme::next`]), from
//!   conventional commits ([`Scheme::next_from_commits`]), or by date
//!   ([`Scheme::next_for_date`]);
//! - number hotfixes ([`Scheme::hotfix`]), start, bump and promote
//!   pre-releases ([`Scheme::start_prerelease`], [`Scheme::bump_prerelease`],
//!   [`Scheme::promote`]);
//! - derive floating tags ([`floating_tags`]) and classify tags against
//!   hard and style rules ([`classify`]).
//!
//! # Example
//!
//! ```
//! use chrono::NaiveDate;
//! use release_core::version::{Scheme, TagScheme};
//!
//! // The Fragalysis stack: `YYYY.0M.MICRO`, and a repository with noise.
//! let stack = TagScheme::from(Scheme::calver("YYYY.0M.MICRO")?);
//! let tags = ["2023.05.1", "2023.06.1", "2023.6.5", "latest", "v2.0.0"];
//! let list = stack.parse_all(tags);
//! assert_eq!(list.tags.len(), 2); // "2023.6.5" does not conform
//! let date = NaiveDate::from_ymd_opt(2023, 6, 20).unwrap();
//! let next = stack.scheme().next_for_date(date, &list.versions())?;
//! assert_eq!(stack.tag(&next)?, "2023.06.2");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod bump;
mod calver;
mod classify;
mod conventional;
mod fail;
mod floating;
mod kind;
mod pep440;
mod prerelease;
mod scheme;
mod semver;
mod sort;
mod stage;
mod tag;
mod template;

pub use self::bump::{HotfixStyle, Level, Promotion};
pub use self::calver::{CalVerFormat, CalVersion};
pub use self::classify::{
    Check, Classification, Pattern, RuleVerdict, Severity, TagRule, classify, slug,
};
pub use self::conventional::{Change, bump_level};
pub use self::floating::floating_tags;
pub use self::kind::ReleaseKind;
pub use self::pep440::Pep440Version;
pub use self::prerelease::CounterStyle;
pub use self::scheme::{
    CalVerScheme, CandidatePolicy, Pep440Scheme, Scheme, SemVerScheme, Version,
};
pub use self::semver::{SemVersion, VPrefix};
pub use self::stage::PrereleaseStage;
pub use self::tag::{Rejected, Tag, TagList, TagScheme};
pub use self::template::TagTemplate;
