"""`StandIn.forget`, which a reset of an app calls: the app's journal entries and fault
rules go, its clock and its journal's numbering stay, and other apps keep everything."""

from __future__ import annotations

from contactd.standin.faults import FaultRule, plan_faults
from contactd.standin.journal import Exchange
from contactd.standin.state import StandIn


def _entry(path: str) -> Exchange:
    return Exchange(
        at_ms=0, method="POST", path=path, request={}, status=200,
        response={}, duration_ms=0.0, idempotency_key=None, fault=None,
    )  # fmt: skip


def test_forget_drops_the_apps_journal_and_faults_and_keeps_the_rest() -> None:
    stand_in = StandIn(journal_size=2)
    rules = plan_faults([FaultRule(path="*", status=503)], seed=None)
    for app_id in (1, 2):
        for _ in range(3):
            stand_in.journal(app_id).add(_entry("/v3/contact/get"))
        stand_in.faults[app_id] = rules
        stand_in.clocks.advance(app_id, 1000)
    stand_in.forget(1)
    mine, theirs = stand_in.journal(1), stand_in.journal(2)
    assert mine.read(path=None, since=None, limit=10) == []
    assert (mine.dropped, mine.last_seq) == (0, 3)
    assert mine.add(_entry("/v1/getContact")).seq == 4  # numbering goes on
    assert 1 not in stand_in.faults and stand_in.faults[2] is rules
    assert stand_in.clocks.offset(1) == stand_in.clocks.offset(2) == 1000
    assert [e.seq for e in theirs.read(path=None, since=None, limit=10)] == [2, 3]
    assert theirs.dropped == 1
