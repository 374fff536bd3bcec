"""A plan's steps carry the file edits they make (`[[steps.edits]]`)."""

from datetime import datetime, timezone
from pathlib import Path

import pytest

from release_core import Process, ReleaseError

FRAGALYSIS = Path(__file__).resolve().parents[3] / "examples" / "fragalysis" / "release.toml"
T0 = datetime(2023, 6, 20, 9, 0, tzinfo=timezone.utc)

APP = """
[[components]]
name = "app"
tags = { template = "v{version}", scheme = { kind = "semver" } }

[[steps]]
id = "bump"
kind = "custom"
component = "app"
edits = [
  { file = "Cargo.toml", key = "package.version", value = "{version}" },
  { file = "CHANGELOG.md" },
]
"""


def test_a_planned_step_lists_its_edits_with_the_plans_values() -> None:
    plan = Process.from_file(FRAGALYSIS).plan(T0)
    pin = plan.step("pin-stack")
    assert pin is not None
    assert pin.edits == [
        {
            "file": "build-main.yaml",
            "format": "yaml",
            "key": "env.BE_IMAGE_TAG",
            "value": "2023.06.1",
        },
        {
            "file": "build-main.yaml",
            "format": "yaml",
            "key": "env.FE_IMAGE_TAG",
            "value": "2023.06.1",
        },
    ]
    tag = plan.step("tag-stack")
    assert tag is not None and tag.edits == []


def test_a_changelog_edit_names_the_release_whose_notes_it_writes() -> None:
    plan = Process.from_str(APP).plan(T0)
    bump = plan.step("bump")
    assert bump is not None
    # Without tags the plan has no SemVer version: the value stays as
    # written, and the notes say no version.
    assert bump.edits == [
        {
            "file": "Cargo.toml",
            "format": "toml",
            "key": "package.version",
            "value": "{version}",
        },
        {
            "file": "CHANGELOG.md",
            "format": "changelog",
            "notes": {"component": "app", "date": "2023-06-20"},
        },
    ]


def test_a_bad_edit_is_refused_when_the_file_is_read() -> None:
    with pytest.raises(ReleaseError, match="its format is not clear from its name"):
        Process.from_str(APP.replace("CHANGELOG.md", "NEWS"))
