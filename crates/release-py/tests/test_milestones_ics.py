"""Milestones (code freeze = release minus 2 working days over Christmas
2020) and ICS export (TZID, stable UIDs, DTSTAMP from `now`, CRLF)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from release_core import ConfigError, IcsCalendar, Milestone, MilestoneAt, Milestones, ParseError, Schedule

UTC = timezone.utc
LA = "America/Los_Angeles"


def mozilla() -> Schedule:
    """Seed 002's train with US federal holidays."""
    return Schedule(
        "release",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        start=date(2020, 11, 17),
        time=time(10),
        zone=LA,
        holidays=["us"],
        policy="next_working_day",
    )


def milestones() -> Milestones:
    return Milestones([
        Milestone("code freeze", -2, "working_days", time=time(17)),
        Milestone("qa sign-off", 1, "working_days", after="code freeze"),
        Milestone("retro", 3),
    ])


def test_code_freeze_is_two_working_days_before_over_christmas() -> None:
    s = mozilla()
    release = s.next_after(datetime(2020, 12, 20, tzinfo=UTC))
    assert release is not None and release.date == date(2020, 12, 29)
    got = milestones().resolve(s, release)
    assert all(isinstance(m, MilestoneAt) for m in got)
    # Mon 12-28 is one working day before; Fri 12-25 is Christmas Day;
    # Thu 12-24 is the second.
    assert [str(m) for m in got] == ["code freeze 2020-12-24 17:00", "qa sign-off 2020-12-28 17:00", "retro 2021-01-01 10:00"]
    freeze = got[0]
    assert freeze.name == "code freeze" and freeze.date == date(2020, 12, 24)
    assert freeze.at == datetime(2020, 12, 25, 1, tzinfo=UTC)
    assert freeze.local == datetime(2020, 12, 24, 17, tzinfo=ZoneInfo(LA))
    assert freeze.local.tzinfo is not None and str(freeze.local.tzinfo) == LA
    assert (freeze.local.hour, freeze.local.utcoffset()) == (17, timedelta(hours=-8))
    assert freeze.from_ is None and freeze.offset == "minus 2 working days"
    assert freeze.explanation == "code freeze = release 2020-12-29 minus 2 working days"
    assert got[1].from_ == "code freeze"
    assert got[1].explanation == "qa sign-off = code freeze 2020-12-24 plus 1 working day"


def test_milestone_properties_and_json() -> None:
    m = Milestone("qa sign-off", 1, "working_days", after="code freeze", time=time(9, 30))
    assert (m.name, m.offset, m.unit, m.after, m.time) == ("qa sign-off", 1, "working_days", "code freeze", time(9, 30))
    assert Milestone("retro", 3).unit == "days" and Milestone("retro", 3).after is None
    assert Milestone("retro", 3) == Milestone("retro", 3, "days") and hash(Milestone("retro", 3)) == hash(Milestone("retro", 3, "days"))
    ms = milestones()
    assert len(ms) == 3 and ms.milestones[0].name == "code freeze"
    assert Milestones.from_json(ms.to_json()) == ms
    assert '"unit":"working_days"' in ms.to_json()


def test_milestone_errors() -> None:
    with pytest.raises(ConfigError, match='milestone "a" is relative to itself through a cycle'):
        Milestones([Milestone("a", -1, after="c"), Milestone("b", -1, after="a"), Milestone("c", -1, after="b")])
    with pytest.raises(ConfigError, match='two milestones are named "freeze"'):
        Milestones([Milestone("freeze", -1), Milestone("freeze", -2)])
    with pytest.raises(ConfigError, match='relative to "branch cut", which is not a milestone'):
        Milestones([Milestone("freeze", -1, after="branch cut")])
    with pytest.raises(ParseError, match='^unknown offset unit "weeks"; expected one of: days, working_days$'):
        Milestone("freeze", -1, "weeks")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="time must be a naive datetime.time"):
        Milestone("freeze", -1, time=time(17, tzinfo=UTC))
    with pytest.raises(TypeError, match="time must be a datetime.time, not str"):
        Milestone("freeze", -1, time="17:00")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="offset"):
        Milestone("freeze", "-1")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"milestones\[0\] must be a Milestone, not str"):
        Milestones(["freeze"])  # type: ignore[list-item]
    with pytest.raises(ParseError, match="invalid milestones JSON"):
        Milestones.from_json('[{"name": "x"}]')


