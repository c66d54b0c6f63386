"""What stand-in mode puts around each of the vendor's operations: its fault rules and its
journal (docs/stand-in.md). Installed by `create_app` in stand-in mode only; without it
the request path has nothing of this.

The body is read here once and replayed to the operation message by message, so that
the operation reads exactly what it would have read: a body over the limit, or a client
that leaves or stalls, is left to the operation's own reading (api/decode.py), before
which this reads no further than it would. The request's app is told from the body
(`app_of`); a request of no app that exists is passed on untouched.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections import deque
from collections.abc import Sequence
from contextvars import ContextVar
from time import perf_counter
from typing import Any

import msgspec
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contactd.api.decode import MAX_BODY_BYTES
from contactd.api.errors import OUTCOME_HEADER, Reply, error_reply
from contactd.api.idempotency import KEY_HEADER_NAME
from contactd.api.observe import REQUEST_ID_HEADER, Observer
from contactd.api.operations import Operation, Services
from contactd.domain.admin_tokens import ADMIN_TOKEN_PREFIX, AdminTokenSigner
from contactd.domain.errors import Outcome, Refusal
from contactd.domain.principals import parse_principal_id
from contactd.domain.store import Store
from contactd.domain.tokens import hash_token, split_token
from contactd.standin.faults import DEFAULT_RETRY_AFTER_SECONDS, RETRY_STATUSES, Action, Fired
from contactd.standin.journal import MAX_KEPT_BODY_BYTES, Exchange, body_object, kept_body
from contactd.standin.state import StandIn

__all__ = ["app_in_text", "app_of", "stand_in_wrap"]

log = logging.getLogger("contactd.standin")
_plain = msgspec.json.Decoder()
_JSON = (b"content-type", b"application/json")
_PHRASES = {429: "too many requests", 500: "internal server error", 503: "service unavailable"}
_DROPPED_LENGTH = b"%d" % 64
"""The length a dropped answer's head announces, so that a client waits for a body."""
_MAX_KEPT_KEY = 256
_MAX_APP_ID = 9_999_999_999


def stand_in_wrap(
    operation: Operation, app: ASGIApp, services: Services, observer: Observer
) -> ASGIApp:
    """`app`, the served `operation`, with the faults and journal of stand-in mode."""
    stand_in = services.stand_in
    assert stand_in is not None, "stand_in_wrap outside stand-in mode"
    store = services.store
    path = operation.path
    request_type = operation.request
    record = observer.recorder(path)
    _quiet_uvicorn_on_drops()

    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        started = perf_counter()
        messages, body = await _received_body(scope, receive)
        replay = _replaying(messages, receive)
        decoded = None if body is None else body_object(body, scope["headers"], request_type)
        app_id, token = app_of(decoded) if decoded is not None else (app_in_text(body), None)
        if body is None or app_id is None or not await _known(stand_in, store, app_id):
            await app(scope, replay, send)
            return
        at_ms = stand_in.clocks(app_id)
        plan = stand_in.faults.get(app_id)
        fired = None if plan is None else plan.pick(path, has_token=token is not None)
        answer = _Answer(send)
        try:
            if fired is None:
                await app(scope, replay, answer)
            elif fired.action is Action.STATUS:
                request_id = observer.start(scope)
                reply = _injected(fired)
                await _send_reply(answer, reply, request_id)
                record(scope, request_id, reply.status, started)
            elif fired.action is Action.DELAY:
                await asyncio.sleep((fired.rule.delay_ms or 0) / 1000)
                await app(scope, replay, answer)
            elif fired.action is Action.DROP:
                await _drop(answer, path, fired, app_id)
            else:
                assert token is not None, "an expire_token rule fired without a token"
                await _expire(store, app_id, token)
                await app(scope, replay, answer)
        finally:
            exchange = Exchange(
                at_ms=at_ms,
                method=scope["method"],
                path=path,
                request=kept_body(body, decoded),
                status=answer.status if answer.whole else None,
                response=answer.kept() if answer.whole else None,
                duration_ms=round((perf_counter() - started) * 1000, 3),
                idempotency_key=_idempotency_key(scope["headers"]),
                fault=None if fired is None else fired.injected(),
            )
            stand_in.journal(app_id).add(exchange)

    return wrapped


