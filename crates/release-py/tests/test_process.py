"""Process files: loading (with located errors), plan, explain, next,
train simulation, release notes and tickets."""

import json
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from release_core import (
    ConfigError,
    Fact,
    NextVersion,
    ParseError,
    Pipeline,
    Process,
    ProcessExplanation,
    ReleaseError,
    ReleaseWarning,
    Run,
    Simulation,
    parse_commit,
)

EXAMPLES = Path(__file__).resolve().parents[3] / "examples"
FRAGALYSIS = EXAMPLES / "fragalysis" / "release.toml"
T0 = datetime(2023, 6, 20, 9, 0, tzinfo=timezone.utc)

# The Mozilla Sync train (examples/trains/mozilla-sync.toml) as a process
# file: `[[schedules]]`, and a component whose tags the train makes.
MOZILLA = """\
name = "mozilla-sync"

[[components]]
name = "syncstorage"
tags = { scheme = { kind = "semver", v_prefix = "always" } }

[[environments]]
name = "staging"

[[environments]]
name = "production"
schedule = "release"

[[schedules]]
name = "release"
time = "10:00:00"
zone = "America/Los_Angeles"
holidays = ["us"]
policy = "next_working_day"
recurrence = { start = "2020-11-17", rule = { frequency = "weekly", interval = 2, by_day = ["TU"] } }

[[steps]]
id = "deploy"
kind = "deploy"
environment = "production"

[[trains]]
name = "sync"
schedule = "release"
environments = ["staging", "production"]
cycle_weeks = 2

[trains.rules]
skip_when_unchanged = true
promote = "previous_release_day"

[trains.scenario]
start = "2020-11-17"
weeks = 3
initial = { staging = "v0.0.3", production = "v0.0.2" }
latest = "v0.0.3"
merges = ["2020-11-12", "2020-11-13T17:30:00Z", "2020-11-19", "2020-11-24", "2020-11-30"]
"""

MOZILLA_TABLE = """\
week  staging  production
1     v0.0.4   v0.0.3
2     v0.0.4   v0.0.3
3     v0.0.5   v0.0.4
"""

SMALL = """\
name = "small"

[notes]
other = "Other changes"
ticket_title = "Ship {version}"

[[components]]
name = "app"
tags = { scheme = { kind = "semver" } }

[[steps]]
id = "tag"
kind = "tag"
component = "app"
estimate = "1m..2m"

[[steps]]
id = "deploy"
kind = "deploy"
needs = ["tag"]
estimate = "5m..10m"
"""


@pytest.fixture(scope="module")
def fragalysis() -> Process:
    return Process.from_file(FRAGALYSIS)


# Loading


def test_from_file_takes_str_and_pathlike(fragalysis: Process) -> None:
    by_str = Process.from_file(str(FRAGALYSIS))
    assert by_str.name == fragalysis.name == "fragalysis"
    assert fragalysis.components == ["backend", "frontend", "stack"]
    assert fragalysis.environments == ["staging", "production"]
    assert fragalysis.schedules == []
    assert fragalysis.trains == []
    assert isinstance(fragalysis.pipeline, Pipeline)
    assert fragalysis.pipeline.order()[0] == "choose-versions"
    assert "tag-stack" in fragalysis.pipeline
    assert repr(fragalysis) == "<Process 'fragalysis' (8 steps, 0 schedules, 0 trains)>"
    assert json.loads(fragalysis.to_json())["name"] == "fragalysis"


def test_tag_scheme_of_a_component(fragalysis: Process) -> None:
    scheme = fragalysis.tag_scheme("stack")
    assert scheme is not None
    assert scheme.parse("2023.06.1").version.micro == 1
    assert Process.from_str('[[components]]\nname = "docs"\n').tag_scheme("docs") is None
    with pytest.raises(KeyError, match="viewer"):
        fragalysis.tag_scheme("viewer")


def test_from_str_names_the_source() -> None:
    process = Process.from_str(SMALL)
    assert process.name == "small"
    assert process.pipeline.order() == ["tag", "deploy"]


def test_a_typo_key_is_placed_at_its_line_and_column() -> None:
    text = 'name = "x"\n\n[[steps]]\nid = "a"\nkind = "tag"\n  nedds = []\n'
    with pytest.raises(ConfigError) as info:
        Process.from_str(text, source="release.toml")
    err = info.value
    assert isinstance(err, ValueError) and isinstance(err, ReleaseError)
    assert (err.source_name, err.line, err.column) == ("release.toml", 6, 3)
    assert str(err).startswith("release.toml:6:3: unknown field `nedds`")
    assert "  nedds = []" in str(err)
    assert str(err).splitlines()[-1].endswith("^^^^^")


