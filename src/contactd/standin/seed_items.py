"""The items of a seed (`POST /_contactd/seed`, `contactd serve --seed`), each decoded
by the Struct of the endpoint whose body it copies and checked by that endpoint's own
rules, so that a seed is refused with the message the endpoint answers, the item named
in front of it (`contacts[3].phone_no is not a possible phone number ...`).

- A principal is the body of an admin add of any generation without its `appid` and
  `secret`: v3's `/v3/user/add`, or v1's `/v1/agent/add` (which v2's `/v2/user/add`
  takes too). `generation` (`v1`, `v2`, `v3`) says which; without it a body with
  `sms_alert` (v1's and v2's alone) is v1's, any other v3's.
- A contact is a `/v3/contact/add` item, or a `/v1/updateContact` body without its
  token (the v1 fields, the due list's `remindme` among them); `generation` (`v1`,
  `v3`) says which, else a contact with `from` is v1's. Either takes `agent`, the
  principal id that saved it, and `notes`, `[{msg, date?, agent?}]`.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator, Sequence
from typing import Annotated, NamedTuple, TypeVar

import msgspec
from msgspec import Meta

from contactd.api.admin_v1 import AgentAddRequest, agent_details
from contactd.api.admin_v3 import UserAddRequest, user_details
from contactd.api.decode import decode_body
from contactd.api.fields import AgentId, LongText
from contactd.api.v1 import Millis, UpdateContactRequest, contact_upsert
from contactd.api.v3 import ContactCreate, contact_input
from contactd.domain.contacts import ContactRecord, NoteInput
from contactd.domain.errors import Invalid
from contactd.domain.models import App, Principal
from contactd.domain.phones import normalize_phone
from contactd.domain.principals import PrincipalDraft, PrincipalService, parse_principal_id

__all__ = [
    "MAX_NOTES",
    "Agents",
    "SeedContact",
    "contact_record",
    "principal_draft",
]

MAX_NOTES = 100
"""The most notes one seeded contact may carry."""
S = TypeVar("S", bound=msgspec.Struct)
_FIELDS = msgspec.json.Decoder(dict[str, msgspec.Raw])
_TEXT = msgspec.json.Decoder(str)


class SeedNote(msgspec.Struct):
    msg: LongText
    date: Millis | None = None
    """When it was written, in epoch ms; the seed's now (the app's clock) if not sent."""
    agent: AgentId | None = None
    """Who wrote it; the contact's agent if not sent."""


class ContactExtras(msgspec.Struct):
    """What a seeded contact adds to the endpoint's body, in either shape."""

    agent: AgentId | None = None
    notes: Annotated[list[SeedNote], Meta(max_length=MAX_NOTES)] = []


class SeedContact(NamedTuple):
    record: ContactRecord
    phone_field: str
    """The field its phone came in: `phone_no` (v3) or `from` (v1)."""


class Agents:
    """Who may have saved a seed's contacts: the seed's principals and the app's own."""

    def __init__(
        self, app_id: int, drafts: Sequence[PrincipalDraft], held: Sequence[Principal]
    ) -> None:
        self._app_id = app_id
        self._ids = {f"{d.record.extension}_{app_id}" for d in drafts} | {p.id for p in held}
        first = drafts[0].record.extension if drafts else held[0].extension if held else None
        self.default = None if first is None else f"{first}_{app_id}"
        """The seed's first principal, else the app's (by extension)."""

    def resolve(self, agent: str | None, *, field: str) -> str:
        """The principal id `agent` names, as the vendor spells it; the default if None."""
        if agent is None:
            if self.default is None:
                raise Invalid(
                    f"{field} is required: contacts need a principal (the agent that saved"
                    " them), and neither the seed nor the app has one"
                )
            return self.default
        ids = parse_principal_id(agent)
        named = f"{ids[1]}_{ids[0]}" if ids is not None else ""
        if named not in self._ids:
            raise Invalid(
                f"{field} must be the id of a principal of the seed or of app {self._app_id}"
                f" ({{extension}}_{self._app_id}); got {agent.strip()!r}"
            )
        return named


