//! Step timeouts in the model: `timeout` on a step, `default_timeout` on the
//! process, validated, and handed to executors through `Task::timeout`.

use release_core::duration::Span;
use release_core::process::Process;
use release_core::run::Task;

const PROCESS: &str = r#"
name = "t"
default_timeout = "2h"
[[steps]]
id = "build"
kind = "build"
command = ["make"]
timeout = "30m"
[[steps]]
id = "monitor"
kind = "test"
command = ["watch"]
[[steps]]
id = "approve"
kind = "approve"
[[steps]]
id = "soak"
kind = "wait"
wait = { for = "1h" }
"#;

#[test]
fn a_step_timeout_wins_over_the_default_and_manual_and_wait_steps_get_none() {
    let process = Process::from_toml("t.toml", PROCESS).unwrap();
    let p = process.pipeline();
    let timeout = |id: &str| Task::of(p, p.lookup(id).unwrap(), 1).timeout();
    assert_eq!(timeout("build"), Some(Span::minutes(30)));
    assert_eq!(timeout("monitor"), Some(Span::hours(2)));
    assert_eq!(timeout("approve"), None);
    assert_eq!(timeout("soak"), None);
}

#[test]
fn no_timeout_by_default() {
    let text = PROCESS.replace("default_timeout = \"2h\"\n", "");
    let process = Process::from_toml("t.toml", &text).unwrap();
    let p = process.pipeline();
    assert_eq!(Task::of(p, p.lookup("monitor").unwrap(), 1).timeout(), None);
}

#[test]
fn a_timeout_of_zero_or_on_a_manual_step_is_refused_with_its_place() {
    let zero = PROCESS.replace("timeout = \"30m\"", "timeout = \"0s\"");
    let err = Process::from_toml("t.toml", &zero).unwrap_err().to_string();
    assert!(err.contains("has a timeout of 0"), "{err}");
    assert!(err.contains("t.toml:8:11:"), "{err}");

    let manual = PROCESS.replace("kind = \"approve\"", "kind = \"approve\"\ntimeout = \"1h\"");
    let err = Process::from_toml("t.toml", &manual)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("\"approve\" is a manual step and runs no command"),
        "{err}"
    );

    let default = PROCESS.replace("\"2h\"", "\"0m\"");
    let err = Process::from_toml("t.toml", &default)
        .unwrap_err()
        .to_string();
    assert!(err.contains("default_timeout is 0"), "{err}");
}
