"""Signing in and out of the console: a right password, a wrong one, a throttled id,
an expired token, and sign-out; the token never reaches a URL."""

from __future__ import annotations

import hashlib
import sqlite3

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import Console, sign_in
from tests.server_process import USER_PASSWORD


def test_right_password_signs_in_and_keeps_the_token_out_of_the_url(
    page: Page, console: Console
) -> None:
    sign_in(page, console)
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    token = page.evaluate("sessionStorage.getItem('contactd.token')")
    assert token and token.startswith(f"{console.appid}.")
    assert token not in page.url
    assert "Asha" not in page.url


def test_an_agent_id_signs_in_as_a_user_id_does(page: Page, console: Console) -> None:
    agent = console.add_principal(105, "Vani Agent")
    sign_in(page, console, agent)
    expect(page.locator("#who")).to_contain_text(f"Vani Agent ({agent})")


def test_wrong_password_is_refused_with_the_api_message(page: Page, console: Console) -> None:
    page.goto(console.url)
    page.get_by_label("ID").fill(console.user_id)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("Invalid")
    expect(page.get_by_label("Password")).to_have_value("")
    assert page.evaluate("sessionStorage.getItem('contactd.token')") is None


def test_a_throttled_id_is_told_to_retry_later(page: Page, console: Console) -> None:
    principal = console.add_principal(1101, "Lock Ed")
    for _ in range(10):
        httpx.post(
            f"{console.server.base_url}/v2/user/login",
            json={"id": principal, "password": "wrong-password"},
        )
    page.goto(console.url)
    page.get_by_label("ID").fill(principal)
    page.get_by_label("Password").fill(USER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("alert")).to_contain_text("too many failed logins")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()


def test_an_expired_token_leads_back_to_sign_in(page: Page, console: Console) -> None:
    sign_in(page, console)
    token = page.evaluate("sessionStorage.getItem('contactd.token')")
    digest = hashlib.sha256(token.encode()).digest()
    with sqlite3.connect(console.database_path, timeout=10) as db:
        db.execute("UPDATE tokens SET expires_at = 1 WHERE token_hash = ?", (digest,))
    page.wait_for_timeout(1100)  # past the server's token cache (1 s by default)
    page.get_by_role("link", name="Callbacks").click()
    expect(page.get_by_role("alert")).to_contain_text("session has expired")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    assert page.evaluate("sessionStorage.getItem('contactd.token')") is None


def test_sign_out_forgets_the_token(page: Page, console: Console) -> None:
    sign_in(page, console)
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    assert page.evaluate("sessionStorage.getItem('contactd.token')") is None
    page.goto(console.url + "#/contacts")
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
