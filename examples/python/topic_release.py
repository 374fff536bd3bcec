#!/usr/bin/env python3
"""Tag every repository of a GitHub topic, checked and planned by release-core.

A release runbook (seed 001) tags its applications with a small tool,
``python src/main.py release -t <tag> -c <topic>``: every repository that
carries the topic gets the tag. This script does the same, with
release-core deciding what is safe:

- the tag must fit the tag scheme of the process file (the component's
  ``tags`` in ``release.toml``) or of ``--scheme``; a malformed tag is
  refused before GitHub is asked anything;
- archived repositories are skipped, and so are those that already have
  the tag or a newer release;
- nothing is created unless ``--execute`` is given: by default it reports
  what it would do.

Usage::

    python examples/python/topic_release.py release -t 2023.06.2 -c fragalysis \\
        --org xchem --process examples/fragalysis/release.toml --component stack
    python examples/python/topic_release.py release -t v1.4.0 -c ecr-viewer \\
        --scheme semver --execute
    python examples/python/topic_release.py release -c fragalysis --org xchem \\
        --process examples/fragalysis/release.toml --component stack \\
        --state release-state.json --execute     # the next version the process plans

Without ``--tag`` the tag comes from the step context when the script runs
as a step of ``release run`` (``examples/release-guide/release.toml``'s
``tag-applications``: the shell executor sets ``RELEASE_TAG`` and
``RELEASE_COMPONENT``, the names ``Task.env`` gives), else the process
computes it (``Process.next`` from the topic's tags). Without ``--topic``
the topic is the component's ``repository = "topic:NAME"``. With
``--state`` a real run records the release in a release-state file
(``ReleaseState``, ``advance_state``); a dry run never writes it.

In a run driven from Python, ``TopicRelease`` is the executor of the tag
steps: it reads the tag the run's plan computed from ``task.context``
(``Run.set_release``), releases the topic with it (dry unless told
otherwise) and records the release only on a real run.

The GitHub calls sit behind ``GitHubClient`` (``requests``, imported only
when the real client is made, with ``GITHUB_TOKEN`` from the environment);
tests pass a fake client to ``main``.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Mapping, Optional, Protocol, Sequence, TextIO

import release_core
from release_core import Outcome, Process, Scheme, TagScheme, Task


@dataclass(frozen=True)
class Repo:
    """A repository as the search API describes it."""

    full_name: str
    default_branch: str = "main"
    archived: bool = False


class Client(Protocol):
    """What the script needs from GitHub."""

    def repos_with_topic(self, topic: str, org: Optional[str]) -> list[Repo]: ...
    def tags(self, repo: Repo) -> list[str]: ...
    def create_release(self, repo: Repo, tag: str) -> None: ...


class GitHubClient:
    """The GitHub REST API through ``requests``."""

    API = "https://api.github.com"

    def __init__(self, token: Optional[str] = None, timeout: float = 30.0) -> None:
        try:
            import requests  # type: ignore[import-untyped]  # only the real client needs it
        except ImportError as err:  # pragma: no cover - depends on the environment
            raise SystemExit(
                "the GitHub client needs requests: pip install requests"
            ) from err
        self._session = requests.Session()
        self._session.headers["Accept"] = "application/vnd.github+json"
        self._session.headers["X-GitHub-Api-Version"] = "2022-11-28"
        if token:
            self._session.headers["Authorization"] = f"Bearer {token}"
        self._timeout = timeout

    def _pages(
        self, path: str, params: dict[str, object], key: Optional[str] = None
    ) -> list[dict[str, Any]]:
        """Every item of a paginated list (following the ``next`` links)."""
        items: list[dict[str, Any]] = []
        url: Optional[str] = f"{self.API}{path}"
        query: Optional[dict[str, object]] = {**params, "per_page": 100}
        while url:
            response = self._session.get(url, params=query, timeout=self._timeout)
            response.raise_for_status()
            body = response.json()
            items.extend(body[key] if key else body)
            url = response.links.get("next", {}).get("url")
            query = None  # the next link carries the query
        return items

    def repos_with_topic(self, topic: str, org: Optional[str]) -> list[Repo]:
        q = f"topic:{topic}" + (f" org:{org}" if org else "")
        found = self._pages("/search/repositories", {"q": q}, key="items")
        return [
            Repo(r["full_name"], r.get("default_branch") or "main", bool(r.get("archived")))
            for r in found
        ]

    def tags(self, repo: Repo) -> list[str]:
        return [t["name"] for t in self._pages(f"/repos/{repo.full_name}/tags", {})]

    def create_release(self, repo: Repo, tag: str) -> None:
        response = self._session.post(
            f"{self.API}/repos/{repo.full_name}/releases",
            json={
                "tag_name": tag,
                "target_commitish": repo.default_branch,
                "name": tag,
                "generate_release_notes": True,
            },
            timeout=self._timeout,
        )
        response.raise_for_status()


@dataclass(frozen=True)
class Action:
    """What to do with one repository, and why."""

    repo: Repo
    create: bool
    reason: str


class Refused(Exception):
    """The request cannot go ahead (a malformed tag, an unusable scheme)."""


def scheme_from_argument(text: str) -> TagScheme:
    """``semver`` (``1.4.0``), ``semver-v`` (``v1.4.0``) or ``calver:FORMAT``."""
    if text == "semver":
        return TagScheme(scheme=Scheme.semver(v_prefix="never"))
    if text == "semver-v":
        return TagScheme(scheme=Scheme.semver(v_prefix="always"))
    if text.startswith("calver:"):
        return TagScheme(scheme=Scheme.calver(text.removeprefix("calver:")))
    raise Refused(
        f"unknown --scheme {text!r}: expected 'semver', 'semver-v' or 'calver:FORMAT'"
    )


def scheme_from_process(process: Process, component: Optional[str]) -> tuple[TagScheme, str]:
    """The tag scheme of `component`, or the one all tagged components share."""
    if component is not None:
        try:
            scheme = process.tag_scheme(component)
        except KeyError:
            raise Refused(
                f"{component!r} is not a component of {process.name!r} "
                f"({', '.join(process.components)})"
            ) from None
        if scheme is None:
            raise Refused(f"component {component!r} has no tag scheme")
        return scheme, f"component {component}"
    tagged = {c: s for c in process.components if (s := process.tag_scheme(c)) is not None}
    schemes = list(tagged.values())
    if not schemes:
        raise Refused(f"no component of {process.name!r} has a tag scheme; pass --scheme")
    if any(s != schemes[0] for s in schemes[1:]):
        raise Refused(
            "the components' tag schemes differ; name one with --component "
            f"({', '.join(tagged)})"
        )
    return schemes[0], "components " + ", ".join(tagged)


def plan(
    client: Client, scheme: TagScheme, tag: str, topic: str, org: Optional[str]
) -> list[Action]:
    """One action per repository of the topic, in name order."""
    try:
        wanted = scheme.parse(tag).version
    except release_core.ParseError as err:
        raise Refused(f"tag {tag!r} does not fit the tag scheme: {err}") from None
    actions = []
    for repo in sorted(client.repos_with_topic(topic, org), key=lambda r: r.full_name):
        if repo.archived:
            actions.append(Action(repo, False, "archived"))
            continue
        existing = client.tags(repo)
        if tag in existing:
            actions.append(Action(repo, False, f"already tagged {tag}"))
            continue
        # Tags not of the scheme (a floating `latest`, another project's)
        # are left out; the ReleaseWarning saying which is kept for the
        # report instead of going to stderr.
        with warnings.catch_warnings(record=True) as left_out:
            warnings.simplefilter("always", release_core.ReleaseWarning)
            latest = scheme.latest(existing, include_prereleases=False)
        note = "".join(f"; {w.message}" for w in left_out)
        if latest is not None and scheme.parse(latest).version > wanted:
            actions.append(Action(repo, False, f"has a newer release {latest}{note}"))
            continue
        since = f" (latest {latest})" if latest else " (first release)"
        actions.append(Action(repo, True, f"{tag} on {repo.default_branch}{since}{note}"))
    return actions


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="topic_release", description=__doc__.split("\n")[0])
    commands = p.add_subparsers(dest="command", required=True)
    release = commands.add_parser("release", help="tag every repository of a topic")
    release.add_argument(
        "-t",
        "--tag",
        help="the tag to create (default: the next version the process computes for --component "
        "from the topic's tags, on --now)",
    )
    release.add_argument(
        "--now",
        help="the release instant, RFC 3339 (default: the clock); the process's calendar dates CalVer versions",
    )
    release.add_argument(
        "--state",
        help="a release-state JSON file: updated only by --execute, with what --component released",
    )
    release.add_argument(
        "-c",
        "--topic",
        help="the GitHub topic (default: the component's repository, topic:NAME)",
    )
    release.add_argument("--org", help="only repositories of this organisation")
    release.add_argument(
        "--process", default="release.toml", help="the process file (default: release.toml)"
    )
    release.add_argument("--component", help="whose tag scheme the tag must fit")
    release.add_argument(
        "--scheme", help="'semver', 'semver-v' or 'calver:FORMAT' instead of the process file's"
    )
    release.add_argument(
        "--execute", action="store_true", help="create the tags (default: a dry run)"
    )
    return p


def main(
    argv: Optional[Sequence[str]] = None,
    client: Optional[Client] = None,
    out: TextIO = sys.stdout,
    err: TextIO = sys.stderr,
    env: Optional[Mapping[str, str]] = None,
) -> int:
    args = parser().parse_args(argv)
    step = step_context(os.environ if env is None else env)
    args.component = args.component or step.get("component")
    try:
        if args.scheme:
            scheme, origin = scheme_from_argument(args.scheme), f"--scheme {args.scheme}"
        else:
            process = Process.from_file(args.process)
            scheme, origin = scheme_from_process(process, args.component)
            origin = f"{origin} of {args.process}"
        if args.topic is None:
            args.topic = topic_of(None if args.scheme else process, args.component)
        github = client if client is not None else GitHubClient(os.environ.get("GITHUB_TOKEN"))
        if args.tag is None:
            # A step of `release run` is handed the tag its plan computed.
            args.tag = step.get("tag") or next_tag(
                github, process if not args.scheme else None, args
            )
        # Checked before GitHub is asked anything else.
        try:
            scheme.parse(args.tag)
        except release_core.ParseError as e:
            raise Refused(
                f"tag {args.tag!r} does not fit the tag scheme ({origin}): {e}"
            ) from None
        actions = plan(github, scheme, args.tag, args.topic, args.org)
    except (Refused, release_core.ReleaseError) as e:
        print(f"error: {e}", file=err)
        return 2
    where = f" in {args.org}" if args.org else ""
    print(f"release {args.tag} to topic {args.topic}{where} (tag scheme: {origin})", file=out)
    if not actions:
        print("no repository has the topic", file=out)
        return 0
    for action in actions:
        verb = "tag " if action.create else "skip"
        print(f"  {verb} {action.repo.full_name}: {action.reason}", file=out)
    todo = [a for a in actions if a.create]
    if not args.execute:
        print(
            f"dry run: {len(todo)} tag(s) would be created; pass --execute to create them",
            file=out,
        )
        return 0
    for action in todo:
        github.create_release(action.repo, args.tag)
        print(f"created {args.tag} in {action.repo.full_name}", file=out)
    print(f"{len(todo)} tag(s) created", file=out)
    if args.state and args.component:
        record(JsonFileStore(args.state), scheme, args.component, args.tag, instant(args.now))
        print(f"recorded {args.component} {args.tag} in {args.state}", file=out)
    return 0


def step_context(env: Mapping[str, str]) -> dict[str, str]:
    """What ``release run`` hands the step this script runs as: the step
    context's ``tag`` and ``component`` from ``RELEASE_TAG`` and
    ``RELEASE_COMPONENT`` (``Task.env``'s names), when set."""
    names = {"tag": "RELEASE_TAG", "component": "RELEASE_COMPONENT"}
    return {key: env[var] for key, var in names.items() if env.get(var)}


def repository_of(process: Process, component: str) -> Optional[str]:
    """The component's ``repository`` in the process file, if any."""
    components = process.pipeline.to_dict().get("components")
    for c in components if isinstance(components, list) else []:
        if isinstance(c, dict) and c.get("name") == component:
            repository = c.get("repository")
            return repository if isinstance(repository, str) else None
    return None


def topic_of(process: Optional[Process], component: Optional[str]) -> str:
    """The topic a component stands for: ``repository = "topic:NAME"``."""
    repository = repository_of(process, component) if process and component else None
    if repository is None or not repository.startswith("topic:"):
        raise Refused(
            "give --topic: the component's repository is not a topic:NAME "
            f"({repository or 'none'})"
        )
    return repository.removeprefix("topic:")


def instant(text: Optional[str]) -> datetime:
    """``--now``, or the clock."""
    if text is None:
        return datetime.now(timezone.utc)
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def next_tag(github: Client, process: Optional[Process], args: argparse.Namespace) -> str:
    """The next tag of ``--component`` as the process plans it: from the
    tags of its repository among the topic's (all of them when the process
    names none), on ``--now``'s release day."""
    if process is None or not args.component:
        raise Refused("without --tag, give --process and --component: the process computes the next version")
    # The component's own repository (`repository` in release.toml) holds
    # its tags; without one (or for a topic), every repository of the
    # topic does.
    own = repository_of(process, args.component)
    tags: set[str] = set()
    for repo in github.repos_with_topic(args.topic, args.org):
        if own is None or own.startswith("topic:") or repo.full_name == own:
            tags.update(github.tags(repo))
    with warnings.catch_warnings():
        # Foreign tags are reported per repository by the plan below.
        warnings.simplefilter("ignore", release_core.ReleaseWarning)
        versions = process.next(instant(args.now), tags={args.component: sorted(tags)})
    for v in versions:
        if v.component == args.component and v.next is not None:
            return v.next
    raise Refused(f"the process plans no release of {args.component!r}: {versions[0].reason if versions else 'no answer'}")


class JsonFileStore:
    """A release state kept in a JSON file: ``load`` and ``save``, the
    store ``release_core.advance_state`` takes; written atomically (a synced
    temporary file renamed over it)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def load(self) -> Optional[release_core.ReleaseState]:
        if not os.path.exists(self.path):
            return None
        with open(self.path, encoding="utf-8") as f:
            return release_core.ReleaseState.from_json(f.read(), self.path)

    def save(self, state: release_core.ReleaseState) -> None:
        tmp = f"{self.path}.{os.getpid()}.tmp"
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(state.to_json())
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, self.path)


def record(store: JsonFileStore, scheme: TagScheme, component: str, tag: str, at: datetime) -> None:
    """What a real release changes in the state: ``component`` planned at
    ``tag``, then released at ``at`` (a dry run never gets here)."""
    state = store.load() or release_core.ReleaseState()
    store.save(state.planned(component, str(scheme.parse(tag).version), tag))
    release_core.advance_state(store, "real", at)


class TopicRelease:
    """The executor of a process's tag steps in a run driven from Python:
    each tag step releases every repository of ``topic`` with the tag the
    run's plan computed for the step's component (``task.context["tag"]``,
    given by ``Run.set_release``). Dry unless ``real``: a dry run reports
    what it would create and changes nothing; a real one creates the
    releases and, with a ``state`` store, records the release at ``clock()``.
    """

    def __init__(
        self,
        process: Process,
        client: Client,
        topic: str,
        *,
        org: Optional[str] = None,
        real: bool = False,
        state: Optional[JsonFileStore] = None,
        clock: Callable[[], datetime] = lambda: datetime.now(timezone.utc),
    ) -> None:
        self.process = process
        self.client = client
        self.topic = topic
        self.org = org
        self.real = real
        self.state = state
        self.clock = clock
        self.reports: list[str] = []

    def execute(self, task: Task) -> Outcome:
        if task.kind != "tag" or task.component is None:
            return Outcome(False, f"{task.id}: TopicRelease runs tag steps of a component only")
        tag = task.context.get("tag")
        scheme = self.process.tag_scheme(task.component)
        if tag is None or scheme is None:
            return Outcome(
                False,
                f"{task.id}: no tag for {task.component} in the step context "
                "(Run.set_release gives it, from the existing tags)",
            )
        try:
            actions = plan(self.client, scheme, tag, self.topic, self.org)
        except Refused as e:
            return Outcome(False, str(e))
        todo = [a.repo for a in actions if a.create]
        names = ", ".join(r.full_name for r in todo) or "none"
        if not self.real:
            return self.report(f"dry run: {tag} would be created in {names}")
        for repo in todo:
            self.client.create_release(repo, tag)
        if self.state is not None:
            record(self.state, scheme, task.component, tag, self.clock())
        return self.report(f"created {tag} in {names}")

    def report(self, message: str) -> Outcome:
        self.reports.append(message)
        return Outcome(True, message)


if __name__ == "__main__":
    sys.exit(main())
