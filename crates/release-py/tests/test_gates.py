"""Gates: facts, rules, waivers and verdicts with every reason."""

import json
from datetime import datetime, timedelta, timezone

import pytest

from release_core import Fact, Gate, ParseError, Verdict, Waiver, evaluate

T0 = datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc)

CELLS = [
    "test[aws-integrated]",
    "test[azure-integrated]",
    "test[aws-sqlserver]",
    "test[azure-sqlserver]",
]


def matrix_gate() -> Gate:
    cells: list[dict[str, str]] = [{"id": c} for c in CELLS]
    cells.append({"id": "test[gcp-vm]", "requirement": "advisory"})
    return Gate("matrix", {"matrix": {"step": "test", "cells": cells}})


def test_ecr_matrix_with_a_waived_cell() -> None:
    facts = [Fact("test", c, True, source="ci", at=T0) for c in CELLS[:3]]
    facts.append(Fact("test", "test[azure-sqlserver]", False, source="ci", at=T0))
    facts.append(Fact("test", "test[gcp-vm]", False, source="ci", at=T0))
    gate = matrix_gate()
    failed = gate.evaluate(facts, now=T0)
    assert failed.status == "failed"
    assert not failed.ok
    assert [r.status for r in failed.failures] == ["failed"]

    waiver = Waiver(
        cell="test[azure-sqlserver]", by="maria", reason="known flaky driver", at=T0
    )
    verdict = evaluate([gate], facts, [waiver], now=T0)
    assert verdict.ok
    statuses = {r.status for r in verdict.reasons}
    assert "waived" in statuses
    assert verdict.waivers == [waiver]
    waived = [r for r in verdict.reasons if r.status == "waived"]
    assert waived[0].waiver == waiver
    text = str(verdict)
    assert "maria" in text and "known flaky driver" in text
    data = json.loads(verdict.to_json())
    assert data["status"] == verdict.status
    assert verdict.to_dict() == data
    # The advisory cell is reported, not blocking.
    assert any("gcp-vm" in r.detail and not r.blocking for r in verdict.reasons)


def test_missing_fact_is_pending_and_named() -> None:
    gates = [
        Gate("soak", {"soak": {"environment": "staging", "at_least": "24h"}}),
        Gate("blockers", {"count": {"name": "open_blockers", "at_most": 0}}),
    ]
    facts = [Fact("deployed", "staging", "2023.06.2", source="awx", at=T0)]
    v = evaluate(gates, facts, now=T0 + timedelta(hours=1))
    assert v.status == "pending"
    assert ("count", "open_blockers") in v.missing
    assert v.next_change == T0 + timedelta(hours=24)
    pending = [r for r in v.reasons if r.gate == "blockers"][0]
    assert pending.missing == ("count", "open_blockers")
    soak = [r for r in v.reasons if r.gate == "soak"][0]
    assert soak.until == T0 + timedelta(hours=24)


def test_gate_waiver_and_approvals() -> None:
    qa = Gate("qa", {"approvals": {"role": "qa", "at_least": 1}})
    facts = [
        Fact("requester", "", "alice", at=T0),
        Fact("approval", "qa", "alice", at=T0),
    ]
    v = qa.evaluate(facts, now=T0)
    # The requester's own approval does not count.
    assert v.status == "pending" and not v.ok
    w = Waiver(gate="qa", by="bob", reason="QA out sick", at=T0)
    assert w.target_kind == "gate" and w.target == "qa"
    assert qa.evaluate(facts, [w], now=T0).status == "waived"


def test_fact_values_and_round_trips() -> None:
    pin = Fact("pin", "backend", {"tag": "2023.06.1", "branch": "production"}, at=T0)
    assert pin.value == {"tag": "2023.06.1", "branch": "production"}
    assert Fact.from_json(pin.to_json()) == pin
    count = Fact("count", "open_blockers", 0, at=T0, expires=T0 + timedelta(days=1))
    assert count.value == 0 and count.expires == T0 + timedelta(days=1)
    assert Fact("test", "unit", True, at=T0).value is True
    g = Gate.from_json('{"name": "t", "rule": {"test": "unit"}}')
    assert g.rule == {"test": "unit"}
    assert Gate.from_json(g.to_json()) == g
    assert isinstance(evaluate(g, [], now=T0), Verdict)


def test_errors() -> None:
    with pytest.raises(ParseError, match='unknown fact kind "tests"'):
        Fact("tests", "unit", True, at=T0)  # type: ignore[arg-type]
    with pytest.raises(ParseError, match='did you mean "test"'):
        Fact("tests", "unit", True, at=T0)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^kind must be a str"):
        Fact(1, "unit", True, at=T0)  # type: ignore[arg-type]
    with pytest.raises(ParseError, match="invalid rule"):
        Gate("x", {"tests": "unit"})
    with pytest.raises(TypeError, match="aware"):
        Fact("test", "unit", True, at=datetime(2026, 3, 3))
    with pytest.raises(TypeError):
        Fact("test", "unit", 1.5, at=T0)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        Gate("x", "unit")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        evaluate([Gate("t", {"test": "unit"})], ["fact"], now=T0)  # type: ignore[list-item]
    with pytest.raises(TypeError):
        evaluate(["gate"], [], now=T0)  # type: ignore[list-item]
    with pytest.raises(TypeError, match="exactly one"):
        Waiver(gate="a", cell="b", by="x", reason="y", at=T0)
