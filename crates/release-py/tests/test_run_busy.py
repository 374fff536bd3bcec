"""A Run being driven belongs to the driver: every use of it from the
executor, the observer or another thread raises RunBusyError, naming the
method; the run is intact afterwards."""

import threading
from collections.abc import Callable
from datetime import date, datetime, time, timedelta, timezone, tzinfo
from typing import Optional

import pytest

from release_core import (
    Fact,
    IcsCalendar,
    Pipeline,
    Process,
    RefusedError,
    ReleaseError,
    Run,
    RunBusyError,
    Schedule,
    Task,
    VirtualClock,
    evidence,
)

T0 = datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc)


def two_steps() -> Pipeline:
    return Pipeline([
        {"id": "build", "kind": "build"},
        {"id": "deploy", "kind": "deploy", "needs": ["build"]},
    ])


def event_line() -> str:
    """A valid journal line (`apply_json` reads its argument first)."""
    run = Run(two_steps())
    run.start("build", at=T0)
    return run.journal().splitlines()[-1]


EVENT = event_line()

PROCESS = """
name = "tiny"

[[steps]]
id = "build"
kind = "build"
"""

# Every public method and property of Run, called as an executor would
# misuse it: the name in the message, and the call.
MISUSES: list[tuple[str, Callable[[Run], object]]] = [
    ("pipeline", lambda r: r.pipeline),
    ("status", lambda r: r.status),
    ("requester", lambda r: r.requester),
    ("next_wakeup", lambda r: r.next_wakeup),
    ("facts", lambda r: r.facts),
    ("ready", lambda r: r.ready()),
    ("running", lambda r: r.running()),
    ("awaiting_approval", lambda r: r.awaiting_approval()),
    ("blocked", lambda r: r.blocked()),
    ("state", lambda r: r.state("build")),
    ("attempts", lambda r: r.attempts("build")),
    ("message", lambda r: r.message("build")),
    ("verdict", lambda r: r.verdict("build", now=T0)),
    ("snapshot", lambda r: r.snapshot()),
    ("journal", lambda r: r.journal()),
    ("__len__", lambda r: len(r)),
    ("__eq__", lambda r: r == r),
    ("apply_json", lambda r: r.apply_json(EVENT)),
    ("start", lambda r: r.start("deploy", at=T0)),
    ("succeed", lambda r: r.succeed("build", at=T0)),
    ("fail", lambda r: r.fail("build", "no", at=T0)),
    ("retry", lambda r: r.retry("build", at=T0)),
    ("approve", lambda r: r.approve("alice", at=T0)),
    ("waive", lambda r: r.waive("alice", "why", at=T0, task="deploy")),
    ("skip", lambda r: r.skip("deploy", "alice", "why", at=T0)),
    ("record", lambda r: r.record(Fact("test", "ci", True, at=T0))),
    ("cancel", lambda r: r.cancel(at=T0)),
    ("tick", lambda r: r.tick(T0)),
    ("set_release", lambda r: r.set_release(now=T0)),
    ("drive", lambda r: r.drive(Recorder(), clock=T0)),
]


class Recorder:
    """Succeeds every task."""

    def execute(self, task: Task) -> None:
        return None


class Misuses:
    """Calls `use(run)` from `execute`, and keeps what it raised."""

    def __init__(self, run: Run, use: Callable[[Run], object]) -> None:
        self.run = run
        self.use = use
        self.raised: list[BaseException] = []

    def execute(self, task: Task) -> None:
        try:
            self.use(self.run)
        except BaseException as err:  # noqa: BLE001 - kept for the test
            self.raised.append(err)


def busy_message(what: str) -> str:
    return (
        f"{what}: the run is being driven; its executor, its observer and "
        "other threads may use it only after Run.drive returns"
    )


@pytest.mark.parametrize(("method", "use"), MISUSES, ids=[m for m, _ in MISUSES])
def test_every_method_refuses_from_the_executor(
    method: str, use: Callable[[Run], object]
) -> None:
    run = Run(two_steps())
    executor = Misuses(run, use)
    report = run.drive(executor, clock=T0)
    assert len(executor.raised) == 2  # once per task
    err = executor.raised[0]
    assert type(err) is RunBusyError
    assert str(err) == busy_message(f"Run.{method}")
    # The drive went on: the misuse changed nothing.
    assert report["status"] == "succeeded"
    assert run.state("deploy") == "succeeded"
    assert len(run) == 4


@pytest.mark.parametrize(("method", "use"), MISUSES, ids=[m for m, _ in MISUSES])
def test_every_method_refuses_from_the_observer(
    method: str, use: Callable[[Run], object]
) -> None:
    run = Run(two_steps())
    raised: list[BaseException] = []

    def observer(event: dict[str, object]) -> None:
        try:
            use(run)
        except BaseException as err:  # noqa: BLE001 - kept for the test
            raised.append(err)

    run.drive(Recorder(), clock=T0, observer=observer)
    assert len(raised) == 4  # once per event
    assert all(type(e) is RunBusyError for e in raised)
    assert str(raised[0]) == busy_message(f"Run.{method}")


