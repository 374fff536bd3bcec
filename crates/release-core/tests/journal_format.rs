//! The journal's format 2 (header, `recorded_by`, hash chain), format 1
//! read-only, and the decoder's validation of every line.

use chrono::{DateTime, TimeZone, Utc};
use release_core::identity::is_blank;
use release_core::run::journal::{self, Header, RecordedBy};
use release_core::run::{Event, EventKind};

fn at(m: i64) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 3, 9, 0, 0).unwrap() + chrono::TimeDelta::minutes(m)
}

fn started(m: i64, task: &str) -> Event {
    Event::new(at(m), EventKind::started(task))
}

/// A format-2 journal of `events`, as a writer chains it.
fn v2(events: &[Event]) -> String {
    let header = journal::encode_header(&Header::new(Some("alice".into()))).unwrap();
    let mut prev = journal::hash(header.trim_end().as_bytes());
    let mut text = header;
    for e in events {
        let line = journal::encode_entry(e, &RecordedBy::new("run", None), &prev).unwrap();
        prev = journal::hash(line.trim_end().as_bytes());
        text.push_str(&line);
    }
    text
}

#[test]
fn format_2_round_trips_and_verifies() {
    let events = [started(0, "a"), started(1, "b"), started(2, "c")];
    let text = v2(&events);
    assert!(
        text.starts_with(
            "{\"journal\":\"release-core\",\"format\":2,\"requested_by\":\"alice\"}\n"
        )
    );
    let decoded = journal::decode(&text).unwrap();
    assert_eq!(decoded.format, 2);
    assert_eq!(decoded.events, events);
    assert_eq!(
        decoded.header.unwrap().requested_by.as_deref(),
        Some("alice")
    );
    let verified = journal::verify(text.as_bytes()).unwrap();
    assert_eq!(verified.broken, None);
    assert_eq!(verified.events, 3);
    assert_eq!(verified.last_hash, decoded.last_hash);
    // What a writer that read up to line 2 reads next.
    let lines: Vec<&str> = text.lines().collect();
    let prev = journal::hash(lines[1].as_bytes());
    let rest = format!("{}\n{}\n", lines[2], lines[3]);
    assert_eq!(
        journal::decode_after(rest.as_bytes(), &prev)
            .unwrap()
            .events,
        events[1..]
    );
}

#[test]
fn an_edit_or_a_removed_line_breaks_the_chain_at_the_next_line() {
    let text = v2(&[started(0, "a"), started(1, "b"), started(2, "c")]);
    let edited = text.replacen("\"task\":\"a\"", "\"task\":\"x\"", 1);
    let broken = journal::verify(edited.as_bytes()).unwrap().broken.unwrap();
    assert_eq!(broken.line, 3);
    let err = journal::decode(&edited).unwrap_err().to_string();
    assert!(
        err.starts_with("journal line 3: the hash chain breaks"),
        "{err}"
    );
    let lines: Vec<&str> = text.lines().collect();
    let removed = format!("{}\n{}\n{}\n", lines[0], lines[1], lines[3]);
    assert_eq!(
        journal::verify(removed.as_bytes())
            .unwrap()
            .broken
            .unwrap()
            .line,
        3
    );
    // An edited header breaks the first event's link.
    let header = text.replacen("alice", "mallory", 1);
    assert_eq!(
        journal::verify(header.as_bytes())
            .unwrap()
            .broken
            .unwrap()
            .line,
        2
    );
}

#[test]
fn format_1_still_decodes() {
    let text = journal::encode_all(&[started(0, "a")]).unwrap();
    let decoded = journal::decode(&text).unwrap();
    assert_eq!(decoded.format, 1);
    assert_eq!(decoded.last_hash, None);
    assert_eq!(journal::verify(text.as_bytes()).unwrap().format, 1);
    // Format 1 has no envelope: its fields are unknown there.
    let err =
        journal::decode("{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"tick\",\"prev\":\"x\"}\n")
            .unwrap_err()
            .to_string();
    assert!(err.contains("unknown field \"prev\""), "{err}");
}

#[test]
fn every_line_is_validated_and_named() {
    let bad = |text: &[u8]| journal::decode_bytes(text).unwrap_err().to_string();
    assert!(bad(b"\xEF\xBB\xBF{}\n").contains("byte order mark"));
    assert!(bad(b"{\"at\":\"2026-12-03T09:01:00Z\",\"event\":\"tick\"}\n{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"tick\"}\n")
        .starts_with("journal line 2: the event is dated 2026-12-03T09:00:00Z, before"));
    assert!(bad(b"{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"skipped\",\"task\":\"a\",\"by\":\" \",\"reason\":\"x\"}\n")
        .contains("identity \" \" is blank"));
    assert!(
        bad(b"{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"tick\",\"x\":1}\n")
            .contains("unknown field \"x\"")
    );
    assert!(
        bad(b"{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"tick\"}\n\xff\n")
            .starts_with("journal line 2: not valid UTF-8")
    );
    // A last line cut inside a multi-byte character is torn, not invalid.
    let torn = journal::decode_bytes(
        b"{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"tick\"}\n{\"at\":\"caf\xc3",
    )
    .unwrap();
    assert_eq!(torn.events.len(), 1);
    assert!(torn.torn_tail.is_some());
    // In format 2, unknown header fields and a missing envelope are refused.
    assert!(
        bad(b"{\"journal\":\"release-core\",\"format\":2,\"x\":1}\n").contains("invalid header")
    );
    assert!(
        bad(b"{\"journal\":\"release-core\",\"format\":3}\n").contains("format 3 is not known")
    );
    assert!(bad(b"{\"journal\":\"release-core\",\"format\":2}\n{\"at\":\"2026-12-03T09:00:00Z\",\"event\":\"tick\"}\n")
        .contains("a format-2 event needs `recorded_by`"));
}

#[test]
fn blank_means_whitespace_and_format_characters() {
    for text in [
        "",
        " ",
        "\t\n",
        "\u{200b}",
        "\u{feff}",
        " \u{2060}\u{200d} ",
        "\u{3000}",
    ] {
        assert!(is_blank(text), "{text:?}");
    }
    for text in ["a", " alice ", "José", "\u{200b}x"] {
        assert!(!is_blank(text), "{text:?}");
    }
}
