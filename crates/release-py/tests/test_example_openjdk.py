"""examples/openjdk from Python, against OpenJDK's published, dated
releases (sources in examples/openjdk/README.md): `Process.next_releases`,
`Process.next` and `Process.plan` give, the day before each release, its
date, its version and its kind. The CLI side is
crates/release-cli/tests/example_openjdk.rs."""

from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta, timezone
from collections.abc import Iterable
from pathlib import Path

import pytest

from release_core import Process, ReleaseError

UTC = timezone.utc
OPENJDK = Path(__file__).resolve().parents[3] / "examples" / "openjdk" / "release.toml"

# Feature releases: version and general availability date.
FEATURES = [
    ("21.0.0", date(2023, 9, 19)),  # JDK 21
    ("22.0.0", date(2024, 3, 19)),  # JDK 22
    ("23.0.0", date(2024, 9, 17)),  # JDK 23
    ("24.0.0", date(2025, 3, 18)),  # JDK 24
    ("25.0.0", date(2025, 9, 16)),  # JDK 25
]
# JDK 21 updates (critical patch updates): version and date.
UPDATES = [
    ("21.0.1", date(2023, 10, 17)),
    ("21.0.2", date(2024, 1, 16)),
    ("21.0.3", date(2024, 4, 16)),
    ("21.0.4", date(2024, 7, 16)),
    ("21.0.5", date(2024, 10, 15)),
    ("21.0.6", date(2025, 1, 21)),
    ("21.0.7", date(2025, 4, 15)),
    ("21.0.8", date(2025, 7, 15)),
]


def eve(day: date) -> datetime:
    return datetime.combine(day - timedelta(days=1), time(0, 0), tzinfo=UTC)


def test_each_feature_release_is_a_major_on_its_date() -> None:
    process = Process.from_file(OPENJDK)
    for (previous, _), (version, day) in zip(FEATURES, FEATURES[1:]):
        tags: dict[str, Iterable[str]] = {"jdk": [f"jdk-{previous}"]}
        (release,) = process.next_releases(eve(day), tags=tags, release="feature")
        assert release.release == "feature"
        assert release.date == day
        (v,) = release.versions
        assert (v.component, v.next, v.level) == ("jdk", f"jdk-{version}", "major")
        assert v.level_reason == "major: the feature release day"
        assert json.loads(v.to_json())["level"] == "major"
        plan = process.plan(eve(day), release="feature")
        assert plan.release is not None and plan.release.name == "feature"
        assert plan.release.occurrence.date == day


def test_each_update_is_a_patch_on_its_date() -> None:
    process = Process.from_file(OPENJDK)
    previous = "21.0.0"
    for version, day in UPDATES:
        tags: dict[str, Iterable[str]] = {"jdk21u": [f"jdk-{previous}"]}
        releases = process.next_releases(eve(day), tags=tags)
        assert [r.release for r in releases] == ["feature", "update"]
        update = releases[1]
        assert update.date == day, version
        (v,) = update.versions
        assert (v.component, v.next, v.level, v.release) == (
            "jdk21u",
            f"jdk-{version}",
            "patch",
            "update",
        )
        # `next` on the date itself, for the named release.
        (same,) = process.next(day, tags=tags, release="update")
        assert same.next == f"jdk-{version}"
        plan = process.plan(eve(day), release="update")
        assert plan.release is not None and plan.release.occurrence.date == day
        previous = version


def test_the_first_feature_release_is_declared_never_invented() -> None:
    process = Process.from_file(OPENJDK)
    (release,) = process.next_releases(eve(date(2023, 9, 19)), release="feature")
    assert release.versions[0].next == "jdk-21.0.0"
    assert release.versions[0].reason == "no release yet: the declared first version 21.0.0"
    (update,) = process.next_releases(eve(date(2023, 10, 17)), release="update")
    assert update.versions[0].next is None
    assert update.versions[0].reason.startswith("no release yet, and no first version declared")


def test_an_unknown_release_is_refused_by_name() -> None:
    process = Process.from_file(OPENJDK)
    with pytest.raises(ReleaseError, match='no release named "lts"'):
        process.next_releases(eve(date(2024, 3, 19)), release="lts")