def test_an_uncaught_misuse_fails_the_task_with_the_error() -> None:
    run = Run(two_steps())

    class Approves:
        def execute(self, task: Task) -> None:
            run.approve("alice", at=T0)

    report = run.drive(Approves(), clock=T0)
    assert report["status"] == "failed"
    assert "RunBusyError: Run.approve: the run is being driven" in (run.message("build") or "")


def test_an_observer_misuse_stops_the_drive_and_is_raised() -> None:
    run = Run(two_steps())
    with pytest.raises(RunBusyError, match=r"^Run\.tick: the run is being driven"):
        run.drive(Recorder(), clock=T0, observer=lambda event: run.tick(T0))
    # The events observed before are kept, and the run is usable again.
    assert len(run) == 1
    assert run.status == "in_progress"


def test_functions_given_the_run_refuse_too() -> None:
    process = Process.from_str(PROCESS)
    run = Run(process)
    raised: list[BaseException] = []

    def observer(event: dict[str, object]) -> None:
        for use in (lambda: process.plan(T0, journal=run), lambda: evidence(run)):
            try:
                use()
            except RunBusyError as err:
                raised.append(err)

    run.drive(Recorder(), clock=T0, observer=observer)
    assert [str(e) for e in raised[:2]] == [
        busy_message("journal=run"),
        busy_message("evidence(run)"),
    ]
    # After the drive both read the run.
    assert process.plan(T0, journal=run) is not None
    assert evidence(run)["status"] == "succeeded"


def test_the_error_is_a_refusal_and_a_runtime_error() -> None:
    assert issubclass(RunBusyError, RefusedError)
    assert issubclass(RunBusyError, ReleaseError)
    assert issubclass(RunBusyError, RuntimeError)
    assert not issubclass(RunBusyError, ValueError)


def test_repr_never_raises() -> None:
    run = Run(two_steps())
    seen: list[str] = []

    class Reprs:
        def execute(self, task: Task) -> None:
            seen.append(repr(run))

    run.drive(Reprs(), clock=T0)
    assert seen == ["<Run being driven>", "<Run being driven>"]
    assert repr(run) == "<Run '' succeeded (4 events)>"


def test_another_thread_gets_the_error_while_the_run_is_driven() -> None:
    run = Run(two_steps())
    started, release = threading.Event(), threading.Event()
    raised: list[BaseException] = []

    class Waits:
        def execute(self, task: Task) -> None:
            if task.id == "build":
                started.set()
                # Lets the other thread run while this one is in execute.
                assert release.wait(10)

    def other() -> None:
        assert started.wait(10)
        try:
            run.ready()
        except RunBusyError as err:
            raised.append(err)
        finally:
            release.set()

    thread = threading.Thread(target=other)
    thread.start()
    run.drive(Waits(), clock=T0)
    thread.join(10)
    assert [str(e) for e in raised] == [busy_message("Run.ready")]
    assert run.status == "succeeded"


def test_the_virtual_clock_may_be_advanced_during_execute() -> None:
    run = Run(two_steps())
    clock = VirtualClock(T0)

    class Advances:
        def execute(self, task: Task) -> None:
            clock.advance(timedelta(minutes=5))
            clock.sleep_until(clock.now + timedelta(minutes=1))

    report = run.drive(Advances(), clock=clock)
    assert report["status"] == "succeeded"
    assert clock.now == T0 + timedelta(minutes=12)


class Meddling(tzinfo):
    """A tzinfo whose utcoffset uses `target` while the binding reads it."""

    def __init__(self, use: Callable[[], object]) -> None:
        self.use = use
        self.raised: list[BaseException] = []

    def utcoffset(self, dt: Optional[datetime]) -> timedelta:
        try:
            self.use()
        except BaseException as err:  # noqa: BLE001 - kept for the test
            self.raised.append(err)
        return timedelta(0)

    def dst(self, dt: Optional[datetime]) -> timedelta:
        return timedelta(0)


def test_arguments_are_read_before_an_object_is_taken() -> None:
    # Python code inside an argument (a tzinfo) may use the very object
    # being called: nothing is taken yet, so it works and nothing panics.
    run = Run(two_steps())
    meddling = Meddling(lambda: run.ready())
    run.start("build", at=datetime(2026, 3, 3, 9, tzinfo=meddling))
    assert meddling.raised == [] and run.state("build") == "running"

    clock = VirtualClock(T0)
    meddling = Meddling(lambda: clock.advance(timedelta(minutes=1)))
    clock.sleep_until(datetime(2026, 3, 3, 10, tzinfo=meddling))
    assert meddling.raised == [] and clock.now == datetime(2026, 3, 3, 10, tzinfo=timezone.utc)

    calendar = IcsCalendar("c")
    schedule = Schedule(
        "s", "FREQ=WEEKLY;BYDAY=TU", start=date(2026, 3, 3), time=time(9), zone="UTC"
    )
    meddling = Meddling(lambda: calendar.add_occurrences(schedule, [], timedelta(hours=1)))
    assert calendar.to_ics(datetime(2026, 3, 3, 9, tzinfo=meddling)).startswith("BEGIN:VCALENDAR")
    assert meddling.raised == []
