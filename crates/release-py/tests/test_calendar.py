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


# Yearly rules against dateutil. Each known difference between RFC 5545
# (which release-core follows) and dateutil is a reason; a mismatch is
# allowed only for a rule a reason claims, and every reason is checked to
# still explain a real mismatch.
_WEEKS_AT_YEAR_ENDS = (
    "BYWEEKNO 52, 53, -52 or -53 on the days of a week that straddles New Year: "
    "dateutil counts the weeks of the year before with the current year's length "
    "(rrule._iterinfo.rebuild, lnumweeks), so January days of the last week of a "
    "52-week year are called week 53 and those of a 53-week year week 52, and it "
    "never matches a negative number against the next year's week 1 (its own "
    "'TODO: Check -numweeks for next year'); release-core numbers the week in "
    "the year it belongs to, as RFC 5545 and ISO 8601 do (Python's "
    "date.isocalendar() agrees for WKST=MO)"
)

_YEARLY_FIGURES: dict[str, int] = {"rules": 0, "occurrences": 0, "mismatched_rules": 0}


def _signed(rng: random.Random, hi: int, near: int) -> int:
    """A value in 1..hi or -hi..-1, usually within `near` of either end."""
    n = rng.randint(1, near) if rng.random() < 0.7 else rng.randint(1, hi)
    return n if rng.random() < 0.6 else -n


