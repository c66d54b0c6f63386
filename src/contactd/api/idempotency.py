"""The `Idempotency-Key` header on writes: replay, refuse, or write and keep the answer.

The writes (`Operation.write`: the v1 and v3 contact writes and the admin provisioning
writes; never the logins, whose answers carry a token, nor the reads) take the header.
A write without it costs one scan of the request's headers. With it, an answer kept
under (app, key) for the same path and body is replayed (`Idempotent-Replayed: true`),
one kept for another request is a 422, and otherwise the write runs and keeps its
answer. A replay answers only a request whose credentials the write accepts (it is
authenticated first). A write that fails keeps nothing: it had no effect, and a retry
runs it again.

- A contact write keeps its answer in its own transaction (`_kept_with_the_write`),
  and finds out there whether a live answer is kept already: a new key costs one
  insert, no lookup.
- An admin write is looked up first and keeps its answer after it commits
  (`_kept_after`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from contactd.api.errors import Reply, error_reply
from contactd.domain.errors import DomainError, Invalid, Outcome
from contactd.domain.idempotency import (
    IDEMPOTENCY_KEY_HEADER,
    PENDING_ANSWER,
    REPLAYED_HEADER,
    KeptAnswer,
    parse_key,
)
from contactd.domain.store import KeyTaken, StoreUnavailable

if TYPE_CHECKING:
    from contactd.api.operations import Operation, Services

__all__ = ["KEY_HEADER_NAME", "idempotency_key", "keyed_reply"]

KEY_HEADER_NAME = IDEMPOTENCY_KEY_HEADER.lower().encode("latin-1")
_REPLAYED = ((REPLAYED_HEADER.lower().encode("latin-1"), b"true"),)
_encoder = msgspec.json.Encoder()
INVALID_KEY = f"{IDEMPOTENCY_KEY_HEADER} must be 1 to 255 visible ASCII characters"
KEY_REUSED = (
    f"{IDEMPOTENCY_KEY_HEADER} was used in the last 24 hours with another request"
    " (another path or body); send a new key for a new request"
)


def idempotency_key(headers: list[tuple[bytes, bytes]]) -> str | None:
    """The request's idempotency key, None without one; `Invalid` (400) for a bad one."""
    for name, value in headers:
        if name == KEY_HEADER_NAME:
            key = parse_key(value)
            if key is None:
                raise Invalid(INVALID_KEY)
            return key
    return None


async def keyed_reply(
    operation: Operation, services: Services, key: str, path: str, body: bytes, request: Any
) -> Reply:
    """Serve a write sent with an idempotency key (the module docstring says how)."""
    digest = services.idempotency.digest(path, body)
    if operation.answer is None:
        return await _kept_after(operation, services, key, digest, request)
    return await _kept_with_the_write(operation, services, key, digest, request)


async def _kept_with_the_write(
    operation: Operation, services: Services, key: str, digest: bytes, request: Any
) -> Reply:
    """A contact write: no lookup first, and no authentication but the handler's own.

    The write runs with its key pending; its transaction ends by inserting the key,
    which meets a live one kept under it (a retry, or a twin that committed first) and
    rolls the write back (`KeyTaken`). Every failure of a write that reached the store
    is checked against a kept answer too: a retried add meets its own phones (409), a
    retried v1 delete finds no contact (400); those are answered from the first try.
    """
    keys = services.idempotency
    pending = keys.pending(key, digest, operation.answer)
    reset = PENDING_ANSWER.set(pending)
    try:
        answer = _encoder.encode(await operation.handler(services, request))
    except (DomainError, KeyTaken) as exc:
        if pending.app_id is None:  # refused before the store (authentication, a rule)
            raise
        kept = await keys.find(pending.app_id, key)
        if kept is not None:
            return _replay(kept, digest)
        if isinstance(exc, KeyTaken):  # rolled back, and the answer it met is gone
            raise StoreUnavailable(str(exc), outcome=Outcome.NOT_APPLIED) from exc
        raise
    finally:
        PENDING_ANSWER.reset(reset)
    if not pending.kept and pending.app_id is not None:
        # A write the store had nothing to do for (no transaction to keep it in).
        await keys.keep(pending, 200, answer)
    return Reply(200, answer)


async def _kept_after(
    operation: Operation, services: Services, key: str, digest: bytes, request: Any
) -> Reply:
    """An admin write: looked up first (as the caller's app), kept after it commits."""
    keys = services.idempotency
    app_id = await _authenticated_app(services, request)
    kept = await keys.find(app_id, key)
    if kept is not None:
        return _replay(kept, digest)
    pending = keys.pending(key, digest, None, app_id=app_id)
    answer = _encoder.encode(await operation.handler(services, request))
    if not await keys.keep(pending, 200, answer):  # a twin with the key kept its answer
        kept = await keys.find(app_id, key)
        if kept is not None:
            return _replay(kept, digest)
    return Reply(200, answer)


def _replay(kept: KeptAnswer, digest: bytes) -> Reply:
    if kept.digest != digest:
        return error_reply(422, KEY_REUSED)
    return Reply(kept.status, kept.body, _REPLAYED)


async def _authenticated_app(services: Services, request: Any) -> int:
    """The app the request's credentials prove: its token's, or its appid's."""
    token = getattr(request, "token", None)
    if token is not None:
        return (await services.principals.authenticate(token)).app_id
    app = await services.apps.authenticate(request.appid, request.secret)
    return app.app_id
