"""Every bounded field (docs/api.md, "Bounds") over HTTP: one past the bound is a 400
naming the field, and changes nothing."""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.contract.wire import assert_error_shape
from tests.helpers import Api, Tenant, contact

C = contact(1)


def _cases(t: Tenant) -> list[tuple[str, str, dict[str, Any]]]:
    tok, adm = {"token": t.token}, {"appid": t.appid, "secret": t.secret}
    one = [{**C, "phone_no": "919111111111"}]
    agent = {**adm, "name": "A B", "phone_number": "919800000000", "password": "pw"}
    user = {**adm, "first_name": "A", "last_name": "B", "phone_number": "919800000000"}
    return [
        ("limit", "/v3/contact/get", {**tok, "limit": 101}),
        ("limit", "/v3/contact/get", {**tok, "limit": 0}),
        ("limit", "/v1/getContact", {**tok, "page": 1, "limit": 1001}),
        ("page", "/v1/getContact", {**tok, "page": 1_000_000_001}),
        ("page", "/v1/getContact", {**tok, "page": 0}),
        ("name", "/v1/getContact", {**tok, "page": 1, "name": "x" * 101}),
        ("contacts", "/v3/contact/add", {**tok, "contacts": [contact(n) for n in range(101)]}),
        ("contacts", "/v3/contact/add", {**tok, "contacts": []}),
        (
            "first_name",
            "/v3/contact/add",
            {**tok, "contacts": [{**one[0], "first_name": "x" * 101}]},
        ),
        ("last_name", "/v3/contact/add", {**tok, "contacts": [{**one[0], "last_name": "x" * 101}]}),
        (
            "email_id",
            "/v3/contact/add",
            {**tok, "contacts": [{**one[0], "email_id": "a" * 243 + "@example.com"}]},
        ),
        ("company", "/v3/contact/add", {**tok, "contacts": [{**one[0], "company": "x" * 201}]}),
        ("job_title", "/v3/contact/add", {**tok, "contacts": [{**one[0], "job_title": "x" * 201}]}),
        ("phone_no", "/v3/contact/add", {**tok, "contacts": [{**one[0], "phone_no": "9" * 33}]}),
        ("contacts", "/v3/contact/update", {**tok, "contacts": [{"contact_id": "x"}] * 101}),
        (
            "company",
            "/v3/contact/update",
            {**tok, "contacts": [{"contact_id": "<id>", "company": "x" * 201}]},
        ),
        ("contact_ids", "/v3/contact/delete", {**tok, "contact_ids": ["<id>"] * 101}),
        ("contact_ids", "/v3/contact/delete", {**tok, "contact_ids": []}),
        ("name", "/v1/updateContact", {**tok, "from": "919111111111", "name": "x" * 101}),
        (
            "email",
            "/v1/updateContact",
            {**tok, "from": "919111111111", "name": "A", "email": "a" * 243 + "@example.com"},
        ),
        (
            "status",
            "/v1/updateContact",
            {**tok, "from": "919111111111", "name": "A", "status": "x" * 201},
        ),
        (
            "tag",
            "/v1/updateContact",
            {**tok, "from": "919111111111", "name": "A", "tag": "x" * 201},
        ),
        (
            "info",
            "/v1/updateContact",
            {**tok, "from": "919111111111", "name": "A", "info": "x" * 2001},
        ),
        ("from", "/v1/updateContact", {**tok, "from": "9" * 33, "name": "A"}),
        ("mobile", "/v1/deleteContact", {**tok, "mobile": "9" * 33}),
        ("secret", "/v3/user/list", {**adm, "secret": "x" * 257}),
        ("limit", "/v3/user/list", {**adm, "limit": 101}),
        ("limit", "/v1/agent/list", {**adm, "page": 1, "limit": 11}),
        ("extension", "/v3/user/add", {**user, "extension": 10000, "password": "long-enough"}),
        ("extension", "/v1/agent/add", {**agent, "extension": 99}),
        ("password", "/v3/user/add", {**user, "extension": 2001, "password": "short"}),
        ("password", "/v3/user/add", {**user, "extension": 2001, "password": "x" * 257}),
        ("password", "/v1/agent/add", {**agent, "extension": 201, "password": "x" * 257}),
        ("start_time", "/v1/agent/add", {**agent, "extension": 202, "start_time": 25}),
        (
            "end_time",
            "/v3/user/add",
            {**user, "extension": 2002, "password": "long-enough", "end_time": 25},
        ),
        ("name", "/v1/agent/add", {**agent, "extension": 203, "name": "x" * 101}),
    ]


def _state(api: Api, t: Tenant) -> str:
    adm = {"appid": t.appid, "secret": t.secret}
    return json.dumps(
        [
            api.post("/v3/contact/get", {"token": t.token, "limit": 100}),
            api.post("/v1/getContact", {"token": t.token, "page": 1, "limit": 1000}),
            api.post("/v3/user/list", {**adm, "limit": 100}),
        ]
    )


def test_every_bound_is_a_400_without_side_effects(api: Api, tenant: Tenant) -> None:
    [existing] = api.add_contacts(tenant.token, [C])
    before = _state(api, tenant)
    cases = _cases(tenant)
    for field, path, template in cases:
        body = json.loads(json.dumps(template).replace("<id>", existing))
        status, answer = api.post(path, body)
        assert status == 400, (field, path, answer)
        assert_error_shape(status, answer)
        assert field in answer["msg"], (field, path, answer)
        assert _state(api, tenant) == before, (field, path)
    assert {path for _, path, _ in cases} >= {
        "/v3/contact/get",
        "/v3/contact/add",
        "/v3/contact/update",
        "/v3/contact/delete",
        "/v1/getContact",
        "/v1/updateContact",
        "/v1/deleteContact",
    }


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/v3/contact/get", {"limit": 100}),
        ("/v1/getContact", {"page": 1_000_000_000, "limit": 1000}),
    ],
)
def test_values_at_the_bound_are_accepted(
    api: Api, tenant: Tenant, path: str, extra: dict[str, Any]
) -> None:
    status, body = api.post(path, {"token": tenant.token, **extra})
    assert status == 200, body
