//! `release export` of every shipped example, both targets, under
//! snapshot: the workflow (or pipeline), the environments' settings and
//! the report. A new example gets its snapshots by adding its directory.

mod support;

use support::run;

/// Every `examples/*/release.toml`, sorted.
fn examples() -> Vec<std::path::PathBuf> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples");
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| {
            let path = e.ok()?.path().join("release.toml");
            path.exists().then_some(path)
        })
        .collect();
    out.sort();
    out
}

#[test]
fn every_example_exports_as_under_snapshot() {
    let examples = examples();
    assert!(examples.len() >= 9, "{examples:?}");
    for file in examples {
        let name = file
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let path = format!("examples/{name}/release.toml");
        for target in ["github-actions", "gitlab-ci"] {
            let file = file.to_string_lossy().into_owned();
            let (code, stdout, stderr) = run(
                &["--json", "export", target, &file, "--process-path", &path],
                None,
            );
            assert_eq!(code, 0, "{name} {target}: {stderr}");
            let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap();
            for f in doc["files"].as_array().unwrap() {
                let file_name = f["path"].as_str().unwrap().replace('/', "_");
                insta::assert_snapshot!(
                    format!("{name}__{target}__{file_name}"),
                    f["text"].as_str().unwrap()
                );
            }
            let notes = serde_json::to_string_pretty(&doc["notes"]).unwrap();
            insta::assert_snapshot!(format!("{name}__{target}__notes"), notes);
        }
    }
}
