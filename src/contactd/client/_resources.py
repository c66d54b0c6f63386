"""`Client` namespaces, one per API generation: `client.v1`, `client.v2`, `client.v3`.

Token calls take `token=` to override the client's token; admin calls take `appid=` and
`secret=` to override the client's. Writes take `idempotency_key=` to send the caller's
own key instead of a fresh one per call. `_async_resources.py` mirrors this module for
`AsyncClient` (same names and signatures, awaited).
"""

from __future__ import annotations

import builtins
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from contactd.client import _operations as ops
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
from contactd.client._paging import Page

if TYPE_CHECKING:
    from contactd.client._client import Client

__all__ = ["V1", "V2", "V3"]


class V3Contacts:
    """`/v3/contact/*`: contacts by UUID, listed with cursors."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def get(self, contact_id: str, *, token: str | None = None) -> Contact | None:
        """The contact with this id, or `None` when the app has none."""
        return self._client._send(ops.v3_contact_get(contact_id, token))

    def list(
        self, *, limit: int | None = None, page_state: str | None = None, token: str | None = None
    ) -> Page[Contact]:
        """One page (oldest first); `.auto_paging_iter()` walks the rest."""
        return self._client._page(ops.v3_contact_list(limit, page_state, token))

    def add(
        self,
        contacts: Iterable[ContactCreate],
        *,
        token: str | None = None,
        idempotency_key: str | None = None,
    ) -> builtins.list[str]:
        """Add 1-100 contacts, all or none; returns their ids in order."""
        return self._client._send(
            ops.with_key(ops.v3_contact_add(contacts, token), idempotency_key)
        )

    def update(
        self,
        contacts: Iterable[ContactUpdate],
        *,
        token: str | None = None,
        idempotency_key: str | None = None,
    ) -> None:
        """Change the given fields of 1-100 contacts, all or none."""
        self._client._send(ops.with_key(ops.v3_contact_update(contacts, token), idempotency_key))

    def delete(
        self,
        contact_ids: Sequence[str],
        *,
        token: str | None = None,
        idempotency_key: str | None = None,
    ) -> int:
        """Delete 1-100 contacts; returns how many existed."""
        return self._client._send(
            ops.with_key(ops.v3_contact_delete(contact_ids, token), idempotency_key)
        )


class V1Contacts:
    """`/v1/{getContact,updateContact,deleteContact}`: contacts by phone, numbered pages."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def list(
        self, *, page: int = 1, limit: int = 10, name: str | None = None, token: str | None = None
    ) -> Page[V1Contact]:
        return self._client._page(ops.v1_contact_list(page, limit, name, token))

    def update(
        self,
        mobile: int | str,
        *,
        name: str,
        remindme: int | None = None,
        email: str | None = None,
        status: str | None = None,
        tag: str | None = None,
        info: str | None = None,
        token: str | None = None,
        idempotency_key: str | None = None,
    ) -> None:
        """Update the contact with this phone, creating it when there is none."""
        fields = {"from": mobile, "name": name, "remindme": remindme, "email": email}
        fields |= {"status": status, "tag": tag, "info": info, "token": token}
        self._client._send(ops.with_key(ops.v1_contact_update(fields), idempotency_key))

    def delete(
        self, mobile: int | str, *, token: str | None = None, idempotency_key: str | None = None
    ) -> None:
        self._client._send(ops.with_key(ops.v1_contact_delete(mobile, token), idempotency_key))


