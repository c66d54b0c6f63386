"""`contactd login` and `contactd contacts ...`: the API's client side, through the SDK.

Registered on the `contactd` command by `contactd.cli`. Credentials from `contactd login`
live in `$XDG_CONFIG_HOME/contactd/credentials.json` (default `~/.config`), mode 0600.
People get tables; `--json` prints JSON for scripts.
"""

from __future__ import annotations

import csv
import dataclasses
import functools
import json
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from contactd.client import (
    BadRequestError,
    Client,
    ConflictError,
    Contact,
    ContactCreate,
    ContactdError,
    ContactUpdate,
)

__all__ = ["BATCH_SIZE", "CSV_COLUMNS", "contacts_app", "credentials_path", "login"]

BATCH_SIZE = 100
"""Contacts per `/v3/contact/add` request: the endpoint's maximum."""
CSV_COLUMNS = ("phone_no", "first_name", "last_name", "email_id", "company", "job_title")

contacts_app = typer.Typer(help="List, change, import and export contacts (v3).")
JsonFlag = Annotated[bool, typer.Option("--json", help="Print JSON (for scripts).")]
F = TypeVar("F", bound=Callable[..., None])


# Credentials ---------------------------------------------------------------------------


def credentials_path() -> Path:
    config_home = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(config_home) / "contactd" / "credentials.json"


def _save_credentials(data: dict[str, str]) -> Path:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out)
    path.chmod(0o600)  # also when the file existed with looser permissions
    return path


def _client() -> Client:
    path = credentials_path()
    try:
        saved = json.loads(path.read_text(encoding="utf-8"))
        return Client(base_url=saved["base_url"], token=saved["token"])
    except FileNotFoundError:
        raise _fail("not logged in: run `contactd login --base-url URL --id ID` first") from None
    except (ValueError, KeyError, TypeError) as exc:
        raise _fail(f"{path} is unreadable ({exc!r}): run `contactd login` again") from exc


def _fail(message: str) -> typer.Exit:
    typer.echo(f"contactd: {message}", err=True)
    return typer.Exit(code=1)


def _reporting_errors(command: F) -> F:
    """Turn SDK errors into one line on stderr and exit status 1."""

    @functools.wraps(command)  # typer reads the signature through __wrapped__
    def wrapper(*args: Any, **kwargs: Any) -> None:
        try:
            command(*args, **kwargs)
        except ContactdError as exc:
            raise _fail(str(exc)) from exc

    return wrapper  # type: ignore[return-value]


@_reporting_errors
def login(
    base_url: Annotated[str, typer.Option(help="The server, e.g. http://127.0.0.1:8080")],
    user_id: Annotated[str, typer.Option("--id", help="User id, e.g. 1001_1234567")],
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, help="Prompted for when omitted")
    ],
) -> None:
    """Log in (v2) and keep the token for the `contacts` commands."""
    with Client(base_url=base_url) as client:
        result = client.v2.login(user_id, password)
    path = _save_credentials({"base_url": base_url, "id": result.id, "token": result.token})
    typer.echo(f"Logged in as {result.id} ({result.name}); token saved to {path}")


# Output --------------------------------------------------------------------------------


def _stderr_console() -> Any:
    from rich.console import Console

    return Console(stderr=True)


def _print_json(data: Any) -> None:
    typer.echo(json.dumps(data, ensure_ascii=False))


def _print_contacts(contacts: list[Contact], as_json: bool) -> None:
    if as_json:
        _print_json([dataclasses.asdict(c) for c in contacts])
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


# Commands ------------------------------------------------------------------------------