def app_of(decoded: Any) -> tuple[int | None, str | None]:
    """The app a request body names, and the principal token of that app it carries:
    its `appid`, else its token's `{appid}.` prefix (a principal's, or a v2 admin
    token's), else its login `id` (`{extension}_{appid}`)."""
    if not isinstance(decoded, dict):
        return None, None
    appid, token, login_id = decoded.get("appid"), decoded.get("token"), decoded.get("id")
    principal = None
    if isinstance(token, str) and not token.startswith(ADMIN_TOKEN_PREFIX):
        principal = token if split_token(token) is not None else None
    app_id: int | None = None
    if isinstance(appid, int) and not isinstance(appid, bool) and 0 <= appid <= _MAX_APP_ID:
        app_id = appid
    elif principal is not None:
        app_id = split_token(principal)
    elif isinstance(token, str):
        app_id = AdminTokenSigner.app_id(token)
    elif isinstance(login_id, str):
        ids = parse_principal_id(login_id)
        app_id = None if ids is None else ids[0]
    if principal is not None and split_token(principal) != app_id:
        principal = None  # another app's token: not this app's to expire
    return app_id, principal


# In a body that did not decode (JSON cut short, a broken form), the same fields by their
# text: a client's malformed request is the one its journal most needs to show.
_APP_IN_TEXT = tuple(
    re.compile(pattern)
    for pattern in (
        r"""(?<![\w])["']?appid["']?\s*[:=]\s*["']?(\d{1,10})(?!\d)""",
        r"""(?<![\w])["']?token["']?\s*[:=]\s*["']?(?:adm\.)?(\d{1,10})\.""",
        r"""(?<![\w])["']?id["']?\s*[:=]\s*["']?\d{1,4}_(\d{1,10})(?!\d)""",
    )
)


def app_in_text(body: bytes | None) -> int | None:
    """The app a body that did not decode names by the text of its fields, if any."""
    if not body:
        return None
    text = body[:MAX_KEPT_BODY_BYTES].decode("utf-8", "replace")
    for pattern in _APP_IN_TEXT:
        found = pattern.search(text)
        if found is not None:
            return int(found.group(1))
    return None


async def _received_body(scope: Scope, receive: Receive) -> tuple[list[Message], bytes | None]:
    """The messages received, and the body if it came whole within the limit; None for
    one that `read_body` refuses or whose client left, read no further than it reads."""
    message = await receive()
    messages = [message]
    if message["type"] == "http.request" and not message.get("more_body", False):
        body: bytes = message.get("body", b"")
        return messages, body if len(body) <= MAX_BODY_BYTES else None
    if (_declared_length(scope["headers"]) or 0) > MAX_BODY_BYTES:
        return messages, None
    chunks: list[bytes] = []
    size = 0
    while True:
        if message["type"] == "http.disconnect":
            return messages, None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return messages, None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return messages, b"".join(chunks)
        message = await receive()
        messages.append(message)


def _declared_length(headers: Sequence[tuple[bytes, bytes]]) -> int | None:
    for name, value in headers:
        if name == b"content-length":
            return int(value) if value.isdigit() else None
    return None


def _replaying(messages: list[Message], receive: Receive) -> Receive:
    """A `receive` that gives `messages` again, then what `receive` gives."""
    pending = deque(messages)

    async def replayed() -> Message:
        if pending:
            return pending.popleft()
        return await receive()

    return replayed


async def _known(stand_in: StandIn, store: Store, app_id: int) -> bool:
    """Whether the app exists (asked of the store until it has a journal)."""
    if app_id in stand_in.journals:
        return True
    try:
        return await store.get_app(app_id) is not None
    except Refusal:  # the store is unreachable: the operation answers for itself
        return False


