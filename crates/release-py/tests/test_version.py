"""Versions and schemes: parse, order, hash, next, pre-releases, promote."""

from __future__ import annotations

import os
import subprocess
import warnings
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Optional

import pytest

import release_core as rc
from release_core import (
    ConfigError,
    ParseError,
    RefusedError,
    ReleaseError,
    ReleaseWarning,
    Scheme,
    TagScheme,
    Version,
)

SEMVER = Scheme.semver()
CALVER = Scheme.calver("YYYY.0M.MICRO")


def test_str_round_trips_exactly() -> None:
    for text in ["1.2.3", "v1.2.3", "3.6.7-rc2", "1.0.0-rc.10"]:
        assert str(SEMVER.parse(text)) == text
    with pytest.warns(ReleaseWarning, match="uppercase"):
        assert str(SEMVER.parse("v1.0.0-Beta+exp.sha.5114f85")) == "v1.0.0-Beta+exp.sha.5114f85"
    assert str(CALVER.parse("2023.06.10")) == "2023.06.10"


def test_repr() -> None:
    assert repr(Version("v1.2.3")) == "Version('v1.2.3')"
    assert repr(CALVER.parse("2023.06.1")) == "Version('2023.06.1', scheme=Scheme.calver('YYYY.0M.MICRO'))"
    v = CALVER.parse("2023.06.1")
    assert eval(repr(v), {"Version": Version, "Scheme": Scheme}) == v


def test_ordering_follows_precedence() -> None:
    tags = ["1.0.0", "1.0.0-rc.10", "1.0.0-rc1", "1.0.0-rc.2", "0.9.9", "1.0.0-beta", "1.0.0-alpha.1"]
    ordered = [str(v) for v in sorted(Version(t) for t in tags)]
    assert ordered == ["0.9.9", "1.0.0-alpha.1", "1.0.0-beta", "1.0.0-rc1", "1.0.0-rc.2", "1.0.0-rc.10", "1.0.0"]
    assert Version("1.0.0-rc1") < Version("1.0.0-rc.10")
    assert Version("1.0.0-rc.10") > Version("1.0.0-rc2")
    assert Version("1.2.3") <= Version("v1.2.3") <= Version("1.2.3")
    assert max([Version("1.10.0"), Version("1.9.0")]) == Version("1.10.0")


def test_equality_and_hash_agree() -> None:
    a, b = Version("v1.2.3"), Version("1.2.3")
    assert a == b and hash(a) == hash(b)
    assert len({a, b, Version("1.2.4")}) == 2
    assert Version("1.0.0-rc1") == Version("1.0.0-rc.1")
    assert hash(Version("1.0.0-rc1")) == hash(Version("1.0.0-rc.1"))
    assert Version("1.2.3") != "1.2.3"
    with pytest.raises(TypeError):
        _ = Version("1.2.3") < "1.2.4"  # type: ignore[operator]


def test_properties() -> None:
    v = Version("v3.6.7-rc2+build.5")
    assert (v.kind, v.major, v.minor, v.patch) == ("semver", 3, 6, 7)
    assert v.is_prerelease and v.prerelease == "rc2" and v.build == "build.5"
    assert v.has_v_prefix is True
    assert v.year is None and v.micro is None and v.format is None
    c = CALVER.parse("2023.06.2-rc1")
    assert (c.kind, c.year, c.month, c.micro, c.prerelease) == ("calver", 2023, 6, 2, "rc1")
    assert c.major is None and c.week is None and c.day is None and c.build is None
    assert c.format == "YYYY.0M.MICRO"
    with pytest.warns(ReleaseWarning, match="uppercase"):
        beta = Version("1.0.0-Beta")
    assert beta.warnings and not Version("1.0.0-beta").warnings


