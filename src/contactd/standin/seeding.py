"""Seeding (docs/stand-in.md, "Seed"): principals and contacts put into one app in one
call, `POST /_contactd/seed`, or into the apps of a file at start, `contactd serve
--stand-in --seed FILE` — the state an integrator's tests start from, v1's fields (the
due list's reminders, tags, notes) included.

A seed is checked whole before anything is written: every item by its endpoint's rules
(standin/seed_items.py), then what spans the items and the store — an extension twice,
or one the app has; a phone twice. Then the passwords are hashed, the contacts written
in one transaction (a phone the app holds refuses them all, and nothing is written),
and the principals one by one: only a store failure among those leaves a seed half
written (the contacts and the principals before it).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, NamedTuple

import msgspec
from msgspec import Meta

from contactd.api.admin_base import AdminAnswer, AdminRequest
from contactd.api.messages import explain
from contactd.api.operations import Services
from contactd.defaults import DEFAULT_COUNTRY_CODE
from contactd.domain.apps import check_app_fields, check_chosen_appid, check_chosen_secret
from contactd.domain.contacts import DUPLICATE_CONTACT
from contactd.domain.errors import AuthFailed, Conflict, DuplicateContacts, Invalid
from contactd.domain.models import App
from contactd.domain.principals import ALL_PRINCIPALS, EXTENSION_TAKEN, PrincipalDraft
from contactd.standin.control_group import SUCCESS
from contactd.standin.seed_items import Agents, SeedContact, contact_record, principal_draft

__all__ = [
    "MAX_SEED_APPS",
    "MAX_SEED_CONTACTS",
    "MAX_SEED_PRINCIPALS",
    "SeedAnswer",
    "SeedFileRefused",
    "SeedRequest",
    "check_seed_file",
    "seed",
    "seed_from_file",
]

log = logging.getLogger("contactd.standin")

MAX_SEED_PRINCIPALS = 1000
MAX_SEED_CONTACTS = 10_000
"""An app's seed at most: one request's worth (the body's 1 MiB holds about this many
short contacts); a larger book is seeded in several calls."""
MAX_SEED_APPS = 1000


class SeedRequest(AdminRequest, kw_only=True):
    principals: Annotated[
        list[msgspec.Raw],
        Meta(
            max_length=MAX_SEED_PRINCIPALS,
            description="Bodies of /v3/user/add, or of /v1/agent/add and /v2/user/add"
            ' ("generation": "v1"), without appid and secret',
        ),
    ] = []
    contacts: Annotated[
        list[msgspec.Raw],
        Meta(
            max_length=MAX_SEED_CONTACTS,
            description="Items of /v3/contact/add, or bodies of /v1/updateContact without"
            ' the token ("from"; or "generation": "v1"), each with "agent" (who saved it)'
            ' and "notes" ([{msg, date, agent}]) if wanted',
        ),
    ] = []


class SeedAnswer(AdminAnswer, kw_only=True):
    principals: list[str]
    """The new principals' ids, `{extension}_{appid}`, in the order sent."""
    contacts: list[str]
    """The new contacts' ids, in the order sent."""


class Plan(NamedTuple):
    """A seed checked whole, ready to write to `app_id`."""

    app_id: int
    principals: list[PrincipalDraft]
    contacts: list[SeedContact]


async def seed(services: Services, request: SeedRequest) -> SeedAnswer:
    """Add the seed's principals and contacts to the app: all of them, or none."""
    app = await services.apps.authenticate(request.appid, request.secret)
    plan = await checked(services, app, request.principals, request.contacts)
    principal_ids, contact_ids = await write(services, plan)
    return SeedAnswer(code=200, status=SUCCESS, principals=principal_ids, contacts=contact_ids)


async def checked(
    services: Services,
    app: App,
    principals: Sequence[msgspec.Raw],
    contacts: Sequence[msgspec.Raw],
) -> Plan:
    """Every item checked, and what spans them and the app's store; nothing written."""
    _, held = await services.principals.list_page(app, page=1, limit=ALL_PRINCIPALS)
    drafts = [principal_draft(services.principals, app, raw, i) for i, raw in enumerate(principals)]
    held_extensions = {p.extension for p in held}
    first_with: dict[int, int] = {}
    for i, draft in enumerate(drafts):
        extension = draft.record.extension
        where = f"principals[{i}].extension {extension}: {EXTENSION_TAKEN}"
        if extension in first_with:
            raise Conflict(f"{where} (as principals[{first_with[extension]}])")
        if extension in held_extensions:
            raise Conflict(f"{where} (in the app)")
        first_with[extension] = i
    agents = Agents(app.app_id, drafts, held)
    records = [contact_record(app, raw, i, agents) for i, raw in enumerate(contacts)]
    phone_first: dict[str, int] = {}
    for i, contact in enumerate(records):
        phone = contact.record.phone
        if phone.key in phone_first:
            raise DuplicateContacts(
                f"contacts[{i}].{contact.phone_field} {phone.digits}: {DUPLICATE_CONTACT}"
                f" (the phone of contacts[{phone_first[phone.key]}])",
                [phone.digits],
            )
        phone_first[phone.key] = i
    return Plan(app.app_id, drafts, records)


