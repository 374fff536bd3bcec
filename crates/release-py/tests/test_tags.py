"""Tag schemes, templates, floating tags and the batch functions."""

from __future__ import annotations

import pytest

import release_core as rc
from release_core import ConfigError, ParseError, Scheme, Tag, TagScheme, Version

MIXED = [
    "v1.10.0",
    "junk",
    "1.9.0",
    "v1.10.0-rc.1",
    "2023.06.1",
    "nightly-2023",
    "1.10.0-rc2",
    "v2.0.0-beta",
    "release-foo",
    "1.2",
    "0.1.0",
]


def test_component_template() -> None:
    backend = TagScheme("{component}-v{version}", component="backend")
    tag = backend.parse("backend-v1.4.0")
    assert isinstance(tag, Tag)
    assert tag.text == str(tag) == "backend-v1.4.0"
    assert tag.version == Version("1.4.0")
    assert tag.fields == {}
    assert backend.tag(tag.version) == "backend-v1.4.0"
    assert backend.tag("2.0.0-rc.1") == "backend-v2.0.0-rc.1"
    with pytest.raises(ParseError, match="frontend-v2.0.0"):
        backend.parse("frontend-v2.0.0")
    assert backend.version_of("frontend-v2.0.0") is None
    assert (backend.template, backend.component, backend.scheme) == ("{component}-v{version}", "backend", Scheme.semver())
    assert repr(backend) == "TagScheme('{component}-v{version}', scheme=Scheme.semver(), component='backend')"


def test_component_missing_is_a_config_error() -> None:
    unbound = TagScheme("{component}-v{version}")
    with pytest.raises(ConfigError, match="component"):
        unbound.parse("backend-v1.0.0")
    with pytest.raises(ConfigError):
        TagScheme("release")
    with pytest.raises(ConfigError):
        TagScheme("{component}-v{version}", component=" ")


def test_free_fields() -> None:
    t = TagScheme("release-{name}-{version}")
    assert t.fields == ["name"]
    tag = t.parse("release-my-app-1.2.3")
    assert tag.fields == {"name": "my-app"} and tag.field("name") == "my-app" and tag.field("x") is None
    assert t.tag("1.2.3", name="web") == "release-web-1.2.3"
    with pytest.raises(ConfigError, match="name"):
        t.tag("1.2.3")
    with pytest.raises(TypeError, match="field name must be str"):
        t.tag("1.2.3", name=5)  # type: ignore[arg-type]


def test_calver_tags() -> None:
    t = TagScheme("v{version}", Scheme.calver("YYYY.0M.MICRO"))
    assert str(t.parse("v2023.06.1").version) == "2023.06.1"
    assert t.tag(Scheme.calver("YYYY.0M.MICRO").parse("2023.06.2")) == "v2023.06.2"


def test_tag_equality_and_hash() -> None:
    t = TagScheme()
    assert t.parse("1.0.0") == t.parse("1.0.0")
    assert len({t.parse("1.0.0"), t.parse("1.0.0")}) == 1
    assert repr(t.parse("1.0.0")) == "Tag('1.0.0')"


def test_parse_all() -> None:
    result = TagScheme().parse_all(MIXED)
    assert [t.text for t in result.tags] == ["v1.10.0", "1.9.0", "v1.10.0-rc.1", "1.10.0-rc2", "v2.0.0-beta", "0.1.0"]
    rejected = dict(result.rejected)
    assert set(rejected) == {"junk", "2023.06.1", "nightly-2023", "release-foo", "1.2"}
    assert all(isinstance(e, ParseError) for e in rejected.values())
    assert "junk" in str(rejected["junk"])
    assert [t.text for t in result.sorted()] == ["0.1.0", "1.9.0", "v1.10.0-rc.1", "1.10.0-rc2", "v1.10.0", "v2.0.0-beta"]
    assert result.latest() is not None and result.latest().text == "v2.0.0-beta"  # type: ignore[union-attr]
    assert result.latest(include_prereleases=False).text == "v1.10.0"  # type: ignore[union-attr]
    assert result.versions()[0] == Version("1.10.0")
    assert repr(result) == "TagList(tags=6, rejected=5)"


@pytest.mark.filterwarnings("ignore:.* tags? left out, not of:release_core.ReleaseWarning")
def test_sort_tags_returns_the_original_strings() -> None:
    ordered = rc.sort_tags(MIXED)
    assert ordered == ["0.1.0", "1.9.0", "v1.10.0-rc.1", "1.10.0-rc2", "v1.10.0", "v2.0.0-beta"]
    by_identity = {id(t) for t in MIXED}
    assert all(id(t) in by_identity for t in ordered)
    assert rc.sort_tags([]) == []
    assert rc.sort_tags(iter(["2.0.0", "1.0.0"])) == ["1.0.0", "2.0.0"]
    assert rc.sort_tags(("b", "1.0.0")) == ["1.0.0"]


def test_sort_is_stable_for_equal_versions() -> None:
    assert rc.sort_tags(["v1.2.3", "1.2.3", "1.0.0"]) == ["1.0.0", "v1.2.3", "1.2.3"]
    assert rc.sort_tags(["1.2.3", "v1.2.3"]) == ["1.2.3", "v1.2.3"]