def test_from_file_errors_name_the_path(tmp_path: Path) -> None:
    path = tmp_path / "release.toml"
    path.write_text(
        '[[environments]]\nname = "production"\nschedule = "weekly"\n',
        encoding="utf-8",
    )
    with pytest.raises(ConfigError) as info:
        Process.from_file(path)
    assert info.value.source_name == str(path)
    assert info.value.line == 3
    assert str(info.value).startswith(f"{path}:3:")
    assert 'schedule "weekly" is not defined' in str(info.value)


def test_a_missing_file_is_python_s_own_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Process.from_file(tmp_path / "absent.toml")


def test_errors_without_a_place_have_none() -> None:
    err = ReleaseError("x")
    assert (err.source_name, err.line, err.column) == (None, None, None)
    with pytest.raises(ConfigError) as info:
        Process.from_str(SMALL).explain("nothing", T0)
    assert info.value.line is None
    assert "neither a step nor an environment" in str(info.value)


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda: Process.from_file(3), "path"),
        (lambda: Process.from_str(b"name = 'x'"), "text"),
    ],
)
def test_loading_wrong_types_name_the_argument(call: object, argument: str) -> None:
    with pytest.raises(TypeError, match=f"^{argument} must be"):
        call()  # type: ignore[operator]


# Plan and explain


def test_plan_of_fragalysis(fragalysis: Process) -> None:
    plan = fragalysis.plan(T0)
    assert plan.process == "fragalysis"
    assert plan.now == T0
    assert plan.release is None
    assert [s.id for s in plan.steps] == fragalysis.pipeline.order()
    first = plan.steps[0]
    assert (first.id, first.kind, first.state, first.manual) == (
        "choose-versions",
        "approve",
        "ready",
        True,
    )
    deploy = plan.step("deploy-production")
    assert deploy is not None
    assert deploy.environment == "production"
    assert deploy.component == "stack"
    assert deploy.estimate == (timedelta(minutes=10), timedelta(minutes=15))
    assert plan.estimate == (timedelta(minutes=33), timedelta(minutes=45))
    assert plan.finish == T0 + timedelta(minutes=45)
    assert plan.critical_path[0] == "choose-versions"
    # Needs unmet: the order says so, no reason is listed.
    assert plan.step("tag-frontend").reasons == []  # type: ignore[union-attr]
    assert len(plan) == 8
    assert repr(plan).startswith("<Plan 'fragalysis' 8 steps, release none")
    assert json.loads(plan.to_json())["steps"][0]["id"] == "choose-versions"


def test_plan_with_a_journal(fragalysis: Process) -> None:
    run = Run(fragalysis.pipeline, requested_by="frank", at=T0)
    run.approve("alice", at=T0, task="choose-versions")
    run.start("tag-backend", at=T0)
    run.succeed("tag-backend", at=T0 + timedelta(minutes=4))
    later = T0 + timedelta(minutes=5)
    for journal in (run, run.journal()):
        plan = fragalysis.plan(later, journal=journal)
        states = {s.id: s.state for s in plan.steps}
        assert states["choose-versions"] == "succeeded"
        assert states["tag-backend"] == "succeeded"
        assert states["tag-frontend"] == "pending"
        frontend = plan.step("tag-frontend")
        assert frontend is not None
        assert frontend.reasons == [
            'gate "backend-ci" pending: missing fact test "backend-ci"'
        ]


def test_next_versions_of_fragalysis(fragalysis: Process) -> None:
    with pytest.warns(ReleaseWarning, match='"junk"') as caught:
        nexts = fragalysis.next(
            date(2023, 6, 20), tags={"stack": ["2023.06.1", "2023.05.3", "junk"]}
        )
    assert len(caught) == 1
    by_name = {n.component: n for n in nexts}
    stack = by_name["stack"]
    assert (stack.current, stack.next) == ("2023.06.1", "2023.06.2")
    assert stack.reason == "format YYYY.0M.MICRO on 2023-06-20"
    assert stack.warnings == [str(caught[0].message)]
    assert stack.warnings[0].startswith('component "stack": invalid tag "junk"')
    assert by_name["backend"].warnings == []
    assert by_name["backend"].current is None
    assert by_name["backend"].next == "2023.06.1"
    assert repr(stack).startswith("NextVersion(component='stack', current='2023.06.1'")
    assert isinstance(stack, NextVersion)
    assert json.loads(stack.to_json())["next"] == "2023.06.2"


