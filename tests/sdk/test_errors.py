"""The exception tree: one status→class function, and what the real app answers."""

from __future__ import annotations

from typing import Any

import pytest

from contactd.client import (
    APIError,
    AuthenticationError,
    BadRequestError,
    Client,
    ConflictError,
    ContactCreate,
    ContactdError,
    InsufficientStorageError,
    InternalServerError,
    NotFoundError,
    RateLimitError,
    ServiceUnavailableError,
)
from contactd.client._errors import error_for_status
from tests.helpers import Tenant, contact
from tests.sdk.conftest import BASE_URL, InProcessTransport


@pytest.mark.parametrize(
    ("status", "cls"),
    [
        (400, BadRequestError),
        (401, AuthenticationError),
        (404, NotFoundError),
        (409, ConflictError),
        (429, RateLimitError),
        (503, ServiceUnavailableError),
        (507, InsufficientStorageError),
        (500, InternalServerError),
        (502, InternalServerError),
        (413, APIError),
    ],
)
def test_each_status_maps_to_one_class(status: int, cls: type[APIError]) -> None:
    body: dict[str, Any] = {"code": status, "status": "error", "msg": "why"}
    error = error_for_status(status, body)
    assert type(error) is cls
    assert isinstance(error, ContactdError)
    assert (error.status, error.code, error.msg, error.body) == (status, status, "why", body)
    assert str(error) == f"{status}: why"


def test_a_body_that_is_not_json_still_maps() -> None:
    error = error_for_status(502, None)
    assert (type(error), error.code, error.msg) == (InternalServerError, None, "HTTP 502")


def test_rate_limit_carries_retry_after() -> None:
    error = error_for_status(429, {"code": 429, "msg": "slow down"}, retry_after=30.0)
    assert isinstance(error, RateLimitError)
    assert error.retry_after == 30.0


def test_invalid_phone_is_a_bad_request_naming_the_item(sdk: Client) -> None:
    good = ContactCreate(**contact(1))
    bad = ContactCreate(phone_no="12ab", first_name="A", last_name="B")
    with pytest.raises(BadRequestError, match=r"contacts\[1\]\.phone_no"):
        sdk.v3.contacts.add([good, bad])


def test_duplicate_phones_are_a_conflict_naming_them(sdk: Client) -> None:
    sdk.v3.contacts.add([ContactCreate(**contact(1))])
    with pytest.raises(ConflictError) as caught:
        sdk.v3.contacts.add([ContactCreate(**contact(2)), ContactCreate(**contact(1))])
    assert caught.value.status == 409
    assert caught.value.duplicates == [contact(1)["phone_no"]]


def test_bad_admin_secret_is_an_authentication_error(
    transport: InProcessTransport, tenant: Tenant
) -> None:
    with (
        Client(base_url=BASE_URL, transport=transport, appid=tenant.appid, secret="nope") as sdk,
        pytest.raises(AuthenticationError),
    ):
        sdk.v3.users.add(
            extension=2001, first_name="A", last_name="B", phone_number="919811111111",
            password="long-enough-pw",
        )  # fmt: skip


def test_unknown_token_is_not_found_in_v3(transport: InProcessTransport) -> None:
    with (
        Client(base_url=BASE_URL, transport=transport, token="forged") as sdk,
        pytest.raises(NotFoundError, match="Authenticated user record not found"),
    ):
        sdk.v3.contacts.list()
