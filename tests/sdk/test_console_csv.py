"""The console's import and export say what the CLI says (docs/api.md, "Extensions"):
for the same store, `/x/contacts/export` answers the bytes `contactd contacts export`
writes, and `/x/contacts/import` stores and reports what `contactd contacts import`
does, on both backends. The CLI runs in-process, through the SDK into the same app."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from contactd.cli import contacts as cli_contacts
from contactd.client import Client
from contactd.domain import extensions
from tests.helpers import Api, Tenant, contact
from tests.sdk.cli_fixtures import run

BASE_URL = "http://testserver"  # the in-process app's host, as the `transport` fixture serves it
UseTenant = Callable[[Tenant], None]

ROWS = [
    "phone_no,first_name,last_name,email_id,company,job_title",
    '919000000001,Asha,Rao,asha@example.com,"Rao, Sons & ""Co""",CEO',
    "91900000000x,Bad,Phone,,,",
    "919000000003,Bad,Email,not-an-email,,",
    f"919000000004,{'x' * 101},Long,,,",
    "919000000001,Again,Rao,,,",
    "919000000009,Already,Stored,,,",
    "9000000005,National,Form,,,",
    "919000000005,Same,Number,,,",
    "919000000006,Zoë,Ǆemal,,,",
    "919000000007,Short",
]


@pytest.fixture
def cli_as(monkeypatch: pytest.MonkeyPatch, transport: httpx.BaseTransport) -> UseTenant:
    """Point the CLI's contact commands at a tenant of the in-process app."""

    def use(tenant: Tenant) -> None:
        monkeypatch.setattr(
            cli_contacts,
            "client_from_credentials",
            lambda: Client(base_url=BASE_URL, transport=transport, token=tenant.token),
        )

    return use


def test_the_export_is_the_clis_export(
    api: Api,
    tenant: Tenant,
    cli_as,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(extensions, "EXPORT_PAGE", 7)  # pages that do not match the CLI's
    special = {"first_name": 'A "quoted", name', "company": "Line\nbreak", "job_title": "Zoë"}
    api.add_contacts(
        tenant.token, [contact(n, **(special if n % 5 == 0 else {})) for n in range(23)]
    )
    cli_as(tenant)
    written = tmp_path / "cli.csv"
    run("contacts", "export", str(written))
    response = api.client.post("/x/contacts/export", json={"token": tenant.token})
    assert response.status_code == 200
    assert response.content == written.read_bytes()


def test_the_import_stores_and_reports_what_the_cli_does(
    api: Api,
    tenant: Tenant,
    other_tenant: Tenant,
    cli_as,
    tmp_path: Path,  # type: ignore[no-untyped-def]
) -> None:
    for each in (tenant, other_tenant):
        api.add_contacts(each.token, [contact(9, first_name="Stored")])
    source = tmp_path / "contacts.csv"
    source.write_text("\r\n".join(ROWS) + "\r\n", encoding="utf-8", newline="")
    cli_as(tenant)
    cli_report = json.loads(run("contacts", "import", str(source), "--json", code=1).stdout)
    status, server_report = api.post(
        "/x/contacts/import", {"token": other_tenant.token, "csv": source.read_text("utf-8")}
    )
    assert status == 200
    assert {"code": 200, **cli_report} == server_report
    assert server_report["stored"] == 4 and len(server_report["rejected"]) == 6
    exports = [
        api.client.post("/x/contacts/export", json={"token": each.token}).content
        for each in (tenant, other_tenant)
    ]
    assert exports[0] == exports[1]
