"""Typed request and response models (plain dataclasses: the SDK needs no msgspec).

Names follow one scheme: `<Thing>` is what the server returns, `<Thing>Create` and
`<Thing>Update` are what a client sends. Field names are the wire names of the
generation they belong to, so a model reads like the vendor's documentation.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar, Self, TypeVar

__all__ = [
    "AddedAgent",
    "AddedUser",
    "Agent",
    "Contact",
    "ContactCreate",
    "ContactUpdate",
    "Login",
    "Note",
    "UpdatedAgent",
    "User",
    "V1Contact",
]


M = TypeVar("M")
Reader = Callable[[dict[str, Any], str], Any]


def _str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value)


def _int_or_none(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def _flag(data: dict[str, Any], key: str) -> bool:
    return bool(data.get(key))


def _raw(data: dict[str, Any], key: str) -> Any:
    return data.get(key)


def _notes(data: dict[str, Any], key: str) -> tuple[Note, ...]:
    notes = data.get(key)
    return tuple(Note.from_json(n) for n in notes) if isinstance(notes, list) else ()


_READERS: dict[str, Reader] = {
    "str": _str,
    "int | None": _int_or_none,
    "bool": _flag,
    "str | None": _raw,
    "tuple[Note, ...]": _notes,
}
"""How a response field is read, by its annotation: a missing or mistyped value reads as
the empty string, `None` or `False` rather than failing the whole response."""


@functools.cache
def _readers(model: Any) -> tuple[tuple[str, Reader], ...]:
    # The annotations are strings (`from __future__ import annotations`): "int | None".
    return tuple((f.name, _READERS[str(f.type)]) for f in dataclasses.fields(model))


def _read(model: Callable[..., M], data: dict[str, Any], **given: Any) -> M:
    """A `model` from the JSON object `data`, each field read by its type, except those
    `given`."""
    values = {name: read(data, name) for name, read in _readers(model) if name not in given}
    return model(**values, **given)


class _Response:
    """A model the server returns: `from_json` reads each field by its type, from the
    body or, for those with `_UNDER`, from the object under that key."""

    __slots__ = ()
    _UNDER: ClassVar[str | None] = None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Self:
        return _read(cls, data.get(cls._UNDER) or {} if cls._UNDER else data)


class _AdminWrite(_Response):
    """What an admin `add` or `update` returns: the record under the body's `agent`."""

    __slots__ = ()
    _UNDER: ClassVar[str | None] = "agent"


@dataclass(frozen=True, kw_only=True)
class _ContactId:
    """What a stored contact, and a change to one, is known by."""

    __slots__ = ()
    contact_id: str


@dataclass(frozen=True, kw_only=True)
class _ContactFields:
    """A v3 contact's own fields, as it is added and as it is read back. (The slots are
    made by the public records, `slots=True`: bases with slots of their own could not be
    combined.)"""

    __slots__ = ()
    phone_no: str
    first_name: str
    last_name: str
    email_id: str = ""
    company: str = ""
    job_title: str = ""


# A dataclass takes its bases' fields from the far end of the MRO first: `contact_id`
# comes before the contact's fields, as on the wire.
@dataclass(frozen=True, kw_only=True, slots=True)
class Contact(_ContactFields, _ContactId, _Response):
    """A v3 contact."""


@dataclass(frozen=True, kw_only=True, slots=True)
class ContactCreate(_ContactFields):
    """A v3 contact to add (`client.v3.contacts.add`)."""

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, kw_only=True, slots=True)
class ContactUpdate(_ContactId):
    """A change to one v3 contact: fields left `None` are not changed."""

    phone_no: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email_id: str | None = None
    company: str | None = None
    job_title: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


@dataclass(frozen=True, kw_only=True, slots=True)
class Note(_Response):
    """One entry of a v1 contact's append-only notes."""

    msg: str
    date: int | None
    agent: str


@dataclass(frozen=True, kw_only=True, slots=True)
class V1Contact(_Response):
    """A v1 contact (`mobile` is a number, `name` is first and last name joined)."""

    agent: str
    inet_no: int | None
    name: str
    mobile: int | None
    tag: str = ""
    time: int | None = None
    remindme: int | None = None
    status: str = ""
    email: str = ""
    info: str = ""
    notes: tuple[Note, ...] = ()


@dataclass(frozen=True, kw_only=True, slots=True)
class Login(_Response):
    """A login's result: the token (also stored on the client) and who it belongs to."""

    token: str = dataclasses.field(repr=False)
    """A credential: left out of the repr, so a logged or printed result does not leak it."""
    id: str
    inet_no: int | None
    name: str
    category: str | None = None
    """`"inr"` for a v2 login; `None` for a v1 login, which has no category."""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Login:
        return _read(cls, data.get("agent") or {}, token=_str(data, "token"))


@dataclass(frozen=True, kw_only=True, slots=True)
class AddedAgent(_AdminWrite):
    """`client.v1.agents.add`'s result."""

    agent_id: str
    name: str
    extension: int | None


@dataclass(frozen=True, kw_only=True, slots=True)
class Agent(_Response):
    """A v1 agent as `client.v1.agents.list` shows it."""

    agent_id: str
    name: str
    extension: int | None
    notify: bool
    phone: str
    start_time: int | None
    end_time: int | None


@dataclass(frozen=True, kw_only=True, slots=True)
class UpdatedAgent(_AdminWrite):
    """`client.v1.agents.update`'s result."""

    name: str
    notify: bool
    phone: str
    start_time: int | None
    end_time: int | None


@dataclass(frozen=True, kw_only=True, slots=True)
class AddedUser(_AdminWrite):
    """`client.v3.users.add`'s result."""

    agent_id: str
    extension: int | None


@dataclass(frozen=True, kw_only=True, slots=True)
class User(_Response):
    """A v3 user as `client.v3.users.get` and `.list` show it."""

    agent_id: str
    first_name: str
    last_name: str
    extension: int | None
    phone: str
    start_time: int | None
    end_time: int | None
    followme: bool