def test_parse_error_is_a_value_error_naming_the_input() -> None:
    with pytest.raises(ParseError) as info:
        CALVER.parse("2023.6.2")
    assert isinstance(info.value, ValueError) and isinstance(info.value, ReleaseError)
    assert '"2023.6.2"' in str(info.value) and "zero-padded" in str(info.value)
    with pytest.raises(ValueError, match="1.2"):
        Version("1.2")
    assert ParseError.__module__ == "release_core"
    assert issubclass(ConfigError, ValueError) and not issubclass(RefusedError, ValueError)


def test_conforms() -> None:
    assert CALVER.conforms("2023.06.1") and not CALVER.conforms("2023.6.1")
    assert Scheme.semver("always").conforms("v1.0.0") and not Scheme.semver("always").conforms("1.0.0")
    assert not Scheme.semver("never").conforms("v1.0.0")


def test_scheme_constructors_and_repr() -> None:
    s = Scheme.semver("always", candidate_label="beta", counter_style="attached", require_candidate=True)
    assert (s.kind, s.v_prefix, s.candidate_label, s.counter_style, s.require_candidate) == (
        "semver", "always", "beta", "attached", True,
    )
    assert repr(s) == "Scheme.semver(v_prefix='always', candidate_label='beta', counter_style='attached', require_candidate=True)"
    assert repr(Scheme.semver()) == "Scheme.semver()"
    c = Scheme.calver("YY.0W", first_micro=0)
    assert (c.kind, c.format, c.first_micro, c.v_prefix) == ("calver", "YY.0W", 0, None)
    assert Scheme.calver("YYYY.0M.MICRO") == CALVER and hash(Scheme.calver("YYYY.0M.MICRO")) == hash(CALVER)
    assert Scheme.semver() != CALVER
    assert str(CALVER) == "format YYYY.0M.MICRO"


def test_bad_options() -> None:
    with pytest.raises(ParseError, match='^unknown v prefix policy "sometimes"; expected one of: never, always, optional$'):
        Scheme.semver("sometimes")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="counter style"):
        Scheme.semver(counter_style="glued")  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        Scheme.calver("MM.DD")
    with pytest.raises(TypeError):
        Scheme.calver(2023)  # type: ignore[arg-type]


def test_next_by_level() -> None:
    assert SEMVER.next("v1.2.3", "minor") == Version("v1.3.0")
    assert str(SEMVER.next(Version("v1.2.3"), "prerelease")) == "v1.2.4-rc.1"
    assert str(SEMVER.next("1.3.0-rc.2", "patch")) == "1.3.0"
    assert str(SEMVER.next(None, "minor")) == "0.1.0"
    with pytest.raises(ParseError, match="level"):
        SEMVER.next("1.2.3", "huge")  # type: ignore[arg-type]
    with pytest.warns(ReleaseWarning, match='"pre" is a deprecated spelling of the level "prerelease"'):
        assert str(SEMVER.next("1.2.3", "pre")) == "1.2.4-rc.1"  # type: ignore[arg-type]
    with pytest.raises(ParseError, match='did you mean "minor"'):
        SEMVER.next("1.2.3", "minr")  # type: ignore[arg-type]
    with pytest.warns(ReleaseWarning, match='"Minor" is a deprecated spelling of the level "minor"'):
        assert str(SEMVER.next("1.2.3", "Minor")) == "1.3.0"  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^level must be a str"):
        SEMVER.next("1.2.3", 2)  # type: ignore[arg-type]
    with pytest.raises(ConfigError):
        CALVER.next("2023.06.1", "major")
    assert str(CALVER.next("2023.06.1", "patch")) == "2023.06.2"


def test_next_from_commits() -> None:
    assert str(SEMVER.next_from_commits("1.4.2", ["fix: typo", "feat: dark mode"])) == "1.5.0"
    assert str(SEMVER.next_from_commits("0.8.3", ["refactor!: new config"])) == "0.9.0"
    assert SEMVER.next_from_commits("1.4.2", ["docs: readme"]) is None
    with pytest.raises(TypeError, match="single str"):
        SEMVER.next_from_commits("1.4.2", "feat: x")


