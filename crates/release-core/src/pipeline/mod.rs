//! Pipelines: components, environments, steps and matrices as a validated
//! DAG, with analysis.
//!
//! A [`PipelineDef`] is the data (the `release.toml` shape); a
//! [`Pipeline`] is a definition that validated: every step, component,
//! environment and cell referenced exists, ids are unique and the needs
//! form no cycle. An invalid pipeline cannot be constructed, so everything
//! downstream (analysis, runs) works on a sound graph.
//!
//! - [`Component`]s with tag schemes and [`Pin`]s (the Fragalysis stack pins
//!   a backend and a frontend tag);
//! - [`Environment`]s in promotion order, each with gates on deploying into it;
//! - [`Step`]s of a [`StepKind`] with needs, gates, an
//!   [`Estimate`](crate::duration::Estimate), a manual
//!   flag, a command as an argument list and free metadata;
//! - [`Matrix`] steps that expand into one task per [`Cell`], each
//!   [`Required`](crate::gate::Requirement::Required),
//!   [`Advisory`](crate::gate::Requirement::Advisory) or
//!   [`Skippable`](crate::gate::Requirement::Skippable);
//! - analysis: [`Pipeline::order`], [`Pipeline::critical_path`], and drawings
//!   ([`Pipeline::to_dot`], [`Pipeline::to_mermaid`]). What is ready and what
//!   is blocked, and why, depends on a run's state: see [`crate::run`].
//!
//! # Memory
//!
//! On 64-bit targets a [`Step`] is 88 bytes, each of its needs a 24-byte
//! [`StepName`] (ids of up to 24 bytes are kept inline, longer ones on the
//! heap), and its [`StepDetails`] (384 bytes, plus what they hold) are
//! allocated only for a step that sets one of them. Validating adds about
//! 50 bytes per task (the task table, the id index at a load of at most
//! one half, the order, row offsets) and 8 per dependency (needs and
//! dependents as compressed rows); the definition is moved in, not
//! copied. 100,000 steps with 300,000 needs: 8.4 MiB of steps and 6.9
//! MiB of needs (lists at exact capacity), then 7.0 MiB of validated
//! graph. An [`IndexedPipeline`] (integer nodes)
//! holds 28 bytes per node and 8 per edge.
//!
//! # Example
//!
//! ```
//! use release_core::pipeline::{Pipeline, Step, StepKind};
//!
//! let p = Pipeline::builder()
//!     .step(Step::new("tag-backend", StepKind::Tag).estimate("3m..4m".parse()?))
//!     .step(Step::new("tag-frontend", StepKind::Tag).needs(["tag-backend"]).estimate("5m..6m".parse()?))
//!     .step(Step::new("tag-stack", StepKind::Tag).needs(["tag-frontend"]).estimate("10m..15m".parse()?))
//!     .step(Step::new("verify", StepKind::Test).needs(["tag-stack"]).estimate("15m..20m".parse()?))
//!     .build()?;
//! // "Set aside at least 45 minutes."
//! assert_eq!(p.critical_path().estimate.to_string(), "33m..45m");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod analysis;
mod component;
mod def;
mod graph;
mod index;
mod indexed;
mod matrix;
mod name;
mod problem;
mod render;
mod step;
mod validate;

pub use self::analysis::{CriticalPath, PathStep};
pub use self::component::{Component, Environment, Pin};
pub use self::def::{PipelineBuilder, PipelineDef};
pub use self::graph::{Node, Pipeline, StepId};
pub use self::indexed::IndexedPipeline;
pub use self::matrix::{Cell, Matrix};
pub use self::name::StepName;
pub use self::problem::{CellAt, GateOwner, GateProblem, Problem};
pub use self::step::{Details, Step, StepDetails, StepKind, Wait};
