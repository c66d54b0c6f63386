"""Import and export in the console: a CSV with a bad row is imported with a progress
bar and the per-row report; the book is exported as the CLI writes it."""

from __future__ import annotations

import csv
import io
import secrets
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.browser.conftest import Console, sign_in


def _phone() -> str:
    return "9196" + "".join(str(secrets.randbelow(10)) for _ in range(8))


def test_import_reports_the_bad_row_by_line(page: Page, console: Console, tmp_path: Path) -> None:
    tag = secrets.token_hex(3)
    good = [_phone() for _ in range(3)]
    rows = [
        "phone_no,first_name,last_name,email_id,company,job_title",
        f"{good[0]},Imp{tag},One,,,",
        f'{good[1]},Imp{tag},"Two, with a comma",,,',
        f"{good[2]},Imp{tag},Three,not-an-email,,",
        f"{good[0]},Imp{tag},Repeat,,,",
    ]
    source = tmp_path / "contacts.csv"
    source.write_text("\n".join(rows) + "\n", encoding="utf-8")
    sign_in(page, console)
    page.get_by_role("link", name="Import").click()
    page.get_by_label("CSV file").set_input_files(source)
    page.get_by_role("button", name="Import").click()
    expect(page.get_by_text("Import finished: 2 stored, 2 rejected.")).to_be_visible()
    expect(page.get_by_label("Import progress")).to_have_attribute("value", "4")
    report = page.locator("table.rejected tbody tr")
    expect(report).to_have_count(2)
    expect(report.nth(0)).to_contain_text("4")
    expect(report.nth(0)).to_contain_text("email")
    expect(report.nth(1)).to_contain_text("5")
    expect(report.nth(1)).to_contain_text("repeated")

    page.get_by_role("link", name="Contacts").click()
    page.get_by_label("Search contacts").press_sequentially(f"imp{tag}", delay=20)
    expect(page.locator(f'table[data-query="imp{tag}"] tbody tr')).to_have_count(2)


def test_export_downloads_the_book_as_csv(page: Page, console: Console) -> None:
    name = f"Exp{secrets.token_hex(3)}"
    phone = _phone()
    console.add_contacts({"phone_no": phone, "first_name": name, "last_name": "Ort"})
    sign_in(page, console)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export").click()
    download = download_info.value
    assert download.suggested_filename == "contacts.csv"
    text = Path(download.path()).read_text(encoding="utf-8")
    exported = list(csv.DictReader(io.StringIO(text)))
    mine = [row for row in exported if row["first_name"] == name]
    assert len(mine) == 1
    assert mine[0]["phone_no"] == phone
