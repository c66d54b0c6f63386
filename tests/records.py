"""Factories for store-level records, for the tests that drive a store directly.

Tests that go through HTTP build their bodies with `tests.helpers.contact` instead.
"""

from __future__ import annotations

import uuid
from typing import Any

from contactd.domain.models import NewContact, NewPrincipal, PrincipalChanges

SAVED_BY = "1001_1234567"
"""The principal id the records name as their author unless told otherwise."""


def new_contact(
    n: int,
    first: str | None = None,
    last: str = "Last",
    *,
    prefix: str = "9190",
    saved_by: str = SAVED_BY,
    created_at: int | None = None,
) -> NewContact:
    """A new contact whose phone (`prefix` and `n` in 8 digits) is unique for each `n`
    within one prefix; first name `First{n}` and creation time `n` unless given."""
    phone = f"{prefix}{n:08d}"
    return NewContact(
        contact_id=str(uuid.uuid4()),
        phone=phone,
        phone_key=phone,
        first_name=f"First{n}" if first is None else first,
        last_name=last,
        email="",
        company="",
        job_title="",
        tag="",
        status="",
        remindme=None,
        info="",
        notes_json="[]",
        saved_by=saved_by,
        created_at=n if created_at is None else created_at,
    )


def new_principal(extension: int, first: str, last: str = "", *, app_id: int) -> NewPrincipal:
    """A new principal (agent or user) of `app_id` with that extension and name."""
    return NewPrincipal(
        app_id=app_id,
        extension=extension,
        first_name=first,
        last_name=last,
        phone="",
        email="",
        password_hash="hash",
        start_time=None,
        end_time=None,
        notify=True,
        followme=False,
        created_at=1,
    )


def principal_changes(**changed: Any) -> PrincipalChanges:
    """Changes to the named fields of a principal only (the others None: kept)."""
    fields = dict.fromkeys(PrincipalChanges.__struct_fields__)
    return PrincipalChanges(**(fields | changed))
