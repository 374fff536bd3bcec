//! Analysis of a validated pipeline: critical path and duration estimates.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::graph::{Pipeline, StepId};
use crate::duration::{Estimate, Span};

/// One step on a [`CriticalPath`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PathStep {
    /// The task's id.
    pub id: String,
    /// Its estimate; `None` when the step has none (counted as zero).
    pub estimate: Option<Estimate>,
}

/// The longest chain of needs by estimated duration, and what it says
/// about the whole release.
///
/// The Fragalysis document's "set aside at least 45 minutes" is the
/// maximum of this estimate: backend 3-4, frontend 5-6 and stack 10-15
/// minutes of builds, one after the other, plus the time to verify.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CriticalPath {
    /// The chain, first step first (by maximum duration; ties by minimum,
    /// then the latest end in topological order).
    pub steps: Vec<PathStep>,
    /// The sum of the chain's estimates.
    pub estimate: Estimate,
    /// The whole pipeline with unlimited parallelism: the longest chain by
    /// minimum durations .. the longest chain by maximum durations.
    pub total: Estimate,
    /// The whole pipeline done one step at a time: every estimate added up.
    pub serial: Estimate,
    /// Steps without an estimate (counted as zero), in declaration order.
    pub unestimated: Vec<String>,
}

impl fmt::Display for CriticalPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let chain: Vec<String> = self
            .steps
            .iter()
            .map(|s| match s.estimate {
                Some(e) => format!("{} ({e})", s.id),
                None => format!("{} (no estimate)", s.id),
            })
            .collect();
        write!(f, "{} = {}", chain.join(" -> "), self.estimate)
    }
}

impl Pipeline {
    /// The critical path and the duration estimates.
    ///
    /// Linear in tasks plus needs.
    ///
    /// # Example
    ///
    /// ```
    /// use release_core::pipeline::{Pipeline, Step, StepKind};
    ///
    /// let p = Pipeline::builder()
    ///     .step(Step::new("backend", StepKind::Build).estimate("3m..4m".parse()?))
    ///     .step(Step::new("frontend", StepKind::Build).estimate("5m..6m".parse()?))
    ///     .step(Step::new("stack", StepKind::Build).needs(["backend", "frontend"]).estimate("10m..15m".parse()?))
    ///     .build()?;
    /// let path = p.critical_path();
    /// assert_eq!(path.to_string(), "frontend (5m..6m) -> stack (10m..15m) = 15m..21m");
    /// assert_eq!(path.serial.to_string(), "18m..25m");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn critical_path(&self) -> CriticalPath {
        let est: Vec<Estimate> = self
            .nodes()
            .map(|node| node.estimate().unwrap_or(Estimate::ZERO))
            .collect();
        let longest = Longest::of(self.order(), &est, |v| self.node(v).needs());
        let steps = longest
            .chain
            .iter()
            .map(|&id| {
                let node = self.node(id);
                PathStep {
                    id: node.id().to_owned(),
                    estimate: node.estimate(),
                }
            })
            .collect();
        CriticalPath {
            steps,
            estimate: longest.estimate,
            total: longest.total,
            serial: longest.serial,
            unestimated: self
                .nodes()
                .filter(|n| n.estimate().is_none())
                .map(|n| n.id().to_owned())
                .collect(),
        }
    }

    /// The whole pipeline's duration with unlimited parallelism, as
    /// [`CriticalPath::total`].
    pub fn duration(&self) -> Estimate {
        self.critical_path().total
    }
}

/// The longest chain of a DAG and its estimates: the one computation
/// behind [`Pipeline::critical_path`] and
/// [`IndexedPipeline::critical_path`](super::IndexedPipeline::critical_path),
/// so both answer alike.
pub(super) struct Longest {
    /// The chain, first task first.
    pub(super) chain: Vec<StepId>,
    pub(super) estimate: Estimate,
    pub(super) total: Estimate,
    pub(super) serial: Estimate,
}

impl Longest {
    /// Over the tasks in topological `order`, with their estimates
    /// (`est[i]` for task i, zero for none) and needs.
    ///
    /// Linear in tasks plus needs.
    pub(super) fn of<'a>(
        order: &[StepId],
        est: &[Estimate],
        needs: impl Fn(StepId) -> &'a [StepId],
    ) -> Longest {
        let n = est.len();
        // Longest chains ending at each task, by max (ties by min) and by min.
        let mut by_max: Vec<(u64, u64)> = vec![(0, 0); n];
        let mut by_min: Vec<u64> = vec![0; n];
        let mut pred: Vec<u32> = vec![u32::MAX; n];
        let mut serial = Estimate::ZERO;
        for &v in order {
            let i = v.index();
            let mut best = (0u64, 0u64);
            let mut best_pred = u32::MAX;
            let mut longest_min = 0u64;
            for d in needs(v) {
                let j = d.index();
                if by_max[j] > best || best_pred == u32::MAX {
                    best = by_max[j];
                    best_pred = j as u32;
                }
                longest_min = longest_min.max(by_min[j]);
            }
            let e = est[i];
            by_max[i] = (
                best.0.saturating_add(e.max().seconds()),
                best.1.saturating_add(e.min().seconds()),
            );
            by_min[i] = longest_min.saturating_add(e.min().seconds());
            pred[i] = best_pred;
            serial = serial + e;
        }
        let mut end: Option<usize> = None;
        // The last task in topological order among the longest, so a
        // chain runs on through unestimated tails (a final notification).
        for &v in order {
            let i = v.index();
            if end.is_none_or(|e| by_max[i] >= by_max[e]) {
                end = Some(i);
            }
        }
        let mut chain: Vec<StepId> = Vec::new();
        let mut at = end;
        while let Some(i) = at {
            chain.push(StepId::new(i));
            at = match pred[i] {
                u32::MAX => None,
                p => Some(p as usize),
            };
        }
        chain.reverse();
        let estimate = chain
            .iter()
            .fold(Estimate::ZERO, |acc, id| acc + est[id.index()]);
        let longest_min = by_min.iter().copied().max().unwrap_or(0);
        let longest_max = end.map_or(0, |e| by_max[e].0);
        let total = Estimate::new(Span::seconds_of(longest_min), Span::seconds_of(longest_max))
            .unwrap_or(Estimate::exactly(Span::seconds_of(longest_max)));
        Longest {
            chain,
            estimate,
            total,
            serial,
        }
    }
}
