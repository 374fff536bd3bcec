//! Shared inputs for release-core's benchmarks.
//!
//! The corpus is generated, not stored, from a fixed seed so every run (and
//! the Python comparison in `benches/python/`) measures the same mix.

/// 100,000 (or `n`) tags in the mix a busy repository has: about 40% bare
/// SemVer, 20% `v`-prefixed, 15% SemVer pre-releases in both counter
/// spellings, 15% CalVer, 10% junk.
pub fn mixed_tags(n: usize) -> Vec<String> {
    let mut rng = SplitMix64(0x5eed_1e55_c0de_2026);
    let junk = [
        "latest",
        "nightly-2023",
        "release-foo",
        "stable",
        "deploy/prod",
        "v",
        "1.2",
        "2.x",
    ];
    let labels = ["rc", "beta", "alpha"];
    (0..n)
        .map(|_| {
            let (major, minor, patch) = (rng.below(20), rng.below(30), rng.below(40));
            match rng.below(100) {
                0..40 => format!("{major}.{minor}.{patch}"),
                40..60 => format!("v{major}.{minor}.{patch}"),
                60..68 => format!(
                    "{major}.{minor}.{patch}-{}.{}",
                    labels[rng.below(3) as usize],
                    rng.below(12)
                ),
                68..75 => format!("v{major}.{minor}.{patch}-rc{}", 1 + rng.below(12)),
                75..90 => format!(
                    "{}.{:02}.{}",
                    2015 + rng.below(12),
                    1 + rng.below(12),
                    1 + rng.below(9)
                ),
                _ => junk[rng.below(junk.len() as u64) as usize].to_owned(),
            }
        })
        .collect()
}

/// A tiny deterministic generator: no dependency for eight lines of code.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// One step of a generated pipeline: an id, the indices of earlier steps
/// it needs, and an estimate in minutes.
#[derive(Debug, Clone)]
pub struct GenStep {
    /// `step-{index}`.
    pub id: String,
    /// Indices of earlier steps (distinct).
    pub needs: Vec<usize>,
    /// The estimate's minimum, in minutes.
    pub min_minutes: u64,
    /// The estimate's maximum, in minutes.
    pub max_minutes: u64,
}

/// A random DAG of `n` steps, each needing `degree` distinct earlier steps
/// (fewer for the first ones): 100,000 steps with degree 3 give about
/// 300,000 dependencies. Half the needs are recent steps (a local chain),
/// half anywhere earlier, so the critical path is long, as in real
/// pipelines.
pub fn dag(n: usize, degree: usize) -> Vec<GenStep> {
    let mut rng = SplitMix64(0xda6_5eed_2026);
    (0..n)
        .map(|i| {
            let mut needs: Vec<usize> = Vec::with_capacity(degree);
            while needs.len() < degree.min(i) {
                let j = if rng.below(2) == 0 {
                    i - 1 - rng.below(8.min(i as u64)) as usize
                } else {
                    rng.below(i as u64) as usize
                };
                if !needs.contains(&j) {
                    needs.push(j);
                }
            }
            let min = 1 + rng.below(10);
            GenStep {
                id: format!("step-{i}"),
                needs,
                min_minutes: min,
                max_minutes: min + rng.below(6),
            }
        })
        .collect()
}

/// The generated DAG as a release-core pipeline definition.
pub fn pipeline_def(steps: &[GenStep]) -> release_core::pipeline::PipelineDef {
    use release_core::duration::{Estimate, Span};
    use release_core::pipeline::{PipelineDef, Step, StepKind};
    PipelineDef {
        name: "generated".to_owned(),
        steps: steps
            .iter()
            .map(|s| {
                let mut step = Step::new(s.id.clone(), StepKind::Build);
                step.needs = s
                    .needs
                    .iter()
                    .map(|&j| steps[j].id.as_str().into())
                    .collect();
                step.estimate =
                    Estimate::new(Span::minutes(s.min_minutes), Span::minutes(s.max_minutes)).ok();
                step
            })
            .collect(),
        ..PipelineDef::default()
    }
}
