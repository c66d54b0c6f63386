"""The callbacks view: a contact due later today and one overdue, each in its list with
the list's count, in the browser's time zone; one click opens the contact."""

from __future__ import annotations

import secrets
import time
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import Page, expect

from tests.browser.conftest import BROWSER_ZONE, Console, sign_in


def _phone() -> str:
    return "9197" + "".join(str(secrets.randbelow(10)) for _ in range(8))


def test_due_today_and_overdue(page: Page, console: Console) -> None:
    tag = secrets.token_hex(3)
    late, soon = f"Late{tag}", f"Soon{tag}"
    [late_id, soon_id] = console.add_contacts(
        {"phone_no": _phone(), "first_name": late, "last_name": "Caller"},
        {"phone_no": _phone(), "first_name": soon, "last_name": "Caller"},
    )
    now = datetime.now(ZoneInfo(BROWSER_ZONE))
    midnight = datetime.combine(now.date() + timedelta(days=1), datetime.min.time(), now.tzinfo)
    later_today = now + min(timedelta(minutes=30), (midnight - now) / 2)
    now_ms = int(time.time() * 1000)
    for contact_id, remindme in (
        (late_id, now_ms - 3_600_000),
        (soon_id, int(later_today.timestamp() * 1000)),
    ):
        console.post(
            "/x/contacts/update",
            {"token": console.user_token, "contact_id": contact_id, "remindme": remindme},
        )
    sign_in(page, console)
    page.get_by_role("link", name="Callbacks").click()
    overdue = page.locator("#overdue")
    due_today = page.locator("#due-today")
    expect(overdue.get_by_role("link", name=f"{late} Caller")).to_be_visible()
    expect(due_today.get_by_role("link", name=f"{soon} Caller")).to_be_visible()
    expect(overdue.get_by_role("link", name=f"{soon} Caller")).to_have_count(0)
    expect(due_today.get_by_role("link", name=f"{late} Caller")).to_have_count(0)
    expect(page.get_by_role("heading", name="Overdue (")).to_be_visible()
    overdue_count = overdue.locator("tbody tr").count()
    expect(page.get_by_role("heading", name=f"Overdue ({overdue_count})")).to_be_visible()
    due_count = due_today.locator("tbody tr").count()
    expect(page.get_by_role("heading", name=f"Due today ({due_count})")).to_be_visible()
    shown = later_today.strftime("%H:%M")
    expect(due_today.get_by_role("row", name=f"{soon} Caller")).to_contain_text(shown)
    overdue.get_by_role("link", name=f"{late} Caller").click()
    expect(page.get_by_role("heading", name=f"{late} Caller")).to_be_visible()
