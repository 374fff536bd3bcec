"""Milestones (code freeze = release minus 2 working days over Christmas
2020) and ICS export (TZID, stable UIDs, DTSTAMP from `now`, CRLF)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from release_core import ConfigError, IcsCalendar, Milestone, MilestoneAt, Milestones, Offset, ParseError, Schedule

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
    assert (m.name, str(m.offset), m.after, m.time) == ("qa sign-off", "+1 working_days", "code freeze", time(9, 30))
    assert str(Milestone("retro", 3).offset) == "+3 days" and Milestone("retro", 3).after is None
    assert Milestone("retro", 3) == Milestone("retro", 3, "days") and hash(Milestone("retro", 3)) == hash(Milestone("retro", 3, "days"))
    assert Milestone("retro", "3 days") == Milestone("retro", Offset("+3 days")) == Milestone("retro", 3)
    beta = Milestone("beta 1", "1TU of month -5", schedule="final", occurrence=1, follow=True)
    assert (beta.schedule, beta.occurrence, beta.follow) == ("final", 1, True)
    assert beta.offset == Offset("1TU of month -5") and beta.offset.describe() == "the first Tuesday of the month 5 months before"
    assert Milestone("now").offset == Offset("") and str(Offset("")) == "0 days"
    ms = milestones()
    assert len(ms) == 3 and ms.milestones[0].name == "code freeze"
    assert Milestones.from_json(ms.to_json()) == ms
    assert '"offset":"-2 working_days"' in ms.to_json()


def test_offsets() -> None:
    assert Offset("-5 months").apply_date(date(2024, 10, 1)) == date(2024, 5, 1)
    assert Offset("1 month").apply_date(date(2023, 1, 31)) == date(2023, 2, 28)
    assert Offset("next 04-30").apply_date(date(2024, 4, 30)) == date(2025, 4, 30)
    # Working days of a schedule's holidays: Christmas Day 2020 is a Friday.
    assert Offset("-2 working_days").apply_date(date(2020, 12, 29), mozilla()) == date(2020, 12, 24)
    assert Offset("-2 working_days").apply_date(date(2020, 12, 29)) == date(2020, 12, 25)
    assert repr(Offset("previous FR then -1 days")) == "Offset('previous FR then -1 days')"
    with pytest.raises(ParseError, match=r'^invalid offset "-2 wrking_days": in "-2 wrking_days", unknown offset unit "wrking_days" \(did you mean "working_days"\?\)'):
        Offset("-2 wrking_days")
    with pytest.raises(TypeError, match="text must be a str, not int"):
        Offset(3)  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="counts minutes or hours"):
        Offset("2 hours").apply_date(date(2024, 1, 1))


def test_milestones_stay_unless_they_follow() -> None:
    s = Schedule("deploy", "FREQ=WEEKLY;BYDAY=MO", start=date(2021, 1, 4), time=time(9), zone="America/New_York", holidays=["us"], policy="next_working_day")
    o = s.next_after(datetime(2021, 1, 12, tzinfo=UTC))
    assert o is not None and (o.scheduled, o.date) == (date(2021, 1, 18), date(2021, 1, 19))
    got = Milestones([Milestone("stays", -3), Milestone("follows", -3, follow=True)]).resolve(s, o)
    assert [m.date for m in got] == [date(2021, 1, 15), date(2021, 1, 16)]
    merge = Schedule("merge", "FREQ=WEEKLY;BYDAY=TH", start=date(2021, 1, 1), time=time(12), zone="America/New_York")
    other = Milestones([Milestone("merge", schedule="merge")])
    assert [m.date for m in other.resolve(s, o, [merge])] == [date(2021, 1, 21)]
    with pytest.raises(ConfigError, match='relative to schedule "merge", which is not a schedule here'):
        other.resolve(s, o)
    with pytest.raises(TypeError, match=r"among\[0\] must be a Schedule, not str"):
        other.resolve(s, o, ["merge"])  # type: ignore[list-item]


def test_milestone_errors() -> None:
    with pytest.raises(ConfigError, match='milestone "a" is relative to itself through a cycle'):
        Milestones([Milestone("a", -1, after="c"), Milestone("b", -1, after="a"), Milestone("c", -1, after="b")])
    with pytest.raises(ConfigError, match='two milestones are named "freeze"'):
        Milestones([Milestone("freeze", -1), Milestone("freeze", -2)])
    with pytest.raises(ConfigError, match='relative to "branch cut", which is not a milestone'):
        Milestones([Milestone("freeze", -1, after="branch cut")])
    with pytest.raises(ParseError, match='^unknown offset unit "fortnights"; expected one of: minutes, hours, days, working_days, weeks, months, years$'):
        Milestone("freeze", -1, "fortnights")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="unit only goes with an int offset"):
        Milestone("freeze", "-1 days", "days")
    with pytest.raises(ValueError, match="time must be a naive datetime.time"):
        Milestone("freeze", -1, time=time(17, tzinfo=UTC))
    with pytest.raises(TypeError, match="time must be a datetime.time, not str"):
        Milestone("freeze", -1, time="17:00")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="offset must be an int, a str or an Offset, not float"):
        Milestone("freeze", 1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="not bool"):
        Milestone("freeze", True)
    with pytest.raises(ParseError, match='invalid offset "-1 dys"'):
        Milestone("freeze", "-1 dys")
    with pytest.raises(TypeError, match=r"milestones\[0\] must be a Milestone, not str"):
        Milestones(["freeze"])  # type: ignore[list-item]
    with pytest.raises(ParseError, match="invalid milestones JSON"):
        Milestones.from_json('[{"name": "x", "offset": "soon"}]')


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
