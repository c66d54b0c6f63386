"""Cursors over HTTP: a `page_state` the server did not issue for this app is refused.

Every single-bit flip of valid cursors (each character's bits; bit 7 and above give
non-ASCII text), every truncation, extensions, and a replay against another app must
each be 400 "invalid page_state" (never a 5xx, never a page). CI tries
`CURSORS` cursors; `CONTACTD_RELIABILITY_SCALE` multiplies them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from starlette.testclient import TestClient

from tests.contract.wire import INVALID_PAGE_STATE, assert_error
from tests.helpers import Api, Tenant, contact, scaled

CURSORS = 2
BITS = (*range(8), 8, 12, 15)  # bits 8+ leave Latin-1; 15 gives a character past U+7FFF


def _cursors(api: Api, tenant: Tenant, count: int) -> list[str]:
    api.add_contacts(tenant.token, [contact(n) for n in range(count + 1)])
    found: list[str] = []
    state: str | None = None
    while len(found) < count:
        status, body = api.post(
            "/v3/contact/get", {"token": tenant.token, "limit": 1, "page_state": state}
        )
        assert status == 200, body
        state = body["page_state"]
        assert state
        found.append(state)
    return found


def _bit_flips(cursor: str) -> Iterator[str]:
    for index, char in enumerate(cursor):
        for bit in BITS:
            yield cursor[:index] + chr(ord(char) ^ (1 << bit)) + cursor[index + 1 :]


def _refused(client: TestClient, token: str, page_state: Any) -> None:
    response = client.post("/v3/contact/get", json={"token": token, "page_state": page_state})
    assert_error(response.status_code, response.json(), 400, INVALID_PAGE_STATE)


def test_every_bit_flip_truncation_and_extension_is_refused(
    client: TestClient, api: Api, tenant: Tenant
) -> None:
    cursors = _cursors(api, tenant, scaled(CURSORS))
    tried = 0
    for cursor in cursors:
        assert cursor.isascii()
        variants = [
            *_bit_flips(cursor),
            *(cursor[:n] for n in range(1, len(cursor))),  # "" is the first page
            cursor + "A",
            cursor + "AAAA",
            cursor + "=",
            cursor + "==",
            cursor + cursor,
            " " + cursor,
            cursor + "\n",
            cursor.upper() if cursor.upper() != cursor else cursor.lower(),
        ]
        for variant in variants:
            assert variant != cursor
            _refused(client, tenant.token, variant)
            tried += 1
    assert tried >= len(cursors) * len(cursors[0]) * len(BITS)


def test_a_cursor_replayed_against_another_app_is_refused(
    api: Api, client: TestClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    api.add_contacts(other_tenant.token, [contact(n) for n in range(3)])
    for cursor in _cursors(api, tenant, scaled(CURSORS)):
        _refused(client, other_tenant.token, cursor)
        # ... and it still works for the app it was issued to.
        response = client.post(
            "/v3/contact/get", json={"token": tenant.token, "page_state": cursor}
        )
        assert response.status_code == 200