def test_next_of_semver_reads_changes() -> None:
    process = Process.from_str(SMALL)
    [app] = process.next(
        date(2023, 6, 20),
        tags={"app": ["1.2.3", "1.2.4"]},
        changes={"app": ["fix: a", parse_commit("feat: b")]},
    )
    assert (app.current, app.next) == ("1.2.4", "1.3.0")
    [app] = process.next(date(2023, 6, 20), tags={"app": ["1.2.4"]}, changes={"app": []})
    assert app.next is None


def test_next_needs_a_date_and_reads_no_clock() -> None:
    process = Process.from_str(SMALL)
    with pytest.raises(TypeError, match="date"):
        process.next()  # type: ignore[call-arg]
    with pytest.raises(TypeError, match="^date must be an aware datetime"):
        process.next(datetime(2023, 6, 20, 9))


def test_next_from_an_instant_takes_the_planned_release_day() -> None:
    """An aware datetime is an instant: its release day is the one `plan`
    finds from it (here the next Sunday/Monday/Wednesday slot in Nairobi)."""
    eat = Process.from_file(EXAMPLES / "eat-slots" / "release.toml")
    now = datetime(2023, 6, 20, 9, tzinfo=timezone.utc)
    plan = eat.plan(now)
    assert plan.release is not None
    day = plan.release.occurrence.date
    [by_instant] = eat.next(now, tags={"application": ["2023.06.05"]})
    [by_day] = eat.next(day, tags={"application": ["2023.06.05"]})
    assert by_instant == by_day
    assert by_instant.next == day.strftime("%Y.%m.%d")


def test_next_refuses_an_unknown_component(fragalysis: Process) -> None:
    with pytest.raises(ConfigError, match="not a component"):
        fragalysis.next(date(2023, 6, 20), tags={"viewer": []})


def test_explain_a_step_with_facts(fragalysis: Process) -> None:
    run = Run(fragalysis.pipeline, requested_by="frank", at=T0)
    run.approve("alice", at=T0, task="choose-versions")
    run.start("tag-backend", at=T0)
    run.succeed("tag-backend", at=T0 + timedelta(minutes=4))
    later = T0 + timedelta(minutes=5)
    waiting = fragalysis.explain("tag-frontend", later, journal=run)
    assert isinstance(waiting, ProcessExplanation)
    assert (waiting.name, waiting.target, waiting.ready, waiting.state) == (
        "tag-frontend",
        "step",
        False,
        "pending",
    )
    assert waiting.reasons == ['gate "backend-ci" pending: missing fact test "backend-ci"']
    assert waiting.verdict.status == "pending"
    assert str(waiting).startswith("step tag-frontend: not ready")
    green = Fact("test", "backend-ci", True, at=T0, source="ci")
    as_dict = json.loads(green.to_json())
    for facts in ([green], [as_dict]):
        ready = fragalysis.explain("tag-frontend", later, facts=facts, journal=run)
        assert ready.ready and ready.state == "ready" and ready.reasons == []
    assert repr(ready) == "<ProcessExplanation step 'tag-frontend' ready=True>"


def test_explain_an_environment(fragalysis: Process) -> None:
    env = fragalysis.explain("production", T0)
    assert env.target == "environment"
    assert not env.ready
    assert 'gate "production-tag" pending: missing fact tag "stack"' in env.reasons
    assert env.until is not None and env.until > T0