@contacts_app.command("list")
@_reporting_errors
def list_contacts(
    limit: Annotated[int, typer.Option(min=1, max=100, help="Contacts per page")] = 10,
    all_pages: Annotated[
        bool, typer.Option("--all", help="Every page, not just the first")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """List contacts, oldest first."""
    with _client() as client:
        page = client.v3.contacts.list(limit=limit)
        contacts = list(page.auto_paging_iter()) if all_pages else page.data
    _print_contacts(contacts, as_json)


@contacts_app.command("get")
@_reporting_errors
def get_contact(contact_id: str, as_json: JsonFlag = False) -> None:
    """Show one contact."""
    with _client() as client:
        found = client.v3.contacts.get(contact_id)
    if found is None:
        raise _fail(f"no contact {contact_id}")
    _print_contacts([found], as_json)


@contacts_app.command("add")
@_reporting_errors
def add_contact(
    phone_no: Annotated[str, typer.Option("--phone")],
    first_name: Annotated[str, typer.Option()],
    last_name: Annotated[str, typer.Option()] = "",
    email_id: Annotated[str, typer.Option("--email")] = "",
    company: Annotated[str, typer.Option()] = "",
    job_title: Annotated[str, typer.Option()] = "",
    as_json: JsonFlag = False,
) -> None:
    """Add one contact; prints its id."""
    new = ContactCreate(
        phone_no=phone_no, first_name=first_name, last_name=last_name,
        email_id=email_id, company=company, job_title=job_title,
    )  # fmt: skip
    with _client() as client:
        (contact_id,) = client.v3.contacts.add([new])
    if as_json:
        _print_json({"contact_id": contact_id})
    else:
        typer.echo(contact_id)


@contacts_app.command("update")
@_reporting_errors
def update_contact(
    contact_id: str,
    phone_no: Annotated[str | None, typer.Option("--phone")] = None,
    first_name: Annotated[str | None, typer.Option()] = None,
    last_name: Annotated[str | None, typer.Option()] = None,
    email_id: Annotated[str | None, typer.Option("--email")] = None,
    company: Annotated[str | None, typer.Option()] = None,
    job_title: Annotated[str | None, typer.Option()] = None,
) -> None:
    """Change the given fields of one contact."""
    change = ContactUpdate(
        contact_id=contact_id, phone_no=phone_no, first_name=first_name, last_name=last_name,
        email_id=email_id, company=company, job_title=job_title,
    )  # fmt: skip
    with _client() as client:
        client.v3.contacts.update([change])
    typer.echo("updated")


@contacts_app.command("delete")
@_reporting_errors
def delete_contacts(
    contact_ids: Annotated[list[str], typer.Argument(help="1-100 contact ids")],
    as_json: JsonFlag = False,
) -> None:
    """Delete contacts by id; prints how many existed."""
    with _client() as client:
        deleted = client.v3.contacts.delete(contact_ids)
    if as_json:
        _print_json({"deleted": deleted})
    else:
        typer.echo(f"deleted {deleted}")


# Import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    line: int
    contact: ContactCreate


@dataclass(frozen=True)
class Rejected:
    line: int
    phone_no: str
    reason: str


_ITEM = re.compile(r"contacts\[(\d+)\]\.?")


class Importer:
    """Stores every good row of a batch; isolates and reports each bad one.

    The server refuses a whole batch for one bad row. A 400 names the item's index: that
    row is dropped and the rest re-sent. A 409 names phones: those rows are re-sent one by
    one (a lone 409 is definitive) and the others together. Anything unnamed is bisected.
    """

    def __init__(self, client: Client) -> None:
        self.client = client
        self.stored = 0
        self.rejected: list[Rejected] = []

    def reject(self, row: Row, reason: str) -> None:
        self.rejected.append(Rejected(row.line, row.contact.phone_no, reason))

    def store(self, rows: list[Row]) -> None:
        if not rows:
            return
        try:
            self.client.v3.contacts.add([row.contact for row in rows])
        except ConflictError as exc:
            self._conflict(rows, exc)
        except BadRequestError as exc:
            self._invalid(rows, exc)
        else:
            self.stored += len(rows)

    def _conflict(self, rows: list[Row], exc: ConflictError) -> None:
        if len(rows) == 1:
            return self.reject(rows[0], "phone already stored")
        named = set(exc.duplicates)
        if not any(row.contact.phone_no in named for row in rows):
            return self._bisect(rows)
        run: list[Row] = []
        for row in rows:  # keep the file's order: runs of clean rows, suspects alone
            if row.contact.phone_no in named:
                self.store(run)
                self.store([row])
                run = []
            else:
                run.append(row)
        self.store(run)
        return None

    def _invalid(self, rows: list[Row], exc: BadRequestError) -> None:
        match = _ITEM.search(exc.msg)
        index = int(match.group(1)) if match else -1
        if len(rows) == 1 or 0 <= index < len(rows):
            bad = rows[index] if len(rows) > 1 else rows[0]
            self.reject(bad, _ITEM.sub("", exc.msg))
            return self.store([row for row in rows if row is not bad])
        return self._bisect(rows)

    def _bisect(self, rows: list[Row]) -> None:
        middle = len(rows) // 2
        self.store(rows[:middle])
        self.store(rows[middle:])


def read_rows(path: Path) -> Iterator[Row | Rejected]:
    """Rows of a contacts CSV; a phone repeated in the file is rejected on the spot."""
    first_seen: dict[str, int] = {}
    with path.open(newline="", encoding="utf-8-sig") as source:
        reader = csv.DictReader(source)
        if "phone_no" not in (reader.fieldnames or []):
            raise _fail(f"{path}: no phone_no column (expected: {', '.join(CSV_COLUMNS)})")
        for record in reader:
            fields = {c: (record.get(c) or "").strip() for c in CSV_COLUMNS}
            phone, line = fields["phone_no"], reader.line_num
            if phone in first_seen:
                yield Rejected(
                    line, phone, f"phone repeated in the file (line {first_seen[phone]})"
                )
                continue
            first_seen[phone] = line
            yield Row(line, ContactCreate(**fields))


def _batches(items: Iterator[Row | Rejected], importer: Importer) -> Iterator[list[Row]]:
    batch: list[Row] = []
    for item in items:
        if isinstance(item, Rejected):
            importer.rejected.append(item)
            continue
        batch.append(item)
        if len(batch) == BATCH_SIZE:
            yield batch
            batch = []
    if batch:
        yield batch


def _progress() -> Any:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    return Progress(
        TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
        console=_stderr_console(),
    )  # fmt: skip


def _count_lines(path: Path) -> int:
    with path.open(newline="", encoding="utf-8-sig") as source:
        return max(0, sum(1 for _ in csv.reader(source)) - 1)


@contacts_app.command("import")
@_reporting_errors
def import_contacts(
    file: Annotated[Path, typer.Argument(exists=True, dir_okay=False, help="A CSV file")],
    as_json: JsonFlag = False,
) -> None:
    """Import a CSV (columns: phone_no, first_name, last_name, email_id, company, job_title).

    Every good row is stored; each bad one is reported with its line and reason. A phone
    already stored is a bad row, so running the same import again stores nothing twice.
    """
    with _client() as client, _progress() as progress:
        importer = Importer(client)
        task = progress.add_task("Importing", total=_count_lines(file))
        for batch in _batches(read_rows(file), importer):
            importer.store(batch)
            progress.update(task, completed=importer.stored + len(importer.rejected))
        progress.update(task, completed=importer.stored + len(importer.rejected))
    _report_import(importer, as_json)


def _report_import(importer: Importer, as_json: bool) -> None:
    rejected = sorted(importer.rejected, key=lambda r: r.line)
    if as_json:
        _print_json(
            {"stored": importer.stored, "rejected": [dataclasses.asdict(r) for r in rejected]}
        )
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    console.print(f"Stored {importer.stored} contacts; rejected {len(rejected)} rows.")
    if rejected:
        table = Table("line", "phone_no", "reason")
        for r in rejected:
            table.add_row(str(r.line), r.phone_no, r.reason)
        console.print(table)


@contacts_app.command("export")
@_reporting_errors
def export_contacts(
    file: Annotated[Path, typer.Argument(dir_okay=False, help="The CSV file to write")],
) -> None:
    """Export every contact to a CSV (the columns `contacts import` reads)."""
    with (
        _client() as client,
        _progress() as progress,
        file.open("w", newline="", encoding="utf-8") as out,
    ):
        writer = csv.writer(out)
        writer.writerow(CSV_COLUMNS)
        first = client.v3.contacts.list(limit=BATCH_SIZE)
        task = progress.add_task("Exporting", total=first.count)
        for n, contact in enumerate(first.auto_paging_iter(), start=1):
            writer.writerow([getattr(contact, column) for column in CSV_COLUMNS])
            progress.update(task, completed=n)
    typer.echo(f"Exported to {file}", err=True)
