"""Finding and changing contacts in the console: search as you type by a name fragment
and by a number's last four digits, opening a contact by click and by keyboard,
changing its fields, adding a note, and adding a contact (with the 409 beside Phone)."""

from __future__ import annotations

import secrets

from playwright.sync_api import Page, expect

from tests.browser.conftest import Console, sign_in

DASH = "\u2013"
"""The en dash of the page's "showing 1-20"."""


def _unique(prefix: str) -> str:
    return f"{prefix}{secrets.token_hex(3)}"


def _phone() -> str:
    return "9198" + "".join(str(secrets.randbelow(10)) for _ in range(8))


def test_search_as_you_type_by_name_fragment(page: Page, console: Console) -> None:
    family = _unique("Zq")
    console.add_contacts(
        {"phone_no": _phone(), "first_name": "Meera", "last_name": family},
        {"phone_no": _phone(), "first_name": "Arjun", "last_name": family},
        {"phone_no": _phone(), "first_name": "Other", "last_name": "Person"},
    )
    sign_in(page, console)
    page.get_by_label("Search contacts").press_sequentially(family.lower(), delay=30)
    results = page.locator(f'table.contacts[data-query="{family.lower()}"]')
    expect(results.get_by_role("link", name=f"Meera {family}")).to_be_visible()
    expect(results.get_by_role("link", name=f"Arjun {family}")).to_be_visible()
    expect(results.locator("tbody tr")).to_have_count(2)
    expect(page.get_by_text(f"2 contacts match “{family.lower()}”")).to_be_visible()


def test_results_page_forwards_and_back(page: Page, console: Console) -> None:
    family = _unique("Pg")
    console.add_contacts(
        *({"phone_no": _phone(), "first_name": f"N{n:02d}", "last_name": family} for n in range(25))
    )
    sign_in(page, console)
    page.get_by_label("Search contacts").press_sequentially(family.lower(), delay=20)
    expect(
        page.get_by_text(f"25 contacts match “{family.lower()}” (showing 1{DASH}20)")
    ).to_be_visible()
    expect(page.get_by_role("link", name=f"N00 {family}")).to_be_visible()
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text(f"(showing 21{DASH}25)")).to_be_visible()
    expect(page.locator("table.contacts tbody tr")).to_have_count(5)
    expect(page.get_by_role("link", name=f"N24 {family}")).to_be_visible()
    expect(page.get_by_role("button", name="Next")).to_be_disabled()
    page.get_by_role("button", name="Previous").click()
    expect(page.get_by_text(f"(showing 1{DASH}20)")).to_be_visible()
    expect(page.get_by_role("link", name=f"N00 {family}")).to_be_visible()


def test_search_by_the_last_four_digits_and_open_by_keyboard(page: Page, console: Console) -> None:
    phone = _phone()
    name = _unique("Dig")
    console.add_contacts({"phone_no": phone, "first_name": name, "last_name": "Four"})
    sign_in(page, console)
    search = page.get_by_label("Search contacts")
    search.press_sequentially(phone[-4:], delay=30)
    row_link = page.locator(f'table[data-query="{phone[-4:]}"]').get_by_role(
        "link", name=f"{name} Four"
    )
    expect(row_link).to_be_visible()
    expect(page.get_by_role("link", name=f"+{phone}").first).to_have_attribute(
        "href", f"tel:+{phone}"
    )
    # ArrowDown moves to the first row, and Enter opens the contact it names: another
    # contact of the shared app, added earlier, may hold the same four digits.
    search.press("ArrowDown")
    first_row = page.locator("table.contacts a.row-link").first
    expect(first_row).to_be_focused()
    opened = first_row.inner_text()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name=opened, exact=True)).to_be_visible()


