"""Windows: the EAT team's staging slot, a future one-off freeze, daily and
schedule-anchored spans, JSON round trips and bad input."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from release_core import ConfigError, ParseError, ReleaseWarning, Schedule, Window, Windows, WindowState

UTC = timezone.utc
EAT = ZoneInfo("Africa/Nairobi")


def staging() -> Window:
    return Window.allow("staging", "Africa/Nairobi", weekly=("SU", time(20), "MO", time(8, 30)))


def freeze() -> Window:
    return Window.deny("year-end freeze", "Africa/Nairobi", once=(datetime(2020, 12, 20), datetime(2021, 1, 4)))


def test_eat_staging_window() -> None:
    w = Windows([staging()])
    sunday_night = datetime(2020, 7, 5, 21, tzinfo=EAT)
    monday_morning = datetime(2020, 7, 6, 9, tzinfo=EAT)
    assert w.is_open(sunday_night)
    assert not w.is_open(monday_morning)
    # Half-open: active from Sunday 20:00, closed again at Monday 08:30.
    assert w.is_open(datetime(2020, 7, 5, 20, tzinfo=EAT))
    assert not w.is_open(datetime(2020, 7, 6, 8, 30, tzinfo=EAT))

    assert w.next_close(sunday_night) == datetime(2020, 7, 6, 5, 30, tzinfo=UTC)
    assert w.next_open(monday_morning) == datetime(2020, 7, 12, 17, tzinfo=UTC)
    assert w.next_change(monday_morning) == datetime(2020, 7, 12, 20, tzinfo=EAT)
    # Open now: the next opening is the one after the next close.
    assert w.next_open(sunday_night) == datetime(2020, 7, 12, 17, tzinfo=UTC)

    state = w.state_at(sunday_night)
    assert isinstance(state, WindowState)
    assert state.open and state.until == datetime(2020, 7, 6, 5, 30, tzinfo=UTC)
    assert state.until is not None and state.until.tzinfo is not None
    assert len(state.reasons) == 1 and '"staging"' in state.reasons[0]
    assert str(state).startswith("open until 2020-07-06T05:30:00Z: allow window \"staging\"")
    closed = w.state_at(monday_morning)
    assert not closed.open and closed.reasons == ['no allow window is active ("staging")']

    assert w.windows == [staging()] and len(w) == 1
    assert staging().active_at(sunday_night) == (datetime(2020, 7, 5, 17, tzinfo=UTC), datetime(2020, 7, 6, 5, 30, tzinfo=UTC))
    assert staging().active_at(monday_morning) is None


def test_a_future_one_off_freeze_does_not_affect_now() -> None:
    w = Windows([staging(), freeze()])
    now = datetime(2020, 7, 5, 21, tzinfo=EAT)
    assert w.is_open(now)
    assert w.state_at(now).reasons == Windows([staging()]).state_at(now).reasons

    in_freeze = datetime(2020, 12, 27, 18, tzinfo=UTC)  # Sunday 21:00 EAT
    state = w.state_at(in_freeze)
    assert not state.open
    assert '"year-end freeze"' in state.reasons[0]
    assert state.reasons[-1] == 'deny windows win over the active allow window "staging"'
    # It opens when the freeze ends, Monday 00:00 EAT, inside a staging slot.
    assert w.next_open(in_freeze) == datetime(2021, 1, 3, 21, tzinfo=UTC)
    assert w.next_close(in_freeze) == datetime(2021, 1, 4, 5, 30, tzinfo=UTC)


def test_window_properties_and_repr() -> None:
    s, f = staging(), freeze()
    assert (s.name, s.kind, s.zone, s.repeat) == ("staging", "allow", "Africa/Nairobi", "weekly")
    assert s.span == "weekly Sun 20:00 to Mon 08:30"
    assert (f.kind, f.repeat, f.span) == ("deny", "once", "2020-12-20 00:00 to 2021-01-04 00:00")
    assert repr(s) == '<Window allow "staging" (weekly Sun 20:00 to Mon 08:30, Africa/Nairobi)>'


def test_daily_business_hours_and_deny_over_midnight() -> None:
    hours = Window.allow("business hours", "Europe/London", daily=(["MO", "TU", "WE", "TH", "FR"], time(9), time(17)))
    night = Window.deny("nightly maintenance", "Europe/London", daily=(None, time(23), time(1)))
    assert night.span == "every day 23:00 to 01:00"
    w = Windows([hours, night])
    london = ZoneInfo("Europe/London")
    assert w.is_open(datetime(2024, 6, 3, 10, tzinfo=london))  # Monday
    assert not w.is_open(datetime(2024, 6, 1, 10, tzinfo=london))  # Saturday
    friday_evening = datetime(2024, 6, 7, 18, tzinfo=london)
    assert w.next_open(friday_evening) == datetime(2024, 6, 10, 9, tzinfo=london)
    nights = Windows([night])
    assert not nights.is_open(datetime(2024, 6, 4, 0, 30, tzinfo=london))
    assert nights.next_open(datetime(2024, 6, 4, 0, 30, tzinfo=london)) == datetime(2024, 6, 4, 1, tzinfo=london)
    assert Windows([]).is_open(datetime(2024, 6, 4, tzinfo=UTC))


def test_freeze_around_each_occurrence_of_a_schedule() -> None:
    release = Schedule("release", "FREQ=WEEKLY;BYDAY=TU", start=date(2024, 1, 2), time=time(10), zone="America/New_York")
    w = Window.deny("release freeze", "America/New_York", occurrences=(release, timedelta(hours=-24), timedelta(hours=25)))
    assert w.repeat == "occurrences"
    ws = Windows([w])
    ny = ZoneInfo("America/New_York")
    assert not ws.is_open(datetime(2024, 1, 8, 12, tzinfo=ny))  # Monday noon
    assert ws.is_open(datetime(2024, 1, 9, 11, 30, tzinfo=ny))
    assert ws.next_close(datetime(2024, 1, 10, tzinfo=ny)) == datetime(2024, 1, 15, 10, tzinfo=ny)


def test_json_round_trips() -> None:
    release = Schedule("release", "FREQ=WEEKLY;BYDAY=TU", start=date(2024, 1, 2), time=time(10), zone="UTC")
    ws = Windows([
        staging(),
        freeze(),
        Window.allow("hours", "UTC", daily=([], time(9), time(17))),
        Window.deny("around", "UTC", occurrences=(release, timedelta(minutes=-30), timedelta(hours=1))),
    ])
    assert Windows.from_json(ws.to_json()) == ws
    assert Window.from_json(staging().to_json()) == staging()
    assert '"repeat":"weekly"' in staging().to_json()
    with pytest.raises(ParseError, match="invalid windows JSON"):
        Windows.from_json('[{"name": "x"}]')
    with pytest.raises(ParseError, match="invalid window JSON"):
        Window.from_json("{")
    with pytest.raises(ConfigError, match="ends at"):
        Window.from_json(
            '{"name":"x","kind":"deny","zone":"UTC","span":{"repeat":"once","start":"2024-01-02T00:00:00","end":"2024-01-01T00:00:00"}}'
        )


def test_bad_input() -> None:
    w = Windows([staging()])
    with pytest.raises(TypeError, match="now must be an aware datetime"):
        w.is_open(datetime(2020, 7, 5, 21))
    with pytest.raises(TypeError, match="now must be an aware"):
        w.next_open("2020-07-05")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="give exactly one of weekly=, daily=, once= or occurrences= \\(got 0\\)"):
        Window.allow("x", "UTC")
    with pytest.raises(TypeError, match="got 2"):
        Window.allow("x", "UTC", daily=(None, time(9), time(17)), once=(datetime(2024, 1, 1), datetime(2024, 1, 2)))
    with pytest.raises(ParseError, match='^unknown weekday "Sundae"; expected one of: MO, TU, WE, TH, FR, SA, SU$'):
        Window.allow("x", "UTC", weekly=("Sundae", time(20), "MO", time(8)))  # type: ignore[arg-type]
    with pytest.raises(ParseError, match='did you mean "SU"'):
        Window.allow("x", "UTC", weekly=("su", time(20), "MO", time(8)))  # type: ignore[arg-type]
    with pytest.warns(ReleaseWarning, match='"Sunday" is a deprecated spelling of the weekday "SU"'):
        old = Window.allow("x", "UTC", weekly=("Sunday", time(20), "MO", time(8)))  # type: ignore[arg-type]
    assert old == Window.allow("x", "UTC", weekly=("SU", time(20), "MO", time(8)))
    with pytest.raises(TypeError, match="^weekly end_day must be a str"):
        Window.allow("x", "UTC", weekly=("SU", time(20), 0, time(8)))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"weekly must be a tuple \(start_day, start, end_day, end\) of 4 items, not 3"):
        Window.allow("x", "UTC", weekly=("SU", time(20), "MO"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="daily must be a tuple"):
        Window.allow("x", "UTC", daily=[None, time(9), time(17)])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="daily days must be an iterable of items, not a single str"):
        Window.allow("x", "UTC", daily=("MO", time(9), time(17)))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="daily start must be a datetime.time, not str"):
        Window.allow("x", "UTC", daily=(None, "09:00", time(17)))  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="once start must be a naive datetime"):
        Window.deny("x", "UTC", once=(datetime(2024, 1, 1, tzinfo=UTC), datetime(2024, 1, 2)))
    with pytest.raises(TypeError, match="once end must be a naive datetime.datetime, not date"):
        Window.deny("x", "UTC", once=(datetime(2024, 1, 1), date(2024, 1, 2)))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match='deny window "x": it ends at 2024-01-01 00:00:00 before it starts'):
        Window.deny("x", "UTC", once=(datetime(2024, 1, 2), datetime(2024, 1, 1)))
    with pytest.raises(ConfigError, match="starts and ends at 09:00"):
        Window.allow("x", "UTC", daily=(None, time(9), time(9)))
    with pytest.raises(ParseError, match='unknown time zone "Africa/Nairobbi"'):
        Window.allow("x", "Africa/Nairobbi", daily=(None, time(9), time(17)))
    release = Schedule("r", "FREQ=WEEKLY", start=date(2024, 1, 1), time=time(9), zone="UTC")
    with pytest.raises(ValueError, match="occurrences offset must be a whole number of minutes"):
        Window.deny("x", "UTC", occurrences=(release, timedelta(seconds=30), timedelta(hours=1)))
    with pytest.raises(TypeError, match="occurrences duration must be a datetime.timedelta, not int"):
        Window.deny("x", "UTC", occurrences=(release, timedelta(0), 60))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="occurrences schedule must be a Schedule, not str"):
        Window.deny("x", "UTC", occurrences=("r", timedelta(0), timedelta(hours=1)))  # type: ignore[arg-type]
    with pytest.raises(ConfigError, match="its duration is 0 minutes"):
        Window.deny("x", "UTC", occurrences=(release, timedelta(0), timedelta(0)))
    with pytest.raises(ConfigError, match='two windows are named "staging"'):
        Windows([staging(), staging()])
    with pytest.raises(TypeError, match=r"windows\[1\] must be a Window, not str"):
        Windows([staging(), "freeze"])  # type: ignore[list-item]


def test_json_with_a_deprecated_weekday_reads_with_a_warning() -> None:
    canonical = Window.allow("slot", "Africa/Nairobi", weekly=("SU", time(20), "MO", time(8, 30)))
    old = canonical.to_json().replace('"SU"', '"Sun"')
    with pytest.warns(ReleaseWarning, match='"Sun" is a deprecated spelling of the weekday "SU"'):
        assert Window.from_json(old) == canonical
    with pytest.warns(ReleaseWarning, match='"Sun"'):
        assert Windows.from_json(f"[{old}]") == Windows([canonical])
    assert issubclass(ReleaseWarning, UserWarning) and ReleaseWarning.__module__ == "release_core"
