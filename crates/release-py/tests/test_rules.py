"""Conventional commits and tag classification."""

from __future__ import annotations

import pytest

import release_core as rc
from release_core import Scheme, TagRule, Version

FRAGALYSIS = [
    TagRule.production_grade(),
    TagRule.conforms("calver-style", "style", Scheme.calver("YYYY.0M.MICRO")),
]


def test_parse_commit() -> None:
    c = rc.parse_commit("feat(api)!: drop v1 endpoints (#42)\n\nCloses #40")
    assert (c.kind, c.scope, c.breaking, c.subject, c.pr, c.references) == (
        "feat", "api", True, "drop v1 endpoints (#42)", 42, [42, 40],
    )
    assert c.level == "major"
    plain = rc.parse_commit("update readme")
    assert plain.kind is None and plain.subject == "update readme" and plain.level is None
    assert rc.parse_commit("fix: x") == rc.parse_commit("fix: x")
    assert repr(rc.parse_commit("fix: x")) == "Change(kind='fix', scope=None, breaking=False, subject='x')"


def test_bump_level() -> None:
    assert rc.bump_level(["fix: a", "feat: b"]) == "minor"
    assert rc.bump_level(["docs: a", "chore: b"]) is None
    assert rc.bump_level(["feat!: b"], Version("0.8.3")) == "minor"
    assert rc.bump_level([rc.parse_commit("feat!: b")], Version("1.8.3")) == "major"
    assert rc.bump_level([]) is None
    with pytest.raises(TypeError, match=r"messages\[0\] must be str or Change, not int"):
        rc.bump_level([1])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="single str"):
        rc.bump_level("feat: x")


def test_slug() -> None:
    assert rc.slug("Release/2023.06.1-RC1") == "release-2023.06.1-rc1"
    assert rc.slug("v1.2.3+build") == "v1.2.3-build"


def test_classification_of_2023_6_2() -> None:
    c = rc.classify("2023.6.2", FRAGALYSIS)
    assert c.accepted
    assert c.tag == "2023.6.2"
    assert len(c.verdicts) == 2 and not c.failures
    assert len(c.warnings) == 1
    warning = c.warnings[0]
    assert warning.rule == "calver-style" and warning.severity == "style" and not warning.passed
    assert "zero-padded" in warning.detail
    assert str(c).startswith("2023.6.2: accepted")


def test_classification_rejects_a_candidate() -> None:
    c = rc.classify("2023.06.2-rc1", FRAGALYSIS)
    assert not c.accepted
    assert [v.rule for v in c.failures] == ["production-grade"]
    assert rc.classify("2023.06.2", FRAGALYSIS).accepted and not rc.classify("2023.06.2", FRAGALYSIS).warnings


def test_rules() -> None:
    rule = TagRule.pattern("no-v", "hard", r"^[0-9]", slug=False)
    assert (rule.name, rule.severity, rule.kind, rule.pattern_text, rule.slug, rule.scheme) == (
        "no-v", "hard", "pattern", "^[0-9]", False, None,
    )
    assert rule.check("1.0.0").passed and not rule.check("v1.0.0").passed
    conforms = FRAGALYSIS[1]
    assert conforms.kind == "conforms" and conforms.scheme == Scheme.calver("YYYY.0M.MICRO")
    assert conforms.pattern_text is None
    assert TagRule.production_grade() == TagRule.production_grade()
    with pytest.raises(rc.ParseError, match="invalid pattern"):
        TagRule.pattern("bad", "hard", "(")
    with pytest.raises(ValueError, match="severity"):
        TagRule.pattern("x", "soft", ".")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"rules\[0\] must be a TagRule, not str"):
        rc.classify("1.0.0", ["production-grade"])  # type: ignore[list-item]
