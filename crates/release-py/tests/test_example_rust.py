"""examples/rust from Python, against the Rust project's published, dated
facts (sources in examples/rust/README.md: rust-lang/rust RELEASES.md and
the release announcements of blog.rust-lang.org); the CLI side is
crates/release-cli/tests/example_rust.rs."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from release_core import Process, Simulation

RUST = Path(__file__).resolve().parents[3] / "examples" / "rust" / "release.toml"

# Every stable release from 1.80.0 to 1.85.0 and its published date.
STABLE = [
    ("1.80.0", date(2024, 7, 25)),  # RELEASES.md
    ("1.80.1", date(2024, 8, 8)),  # RELEASES.md
    ("1.81.0", date(2024, 9, 5)),  # RELEASES.md
    ("1.82.0", date(2024, 10, 17)),  # RELEASES.md
    ("1.83.0", date(2024, 11, 28)),  # blog: 2024/11/28/Rust-1.83.0
    ("1.84.0", date(2025, 1, 9)),  # blog: 2025/01/09/Rust-1.84.0
    ("1.84.1", date(2025, 1, 30)),  # blog: 2025/01/30/Rust-1.84.1
    ("1.85.0", date(2025, 2, 20)),  # blog: Rust 1.85.0, 2025-02-20
]


def simulation() -> Simulation:
    return Process.from_file(RUST).simulate()


def stable_deployments(sim: Simulation) -> list[tuple[str, str, date]]:
    return [
        (tag, kind, at.date())
        for week in sim.weeks
        for tag, kind, at in week.environments[2].deployed
    ]


def test_stable_releases_on_their_published_dates() -> None:
    sim = simulation()
    assert sim.environments == ["nightly", "beta", "stable"]
    got = stable_deployments(sim)
    assert [(tag, day) for tag, _, day in got] == STABLE
    kinds = {tag: kind for tag, kind, _ in got}
    assert kinds["1.80.1"] == kinds["1.84.1"] == "point"
    assert kinds["1.81.0"] == "release"


def test_a_point_release_changes_stable_only() -> None:
    sim = simulation()
    for point, following in [("1.80.1", "1.81.0"), ("1.84.1", "1.85.0")]:
        week = next(w for w in sim.weeks if any(t == point for t, _, _ in w.environments[2].deployed))
        assert not week.environments[0].changed
        assert all(kind == "build" for _, kind, _ in week.environments[1].deployed)
        tags = [tag for tag, _, _ in stable_deployments(sim)]
        assert tags[tags.index(point) + 1] == following
        assert (STABLE[[v for v, _ in STABLE].index(point)][1], "point release of stable") in week.days


def minor(version: str) -> int:
    return int(version.split(".")[1])


def test_beta_holds_the_next_minor_while_stable_is_on_a_line() -> None:
    sim = simulation()
    for week in sim.weeks:
        stable, beta, nightly = (week.tag(e) for e in ("stable", "beta", "nightly"))
        assert stable is not None and beta is not None and nightly is not None
        assert "-beta." in beta and minor(beta) == minor(stable) + 1, (week.number, beta, stable)
        assert "-nightly." in nightly and minor(nightly) == minor(stable) + 2
    first = sim.weeks[0]
    assert (first.tag("beta"), first.tag("stable")) == ("1.81.0-beta.1", "1.80.0")
    week_3 = sim.weeks[2]
    assert (week_3.tag("beta"), week_3.tag("stable")) == ("1.81.0-beta.2", "1.80.1")


def test_brief_keeps_release_days_and_changes_only() -> None:
    sim = simulation()
    brief = sim.brief()
    numbers = [w.number for w in brief.weeks]
    assert 5 not in numbers and numbers[:5] == [1, 2, 3, 4, 6]
    assert all(w.release_day is not None or any(h.changed for h in w.environments) for w in brief.weeks)
    release_days = [w.release_day for w in brief.weeks if w.release_day is not None]
    assert release_days == [day for v, day in STABLE if v.endswith(".0")]
    table = sim.brief_table()
    assert table.splitlines()[0].split() == ["week", "date", "nightly", "beta", "stable"]
    assert table.splitlines()[3].split() == ["3", "2024-08-08", "1.82.0-nightly.1", "1.81.0-beta.2", "1.80.1*"]
    assert brief.brief_table() == table


def test_a_scenario_with_points_from_python() -> None:
    process = Process.from_file(RUST)
    sim = process.simulate(
        scenario={
            "start": "2024-07-25",
            "weeks": 3,
            "initial": {"nightly": "1.81.0-nightly.1", "beta": "1.80.0-beta.1", "stable": "1.79.0"},
            "points": {"stable": [date(2024, 8, 1)]},
        }
    )
    assert [w.tag("stable") for w in sim.weeks] == ["1.80.0", "1.80.1", "1.80.1"]
