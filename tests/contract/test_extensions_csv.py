"""The console's import and export over HTTP (docs/api.md, "Extensions"):
`/x/contacts/import` stores every good row of a CSV and reports each bad one by its
line in the file, `/x/contacts/export` streams the book as CSV. That both say what the
CLI's `contacts import` and `export` say is tests/sdk/test_console_csv.py's."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from contactd.contacts_csv import CSV_COLUMNS
from contactd.domain import extensions
from tests.contract.agent_api import AUTH_FAILED, v3_all
from tests.contract.extensions_api import add_agent
from tests.contract.wire import TOO_LARGE, assert_error
from tests.helpers import Api, Tenant, contact

IMPORT = "/x/contacts/import"
EXPORT = "/x/contacts/export"
HEADER = ",".join(CSV_COLUMNS)
NO_PHONE_COLUMN = (
    "csv has no phone_no column (expected: phone_no, first_name, last_name, email_id,"
    " company, job_title)"
)


def x_import(api: Api, token: str, text: str, **fields: Any) -> dict[str, Any]:
    status, body = api.post(IMPORT, {"token": token, "csv": text, **fields})
    assert status == 200, body
    assert list(body) == ["code", "stored", "rejected"] and body["code"] == 200
    return dict(body)


def x_export(api: Api, token: str) -> str:
    response = api.client.post(EXPORT, json={"token": token})
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="contacts.csv"'
    assert "content-length" not in response.headers  # streamed
    return response.text


def lines(*rows: str) -> str:
    return "".join(f"{row}\r\n" for row in rows)


def test_every_good_row_is_stored_and_every_bad_one_reported(api: Api, tenant: Tenant) -> None:
    api.add_contacts(tenant.token, [contact(9, first_name="Stored")])
    text = lines(
        HEADER,
        "919000000001,Asha,Rao,asha@example.com,Rao & Co,CEO",  # 2: stored
        "91900000000x,Bad,Phone,,,",  # 3
        "919000000003,Bad,Email,not-an-email,,",  # 4
        f"919000000004,{'x' * 101},Long,,,",  # 5
        "919000000001,Again,Rao,,,",  # 6: repeated in the file
        "919000000009,Already,Stored,,,",  # 7: the app holds it
        "9000000005,National,Form,,,",  # 8: stored
        "919000000005,Same,Number,,,",  # 9: the number of line 8, written in full
        '919000000010,"Multi',  # 10-11: one row over two lines
        'Line",Name,,,',
        "919000000012,Short",  # 12: columns missing are empty
    )
    report = x_import(api, tenant.token, text)
    assert report["stored"] == 4
    rejected = [(r["line"], r["phone_no"], r["reason"]) for r in report["rejected"]]
    assert rejected[0] == (3, "91900000000x", "phone_no must contain digits only")
    assert rejected[1][:2] == (4, "919000000003")
    assert rejected[1][2].startswith("email_id is not a valid email address")
    assert rejected[2:] == [
        (5, "919000000004", "first_name must be at most 100 characters"),
        (6, "919000000001", "phone repeated in the file (line 2)"),
        (7, "919000000009", "phone already stored"),
        (9, "919000000005", "phone already stored"),
    ]
    stored = [(c["phone_no"], c["first_name"], c["last_name"]) for c in v3_all(api, tenant.token)]
    assert stored == [
        ("919000000009", "Stored", "Last9"),
        ("919000000001", "Asha", "Rao"),
        ("9000000005", "National", "Form"),
        ("919000000010", "Multi\r\nLine", "Name"),  # as written in the file
        ("919000000012", "Short", ""),
    ]
    again = x_import(api, tenant.token, text)  # a second run stores nothing twice
    assert again["stored"] == 0
    assert len(again["rejected"]) == len(report["rejected"]) + 4


def test_lines_are_the_files_for_a_chunk_and_columns_go_by_name(api: Api, tenant: Tenant) -> None:
    text = "\ufeff" + lines(
        "job_title,extra,phone_no,first_name", "CTO,?,919000000001,Asha", "x,?,bad,B"
    )
    report = x_import(api, tenant.token, text, first_line=101)
    assert report == {
        "code": 200,
        "stored": 1,
        "rejected": [
            {"line": 103, "phone_no": "bad", "reason": "phone_no must contain digits only"}
        ],
    }
    [stored] = v3_all(api, tenant.token)
    assert (stored["first_name"], stored["last_name"], stored["job_title"]) == ("Asha", "", "CTO")


def test_a_file_sent_in_chunks_is_stored_as_sent_whole(api: Api, tenant: Tenant) -> None:
    rows = [f"9190{n:08d},First{n},Last{n},,," for n in range(10)]
    rows[3] = "bad,Bad,Row,,,"
    chunks = [(1, lines(HEADER, *rows[:5])), (6, lines(HEADER, *rows[5:]))]
    reports = [x_import(api, tenant.token, text, first_line=at) for at, text in chunks]
    assert sum(r["stored"] for r in reports) == 9
    assert [r["rejected"] for r in reports] == [
        [{"line": 5, "phone_no": "bad", "reason": "phone_no must contain digits only"}],
        [],
    ]
    assert [c["phone_no"] for c in v3_all(api, tenant.token)] == [
        f"9190{n:08d}" for n in range(10) if n != 3
    ]


def test_many_rows_are_stored_in_batches_around_the_taken_phones(api: Api, tenant: Tenant) -> None:
    taken = [3, 150, 151, 299]
    api.add_contacts(tenant.token, [contact(n, first_name="Old") for n in taken])
    text = lines(HEADER, *(f"9190{n:08d},New{n},L,,," for n in range(300)))
    report = x_import(api, tenant.token, text)
    assert report["stored"] == 296
    assert [(r["line"], r["reason"]) for r in report["rejected"]] == [
        (n + 2, "phone already stored") for n in taken
    ]
    status, body = api.post("/v3/contact/get", {"token": tenant.token, "limit": 1})
    assert (status, body["count"]) == (200, 300)


def test_an_agent_token_imports_too(api: Api, tenant: Tenant) -> None:
    agent_id, agent_token = add_agent(api, tenant)
    assert x_import(api, agent_token, lines(HEADER, "919000000001,A,B,,,"))["stored"] == 1
    status, body = api.post("/v1/getContact", {"token": tenant.token, "page": 1})
    assert (status, [c["agent"] for c in body["contacts"]]) == (200, [agent_id])


@pytest.mark.parametrize(
    ("fields", "msg"),
    [
        ({"csv": "first_name,last_name\r\nA,B\r\n"}, NO_PHONE_COLUMN),
        ({"csv": ""}, NO_PHONE_COLUMN),
        (
            {"csv": lines(HEADER, "919000000001,A,B,,,"), "first_line": 0},
            "first_line must be between 1 and 1000000000",
        ),
        ({"csv": 5}, "csv must be a string"),
        ({}, "csv is required"),
    ],
)
def test_import_refusals_store_nothing(
    api: Api, tenant: Tenant, fields: dict[str, Any], msg: str
) -> None:
    assert_error(*api.post(IMPORT, {"token": tenant.token, **fields}), 400, msg)
    assert v3_all(api, tenant.token) == []


def test_an_import_is_bounded_by_the_request_size_limit(api: Api, tenant: Tenant) -> None:
    text = lines(HEADER, *(f"9190{n:08d},{'x' * 90},L,,," for n in range(11_000)))
    assert len(text) > 1024 * 1024
    assert_error(*api.post(IMPORT, {"token": tenant.token, "csv": text}), 413, TOO_LARGE)
    assert_error(*api.post(IMPORT, {"token": "0" * 43, "csv": HEADER}), 404, AUTH_FAILED)
    assert v3_all(api, tenant.token) == []


# -- export ---------------------------------------------------------------------------------


def test_an_empty_book_exports_its_header(api: Api, tenant: Tenant) -> None:
    assert x_export(api, tenant.token) == lines(HEADER)


def test_the_export_is_every_contact_in_creation_order_page_by_page(
    api: Api, tenant: Tenant, other_tenant: Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(extensions, "EXPORT_PAGE", 4)  # several pages from a few contacts
    tricky = {"first_name": 'Dr. "Ravi"', "last_name": "Kumar, Jr.", "company": "Line\nbreak"}
    ids = api.add_contacts(
        tenant.token, [contact(n, **(tricky if n == 5 else {})) for n in range(10)]
    )
    api.add_contacts(other_tenant.token, [contact(99)])
    status, _ = api.post("/v3/contact/delete", {"token": tenant.token, "contact_ids": [ids[2]]})
    assert status == 200
    text = x_export(api, tenant.token)
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    assert rows == [{k: c[k] for k in CSV_COLUMNS} for c in v3_all(api, tenant.token)]
    assert [r["phone_no"] for r in rows] == [f"9190{n:08d}" for n in range(10) if n != 2]
    assert (rows[4]["first_name"], rows[4]["company"]) == ('Dr. "Ravi"', "Line\nbreak")
    # What the export writes, the import reads back as it was.
    report = x_import(api, other_tenant.token, text)
    assert (report["stored"], report["rejected"]) == (9, [])
    assert_error(*api.post(EXPORT, {"token": "0" * 43}), 404, AUTH_FAILED)
