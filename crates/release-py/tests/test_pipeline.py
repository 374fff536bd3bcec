"""Pipelines: loading, validation errors, analysis and drawings."""

import json
from datetime import timedelta

import pytest

import release_core
from release_core import ConfigError, ParseError, Pipeline
from pipelines_data import ECR, FRAGALYSIS


def minutes(n: int) -> timedelta:
    return timedelta(minutes=n)


def test_fragalysis_sets_aside_45_minutes() -> None:
    p = Pipeline.from_toml(FRAGALYSIS)
    assert p.name == "fragalysis-production"
    assert len(p) == 7
    path = p.critical_path()
    assert path.steps == [
        "tag-backend", "tag-frontend", "pin-stack", "tag-stack",
        "deploy-stack", "verify", "ticket",
    ]
    assert path.estimate == (minutes(33), minutes(45))
    assert path.max == minutes(45)
    assert path.min == minutes(33)
    assert path.total == (minutes(33), minutes(45))
    assert p.duration() == (minutes(33), minutes(45))
    assert path.unestimated == ["pin-stack", "tag-stack", "ticket"]
    assert path.estimates[0] == ("tag-backend", (minutes(3), minutes(4)))
    assert path.estimates[2] == ("pin-stack", None)
    assert str(path).endswith("ticket (no estimate) = 33m..45m")
    assert json.loads(path.to_json())["estimate"] == "33m..45m"


def test_order_roots_needs_and_steps() -> None:
    p = Pipeline.from_toml(FRAGALYSIS)
    assert p.order()[0] == "tag-backend"
    assert p.order()[-1] == "ticket"
    assert p.roots() == ["tag-backend"]
    assert p.needs("tag-frontend") == ["tag-backend"]
    assert p.dependents("tag-backend") == ["tag-frontend"]
    assert p.gates("deploy-stack") == ["production-tag", "pins"]
    assert p.step("tag-backend")["command"][0] == "gh"
    assert p.step("pin-stack")["metadata"] == {"file": ".github/workflows/build-main.yaml"}
    assert p.estimate("verify") == (minutes(15), minutes(20))
    assert p.estimate("ticket") is None
    assert "verify" in p and "nope" not in p and 3 not in p
    with pytest.raises(KeyError, match="unknown task \"nope\""):
        p.needs("nope")


def test_round_trips() -> None:
    p = Pipeline.from_toml(FRAGALYSIS)
    assert Pipeline.from_json(p.to_json()) == p
    assert Pipeline.from_toml(p.to_toml()) == p
    d = p.to_dict()
    again = Pipeline(
        d["steps"], name=d["name"], components=d["components"],
        environments=d["environments"],
    )
    assert again == p


def test_builder_form() -> None:
    p = Pipeline(
        [
            {"id": "tag-backend", "kind": "tag", "estimate": "3m..4m"},
            {"id": "tag-frontend", "kind": "tag", "needs": ["tag-backend"], "estimate": "5m..6m"},
            {"id": "tag-stack", "kind": "tag", "needs": ["tag-frontend"], "estimate": "10m..15m"},
            {"id": "verify", "kind": "test", "needs": ["tag-stack"], "estimate": "15m..20m"},
        ],
        name="demo",
    )
    assert p.critical_path().estimate == (minutes(33), minutes(45))
    assert repr(p) == "<Pipeline 'demo' (4 tasks)>"


def test_ecr_matrix_cells() -> None:
    p = Pipeline.from_toml(ECR)
    assert "test[gcp-vm]" in p.ids()
    assert len(p.needs("final")) == 5
    assert p.step("test[gcp-vm]")["id"] == "test"


def test_cycle_names_the_steps() -> None:
    with pytest.raises(ConfigError) as err:
        Pipeline([
            {"id": "a", "kind": "build", "needs": ["b"]},
            {"id": "b", "kind": "build", "needs": ["a"]},
        ])
    assert str(err.value) == 'cycle in needs: "a" needs "b" needs "a"'
    assert isinstance(err.value, ValueError)
    assert isinstance(err.value, release_core.ReleaseError)


def test_unknown_reference_and_bad_text() -> None:
    with pytest.raises(ConfigError, match='"ghost"'):
        Pipeline([{"id": "a", "kind": "build", "needs": ["ghost"]}])
    with pytest.raises(ParseError, match="unknown field `estimat`"):
        Pipeline.from_toml(FRAGALYSIS.replace('estimate = "3m..4m"', 'estimat = "3m..4m"'))
    with pytest.raises(ParseError, match="invalid pipeline JSON"):
        Pipeline.from_json("{")
    with pytest.raises(ParseError, match=r"unknown step kind \"compile\"; expected one of: tag, build"):
        Pipeline([{"id": "a", "kind": "compile"}])


def test_drawings() -> None:
    p = Pipeline.from_toml(ECR)
    assert p.to_dot().startswith('digraph "ecr-viewer" {\n')
    assert "  n9 -.-> n10\n" in p.to_mermaid()


def test_type_errors() -> None:
    with pytest.raises(TypeError):
        Pipeline("steps")
    with pytest.raises(TypeError):
        Pipeline([{"id": "a", "kind": "build", "estimate": object()}])
    with pytest.raises(TypeError):
        Pipeline.from_toml(3)  # type: ignore[arg-type]
