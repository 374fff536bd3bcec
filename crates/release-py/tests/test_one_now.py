"""One model of "now": a `Run` made from a `Process` evaluates gates on the
facts `plan` and `explain` see, the calendar's answers at each event's time
included."""

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from release_core import Process, RefusedError, Run

EAT_SLOTS = Path(__file__).parents[3] / "examples" / "eat-slots" / "release.toml"
SUNDAY_20_EAT = datetime(2020, 7, 5, 17, 0, tzinfo=timezone.utc)
SUNDAY_21_EAT = datetime(2020, 7, 5, 18, 0, tzinfo=timezone.utc)
MONDAY_09_EAT = datetime(2020, 7, 6, 6, 0, tzinfo=timezone.utc)


def dev_tested() -> Run:
    """eat-slots once the ticket was tested on dev, Sunday 20:40 EAT."""
    run = Run(Process.from_file(EAT_SLOTS), requested_by="rm", at=SUNDAY_20_EAT)
    run.start("deploy-dev", at=SUNDAY_20_EAT)
    run.succeed("deploy-dev", at=SUNDAY_20_EAT + timedelta(minutes=10))
    run.approve("tester", task="dev-testing", at=SUNDAY_20_EAT + timedelta(minutes=40))
    return run


def test_eat_slots_approval_inside_the_window_is_accepted() -> None:
    process = Process.from_file(EAT_SLOTS)
    run = dev_tested()
    assert process.explain("move-to-staging", now=SUNDAY_21_EAT, journal=run).ready
    run.approve("lead", task="move-to-staging", at=SUNDAY_21_EAT)
    assert run.state("move-to-staging") == "succeeded"
    # The journal, calendar facts included, replays to the same run.
    again = Run.replay(process, run.journal())
    assert again.state("move-to-staging") == "succeeded"


def test_eat_slots_approval_after_the_window_is_refused() -> None:
    process = Process.from_file(EAT_SLOTS)
    run = dev_tested()
    assert not process.explain("move-to-staging", now=MONDAY_09_EAT, journal=run).ready
    before = run.journal()
    with pytest.raises(RefusedError):
        run.approve("lead", task="move-to-staging", at=MONDAY_09_EAT)
    assert run.journal() == before


def test_a_pipeline_run_hears_no_calendar() -> None:
    """Built from the pipeline alone, the run knows no window: the gate
    waits for a fact, whatever the time."""
    process = Process.from_file(EAT_SLOTS)
    run = Run(process.pipeline, requested_by="rm", at=SUNDAY_20_EAT)
    run.start("deploy-dev", at=SUNDAY_20_EAT)
    run.succeed("deploy-dev", at=SUNDAY_20_EAT)
    run.approve("tester", task="dev-testing", at=SUNDAY_20_EAT)
    with pytest.raises(RefusedError):
        run.approve("lead", task="move-to-staging", at=SUNDAY_21_EAT)
