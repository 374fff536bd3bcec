"""Expand a release calendar for 10 years: release_core against dateutil +
holidays, side by side in one process.

The task (issue 3's benchmark): "every other Tuesday 10:00
America/New_York from 2024-01-02" until 2034-01-02, with US federal holidays
and the next_working_day policy.

- ``release_core``: ``Schedule(..., holidays=["us"],
  policy="next_working_day").instants(start, end)``; the holiday data and
  the policy are the library's.
- ``dateutil + holidays``: ``dateutil.rrule`` expands the rule with a
  ``zoneinfo`` start; ``holidays.US`` (built for the years once, as a user
  would) says which dates are holidays; a Python loop moves each holiday
  occurrence to the next working day (not a weekend, not a holiday).

Both must produce the same instants (asserted), then each is timed with
``time.perf_counter``, best of ``--repeat`` runs. Set up with::

    pip install -r crates/release-py/requirements-dev.txt
    maturin develop --release -m crates/release-py/Cargo.toml
    python benches/python/compare_calendar.py
"""

from __future__ import annotations

import argparse
import platform
import time
from datetime import date, datetime, timedelta, timezone
from datetime import time as clock
from typing import Callable, List
from zoneinfo import ZoneInfo

import holidays
from dateutil import rrule as du

import release_core

UTC = timezone.utc
ZONE = ZoneInfo("America/New_York")
START = datetime(2024, 1, 2, 10, 0, tzinfo=ZONE)
END = datetime(2034, 1, 2, 15, 0, tzinfo=UTC)


def ours() -> List[datetime]:
    schedule = release_core.Schedule(
        "release",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
        start=date(2024, 1, 2),
        time=clock(10),
        zone="America/New_York",
        holidays=["us"],
        policy="next_working_day",
    )
    return schedule.instants(datetime(2024, 1, 1, tzinfo=UTC), END)


def peer() -> List[datetime]:
    us = holidays.US(years=range(2024, 2035))
    out = []
    for occurrence in du.rrule(du.WEEKLY, interval=2, byweekday=du.TU, dtstart=START, until=END.astimezone(ZONE)):
        day = occurrence.date()
        if day in us:
            day += timedelta(days=1)
            while day.weekday() >= 5 or day in us:
                day += timedelta(days=1)
        local = datetime.combine(day, occurrence.timetz().replace(tzinfo=None), tzinfo=ZONE)
        out.append(local.astimezone(UTC))
    return out


def best(fn: Callable[[], List[datetime]], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="runs per contender (best taken)")
    args = parser.parse_args()
    a, b = ours(), peer()
    assert a == b, f"different answers: {len(a)} vs {len(b)}; first difference {next((x, y) for x, y in zip(a, b) if x != y)}"
    moved = sum(1 for x in a if x.astimezone(ZONE).weekday() != 1)
    ours_s, peer_s = best(ours, args.repeat), best(peer, args.repeat)
    print(f"{len(a)} occurrences, {moved} moved by holidays; python {platform.python_version()}; "
          f"holidays {holidays.__version__}; cpu {platform.processor() or platform.machine()}; best of {args.repeat}")
    print(f"{'contender':<34}{'best ms':>10}{'ratio':>10}")
    print(f"{'release_core Schedule.instants':<34}{ours_s * 1e3:>10.3f}{1.0:>9.1f}x")
    print(f"{'dateutil.rrule + holidays.US':<34}{peer_s * 1e3:>10.3f}{peer_s / ours_s:>9.1f}x")


if __name__ == "__main__":
    main()
