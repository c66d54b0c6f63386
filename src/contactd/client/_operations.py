"""Every endpoint as a function that builds a `Call`: paths, bodies and parsers, once.

`Client` and `AsyncClient` namespaces are thin wrappers that send these.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import Any, TypeVar

from contactd.client._call import Auth, Call
from contactd.client._models import (
    AddedAgent,
    AddedUser,
    Agent,
    Contact,
    ContactCreate,
    ContactUpdate,
    Login,
    UpdatedAgent,
    User,
    V1Contact,
)
from contactd.client._paging import PageData

__all__ = [
    "admin_body",
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
    "with_key",
]

R = TypeVar("R")


def _present(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


def admin_body(appid: int | None, secret: str | None, **fields: Any) -> dict[str, Any]:
    return _present(appid=appid, secret=secret, **fields)


def with_key(call: Call[R], idempotency_key: str | None) -> Call[R]:
    """`call` sent with the caller's own idempotency key instead of a fresh one."""
    return call if idempotency_key is None else replace(call, idempotency_key=idempotency_key)


def _ignore(_: dict[str, Any]) -> None:
    return None


def _numbered_next(data: list[Any], count: int, page: int, limit: int) -> bool:
    """Page numbers: there is more unless this page was short or `count` is reached."""
    return len(data) == limit and page * limit < count


# Logins --------------------------------------------------------------------------------


def v1_login(agent_id: str, password: str) -> Call[Login]:
    body = {"id": agent_id, "password": password}
    return Call(
        path="/v1/agentLogin", body=body, parse=Login.from_json, auth=Auth.NONE, idempotent=True
    )


def v2_login(user_id: str, password: str) -> Call[Login]:
    body = {"id": user_id, "password": password}
    return Call(
        path="/v2/user/login", body=body, parse=Login.from_json, auth=Auth.NONE, idempotent=True
    )


# v3 contacts ---------------------------------------------------------------------------


def v3_contact_get(contact_id: str, token: str | None) -> Call[Contact | None]:
    def parse(data: dict[str, Any]) -> Contact | None:
        contacts = data.get("contacts") or []
        return Contact.from_json(contacts[0]) if contacts else None

    body = _present(contact_id=contact_id, token=token)
    return Call(path="/v3/contact/get", body=body, parse=parse, idempotent=True)


def v3_contact_list(
    limit: int | None, page_state: str | None, token: str | None
) -> Call[PageData[Contact]]:
    def parse(data: dict[str, Any]) -> PageData[Contact]:
        cursor = data.get("page_state")
        return PageData(
            data=[Contact.from_json(c) for c in data.get("contacts") or []],
            count=int(data.get("count") or 0),
            next=v3_contact_list(limit, cursor, token) if cursor else None,
        )

    body = _present(limit=limit, page_state=page_state, token=token)
    return Call(path="/v3/contact/get", body=body, parse=parse, idempotent=True)


def v3_contact_add(contacts: Iterable[ContactCreate], token: str | None) -> Call[list[str]]:
    body = _present(contacts=[c.to_json() for c in contacts], token=token)
    return Call(
        path="/v3/contact/add",
        body=body,
        parse=lambda data: [str(i) for i in data.get("contact_ids") or []],
        write=True,
    )


def v3_contact_update(contacts: Iterable[ContactUpdate], token: str | None) -> Call[None]:
    body = _present(contacts=[c.to_json() for c in contacts], token=token)
    return Call(path="/v3/contact/update", body=body, parse=_ignore, idempotent=True, write=True)


def v3_contact_delete(contact_ids: Sequence[str], token: str | None) -> Call[int]:
    body = _present(contact_ids=list(contact_ids), token=token)
    return Call(
        path="/v3/contact/delete",
        body=body,
        parse=lambda data: int(data.get("deleted") or 0),
        idempotent=True,
        write=True,
    )


# v1 contacts ---------------------------------------------------------------------------