@contextlib.contextmanager
def _naming(item: str) -> Iterator[None]:
    """Put the item in front of the messages of the rules below, which name its fields
    alone (every such message begins with the field)."""
    try:
        yield
    except Invalid as exc:
        raise Invalid(f"{item}.{exc.msg}") from exc


def _fields(raw: msgspec.Raw, item: str) -> dict[str, msgspec.Raw]:
    try:
        return _FIELDS.decode(raw)
    except msgspec.ValidationError as exc:
        raise Invalid(f"{item} must be an object") from exc


def _decode(fields: dict[str, msgspec.Raw], struct: type[S], **filler: object) -> S:
    """The item as the endpoint's Struct decodes it, with the fields the seed gives once
    for every item (`filler`: the app's credentials, a token) in place."""
    return decode_body(msgspec.json.encode({**fields, **filler}), struct)


def _generation(fields: dict[str, msgspec.Raw], known: tuple[str, ...], inferred: str) -> str:
    raw = fields.get("generation")
    if raw is None:
        return inferred
    try:
        generation = _TEXT.decode(raw)
    except msgspec.ValidationError:
        generation = None
    if generation not in known:
        raise Invalid(f"generation must be one of {', '.join(known)}")
    return generation


def principal_draft(
    principals: PrincipalService, app: App, raw: msgspec.Raw, index: int
) -> PrincipalDraft:
    """A seed's principal, checked as its generation's admin add checks it."""
    item = f"principals[{index}]"
    fields = _fields(raw, item)
    with _naming(item):
        inferred = "v1" if "sms_alert" in fields else "v3"
        if _generation(fields, ("v1", "v2", "v3"), inferred) == "v3":
            details = user_details(_decode(fields, UserAddRequest, appid=0, secret=""))
        else:
            details = agent_details(_decode(fields, AgentAddRequest, appid=0, secret=""))
        return principals.check_new(app, **details)


def contact_record(app: App, raw: msgspec.Raw, index: int, agents: Agents) -> SeedContact:
    """A seed's contact, checked as its generation's endpoint checks it."""
    item = f"contacts[{index}]"
    fields = _fields(raw, item)
    with _naming(item):
        inferred = "v1" if "from" in fields else "v3"
        generation = _generation(fields, ("v1", "v3"), inferred)
        extras = _decode(fields, ContactExtras)
        agent = agents.resolve(extras.agent, field="agent")
        notes = [_note(note, i, agents, agent) for i, note in enumerate(extras.notes)]
        if generation == "v3":
            v3 = contact_input(app.country_code, _decode(fields, ContactCreate))
            record = ContactRecord(**msgspec.structs.asdict(v3), notes=tuple(notes), saved_by=agent)
            return SeedContact(record, "phone_no")
        v1 = _decode(fields, UpdateContactRequest, token="")
        phone = normalize_phone(str(v1.from_), field="from", country_code=app.country_code)
        upsert = contact_upsert(v1, phone).record
        # As updateContact does: a sent `info` is the contact's first note too.
        if upsert.info:
            notes.insert(0, NoteInput(msg=upsert.info, agent=agent))
        record = msgspec.structs.replace(upsert, notes=tuple(notes), saved_by=agent)
        return SeedContact(record, "from")


def _note(note: SeedNote, index: int, agents: Agents, agent: str) -> NoteInput:
    msg = note.msg.strip()
    if not msg:  # as v2's notes/add refuses one
        raise Invalid(f"notes[{index}].msg must not be empty")
    if note.agent is not None:
        agent = agents.resolve(note.agent, field=f"notes[{index}].agent")
    return NoteInput(msg=msg, agent=agent, date=note.date)
