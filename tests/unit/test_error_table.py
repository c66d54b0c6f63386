"""`contactd.api.errors`: one table from error kind to status, and one way to answer."""

from __future__ import annotations

import msgspec
import pytest

from contactd.api.decode import BodyTooLarge
from contactd.api.errors import Audience, Generation, reply_for, statuses_for
from contactd.api.operations import Operation
from contactd.api.routes import OPERATIONS
from contactd.domain.errors import (
    MAY_HAVE_BEEN_APPLIED,
    Busy,
    DuplicateContacts,
    ErrorKind,
    Invalid,
    Outcome,
    Refusal,
    TooManyAttempts,
)
from contactd.domain.store import StoreFault, StoreFull, StoreUnavailable
from contactd.domain.tokens import TOKEN_INVALID, TokenRefused

V3 = statuses_for(Generation.V3, Audience.PRINCIPAL)


@pytest.mark.parametrize("op", OPERATIONS, ids=[op.path for op in OPERATIONS])
def test_every_kind_has_a_status_on_every_endpoint(op: Operation) -> None:
    assert set(statuses_for(op.generation, op.audience)) == set(ErrorKind)


@pytest.mark.parametrize(
    ("generation", "audience", "status"),
    [
        (Generation.V1, Audience.PRINCIPAL, 400),
        (Generation.V2, Audience.PRINCIPAL, 404),
        (Generation.V3, Audience.PRINCIPAL, 404),
        (Generation.V1, Audience.ADMIN, 400),
        (Generation.V3, Audience.ADMIN, 401),
    ],
)
def test_a_refused_credential_by_generation_and_audience(
    generation: Generation, audience: Audience, status: int
) -> None:
    assert statuses_for(generation, audience)[ErrorKind.AUTH] == status


def _answer(error: Refusal) -> tuple[int, dict[str, object], dict[bytes, bytes]]:
    reply = reply_for(error, V3)
    return reply.status, msgspec.json.decode(reply.body), dict(reply.headers)


def test_a_body_too_large_is_413_everywhere() -> None:
    for op in OPERATIONS:
        statuses = statuses_for(op.generation, op.audience)
        assert reply_for(BodyTooLarge("too large"), statuses).status == 413


def test_a_missing_token_is_answered_as_a_wrong_one() -> None:
    assert _answer(TokenRefused()) == (
        404,
        {"code": 404, "status": "error", "msg": TOKEN_INVALID},
        {},
    )


def test_duplicates_are_named_in_the_body() -> None:
    status, body, headers = _answer(DuplicateContacts("phones taken", ["91 1", "91 2"]))
    assert (status, body["duplicates"], headers) == (409, ["91 1", "91 2"], {})
    assert "duplicates" not in _answer(Invalid("x must be y"))[1]


def test_too_many_attempts_say_when_to_retry() -> None:
    assert _answer(TooManyAttempts("wait", 42))[::2] == (429, {b"retry-after": b"42"})


def test_busy_hashers_say_the_outcome_and_when_to_retry() -> None:
    headers = _answer(Busy("busy", retry_after_seconds=1))[2]
    assert list(headers.items()) == [
        (b"x-contactd-outcome", b"not-applied"),
        (b"retry-after", b"1"),
    ]


@pytest.mark.parametrize(
    ("error", "status", "outcome", "msg"),
    [
        (
            StoreUnavailable("locked", outcome=Outcome.NOT_APPLIED),
            503,
            b"not-applied",
            "the store is busy; the request had no effect; retry shortly",
        ),
        (
            StoreUnavailable("lost the server"),
            503,
            b"unknown",
            f"the store failed while committing; {MAY_HAVE_BEEN_APPLIED}",
        ),
        (
            StoreFault("disk I/O error", outcome=Outcome.UNKNOWN),
            503,
            b"unknown",
            "the store cannot write (read-only, or an I/O error); retry later; "
            + MAY_HAVE_BEEN_APPLIED,
        ),
        (
            StoreFault("attempt to write a readonly database", outcome=Outcome.NOT_APPLIED),
            503,
            b"not-applied",
            "the store cannot write (read-only, or an I/O error); retry later",
        ),
        (
            StoreFull("disk full"),
            507,
            None,
            "the store is full; nothing was written (retry once the operator has freed space)",
        ),
    ],
)
def test_a_store_condition_is_answered_by_its_kind_never_in_its_own_words(
    error: Refusal, status: int, outcome: bytes | None, msg: str
) -> None:
    got_status, body, headers = _answer(error)
    assert (got_status, body["msg"], headers.get(b"x-contactd-outcome")) == (status, msg, outcome)
    assert str(error) not in body["msg"]


def test_only_the_conditions_the_operator_must_act_on_are_logged() -> None:
    assert StoreFault.log_as and StoreFull.log_as
    assert StoreUnavailable.log_as is None and Busy.log_as is None