def eat() -> Schedule:
    return Schedule("production", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", start=date(2020, 7, 8), time=time(7, 30), zone="Africa/Nairobi")


def test_ics_export() -> None:
    s, prod = mozilla(), eat()
    occurrences = s.between(datetime(2020, 12, 1, tzinfo=UTC), datetime(2021, 1, 1, tzinfo=UTC))
    assert [o.date for o in occurrences] == [date(2020, 12, 1), date(2020, 12, 15), date(2020, 12, 29)]
    cal = IcsCalendar("Release calendar, Sync & EAT")
    assert cal.name == "Release calendar, Sync & EAT" and len(cal) == 0
    cal.add_occurrences(s, occurrences, timedelta(hours=1))
    release = occurrences[-1]
    cal.add_milestones(s, release, milestones().resolve(s, release), timedelta(0))
    cal.add_occurrences(prod, prod.upcoming(datetime(2020, 7, 1, tzinfo=UTC), 2), timedelta(minutes=90))
    assert len(cal) == 3 + 3 + 2
    assert cal.uids[:4] == [
        "release-20201201@release-core",
        "release-20201215@release-core",
        "release-20201229@release-core",
        "release-20201229-code-freeze@release-core",
    ]
    now = datetime(2020, 12, 1, 15, tzinfo=ZoneInfo("Europe/Berlin"))
    text = cal.to_ics(now)
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n")
    assert text.endswith("END:VCALENDAR\r\n")
    assert "\n" not in text.replace("\r\n", "")
    lines = text.split("\r\n")
    assert "X-WR-CALNAME:Release calendar\\, Sync & EAT" in lines
    assert "BEGIN:VTIMEZONE" in lines and "TZID:America/Los_Angeles" in lines and "TZID:Africa/Nairobi" in lines
    assert "DTSTART;TZID=America/Los_Angeles:20201229T100000" in lines
    assert "DTSTART;TZID=America/Los_Angeles:20201224T170000" in lines
    assert "DTSTART;TZID=Africa/Nairobi:20200708T073000" in lines
    assert "UID:release-20201229-code-freeze@release-core" in lines
    assert "DURATION:PT1H" in lines and "DURATION:PT1H30M" in lines
    # DTSTAMP is `now`, in UTC.
    stamps = {line for line in lines if line.startswith("DTSTAMP:")}
    assert stamps == {"DTSTAMP:20201201T140000Z"}
    assert lines.count("BEGIN:VEVENT") == 8
    # Stable: the same input gives the same bytes.
    again = IcsCalendar("Release calendar, Sync & EAT")
    again.add_occurrences(s, occurrences, timedelta(hours=1))
    again.add_milestones(s, release, milestones().resolve(s, release), timedelta(0))
    again.add_occurrences(prod, prod.upcoming(datetime(2020, 7, 1, tzinfo=UTC), 2), timedelta(minutes=90))
    assert again.to_ics(now) == text


def test_ics_errors_add_nothing() -> None:
    s = mozilla()
    occurrences = s.upcoming(datetime(2020, 12, 1, tzinfo=UTC), 2)
    cal = IcsCalendar("c")
    cal.add_occurrences(s, occurrences[:1], timedelta(hours=1))
    with pytest.raises(ConfigError, match="the UID is already in the calendar"):
        cal.add_occurrences(s, occurrences, timedelta(hours=1))
    assert len(cal) == 1  # all or nothing: the second was not added either
    with pytest.raises(ConfigError, match="the duration is negative"):
        cal.add_occurrences(s, occurrences[1:], timedelta(hours=-1))
    assert len(cal) == 1
    with pytest.raises(TypeError, match="duration must be a datetime.timedelta, not int"):
        cal.add_occurrences(s, occurrences, 60)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"occurrences\[0\] must be an Occurrence, not date"):
        cal.add_occurrences(s, [date(2020, 12, 1)], timedelta(hours=1))  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"milestones\[0\] must be a MilestoneAt, not Milestone"):
        cal.add_milestones(s, occurrences[0], [Milestone("x", 1)], timedelta(0))  # type: ignore[list-item]
    with pytest.raises(TypeError, match="schedule"):
        cal.add_occurrences("release", occurrences, timedelta(hours=1))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="now must be an aware datetime"):
        cal.to_ics(datetime(2020, 12, 1))
