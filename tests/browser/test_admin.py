"""Admin in the console: open with the app id and secret, add an agent and remove it,
unlock a throttled id; wrong credentials are refused with the API's message."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import Console
from tests.server_process import USER_PASSWORD


def _open_admin(page: Page, console: Console, secret: str | None = None) -> None:
    page.goto(f"{console.url}#/admin")
    page.get_by_label("App ID").fill(str(console.appid))
    page.get_by_label("Secret").fill(secret or console.secret)
    page.get_by_role("button", name="Open").click()


def test_wrong_app_secret_is_refused(page: Page, console: Console) -> None:
    _open_admin(page, console, secret="not-the-secret")
    expect(page.get_by_role("alert")).to_contain_text("Invalid appid or secret")


def test_add_and_remove_an_agent(page: Page, console: Console) -> None:
    _open_admin(page, console)
    expect(page.get_by_role("cell", name=console.user_id)).to_be_visible()
    page.get_by_label("Kind").select_option("agent")
    page.get_by_label("Extension").fill("201")
    page.get_by_label("First name").fill("Kiran")
    page.get_by_label("Last name").fill("Agent")
    page.get_by_label("Phone").fill("919812345678")
    page.get_by_label("Password", exact=True).fill(USER_PASSWORD)
    page.get_by_role("button", name="Add", exact=True).click()
    agent_id = f"201_{console.appid}"
    expect(page.get_by_text(f"Added {agent_id}.")).to_be_visible()
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=agent_id, exact=True))
    expect(row).to_contain_text("Kiran Agent")
    login = httpx.post(
        f"{console.server.base_url}/v1/agentLogin", json={"id": agent_id, "password": USER_PASSWORD}
    )
    assert login.status_code == 200

    page.once("dialog", lambda dialog: dialog.accept())
    row.get_by_role("button", name="Remove").click()
    expect(page.get_by_text(f"Removed {agent_id}.")).to_be_visible()
    expect(page.get_by_role("cell", name=agent_id, exact=True)).to_have_count(0)
    gone = httpx.post(
        f"{console.server.base_url}/v1/agentLogin", json={"id": agent_id, "password": USER_PASSWORD}
    )
    assert gone.status_code == 404


def test_unlock_a_throttled_id(page: Page, console: Console) -> None:
    principal = console.add_principal(1202, "Un Lock")
    login = f"{console.server.base_url}/v2/user/login"
    for _ in range(10):
        httpx.post(login, json={"id": principal, "password": "wrong-password"})
    assert httpx.post(login, json={"id": principal, "password": USER_PASSWORD}).status_code == 429
    _open_admin(page, console)
    page.get_by_label("ID to unlock").fill(principal)
    page.get_by_role("button", name="Unlock").click()
    expect(
        page.locator("form", has_text="Unlock a sign-in").get_by_role("status")
    ).not_to_be_empty()
    assert httpx.post(login, json={"id": principal, "password": USER_PASSWORD}).status_code == 200
