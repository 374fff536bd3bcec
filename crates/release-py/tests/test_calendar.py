"""Schedules: seeds' examples, aware datetimes, and a differential test
against python-dateutil's rrule."""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from dateutil import rrule as du

import release_core as rc
from release_core import ConfigError, ParseError, Schedule

UTC = timezone.utc


def test_every_other_tuesday_from_the_anchor() -> None:
    s = Schedule("release", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", start=date(2020, 11, 17), time=time(10), zone="America/Los_Angeles")
    nxt = s.next_after(datetime(2020, 12, 2, 12, tzinfo=UTC))
    assert nxt is not None and nxt.date == date(2020, 12, 15)


def test_eat_slots() -> None:
    now = datetime(2020, 7, 1, 12, tzinfo=ZoneInfo("Africa/Nairobi"))
    dev = Schedule("dev", "FREQ=WEEKLY;BYDAY=SU", start=date(2020, 1, 5), time=time(20), zone="Africa/Nairobi")
    staging = Schedule("staging", "FREQ=WEEKLY;BYDAY=MO", start=date(2020, 1, 6), time=time(8, 30), zone="Africa/Nairobi")
    prod = Schedule("production", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", start=date(2020, 7, 8), time=time(7, 30), zone="Africa/Nairobi")
    expected = [
        (dev, datetime(2020, 7, 5, 17, tzinfo=UTC)),
        (staging, datetime(2020, 7, 6, 5, 30, tzinfo=UTC)),
        (prod, datetime(2020, 7, 8, 4, 30, tzinfo=UTC)),
    ]
    for schedule, at in expected:
        o = schedule.next_after(now)
        assert o is not None and o.at == at
        assert o.local.tzinfo is not None and str(o.local.tzinfo) == "Africa/Nairobi"
        assert o.local == at


def test_holidays_policy_and_explain() -> None:
    s = Schedule(
        "release",
        "FREQ=WEEKLY;BYDAY=TH",
        start=date(2024, 1, 4),
        time=time(9),
        zone="America/New_York",
        holidays=["us"],
        policy="previous_working_day",
    )
    o = s.next_after(datetime(2024, 11, 22, tzinfo=UTC))
    assert o is not None and o.date == date(2024, 11, 27) and o.scheduled == date(2024, 11, 28)
    assert o.notes == ["2024-11-28 falls on Thanksgiving Day; moved to 2024-11-27 by previous_working_day"]
    e = s.explain(date(2024, 11, 28))
    assert e.scheduled and e.occurrence == o and len(e.reasons) == 2


def test_overrides_and_json_round_trip() -> None:
    s = Schedule(
        "release",
        "FREQ=WEEKLY;BYDAY=TU",
        start=date(2024, 1, 2),
        time=time(10),
        zone="Europe/London",
        overrides=[{"action": "cancel", "date": date(2024, 1, 9), "reason": "offsite"}],
    )
    dates = [o.date for o in s.between(datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 20, tzinfo=UTC))]
    assert dates == [date(2024, 1, 2), date(2024, 1, 16)]
    assert Schedule.from_json(s.to_json()) == s


def test_bad_input_is_named() -> None:
    with pytest.raises(ParseError, match="unknown time zone \"Mars/Base\""):
        Schedule("r", "FREQ=WEEKLY", start=date(2024, 1, 1), time=time(9), zone="Mars/Base")
    with pytest.raises(ParseError, match="BYHOUR is not supported"):
        Schedule("r", "FREQ=WEEKLY;BYHOUR=9", start=date(2024, 1, 1), time=time(9), zone="UTC")
    with pytest.raises(ConfigError, match="unknown holiday set \"atlantis\""):
        Schedule("r", "FREQ=WEEKLY", start=date(2024, 1, 1), time=time(9), zone="UTC", holidays=["atlantis"])
    s = Schedule("r", "FREQ=WEEKLY", start=date(2024, 1, 1), time=time(9), zone="UTC")
    with pytest.raises(TypeError, match="aware"):
        s.next_after(datetime(2024, 1, 1))
    with pytest.raises(TypeError, match="datetime.date"):
        s.explain("2024-01-01")  # type: ignore[arg-type]
    with pytest.raises(ParseError, match='^unknown holiday policy "sometimes"; expected one of: skip, previous_working_day'):
        Schedule("r", "FREQ=WEEKLY", start=date(2024, 1, 1), time=time(9), zone="UTC", policy="sometimes")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^policy must be a str"):
        Schedule("r", "FREQ=WEEKLY", start=date(2024, 1, 1), time=time(9), zone="UTC", policy=1.5)  # type: ignore[arg-type]
    with pytest.raises(ParseError, match="invalid schedule JSON"):
        Schedule.from_json("{}")


_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
_DU_DAYS = [du.MO, du.TU, du.WE, du.TH, du.FR, du.SA, du.SU]


def _generated_rules(seed: int, n: int) -> list[tuple[str, dict[str, object]]]:
    """(RRULE text, dateutil rrule kwargs) pairs: weekly with intervals 1-4
    and 1-3 weekdays, monthly nth and last weekday with intervals 1-4."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        interval = rng.randint(1, 4)
        if rng.random() < 0.55:
            days = sorted(rng.sample(range(7), rng.randint(1, 3)))
            text = f"FREQ=WEEKLY;INTERVAL={interval};BYDAY={','.join(_DAYS[d] for d in days)}"
            kwargs: dict[str, object] = {"freq": du.WEEKLY, "interval": interval, "byweekday": [_DU_DAYS[d] for d in days]}
        else:
            day = rng.randrange(7)
            nth = rng.choice([1, 2, 3, 4, -1])
            text = f"FREQ=MONTHLY;INTERVAL={interval};BYDAY={nth}{_DAYS[day]}"
            kwargs = {"freq": du.MONTHLY, "interval": interval, "byweekday": [_DU_DAYS[day](nth)]}
        out.append((text, kwargs))
    return out


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London", "Australia/Sydney", "Africa/Nairobi"])
def test_differential_against_dateutil(zone: str) -> None:
    """Same instants as dateutil.rrule with zoneinfo, over several decades.

    dateutil expands in wall-clock time and zoneinfo reads a time skipped by
    a spring-forward gap (fold=0) with the offset from before the gap, and
    an ambiguous time as its first occurrence: exactly release-core's
    documented RFC 5545 choices, so no mismatch is allowed at all.
    """
    tz = ZoneInfo(zone)
    rng = random.Random(zone)
    end = datetime(2055, 1, 1, tzinfo=UTC)
    mismatches = []
    for text, kwargs in _generated_rules(hash(zone) & 0xFFFF, 12):
        start = date(1990, 1, 1) + timedelta(days=rng.randrange(365 * 30))
        at = rng.choice([time(1, 30), time(2, 30), time(10), time(23, 45)])
        ours = Schedule("g", text, start=start, time=at, zone=zone).instants(datetime(1900, 1, 1, tzinfo=UTC), end)
        dtstart = datetime.combine(start, at, tzinfo=tz)
        theirs = [t.astimezone(UTC) for t in du.rrule(dtstart=dtstart, until=end.astimezone(tz), **kwargs)]  # type: ignore[arg-type]
        theirs = [t for t in theirs if t < end]
        if ours != theirs:
            first = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
            mismatches.append(f"{text} from {start} {at} in {zone}: first difference at #{first}; ours {ours[first:first + 2]} theirs {theirs[first:first + 2]} (counts {len(ours)} vs {len(theirs)})")
        assert len(ours) > 20
    assert not mismatches, "\n".join(mismatches)


def test_listings_are_bounded() -> None:
    """HIGH-7: ``upcoming(now, 10**8)`` built 3.9 GB before it was killed;
    now a count above the documented limit (100,000) is refused at once,
    and so is a range holding more."""
    import time as clock

    s = Schedule("r", "FREQ=DAILY", start=date(2024, 1, 1), time=time(9), zone="UTC")
    now = datetime(2024, 1, 1, tzinfo=UTC)
    started = clock.monotonic()
    with pytest.raises(ConfigError, match="n=100000000 is more than the 100000 occurrences"):
        s.upcoming(now, 10**8)
    with pytest.raises(ValueError):
        s.upcoming(now, 100_001)
    assert clock.monotonic() - started < 10
    assert len(s.upcoming(now, 100_000)) == 100_000
    with pytest.raises(ConfigError, match="more than the 100000 occurrences"):
        s.between(now, datetime(2400, 1, 1, tzinfo=UTC))
    with pytest.raises(ConfigError, match="more than the 100000 occurrences"):
        s.instants(now, datetime(2400, 1, 1, tzinfo=UTC))
    assert len(s.instants(now, datetime(2025, 1, 1, tzinfo=UTC))) == 366


def test_bounded_policies_and_rules() -> None:
    """LOW-18 and LOW-14: a shift no policy can make and a COUNT too large
    say so; a junk UNTIL is refused."""
    with pytest.raises(ConfigError, match="at most 31 days either way"):
        Schedule("r", "FREQ=WEEKLY", start=date(2024, 1, 1), time=time(9), zone="UTC", holidays=["us"], policy=100_000_000)
    with pytest.raises(ParseError, match="too large: at most 4294967295"):
        Schedule("r", "FREQ=DAILY;COUNT=18446744073709551615", start=date(2024, 1, 1), time=time(9), zone="UTC")
    with pytest.raises(ParseError, match="exactly 8 digits"):
        Schedule("r", "FREQ=WEEKLY;UNTIL=-1 7 7", start=date(2024, 1, 1), time=time(9), zone="UTC")


def test_holiday_policy_names_are_the_cores() -> None:
    base = dict(start=date(2020, 11, 17), time=time(10), zone="America/Los_Angeles", holidays=["us"])
    canonical = Schedule("r", "FREQ=WEEKLY;BYDAY=TU", policy="next_working_day", **base)  # type: ignore[arg-type]
    with pytest.warns(rc.ReleaseWarning, match='"next-working-day" is a deprecated spelling of the holiday policy "next_working_day"'):
        old = Schedule("r", "FREQ=WEEKLY;BYDAY=TU", policy="next-working-day", **base)  # type: ignore[arg-type]
    assert old == canonical
    shifted = Schedule("r", "FREQ=WEEKLY;BYDAY=TU", policy=2, **base)  # type: ignore[arg-type]
    assert shifted != canonical
    with pytest.raises(ParseError, match='"shift" needs a number of days'):
        Schedule("r", "FREQ=WEEKLY;BYDAY=TU", policy="shift", **base)  # type: ignore[arg-type]


def test_a_schedule_from_a_published_table() -> None:
    """A table alone (no rule): each entry an occurrence with its label,
    indexed by its position among the dates; explained by its entry."""
    s = Schedule(
        "3.13",
        time=time(12),
        zone="UTC",
        dates=[
            {"date": date(2024, 10, 7), "label": "3.13.0"},
            {"date": date(2024, 10, 1), "label": "3.13.0rc3", "reason": "a late regression", "time": time(18)},
        ],
    )
    got = s.upcoming(datetime(2024, 9, 1, tzinfo=UTC), 5)
    assert [(o.date, o.label, o.index, o.notes) for o in got] == [
        (date(2024, 10, 1), "3.13.0rc3", 0, ["from the table: a late regression"]),
        (date(2024, 10, 7), "3.13.0", 1, ["from the table"]),
    ]
    assert got[0].at == datetime(2024, 10, 1, 18, tzinfo=UTC)
    assert Schedule.from_json(s.to_json()) == s
    assert "3.13.0rc3" in s.explain(date(2024, 10, 1)).reasons[0]
    # A rule's occurrences have no label.
    plain = Schedule("r", "FREQ=WEEKLY", start=date(2024, 1, 1), time=time(9), zone="UTC")
    first = plain.next_after(datetime(2024, 1, 1, tzinfo=UTC))
    assert first is not None and first.label is None


def test_published_table_errors_name_the_schedule_and_the_entry() -> None:
    with pytest.raises(ConfigError, match='schedule "s" has neither a recurrence nor dates'):
        Schedule("s", time=time(12), zone="UTC")
    with pytest.raises(ConfigError, match=r'schedule "s": the dates table has 2024-10-01 twice'):
        Schedule("s", time=time(12), zone="UTC", dates=[{"date": date(2024, 10, 1)}, {"date": date(2024, 10, 1)}])
    with pytest.raises(ConfigError, match=r"the dates entry 2024-10-03 replaces 2024-10-02, a date the schedule does not have"):
        Schedule(
            "s", "FREQ=WEEKLY;BYDAY=TU", start=date(2024, 10, 1), time=time(12), zone="UTC",
            dates=[{"date": date(2024, 10, 3), "replaces": date(2024, 10, 2)}],
        )
    with pytest.raises(ConfigError, match=r"conflicts with the override \(cancel\) of 2024-10-08"):
        Schedule(
            "s", "FREQ=WEEKLY;BYDAY=TU", start=date(2024, 10, 1), time=time(12), zone="UTC",
            overrides=[{"action": "cancel", "date": date(2024, 10, 8), "reason": "x"}],
            dates=[{"date": date(2024, 10, 8)}],
        )
    with pytest.raises(ValueError, match=r"dates\[0\] has an unknown key \"when\""):
        Schedule("s", time=time(12), zone="UTC", dates=[{"date": date(2024, 10, 1), "when": 1}])
    with pytest.raises(TypeError, match="a rule needs start="):
        Schedule("s", "FREQ=WEEKLY", time=time(12), zone="UTC")