def test_next_from_commits_of_calver_takes_the_date() -> None:
    existing = ["2023.06.1", "2023.05.1"]
    june = date(2023, 6, 20)
    nxt = CALVER.next_from_commits("2023.06.1", ["fix: x"], existing=existing, date=june)
    assert str(nxt) == "2023.06.2"
    assert CALVER.next_from_commits("2023.06.1", ["docs: x"], existing=existing, date=june) is None
    with pytest.raises(ConfigError, match="reads no clock"):
        CALVER.next_from_commits("2023.06.1", ["fix: x"], existing=existing)
    with pytest.raises(ConfigError, match="applies to CalVer"):
        SEMVER.next_from_commits("1.4.2", ["fix: x"], date=june)
    with pytest.raises(TypeError, match="date must be a datetime.date"):
        CALVER.next_from_commits(None, ["fix: x"], date="2023-06-20")  # type: ignore[arg-type]


def _cli() -> Path:
    """The `release` binary of this checkout, built when missing."""
    root = Path(__file__).resolve().parents[3]
    target = Path(os.environ.get("CARGO_TARGET_DIR") or root / "target")
    if not target.is_absolute():
        target = root / target
    binary = target / "debug" / ("release.exe" if os.name == "nt" else "release")
    if not binary.exists():
        subprocess.run(["cargo", "build", "-q", "-p", "release-cli"], cwd=root, check=True)
    return binary


@pytest.mark.parametrize(
    ("commit", "expected"),
    [("fix: x", "2023.06.2"), ("docs: x", None)],
)
def test_next_from_commits_of_calver_answers_as_the_cli(commit: str, expected: Optional[str]) -> None:
    tags = ["2023.06.1", "2023.05.1"]
    out = subprocess.run(
        [str(_cli()), "version", "next", "--format", "YYYY.0M.MICRO", "--date", "2023-06-20",
         "--commit", commit, *tags],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    nxt = Scheme.calver("YYYY.0M.MICRO").next_from_commits(
        "2023.06.1", [commit], existing=tags, date=date(2023, 6, 20)
    )
    if expected is None:
        assert out.startswith("no release") and nxt is None
    else:
        assert out == str(nxt) == expected


def test_next_for_date() -> None:
    assert str(CALVER.next_for_date(date(2023, 6, 20), ["2023.05.1", "2023.06.1"])) == "2023.06.2"
    # A stray tag of another format and junk do not count.
    assert str(CALVER.next_for_date(date(2023, 6, 20), ["2023.06.1", "2023.6.5", "latest"])) == "2023.06.2"
    assert str(CALVER.next_for_date(date(2023, 7, 1), [CALVER.parse("2023.06.3")])) == "2023.07.1"
    assert str(CALVER.next_for_date(date(2023, 7, 1))) == "2023.07.1"
    with pytest.raises(RefusedError, match="not newer"):
        CALVER.next_for_date(date(2023, 5, 1), ["2023.06.1"])
    with pytest.raises(ConfigError):
        SEMVER.next_for_date(date(2023, 5, 1))


def test_next_for_date_takes_a_date_only() -> None:
    with pytest.raises(TypeError, match="datetime.date, not a datetime.datetime"):
        CALVER.next_for_date(datetime(2023, 6, 20, 23, 30, tzinfo=timezone.utc), [])
    with pytest.raises(TypeError, match="datetime.date, not str"):
        CALVER.next_for_date("2023-06-20", [])  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"existing\[1\] must be a Version or str, not int"):
        CALVER.next_for_date(date(2023, 6, 20), ["2023.06.1", 5])  # type: ignore[list-item]


