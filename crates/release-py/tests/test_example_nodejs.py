"""examples/nodejs from Python, against Node.js's published, dated facts
(nodejs/Release schedule.json at commit e4bf922; sources in
examples/nodejs/README.md); the CLI side is
crates/release-cli/tests/example_nodejs.rs."""

from __future__ import annotations

from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional

import pytest

from release_core import ConfigError, IcsCalendar, Lines, Process, TagScheme

NODEJS = Path(__file__).resolve().parents[3] / "examples" / "nodejs" / "release.toml"

# schedule.json: line, "start", "lts", "maintenance", "end"
PUBLISHED: list[tuple[str, date, Optional[date], date, date]] = [
    ("16", date(2021, 4, 20), date(2021, 10, 26), date(2022, 10, 18), date(2023, 9, 11)),
    ("17", date(2021, 10, 19), None, date(2022, 4, 1), date(2022, 6, 1)),
    ("18", date(2022, 4, 19), date(2022, 10, 25), date(2023, 10, 18), date(2025, 4, 30)),
    ("19", date(2022, 10, 18), None, date(2023, 4, 1), date(2023, 6, 1)),
    ("20", date(2023, 4, 18), date(2023, 10, 24), date(2024, 10, 22), date(2026, 4, 30)),
    ("21", date(2023, 10, 17), None, date(2024, 4, 1), date(2024, 6, 1)),
    ("22", date(2024, 4, 24), date(2024, 10, 29), date(2025, 10, 21), date(2027, 4, 30)),
    ("23", date(2024, 10, 16), None, date(2025, 4, 1), date(2025, 6, 1)),
    ("24", date(2025, 5, 6), date(2025, 10, 28), date(2026, 10, 20), date(2028, 4, 30)),
    ("25", date(2025, 10, 15), None, date(2026, 4, 1), date(2026, 6, 1)),
    ("26", date(2026, 5, 5), date(2026, 10, 28), date(2027, 10, 20), date(2029, 4, 30)),
]
# The published dates the rules do not give, declared in the file.
DECLARED = [
    ("16", "end_of_life"),  # moved up to OpenSSL 1.1.1's end of life
    ("18", "maintenance"),  # a Wednesday, not the third Tuesday
    ("20", "maintenance"),  # the fourth Tuesday, not the third
    ("26", "active"),  # no odd line 27 in October 2026
    ("26", "maintenance"),
]
TAGS = ["v20.19.0", "v20.19.5", "v22.21.1", "v24.11.1", "v25.2.1", "v24.11.0", "not-a-tag"]


def lines() -> Lines:
    found = Process.from_file(NODEJS).release_lines("node")
    assert found is not None
    return found


def test_the_rules_give_the_published_dates() -> None:
    got = lines().lines(date(2026, 1, 15))
    assert [line["line"] for line in got] == [p[0] for p in PUBLISHED]
    checked = 0
    declared = []
    for line, (key, first, lts, maintenance, end) in zip(got, PUBLISHED):
        assert line["first_release"] == first
        starts = {p["phase"]: p["start"] for p in line["phases"]}
        published = {"current": first, "active": lts, "maintenance": maintenance, "end_of_life": end}
        assert starts == {k: v for k, v in published.items() if v is not None}, key
        checked += len(starts)
        declared += [(key, p["phase"]) for p in line["phases"] if p["declared"]]
    assert checked == 39
    assert declared == DECLARED


def test_supported_on_a_day() -> None:
    got = lines().supported(date(2026, 1, 15), TAGS)
    assert [(line["line"], line["phase"], line["until"], line["next"]) for line in got] == [
        ("20", "maintenance", date(2026, 4, 30), "end_of_life"),
        ("22", "maintenance", date(2027, 4, 30), "end_of_life"),
        ("24", "active", date(2026, 10, 20), "maintenance"),
        ("25", "current", date(2026, 4, 1), "maintenance"),
    ]
    assert got[2]["tags"] == ["v24.11.0", "v24.11.1"]


def test_next_patch_stays_in_its_line() -> None:
    found = lines()
    assert found.next_patch("20", TAGS) == "v20.19.6"
    assert found.next_patch("24", TAGS) == "v24.11.2"
    assert found.key_of("v22.21.1") == "22"
    assert found.key_of("not-a-tag") is None


def test_phase_changes_as_calendar_events() -> None:
    calendar = IcsCalendar("node lines")
    lines().add_to(calendar)
    assert "line-node-20-end_of_life@release-core" in calendar.uids
    assert "SUMMARY:node 24: active" in calendar.to_ics(datetime(2026, 1, 15, tzinfo=timezone.utc))


def test_lines_from_a_definition() -> None:
    scheme = TagScheme("{version}")
    found = Lines(
        {"key": 2, "first_releases": {"1.35": "2024-01-10"}, "phases": [{"phase": "current"}]},
        scheme,
    )
    tags = ["1.35.3", "1.36.0", "1.35.2"]
    assert found.next_patch("1.35", tags) == "1.35.4"
    assert [line["line"] for line in found.lines(date(2024, 2, 1), tags)] == ["1.35", "1.36"]
    with pytest.raises(ConfigError, match=r"lines\.key: 3 release components"):
        Lines({"key": 3}, scheme)
