"""Release state: the record, its transitions, its check against tags, and
stores that are any object with ``load`` and ``save``."""

from __future__ import annotations

import datetime

import pytest

import release_core

AT = datetime.datetime(2023, 6, 20, 9, 0, tzinfo=datetime.timezone.utc)


class Store:
    """A store as a script would write one: here, in memory."""

    def __init__(self, state: release_core.ReleaseState | None = None) -> None:
        self.state = state
        self.saves = 0

    def load(self) -> release_core.ReleaseState | None:
        return self.state

    def save(self, state: release_core.ReleaseState) -> None:
        self.state = state
        self.saves += 1


def test_a_real_release_advances_and_is_saved() -> None:
    store = Store(release_core.ReleaseState().planned("stack", "2023.06.2", "2023.06.2"))
    after = release_core.advance_state(store, "real", AT)
    assert store.saves == 1
    assert after.released == {
        "stack": {"version": "2023.06.2", "tag": "2023.06.2", "at": "2023-06-20T09:00:00Z"}
    }
    assert after.next == {}


@pytest.mark.parametrize("mode", ["dry_run", "override"])
def test_a_dry_run_and_an_override_never_save(mode: str) -> None:
    planned = release_core.ReleaseState().planned("stack", "2023.06.2", "2023.06.2")
    store = Store(planned)
    after = release_core.advance_state(store, mode, AT)  # type: ignore[arg-type]
    assert store.saves == 0
    assert after == planned
    assert after.to_json() == planned.to_json()


def test_the_json_round_trips() -> None:
    state = release_core.ReleaseState().planned("app", "1.2.0", "v1.2.0").after_release("real", AT)
    assert release_core.ReleaseState.from_json(state.to_json()) == state
    with pytest.raises(release_core.ParseError, match="unknown field `nxt`"):
        release_core.ReleaseState.from_json('{"format": 1, "nxt": {}}', "s.json")


def test_disagreements_with_the_tags_are_values() -> None:
    state = release_core.ReleaseState().planned("app", "1.2.0", "v1.2.0").after_release("real", AT)
    scheme = release_core.TagScheme("v{version}")
    assert state.check("app", ["v1.1.0", "v1.2.0"], scheme) == []
    found = state.check("app", ["v1.2.0", "v1.3.0"], scheme)
    assert [d["kind"] for d in found] == ["tag_newer"]
    assert "v1.3.0" in found[0]["message"]


def test_an_unknown_mode_is_refused_with_the_names() -> None:
    with pytest.raises(ValueError, match="dry_run"):
        release_core.ReleaseState().after_release("dry", AT)  # type: ignore[arg-type]


def test_the_evidence_of_a_run_has_the_clis_field_names() -> None:
    pipeline = release_core.Pipeline([
        {"id": "build", "kind": "build"},
        {"id": "deploy", "kind": "deploy", "needs": ["build"]},
    ])
    run = release_core.Run(pipeline)

    class Ok:
        def execute(self, task: release_core.Task) -> object:
            return True

    run.drive(Ok(), clock=release_core.VirtualClock(AT))
    record = release_core.evidence(run)
    assert record["format"] == 1
    assert record["status"] == "succeeded"
    assert [s["id"] for s in record["steps"]] == ["build", "deploy"]  # type: ignore[attr-defined]
    assert sorted(record) == sorted(
        ["format", "status", "requested_by", "started", "finished", "tags", "pins",
         "steps", "facts", "approvals", "waivers"]
    )