@pytest.mark.parametrize(
    ("call", "argument"),
    [
        (lambda p: p.plan("2023-06-20"), "now"),
        (lambda p: p.plan(datetime(2023, 6, 20)), "now"),
        (lambda p: p.plan(T0, facts="test"), "facts"),
        (lambda p: p.plan(T0, facts=[("test", "unit", True)]), r"facts\[0\]"),
        (lambda p: p.plan(T0, journal=[]), "journal"),
        (lambda p: p.explain(3, T0), "target"),
        (lambda p: p.next(T0, tags=["2023.06.1"]), "tags"),
        (lambda p: p.next(T0, tags={"stack": "2023.06.1"}), r'tags\["stack"\]'),
        (lambda p: p.next(T0, changes={"stack": [3]}), r'changes\["stack"\]\[0\]'),
        (lambda p: p.next("2023-06-20"), "date"),
        (lambda p: p.next(datetime(2023, 6, 20)), "date"),
        (lambda p: p.notes(2023, []), "version"),
        (lambda p: p.notes("2023.06.2", "feat: x"), "changes"),
        (lambda p: p.ticket("2023.06.2", [], [("backend", "2023.05.1")]), "pins"),
        (lambda p: p.parse_ticket(None), "body"),
        (lambda p: p.simulate(train=1), "train"),
        (lambda p: p.simulate(scenario="2020-11-17"), "scenario"),
    ],
)
def test_wrong_types_name_the_argument(
    fragalysis: Process, call: object, argument: str
) -> None:
    with pytest.raises(TypeError, match=f"^{argument} must"):
        call(fragalysis)  # type: ignore[operator]


# Trains


def test_mozilla_train_reproduces_the_document_table() -> None:
    process = Process.from_str(MOZILLA, source="mozilla-sync.toml")
    assert process.trains == ["sync"]
    assert process.schedules == ["release"]
    sim = process.simulate()
    assert isinstance(sim, Simulation)
    assert sim.table() == MOZILLA_TABLE
    assert str(sim) == MOZILLA_TABLE
    assert sim.train == "sync"
    assert sim.environments == ["staging", "production"]
    assert len(sim) == 3
    held = [(w.number, w.tag("staging"), w.tag("production")) for w in sim.weeks]
    assert held == [
        (1, "v0.0.4", "v0.0.3"),
        (2, "v0.0.4", "v0.0.3"),
        (3, "v0.0.5", "v0.0.4"),
    ]
    week1 = sim.weeks[0]
    assert week1.release_day == date(2020, 11, 17)
    assert week1.release_at == datetime(2020, 11, 17, 18, 0, tzinfo=timezone.utc)
    assert sim.weeks[1].release_day is None
    staging = week1.environments[0]
    assert (staging.environment, staging.tag, staging.kind, staging.changed) == (
        "staging",
        "v0.0.4",
        "release",
        True,
    )
    assert staging.deployed == [("v0.0.4", "release", week1.release_at)]
    assert not sim.weeks[1].environments[0].changed
    assert sim.weeks[2].environments[0].reasons == [
        "new tag v0.0.5: 3 merges since v0.0.4"
    ]
    assert repr(sim) == "<Simulation 'sync' (3 weeks)>"
    assert repr(week1) == "<Week 1 staging=v0.0.4 production=v0.0.3>"
    assert json.loads(sim.to_json())["weeks"][2]["number"] == 3
    assert sim.report().startswith(
        "week 1 (from 2020-11-16, week 2 of the cycle): release day 2020-11-17\n"
    )


def test_a_scenario_as_a_dict() -> None:
    process = Process.from_str(MOZILLA)
    sim = process.simulate(
        "sync",
        {
            "start": date(2020, 11, 17),
            "weeks": 3,
            "initial": {"staging": "v0.0.3", "production": "v0.0.2"},
            "merges": [
                date(2020, 11, 12),
                datetime(2020, 11, 20, 17, 0, tzinfo=timezone.utc),
                "2020-11-24",
            ],
        },
    )
    assert sim.table() == MOZILLA_TABLE
    assert sim.weeks[2].environments[0].reasons == [
        "new tag v0.0.5: 2 merges since v0.0.4"
    ]


def test_scenario_mistakes() -> None:
    process = Process.from_str(MOZILLA)
    with pytest.raises(ValueError, match='unknown key "week"'):
        process.simulate(scenario={"start": "2020-11-17", "week": 3})
    with pytest.raises(TypeError, match=r'scenario\["merges"\]\[0\] must be'):
        process.simulate(scenario={"start": "2020-11-17", "weeks": 3, "merges": [1]})
    with pytest.raises(ParseError, match="invalid date or instant"):
        process.simulate(scenario={"start": "17 Nov 2020", "weeks": 3})
    with pytest.raises(ConfigError, match='no train named "nightly"'):
        process.simulate("nightly")
    with pytest.raises(ConfigError, match=r"no \[\[trains\]\]"):
        Process.from_str(SMALL).simulate()


