//! Release trains: releases on a schedule's days, promoted through
//! environments in order, played week by week on a virtual clock.
//!
//! A [`TrainDef`] is the `[[trains]]` table of a `release.toml`: the
//! environments in promotion order, the name of the schedule whose
//! occurrences are release days, the cycle length, and the [`Rules`] as data
//! (no release when nothing merged, promotion from the previous release
//! day, hotfixes and warmfixes that replace the planned release of the
//! environment they are for in the release week). A [`Train`] is a definition that validated against its
//! [`Schedule`](crate::calendar::Schedule) and
//! [`TagScheme`](crate::version::TagScheme).
//!
//! [`Train::simulate`] plays a [`Scenario`] (a start, a number of weeks or
//! cycles, what each environment holds, when changes merged and fixes
//! happened) and gives a [`Simulation`]: per [`Week`], the release day with
//! the schedule's holiday moves, what each environment holds and every
//! reason. [`Simulation::to_table`] draws it as process documents do.
//!
//! # Channels
//!
//! An environment may be a channel of another kind than `promoted` (the
//! default, above): a [`ChannelKind::Prerelease`] channel holds
//! pre-releases of the next version at its stage (`1.81.0-beta.N`), a
//! [`ChannelKind::Point`] channel takes the final of what the one before
//! held and point releases of itself only (a [`Scenario::point`] on stable
//! makes `1.80.1` and changes nothing else). [`TrainSchedule`]s add days
//! besides the release days: builds of prerelease channels, promotion
//! days ([`TrainAction`]). [`Simulation::brief`] keeps the weeks where
//! something happens. `examples/rust` is the Rust project's train.
//!
//! # Example
//!
//! The Mozilla Sync process (seed 002): releases every other Tuesday, staging
//! gets a new release when something merged, production takes what staging
//! held at the previous release day. Before week 1, the release day of
//! 2020-11-03 left staging on v0.0.3 and production on v0.0.2; that is the
//! state the document's table implies, since production gets v0.0.3 in
//! week 1.
//!
//! ```
//! use chrono::{NaiveDate, NaiveTime, Weekday};
//! use release_core::calendar::{Recurrence, RecurrenceRule, Schedule};
//! use release_core::train::{Scenario, Train, TrainDef};
//! use release_core::version::Scheme;
//!
//! let date = |s: &str| s.parse::<NaiveDate>().unwrap();
//! let schedule = Schedule::new(
//!     "release",
//!     Recurrence::new(date("2020-11-17"), RecurrenceRule::weekly(2, &[Weekday::Tue]))?,
//!     NaiveTime::from_hms_opt(10, 0, 0).unwrap(),
//!     "America/Los_Angeles".parse()?,
//! )?;
//! let def = TrainDef::new("sync", "release", &["staging", "production"]);
//! let train = Train::new(def, schedule, Scheme::semver())?;
//! let scenario = Scenario::new(date("2020-11-17"), 3)
//!     .holding("staging", "v0.0.3")
//!     .holding("production", "v0.0.2")
//!     .merges([date("2020-11-12"), date("2020-11-20"), date("2020-11-24")]);
//! let sim = train.simulate(&scenario)?;
//! assert_eq!(
//!     sim.to_table(),
//!     "week  staging  production\n\
//!      1     v0.0.4   v0.0.3\n\
//!      2     v0.0.4   v0.0.3\n\
//!      3     v0.0.5   v0.0.4\n"
//! );
//! assert_eq!(sim.weeks[2].environments[0].reasons, ["new tag v0.0.5: 2 merges since v0.0.4"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # What this module does not do
//!
//! It reads no repository: merges and fixes are given as times. Tags are
//! one line (each newer than all before it, as when fixes are tagged from
//! master); fixes on a branch off production are not modelled. Approvals,
//! QA blockers and the other release requirements are [`gate`](crate::gate)s.

mod def;
mod simulate;
mod validate;

pub use self::def::{
    Channel, ChannelKind, FixRule, Promote, Rules, Scenario, TrainAction, TrainDef, TrainSchedule,
    When,
};
pub use self::simulate::{Deployment, Holding, ReleaseDay, Simulation, TagKind, TrainDay, Week};
pub use self::validate::Train;
