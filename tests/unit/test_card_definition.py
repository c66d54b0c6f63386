"""Everything that spells out the v3 card agrees with its one definition (`domain.card`),
and the records of a write agree with each other."""

from __future__ import annotations

import dataclasses
import re
import sqlite3
import typing
from pathlib import Path

import msgspec

from contactd.api import v3
from contactd.api.routes import OPERATIONS
from contactd.api.v1 import ContactFields, contact_upsert
from contactd.client import _models as sdk
from contactd.domain.card import CARD
from contactd.domain.contacts import ContactRecord
from contactd.domain.models import UPSERT_FIELDS, Contact, NewContact
from contactd.domain.names import name_search_key
from contactd.domain.phones import normalize_phone
from contactd.store.contact_rows import READ_COLUMNS, ROW_COLUMNS
from contactd.store.migrations.runner import migrations_for
from contactd.store.postgres_contacts import CARD_SELECT, GET_WITH_COUNT, PAGES
from contactd.store.postgres_renderings import (
    CARD_COLUMN,
    CARD_FUNCTION,
    CARD_TYPE,
    ENTRY_HEAD_COLUMN,
    ENTRY_HEAD_FUNCTION,
    ENTRY_HEAD_TYPE,
)
from contactd.store.sqlite_conn import SEARCH_KEY_FUNCTION
from contactd.store.sqlite_contacts import CARD_EXPRESSION

WIRE = [f.wire for f in CARD]


def _generated_card(table_sql: str) -> str:
    """The expression of the `card` column in a CREATE TABLE statement."""
    found = re.search(
        r"\bcard\s+TEXT\s+NOT NULL\s+GENERATED ALWAYS AS \((.*?)\)\s+STORED", table_sql, re.S
    )
    assert found is not None
    return found.group(1)


def _squeezed(sql: str) -> str:
    return re.sub(r"\s+", "", sql)


def test_migration_0005_stores_the_card_the_definition_derives() -> None:
    # An applied migration never changes: the definition must keep deriving its text.
    [(_, _, sql)] = [m for m in migrations_for("sqlite") if m[0] == 5]
    assert _squeezed(_generated_card(sql)) == _squeezed(CARD_EXPRESSION)


def test_a_migrated_sqlite_file_has_the_derived_card_column(tmp_path: Path) -> None:
    conn = sqlite3.connect(tmp_path / "m.db", isolation_level=None)
    conn.create_function(SEARCH_KEY_FUNCTION, 2, name_search_key, deterministic=True)
    for _, _, sql in migrations_for("sqlite"):
        conn.executescript(sql)
    [(table_sql,)] = conn.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'contacts'"
    ).fetchall()
    assert _squeezed(_generated_card(table_sql)) == _squeezed(CARD_EXPRESSION)
    conn.close()


def test_every_card_column_is_a_column_of_the_row() -> None:
    assert {f.column for f in CARD} <= set(READ_COLUMNS)
    assert {f.column for f in CARD} <= set(ROW_COLUMNS)


def test_migration_0018_stores_the_renderings_the_definition_derives() -> None:
    # An applied migration never changes: the definitions must keep deriving its text.
    [(_, _, sql)] = [m for m in migrations_for("postgresql") if m[0] == 18]
    squeezed = _squeezed(sql)
    for statement in (CARD_TYPE, CARD_FUNCTION, ENTRY_HEAD_TYPE, ENTRY_HEAD_FUNCTION):
        assert _squeezed(statement) + ";" in squeezed, statement
    for column, expression in (("v3_card", CARD_COLUMN), ("v1_head", ENTRY_HEAD_COLUMN)):
        assert f"ADDCOLUMN{column}textNOTNULLGENERATEDALWAYSAS({_squeezed(expression)})STORED" in (
            squeezed
        ), column


def test_the_postgresql_card_reads_read_the_stored_card() -> None:
    assert CARD_SELECT in GET_WITH_COUNT
    assert CARD_SELECT in PAGES


def test_the_wire_type_is_the_card() -> None:
    fields = msgspec.structs.fields(v3.ContactCard)
    assert [f.encode_name for f in fields] == WIRE
    assert [f.type for f in fields] == [f.type | None if f.nullable else f.type for f in CARD]
    assert all(f.required for f in fields)


def test_the_openapi_schema_of_a_page_lists_the_cards_fields() -> None:
    (_,), components = msgspec.json.schema_components([v3.ContactGetResponse])
    contacts = components["ContactGetResponse"]["properties"]["contacts"]
    assert contacts["type"] == "array"
    assert list(contacts["items"]["properties"]) == WIRE
    assert contacts["items"]["required"] == WIRE


def test_the_sdk_contact_has_the_cards_fields_and_types() -> None:
    # The SDK installs without msgspec, so it spells the fields out; they must agree.
    assert [f.name for f in dataclasses.fields(sdk.Contact)] == WIRE
    hints = typing.get_type_hints(sdk.Contact)
    assert [hints[f.wire] for f in CARD] == [f.type | None if f.nullable else f.type for f in CARD]


def test_every_route_declares_the_type_its_handler_returns() -> None:
    for op in OPERATIONS:
        assert typing.get_type_hints(op.handler)["return"] is op.response, op.path


def test_a_stored_contact_is_the_written_row_with_its_app_and_seq() -> None:
    assert Contact.__struct_fields__ == (*NewContact.__struct_fields__, "app_id", "seq")
    assert READ_COLUMNS[-2:] == ("app_id", "seq")
    assert ("app_id", *READ_COLUMNS[:-2], "name_key") == ROW_COLUMNS


def test_the_upsert_fields_are_the_optional_v1_fields_of_the_wire_and_the_record() -> None:
    optional = {f.name for f in msgspec.structs.fields(ContactFields) if not f.required}
    assert optional == UPSERT_FIELDS
    assert set(ContactRecord.__struct_fields__) >= UPSERT_FIELDS
    assert set(NewContact.__struct_fields__) >= UPSERT_FIELDS


def test_an_upsert_names_the_fields_sent_and_only_those() -> None:
    phone = normalize_phone("9876543210", field="from", country_code="91")
    body = b'{"name": "Asha Rao", "tag": " vip ", "info": ""}'
    sent = msgspec.json.decode(body, type=ContactFields)
    upsert = contact_upsert(sent, phone)
    assert upsert.sent == {"tag", "info"}
    assert (upsert.record.first_name, upsert.record.tag, upsert.record.info) == ("Asha", "vip", "")


def test_the_sdk_records_a_client_sends_name_the_cards_fields() -> None:
    # An add sends every field but the id, a change the id and any of the rest.
    assert [f.name for f in dataclasses.fields(sdk.ContactCreate)] == WIRE[1:]
    assert [f.name for f in dataclasses.fields(sdk.ContactUpdate)] == WIRE
