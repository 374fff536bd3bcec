"""Process.import_run: GitHub's REST responses (the fixtures of
crates/release-core/tests/fixtures/github) as a journal that explain reads
as it reads the equivalent local run."""

import datetime
import json
import pathlib
from typing import Any

import pytest

import release_core

ROOT = pathlib.Path(__file__).resolve().parents[3]
FIXTURES = ROOT / "crates/release-core/tests/fixtures/github"
NOW = datetime.datetime(2024, 5, 3, 9, 0, tzinfo=datetime.timezone.utc)


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def process() -> release_core.Process:
    return release_core.Process.from_file(str(ROOT / "examples/ecr-viewer/release.toml"))


def local_journal() -> str:
    lines = (ROOT / "examples/ecr-viewer/journal.jsonl").read_text().splitlines()
    assert '"waived"' in lines.pop()
    task = "test[gcp-non-integrated-core-sqlserver-vm]"
    name = "test (cloud=gcp, database=sqlserver, integration=non-integrated, schema=core)"
    url = "https://github.com/octo-org/octo-repo/actions/runs/30433642/job/399444507"
    at = "2024-05-02T10:00:00Z"
    lines.append(json.dumps({"at": at, "event": "started", "task": task}))
    lines.append(
        json.dumps({"at": at, "event": "failed", "task": task, "message": f'GitHub job "{name}": failure ({url})'})
    )
    return "\n".join(lines) + "\n"


def test_import_run_gives_a_journal_explain_reads_as_the_local_one() -> None:
    p = process()
    text = p.import_run(
        "github-actions",
        run=load("ecr-viewer/run.json"),
        jobs=load("ecr-viewer/jobs.json"),
        approvals=load("ecr-viewer/approvals.json"),
    )
    header = json.loads(text.splitlines()[0])
    assert header == {"journal": "release-core", "format": 2, "requested_by": "example-requester"}
    first = json.loads(text.splitlines()[1])
    assert first["source"]["engine"] == "github-actions"
    local = local_journal()
    for step in ["final", "test", "release-notes", "notify"]:
        a = p.explain(step, NOW, journal=text)
        b = p.explain(step, NOW, journal=local)
        assert (a.ready, a.done, a.reasons) == (b.ready, b.done, b.reasons), step
    assert not p.explain("final", NOW, journal=text).ready


def test_jobs_may_be_the_list_and_errors_name_the_field() -> None:
    p = process()
    jobs = load("ecr-viewer/jobs.json")["jobs"]
    jobs[1]["name"] = "publish"
    with pytest.raises(release_core.ConfigError, match=r"^jobs: /1/name: job \"publish\" is no step"):
        p.import_run("github-actions", run=load("ecr-viewer/run.json"), jobs=jobs)
    with pytest.raises(release_core.ConfigError, match=r"/jobs/0/run_id: the job belongs to run 29679449"):
        p.import_run(
            "github-actions",
            run=load("published/workflow-run.json"),
            jobs=load("published/job-paginated.json"),
        )
    with pytest.raises(ValueError, match="engine must be"):
        p.import_run("gitlab", run={}, jobs=[])  # type: ignore[arg-type]


def test_an_approval_of_no_manual_step_is_a_warning() -> None:
    approvals = load("ecr-viewer/approvals.json")
    other = json.loads(json.dumps(approvals[0]))
    other["environments"][0]["name"] = "dev"
    approvals.append(other)
    with pytest.warns(release_core.ReleaseWarning, match="approves no manual step"):
        process().import_run(
            "github-actions",
            run=load("ecr-viewer/run.json"),
            jobs=load("ecr-viewer/jobs.json"),
            approvals=approvals,
        )
