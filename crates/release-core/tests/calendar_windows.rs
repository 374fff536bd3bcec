//! Allow and deny windows: the EAT staging window, freezes, overlap rules,
//! and the law that the state flips exactly at `next_change`.

use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use proptest::prelude::*;
use release_core::calendar::{Window, WindowKind, WindowSpan, Windows, Zone};

fn t(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn hm(h: u32, m: u32) -> NaiveTime {
    NaiveTime::from_hms_opt(h, m, 0).unwrap()
}

fn local(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").unwrap()
}

fn nairobi() -> Zone {
    "Africa/Nairobi".parse().unwrap()
}

/// Seed 003: tickets move to staging only between Sunday 20:00 and Monday
/// 08:30 EAT.
fn staging() -> Window {
    Window::allow(
        "staging promotion",
        nairobi(),
        WindowSpan::weekly(Weekday::Sun, hm(20, 0), Weekday::Mon, hm(8, 30)),
    )
}

#[test]
fn eat_staging_window() {
    let w = Windows::new(vec![staging()]).unwrap();
    // Sunday 2020-07-05 21:00 EAT: open, closes Monday 08:30 EAT.
    let sunday = t("2020-07-05T21:00:00+03:00");
    let s = w.state_at(sunday);
    assert!(s.open, "{s}");
    assert_eq!(
        s.reasons,
        [
            "allow window \"staging promotion\" (weekly Sun 20:00 to Mon 08:30) is active from 2020-07-05 20:00 EAT to 2020-07-06 08:30 EAT Africa/Nairobi"
        ]
    );
    assert_eq!(s.until, Some(t("2020-07-06T08:30:00+03:00")));
    assert_eq!(w.next_close(sunday), Some(t("2020-07-06T05:30:00Z")));
    assert_eq!(w.next_open(sunday), Some(t("2020-07-12T17:00:00Z")));
    // Monday 2020-07-06 09:00 EAT: closed, opens Sunday 20:00 EAT.
    let monday = t("2020-07-06T09:00:00+03:00");
    let s = w.state_at(monday);
    assert!(!s.open);
    assert_eq!(
        s.reasons,
        ["no allow window is active (\"staging promotion\")"]
    );
    assert_eq!(w.next_open(monday), Some(t("2020-07-12T20:00:00+03:00")));
    assert_eq!(w.next_close(monday), Some(t("2020-07-13T08:30:00+03:00")));
    assert_eq!(w.next_change(monday), w.next_open(monday));
}

#[test]
fn a_future_freeze_does_not_affect_now_but_closes_during_it() {
    let freeze = Window::deny(
        "year-end freeze",
        nairobi(),
        WindowSpan::once(local("2020-12-20 00:00"), local("2021-01-04 00:00")),
    );
    let w = Windows::new(vec![staging(), freeze]).unwrap();
    // Sunday 2020-12-13 21:00: the freeze is a week away; open.
    let before = t("2020-12-13T21:00:00+03:00");
    assert!(w.state_at(before).open);
    assert_eq!(w.next_close(before), Some(t("2020-12-14T08:30:00+03:00")));
    // Sunday 2020-12-20 21:00 is inside the staging window and the freeze.
    let during = t("2020-12-20T21:00:00+03:00");
    let s = w.state_at(during);
    assert!(!s.open);
    assert_eq!(
        s.reasons,
        [
            "deny window \"year-end freeze\" (2020-12-20 00:00 to 2021-01-04 00:00) is active from 2020-12-20 00:00 EAT to 2021-01-04 00:00 EAT Africa/Nairobi",
            "deny windows win over the active allow window \"staging promotion\"",
        ]
    );
    // Sunday 2021-01-03 20:00 is still frozen; the first opening after the
    // freeze is 2021-01-04 00:00, in the middle of that staging window.
    assert_eq!(w.next_open(during), Some(t("2021-01-04T00:00:00+03:00")));
    assert_eq!(w.next_close(during), Some(t("2021-01-04T08:30:00+03:00")));
    // A freeze already over does not matter either.
    assert!(w.state_at(t("2021-01-10T21:00:00+03:00")).open);
}

#[test]
fn overlapping_allow_windows_union_and_deny_wins() {
    let utc = Zone::UTC;
    let w = Windows::new(vec![
        Window::allow(
            "business hours",
            utc,
            WindowSpan::daily(
                &[
                    Weekday::Mon,
                    Weekday::Tue,
                    Weekday::Wed,
                    Weekday::Thu,
                    Weekday::Fri,
                ],
                hm(9, 0),
                hm(17, 0),
            ),
        ),
        Window::allow(
            "late slot",
            utc,
            WindowSpan::daily(&[Weekday::Wed], hm(16, 0), hm(19, 0)),
        ),
        Window::deny("lunch", utc, WindowSpan::daily(&[], hm(12, 0), hm(13, 0))),
    ])
    .unwrap();
    // Wednesday 2024-01-03.
    let wed = t("2024-01-03T10:00:00Z");
    assert_eq!(w.next_close(wed), Some(t("2024-01-03T12:00:00Z")));
    let after_lunch = t("2024-01-03T13:00:00Z");
    assert!(w.state_at(after_lunch).open);
    // Business hours end at 17:00, the late slot continues to 19:00.
    assert_eq!(w.next_close(after_lunch), Some(t("2024-01-03T19:00:00Z")));
    let both = w.state_at(t("2024-01-03T16:30:00Z"));
    assert_eq!(both.reasons.len(), 2);
    // Thursday: only business hours.
    assert_eq!(
        w.next_close(t("2024-01-04T13:00:00Z")),
        Some(t("2024-01-04T17:00:00Z"))
    );
    // Saturday: closed until Monday 09:00.
    let sat = w.state_at(t("2024-01-06T10:00:00Z"));
    assert!(!sat.open);
    assert_eq!(sat.until, Some(t("2024-01-08T09:00:00Z")));
}

#[test]
fn only_deny_windows_are_open_outside_them() {
    let w = Windows::new(vec![Window::deny(
        "friday freeze",
        "Europe/London".parse().unwrap(),
        WindowSpan::daily(&[Weekday::Fri], hm(15, 0), hm(0, 0)),
    )])
    .unwrap();
    let s = w.state_at(t("2024-07-04T12:00:00Z"));
    assert!(s.open);
    assert_eq!(
        s.reasons,
        ["no deny window is active and no allow window is defined"]
    );
    // Friday 15:00 BST = 14:00Z, to Saturday 00:00 BST = Friday 23:00Z.
    assert_eq!(
        w.next_close(t("2024-07-04T12:00:00Z")),
        Some(t("2024-07-05T14:00:00Z"))
    );
    assert_eq!(
        w.next_open(t("2024-07-04T12:00:00Z")),
        Some(t("2024-07-05T23:00:00Z"))
    );
}

#[test]
fn dst_changes_move_the_instants_not_the_wall_clock() {
    // A 09:00-17:00 New York window is 14:00Z-22:00Z in winter, 13:00Z-21:00Z
    // in summer.
    let w = Windows::new(vec![Window::allow(
        "hours",
        "America/New_York".parse().unwrap(),
        WindowSpan::daily(&[], hm(9, 0), hm(17, 0)),
    )])
    .unwrap();
    assert_eq!(
        w.next_open(t("2024-03-09T23:00:00Z")),
        Some(t("2024-03-10T13:00:00Z"))
    );
    assert_eq!(
        w.next_open(t("2024-03-08T23:00:00Z")),
        Some(t("2024-03-09T14:00:00Z"))
    );
}

#[test]
fn a_set_that_never_changes_says_none() {
    let w = Windows::new(vec![Window::allow(
        "past",
        Zone::UTC,
        WindowSpan::once(local("2020-01-01 00:00"), local("2020-01-02 00:00")),
    )])
    .unwrap();
    let now = t("2024-01-01T00:00:00Z");
    assert!(!w.state_at(now).open);
    assert_eq!(w.next_change(now), None);
    assert_eq!(w.next_open(now), None);
}

#[test]
fn windows_read_from_toml() {
    let text = r#"
        [[windows]]
        name = "staging promotion"
        kind = "allow"
        zone = "Africa/Nairobi"
        span = { repeat = "weekly", start_day = "SU", start = "20:00:00", end_day = "MO", end = "08:30:00" }

        [[windows]]
        name = "year-end freeze"
        kind = "deny"
        zone = "Africa/Nairobi"
        span = { repeat = "once", start = "2020-12-20T00:00:00", end = "2021-01-04T00:00:00" }
    "#;
    #[derive(serde::Deserialize, serde::Serialize)]
    struct Doc {
        windows: Windows,
    }
    let doc: Doc = toml::from_str(text).unwrap();
    assert_eq!(doc.windows.windows().len(), 2);
    assert_eq!(doc.windows.windows()[1].kind, WindowKind::Deny);
    let back: Doc = toml::from_str(&toml::to_string(&doc).unwrap()).unwrap();
    assert_eq!(back.windows, doc.windows);
    let bad = text.replace("start_day", "begin_day");
    assert!(toml::from_str::<Doc>(&bad).is_err());
}

fn arb_time() -> impl Strategy<Value = NaiveTime> {
    (0u32..24, prop_oneof![Just(0u32), Just(30u32), Just(15u32)])
        .prop_map(|(h, m)| NaiveTime::from_hms_opt(h, m, 0).unwrap())
}

fn arb_weekday() -> impl Strategy<Value = Weekday> {
    (0u8..7).prop_map(|d| Weekday::try_from(d).unwrap())
}

fn arb_zone() -> impl Strategy<Value = Zone> {
    prop_oneof![
        Just("Africa/Nairobi"),
        Just("America/New_York"),
        Just("Europe/London"),
        Just("Australia/Sydney"),
    ]
    .prop_map(|z| z.parse().unwrap())
}

fn arb_window(i: usize) -> impl Strategy<Value = Window> {
    let span = prop_oneof![
        (arb_weekday(), arb_time(), arb_weekday(), arb_time())
            .prop_map(|(a, s, b, e)| WindowSpan::weekly(a, s, b, e)),
        (
            proptest::collection::vec(arb_weekday(), 0..3),
            arb_time(),
            arb_time()
        )
            .prop_filter("non-empty", |(_, s, e)| s != e)
            .prop_map(|(days, s, e)| WindowSpan::daily(&days, s, e)),
        (0i64..120, 1i64..(24 * 20)).prop_map(|(day, hours)| {
            let start = NaiveDate::from_ymd_opt(2024, 1, 1)
                .unwrap()
                .and_hms_opt(0, 0, 0)
                .unwrap()
                + Duration::days(day);
            WindowSpan::once(start, start + Duration::hours(hours))
        }),
    ];
    (any::<bool>(), arb_zone(), span).prop_map(move |(allow, zone, span)| {
        let name = format!("w{i}");
        if allow {
            Window::allow(&name, zone, span)
        } else {
            Window::deny(&name, zone, span)
        }
    })
}

fn arb_windows() -> impl Strategy<Value = Windows> {
    (0usize..4)
        .prop_flat_map(|n| (0..n).map(arb_window).collect::<Vec<_>>())
        .prop_map(|ws| Windows::new(ws).unwrap())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// The state is constant from `now` up to just before `next_change`,
    /// and differs at it; `next_open`/`next_close` are the first changes
    /// into that state.
    #[test]
    fn state_flips_exactly_at_next_change(
        w in arb_windows(),
        offset in 0i64..(150 * 24 * 60),
        probe in 0.0f64..1.0,
    ) {
        let now = t("2024-01-01T00:00:00Z") + Duration::minutes(offset);
        let open = w.is_open(now);
        prop_assert_eq!(w.state_at(now).open, open);
        match w.next_change(now) {
            Some(c) => {
                prop_assert!(c > now);
                prop_assert_ne!(w.is_open(c), open);
                prop_assert_eq!(w.is_open(c - Duration::seconds(1)), open);
                let span = (c - now).num_seconds();
                let mid = now + Duration::seconds((span as f64 * probe) as i64);
                prop_assert_eq!(w.is_open(mid), open);
                if open {
                    prop_assert_eq!(w.next_close(now), Some(c));
                } else {
                    prop_assert_eq!(w.next_open(now), Some(c));
                }
            }
            None => {
                prop_assert_eq!(w.next_open(now), None);
                prop_assert_eq!(w.next_close(now), None);
            }
        }
    }
}