@pytest.mark.filterwarnings("ignore:.* tags? left out, not of:release_core.ReleaseWarning")
def test_latest_tag() -> None:
    assert rc.latest_tag(MIXED) == "v2.0.0-beta"
    assert rc.latest_tag(MIXED, include_prereleases=False) == "v1.10.0"
    assert rc.latest_tag(["junk", "latest"]) is None
    assert rc.latest_tag([]) is None
    # Of equal versions the first in the input wins.
    assert rc.latest_tag(["1.2.3", "v1.2.3"]) == "1.2.3"


@pytest.mark.filterwarnings("ignore:.* tags? left out, not of:release_core.ReleaseWarning")
def test_batch_functions_with_other_schemes() -> None:
    calver = Scheme.calver("YYYY.0M.MICRO")
    tags = ["2023.06.1", "2023.6.5", "2023.05.2", "latest", "2024.01.1-rc1"]
    assert rc.sort_tags(tags, calver) == ["2023.05.2", "2023.06.1", "2024.01.1-rc1"]
    assert rc.latest_tag(tags, calver, include_prereleases=False) == "2023.06.1"
    backend = TagScheme("{component}-v{version}", component="backend")
    repo = ["backend-v1.2.0", "frontend-v9.0.0", "backend-v1.10.0", "v3.0.0"]
    assert rc.sort_tags(repo, backend) == ["backend-v1.2.0", "backend-v1.10.0"]
    assert rc.latest_tag(repo, scheme=backend) == "backend-v1.10.0"
    assert backend.sort(repo) == ["backend-v1.2.0", "backend-v1.10.0"]
    assert backend.latest(repo) == "backend-v1.10.0"
    assert rc.sort_tags(["v1.0.0", "1.0.1"], Scheme.semver("always")) == ["v1.0.0"]


def test_parse_tags() -> None:
    parsed = rc.parse_tags(["v1.0.0", "junk", "2.0.0-rc1"])
    assert parsed == [Version("1.0.0"), None, Version("2.0.0-rc.1")]


def test_batch_functions_reject_wrong_types() -> None:
    with pytest.raises(TypeError, match=r"tags\[1\] must be str, not int"):
        rc.sort_tags(["1.0.0", 1])  # type: ignore[list-item]
    with pytest.raises(TypeError, match=r"tags\[0\] must be str, not bytes"):
        rc.latest_tag([b"1.0.0"])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="single str"):
        rc.sort_tags("1.0.0")
    with pytest.raises(TypeError):
        rc.sort_tags(5)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="scheme must be a Scheme, a TagScheme or None"):
        rc.sort_tags(["1.0.0"], "semver")  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        TagScheme().parse(5)  # type: ignore[arg-type]


def test_floating_tags() -> None:
    s = Scheme.semver()
    assert rc.floating_tags(s.parse("3.6.7")) == ["3.6", "3", "latest"]
    assert rc.floating_tags(s.parse("3.6.7"), [s.parse("3.7.0")]) == ["3.6"]
    assert rc.floating_tags(s.parse("3.5.9"), [s.parse("3.6.7"), s.parse("3.5.8")]) == ["3.5"]
    assert rc.floating_tags(s.parse("3.6.8-rc.1")) == []
    assert rc.floating_tags(s.parse("v3.6.7")) == ["v3.6", "v3", "latest"]
    calver = Scheme.calver("YYYY.0M.MICRO")
    assert rc.floating_tags(calver.parse("2023.06.2")) == ["2023.06", "latest"]
    with pytest.raises(TypeError, match="version must be a Version, not str"):
        rc.floating_tags("3.6.7")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"existing\[0\] must be a Version"):
        rc.floating_tags(s.parse("3.6.7"), ["3.7.0"])  # type: ignore[list-item]


def test_floating_tags_through_a_template() -> None:
    backend = TagScheme("{component}-v{version}", component="backend")
    repo = ["backend-v3.6.6", "backend-v3.7.0", "frontend-v9.0.0", "junk"]
    assert backend.floating_tags("3.6.7", repo) == ["backend-v3.6"]
    assert backend.floating_tags("3.8.0", repo) == ["backend-v3.8", "backend-v3", "latest"]


@pytest.mark.filterwarnings("ignore:.* tags? left out, not of:release_core.ReleaseWarning")
def test_non_ascii_and_invalid_text() -> None:
    assert rc.sort_tags(["vé1.0.0", "1.0.0", "ünïcode"]) == ["1.0.0"]
    with pytest.raises(UnicodeEncodeError):
        rc.sort_tags(["1.0.0", "\ud800"])


def test_batch_functions_say_which_tags_they_left_out() -> None:
    with pytest.warns(rc.ReleaseWarning) as caught:
        assert rc.sort_tags(["1.0.0", "junk", "v2", "x", "y"]) == ["1.0.0"]
    (only,) = caught
    message = str(only.message)
    assert message.startswith('4 of 5 tags left out, not of SemVer: "junk" (invalid tag "junk"')
    assert message.endswith(", and 1 more")
    with pytest.warns(rc.ReleaseWarning, match=r'^1 of 2 tags left out, not of SemVer: "latest"'):
        assert rc.latest_tag(["1.0.0", "latest"]) == "1.0.0"
    # Every tag of the scheme: no warning (-W error would raise it).
    assert rc.sort_tags(["2.0.0", "1.0.0"]) == ["1.0.0", "2.0.0"]
