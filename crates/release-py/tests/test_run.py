"""Runs: events, Python executors, tracebacks, journal replay."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from release_core import Outcome, Pipeline, RefusedError, Run, Task, VirtualClock
from pipelines_data import FRAGALYSIS

T0 = datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc)


def fanout() -> Pipeline:
    return Pipeline([
        {"id": "build-a", "kind": "build"},
        {"id": "deploy-a", "kind": "deploy", "needs": ["build-a"]},
        {"id": "build-b", "kind": "build"},
        {"id": "deploy-b", "kind": "deploy", "needs": ["build-b"]},
    ])


class Raises:
    def __init__(self) -> None:
        self.calls: list[str] = []

    def execute(self, task: Task) -> object:
        self.calls.append(task.id)
        if task.id == "build-a":
            raise RuntimeError("disk full")
        return {"ok": True, "message": "done", "elapsed": timedelta(minutes=2)}


def test_an_exception_fails_the_task_with_its_traceback() -> None:
    run = Run(fanout())
    clock = VirtualClock(T0)
    report = run.drive(Raises(), clock=clock)
    assert report["status"] == "failed"
    assert run.state("build-a") == "failed"
    message = run.message("build-a") or ""
    assert "Traceback (most recent call last)" in message
    assert "RuntimeError: disk full" in message
    assert "in execute" in message
    # Unrelated tasks went on; downstream of the failure did not.
    assert run.state("build-b") == "succeeded"
    assert run.state("deploy-b") == "succeeded"
    assert run.state("deploy-a") == "pending"
    blocked = {b.task: b for b in run.blocked()}
    assert blocked["deploy-a"].reasons[0]["reason"] == "needs"
    assert clock.now == T0 + timedelta(minutes=4)


def test_journal_replay_equals_the_live_state() -> None:
    p = fanout()
    run = Run(p)
    run.drive(Raises(), clock=VirtualClock(T0), parallel=2)
    text = run.journal()
    assert all(json.loads(line) for line in text.splitlines())
    again = Run.replay(p, text)
    assert again == run
    assert again.snapshot() == run.snapshot()
    assert len(again) == len(run)


def test_return_shapes_and_manual_steps() -> None:
    p = Pipeline.from_toml(FRAGALYSIS)
    seen: list[tuple[str, int]] = []

    class Exec:
        def execute(self, task: Task) -> object:
            seen.append((task.id, task.attempt))
            if task.id == "tag-backend":
                assert task.command is not None and task.command[0] == "gh"
                return Outcome(True, "tagged", facts=[("tag", "backend", "2026.03.1")])
            return None

    run = Run(p, requested_by="frank", at=T0)
    report = run.drive(Exec(), clock=VirtualClock(T0))
    assert seen[:4] == [("tag-backend", 1), ("tag-frontend", 1), ("pin-stack", 1), ("tag-stack", 1)]
    # deploy-stack is held by its production gates (tag and pins facts).
    assert run.state("deploy-stack") != "succeeded"
    assert report["status"] in ("needs_input", "waiting", "in_progress")
    assert any(f.kind == "tag" and f.source == "tag-backend" for f in run.facts)
    verdict = run.verdict("deploy-stack", now=T0)
    assert not verdict.ok
    assert "deploy-stack" in {b.task for b in run.blocked()}


def test_false_and_bad_returns_fail_without_crashing() -> None:
    p = Pipeline([{"id": "a", "kind": "build"}, {"id": "b", "kind": "build"}])

    class Exec:
        def execute(self, task: Task) -> object:
            return False if task.id == "a" else 42

    run = Run(p)
    run.drive(Exec(), clock=T0)
    assert run.message("a") == "execute returned False"
    assert "TypeError: execute must return" in (run.message("b") or "")


def test_retries_and_manual_events() -> None:
    p = Pipeline([
        {"id": "build", "kind": "build", "max_attempts": 2},
        {"id": "qa", "kind": "approve", "needs": ["build"], "manual": True},
    ])
    run = Run(p, requested_by="dave", at=T0)
    run.start("build", at=T0)
    run.fail("build", "flaky", at=T0)
    assert run.ready() == ["build"]
    run.start("build", at=T0)
    run.succeed("build", at=T0)
    assert run.attempts("build") == 2
    assert run.awaiting_approval() == ["qa"]
    run.approve("carol", task="qa", at=T0)
    assert run.status == "succeeded"
    assert Run.replay(p, run.journal()) == run


def test_a_failed_task_is_retried_after_a_fix() -> None:
    p = Pipeline([
        {"id": "build", "kind": "build"},
        {"id": "ship", "kind": "deploy", "needs": ["build"]},
    ])
    run = Run(p)
    run.start("build", at=T0)
    run.fail("build", "broken", at=T0)
    assert run.status == "failed" and run.ready() == []
    with pytest.raises(RefusedError):
        run.retry("ship", at=T0)
    run.retry("build", at=T0)
    assert run.ready() == ["build"] and run.attempts("build") == 0
    run.start("build", at=T0)
    run.succeed("build", at=T0)
    assert run.ready() == ["ship"]
    assert Run.replay(p, run.journal()) == run


def test_type_errors_and_refusals() -> None:
    p = fanout()
    with pytest.raises(TypeError):
        Run("pipeline")  # type: ignore[arg-type]
    run = Run(p)
    with pytest.raises(TypeError, match="execute"):
        run.drive(object(), clock=T0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="clock"):
        run.drive(Raises(), clock="now")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="aware"):
        run.start("build-a", at=datetime(2026, 3, 3))
    with pytest.raises(KeyError):
        run.start("nope", at=T0)
    with pytest.raises(RefusedError):
        run.succeed("build-a", at=T0)
    with pytest.raises(TypeError):
        Outcome(1)  # type: ignore[arg-type]


def test_time_an_executor_adds_to_the_clock_is_kept() -> None:
    """LOW-20: the driver worked on a copy of the VirtualClock and wrote it
    back at the end, so an executor's ``clock.advance`` was lost."""
    clock = VirtualClock(T0)
    seen: list[datetime] = []

    class Advances:
        def execute(self, task: Task) -> object:
            seen.append(clock.now)
            clock.advance(timedelta(hours=1))
            return True

    run = Run(Pipeline([{"id": "a", "kind": "build"}, {"id": "b", "kind": "build", "needs": ["a"]}]))
    run.drive(Advances(), clock=clock)
    assert seen == [T0, T0 + timedelta(hours=1)]
    assert clock.now == T0 + timedelta(hours=2)
    # The journal dates b's start after the hour a's executor added.
    events = [json.loads(line) for line in run.journal().splitlines() if line.strip()]
    starts = [e["at"] for e in events if e["event"] == "started"]
    assert starts == ["2026-03-03T09:00:00Z", "2026-03-03T10:00:00Z"]


