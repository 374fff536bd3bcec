//! Fuzz `TagScheme::parse` with templates: never panics, and a tag that
//! parses is rendered back from its version and fields to exactly the input.
#![no_main]

use libfuzzer_sys::fuzz_target;
use release_core::version::{Scheme, TagScheme};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut schemes = vec![
        TagScheme::new("v{version}", Scheme::semver()).expect("valid template"),
        TagScheme::new("{component}-v{version}", Scheme::semver())
            .and_then(|t| t.for_component("backend"))
            .expect("valid template"),
        TagScheme::new("release-{name}-{version}", Scheme::semver()).expect("valid template"),
        TagScheme::new(
            "stack/{version}",
            Scheme::calver("YYYY.0M.MICRO").expect("valid format"),
        )
        .expect("valid template"),
    ];
    // The first line may be a template of its own.
    let (template, tag) = text.split_once('\n').unwrap_or(("", text));
    if let Ok(custom) = TagScheme::new(template, Scheme::semver()) {
        schemes.push(custom);
    }
    for scheme in &schemes {
        if let Ok(parsed) = scheme.parse(tag) {
            assert_eq!(parsed.as_str(), tag);
            let fields: Vec<(&str, &str)> = parsed
                .fields()
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let rendered = scheme.tag_with(parsed.version(), &fields).expect("renders");
            assert_eq!(rendered, tag, "render(parse(tag)) must be tag");
            assert_eq!(scheme.version_of(tag).as_ref(), Some(parsed.version()));
        }
    }
});
