"""ICS feeds read back with a real RFC 5545 parser (icalendar): for every
example process with schedules, each event's DTSTART, its zone resolved
from the feed, is exactly an occurrence's instant, and every event says
what it is (SUMMARY) and why it is where it is (DESCRIPTION).

The Python API exports every example; the `release` binary, when it is
built (`cargo build -p release-cli`, found under CARGO_TARGET_DIR or
target/), exports them too, and its JSON gives the instants.
"""

from __future__ import annotations

import json
import os
import subprocess
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

import icalendar
import pytest

from release_core import IcsCalendar, Process, Schedule

UTC = timezone.utc
ROOT = Path(__file__).resolve().parents[3]
NOW = datetime(2025, 3, 1, tzinfo=UTC)
COUNT = 12


def examples() -> list[Path]:
    """Every examples/*/release.toml that has schedules."""
    found = []
    for path in sorted(ROOT.glob("examples/*/release.toml")):
        if Process.from_file(path).schedules:
            found.append(path)
    assert found, "no example has schedules"
    return found


def events(text: str) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(text)
    return list(cal.walk("VEVENT"))


def start_utc(event: icalendar.Event) -> datetime:
    """DTSTART as an instant: the parser resolves its TZID."""
    start = event.decoded("DTSTART")
    assert isinstance(start, datetime) and start.tzinfo is not None, start
    return start.astimezone(UTC)


def check_feed(text: str, instants: list[datetime]) -> None:
    got = events(text)
    assert len(got) == len(instants)
    assert sorted(start_utc(e) for e in got) == sorted(instants)
    for e in got:
        assert str(e.get("SUMMARY", "")).strip(), e
        assert str(e.get("DESCRIPTION", "")).strip(), e
        assert str(e.get("UID", "")).endswith("@release-core")


@pytest.mark.parametrize("path", examples(), ids=lambda p: p.parent.name)
def test_python_feed_round_trips(path: Path) -> None:
    process = Process.from_file(path)
    components = process.components
    cal = IcsCalendar(
        process.name,
        process=process.name,
        components={s: components[0] for s in process.schedules} if len(components) == 1 else None,
    )
    instants: list[datetime] = []
    for name in process.schedules:
        schedule = process.schedule(name)
        assert schedule is not None
        occurrences = schedule.upcoming(NOW, COUNT)
        cal.add_occurrences(schedule, occurrences, timedelta(hours=1))
        instants.extend(o.at for o in occurrences)
    check_feed(cal.to_ics(NOW), instants)


def release_binary() -> Path | None:
    targets = [os.environ.get("CARGO_TARGET_DIR"), str(ROOT / "target")]
    for target in filter(None, targets):
        binary = Path(target) / "debug" / "release"
        if binary.is_file():
            return binary
    return None


@pytest.mark.skipif(release_binary() is None, reason="the release binary is not built (cargo build -p release-cli)")
@pytest.mark.parametrize("path", examples(), ids=lambda p: p.parent.name)
def test_cli_feed_round_trips(path: Path) -> None:
    binary = release_binary()
    assert binary is not None
    args = [str(binary), "calendar", str(path), "--now", NOW.isoformat(), "--count", str(COUNT)]
    listing = json.loads(subprocess.run([*args, "--json"], check=True, capture_output=True, text=True).stdout)
    instants = []
    for o in listing["occurrences"]:
        instants.append(datetime.fromisoformat(o["at"]))
        instants.extend(datetime.fromisoformat(m["at"]) for m in o["milestones"])
    feed = subprocess.run([*args, "--ics"], check=True, capture_output=True, text=True).stdout
    check_feed(feed, instants)
    summaries = [str(e["SUMMARY"]) for e in events(feed)]
    process = Process.from_file(path)
    assert all(s.startswith(process.name) for s in summaries), summaries


def test_a_published_table_in_a_feed() -> None:
    """The label names the release; the reasons are in the description,
    escaped and folded as RFC 5545 wants, and read back whole."""
    s = Schedule(
        "final",
        "FREQ=WEEKLY;INTERVAL=6;BYDAY=TH",
        start=date(2024, 6, 13),
        time=time(15),
        zone="Europe/Berlin",
        dates=[
            {"date": date(2024, 6, 13), "label": "1.79.0"},
            {
                "date": date(2024, 7, 26),
                "label": "1.80.0",
                "replaces": date(2024, 7, 25),
                "reason": "a day late; see the blog post, section 2",
            },
            {"date": date(2024, 8, 8), "label": "1.80.1", "time": time(17, 30)},
        ],
    )
    occurrences = s.upcoming(datetime(2024, 6, 1, tzinfo=UTC), 4)
    assert [o.label for o in occurrences] == ["1.79.0", "1.80.0", "1.80.1", None]
    assert occurrences[1].scheduled == date(2024, 7, 25) and occurrences[1].date == date(2024, 7, 26)
    assert occurrences[1].index == 1 and occurrences[2].index is None
    cal = IcsCalendar("Rust", process="Rust")
    cal.add_occurrences(s, occurrences, timedelta(hours=1))
    got = events(cal.to_ics(NOW))
    by_summary = {str(e["SUMMARY"]): e for e in got}
    assert sorted(by_summary) == ["Rust 1.79.0", "Rust 1.80.0", "Rust 1.80.1", "Rust: final release"]
    slipped = by_summary["Rust 1.80.0"]
    assert str(slipped["DESCRIPTION"]).endswith(
        "moved from 2024-07-25 by the table: a day late; see the blog post, section 2"
    )
    assert start_utc(slipped) == datetime(2024, 7, 26, 13, tzinfo=UTC)
    assert start_utc(by_summary["Rust 1.80.1"]) == datetime(2024, 8, 8, 15, 30, tzinfo=UTC)
