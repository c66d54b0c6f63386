"""Retries: bounded, backing off, honouring Retry-After; never a real wait in tests."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator

import httpx
import pytest

from contactd.client import (
    TELECMI_BASE_URL,
    TELECMI_V1_BASE_URL,
    APIConnectionError,
    Client,
    ContactCreate,
    RateLimitError,
    ServiceUnavailableError,
)
from contactd.client._retry import MAX_DELAY, Backoff, parse_retry_after
from tests.sdk.conftest import Sleeps

PAGE = {"code": 200, "contacts": [], "count": 0, "page_state": None}
Handler = Callable[[httpx.Request], httpx.Response]


def scripted(*answers: httpx.Response | Exception) -> tuple[Handler, list[httpx.Request]]:
    """A handler that plays `answers` in order and records every request."""
    seen: list[httpx.Request] = []
    queue: Iterator[httpx.Response | Exception] = iter(answers)

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        answer = next(queue)
        if isinstance(answer, Exception):
            raise answer
        return answer

    return handler, seen


def error(status: int, **headers: str) -> httpx.Response:
    body = {"code": status, "status": "error", "msg": "busy"}
    return httpx.Response(status, json=body, headers=headers)


def make_client(handler: Handler, sleeps: Sleeps, **options: int) -> Client:
    return Client(transport=httpx.MockTransport(handler), token="t", sleep=sleeps, **options)  # type: ignore[arg-type]


def test_503_is_retried_until_it_succeeds(sleeps: Sleeps) -> None:
    handler, seen = scripted(error(503), error(503), httpx.Response(200, json=PAGE))
    with make_client(handler, sleeps) as sdk:
        assert sdk.v3.contacts.list().count == 0
    assert len(seen) == 3
    assert len(sleeps) == 2
    assert 0.25 <= sleeps[0] <= 0.5
    assert 0.5 <= sleeps[1] <= 1.0


def test_retry_after_is_honoured(sleeps: Sleeps) -> None:
    handler, seen = scripted(error(429, **{"Retry-After": "7"}), httpx.Response(200, json=PAGE))
    with make_client(handler, sleeps) as sdk:
        sdk.v3.contacts.list()
    assert (len(seen), sleeps) == (2, [7.0])


def test_retries_are_bounded(sleeps: Sleeps) -> None:
    handler, seen = scripted(*(error(503) for _ in range(4)))
    with make_client(handler, sleeps, max_retries=3) as sdk, pytest.raises(ServiceUnavailableError):
        sdk.v3.contacts.list()
    assert (len(seen), len(sleeps)) == (4, 3)


def test_max_retries_zero_sends_once(sleeps: Sleeps) -> None:
    handler, seen = scripted(error(503))
    with make_client(handler, sleeps, max_retries=0) as sdk, pytest.raises(ServiceUnavailableError):
        sdk.v3.contacts.list()
    assert (len(seen), sleeps) == (1, [])


def test_a_retry_after_too_long_to_wait_raises_at_once(sleeps: Sleeps) -> None:
    handler, seen = scripted(error(429, **{"Retry-After": "3600"}))
    with make_client(handler, sleeps) as sdk, pytest.raises(RateLimitError) as caught:
        sdk.v3.contacts.list()
    assert (len(seen), sleeps, caught.value.retry_after) == (1, [], 3600.0)


def test_other_errors_are_not_retried(sleeps: Sleeps) -> None:
    handler, seen = scripted(error(500))
    with make_client(handler, sleeps) as sdk, pytest.raises(Exception, match="500"):
        sdk.v3.contacts.list()
    assert len(seen) == 1


def test_connect_errors_are_retried(sleeps: Sleeps) -> None:
    handler, seen = scripted(httpx.ConnectError("refused"), httpx.Response(200, json=PAGE))
    with make_client(handler, sleeps) as sdk:
        sdk.v3.contacts.list()
    assert (len(seen), len(sleeps)) == (2, 1)


def test_connection_errors_after_retries_raise_api_connection_error(sleeps: Sleeps) -> None:
    handler, seen = scripted(*(httpx.ConnectError("refused") for _ in range(3)))
    with make_client(handler, sleeps) as sdk, pytest.raises(APIConnectionError):
        sdk.v3.contacts.list()
    assert len(seen) == 3


def test_a_read_timeout_on_a_write_is_retried_with_the_same_key(sleeps: Sleeps) -> None:
    """The server may have stored the batch: the retry carries the first attempt's key,
    so contactd answers it from that attempt instead of storing the batch again."""
    added = {"code": 200, "msg": "Contact added successfully", "contact_ids": ["c1"]}
    handler, seen = scripted(httpx.ReadTimeout("slow"), error(503), httpx.Response(200, json=added))
    contact = ContactCreate(phone_no="919200000000", first_name="J", last_name="D")
    with make_client(handler, sleeps) as sdk:
        assert sdk.v3.contacts.add([contact]) == ["c1"]
    keys = {request.headers["idempotency-key"] for request in seen}
    assert (len(seen), len(keys)) == (3, 1)
    assert len(next(iter(keys))) == 36  # a UUID


def test_a_callers_key_is_sent_on_every_attempt(sleeps: Sleeps) -> None:
    handler, seen = scripted(httpx.ReadTimeout("slow"), httpx.Response(200, json={"code": 200}))
    with make_client(handler, sleeps) as sdk:
        sdk.v1.contacts.delete(9100000000, idempotency_key="order-17")
    assert [r.headers["idempotency-key"] for r in seen] == ["order-17", "order-17"]


def test_every_write_call_gets_its_own_key_and_reads_none(sleeps: Sleeps) -> None:
    ok = {"code": 200, "msg": "ok", "contact_ids": []}
    handler, seen = scripted(*(httpx.Response(200, json=ok) for _ in range(3)))
    contact = ContactCreate(phone_no="919200000000", first_name="J", last_name="D")
    with make_client(handler, sleeps) as sdk:
        sdk.v3.contacts.add([contact])
        sdk.v1.contacts.update(9100000000, name="Mike", info="note")
        sdk.v3.contacts.get("0b7e7f3a-4a57-4a43-9f7d-6e0a3c1b2d4e")
    assert [r.url.path for r in seen] == ["/v3/contact/add", "/v1/updateContact", "/v3/contact/get"]
    assert seen[0].headers["idempotency-key"] != seen[1].headers["idempotency-key"]
    assert "idempotency-key" not in seen[2].headers


def test_a_503_tells_whether_the_write_may_have_been_applied(sleeps: Sleeps) -> None:
    unknown = error(503, **{"X-Contactd-Outcome": "unknown"})
    handler, _ = scripted(unknown)
    with (
        make_client(handler, sleeps, max_retries=0) as sdk,
        pytest.raises(ServiceUnavailableError) as raised,
    ):
        sdk.v1.contacts.delete(9100000000)
    assert raised.value.outcome == "unknown"


def test_a_read_timeout_on_a_read_is_retried(sleeps: Sleeps) -> None:
    handler, seen = scripted(httpx.ReadTimeout("slow"), httpx.Response(200, json=PAGE))
    with make_client(handler, sleeps) as sdk:
        sdk.v3.contacts.list()
    assert len(seen) == 2


def test_backoff_grows_and_is_capped() -> None:
    backoff = Backoff(max_retries=10)
    backoff.jitter = lambda delay: delay  # type: ignore[method-assign]
    assert [backoff.delay(n) for n in (1, 2, 3, 4, 5, 6)] == [0.5, 1.0, 2.0, 4.0, MAX_DELAY, 5.0]


def test_retry_after_accepts_an_http_date() -> None:
    assert parse_retry_after(httpx.Headers({"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})) == 0
    assert parse_retry_after(httpx.Headers({"Retry-After": "soon"})) is None
    assert parse_retry_after(httpx.Headers()) is None


def test_each_generation_goes_to_its_own_host(sleeps: Sleeps) -> None:
    login = {"code": 200, "msg": "ok", "token": "tok", "agent": {"id": "101_1", "inet_no": 1}}
    v1_page = {"code": 200, "count": 0, "contacts": []}
    handler, seen = scripted(
        httpx.Response(200, json=login),
        httpx.Response(200, json=v1_page),
        httpx.Response(200, json=PAGE),
    )
    with Client(
        base_url=TELECMI_BASE_URL,
        v1_base_url=TELECMI_V1_BASE_URL,
        transport=httpx.MockTransport(handler),
        sleep=sleeps,
    ) as sdk:
        sdk.v2.login("101_1", "pw")
        sdk.v1.contacts.list()
        sdk.v3.contacts.list()
    assert [str(r.url) for r in seen] == [
        "https://rest.telecmi.com/v2/user/login",
        "https://piopiy.telecmi.com/v1/getContact",
        "https://rest.telecmi.com/v3/contact/get",
    ]
    assert json.loads(seen[1].read()) == {"page": 1, "limit": 10, "token": "tok"}