def v1_contact_list(
    page: int, limit: int, name: str | None, token: str | None
) -> Call[PageData[V1Contact]]:
    def parse(data: dict[str, Any]) -> PageData[V1Contact]:
        items = [V1Contact.from_json(c) for c in data.get("contacts") or []]
        count = int(data.get("count") or 0)
        more = _numbered_next(items, count, page, limit)
        return PageData(
            data=items,
            count=count,
            next=v1_contact_list(page + 1, limit, name, token) if more else None,
        )

    body = _present(page=page, limit=limit, name=name, token=token)
    return Call(path="/v1/getContact", body=body, parse=parse, idempotent=True)


def v1_contact_update(fields: dict[str, Any]) -> Call[None]:
    return Call(path="/v1/updateContact", body=_present(**fields), parse=_ignore, write=True)


def v1_contact_delete(mobile: int | str, token: str | None) -> Call[None]:
    body = _present(mobile=mobile, token=token)
    return Call(path="/v1/deleteContact", body=body, parse=_ignore, write=True)


# v1 admin: agents ----------------------------------------------------------------------


def v1_agent_add(body: dict[str, Any]) -> Call[AddedAgent]:
    return Call(
        path="/v1/agent/add", body=body, parse=AddedAgent.from_json, auth=Auth.ADMIN, write=True
    )


def v1_agent_list(
    page: int, limit: int, appid: int | None, secret: str | None
) -> Call[PageData[Agent]]:
    def parse(data: dict[str, Any]) -> PageData[Agent]:
        items = [Agent.from_json(a) for a in data.get("agents") or []]
        count = int(data.get("count") or 0)
        more = _numbered_next(items, count, page, limit)
        return PageData(
            data=items,
            count=count,
            next=v1_agent_list(page + 1, limit, appid, secret) if more else None,
        )

    body = admin_body(appid, secret, page=page, limit=limit)
    return Call(path="/v1/agent/list", body=body, parse=parse, auth=Auth.ADMIN, idempotent=True)


def v1_agent_update(body: dict[str, Any]) -> Call[UpdatedAgent]:
    return Call(
        path="/v1/agent/update",
        body=body,
        parse=UpdatedAgent.from_json,
        auth=Auth.ADMIN,
        idempotent=True,
        write=True,
    )


def v1_agent_remove(agent_id: str, appid: int | None, secret: str | None) -> Call[None]:
    body = admin_body(appid, secret, id=agent_id)
    return Call(path="/v1/agent/remove", body=body, parse=_ignore, auth=Auth.ADMIN, write=True)


# v3 admin: users -----------------------------------------------------------------------


def v3_user_add(body: dict[str, Any]) -> Call[AddedUser]:
    return Call(
        path="/v3/user/add", body=body, parse=AddedUser.from_json, auth=Auth.ADMIN, write=True
    )


def v3_user_get(agent_id: str, appid: int | None, secret: str | None) -> Call[User]:
    body = admin_body(appid, secret, agent_id=agent_id)
    return Call(
        path="/v3/user/get",
        body=body,
        parse=lambda data: User.from_json(data.get("agent") or {}),
        auth=Auth.ADMIN,
        idempotent=True,
    )


def v3_user_list(
    page: int, limit: int, name: str | None, appid: int | None, secret: str | None
) -> Call[PageData[User]]:
    def parse(data: dict[str, Any]) -> PageData[User]:
        items = [User.from_json(a) for a in data.get("agents") or []]
        count = int(data.get("count") or 0)
        more = _numbered_next(items, count, page, limit)
        return PageData(
            data=items,
            count=count,
            next=v3_user_list(page + 1, limit, name, appid, secret) if more else None,
        )

    body = admin_body(appid, secret, page=page, limit=limit, name=name)
    return Call(path="/v3/user/list", body=body, parse=parse, auth=Auth.ADMIN, idempotent=True)


def v3_user_update(body: dict[str, Any]) -> Call[None]:
    return Call(
        path="/v3/user/update",
        body=body,
        parse=_ignore,
        auth=Auth.ADMIN,
        idempotent=True,
        write=True,
    )


def v3_user_remove(agent_id: str, appid: int | None, secret: str | None) -> Call[None]:
    body = admin_body(appid, secret, agent_id=agent_id)
    return Call(path="/v3/user/remove", body=body, parse=_ignore, auth=Auth.ADMIN, write=True)
