"""Typed request and response models (plain dataclasses: the SDK needs no msgspec).

Names follow one scheme: `<Thing>` is what the server returns, `<Thing>Create` and
`<Thing>Update` are what a client sends. Field names are the wire names of the
generation they belong to, so a model reads like the vendor's documentation.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

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


def _str(data: dict[str, Any], key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value)


def _int_or_none(data: dict[str, Any], key: str) -> int | None:
    value = data.get(key)
    return int(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


@dataclass(frozen=True, kw_only=True, slots=True)
class Contact:
    """A v3 contact."""

    contact_id: str
    phone_no: str
    first_name: str
    last_name: str
    email_id: str = ""
    company: str = ""
    job_title: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Contact:
        return cls(**{f.name: _str(data, f.name) for f in dataclasses.fields(cls)})


@dataclass(frozen=True, kw_only=True, slots=True)
class ContactCreate:
    """A v3 contact to add (`client.v3.contacts.add`)."""

    phone_no: str
    first_name: str
    last_name: str
    email_id: str = ""
    company: str = ""
    job_title: str = ""

    def to_json(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(frozen=True, kw_only=True, slots=True)
class ContactUpdate:
    """A change to one v3 contact: fields left `None` are not changed."""

    contact_id: str
    phone_no: str | None = None
    first_name: str | None = None
    last_name: str | None = None
    email_id: str | None = None
    company: str | None = None
    job_title: str | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in dataclasses.asdict(self).items() if v is not None}


@dataclass(frozen=True, kw_only=True, slots=True)
class Note:
    """One entry of a v1 contact's append-only notes."""

    msg: str
    date: int | None
    agent: str

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Note:
        return cls(
            msg=_str(data, "msg"), date=_int_or_none(data, "date"), agent=_str(data, "agent")
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class V1Contact:
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

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> V1Contact:
        notes = data.get("notes")
        return cls(
            agent=_str(data, "agent"),
            inet_no=_int_or_none(data, "inet_no"),
            name=_str(data, "name"),
            mobile=_int_or_none(data, "mobile"),
            tag=_str(data, "tag"),
            time=_int_or_none(data, "time"),
            remindme=_int_or_none(data, "remindme"),
            status=_str(data, "status"),
            email=_str(data, "email"),
            info=_str(data, "info"),
            notes=tuple(Note.from_json(n) for n in notes) if isinstance(notes, list) else (),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class Login:
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
        agent = data.get("agent") or {}
        return cls(
            token=_str(data, "token"),
            id=_str(agent, "id"),
            inet_no=_int_or_none(agent, "inet_no"),
            name=_str(agent, "name"),
            category=agent.get("category"),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class AddedAgent:
    """`client.v1.agents.add`'s result."""

    agent_id: str
    name: str
    extension: int | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AddedAgent:
        agent = data.get("agent") or {}
        return cls(
            agent_id=_str(agent, "agent_id"),
            name=_str(agent, "name"),
            extension=_int_or_none(agent, "extension"),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class Agent:
    """A v1 agent as `client.v1.agents.list` shows it."""

    agent_id: str
    name: str
    extension: int | None
    notify: bool
    phone: str
    start_time: int | None
    end_time: int | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Agent:
        return cls(
            agent_id=_str(data, "agent_id"),
            name=_str(data, "name"),
            extension=_int_or_none(data, "extension"),
            notify=bool(data.get("notify")),
            phone=_str(data, "phone"),
            start_time=_int_or_none(data, "start_time"),
            end_time=_int_or_none(data, "end_time"),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class UpdatedAgent:
    """`client.v1.agents.update`'s result."""

    name: str
    notify: bool
    phone: str
    start_time: int | None
    end_time: int | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> UpdatedAgent:
        agent = data.get("agent") or {}
        return cls(
            name=_str(agent, "name"),
            notify=bool(agent.get("notify")),
            phone=_str(agent, "phone"),
            start_time=_int_or_none(agent, "start_time"),
            end_time=_int_or_none(agent, "end_time"),
        )


@dataclass(frozen=True, kw_only=True, slots=True)
class AddedUser:
    """`client.v3.users.add`'s result."""

    agent_id: str
    extension: int | None

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AddedUser:
        agent = data.get("agent") or {}
        return cls(agent_id=_str(agent, "agent_id"), extension=_int_or_none(agent, "extension"))


@dataclass(frozen=True, kw_only=True, slots=True)
class User:
    """A v3 user as `client.v3.users.get` and `.list` show it."""

    agent_id: str
    first_name: str
    last_name: str
    extension: int | None
    phone: str
    start_time: int | None
    end_time: int | None
    followme: bool

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> User:
        return cls(
            agent_id=_str(data, "agent_id"),
            first_name=_str(data, "first_name"),
            last_name=_str(data, "last_name"),
            extension=_int_or_none(data, "extension"),
            phone=_str(data, "phone"),
            start_time=_int_or_none(data, "start_time"),
            end_time=_int_or_none(data, "end_time"),
            followme=bool(data.get("followme")),
        )
