"""The named parameters of the v1 upsert statement, shared by both backends.

Each backend writes its own `INSERT ... ON CONFLICT DO UPDATE` but binds the same
names: `new_*` for the row inserted when the phone is unknown, the bare names for the
changes applied when it is known.
"""

from __future__ import annotations

from contactd.domain.models import PhoneUpsert
from contactd.domain.names import name_search_key

__all__ = ["upsert_params"]


def upsert_params(app_id: int, upsert: PhoneUpsert) -> dict[str, object]:
    new = upsert.new
    return {
        "app_id": app_id,
        "contact_id": new.contact_id,
        "phone": new.phone,
        "phone_key": new.phone_key,
        "new_first": new.first_name,
        "new_last": new.last_name,
        "new_key": name_search_key(new.first_name, new.last_name),
        "new_email": new.email,
        "company": new.company,
        "job_title": new.job_title,
        "new_tag": new.tag,
        "new_status": new.status,
        "new_remindme": new.remindme,
        "new_info": new.info,
        "new_notes": new.notes_json,
        "saved_by": new.saved_by,
        "created_at": new.created_at,
        "first": upsert.first_name,
        "last": upsert.last_name,
        "key": name_search_key(upsert.first_name, upsert.last_name),
        "email": upsert.email,
        "status": upsert.status,
        "tag": upsert.tag,
        "remindme": upsert.remindme,
        "info": upsert.info,
        "note": upsert.note_json,
    }