def test_plan_with_a_schedule_has_a_release_day() -> None:
    process = Process.from_str(MOZILLA)
    plan = process.plan(datetime(2020, 11, 16, tzinfo=timezone.utc))
    assert plan.release is not None
    assert plan.release.occurrence.date == date(2020, 11, 17)
    assert plan.release.on_duty == []
    [deploy] = plan.steps
    assert deploy.slot is not None
    assert deploy.start == datetime(2020, 11, 17, 18, 0, tzinfo=timezone.utc)
    assert deploy.reasons == ["waits for the release slot 2020-11-17 10:00"]


# Notes and tickets

CHANGES = [
    "feat(viewer): ligand overlay (#412)",
    "fix: login loop (#124)",
    "tidy up imports",
]


def test_notes_use_the_file_s_notes_table(fragalysis: Process) -> None:
    notes = fragalysis.notes("2023.06.2", CHANGES, date=date(2023, 6, 20))
    assert notes.version == "2023.06.2"
    assert notes.date == date(2023, 6, 20)
    assert notes.sections == [
        ("Features", ["**viewer:** ligand overlay (#412)"]),
        ("Bug Fixes", ["login loop (#124)"]),
    ]
    assert notes.left_out == ["tidy up imports"]
    assert notes.breaking is None
    assert notes.markdown == notes.to_markdown() == str(notes)
    assert notes.markdown.startswith("## 2023.06.2 (2023-06-20)\n\n### Features\n")
    assert repr(notes) == "<ReleaseNotes '2023.06.2' (2 entries, 1 left out)>"
    small = Process.from_str(SMALL).notes("1.3.0", CHANGES)
    assert small.sections[-1] == ("Other changes", ["tidy up imports"])
    assert small.left_out == []
    assert json.loads(small.to_json())["version"] == "1.3.0"


def test_ticket_round_trip(fragalysis: Process) -> None:
    pins = {"backend": "2023.05.1", "frontend": "2023.05.4"}
    ticket = fragalysis.ticket("2023.06.2", CHANGES[:2], pins)
    assert ticket.title == "Release 2023.06.2"
    assert ticket.body.startswith("- backend 2023.05.1\n- frontend 2023.05.4\n\n")
    assert ticket.pins == pins
    assert ticket.to_markdown().startswith("# Release 2023.06.2\n\n- backend")
    assert fragalysis.parse_ticket(ticket.body) == pins
    assert fragalysis.parse_ticket(ticket.body, ["frontend"]) == {"frontend": "2023.05.4"}
    assert repr(ticket) == "<Ticket 'Release 2023.06.2' (2 pins)>"
    titled = Process.from_str(SMALL).ticket("1.3.0", [], {"app": "1.3.0"})
    assert titled.title == "Ship 1.3.0"


def test_parse_ticket_refuses_to_guess(fragalysis: Process) -> None:
    with pytest.raises(ParseError, match="frontend"):
        fragalysis.parse_ticket("- backend 2023.05.1\n- #123 fix login\n")
    with pytest.raises(ParseError, match=r"line 1 .*2023\.5\.1"):
        fragalysis.parse_ticket("- backend 2023.5.1\n- frontend 2023.05.4\n")
    with pytest.raises(ValueError, match='"viewer" is not a component'):
        fragalysis.parse_ticket("- viewer 1\n", ["viewer"])


def test_a_lone_surrogate_is_named() -> None:
    """LOW-18: a str holding a lone surrogate said "text must be a str, not
    str"; it now says what is wrong, and where."""
    with pytest.raises(ValueError, match=r"text contains a lone surrogate '\\ud800' at index 3"):
        Process.from_str("abc\ud800")
    with pytest.raises(TypeError, match="text must be a str, not int"):
        Process.from_str(3)  # type: ignore[arg-type]


def test_deprecated_spellings_of_a_process_file_warn_at_their_place() -> None:
    text = SMALL + """
[[windows]]
name = "weekend"
kind = "deny"
zone = "UTC"
span = { repeat = "weekly", start_day = "Sat", start = "00:00:00", end_day = "SU", end = "23:59:00" }
"""
    with pytest.warns(ReleaseWarning) as caught:
        process = Process.from_str(text, "small.toml")
    [w] = caught
    message = str(w.message)
    line = text.splitlines().index(next(l for l in text.splitlines() if '"Sat"' in l)) + 1
    assert message.startswith(f"small.toml:{line}:"), message
    assert '"Sat" is a deprecated spelling of the weekday "SA"' in message
    assert process.name == "small"
