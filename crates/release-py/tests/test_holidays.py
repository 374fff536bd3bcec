"""The built-in holiday sets against the `holidays` package, 2000 to 2050.

A differential test: for every year, the dates a built-in set yields
(holidays and observed days) must be exactly the dates the `holidays`
package (pinned in requirements-dev.txt) yields for the same country with
its default categories. Every mismatch is reported with its year, date and
the names on each side.

The package's counterparts:

- ``us``: ``country_holidays("US")``, federal holidays (no state). It lists
  observed days as "<name> (observed)", including a Saturday New Year's Day
  observed on 31 December of the year before, listed in that year.
- ``england-wales``: ``country_holidays("GB", subdiv="ENG")``. England and
  Wales share one list of bank holidays (gov.uk's "england-and-wales"); the
  package models them as two subdivisions, ``ENG`` and ``WLS``, that
  :func:`test_england_equals_wales` checks are identical here. Scotland and
  Northern Ireland differ and are not part of this set.
- ``ke``: ``country_holidays("KE")``, public holidays only (Idd-ul-Azha
  and Diwali are in the package's optional ``ISLAMIC`` and ``HINDU``
  categories). Idd-ul-Fitr is the package's estimate where not gazetted;
  when the package revises it, this test fails and the list in
  crates/release-core/src/calendar/builtin.rs must be refreshed.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from typing import Literal

import holidays
import pytest

import release_core as rc

YEARS = range(2000, 2051)

SetName = Literal["us", "england-wales", "ke"]

PEERS: dict[SetName, Callable[[int], holidays.HolidayBase]] = {
    "us": lambda year: holidays.country_holidays("US", years=year),
    "england-wales": lambda year: holidays.country_holidays("GB", subdiv="ENG", years=year),
    "ke": lambda year: holidays.country_holidays("KE", years=year),
}


def ours(name: SetName, year: int) -> dict[datetime.date, list[tuple[str, bool]]]:
    """Our set's days in `year`: date -> [(name, observed)]."""
    days: dict[datetime.date, list[tuple[str, bool]]] = defaultdict(list)
    for date, holiday, observed in rc.builtin_holidays(name, year):
        days[date].append((holiday, observed))
    return dict(days)


def theirs(name: SetName, year: int) -> dict[datetime.date, str]:
    """The package's days in `year`: date -> its (joined) names."""
    return {date: label for date, label in PEERS[name](year).items() if date.year == year}


def test_every_builtin_set_has_a_peer() -> None:
    assert sorted(rc.builtin_holiday_sets()) == sorted(PEERS)


@pytest.mark.parametrize("name", sorted(PEERS))
def test_dates_match_the_holidays_package(name: SetName) -> None:
    mismatches = []
    for year in YEARS:
        mine, peer = ours(name, year), theirs(name, year)
        for date in sorted(mine.keys() ^ peer.keys()):
            if date in mine:
                names = "; ".join(n for n, _ in mine[date])
                mismatches.append(f"{year}: {date} only in release_core ({names})")
            else:
                mismatches.append(f"{year}: {date} only in holidays ({peer[date]})")
    assert not mismatches, (
        f"{len(mismatches)} mismatch(es) between release_core {name!r} and "
        f"holidays {holidays.__version__}:\n" + "\n".join(mismatches)
    )


@pytest.mark.parametrize("name", sorted(PEERS))
def test_observed_days_match_the_holidays_package(name: SetName) -> None:
    # A day the package lists only as "(observed ...)" is one we list only
    # as observed, and the other way round.
    mismatches = []
    for year in YEARS:
        mine, peer = ours(name, year), theirs(name, year)
        for date in sorted(mine.keys() & peer.keys()):
            our_observed = all(observed for _, observed in mine[date])
            their_observed = all("(observed" in part for part in peer[date].split("; "))
            if our_observed != their_observed:
                names = "; ".join(n for n, _ in mine[date])
                mismatches.append(f"{year}: {date} release_core {names!r}, holidays {peer[date]!r}")
    assert not mismatches, "\n".join(mismatches)


def test_england_equals_wales() -> None:
    for year in YEARS:
        england = holidays.country_holidays("GB", subdiv="ENG", years=year)
        wales = holidays.country_holidays("GB", subdiv="WLS", years=year)
        assert set(england) == set(wales), year


def test_builtin_holidays_values() -> None:
    days = rc.builtin_holidays("england-wales", 2022)
    assert (datetime.date(2022, 9, 19), "State Funeral of Queen Elizabeth II", False) in days
    assert (datetime.date(2022, 12, 27), "Christmas Day (observed)", True) in days
    assert [d for d, _, _ in days] == sorted(d for d, _, _ in days)
    assert (datetime.date(2021, 12, 31), "New Year's Day (observed)", True) in rc.builtin_holidays(
        "us", 2021
    )


def test_builtin_holidays_errors() -> None:
    with pytest.raises(ValueError, match="invalid holiday set \"mars\": expected one of 'us', 'england-wales', 'ke'"):
        rc.builtin_holidays("mars", 2024)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="invalid year 10000"):
        rc.builtin_holidays("us", 10000)
    with pytest.raises(TypeError):
        rc.builtin_holidays("us", "2024")  # type: ignore[arg-type]
