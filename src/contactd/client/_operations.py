"""Every endpoint as a function that builds a `Call`: parameters, paths, bodies and
parsers, once.

Each function's signature and docstring are those of the namespace method that sends
it (`client.v3.contacts.add` is `v3_contact_add`, declared in `_resources`). Token
calls take `token=` to override the client's token; admin calls take `appid=` and
`secret=` to override the client's. Writes take `idempotency_key=` to send the caller's
own key instead of a fresh one per call.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from functools import partial
from typing import Any, TypeVar

from contactd.client import _models as models
from contactd.client._call import Auth, Call
from contactd.client._paging import PageData

__all__ = [
    "v1_agent_add",
    "v1_agent_list",
    "v1_agent_remove",
    "v1_agent_update",
    "v1_contact_delete",
    "v1_contact_list",
    "v1_contact_update",
    "v1_login",
    "v2_login",
    "v3_contact_add",
    "v3_contact_delete",
    "v3_contact_get",
    "v3_contact_list",
    "v3_contact_update",
    "v3_user_add",
    "v3_user_get",
    "v3_user_list",
    "v3_user_remove",
    "v3_user_update",
]

T = TypeVar("T")


def _present(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def _ignore(_: dict[str, Any]) -> None:
    return None


def _numbered(
    call: Call[Any], key: str, item: Callable[[dict[str, Any]], T],
    page: int, limit: int, again: Callable[..., Call[PageData[T]]],
) -> Call[PageData[T]]:  # fmt: skip
    """`call`, the request for page `page` of a page-numbered list, with its parser: the
    records are under `key`, and there is more unless this page was short or `count` is
    reached (then `again(page=)` builds the next)."""

    def parse(data: dict[str, Any]) -> PageData[T]:
        items = [item(x) for x in data.get(key) or []]
        count = int(data.get("count") or 0)
        more = len(items) == limit and page * limit < count
        return PageData(data=items, count=count, next=again(page=page + 1) if more else None)

    return replace(call, parse=parse, idempotent=True)


# Logins --------------------------------------------------------------------------------


def _login(path: str, login_id: str, password: str) -> Call[models.Login]:
    body = {"id": login_id, "password": password}
    return Call(path=path, body=body, parse=models.Login.from_json, auth=Auth.NONE, idempotent=True)


def v1_login(agent_id: str, password: str) -> Call[models.Login]:
    """`/v1/agentLogin`; the token is kept on the client for later calls."""
    return _login("/v1/agentLogin", agent_id, password)


def v2_login(user_id: str, password: str) -> Call[models.Login]:
    """`/v2/user/login`; the token is kept on the client for later calls."""
    return _login("/v2/user/login", user_id, password)


# v3 contacts ---------------------------------------------------------------------------


def v3_contact_get(contact_id: str, *, token: str | None = None) -> Call[models.Contact | None]:
    """The contact with this id, or `None` when the app has none."""

    def parse(data: dict[str, Any]) -> models.Contact | None:
        contacts = data.get("contacts") or []
        return models.Contact.from_json(contacts[0]) if contacts else None

    body = _present(contact_id=contact_id, token=token)
    return Call(path="/v3/contact/get", body=body, parse=parse, idempotent=True)


def v3_contact_list(
    *, limit: int | None = None, page_state: str | None = None, token: str | None = None
) -> Call[PageData[models.Contact]]:
    """One page (oldest first); `.auto_paging_iter()` walks the rest."""

    def parse(data: dict[str, Any]) -> PageData[models.Contact]:
        cursor = data.get("page_state")
        return PageData(
            data=[models.Contact.from_json(c) for c in data.get("contacts") or []],
            count=int(data.get("count") or 0),
            next=v3_contact_list(limit=limit, page_state=cursor, token=token) if cursor else None,
        )

    body = _present(limit=limit, page_state=page_state, token=token)
    return Call(path="/v3/contact/get", body=body, parse=parse, idempotent=True)


def v3_contact_add(
    contacts: Iterable[models.ContactCreate],
    *,
    token: str | None = None,
    idempotency_key: str | None = None,
) -> Call[list[str]]:
    """Add 1-100 contacts, all or none; returns their ids in order."""
    return Call(
        path="/v3/contact/add",
        body=_present(contacts=[c.to_json() for c in contacts], token=token),
        parse=lambda data: [str(i) for i in data.get("contact_ids") or []],
        write=True,
        idempotency_key=idempotency_key,
    )


def v3_contact_update(
    contacts: Iterable[models.ContactUpdate],
    *,
    token: str | None = None,
    idempotency_key: str | None = None,
) -> Call[None]:
    """Change the given fields of 1-100 contacts, all or none."""
    body = _present(contacts=[c.to_json() for c in contacts], token=token)
    return Call(
        path="/v3/contact/update", body=body, parse=_ignore, idempotent=True, write=True,
        idempotency_key=idempotency_key,
    )  # fmt: skip


def v3_contact_delete(
    contact_ids: Sequence[str], *, token: str | None = None, idempotency_key: str | None = None
) -> Call[int]:
    """Delete 1-100 contacts; returns how many existed."""
    return Call(
        path="/v3/contact/delete",
        body=_present(contact_ids=list(contact_ids), token=token),
        parse=lambda data: int(data.get("deleted") or 0),
        idempotent=True,
        write=True,
        idempotency_key=idempotency_key,
    )


# v1 contacts ---------------------------------------------------------------------------


def v1_contact_list(
    *, page: int = 1, limit: int = 10, name: str | None = None, token: str | None = None
) -> Call[PageData[models.V1Contact]]:
    body = _present(page=page, limit=limit, name=name, token=token)
    again = partial(v1_contact_list, limit=limit, name=name, token=token)
    call: Call[Any] = Call(path="/v1/getContact", body=body, parse=_ignore)
    return _numbered(call, "contacts", models.V1Contact.from_json, page, limit, again)


def v1_contact_update(
    mobile: int | str, *, name: str, remindme: int | None = None, email: str | None = None,
    status: str | None = None, tag: str | None = None, info: str | None = None,
    token: str | None = None, idempotency_key: str | None = None,
) -> Call[None]:  # fmt: skip
    """Update the contact with this phone, creating it when there is none."""
    body = _present(**{"from": mobile}, name=name, remindme=remindme, email=email)
    body |= _present(status=status, tag=tag, info=info, token=token)
    return Call(
        path="/v1/updateContact", body=body, parse=_ignore, write=True,
        idempotency_key=idempotency_key,
    )  # fmt: skip


def v1_contact_delete(
    mobile: int | str, *, token: str | None = None, idempotency_key: str | None = None
) -> Call[None]:
    body = _present(mobile=mobile, token=token)
    return Call(
        path="/v1/deleteContact", body=body, parse=_ignore, write=True,
        idempotency_key=idempotency_key,
    )  # fmt: skip


# Admin calls: v1 agents, v3 users ------------------------------------------------------


def _admin(
    path: str, parse: Callable[[dict[str, Any]], T], fields: dict[str, Any], *,
    write: bool = True, idempotent: bool = False,
) -> Call[T]:  # fmt: skip
    """An admin call. `fields` are the endpoint function's parameters by name (its
    `locals()`, taken first, so each parameter is named once): its own, and `appid`,
    `secret` and `idempotency_key`, the last of which travels as a header."""
    key = fields.pop("idempotency_key", None)
    return Call(
        path=path, body=_present(**fields), parse=parse, auth=Auth.ADMIN, write=write,
        idempotent=idempotent, idempotency_key=key,
    )  # fmt: skip


def v1_agent_add(
    *, extension: int, name: str, phone_number: str | int, password: str,
    start_time: int | None = None, end_time: int | None = None, sms_alert: bool | None = None,
    appid: int | None = None, secret: str | None = None, idempotency_key: str | None = None,
) -> Call[models.AddedAgent]:  # fmt: skip
    return _admin("/v1/agent/add", models.AddedAgent.from_json, locals())


def v1_agent_list(
    *, page: int = 1, limit: int = 10, appid: int | None = None, secret: str | None = None
) -> Call[PageData[models.Agent]]:
    call = _admin("/v1/agent/list", _ignore, locals(), write=False)
    again = partial(v1_agent_list, limit=limit, appid=appid, secret=secret)
    return _numbered(call, "agents", models.Agent.from_json, page, limit, again)


def v1_agent_update(
    agent_id: str, *, name: str, phone_number: str | int, password: str,
    start_time: int | None = None, end_time: int | None = None, sms_alert: bool | None = None,
    appid: int | None = None, secret: str | None = None, idempotency_key: str | None = None,
) -> Call[models.UpdatedAgent]:  # fmt: skip
    fields = locals()
    fields["id"] = fields.pop("agent_id")
    return _admin("/v1/agent/update", models.UpdatedAgent.from_json, fields, idempotent=True)


def v1_agent_remove(
    agent_id: str, *, appid: int | None = None, secret: str | None = None,
    idempotency_key: str | None = None,
) -> Call[None]:  # fmt: skip
    fields = locals()
    fields["id"] = fields.pop("agent_id")
    return _admin("/v1/agent/remove", _ignore, fields)


def v3_user_add(
    *, extension: int, first_name: str, last_name: str, phone_number: str | int,
    password: str, email_id: str | None = None, start_time: int | None = None,
    end_time: int | None = None, followme: bool | None = None,
    appid: int | None = None, secret: str | None = None, idempotency_key: str | None = None,
) -> Call[models.AddedUser]:  # fmt: skip
    return _admin("/v3/user/add", models.AddedUser.from_json, locals())


def v3_user_get(
    agent_id: str, *, appid: int | None = None, secret: str | None = None
) -> Call[models.User]:
    fields = locals()

    def parse(data: dict[str, Any]) -> models.User:
        return models.User.from_json(data.get("agent") or {})

    return _admin("/v3/user/get", parse, fields, write=False, idempotent=True)


def v3_user_list(
    *, page: int = 1, limit: int = 10, name: str | None = None, appid: int | None = None,
    secret: str | None = None,
) -> Call[PageData[models.User]]:  # fmt: skip
    call = _admin("/v3/user/list", _ignore, locals(), write=False)
    again = partial(v3_user_list, limit=limit, name=name, appid=appid, secret=secret)
    return _numbered(call, "agents", models.User.from_json, page, limit, again)


def v3_user_update(
    agent_id: str, *, first_name: str | None = None, last_name: str | None = None,
    email_id: str | None = None, phone_number: str | int | None = None,
    password: str | None = None, start_time: int | None = None, end_time: int | None = None,
    appid: int | None = None, secret: str | None = None, idempotency_key: str | None = None,
) -> Call[None]:  # fmt: skip
    return _admin("/v3/user/update", _ignore, locals(), idempotent=True)


def v3_user_remove(
    agent_id: str, *, appid: int | None = None, secret: str | None = None,
    idempotency_key: str | None = None,
) -> Call[None]:  # fmt: skip
    return _admin("/v3/user/remove", _ignore, locals())
