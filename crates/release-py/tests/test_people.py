"""People in a run from Python: one identity format for ``by=`` and
``requested_by=``, the requester fixed at the start, no self-approval, and no
blank names or reasons (HIGH-3 and MEDIUM-11 of the reliability findings)."""

from datetime import datetime, timedelta, timezone

import pytest

from release_core import Fact, ParseError, Pipeline, RefusedError, ReleaseError, Run, Waiver

T0 = datetime(2026, 12, 3, 9, 0, tzinfo=timezone.utc)

STEPS = [
    {"id": "build", "kind": "build"},
    {
        "id": "deploy",
        "kind": "deploy",
        "needs": ["build"],
        "gates": [{"name": "signoff", "rule": {"approvals": {"role": "qa", "at_least": 1}}}],
    },
    {"id": "sign", "kind": "approve", "needs": ["deploy"]},
]


def started(**kwargs: object) -> Run:
    run = Run(Pipeline(STEPS), requested_by=" Alice ", at=T0)
    run.start("build", at=T0)
    run.succeed("build", at=T0)
    return run


def test_requested_by_is_normalised_and_recorded_first() -> None:
    run = started()
    assert run.requester == "alice"
    assert '"event":"requested","by":"alice"' in run.journal().splitlines()[0]
    assert Run(Pipeline([{"id": "build", "kind": "build"}])).requester is None
    with pytest.raises(TypeError, match="say who requests this release with requested_by="):
        Run(Pipeline(STEPS))


def test_requested_by_needs_its_time_and_a_valid_identity() -> None:
    with pytest.raises(TypeError, match="requested_by= needs at="):
        Run(Pipeline(STEPS), requested_by="alice")
    with pytest.raises(TypeError, match="give both or neither"):
        Run(Pipeline(STEPS), at=T0)
    with pytest.raises(ParseError, match="requested_by: .*non-ASCII"):
        Run(Pipeline(STEPS), requested_by="al\u0131ce", at=T0)
    with pytest.raises(ParseError, match="requested_by: .*blank"):
        Run(Pipeline(STEPS), requested_by="\u200b", at=T0)


def test_the_requester_may_not_approve_by_any_spelling() -> None:
    for spelling in ["alice", "Alice", "alice ", "ALICE"]:
        run = started()
        with pytest.raises(RefusedError, match="alice requested the release"):
            run.approve(spelling, at=T0, role="qa")
    run = started()
    with pytest.raises(ParseError, match="by: .*non-ASCII"):
        run.approve("al\u0131ce", at=T0, role="qa")
    with pytest.raises(ParseError, match="by: .*non-ASCII"):
        run.approve("\u0430lice", at=T0, role="qa")


def test_the_requester_may_not_waive_their_gate_nor_approve_their_step() -> None:
    run = started()
    with pytest.raises(RefusedError, match='may not waive gate "signoff"'):
        run.waive("alice", "hurry", at=T0, task="deploy", gate="signoff")
    run.approve("Bob", at=T0, role="qa")
    run.start("deploy", at=T0)
    run.succeed("deploy", at=T0)
    with pytest.raises(RefusedError, match='may not approve its manual step "sign"'):
        run.approve("alice", at=T0, task="sign")
    run.approve("carol", at=T0, task="sign")
    assert run.status == "succeeded"


def test_the_requester_cannot_change_and_approval_facts_are_refused() -> None:
    run = started()
    later = T0 + timedelta(minutes=1)
    with pytest.raises(RefusedError, match="requester"):
        run.record(Fact("requester", "", "mallory", at=later))
    with pytest.raises(RefusedError, match="approval` fact is refused"):
        run.record(Fact("approval", "qa", "bob", at=later))


def test_blank_names_and_reasons_are_refused() -> None:
    run = started()
    with pytest.raises(ParseError, match="by: .*blank"):
        run.waive("", "", at=T0, task="build")
    with pytest.raises(ParseError, match="by: .*blank"):
        run.approve("", at=T0, role="qa")
    with pytest.raises(ReleaseError, match="must not be blank"):
        run.waive("bob", "\u200b", at=T0, task="deploy", gate="signoff")
    with pytest.raises(ReleaseError, match="must not be blank"):
        run.cancel(at=T0, by="bob", reason=" ")
    with pytest.raises(ParseError, match="blank"):
        Waiver(by="bob", reason="\u200b", at=T0, gate="signoff")
    assert Waiver(by="Bob", reason="qa out", at=T0, gate="signoff").by == "bob"


def test_roles_list_who_may_approve() -> None:
    p = Pipeline(STEPS, roles={"qa": {"members": ["Bob", "carol"]}})
    run = Run(p, requested_by="alice", at=T0)
    with pytest.raises(RefusedError, match=r'dave is not a member of role "qa" \(members: bob, carol\)'):
        run.approve("dave", at=T0, role="qa")
    run.approve("carol", at=T0, role="qa")
    with pytest.raises(ReleaseError, match="self-approval policy"):
        Pipeline(STEPS, roles={"qa": {"members": ["bob"], "self_approval": "sometimes"}})
    with pytest.raises(ReleaseError, match="non-ASCII"):
        Pipeline(STEPS, roles={"qa": {"members": ["al\u0131ce"]}})


def test_a_team_of_one_says_so() -> None:
    p = Pipeline(STEPS, roles={"qa": {"members": ["alice"], "self_approval": "allowed"}})
    run = Run(p, requested_by="alice", at=T0)
    run.start("build", at=T0)
    run.succeed("build", at=T0)
    run.approve("alice", at=T0, role="qa")
    verdict = run.verdict("deploy", now=T0)
    assert verdict.status == "passed"
    assert 'self_approval = "allowed"' in str(verdict)
