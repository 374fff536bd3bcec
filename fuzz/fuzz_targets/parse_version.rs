//! Fuzz `Scheme::parse`: never panics, and whatever parses formats back to
//! exactly the input and parses again to an equal version.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_core::version::Scheme;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let schemes = [
        Scheme::semver(),
        Scheme::calver("YYYY.0M.MICRO").expect("valid format"),
        Scheme::calver("YY.MM.DD").expect("valid format"),
        Scheme::calver("0Y.0W_MICRO").expect("valid format"),
    ];
    for scheme in &schemes {
        if let Ok(version) = scheme.parse(text) {
            let formatted = version.to_string();
            assert_eq!(formatted, text, "format(parse(t)) must be t");
            let again = scheme
                .parse(&formatted)
                .expect("a formatted version parses");
            assert_eq!(again, version);
            let _ = version.warnings();
        }
    }
    // A format string from the input must be accepted or rejected, never
    // panic; and if accepted, its versions must round-trip too.
    if let Some((format, version)) = text.split_once('\n') {
        if let Ok(scheme) = Scheme::calver(format) {
            if let Ok(v) = scheme.parse(version) {
                assert_eq!(v.to_string(), version);
            }
        }
    }
});
