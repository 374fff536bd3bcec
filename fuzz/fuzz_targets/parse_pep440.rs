//! Fuzz the PEP 440 scheme: parsing never panics; whatever parses formats
//! back to exactly the input, reads again to an equal version, and its
//! normal form reads to an equal version that is its own normal form;
//! order agrees with the normal forms; next versions never go backwards.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_core::version::{Level, Scheme};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let scheme = Scheme::pep440();
    let (first, second) = text.split_once('\n').unwrap_or((text, ""));
    let Ok(version) = scheme.parse(first) else {
        return;
    };
    assert_eq!(version.to_string(), first, "format(parse(t)) must be t");
    let again = scheme
        .parse(&version.to_string())
        .expect("a formatted version parses");
    assert_eq!(again, version);
    let pep = version.as_pep440().expect("a PEP 440 version");
    let normal = pep.normal_form();
    let read = scheme.parse(&normal).expect("the normal form parses");
    assert_eq!(read, version, "the normal form is the same version");
    assert_eq!(read.as_pep440().expect("PEP 440").normal_form(), normal);
    assert!(read.warnings().is_empty(), "the normal form does not warn");
    let _ = version.warnings();
    for level in [Level::Prerelease, Level::Patch, Level::Minor, Level::Major] {
        if let Ok(next) = scheme.next(Some(&version), level) {
            assert!(next > version, "{level} of {version} gave {next}");
        }
    }
    let _ = scheme.next_stage(&version);
    if let Ok(other) = scheme.parse(second) {
        let o = other.as_pep440().expect("PEP 440");
        let renormal = |v: &release_core::version::Pep440Version| {
            scheme
                .parse(&v.normal_form())
                .expect("the normal form parses")
        };
        assert_eq!(version.cmp(&other), renormal(pep).cmp(&renormal(o)));
    }
});
