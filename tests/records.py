"""Factories for store-level records, for the tests that drive a store directly."""

from __future__ import annotations

import uuid

from contactd.domain.models import NewContact


def new_contact(
    n: int, first: str, last: str = "Ross", *, prefix: str = "9180", saved_by: str = "101_1"
) -> NewContact:
    """A new contact whose phone is unique for each `n` (within one `prefix`)."""
    phone = f"{prefix}{n:08d}"
    return NewContact(
        contact_id=str(uuid.uuid4()),
        phone=phone,
        phone_key=phone,
        first_name=first,
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
        created_at=n,
    )
