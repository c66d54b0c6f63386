"""How the client commands print: tables for people, JSON for scripts, progress on stderr."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import typer

from contactd.client import Contact

__all__ = ["CSV_COLUMNS", "print_contacts", "print_json", "progress", "stderr_console"]

CSV_COLUMNS = ("phone_no", "first_name", "last_name", "email_id", "company", "job_title")
"""The contact fields the tables show and the CSV files carry."""


def stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False))


def print_contacts(contacts: list[Contact], as_json: bool) -> None:
    if as_json:
        print_json([dataclasses.asdict(c) for c in contacts])
        return
    from rich.console import Console
    from rich.table import Table

    table = Table()
    for column in ("contact_id", *CSV_COLUMNS):
        # Ids and phones are never cut; narrow terminals wrap the other columns.
        table.add_column(column, no_wrap=column in ("contact_id", "phone_no"), overflow="fold")
    for c in contacts:
        table.add_row(c.contact_id, *(getattr(c, column) for column in CSV_COLUMNS))
    Console().print(table)


def progress() -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=stderr_console(),
    )  # fmt: skip