async def write(services: Services, plan: Plan) -> tuple[list[str], list[str]]:
    """Write a checked seed: the new principals' ids and the new contacts' ids."""
    # Every hash before any write: a hasher too busy refuses the seed with nothing written.
    hashed = [await services.principals.hashed(draft) for draft in plan.principals]
    contact_ids: list[str] = []
    if plan.contacts:
        try:
            contact_ids = await services.contacts.add_records(
                plan.app_id, [c.record for c in plan.contacts]
            )
        except DuplicateContacts as exc:
            raise _held(exc, plan.contacts) from exc
    for i, new in enumerate(hashed):
        try:
            await services.principals.add_new(new)
        except Conflict as exc:  # added by another request since the seed was checked
            raise Conflict(
                f"principals[{i}].extension {new.extension}: {EXTENSION_TAKEN} (added while"
                f" the seed was written: its contacts and the principals before it are kept)"
            ) from exc
    return [f"{new.extension}_{new.app_id}" for new in hashed], contact_ids


def _held(exc: DuplicateContacts, contacts: Sequence[SeedContact]) -> DuplicateContacts:
    """The store's refusal of phones the app holds, naming the first item with one."""
    named = set(exc.duplicates or ())
    i, first = next(
        ((i, c) for i, c in enumerate(contacts) if c.record.phone.digits in named),
        (0, contacts[0]),
    )
    return DuplicateContacts(
        f"contacts[{i}].{first.phone_field} {first.record.phone.digits}: {DUPLICATE_CONTACT}"
        " (the app holds a contact with this phone)",
        exc.duplicates or [],
    )


# -- contactd serve --stand-in --seed FILE ---------------------------------------------
class SeedApp(SeedRequest, kw_only=True):
    """An app of a seed file: created with this appid and secret unless it exists."""

    name: str = "Seeded app"
    country_code: str = DEFAULT_COUNTRY_CODE


class SeedFile(msgspec.Struct):
    apps: Annotated[list[SeedApp], Meta(max_length=MAX_SEED_APPS)]


class SeedFileRefused(ValueError):
    """A seed file that cannot be seeded: the message names the file, the app and the
    item."""


class AppPlan(NamedTuple):
    source: SeedApp
    exists: bool
    plan: Plan | None
    """None: the app holds data already and is left as it is."""


async def seed_from_file(services: Services, path: str) -> None:
    """Seed the apps of the file at `path` (at start, before serving): every app checked
    first, then each created unless it exists and seeded unless it holds data."""
    for app_plan in await _planned(services, path):
        source = app_plan.source
        if not app_plan.exists:
            await services.apps.create(
                source.name,
                country_code=source.country_code,
                appid=source.appid,
                secret=source.secret,
            )
        if app_plan.plan is None:
            log.info("seed %s: app %d holds data already: left as it is", path, source.appid)
            continue
        principal_ids, contact_ids = await write(services, app_plan.plan)
        log.info(
            "seed %s: app %d: %d principals, %d contacts",
            path,
            source.appid,
            len(principal_ids),
            len(contact_ids),
        )


async def check_seed_file(services: Services, path: str) -> None:
    """Check the file as `seed_from_file` would, writing nothing: `contactd serve`
    refuses a bad seed in one line before it starts serving."""
    await _planned(services, path)


_FILE = msgspec.json.Decoder(SeedFile)


async def _planned(services: Services, path: str) -> list[AppPlan]:
    try:
        body = Path(path).read_bytes()
    except OSError as exc:
        raise SeedFileRefused(f"--seed {path}: cannot be read: {exc.strerror}") from exc
    try:
        seed_file = _FILE.decode(body)
    except msgspec.ValidationError as exc:
        # The sentences of a refused body ("request body must be ..."), of a file here.
        sentence = explain(body, SeedFile).replace("request body", "the file")
        raise SeedFileRefused(f"--seed {path}: {sentence}") from exc
    except (msgspec.DecodeError, UnicodeDecodeError) as exc:
        raise SeedFileRefused(f"--seed {path}: not valid JSON: {exc}") from exc
    plans: list[AppPlan] = []
    first_at: dict[int, int] = {}
    for n, source in enumerate(seed_file.apps):
        at = f"--seed {path}: apps[{n}]"
        if source.appid in first_at:
            raise SeedFileRefused(
                f"{at}.appid {source.appid} is also the appid of apps[{first_at[source.appid]}]"
            )
        first_at[source.appid] = n
        try:
            plans.append(await _app_plan(services, source))
        except (Invalid, Conflict, DuplicateContacts) as exc:
            raise SeedFileRefused(f"{at}.{exc.msg}") from exc
        except AuthFailed as exc:
            raise SeedFileRefused(f"{at}: appid {source.appid} exists with another secret") from exc
    return plans


async def _app_plan(services: Services, source: SeedApp) -> AppPlan:
    check_chosen_appid(source.appid)
    check_chosen_secret(source.secret)
    name = check_app_fields(source.name, source.country_code)
    exists = await services.store.get_app(source.appid) is not None
    if exists:
        app = await services.apps.authenticate(source.appid, source.secret)
        if await services.store.contact_count(app.app_id) or await _has_principals(services, app):
            return AppPlan(source, exists=True, plan=None)
    else:  # the app as the seed will create it: what its items are checked against
        app = App(source.appid, name, b"", source.country_code, created_at=0)
    return AppPlan(source, exists, await checked(services, app, source.principals, source.contacts))


async def _has_principals(services: Services, app: App) -> bool:
    count, _ = await services.principals.list_page(app, page=1, limit=1)
    return count > 0
