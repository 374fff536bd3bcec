"""Hostile input (the reliability findings): bounded time, refused counters,
and no Rust panic ever escaping as a ``BaseException``."""

from __future__ import annotations

import time
from datetime import date, datetime, timezone
from typing import Callable

import pytest

import release_core as rc
from release_core import ConfigError, ParseError, RefusedError, ReleaseError, Scheme, TagScheme, Version
from release_core import Pipeline, Run, Task, VirtualClock

MAX = "18446744073709551615"

# Generous for a debug build on a loaded machine; the exponential matcher
# was still running after 40 s.
BOUND = 2.0

panic_for_test: Callable[[str], None] = getattr(rc._release_core, "_panic_for_test")


def timed(f: Callable[[], object]) -> None:
    start = time.monotonic()
    f()
    took = time.monotonic() - start
    assert took < BOUND, f"took {took:.2f} s"


def test_a_long_tag_against_many_placeholders_fails_quickly() -> None:
    """HIGH-6: a 4 KB tag against four placeholders."""
    scheme = TagScheme("{org}-{env}-{name}-{version}", Scheme.semver())
    tag = "-".join(["x"] * 2000)

    def parse() -> None:
        with pytest.raises(ParseError):
            scheme.parse(tag)

    timed(parse)
    scheme = TagScheme("{a}-{b}-{c}-{d}-{e}-{version}", Scheme.semver())
    tag = "-".join(["x"] * 200)
    timed(parse)
    assert scheme.parse(tag + "-1.2.3").version == Version("1.2.3")


@pytest.mark.parametrize(
    "text",
    [f"1.0.0-rc.{MAX}", f"1.0.0-{MAX}", f"1.0.0-rc{MAX}"],
)
def test_a_prerelease_counter_at_the_limit_is_refused(text: str) -> None:
    """MEDIUM-8: refused with a message, not a PanicException or a wrap to 0."""
    s = Scheme.semver()
    with pytest.raises(RefusedError, match=f"the number {MAX} cannot be incremented"):
        s.next(Version(text), "prerelease")
    with pytest.raises(RefusedError, match=f"the number {MAX} cannot be incremented"):
        s.bump_prerelease(Version(text))


def test_a_hotfix_counter_at_the_limit_is_refused() -> None:
    s = Scheme.semver()
    base = Version(f"1.4.0-hotfix.{MAX}")
    with pytest.raises(RefusedError, match=f"the number {MAX} cannot be incremented"):
        s.hotfix(base, [base], style="suffix")


def test_a_four_digit_year_refuses_year_10000_and_accepts_9999() -> None:
    """LOW-17, through the Python types (a `date` stops at 9999)."""
    s = Scheme.calver("YYYY.0M.0D")
    assert str(s.next_for_date(date(9999, 12, 31))) == "9999.12.31"
    with pytest.raises(ConfigError, match="cannot represent 3000"):
        Scheme.calver("0Y.0M.MICRO").next_for_date(date(3000, 1, 1))


def test_a_panic_is_a_release_error_with_a_bug_report_hint() -> None:
    """The module never lets a Rust panic escape as a BaseException."""
    with pytest.raises(ReleaseError) as caught:
        panic_for_test("invariant broken")
    text = str(caught.value)
    assert text.startswith("invariant broken")
    assert "this is a bug" in text and "/issues" in text
    assert not isinstance(caught.value, (ParseError, ConfigError, RefusedError))
    try:
        panic_for_test("caught by except Exception")
    except Exception as e:  # noqa: BLE001 - the point of the test
        assert isinstance(e, ReleaseError)
    # Errors keep their own classes and places.
    with pytest.raises(ParseError):
        Version("not a version")


class PanicsInside:
    """An executor that calls into release-core, which panics."""

    def __init__(self, catch: bool) -> None:
        self.catch = catch
        self.seen: list[BaseException] = []

    def execute(self, task: Task) -> bool:
        if not self.catch:
            panic_for_test("inside an executor")
        try:
            panic_for_test("inside an executor")
        except Exception as e:  # noqa: BLE001 - the point of the test
            self.seen.append(e)
            return False
        return True


def test_a_panic_inside_an_executor_is_a_release_error() -> None:
    """Executors are called back from Rust: a panic under one is caught too."""
    pipeline = Pipeline([{"id": "build", "kind": "build"}])
    clock = VirtualClock(datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc))
    # Caught by the executor's `except Exception`: the task fails.
    executor = PanicsInside(catch=True)
    run = Run(pipeline)
    run.drive(executor, clock=clock)
    assert run.state("build") == "failed"
    assert isinstance(executor.seen[0], ReleaseError)
    # Not caught: pyo3 resumes the panic in the driver, which fails the task
    # with it (one task's bug never takes the run down) and raises nothing.
    run = Run(pipeline)
    run.drive(PanicsInside(catch=False), clock=clock)
    assert run.state("build") == "failed"
    assert "the executor panicked: inside an executor" in (run.message("build") or "")
