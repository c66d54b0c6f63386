"""The operations of the store core (store/core.py), driven on each backend directly: the
same calls give the same answers on SQLite and PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable

import pytest

from contactd.domain.models import App, NewPrincipal
from contactd.domain.store import ExtensionTaken, Store
from contactd.store import open_store
from tests.records import new_principal, principal_changes

APP = 4_242
OTHER_APP = 4_243


def _principal(extension: int, first: str, last: str = "", *, app_id: int = APP) -> NewPrincipal:
    return new_principal(extension, first, last, app_id=app_id)


def _run(database_url: str, scenario: Callable[[Store], Awaitable[None]]) -> None:
    async def main() -> None:
        store = await open_store(database_url, wait_seconds=5)
        try:
            assert await store.add_app(App(APP, "app", b"x", "91", 0))
            assert await store.add_app(App(OTHER_APP, "other", b"y", "1", 0))
            await scenario(store)
        finally:
            await store.close()

    asyncio.run(main())


async def _names(
    store: Store, name: str, *, offset: int = 0, limit: int = 50
) -> tuple[int, list[str]]:
    count, found = await store.list_principals(APP, offset=offset, limit=limit, name=name)
    return count, [f"{p.first_name} {p.last_name}".strip() for p in found]


def test_the_user_filter_matches_the_folded_name_literally(database_url: str) -> None:
    async def scenario(store: Store) -> None:
        for extension, first, last in [
            (101, "Mike", "Ross"),
            (102, "ZOË", "Adams"),
            (103, "50%", "Off"),
            (104, "a_b", ""),
            (105, "axb", ""),
            (106, "back\\slash", ""),
        ]:
            await store.add_principal(_principal(extension, first, last))
        await store.add_principal(_principal(101, "Mike", app_id=OTHER_APP))
        assert await _names(store, "mike") == (1, ["Mike Ross"])
        assert await _names(store, "zoë") == (1, ["ZOË Adams"])
        assert await _names(store, "E ROS") == (1, ["Mike Ross"])
        assert await _names(store, "%") == (1, ["50% Off"])
        assert await _names(store, "_") == (1, ["a_b"])
        assert await _names(store, "\\") == (1, ["back\\slash"])
        assert (await _names(store, ""))[0] == 6
        assert await _names(store, "", offset=4, limit=1) == (6, ["axb"])
        assert await _names(store, "", offset=6) == (6, [])
        assert await _names(store, "", offset=2**63) == (6, [])

    _run(database_url, scenario)


def test_a_rename_moves_a_user_in_the_filter(database_url: str) -> None:
    async def scenario(store: Store) -> None:
        await store.add_principal(_principal(101, "Mike", "Ross"))
        assert await store.update_principal(APP, 101, principal_changes(last_name="Specter"))
        assert await _names(store, "ross") == (0, [])
        assert await _names(store, "mike spec") == (1, ["Mike Specter"])
        assert await store.update_principal(APP, 101, principal_changes(first_name="Harvey"))
        assert await _names(store, "harvey specter") == (1, ["Harvey Specter"])
        assert await store.update_principal(APP, 101, principal_changes(notify=False))
        changed = await store.get_principal(APP, 101)
        assert changed is not None
        assert (changed.first_name, changed.notify, changed.followme) == ("Harvey", False, False)
        assert changed.notify is False and changed.followme is False  # booleans on both
        assert changed.country_code == "91"
        assert await store.update_principal(APP, 101, principal_changes()) is True
        assert await store.update_principal(APP, 999, principal_changes(first_name="x")) is False

    _run(database_url, scenario)


def test_principals_tokens_and_their_removal(database_url: str) -> None:
    async def scenario(store: Store) -> None:
        await store.add_principal(_principal(101, "Mike"))
        with pytest.raises(ExtensionTaken):
            await store.add_principal(_principal(101, "Again"))
        assert await store.add_token(APP, b"t1", 101, expires_at=10_000)
        assert not await store.add_token(APP, b"t2", 202, expires_at=10_000)  # no such user
        held = await store.principal_for_token(APP, b"t1", now=5_000)
        assert held is not None
        assert (held[0].extension, held[0].notify, held[1]) == (101, True, 10_000)
        assert await store.principal_for_token(APP, b"t1", now=10_000) is None  # expired
        assert await store.principal_for_token(OTHER_APP, b"t1", now=5_000) is None
        assert await store.remove_principal(APP, 101)
        assert await store.principal_for_token(APP, b"t1", now=5_000) is None
        assert not await store.remove_principal(APP, 101)
        assert await store.get_principal(APP, 101) is None

    _run(database_url, scenario)


def test_an_expired_token_is_refused_at_any_time_and_its_neighbours_are_not(
    database_url: str,
) -> None:
    async def scenario(store: Store) -> None:
        await store.add_principal(_principal(101, "Mike"))
        await store.add_principal(_principal(101, "Mike", app_id=OTHER_APP))
        for app_id, token in ((APP, b"t1"), (APP, b"t2"), (OTHER_APP, b"t1")):
            assert await store.add_token(app_id, token, 101, expires_at=10_000)
        assert not await store.expire_token(OTHER_APP, b"t2")  # not that app's
        assert await store.expire_token(APP, b"t1")
        assert await store.principal_for_token(APP, b"t1", now=1) is None
        assert await store.principal_for_token(APP, b"t2", now=5_000) is not None
        assert await store.principal_for_token(OTHER_APP, b"t1", now=5_000) is not None

    _run(database_url, scenario)


def test_apps_the_secret_and_the_operator_queries(database_url: str) -> None:
    async def scenario(store: Store) -> None:
        assert not await store.add_app(App(APP, "again", b"z", "44", 5))
        assert await store.get_app(APP) == App(APP, "app", b"x", "91", 0)
        assert await store.get_app(1) is None
        assert await store.server_secret(b"first") == b"first"
        assert await store.server_secret(b"second") == b"first"
        await store.add_principal(_principal(101, "Mike"))
        summaries = await store.list_apps()
        assert [(s.app_id, s.contact_count, s.principal_count) for s in summaries] == [
            (APP, 0, 1),
            (OTHER_APP, 0, 0),
        ]
        assert await store.set_app_secret(APP, b"new")
        assert not await store.set_app_secret(1, b"new")
        app = await store.get_app(APP)
        assert app is not None and app.secret_hash == b"new"

    _run(database_url, scenario)


def test_the_login_throttle_keeps_at_most_the_limit_and_sweeps_the_old(database_url: str) -> None:
    async def scenario(store: Store) -> None:
        for n in range(3):
            found = await store.reserve_login_attempt(APP, 101, n, 1_000 + n, since=0, limit=3)
            assert found == [1_000 + m for m in range(n)]
        refused = await store.reserve_login_attempt(APP, 101, 9, 1_010, since=0, limit=3)
        assert refused == [1_000, 1_001, 1_002]
        assert await store.recent_login_attempts(APP, 101, 0) == [1_000, 1_001, 1_002]
        await store.clear_login_attempt(APP, 101, 1)
        assert await store.recent_login_attempts(APP, 101, 0) == [1_000, 1_002]
        # A later window: the old attempts are swept as a new one is reserved.
        assert await store.reserve_login_attempt(APP, 202, 1, 5_000, since=2_000, limit=3) == []
        assert await store.recent_login_attempts(APP, 101, -1) == []
        assert await store.reserve_login_attempt(APP, 101, 2, 5_001, since=2_000, limit=3) == []
        assert await store.clear_login_failures(APP, 101) == 1
        assert await store.recent_login_attempts(APP, 101, 0) == []

    _run(database_url, scenario)
