"""Process.export from Python: the same workflow the CLI writes, its notes,
and errors for what cannot be exported."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from release_core import ConfigError, ParseError, Process

ROOT = Path(__file__).resolve().parents[3]
EAT_SLOTS = ROOT / "examples" / "eat-slots" / "release.toml"


def test_export_gives_the_workflow_and_the_settings() -> None:
    out = Process.from_file(EAT_SLOTS).export("github-actions", "examples/eat-slots/release.toml")
    assert sorted(out["files"]) == [
        ".github/release-environments/eat-slots.json",
        ".github/workflows/eat-slots.yml",
    ]
    workflow = out["files"][".github/workflows/eat-slots.yml"]
    assert "gate-deploy-production:" in workflow
    assert out == Process.from_file(EAT_SLOTS).export("github-actions", "examples/eat-slots/release.toml")
    holiday = [n for n in out["notes"] if "not a holiday" in n["what"]]
    assert holiday and holiday[0]["enforced"] and holiday[0]["about"] == "deploy-production"


def test_the_cli_prints_the_same_workflow() -> None:
    release = ROOT / "target" / "debug" / "release"
    if not release.exists():
        pytest.skip("the CLI is not built")
    printed = subprocess.run(
        [str(release), "export", "github-actions", "examples/eat-slots/release.toml"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    out = Process.from_file(EAT_SLOTS).export("github-actions", "examples/eat-slots/release.toml")
    assert printed == out["files"][".github/workflows/eat-slots.yml"]


def test_bad_arguments_are_refused() -> None:
    process = Process.from_file(EAT_SLOTS)
    with pytest.raises(ParseError, match="unknown export target"):
        process.export("gitlab")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="wait_minutes"):
        process.export("github-actions", wait_minutes=0)
    clash = Process.from_str(
        '[[steps]]\nid = "a.b"\nkind = "build"\n[[steps]]\nid = "a_b"\nkind = "build"\n'
    )
    with pytest.raises(ConfigError, match="both map to the job id"):
        clash.export("github-actions")