class _Answer:
    """A `send` that keeps what the journal needs of the answer: its status and (the
    beginning of) its body."""

    __slots__ = ("_chunks", "_json", "_send", "_size", "status", "whole")

    def __init__(self, send: Send) -> None:
        self._send = send
        self._chunks: list[bytes] = []
        self._json = False
        self._size = 0
        self.status: int | None = None
        self.whole = False

    async def __call__(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = message["status"]
            for name, value in message.get("headers", ()):
                if name.lower() == b"content-type":
                    self._json = value.startswith(b"application/json")
        elif message["type"] == "http.response.body":
            chunk = message.get("body", b"")
            if self._size <= MAX_KEPT_BODY_BYTES:
                self._chunks.append(chunk)
            self._size += len(chunk)
            self.whole = not message.get("more_body", False)
        await self._send(message)

    def kept(self) -> Any:
        body = b"".join(self._chunks)
        decoded = None
        if self._json and self._size <= MAX_KEPT_BODY_BYTES:
            try:
                decoded = _plain.decode(body)
            except msgspec.DecodeError:
                decoded = None
        return kept_body(body, decoded, size=self._size)


def _injected(fired: Fired) -> Reply:
    """An injected error answer, in the error shape with the retry headers of its status."""
    status = fired.rule.status
    assert status is not None
    headers = {}
    if status in RETRY_STATUSES:
        retry_after = fired.rule.retry_after
        headers["Retry-After"] = str(
            DEFAULT_RETRY_AFTER_SECONDS if retry_after is None else retry_after
        )
    if status == 503:
        headers[OUTCOME_HEADER] = Outcome.NOT_APPLIED.value
    msg = (
        f"injected fault: {status} {_PHRASES[status]} (stand-in fault rule {fired.rule_index});"
        " the request had no effect"
    )
    return error_reply(status, msg, headers=headers)


async def _send_reply(send: Send, reply: Reply, request_id: bytes) -> None:
    headers = [
        _JSON,
        (b"content-length", b"%d" % len(reply.body)),
        (REQUEST_ID_HEADER, request_id),
        *reply.headers,
    ]
    await send({"type": "http.response.start", "status": reply.status, "headers": headers})
    await send({"type": "http.response.body", "body": reply.body})


async def _drop(send: Send, path: str, fired: Fired, app_id: int) -> None:
    """Send an answer's head announcing a body, then end without one: the server closes
    the connection (uvicorn does, for an answer left incomplete)."""
    log.info(
        "stand-in fault rule %d of app %d: the connection of a request to %s is dropped",
        fired.rule_index,
        app_id,
        path,
    )
    headers = [_JSON, (b"content-length", _DROPPED_LENGTH)]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    _dropping.set(True)


async def _expire(store: Store, app_id: int, token: str) -> None:
    """Expire the request's token in the store, so that the operation refuses it."""
    with contextlib.suppress(Refusal):  # the store is unreachable: the operation answers
        await store.expire_token(app_id, hash_token(token))


def _idempotency_key(headers: Sequence[tuple[bytes, bytes]]) -> str | None:
    for name, value in headers:
        if name == KEY_HEADER_NAME:
            return value[:_MAX_KEPT_KEY].decode("latin-1")
    return None


# uvicorn logs an answer left incomplete as an application error: for a drop that a
# rule asked for, the line above says what happened instead.
_dropping: ContextVar[bool] = ContextVar("contactd_standin_dropping", default=False)
_UVICORN_INCOMPLETE = "ASGI callable returned without completing response"


class _DropsOnPurpose(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (_dropping.get() and str(record.msg).startswith(_UVICORN_INCOMPLETE))


_DROP_FILTER = _DropsOnPurpose()


def _quiet_uvicorn_on_drops() -> None:
    logging.getLogger("uvicorn.error").addFilter(_DROP_FILTER)  # once: filters are a set
