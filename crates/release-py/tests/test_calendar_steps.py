"""Steps on the calendar from Python: a step starts at a milestone and is
due by one; the plan says by how much a step misses its deadline."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from release_core import Process

UTC = timezone.utc

PROCESS = """
name = "yearly"
release_day = "final"

[[schedules]]
name = "final"
time = "12:00"
zone = "UTC"
recurrence = { start = "2024-10-01", rule = { frequency = "monthly", interval = 12, by_day = ["1TU"] } }

[[milestones.final]]
name = "feature freeze"
offset = "1TU of month -5"

[[steps]]
id = "bump-version"
kind = "custom"
estimate = "1h"
due = "feature freeze"

[[steps]]
id = "branch"
kind = "custom"
estimate = "30m"
not_before = "feature freeze"
due = { milestone = "feature freeze", offset = "+1 days" }
"""


def test_plan_shows_start_due_and_what_is_missed() -> None:
    process = Process.from_str(PROCESS)
    plan = process.plan(datetime(2024, 3, 1, tzinfo=UTC))
    freeze = datetime(2024, 5, 7, 12, tzinfo=UTC)
    bump = plan.step("bump-version")
    branch = plan.step("branch")
    assert bump is not None and branch is not None
    assert bump.due == freeze and bump.not_before is None
    # Nothing placed on the calendar starts before the release day.
    assert bump.start == datetime(2024, 10, 1, 12, tzinfo=UTC)
    assert bump.misses_by == timedelta(days=147, hours=1)
    assert branch.not_before == freeze and branch.start == freeze
    assert branch.due == freeze + timedelta(days=1) and branch.misses_by is None
    assert branch.reasons == ["waits for feature freeze at 2024-05-07 12:00 UTC", "due by feature freeze plus 1 day at 2024-05-08 12:00 UTC"]
    explained = process.explain("branch", datetime(2024, 5, 9, tzinfo=UTC))
    assert "overdue since 2024-05-08 12:00 UTC (due by feature freeze plus 1 day)" in explained.reasons
