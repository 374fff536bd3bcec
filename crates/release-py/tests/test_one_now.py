"""One model of "now": a `Run` made from a `Process` evaluates gates on the
facts `plan` and `explain` see, the calendar's answers at each event's time
included."""

from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Optional

import pytest

from release_core import Process, RefusedError, Run, Task

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


FRAGALYSIS = Path(__file__).parents[3] / "examples" / "fragalysis" / "release.toml"


def test_a_python_executor_gets_the_task_context() -> None:
    """The plan's tags reach the task: its context, its environment
    variables and its argv, placeholders replaced."""
    process = Process.from_file(FRAGALYSIS)
    t = datetime(2023, 6, 20, 9, tzinfo=timezone.utc)
    run = Run(process, requested_by="rm", at=t)
    run.set_release(
        now=t,
        tags={"backend": ["2023.05.1"], "frontend": ["2023.05.4"], "stack": ["2023.06.1"]},
    )
    seen: dict[str, tuple[Optional[list[str]], str, str]] = {}

    class Record:
        def execute(self, task: Task) -> bool:
            seen[task.id] = (task.argv(), task.env["RELEASE_TAG"], task.context["component.stack.tag"])
            return True

    run.approve("lead", task="choose-versions", at=t)
    run.drive(Record(), clock=t)
    argv, env_tag, stack = seen["tag-backend"]
    assert argv is not None and argv[:4] == ["gh", "release", "create", "2023.06.1"]
    assert env_tag == "2023.06.1"
    assert stack == "2023.06.2"


def test_an_observer_sees_every_event_and_can_stop_the_drive() -> None:
    process = Process.from_file(FRAGALYSIS)
    t = datetime(2023, 6, 20, 9, tzinfo=timezone.utc)
    run = Run(process, requested_by="rm", at=t)
    run.approve("lead", task="choose-versions", at=t)
    seen: list[dict[str, object]] = []

    class Ok:
        def execute(self, task: Task) -> bool:
            return True

    before = len(run)
    run.drive(Ok(), clock=t, observer=seen.append)
    assert [e["event"] for e in seen][:2] == ["started", "succeeded"]
    assert len(run) == before + len(seen)

    def stop(event: dict[str, object]) -> None:
        raise ValueError("enough")

    again = Run(process, requested_by="rm", at=t)
    again.approve("lead", task="choose-versions", at=t)
    with pytest.raises(ValueError, match="enough"):
        again.drive(Ok(), clock=t, observer=stop)
    assert again.state("tag-backend") == "running"
    with pytest.raises(TypeError):
        again.drive(Ok(), clock=t, observer=3)  # type: ignore[arg-type]
