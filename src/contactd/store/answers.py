"""Idempotency keys: the answers kept under them (migration 0006), for both backends.

`keep_pending` runs inside a contact write's transaction, so the key commits with the
write or not at all. Two requests racing with one new key: on PostgreSQL the second's
insert waits on the first's uncommitted row, then finds it live; on SQLite the one
writer runs them one after the other. Either way the second raises `KeyTaken`, which
rolls its write back.
"""

from __future__ import annotations

from contactd.domain.idempotency import PENDING_ANSWER, KeptAnswer, PendingAnswer
from contactd.domain.store import KeyTaken
from contactd.store.tx import Row, Tx

__all__ = ["claim", "found", "keep", "keep_pending"]


def claim(app_id: int) -> PendingAnswer | None:
    """The request's pending answer, if any, now known to belong to `app_id` (the app
    of the write, which the caller's credentials proved). Called on the event loop,
    where the request's context is: SQLite's writer thread does not see it."""
    pending = PENDING_ANSWER.get()
    if pending is not None:
        pending.app_id = app_id
    return pending


async def keep(
    tx: Tx, query: str, app_id: int, key: str, answer: KeptAnswer, expired_before: int
) -> bool:
    """Keep `answer` under the key (`Queries.keep_answer`); False if a live answer is
    kept under it."""
    params = (app_id, key, answer.digest, answer.status, answer.body, answer.created_at)
    return await tx.run(query, (*params, expired_before)) == 1


async def keep_pending(tx: Tx, query: str, pending: PendingAnswer | None, result: object) -> None:
    """Keep the pending key's answer for this write's `result`, in its transaction;
    raise `KeyTaken` (which rolls the write back) if a live one is kept already."""
    if pending is None or pending.app_id is None:
        return
    answer = pending.answer_for(result)
    if answer is None:
        return
    if not await keep(tx, query, pending.app_id, pending.key, answer, pending.expired_before):
        raise KeyTaken(pending.key)
    pending.kept = True


def found(row: Row) -> KeptAnswer:
    digest, status, body, created_at = row
    return KeptAnswer(bytes(digest), int(status), bytes(body), int(created_at))
