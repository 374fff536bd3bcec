//! Fuzz choosing versions: `Scheme::next` at every level, `next_for_date`,
//! `hotfix` in both styles, and starting, bumping and promoting
//! pre-releases, on a scheme and versions read from the input.
//!
//! Invariants: nothing panics (overflow checks included, as in a debug
//! build); every version produced reads back, with its scheme, to an equal
//! version; every successful `next` and `bump_prerelease` is strictly greater
//! than its input, every `next_for_date` than the latest existing final, and
//! every patch-style hotfix than its base and the line's releases.
//!
//! Input: one byte choosing the scheme and candidate policy, then lines: the
//! current version, then existing versions; a line `@YYYY-MM-DD` is the date
//! for `next_for_date` (default 2024-06-15).
#![no_main]

use chrono::NaiveDate;
use libfuzzer_sys::fuzz_target;
use release_core::version::{
    CandidatePolicy, CounterStyle, HotfixStyle, Level, Scheme, VPrefix, Version,
};

const FORMATS: [&str; 5] = [
    "YYYY.0M.MICRO",
    "YY.MM.DD",
    "0Y.0W_MICRO",
    "YYYY.0M.0D",
    "YYYY0M0D.MICRO",
];

fn scheme(pick: u8) -> Scheme {
    let base = match pick % 8 {
        0 => Scheme::semver(),
        1 => Scheme::semver_with_prefix(VPrefix::Always),
        2 => Scheme::semver_with_prefix(VPrefix::Never),
        n => Scheme::calver(FORMATS[usize::from(n - 3)]).expect("valid format"),
    };
    let label = ["rc", "beta", "RC", "pre-release"][usize::from((pick >> 3) % 4)];
    base.with_candidates(CandidatePolicy {
        label: label.to_owned(),
        style: if pick & 0x20 == 0 {
            CounterStyle::Dotted
        } else {
            CounterStyle::Attached
        },
        required: pick & 0x40 != 0,
        ..CandidatePolicy::default()
    })
}

/// A produced version reads back to itself with its scheme.
fn reads_back(scheme: &Scheme, v: &Version, what: &str) {
    let text = v.to_string();
    let again = scheme
        .parse(&text)
        .unwrap_or_else(|e| panic!("{what} gave {text:?}, which does not read back: {e}"));
    assert_eq!(&again, v, "{what}: {text:?} reads back to another version");
}

fn greater(scheme: &Scheme, next: &Version, than: &Version, what: &str) {
    reads_back(scheme, next, what);
    assert!(next > than, "{what}: {next} is not greater than {than}");
}

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let scheme = scheme(pick);
    let mut date = NaiveDate::from_ymd_opt(2024, 6, 15).expect("a date");
    let mut lines = Vec::new();
    for line in text.split('\n') {
        match line.strip_prefix('@') {
            Some(d) => {
                if let Ok(d) = NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                    date = d;
                }
            }
            None => lines.push(line),
        }
    }
    let mut lines = lines.into_iter();
    let current = lines.next().and_then(|l| scheme.parse(l).ok());
    let existing: Vec<Version> = lines.filter_map(|l| scheme.parse(l).ok()).collect();

    for level in [Level::Prerelease, Level::Patch, Level::Minor, Level::Major] {
        if let Ok(next) = scheme.next(current.as_ref(), level) {
            match &current {
                Some(c) => greater(&scheme, &next, c, "next"),
                None => reads_back(&scheme, &next, "next from nothing"),
            }
        }
    }
    if let Ok(next) = scheme.next_for_date(date, &existing) {
        reads_back(&scheme, &next, "next_for_date");
        if let Some(latest) = existing.iter().filter(|v| !v.is_prerelease()).max() {
            assert!(
                next > *latest,
                "next_for_date: {next} is not newer than {latest}"
            );
        }
    }
    let Some(v) = current else {
        return;
    };
    if let Ok(started) = scheme.start_prerelease(&v) {
        reads_back(&scheme, &started, "start_prerelease");
        assert!(started.is_prerelease());
    }
    if let Ok(bumped) = scheme.bump_prerelease(&v) {
        greater(&scheme, &bumped, &v, "bump_prerelease");
        assert!(bumped.is_prerelease());
    }
    if let Ok(p) = scheme.promote(&v, &existing) {
        reads_back(&scheme, &p.to, "promote");
        assert!(!p.to.is_prerelease());
        assert!(p.to >= v, "promote: {} is below {v}", p.to);
        assert!(!existing.contains(&p.to), "promote: {} exists", p.to);
    }
    if let Ok(h) = scheme.hotfix(&v, &existing, HotfixStyle::Suffix) {
        reads_back(&scheme, &h, "hotfix (suffix)");
        assert!(!existing.contains(&h), "hotfix (suffix): {h} exists");
    }
    if let Ok(h) = scheme.hotfix(&v, &existing, HotfixStyle::Patch) {
        reads_back(&scheme, &h, "hotfix (patch)");
        assert!(!h.is_prerelease());
        assert!(h > v, "hotfix (patch): {h} is not greater than {v}");
        assert!(!existing.contains(&h), "hotfix (patch): {h} exists");
    }
});
