"""`contactd.api.decode.read_body`: a body whole, however many messages it comes in."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

import pytest

from contactd.api.decode import MAX_BODY_BYTES, BodyTooLarge, ClientGone, read_body

Message = dict[str, Any]


def _receiver(messages: list[Message]) -> tuple[Callable[[], Awaitable[Message]], list[Message]]:
    """A `receive` that hands out `messages` in order, and the list of those it handed."""
    handed: list[Message] = []

    async def receive() -> Message:
        message = messages[len(handed)]
        handed.append(message)
        return message

    return receive, handed


def _read(messages: list[Message], headers: list[tuple[bytes, bytes]] | None = None) -> bytes:
    receive, _ = _receiver(messages)
    return asyncio.run(read_body({"headers": headers or []}, receive))


def _part(body: bytes, *, more: bool) -> Message:
    return {"type": "http.request", "body": body, "more_body": more}


def test_a_body_in_one_message_is_returned_as_is() -> None:
    assert _read([_part(b'{"token": "t"}', more=False)]) == b'{"token": "t"}'


def test_a_message_without_a_body_is_an_empty_body() -> None:
    assert _read([{"type": "http.request"}]) == b""


def test_a_body_in_several_messages_is_joined_in_order() -> None:
    parts = [_part(b'{"tok', more=True), _part(b"", more=True), _part(b'en": "t"}', more=False)]
    assert _read(parts) == b'{"token": "t"}'


def test_a_client_gone_before_the_end_of_its_body_is_client_gone() -> None:
    with pytest.raises(ClientGone):
        _read([_part(b'{"tok', more=True), {"type": "http.disconnect"}])


def test_a_client_gone_before_any_body_is_client_gone() -> None:
    with pytest.raises(ClientGone):
        _read([{"type": "http.disconnect"}])


def test_one_message_over_the_limit_is_refused() -> None:
    with pytest.raises(BodyTooLarge):
        _read([_part(b"x" * (MAX_BODY_BYTES + 1), more=False)])


def test_a_body_at_the_limit_is_read() -> None:
    assert len(_read([_part(b"x" * MAX_BODY_BYTES, more=False)])) == MAX_BODY_BYTES


def test_messages_that_add_up_past_the_limit_are_refused_before_the_rest_is_read() -> None:
    half = b"x" * (MAX_BODY_BYTES // 2 + 1)
    receive, handed = _receiver([_part(half, more=True), _part(half, more=True)] + [{}] * 5)
    with pytest.raises(BodyTooLarge):
        asyncio.run(read_body({"headers": []}, receive))
    assert len(handed) == 2


def test_a_declared_length_over_the_limit_is_refused_after_the_first_message() -> None:
    declared = [(b"content-length", str(MAX_BODY_BYTES + 1).encode())]
    receive, handed = _receiver([_part(b"x", more=True)] + [{}] * 5)
    with pytest.raises(BodyTooLarge):
        asyncio.run(read_body({"headers": declared}, receive))
    assert len(handed) == 1
