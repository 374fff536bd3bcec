"""examples/python/topic_release.py against a fake GitHub: no network."""

import importlib.util
import io
import sys
import warnings
from datetime import datetime, timezone
from pathlib import Path
from types import ModuleType
from typing import Optional

import pytest

from release_core import Process, ReleaseState, ReleaseWarning, Run, Task

ROOT = Path(__file__).resolve().parents[3]
SCRIPT = ROOT / "examples" / "python" / "topic_release.py"
FRAGALYSIS = ROOT / "examples" / "fragalysis" / "release.toml"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("topic_release", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # dataclasses look the module up by name while the class is made.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


topic_release = load_script()
Repo = topic_release.Repo


class FakeGitHubClient:
    """Repositories of one topic and their tags, in memory."""

    def __init__(self, repos: dict[Repo, list[str]]) -> None:
        self.repos = repos
        self.created: list[tuple[str, str]] = []
        self.searches: list[tuple[str, Optional[str]]] = []

    def repos_with_topic(self, topic: str, org: Optional[str]) -> list[Repo]:
        self.searches.append((topic, org))
        return list(self.repos)

    def tags(self, repo: Repo) -> list[str]:
        return list(self.repos[repo])

    def create_release(self, repo: Repo, tag: str) -> None:
        self.created.append((repo.full_name, tag))


def fake() -> FakeGitHubClient:
    return FakeGitHubClient({
        Repo("xchem/fragalysis-backend", "production"): ["2023.05.1", "2023.06.1"],
        Repo("xchem/fragalysis-frontend", "production"): ["2023.06.1", "2023.06.2"],
        Repo("xchem/fragalysis-stack", "master"): ["2023.06.1", "latest"],
        Repo("xchem/fragalysis-legacy", archived=True): [],
        Repo("xchem/fragalysis-docs"): [],
        Repo("xchem/fragalysis-api"): ["2023.07.1"],
    })


def run(argv: list[str], client: FakeGitHubClient) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    # An empty environment: no step context unless a test gives one.
    code = topic_release.main(argv, client=client, out=out, err=err, env={})
    return code, out.getvalue(), err.getvalue()


BASE = ["release", "-t", "2023.06.2", "-c", "fragalysis", "--org", "xchem",
        "--process", str(FRAGALYSIS)]


# The stack's floating `latest` tag is not of the scheme: the report says
# it was left out.
LEFT_OUT = (
    '; 1 of 2 tags left out, not of format YYYY.0M.MICRO: "latest" (invalid tag "latest" '
    'for format YYYY.0M.MICRO: expected a four-digit year (YYYY) at byte 0, found "late")'
)


def test_dry_run_creates_nothing_and_reports_every_repository() -> None:
    client = fake()
    code, out, err = run(BASE, client)
    assert (code, err) == (0, "")
    assert client.created == []
    assert client.searches == [("fragalysis", "xchem")]
    lines = out.splitlines()
    assert lines[0] == (
        "release 2023.06.2 to topic fragalysis in xchem (tag scheme: components "
        f"backend, frontend, stack of {FRAGALYSIS})"
    )
    assert lines[1:] == [
        "  skip xchem/fragalysis-api: has a newer release 2023.07.1",
        "  tag  xchem/fragalysis-backend: 2023.06.2 on production (latest 2023.06.1)",
        "  tag  xchem/fragalysis-docs: 2023.06.2 on main (first release)",
        "  skip xchem/fragalysis-frontend: already tagged 2023.06.2",
        "  skip xchem/fragalysis-legacy: archived",
        "  tag  xchem/fragalysis-stack: 2023.06.2 on master (latest 2023.06.1)" + LEFT_OUT,
        "dry run: 3 tag(s) would be created; pass --execute to create them",
    ]


def test_execute_creates_exactly_the_missing_tags() -> None:
    client = fake()
    code, out, _ = run([*BASE, "--execute", "--component", "stack"], client)
    assert code == 0
    assert client.created == [
        ("xchem/fragalysis-backend", "2023.06.2"),
        ("xchem/fragalysis-docs", "2023.06.2"),
        ("xchem/fragalysis-stack", "2023.06.2"),
    ]
    assert "(tag scheme: component stack of" in out
    assert out.endswith("3 tag(s) created\n")


def test_a_malformed_tag_is_refused_before_github_is_asked() -> None:
    client = fake()
    argv = ["release", "-t", "2023.6.2", "-c", "fragalysis", "--process", str(FRAGALYSIS),
            "--execute"]
    code, out, err = run(argv, client)
    assert code == 2
    assert out == ""
    assert client.searches == [] and client.created == []
    assert err.startswith("error: tag '2023.6.2' does not fit the tag scheme (components ")
    assert "not zero-padded" in err


def test_a_scheme_argument_replaces_the_process_file() -> None:
    client = FakeGitHubClient({
        Repo("org/api"): ["v1.3.0"],
        Repo("org/web"): ["v1.4.0"],
    })
    argv = ["release", "-t", "v1.4.0", "-c", "viewer", "--scheme", "semver-v",
            "--process", "/nonexistent/release.toml", "--execute"]
    code, out, _ = run(argv, client)
    assert code == 0
    assert client.created == [("org/api", "v1.4.0")]
    assert "skip org/web: already tagged v1.4.0" in out
    code, _, err = run([*argv[:-1], "--scheme", "semver"], FakeGitHubClient({}))
    assert code == 2 and "does not fit the tag scheme" in err


def test_refusals_name_the_problem() -> None:
    code, _, err = run([*BASE, "--component", "viewer"], fake())
    assert code == 2
    assert err == "error: 'viewer' is not a component of 'fragalysis' (backend, frontend, stack)\n"
    code, _, err = run([*BASE[:-2], "--scheme", "calver"], fake())
    assert code == 2 and "unknown --scheme 'calver'" in err


def test_a_broken_process_file_is_reported_with_its_place(tmp_path: Path) -> None:
    path = tmp_path / "release.toml"
    path.write_text('[[components]]\nname = "app"\ntags = { shceme = "semver" }\n',
                    encoding="utf-8")
    code, _, err = run(["release", "-t", "1.0.0", "-c", "x", "--process", str(path)], fake())
    assert code == 2
    assert err.startswith(f"error: {path}:3:")


def test_the_script_imports_without_requests(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "requests", None)  # import requests -> ImportError
    module = load_script()
    assert hasattr(module, "GitHubClient")
    with pytest.raises(SystemExit, match="pip install requests"):
        module.GitHubClient()


def test_without_a_tag_the_process_computes_it_and_a_real_run_records_it(tmp_path) -> None:  # type: ignore[no-untyped-def]
    state = tmp_path / "release-state.json"
    argv = ["release", "-c", "fragalysis", "--org", "xchem", "--process", str(FRAGALYSIS),
            "--component", "stack", "--now", "2023-06-20T09:00:00Z", "--state", str(state)]
    client = fake()
    code, out, err = run(argv, client)
    assert (code, err) == (0, "")
    assert out.startswith("release 2023.06.2 to topic fragalysis")
    assert not state.exists()  # a dry run writes nothing
    code, out, err = run([*argv, "--execute"], client)
    assert code == 0, err
    assert f"recorded stack 2023.06.2 in {state}" in out
    recorded = topic_release.release_core.ReleaseState.from_json(state.read_text())
    assert recorded.released["stack"]["tag"] == "2023.06.2"
    before = state.read_bytes()
    run(argv, client)  # another dry run leaves the file byte-identical
    assert state.read_bytes() == before


RELEASE_GUIDE = ROOT / "examples" / "release-guide" / "release.toml"


def train() -> FakeGitHubClient:
    return FakeGitHubClient({
        Repo("org/api"): ["v1.4.0", "latest"],
        Repo("org/web"): ["v1.5.0"],
        Repo("org/old", archived=True): ["v1.0.0"],
    })


def test_as_a_step_of_release_run_the_tag_comes_from_the_step_context() -> None:
    # What `release run examples/release-guide/release.toml` hands its
    # tag-applications step: RELEASE_TAG and RELEASE_COMPONENT; the topic
    # is the component's `repository = "topic:release-train"`.
    env = {"RELEASE_TAG": "v1.5.0", "RELEASE_COMPONENT": "applications", "RELEASE_STEP": "x"}
    argv = ["release", "--process", str(RELEASE_GUIDE)]
    client = train()
    out, err = io.StringIO(), io.StringIO()
    code = topic_release.main(argv, client=client, out=out, err=err, env=env)
    assert (code, err.getvalue()) == (0, "")
    assert client.searches == [("release-train", None)]
    assert client.created == []
    lines = out.getvalue().splitlines()
    assert lines[0] == (
        "release v1.5.0 to topic release-train (tag scheme: component applications "
        f"of {RELEASE_GUIDE})"
    )
    assert lines[-1] == "dry run: 1 tag(s) would be created; pass --execute to create them"
    code = topic_release.main([*argv, "--execute"], client=client, out=out, err=err, env=env)
    assert code == 0
    assert client.created == [("org/api", "v1.5.0")]


def test_an_explicit_tag_wins_over_the_step_context() -> None:
    env = {"RELEASE_TAG": "v1.5.0", "RELEASE_COMPONENT": "applications"}
    out, err = io.StringIO(), io.StringIO()
    code = topic_release.main(
        ["release", "-t", "v1.6.0", "--process", str(RELEASE_GUIDE)],
        client=train(), out=out, err=err, env=env,
    )
    assert code == 0, err.getvalue()
    assert out.getvalue().startswith("release v1.6.0 to topic release-train")


def test_without_a_topic_a_component_that_is_no_topic_is_refused() -> None:
    code, _, err = run(["release", "-t", "2023.06.2", "--process", str(FRAGALYSIS),
                        "--component", "stack"], fake())
    assert code == 2
    assert err == (
        "error: give --topic: the component's repository is not a topic:NAME "
        "(xchem/fragalysis-stack)\n"
    )


TOPIC_PROCESS = """
name = "topic"

[[components]]
name = "apps"
repository = "topic:fragalysis"
tags = { scheme = { kind = "calver", format = "YYYY.0M.MICRO" } }

[[steps]]
id = "tag-apps"
kind = "tag"
component = "apps"

[[steps]]
id = "announce"
kind = "notify"
needs = ["tag-apps"]
"""

NOW = datetime(2023, 7, 20, 9, 0, tzinfo=timezone.utc)


class ByKind:
    """Tag steps to the topic release, every other step succeeds."""

    def __init__(self, tags: object) -> None:
        self.tags = tags
        self.others: list[str] = []

    def execute(self, task: Task) -> object:
        if task.kind == "tag":
            return self.tags.execute(task)  # type: ignore[attr-defined]
        self.others.append(f"{task.id} {task.context.get('component.apps.tag')}")
        return None


def drive(real: bool, state: Optional[Path] = None) -> tuple[Run, FakeGitHubClient, object]:
    process = Process.from_str(TOPIC_PROCESS)
    client = fake()
    releaser = topic_release.TopicRelease(
        process, client, "fragalysis", org="xchem", real=real,
        state=topic_release.JsonFileStore(str(state)) if state else None,
        clock=lambda: NOW,
    )
    run_ = Run(process)
    tags = [t for repo in client.repos for t in client.repos[repo]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ReleaseWarning)  # `latest` is not of the scheme
        run_.set_release(now=NOW, tags={"apps": tags})
    executor = ByKind(releaser)
    report = run_.drive(executor, clock=NOW)
    assert report["status"] == "succeeded", run_.snapshot()
    # The step after reads the same context: the tag the plan computed.
    assert executor.others == ["announce 2023.07.2"]
    return run_, client, releaser


def test_a_driven_run_releases_the_topic_with_the_tag_from_the_task_context() -> None:
    run_, client, releaser = drive(real=False)
    assert client.created == []
    assert run_.message("tag-apps") == (
        "dry run: 2023.07.2 would be created in xchem/fragalysis-api, "
        "xchem/fragalysis-backend, xchem/fragalysis-docs, xchem/fragalysis-frontend, "
        "xchem/fragalysis-stack"
    )


def test_only_a_real_driven_run_creates_and_records(tmp_path: Path) -> None:
    state = tmp_path / "state.json"
    drive(real=False, state=state)
    assert not state.exists()
    run_, client, _ = drive(real=True, state=state)
    assert len(client.created) == 5
    assert {tag for _, tag in client.created} == {"2023.07.2"}
    recorded = ReleaseState.from_json(state.read_text())
    assert recorded.released["apps"]["tag"] == "2023.07.2"


def test_the_executor_refuses_steps_it_does_not_run() -> None:
    process = Process.from_str(TOPIC_PROCESS)
    releaser = topic_release.TopicRelease(process, fake(), "fragalysis")
    run_ = Run(process)  # no set_release: no tag in the context
    report = run_.drive(releaser, clock=NOW)
    assert report["status"] == "failed"
    assert run_.message("tag-apps") == (
        "tag-apps: no tag for apps in the step context (Run.set_release gives it, "
        "from the existing tags)"
    )