def test_the_drive_report_is_plain_data() -> None:
    run = Run(fanout())
    clock = VirtualClock(T0)
    report = run.drive(Raises(), clock=clock)
    assert report == {
        "status": "failed",
        "executed": 3,  # not deploy-a, downstream of the failure
        "finished_at": T0 + timedelta(minutes=4),
        "wakeup": None,
    }
    assert report["finished_at"].tzinfo is not None


def test_set_release_changes_nothing_when_its_warning_is_an_error() -> None:
    import warnings

    from release_core import Process, ReleaseWarning

    process = Process.from_str(
        'name = "p"\n[[components]]\nname = "app"\n'
        'tags = { scheme = { kind = "calver", format = "YYYY.0M.MICRO" } }\n'
        '[[steps]]\nid = "tag"\nkind = "tag"\ncomponent = "app"\n'
    )
    run = Run(process)
    seen: list[dict[str, str]] = []

    class Reads:
        def execute(self, task: Task) -> None:
            seen.append(task.context)

    with warnings.catch_warnings():
        warnings.simplefilter("error", ReleaseWarning)
        with pytest.raises(ReleaseWarning, match="latest"):
            run.set_release(now=T0, tags={"app": ["2026.02.1", "latest"]})
    run.drive(Reads(), clock=T0)
    assert "tag" not in seen[0]
    again = Run(process)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReleaseWarning)
        again.set_release(now=T0, tags={"app": ["2026.02.1", "latest"]})
    seen.clear()
    again.drive(Reads(), clock=T0)
    assert seen[0]["tag"] == "2026.03.1"