def _generated_yearly_rules(seed: int, n: int) -> list[tuple[str, dict[str, object], date]]:
    """(RRULE text, dateutil rrule kwargs, start) for yearly rules of every
    shape: a fixed day of a month, the nth weekday of a month or of the
    year, year days, week numbers with any WKST, BYSETPOS over the year's
    set, the start's own day (leap days included), month lists, Friday the
    13th; intervals 1-3, sometimes a COUNT."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        parts: list[tuple[str, str]] = []
        kwargs: dict[str, object] = {"freq": du.YEARLY}
        start = date(1950, 1, 1) + timedelta(days=rng.randrange(365 * 50))
        shape = rng.randrange(10)

        def months(k: int) -> list[int]:
            return sorted(rng.sample(range(1, 13), k))

        def weekdays(k: int) -> list[int]:
            return sorted(rng.sample(range(7), k))

        if shape == 0:  # a fixed day of one or two months
            ms, ds = months(rng.randint(1, 2)), [_signed(rng, 31, 3)]
            parts += [("BYMONTH", ",".join(map(str, ms))), ("BYMONTHDAY", ",".join(map(str, ds)))]
            kwargs.update(bymonth=ms, bymonthday=ds)
        elif shape == 1:  # the nth weekday of a month (Thanksgiving)
            ms, day, nth = months(1), rng.randrange(7), rng.choice([1, 2, 3, 4, 5, -1, -2])
            parts += [("BYMONTH", str(ms[0])), ("BYDAY", f"{nth}{_DAYS[day]}")]
            kwargs.update(bymonth=ms, byweekday=[_DU_DAYS[day](nth)])
        elif shape == 2:  # the nth weekday of the year
            day, nth = rng.randrange(7), _signed(rng, 53, 3)
            parts += [("BYDAY", f"{nth}{_DAYS[day]}")]
            kwargs.update(byweekday=[_DU_DAYS[day](nth)])
        elif shape == 3:  # year days
            ys = sorted({_signed(rng, 366, 3) for _ in range(rng.randint(1, 2))})
            parts += [("BYYEARDAY", ",".join(map(str, ys)))]
            kwargs.update(byyearday=ys)
        elif shape == 4:  # week numbers, a weekday or all, any week start
            ws = sorted({_signed(rng, 53, 2) for _ in range(rng.randint(1, 2))})
            if rng.random() < 0.3:
                ws = sorted({rng.choice([52, 53, -52, -53]), ws[0]})
            wkst = rng.randrange(7)
            parts += [("BYWEEKNO", ",".join(map(str, ws)))]
            kwargs.update(byweekno=ws)
            if rng.random() < 0.8:
                ds = weekdays(rng.randint(1, 2))
                parts += [("BYDAY", ",".join(_DAYS[d] for d in ds))]
                kwargs.update(byweekday=[_DU_DAYS[d] for d in ds])
            parts += [("WKST", _DAYS[wkst])]
            kwargs.update(wkst=wkst)
        elif shape == 5:  # BYSETPOS over weekdays of the year or of months
            ds = weekdays(rng.randint(1, 5))
            pos = sorted({_signed(rng, 366, 3) for _ in range(rng.randint(1, 2))})
            if rng.random() < 0.5:
                ms = months(rng.randint(1, 3))
                parts += [("BYMONTH", ",".join(map(str, ms)))]
                kwargs.update(bymonth=ms)
            parts += [("BYDAY", ",".join(_DAYS[d] for d in ds)), ("BYSETPOS", ",".join(map(str, pos)))]
            kwargs.update(byweekday=[_DU_DAYS[d] for d in ds], bysetpos=pos)
        elif shape == 6:  # the start's own day; leap days now and then
            if rng.random() < 0.4:
                start = date(rng.choice(range(1952, 2000, 4)), 2, 29)
        elif shape == 7:  # the start's day in several months
            ms = months(rng.randint(1, 4))
            if rng.random() < 0.4:
                start = date(rng.randrange(1950, 2000), 1, rng.choice([29, 30, 31]))
            parts += [("BYMONTH", ",".join(map(str, ms)))]
            kwargs.update(bymonth=ms)
        elif shape == 8:  # Friday the 13th, or a weekday on month days
            ds, mds = weekdays(1), [rng.choice([13, 1, -1, 29])]
            parts += [("BYMONTHDAY", str(mds[0])), ("BYDAY", _DAYS[ds[0]])]
            kwargs.update(bymonthday=mds, byweekday=[_DU_DAYS[ds[0]]])
        else:  # nth weekdays of the year limited by month, with a set position
            day, nth = rng.randrange(7), _signed(rng, 53, 10)
            ms = months(rng.randint(2, 6))
            parts += [("BYMONTH", ",".join(map(str, ms))), ("BYDAY", f"{max(-5, min(5, nth))}{_DAYS[day]}")]
            kwargs.update(bymonth=ms, byweekday=[_DU_DAYS[day](max(-5, min(5, nth)))])
            if rng.random() < 0.5:
                parts += [("BYSETPOS", str(_signed(rng, 6, 2)))]
                kwargs.update(bysetpos=[int(parts[-1][1])])
        interval = rng.choice([1, 1, 1, 2, 3])
        if interval != 1:
            kwargs["interval"] = interval
        text = "FREQ=YEARLY" + (f";INTERVAL={interval}" if interval != 1 else "") + "".join(f";{k}={v}" for k, v in parts)
        if rng.random() < 0.15:
            count = rng.randint(1, 30)
            text += f";COUNT={count}"
            kwargs["count"] = count
        out.append((text, kwargs, start))
    return out


def _known_yearly_difference(text: str, kwargs: dict[str, object]) -> str | None:
    """The reason RFC 5545 and dateutil differ on this rule, if a known one
    claims it."""
    weeks = kwargs.get("byweekno")
    if isinstance(weeks, list) and any(abs(w) >= 52 for w in weeks):
        return _WEEKS_AT_YEAR_ENDS
    return None


def _rfc_week(d: date, wkst: int) -> tuple[int, int]:
    """(week number, weeks in its year) with weeks starting on `wkst`: a
    week belongs to the year of its fourth day."""
    fourth = d - timedelta(days=(d.weekday() - wkst) % 7) + timedelta(days=3)
    dec31 = date(fourth.year, 12, 31)
    last = dec31 - timedelta(days=(dec31.weekday() - wkst) % 7) + timedelta(days=3)
    if last.year != fourth.year:
        last -= timedelta(days=7)
    return (fourth.timetuple().tm_yday - 1) // 7 + 1, (last.timetuple().tm_yday - 1) // 7 + 1


def _explained_by_weeks_at_year_ends(kwargs: dict[str, object], ours: list[datetime], theirs: list[datetime], tz: ZoneInfo) -> bool:
    """Whether every date one side has and the other lacks is in a week
    straddling New Year, and release-core's side is RFC 5545's week number
    (or, with BYSETPOS or COUNT, whether the sets differ only from such a
    date on)."""
    weeks = kwargs["byweekno"]
    assert isinstance(weeks, list)
    wkst = int(kwargs.get("wkst", 0))  # type: ignore[call-overload]
    ours_d = {t.astimezone(tz).date() for t in ours}
    theirs_d = {t.astimezone(tz).date() for t in theirs}
    differing = sorted(ours_d ^ theirs_d)
    straddles = [d for d in differing if (d.month, d.day) >= (12, 26) or (d.month, d.day) <= (1, 6)]
    if "bysetpos" in kwargs or "count" in kwargs:
        return bool(straddles) and min(straddles) == differing[0]
    for d in differing:
        if d not in straddles:
            return False
        number, in_year = _rfc_week(d, wkst)
        named = any(w == number or in_year + 1 + w == number for w in weeks)  # type: ignore[operator]
        if named != (d in ours_d):
            return False
    return True


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London", "Australia/Sydney", "Africa/Nairobi", "Asia/Kolkata"])
def test_yearly_differential_against_dateutil(zone: str) -> None:
    """Yearly rules: the same instants as dateutil.rrule over a century
    (starts 1950-2000, compared up to 2100), except where a listed reason
    says RFC 5545 and dateutil differ."""
    tz = ZoneInfo(zone)
    rng = random.Random("yearly " + zone)
    end = datetime(2100, 1, 1, tzinfo=UTC)
    unexplained = []
    for text, kwargs, start in _generated_yearly_rules(sum(map(ord, zone)), 200):
        at = rng.choice([time(1, 30), time(2, 30), time(10), time(23, 45)])
        ours = Schedule("g", text, start=start, time=at, zone=zone).instants(datetime(1900, 1, 1, tzinfo=UTC), end)
        dtstart = datetime.combine(start, at, tzinfo=tz)
        bound = {} if "count" in kwargs else {"until": end.astimezone(tz)}
        theirs = [t.astimezone(UTC) for t in du.rrule(dtstart=dtstart, **bound, **kwargs)]  # type: ignore[arg-type]
        theirs = [t for t in theirs if t < end]
        _YEARLY_FIGURES["rules"] += 1
        _YEARLY_FIGURES["occurrences"] += max(len(ours), len(theirs))
        if ours == theirs:
            continue
        _YEARLY_FIGURES["mismatched_rules"] += 1
        reason = _known_yearly_difference(text, kwargs)
        if reason == _WEEKS_AT_YEAR_ENDS and not _explained_by_weeks_at_year_ends(kwargs, ours, theirs, tz):
            reason = None
        key = f"mismatch: {'weeks at year ends' if reason else None}"
        _YEARLY_FIGURES[key] = _YEARLY_FIGURES.get(key, 0) + 1
        if reason is None:
            first = next((i for i, (a, b) in enumerate(zip(ours, theirs)) if a != b), min(len(ours), len(theirs)))
            unexplained.append(f"{text} from {start} {at} in {zone}: first difference at #{first}; ours {ours[first:first + 2]} theirs {theirs[first:first + 2]} (counts {len(ours)} vs {len(theirs)})")
    print(f"\nyearly differential in {zone}: {_YEARLY_FIGURES}")
    assert not unexplained, "\n".join(unexplained)


def test_yearly_known_differences_still_differ() -> None:
    """Each listed difference is real: dateutil still disagrees, and
    release-core's dates are RFC 5545's (ISO 8601 weeks for WKST=MO, by
    Python's own isocalendar)."""
    start, end = date(1950, 1, 1), datetime(2100, 1, 1, tzinfo=UTC)
    for w in [52, 53, -52, -53]:
        text = f"FREQ=YEARLY;BYWEEKNO={w}"
        ours = Schedule("w", text, start=start, time=time(12), zone="UTC").instants(datetime(1900, 1, 1, tzinfo=UTC), end)
        theirs = [t for t in du.rrule(du.YEARLY, dtstart=datetime.combine(start, time(12), tzinfo=UTC), until=end, byweekno=[w]) if t < end]
        assert ours != theirs, f"{text}: dateutil agrees now; drop the listed difference"
        assert _explained_by_weeks_at_year_ends({"byweekno": [w]}, ours, theirs, ZoneInfo("UTC"))
        for t in ours:
            year, number, _ = t.date().isocalendar()
            weeks_in_year = date(year, 12, 28).isocalendar()[1]
            assert number == w if w > 0 else number == weeks_in_year + 1 + w, (text, t)


def test_yearly_rules_from_python() -> None:
    """A yearly rule from text and from RFC 5545 lines; its JSON carries the
    new parts (by_week_no, by_year_day) and reads back; unsupported parts
    say what to write instead."""
    s = Schedule("thanksgiving", "FREQ=YEARLY;BYMONTH=11;BYDAY=4TH", start=date(2024, 1, 1), time=time(9), zone="America/New_York")
    assert [o.date for o in s.upcoming(datetime(2024, 1, 1, tzinfo=UTC), 3)] == [date(2024, 11, 28), date(2025, 11, 27), date(2026, 11, 26)]
    w = Schedule.from_rrule("weeks", "DTSTART;TZID=Europe/London:20240101T100000\nRRULE:FREQ=YEARLY;BYWEEKNO=1,-1;BYYEARDAY=-1,1,364;WKST=SU")
    assert '"by_week_no":[1,-1]' in w.to_json() and '"by_year_day":[-1,1,364]' in w.to_json()
    assert Schedule.from_json(w.to_json()) == w
    assert w.to_rrule().endswith("RRULE:FREQ=YEARLY;BYWEEKNO=1,-1;BYYEARDAY=-1,1,364;WKST=SU")
    with pytest.raises(ParseError, match="FREQ=HOURLY is not supported: a schedule has one time of day; use FREQ=DAILY"):
        Schedule("r", "FREQ=HOURLY", start=date(2024, 1, 1), time=time(9), zone="UTC")
    with pytest.raises(ConfigError, match="BYWEEKNO only applies to YEARLY rules"):
        Schedule("r", "FREQ=MONTHLY;BYWEEKNO=1", start=date(2024, 1, 1), time=time(9), zone="UTC")
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


def test_instants_are_the_occurrences_instants() -> None:
    """``instants`` makes each datetime from its neighbour (plus a cached
    ``timedelta``): across daylight saving time, holiday moves and months
    of every length (more distinct steps than it keeps) it gives exactly
    the occurrences' instants, each in ``timezone.utc``."""
    start, end = datetime(2024, 1, 1, tzinfo=UTC), datetime(2040, 1, 1, tzinfo=UTC)
    for rule in ["FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", "FREQ=MONTHLY;BYDAY=-1FR", "FREQ=DAILY;INTERVAL=17"]:
        s = Schedule("s", rule, start=date(2024, 1, 2), time=time(1, 30), zone="America/New_York",
                     holidays=["us"], policy="next_working_day")
        instants = s.instants(start, end)
        assert instants == [o.at for o in s.between(start, end)]
        if "MONTHLY" in rule:
            assert len({b - a for a, b in zip(instants, instants[1:])}) > 8
        assert all(t.tzinfo is timezone.utc for t in instants)
