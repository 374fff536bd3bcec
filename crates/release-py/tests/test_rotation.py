"""Rotations: Mozilla's monthly release manager with a swap and an absence,
per-occurrence turns, JSON round trip and bad input."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from release_core import ConfigError, Duty, ParseError, RefusedError, Rotation, Schedule

UTC = timezone.utc
LA = "America/Los_Angeles"


def mozilla() -> Schedule:
    """Seed 002: release every other Tuesday from 2020-11-17."""
    return Schedule("release", "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", start=date(2020, 11, 17), time=time(10), zone=LA)


def release_manager() -> Rotation:
    """Seed 002: "we appoint a release manager from the team, and rotate every month"."""
    return Rotation(
        "release manager",
        ["alice", "bob", "carol", "dave"],
        "monthly",
        date(2021, 1, 1),
        LA,
        swaps=[{"date": date(2021, 3, 1), "person": "bob", "instead_of": "carol", "reason": "carol is at a conference in March"}],
        absences=[{"person": "alice", "from": date(2021, 5, 10), "to": date(2021, 5, 21), "reason": "parental leave"}],
    )


def test_mozilla_monthly_release_manager_with_a_swap_and_an_absence() -> None:
    s, rm = mozilla(), release_manager()
    table = [(o.date.isoformat(), rm.for_occurrence(s, o).person) for o in s.between(datetime(2021, 1, 1, tzinfo=UTC), datetime(2021, 7, 1, tzinfo=UTC))]
    assert table == [
        ("2021-01-12", "alice"),
        ("2021-01-26", "alice"),
        ("2021-02-09", "bob"),
        ("2021-02-23", "bob"),
        # carol's month, swapped to bob.
        ("2021-03-09", "bob"),
        ("2021-03-23", "bob"),
        ("2021-04-06", "dave"),
        ("2021-04-20", "dave"),
        # alice's month; she is away for the 18th, bob covers.
        ("2021-05-04", "alice"),
        ("2021-05-18", "bob"),
        # June continues as if alice had taken May: bob.
        ("2021-06-01", "bob"),
        ("2021-06-15", "bob"),
        ("2021-06-29", "bob"),
    ]

    march = rm.on_date(date(2021, 3, 9))
    assert isinstance(march, Duty)
    assert (march.rotation, march.person, march.by, march.turn, march.period) == ("release manager", "bob", "swap", "carol", 2)
    assert march.reasons == [
        "the month from 2021-03-01 is period 3 of release manager (monthly from 2021-01-01): carol's turn",
        "swapped: bob takes it instead of carol: carol is at a conference in March",
    ]
    covered = rm.on_date(date(2021, 5, 18))
    assert (covered.person, covered.by, covered.turn) == ("bob", "cover", "alice")
    assert (covered.start, covered.end, covered.date) == (date(2021, 5, 1), date(2021, 5, 31), date(2021, 5, 18))
    assert covered.reasons[1:] == [
        "alice is absent from 2021-05-10 to 2021-05-21 (parental leave)",
        "bob covers, the next available after alice in the roster",
    ]
    assert rm.on_date(date(2021, 1, 20)).by == "turn"
    assert str(march).startswith("release manager on 2021-03-09: bob (")

    # on_duty reads the date of `now` in the rotation's zone: 2021-06-01
    # 05:00Z is still May 31 in Los Angeles.
    assert rm.on_duty(datetime(2021, 6, 1, 5, tzinfo=UTC)).person == "alice"
    assert rm.on_duty(datetime(2021, 6, 1, 8, tzinfo=UTC)).person == "bob"

    table2 = rm.table(date(2021, 1, 15), 6)
    assert [d.person for d in table2] == ["alice", "bob", "bob", "dave", "alice", "bob"]
    assert [d.start for d in table2][:2] == [date(2021, 1, 1), date(2021, 2, 1)]


def test_properties_and_json_round_trip() -> None:
    rm = Rotation(
        "release manager",
        ["alice", {"name": "bob"}, {"name": "erin", "since": date(2021, 4, 1), "until": None}],
        "weekly",
        date(2021, 1, 4),
        LA,
    )
    assert (rm.name, rm.roster, rm.period, rm.anchor, rm.zone) == ("release manager", ["alice", "bob", "erin"], "weekly", date(2021, 1, 4), LA)
    assert Rotation.from_json(rm.to_json()) == rm
    assert '"since":"2021-04-01"' in rm.to_json()
    assert Rotation.from_json(release_manager().to_json()) == release_manager()
    # A joiner never rewrites the past.
    before = Rotation("r", ["alice", "bob"], "weekly", date(2021, 1, 4), LA)
    assert [d.person for d in before.table(date(2021, 1, 4), 12)] == [d.person for d in rm.table(date(2021, 1, 4), 12)]
    assert "erin" in [d.person for d in rm.table(date(2021, 4, 5), 3)]


def test_per_occurrence_turns() -> None:
    s = Schedule(
        "release",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        start=date(2020, 11, 17),
        time=time(10),
        zone=LA,
        overrides=[{"action": "cancel", "date": date(2020, 12, 29), "reason": "holidays"}],
    )
    r = Rotation("driver", ["a", "b", "c"], "per_occurrence", date(2020, 12, 1), LA)
    got = [(o.date, r.for_occurrence(s, o).person) for o in s.between(datetime(2020, 12, 1, tzinfo=UTC), datetime(2021, 2, 1, tzinfo=UTC))]
    assert got == [(date(2020, 12, 1), "a"), (date(2020, 12, 15), "b"), (date(2021, 1, 12), "c"), (date(2021, 1, 26), "a")]
    with pytest.raises(RefusedError, match="turns per occurrence"):
        r.on_duty(datetime(2021, 1, 1, tzinfo=UTC))
    early = s.upcoming(datetime(2020, 1, 1, tzinfo=UTC), 1)[0]
    with pytest.raises(RefusedError, match="is not an occurrence of schedule"):
        r.for_occurrence(s, early)


def test_bad_input() -> None:
    with pytest.raises(ConfigError, match="empty roster"):
        Rotation("r", [], "weekly", date(2021, 1, 4), LA)
    with pytest.raises(ConfigError, match='"zed", who is not on the roster'):
        Rotation("r", ["alice"], "monthly", date(2021, 1, 1), LA, swaps=[{"date": date(2021, 2, 1), "person": "zed"}])
    with pytest.raises(ConfigError, match='"alice" is on the roster twice'):
        Rotation("r", ["alice", "alice"], "monthly", date(2021, 1, 1), LA)
    with pytest.raises(ParseError, match='^unknown rotation period "fortnightly"; expected one of: weekly, monthly, per_occurrence$'):
        Rotation("r", ["alice"], "fortnightly", date(2021, 1, 1), LA)  # type: ignore[arg-type]
    with pytest.raises(ParseError, match='did you mean "per_occurrence"'):
        Rotation("r", ["alice"], "per-occurrence", date(2021, 1, 1), LA)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^period must be a str"):
        Rotation("r", ["alice"], 7, date(2021, 1, 1), LA)  # type: ignore[arg-type]
    with pytest.raises(ParseError, match="unknown time zone"):
        Rotation("r", ["alice"], "weekly", date(2021, 1, 1), "Pacific/Nowhere")
    with pytest.raises(TypeError, match="roster must be an iterable of items, not a single str"):
        Rotation("r", "alice", "weekly", date(2021, 1, 1), LA)
    with pytest.raises(TypeError, match=r"roster\[1\] must be a str or a dict"):
        Rotation("r", ["alice", 7], "weekly", date(2021, 1, 1), LA)  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r'roster\[0\] has no "name"'):
        Rotation("r", [{"since": date(2021, 1, 1)}], "weekly", date(2021, 1, 1), LA)  # type: ignore[list-item]
    with pytest.raises(ValueError, match=r"roster\[0\] has an unknown key \"from\""):
        Rotation("r", [{"name": "a", "from": date(2021, 1, 1)}], "weekly", date(2021, 1, 1), LA)  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r'roster\[0\]\["since"\] must be a datetime.date, not str'):
        Rotation("r", [{"name": "a", "since": "2021-01-01"}], "weekly", date(2021, 1, 1), LA)  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r'absences\[0\]\["to"\] must be a datetime.date, not a datetime.datetime'):
        Rotation("r", ["a"], "weekly", date(2021, 1, 1), LA, absences=[{"person": "a", "from": date(2021, 1, 1), "to": datetime(2021, 1, 2)}])
    with pytest.raises(TypeError, match=r"swaps\[0\] must be a dict, not tuple"):
        Rotation("r", ["a"], "weekly", date(2021, 1, 1), LA, swaps=[(date(2021, 1, 1), "a")])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="anchor must be a datetime.date, not a datetime.datetime"):
        Rotation("r", ["a"], "weekly", datetime(2021, 1, 1), LA)
    rm = release_manager()
    with pytest.raises(RefusedError, match="before its anchor 2021-01-01"):
        rm.on_date(date(2020, 12, 31))
    with pytest.raises(TypeError, match="now must be an aware datetime"):
        rm.on_duty(datetime(2021, 6, 1))
    with pytest.raises(TypeError, match="from_date must be a datetime.date"):
        rm.table("2021-01-01", 3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="occurrence"):
        rm.for_occurrence(mozilla(), "2021-01-12")  # type: ignore[arg-type]
    with pytest.raises(ParseError, match="invalid rotation JSON"):
        Rotation.from_json('{"name": "r"}')