class V1Agents:
    """`/v1/agent/*` (admin: appid + secret)."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def add(
        self,
        *,
        extension: int,
        name: str,
        phone_number: str | int,
        password: str,
        start_time: int | None = None,
        end_time: int | None = None,
        sms_alert: bool | None = None,
        appid: int | None = None,
        secret: str | None = None,
        idempotency_key: str | None = None,
    ) -> AddedAgent:
        body = ops.admin_body(
            appid, secret, extension=extension, name=name, phone_number=phone_number,
            password=password, start_time=start_time, end_time=end_time, sms_alert=sms_alert,
        )  # fmt: skip
        return self._client._send(ops.with_key(ops.v1_agent_add(body), idempotency_key))

    def list(
        self,
        *,
        page: int = 1,
        limit: int = 10,
        appid: int | None = None,
        secret: str | None = None,
    ) -> Page[Agent]:
        return self._client._page(ops.v1_agent_list(page, limit, appid, secret))

    def update(
        self,
        agent_id: str,
        *,
        name: str,
        phone_number: str | int,
        password: str,
        start_time: int | None = None,
        end_time: int | None = None,
        sms_alert: bool | None = None,
        appid: int | None = None,
        secret: str | None = None,
        idempotency_key: str | None = None,
    ) -> UpdatedAgent:
        body = ops.admin_body(
            appid, secret, id=agent_id, name=name, phone_number=phone_number,
            password=password, start_time=start_time, end_time=end_time, sms_alert=sms_alert,
        )  # fmt: skip
        return self._client._send(ops.with_key(ops.v1_agent_update(body), idempotency_key))

    def remove(
        self,
        agent_id: str,
        *,
        appid: int | None = None,
        secret: str | None = None,
        idempotency_key: str | None = None,
    ) -> None:
        self._client._send(
            ops.with_key(ops.v1_agent_remove(agent_id, appid, secret), idempotency_key)
        )


class V3Users:
    """`/v3/user/*` (admin: appid + secret)."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def add(
        self,
        *,
        extension: int,
        first_name: str,
        last_name: str,
        phone_number: str | int,
        password: str,
        email_id: str | None = None,
        start_time: int | None = None,
        end_time: int | None = None,
        followme: bool | None = None,
        appid: int | None = None,
        secret: str | None = None,
        idempotency_key: str | None = None,
    ) -> AddedUser:
        body = ops.admin_body(
            appid, secret, extension=extension, first_name=first_name, last_name=last_name,
            phone_number=phone_number, password=password, email_id=email_id,
            start_time=start_time, end_time=end_time, followme=followme,
        )  # fmt: skip
        return self._client._send(ops.with_key(ops.v3_user_add(body), idempotency_key))

    def get(self, agent_id: str, *, appid: int | None = None, secret: str | None = None) -> User:
        return self._client._send(ops.v3_user_get(agent_id, appid, secret))

    def list(
        self,
        *,
        page: int = 1,
        limit: int = 10,
        name: str | None = None,
        appid: int | None = None,
        secret: str | None = None,
    ) -> Page[User]:
        return self._client._page(ops.v3_user_list(page, limit, name, appid, secret))

    def update(
        self,
        agent_id: str,
        *,
        first_name: str | None = None,
        last_name: str | None = None,
        email_id: str | None = None,
        phone_number: str | int | None = None,
        password: str | None = None,
        start_time: int | None = None,
        end_time: int | None = None,
        appid: int | None = None,
        secret: str | None = None,
        idempotency_key: str | None = None,
    ) -> None:
        body = ops.admin_body(
            appid, secret, agent_id=agent_id, first_name=first_name, last_name=last_name,
            email_id=email_id, phone_number=phone_number, password=password,
            start_time=start_time, end_time=end_time,
        )  # fmt: skip
        self._client._send(ops.with_key(ops.v3_user_update(body), idempotency_key))

    def remove(
        self,
        agent_id: str,
        *,
        appid: int | None = None,
        secret: str | None = None,
        idempotency_key: str | None = None,
    ) -> None:
        self._client._send(
            ops.with_key(ops.v3_user_remove(agent_id, appid, secret), idempotency_key)
        )


class V1:
    """The v1 generation: agent login, contacts by phone, agent provisioning."""

    def __init__(self, client: Client) -> None:
        self._client = client
        self.contacts = V1Contacts(client)
        self.agents = V1Agents(client)

    def login(self, agent_id: str, password: str) -> Login:
        """`/v1/agentLogin`; the token is kept on the client for later calls."""
        return self._client._login(ops.v1_login(agent_id, password))


class V2:
    """The v2 generation: user login (its token serves v3, and v1, calls)."""

    def __init__(self, client: Client) -> None:
        self._client = client

    def login(self, user_id: str, password: str) -> Login:
        """`/v2/user/login`; the token is kept on the client for later calls."""
        return self._client._login(ops.v2_login(user_id, password))


class V3:
    """The v3 generation: contacts by UUID with cursors, user provisioning."""

    def __init__(self, client: Client) -> None:
        self.contacts = V3Contacts(client)
        self.users = V3Users(client)
