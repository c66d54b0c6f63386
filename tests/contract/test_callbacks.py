"""The call-record endpoints (docs/api.md, "Callbacks"): not served. The token is checked
as on the generation's other endpoints, then the answer is 501 saying why."""

from __future__ import annotations

import pytest

from contactd.api.callbacks import NO_CALL_RECORDS
from tests.contract.agent_api import AUTH_FAILED
from tests.contract.wire import Post, assert_error
from tests.helpers import Tenant

# Each endpoint with a body as the vendor documents it, and the status of a bad token.
CALLBACKS = [
    ("/v1/callback", {"from": 1767225600000, "to": 1767312000000}, 400),
    ("/v1/callbackAction", {"phone_number": 919800000001}, 400),
    ("/v2/callback", {"from": 1767225600000, "to": 1767312000000, "page": 1, "limit": 10}, 404),
    ("/v2/callback/action", {"phone_number": 919800000001}, 404),
]
IDS = [path for path, _, _ in CALLBACKS]


@pytest.mark.parametrize(("path", "fields", "bad_token"), CALLBACKS, ids=IDS)
def test_a_good_token_is_told_contactd_records_no_calls(
    post: Post, tenant: Tenant, path: str, fields: dict[str, int], bad_token: int
) -> None:
    status, body = post(path, {"token": tenant.token, **fields})
    assert_error(status, body, 501, NO_CALL_RECORDS)


@pytest.mark.parametrize(("path", "fields", "bad_token"), CALLBACKS, ids=IDS)
def test_a_bad_or_missing_token_is_refused_as_elsewhere_in_its_generation(
    post: Post, tenant: Tenant, path: str, fields: dict[str, int], bad_token: int
) -> None:
    status, body = post(path, {"token": tenant.token + "x", **fields})
    assert_error(status, body, bad_token, AUTH_FAILED)
    status, body = post(path, fields)
    assert_error(status, body, bad_token, AUTH_FAILED)
