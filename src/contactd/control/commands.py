"""The operator commands themselves, run on a store: by the server that holds it (the
control channel) or by the CLI when no server runs. Either way the same code runs."""

from __future__ import annotations

import dataclasses
from typing import Any

from contactd.control.wire import (
    AppCreate,
    AppList,
    AppRotateSecret,
    Command,
    Reply,
    SnapshotSave,
    UsersList,
    UsersUnlock,
)
from contactd.domain.apps import AppService
from contactd.domain.errors import DomainError, Invalid, NotFound
from contactd.domain.principals import ALL_PRINCIPALS, clear_login_throttle
from contactd.domain.store import Store
from contactd.standin import snapshot_file

__all__ = ["execute"]


class _Failed(DomainError):
    """The command ran and did not succeed: its `Reply` exits 1, not 2."""


async def execute(command: Command, store: Store, apps: AppService) -> Reply:
    """Run one command; a refusal is a `Reply` with its message, never an exception."""
    try:
        return Reply(result=await _run(command, store, apps))
    except DomainError as exc:
        return Reply(error=exc.msg, could_not_run=isinstance(exc, Invalid))


async def _run(command: Command, store: Store, apps: AppService) -> Any:
    if isinstance(command, AppCreate):
        app, secret = await apps.create(
            command.name,
            country_code=command.country_code,
            appid=command.appid,
            secret=command.secret,
        )
        return {"appid": app.app_id, "secret": secret}
    if isinstance(command, AppList):
        return [
            {
                "appid": app.app_id,
                "name": app.name,
                "country_code": app.country_code,
                "created_at": app.created_at,
                "users": app.principal_count,
                "contacts": app.contact_count,
            }
            for app in await store.list_apps()
        ]
    if isinstance(command, AppRotateSecret):
        return {"appid": command.appid, "secret": await apps.rotate_secret(command.appid)}
    if isinstance(command, UsersList):
        return await _users(command.appid, store)
    if isinstance(command, SnapshotSave):
        return await _save_snapshot(command.path, store)
    return await _unlock(command, store)


async def _users(appid: int, store: Store) -> list[dict[str, Any]]:
    if await store.get_app(appid) is None:
        raise NotFound(f"appid {appid} not found")
    _, principals = await store.list_principals(appid, offset=0, limit=ALL_PRINCIPALS, name="")
    return [
        {
            "id": p.id,
            "extension": p.extension,
            "name": p.name,
            "phone": p.phone,
            "email": p.email,
            "created_at": p.created_at,
        }
        for p in principals
    ]


async def _save_snapshot(path: str, store: Store) -> dict[str, Any]:
    try:
        summary = await snapshot_file.save(store, path)
    except OSError as exc:  # the old file, if any, is left as it was
        raise _Failed(f"the snapshot {path} was not written: {exc.strerror or exc}") from exc
    return {"path": path, **dataclasses.asdict(summary)}


async def _unlock(command: UsersUnlock, store: Store) -> dict[str, Any]:
    principal_id, cleared = await clear_login_throttle(store, command.id)
    return {"id": principal_id, "cleared_failures": cleared}