def test_prereleases() -> None:
    assert str(SEMVER.start_prerelease("1.3.0")) == "1.3.0-rc.1"
    assert str(Scheme.semver(counter_style="attached").start_prerelease("1.3.0")) == "1.3.0-rc1"
    assert str(SEMVER.bump_prerelease("1.3.0-rc1")) == "1.3.0-rc2"
    assert str(SEMVER.bump_prerelease("1.3.0-rc.9")) == "1.3.0-rc.10"
    with pytest.raises(RefusedError):
        SEMVER.start_prerelease("1.3.0-rc.1")
    with pytest.raises(RefusedError):
        SEMVER.bump_prerelease("1.3.0")


def test_promote() -> None:
    p = SEMVER.promote("3.6.7-rc2")
    assert p.candidate == Version("3.6.7-rc2") and str(p.final) == "3.6.7"
    candidate, final = p
    assert candidate == p.candidate and final == p.final
    assert repr(p) == "Promotion(candidate=Version('3.6.7-rc2'), final=Version('3.6.7'))"
    assert SEMVER.promote("3.6.7").candidate is None


def test_promote_refused_when_candidate_required() -> None:
    strict = Scheme.semver(require_candidate=True)
    with pytest.raises(RefusedError, match="no release candidate of 3.6.7"):
        strict.promote("3.6.7")
    p = strict.promote("3.6.7", ["3.6.7-rc1", "3.6.7-rc2", "junk"])
    assert str(p.candidate) == "3.6.7-rc2"
    with pytest.raises(RefusedError, match="already released"):
        strict.promote("3.6.7-rc2", ["3.6.7"])


def test_hotfix() -> None:
    existing = ["1.4.0", "1.4.1", "1.5.0"]
    assert str(SEMVER.hotfix("1.4.0", existing)) == "1.4.2"
    assert str(SEMVER.hotfix("1.4.0", existing, "suffix")) == "1.4.0-hotfix.1"
    assert str(CALVER.hotfix("2023.06.1", ["2023.06.2"])) == "2023.06.3"
    with pytest.raises(ValueError, match="style"):
        SEMVER.hotfix("1.4.0", existing, "urgent")  # type: ignore[arg-type]


def test_wrong_types_raise_type_error() -> None:
    with pytest.raises(TypeError):
        SEMVER.parse(123)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="version must be a Version or str, not int"):
        SEMVER.start_prerelease(1)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="existing must be an iterable of items, not a single str"):
        SEMVER.promote("1.0.0", "1.0.0-rc.1")
    with pytest.raises(TypeError):
        SEMVER.promote("1.0.0", 5)  # type: ignore[arg-type]


def test_module_metadata() -> None:
    assert isinstance(rc.__version__, str) and rc.__version__.count(".") == 2
    assert sorted(rc.__all__) == sorted(set(rc.__all__))
    for name in rc.__all__:
        assert hasattr(rc, name)


def test_lenient_reads_warn_in_single_value_parses_only() -> None:
    """Version(...), Scheme.parse and TagScheme.parse raise a lenient read as
    a ReleaseWarning; the batch functions stay silent (Version.warnings keeps
    the messages)."""
    with pytest.warns(ReleaseWarning, match='pre-release "RC1" has uppercase letters'):
        Version("1.0.0-RC1")
    with pytest.warns(ReleaseWarning, match="uppercase"):
        CALVER.parse("2023.06.1-RC1")
    with pytest.warns(ReleaseWarning, match="uppercase"):
        TagScheme("v{version}").parse("v1.0.0-RC1")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        tags = ["1.0.0-RC1", "1.0.0"]
        assert rc.sort_tags(tags) == ["1.0.0-RC1", "1.0.0"]
        assert rc.latest_tag(tags) == "1.0.0"
        [pre, _] = rc.parse_tags(tags)
    assert pre is not None and pre.warnings == [
        'pre-release "RC1" has uppercase letters; read as "rc1" (SemVer would order it before any lowercase label)'
    ]


def test_warnings_point_at_the_callers_line() -> None:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        Version("1.0.0-RC1")
    [w] = caught
    assert issubclass(w.category, ReleaseWarning) and issubclass(w.category, UserWarning)
    assert w.filename == __file__
