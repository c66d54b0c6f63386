"""The `Idempotency-Key` header on writes: replay, refuse, or write and keep the answer.

The writes (`Operation.write`: the v1 and v3 contact writes and the admin provisioning
writes; never the logins, whose answers carry a token, nor the reads) take the header.
A write without it costs one scan of the request's headers. With it:

1. the caller is authenticated (a replay answers only whoever could make the write);
2. an answer kept under (app, key) for the same path and body is replayed, with
   `Idempotent-Replayed: true`; one kept for another request is a 422;
3. otherwise the write runs with the key pending (`PENDING_ANSWER`). A contact write
   keeps its answer in its own transaction (the store does it); an admin write keeps
   it just after. A write that fails keeps nothing: it had no effect, and a retry runs
   it again. A failure caused by a twin request with the same key, which committed
   first, is answered as that twin was.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import msgspec

from contactd.api.errors import Reply, error_reply, reply_for, store_unavailable
from contactd.domain.errors import DomainError, Invalid, Outcome
from contactd.domain.idempotency import (
    IDEMPOTENCY_KEY_HEADER,
    PENDING_ANSWER,
    REPLAYED_HEADER,
    KeptAnswer,
    parse_key,
)
from contactd.store.base import KeyTaken

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
KEY_IN_FLIGHT = f"a request with this {IDEMPOTENCY_KEY_HEADER} is being processed; retry shortly"


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
    keys = services.idempotency
    app_id = await _authenticated_app(services, request)
    digest = keys.digest(path, body)
    kept = await keys.find(app_id, key)
    if kept is not None:
        return _replay(kept, digest)
    pending = keys.pending(app_id, key, digest, operation.answer)
    reset = PENDING_ANSWER.set(pending)
    try:
        result = await operation.handler(services, request)
    except (DomainError, KeyTaken) as exc:
        twin = await keys.find(app_id, key)
        if twin is not None:
            return _replay(twin, digest)
        if isinstance(exc, KeyTaken):  # rolled back, and its twin's answer is gone
            return reply_for(store_unavailable(Outcome.NOT_APPLIED), operation.generation)
        raise
    finally:
        PENDING_ANSWER.reset(reset)
    answer = _encoder.encode(result)
    if not pending.kept and not await keys.keep(pending, 200, answer):
        twin = await keys.find(app_id, key)
        if twin is not None:
            return _replay(twin, digest)
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
