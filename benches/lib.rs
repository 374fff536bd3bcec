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
