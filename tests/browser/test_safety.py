"""The console is safe by construction: a contact's fields are shown as text, never run,
and the page's headers forbid inline scripts and framing."""

from __future__ import annotations

import httpx
from playwright.sync_api import Page, expect

from tests.browser.conftest import Console, sign_in

PROBE = "<img src=x onerror=alert(1)>"


def test_a_name_made_of_markup_shows_as_text_and_runs_nothing(page: Page, console: Console) -> None:
    [contact_id] = console.add_contacts(
        {"phone_no": "919155500001", "first_name": PROBE, "last_name": "<script>alert(2)</script>"}
    )
    console.post(
        "/x/contacts/update",
        {"token": console.user_token, "contact_id": contact_id, "note": PROBE, "tag": PROBE},
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    sign_in(page, console)
    page.get_by_label("Search contacts").press_sequentially("onerror", delay=20)
    link = page.locator('table[data-query="onerror"]').get_by_role("link", name=PROBE)
    expect(link).to_be_visible()
    expect(page.locator("table.contacts img")).to_have_count(0)
    link.click()
    expect(page.get_by_role("heading", name=PROBE)).to_be_visible()
    expect(page.locator("ol.notes li").first).to_contain_text(PROBE)
    expect(page.locator("main img, main script")).to_have_count(0)
    assert dialogs == []


def test_the_page_and_its_assets_carry_the_security_headers(console: Console) -> None:
    for path in ("/", "/console/js/main.js", "/console/console.css"):
        response = httpx.get(f"{console.server.base_url}{path}")
        assert response.status_code == 200, path
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy
        assert "frame-ancestors 'none'" in policy
        assert response.headers["x-content-type-options"] == "nosniff"
    assert (
        httpx.get(f"{console.server.base_url}/console/js/main.js")
        .headers["content-type"]
        .startswith(("text/javascript", "application/javascript"))
    )
