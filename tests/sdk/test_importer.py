"""The import's bad-row isolation when the server names nothing: bisection."""

from __future__ import annotations

import json

import httpx

from contactd.cli.importer import Importer, Row
from contactd.client import Client, ContactCreate


def vague_server(stored: list[str]) -> httpx.MockTransport:
    """Refuses any batch holding a bad phone, without saying which item (400 or 409)."""

    def handler(request: httpx.Request) -> httpx.Response:
        phones = [c["phone_no"] for c in json.loads(request.read())["contacts"]]
        if any(p.startswith("bad") for p in phones):
            return httpx.Response(400, json={"code": 400, "status": "error", "msg": "invalid"})
        if any(p in stored or p.startswith("dup") for p in phones):
            return httpx.Response(409, json={"code": 409, "status": "error", "msg": "dup"})
        stored.extend(phones)
        return httpx.Response(200, json={"code": 200, "msg": "ok", "contact_ids": phones})

    return httpx.MockTransport(handler)


def test_unnamed_bad_rows_are_found_by_bisection() -> None:
    phones = [f"91900000{n:04d}" for n in range(40)]
    phones[3], phones[17], phones[38] = "bad1", "dup1", "bad2"
    rows = [
        Row(n + 2, ContactCreate(phone_no=p, first_name="F", last_name="L"))
        for n, p in enumerate(phones)
    ]
    stored: list[str] = []
    with Client(transport=vague_server(stored), token="t") as client:
        importer = Importer(client)
        importer.store(rows)
    assert importer.stored == len(stored) == 37
    assert stored == [p for p in phones if p[0].isdigit()]  # the file's order is kept
    assert [(r.line, r.reason) for r in importer.rejected] == [
        (5, "invalid"),
        (19, "phone already stored"),
        (40, "invalid"),
    ]
