"""examples/cpython from Python, against CPython's published, dated facts
(sources in examples/cpython/README.md); the CLI side is
crates/release-cli/tests/example_cpython.rs."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from icalendar import Calendar

from release_core import IcsCalendar, Process

UTC = timezone.utc
CPYTHON = Path(__file__).resolve().parents[3] / "examples" / "cpython" / "release.toml"

# (version, published final, the yearly rule's date it stands for)
FINALS = [
    ("3.12.0", date(2023, 10, 2), date(2023, 10, 3)),  # PEP 693
    ("3.13.0", date(2024, 10, 7), date(2024, 10, 1)),  # PEP 719: slipped
    ("3.14.0", date(2025, 10, 7), date(2025, 10, 7)),  # PEP 745
    ("3.15.0", date(2026, 10, 1), date(2026, 10, 6)),  # PEP 790
    ("3.16.0", date(2027, 10, 5), date(2027, 10, 5)),  # PEP 826
]
# Beta 1 (the feature freeze) as planned.
FREEZES = [date(2023, 5, 8), date(2024, 5, 7), date(2025, 5, 6), date(2026, 5, 5), date(2027, 5, 4)]


def test_finals_and_freezes() -> None:
    process = Process.from_file(CPYTHON)
    final = process.schedule("final")
    milestones = process.milestones("final")
    assert final is not None and milestones is not None
    got = final.upcoming(datetime(2023, 1, 1, tzinfo=UTC), 5)
    assert [(o.label, o.date, o.scheduled) for o in got] == FINALS
    freezes = [milestones.resolve(final, o)[0] for o in got]
    assert [m.date for m in freezes] == FREEZES
    assert all(m.name == "feature freeze" for m in freezes)
    assert freezes[0].notes == ["moved from 2023-05-02: PEP 693 plans beta 1 for Monday 2023-05-08"]


def test_plan_and_feed_and_chart() -> None:
    process = Process.from_file(CPYTHON)
    now = datetime(2024, 3, 1, tzinfo=UTC)
    plan = process.plan(now)
    assert plan.release is not None and plan.release.occurrence.label == "3.13.0"
    bump = plan.step("bump-version")
    assert bump is not None and bump.due == datetime(2024, 5, 9, 12, tzinfo=UTC) and bump.misses_by is None
    final = process.schedule("final")
    assert final is not None
    cal = IcsCalendar("Python", process="Python")
    occurrences = final.upcoming(datetime(2023, 1, 1, tzinfo=UTC), 5)
    cal.add_occurrences(final, occurrences, timedelta(hours=1))
    feed = Calendar.from_ical(cal.to_ics(now))
    starts = {str(e["SUMMARY"]): e.decoded("DTSTART") for e in feed.walk("VEVENT")}
    for version, published, _ in FINALS:
        assert starts[f"Python {version}"] == datetime(published.year, published.month, published.day, 12, tzinfo=UTC)
    chart = process.gantt(now, 1)
    assert "  section final 3.13.0 Mon 2024-10-07\n" in chart
    assert "  feature freeze :milestone, r1_m1, 2024-05-07 12:00, 0d\n" in chart


RELEASES = [
    (date.fromisoformat(d), t)
    for d, t in (
        line.split(" ", 1)
        for line in (CPYTHON.parent / "releases.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    )
]


def tags_before(day: date) -> list[str]:
    return [t for d, t in RELEASES if d < day]


def next_on(process: Process, release: str, day: date) -> list[tuple[str | None, str | None]]:
    now = datetime(day.year, day.month, day.day, tzinfo=UTC)
    (answer,) = process.next_releases(now, tags={"python": tags_before(day)}, release=release)
    assert answer.occurrence is not None and answer.occurrence.date == day
    return [(v.line, v.next) for v in answer.versions]


def test_each_3_14_release_day_gives_the_version_released_on_it() -> None:
    process = Process.from_file(CPYTHON)
    released = [(d, t) for d, t in RELEASES if t.startswith("v3.14.0") and d <= date(2025, 10, 7)]
    assert len(released) == 15
    assert [next_on(process, "3.14", d) for d, _ in released] == [[(None, t)] for _, t in released]


def test_bugfix_days_release_every_line_in_bugfix() -> None:
    process = Process.from_file(CPYTHON)
    facts = {
        date(2024, 12, 3): [("3.12", "v3.12.8"), ("3.13", "v3.13.1")],
        date(2025, 2, 4): [("3.12", "v3.12.9"), ("3.13", "v3.13.2")],
        date(2025, 4, 8): [("3.12", "v3.12.10"), ("3.13", "v3.13.3")],
        date(2025, 6, 3): [("3.13", "v3.13.4")],
        date(2025, 6, 11): [("3.13", "v3.13.5")],
    }
    for day, expected in facts.items():
        assert all((day, tag) in RELEASES for _, tag in expected)
        assert next_on(process, "bugfix", day) == expected


def test_lines_are_in_their_published_phases() -> None:
    lines = Process.from_file(CPYTHON).release_lines("python")
    assert lines is not None
    day = date(2025, 12, 3)
    got = [(l["line"], l["phase"], l["end_of_life"]) for l in lines.lines(day, tags_before(day))]
    assert got[:6] == [
        ("3.9", "end_of_life", date(2025, 10, 31)),
        ("3.10", "security", date(2026, 10, 1)),
        ("3.11", "security", date(2027, 10, 1)),
        ("3.12", "security", date(2028, 10, 1)),
        ("3.13", "bugfix", date(2029, 10, 1)),
        ("3.14", "bugfix", date(2030, 10, 1)),
    ]
    assert lines.key_of("v3.14.0rc1") == "3.14"
    assert lines.next_patch("3.13", tags_before(date(2025, 6, 11))) == "v3.13.5"
