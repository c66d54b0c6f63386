"""How the client commands print: tables for people, JSON for scripts, progress on stderr."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import typer

from contactd.client import Contact
from contactd.contacts_csv import CSV_COLUMNS

__all__ = [
    "CSV_COLUMNS",
    "print_contact",
    "print_contacts",
    "print_json",
    "print_table",
    "progress",
    "stderr_console",
]


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False))


def print_contacts(contacts: list[Contact], as_json: bool, *, wide: bool = False) -> None:
    """A table: id, phone and name, which fit 80 columns; `wide` adds every field."""
    if as_json:
        print_json([dataclasses.asdict(c) for c in contacts])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table()
    # Ids and phones are never cut (they are what the other commands take); narrow
    # terminals fold the other columns.
    table.add_column("contact_id", no_wrap=True)
    table.add_column("phone_no", no_wrap=True)
    columns = CSV_COLUMNS[1:] if wide else ("name",)
    for column in columns:
        table.add_column(column, overflow="fold")
    for c in contacts:
        values = [getattr(c, column) for column in columns] if wide else [_name(c)]
        table.add_row(c.contact_id, c.phone_no, *values)
    Console().print(table)


def print_contact(contact: Contact, as_json: bool) -> None:
    """One contact, a field a line."""
    if as_json:
        print_json([dataclasses.asdict(contact)])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(show_header=False, box=None)
    table.add_column(style="bold", no_wrap=True)
    table.add_column(overflow="fold")
    for field in dataclasses.fields(contact):
        table.add_row(field.name, getattr(contact, field.name))
    Console().print(table)


def _name(contact: Contact) -> str:
    return " ".join(part for part in (contact.first_name, contact.last_name) if part)


def print_table(columns: Sequence[str], rows: Sequence[Mapping[str, Any]], *, caption: str) -> None:
    """Rows of JSON-like records as a table of the given columns, for people."""
    from rich.console import Console
    from rich.table import Table

    table = Table(*columns, caption=caption)
    for row in rows:
        table.add_row(*(_cell(column, row[column]) for column in columns))
    Console().print(table)


def _cell(column: str, value: Any) -> str:
    if column.endswith("_at") and isinstance(value, int):  # epoch milliseconds
        return datetime.fromtimestamp(value / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")
    return str(value)


def progress() -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=stderr_console(),
    )  # fmt: skip
