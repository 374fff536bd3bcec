"""Pre-release stages from Python: declared on SemVer and CalVer schemes,
PEP 440's own; moving through them, never backwards; strict and lenient
reads of labels outside them."""

from __future__ import annotations

import pytest

from release_core import RefusedError, ReleaseWarning, Scheme


def test_pep440_stages() -> None:
    s = Scheme.pep440()
    assert s.stages == ["a", "b", "rc"]
    assert s.stage_of("3.14.0b3") == ("b", 3)
    assert s.stage_of("3.14.0") is None
    assert str(s.next_stage("3.14.0a7")) == "3.14.0b1"
    assert str(s.next_stage("3.14.0rc2")) == "3.14.0"
    assert str(s.move_to_stage("3.14.0b3", "b")) == "3.14.0b4"
    assert str(s.move_to_stage("3.14.0b3", "final")) == "3.14.0"
    with pytest.raises(RefusedError, match="backwards"):
        s.move_to_stage("3.14.0b3", "a")


def test_declared_stages_are_strict_unless_lenient() -> None:
    strict = Scheme.semver(stages=["alpha", "beta", "rc"])
    assert strict.stages == ["alpha", "beta", "rc"]
    assert not strict.conforms("1.2.0-hotfix.1")
    assert not strict.conforms("1.2.0-RC.1")
    assert str(strict.move_to_stage("1.0.0-beta.2", "rc")) == "1.0.0-rc.1"
    assert repr(strict) == "Scheme.semver(stages=['alpha', 'beta', 'rc'])"
    lenient = Scheme.semver(stages=["alpha", "beta", "rc"], lenient_stages=True)
    with pytest.warns(ReleaseWarning, match="not a stage"):
        assert str(lenient.parse("1.2.0-hotfix.1")) == "1.2.0-hotfix.1"
    with pytest.warns(ReleaseWarning) as caught:
        lenient.parse("1.2.0-RC.1")
    messages = [str(w.message) for w in caught]
    assert any("uppercase" in m for m in messages), messages
    assert any("spelled otherwise" in m for m in messages), messages
    assert lenient.lenient_stages


def test_lenient_without_stages_is_a_config_error() -> None:
    from release_core import ConfigError

    with pytest.raises(ConfigError, match="stages"):
        Scheme.semver(lenient_stages=True)


def test_wrong_types_are_refused() -> None:
    with pytest.raises(TypeError):
        Scheme.semver(stages="alpha")  # type: ignore[arg-type]