def test_change_tag_status_reminder_and_add_a_note(page: Page, console: Console) -> None:
    name = _unique("Edit")
    [contact_id] = console.add_contacts(
        {"phone_no": _phone(), "first_name": name, "last_name": "Me"}
    )
    sign_in(page, console)
    page.get_by_label("Search contacts").press_sequentially(name.lower(), delay=20)
    page.get_by_role("link", name=f"{name} Me").click()
    expect(page.get_by_role("heading", name=f"{name} Me")).to_be_visible()
    page.get_by_label("Tag").fill("vip")
    page.get_by_label("Status").fill("interested")
    page.get_by_label("Reminder").fill("2031-05-04T09:30")
    page.get_by_label("Note").fill("Asked for a call back after the holidays")
    page.get_by_label("Company").fill("Acme Tiles")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved.")).to_be_visible()
    expect(page.get_by_label("Tag")).to_have_value("vip")
    expect(page.get_by_label("Reminder")).to_have_value("2031-05-04T09:30")
    expect(page.locator("ol.notes li").first).to_contain_text("Asked for a call back")
    page.get_by_label("Note").fill("Second note, newer")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("ol.notes li").first).to_contain_text("Second note, newer")
    expect(page.locator("ol.notes li")).to_have_count(2)

    stored = console.post(
        "/x/contacts/get", {"token": console.user_token, "contact_id": contact_id}
    )
    card = stored["contact"]
    assert isinstance(card, dict)
    assert (card["tag"], card["status"], card["company"]) == ("vip", "interested", "Acme Tiles")
    # 2031-05-04 09:30 in the browser's zone (Asia/Kolkata, UTC+5:30) is 04:00 UTC.
    assert card["remindme"] == 1935633600000
    assert [n["msg"] for n in card["notes"]] == [
        "Asked for a call back after the holidays",
        "Second note, newer",
    ]


def test_a_refused_field_is_shown_beside_it(page: Page, console: Console) -> None:
    [contact_id] = console.add_contacts(
        {"phone_no": _phone(), "first_name": _unique("Bad"), "last_name": "Mail"}
    )
    sign_in(page, console)
    page.goto(f"{console.url}#/contact/{contact_id}")
    page.get_by_label("Email").fill("not-an-email")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    error_id = page.get_by_label("Email").get_attribute("aria-describedby")
    expect(page.locator(f"#{error_id}")).to_contain_text("email")


def test_add_contact_and_its_conflict_beside_phone(page: Page, console: Console) -> None:
    phone = _phone()
    name = _unique("New")
    sign_in(page, console)
    page.get_by_role("link", name="Add contact").click()
    page.get_by_label("Phone").fill(phone)
    page.get_by_label("First name").fill(name)
    page.get_by_label("Last name").fill("Caller")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", name=f"{name} Caller")).to_be_visible()

    page.goto(f"{console.url}#/add")
    page.get_by_label("Phone").fill(phone)
    page.get_by_label("First name").fill("Again")
    page.get_by_label("Last name").fill("Same")
    page.get_by_role("button", name="Save").click()
    phone_field = page.get_by_label("Phone")
    expect(phone_field).to_have_attribute("aria-invalid", "true")
    error_id = phone_field.get_attribute("aria-describedby")
    expect(page.locator(f"#{error_id}")).to_contain_text("Duplicate contact")


def test_delete_asks_first_then_removes(page: Page, console: Console) -> None:
    name = _unique("Gone")
    [contact_id] = console.add_contacts(
        {"phone_no": _phone(), "first_name": name, "last_name": "Soon"}
    )
    sign_in(page, console)
    page.goto(f"{console.url}#/contact/{contact_id}")
    expect(page.get_by_role("heading", name=f"{name} Soon")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.dismiss())
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_role("heading", name=f"{name} Soon")).to_be_visible()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete").click()
    expect(page.get_by_text(f"Deleted {name} Soon.")).to_be_visible()
    status, _ = console.server.post(
        "/x/contacts/get", {"token": console.user_token, "contact_id": contact_id}
    )
    assert status == 404
