"""`contactd contacts ...`: list, change, import and export contacts through the SDK (v3).

People get tables; `--json` prints JSON for scripts.
"""

from __future__ import annotations

import dataclasses
from typing import Annotated

import typer

from contactd.cli.credentials import client_from_credentials, reporting_errors
from contactd.cli.csv_files import STDIO, open_csv
from contactd.cli.failure import EXIT_FAILURE, fail
from contactd.cli.importer import Importer, batches, count_rows, read_rows
from contactd.cli.options import JsonFlag
from contactd.cli.output import print_contact, print_contacts, print_json, progress
from contactd.client import ContactCreate, ContactUpdate
from contactd.contacts_csv import BATCH_SIZE, write_contacts

__all__ = ["contacts_app"]

contacts_app = typer.Typer(help="List, change, import and export contacts (v3).")
ContactId = Annotated[str, typer.Argument(help="The contact's id, as `contacts list` shows it")]
PHONE_HELP = "phone number with its country code, digits only (e.g. 919200000000)"


@contacts_app.command("list")
@reporting_errors
def list_contacts(
    limit: Annotated[int, typer.Option(min=1, max=100, help="Contacts per page")] = 10,
    all_pages: Annotated[
        bool, typer.Option("--all", help="Every page, not just the first")
    ] = False,
    wide: Annotated[
        bool, typer.Option("--wide", help="Every field, not just id, phone and name")
    ] = False,
    as_json: JsonFlag = False,
) -> None:
    """List contacts, oldest first."""
    with client_from_credentials() as client:
        page = client.v3.contacts.list(limit=limit)
        contacts = list(page.auto_paging_iter()) if all_pages else page.data
    print_contacts(contacts, as_json, wide=wide)


@contacts_app.command("get")
@reporting_errors
def get_contact(contact_id: ContactId, as_json: JsonFlag = False) -> None:
    """Show one contact."""
    with client_from_credentials() as client:
        found = client.v3.contacts.get(contact_id)
    if found is None:
        raise fail(f"no contact {contact_id}")
    print_contact(found, as_json)


@contacts_app.command("add")
@reporting_errors
def add_contact(
    phone_no: Annotated[str, typer.Option("--phone", help=PHONE_HELP)],
    first_name: Annotated[str, typer.Option(help="First name")],
    last_name: Annotated[str, typer.Option(help="Last name")] = "",
    email_id: Annotated[str, typer.Option("--email", help="Email address")] = "",
    company: Annotated[str, typer.Option(help="Company")] = "",
    job_title: Annotated[str, typer.Option(help="Job title")] = "",
    as_json: JsonFlag = False,
) -> None:
    """Add one contact; prints its id."""
    new = ContactCreate(
        phone_no=phone_no, first_name=first_name, last_name=last_name,
        email_id=email_id, company=company, job_title=job_title,
    )  # fmt: skip
    with client_from_credentials() as client:
        (contact_id,) = client.v3.contacts.add([new])
    if as_json:
        print_json({"contact_id": contact_id})
    else:
        typer.echo(contact_id)


@contacts_app.command("update")
@reporting_errors
def update_contact(
    contact_id: ContactId,
    phone_no: Annotated[str | None, typer.Option("--phone", help="New " + PHONE_HELP)] = None,
    first_name: Annotated[str | None, typer.Option(help="New first name")] = None,
    last_name: Annotated[str | None, typer.Option(help="New last name")] = None,
    email_id: Annotated[str | None, typer.Option("--email", help="New email address")] = None,
    company: Annotated[str | None, typer.Option(help="New company")] = None,
    job_title: Annotated[str | None, typer.Option(help="New job title")] = None,
) -> None:
    """Change the given fields of one contact."""
    change = ContactUpdate(
        contact_id=contact_id, phone_no=phone_no, first_name=first_name, last_name=last_name,
        email_id=email_id, company=company, job_title=job_title,
    )  # fmt: skip
    with client_from_credentials() as client:
        client.v3.contacts.update([change])
    typer.echo("updated")


@contacts_app.command("delete")
@reporting_errors
def delete_contacts(
    contact_ids: Annotated[list[str], typer.Argument(help="1-100 contact ids")],
    as_json: JsonFlag = False,
) -> None:
    """Delete contacts by id; prints how many existed."""
    with client_from_credentials() as client:
        deleted = client.v3.contacts.delete(contact_ids)
    if as_json:
        print_json({"deleted": deleted})
    else:
        typer.echo(f"deleted {deleted}")


EXIT_INTERRUPTED = 130
"""128 + SIGINT, as a shell reports a command stopped by Ctrl-C."""


@contacts_app.command("import")
@reporting_errors
def import_contacts(
    file: Annotated[str, typer.Argument(help="A CSV file, or - for standard input")],
    as_json: JsonFlag = False,
) -> None:
    """Import a CSV (columns: phone_no, first_name, last_name, email_id, company, job_title).

    Every good row is stored; each bad one is reported with its line and reason, and the
    exit status is then 1. A phone already stored is a bad row, so running the same import
    again stores nothing twice. Interrupted (Ctrl-C), it reports what it stored so far.
    """
    interrupted = False
    with client_from_credentials() as client, open_csv(file, "r") as source, progress() as bar:
        importer = Importer(client)
        task = bar.add_task("Importing", total=count_rows(source))
        try:
            for batch in batches(read_rows(source, file), importer):
                importer.store(batch)
                bar.update(task, completed=importer.stored + len(importer.rejected))
        except KeyboardInterrupt:
            interrupted = True
        bar.update(task, completed=importer.stored + len(importer.rejected))
    _report_import(importer, as_json, interrupted=interrupted)
    if interrupted:
        raise typer.Exit(EXIT_INTERRUPTED)
    if importer.rejected:
        raise typer.Exit(EXIT_FAILURE)


def _report_import(importer: Importer, as_json: bool, *, interrupted: bool) -> None:
    rejected = sorted(importer.rejected, key=lambda r: r.line)
    if as_json:
        report = {"stored": importer.stored, "rejected": [dataclasses.asdict(r) for r in rejected]}
        print_json({**report, "interrupted": True} if interrupted else report)
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    if interrupted:
        console.print(
            "Interrupted before the end of the file. Run the same import again to store"
            " the rest: rows already stored are then reported, not stored twice."
        )
    console.print(f"Stored {importer.stored} contacts; rejected {len(rejected)} rows.")
    if rejected:
        table = Table("line", "phone_no", "reason")
        for r in rejected:
            table.add_row(str(r.line), r.phone_no, r.reason)
        console.print(table)


@contacts_app.command("export")
@reporting_errors
def export_contacts(
    file: Annotated[str, typer.Argument(help="The CSV file to write, or - for standard output")],
) -> None:
    """Export every contact to a CSV (the columns `contacts import` reads)."""
    with (
        client_from_credentials() as client,
        progress() as bar,
        open_csv(file, "w") as out,
    ):
        write_contacts(out, (), header=True)
        first = client.v3.contacts.list(limit=BATCH_SIZE)
        task = bar.add_task("Exporting", total=first.count)
        exported = 0
        for exported, contact in enumerate(first.auto_paging_iter(), start=1):
            write_contacts(out, (contact,), header=False)
            bar.update(task, completed=exported)
    where = "standard output" if file == STDIO else file
    typer.echo(f"Exported {exported} contacts to {where}", err=True)
