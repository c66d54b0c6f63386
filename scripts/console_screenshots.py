"""Take the screenshots docs/console.md and the README show, one per console page.

    .venv/bin/python scripts/console_screenshots.py [--out docs/console]

Starts `contactd serve` on a temporary SQLite file, fills an app with a few dozen
contacts (reminders overdue and due today, notes, a tag and status), and photographs
each page in Debian's Chromium at 1280x800.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.server_process import (  # noqa: E402
    USER_PASSWORD,
    ServerProcess,
    create_app,
    provision_user,
)

FIRST = ["Asha", "Ravi", "Priya", "Meera", "Arjun", "Kiran", "Neha", "Vikram", "Sara", "John"]
LAST = ["Rao", "Sharma", "Iyer", "Khan", "Das", "Menon", "Patel", "Singh", "Doe", "Nair"]
TAGS = ["", "", "vip", "lead", "renewal"]
STATUSES = ["", "interested", "call back", "not reachable"]


def _fill(server: ServerProcess, token: str) -> str:
    draw = random.Random(7)
    contacts = [
        {
            "phone_no": f"9198{draw.randrange(10**8):08d}",
            "first_name": draw.choice(FIRST),
            "last_name": draw.choice(LAST),
            "company": draw.choice(["", "Acme Tiles", "Sunrise Travels", "Metro Pharma"]),
        }
        for _ in range(40)
    ]
    status, added = server.post("/v3/contact/add", {"token": token, "contacts": contacts})
    assert status == 200, added
    ids = added["contact_ids"]
    now = int(time.time() * 1000)
    for n, contact_id in enumerate(ids[:12]):
        change: dict[str, object] = {"token": token, "contact_id": contact_id}
        change["remindme"] = now - 3_600_000 * (n + 1) if n < 5 else now + 600_000 * (n - 4)
        change["tag"] = draw.choice(TAGS)
        change["status"] = draw.choice(STATUSES)
        if n % 3 == 0:
            change["note"] = "Wants a quote for the new branch"
        status, answer = server.post("/x/contacts/update", change)
        assert status == 200, answer
    status, answer = server.post(
        "/x/contacts/update",
        {"token": token, "contact_id": ids[0], "note": "Called back: send the brochure"},
    )
    assert status == 200, answer
    return str(ids[0])


def _shoot(page: Page, out: Path, name: str) -> None:
    page.wait_for_timeout(300)
    page.screenshot(path=str(out / f"{name}.png"), full_page=False)
    print(out / f"{name}.png")


def _provision(server: ServerProcess, appid: int, secret: str) -> str:
    """The app's user (its token) and two agents, as a supervisor would add them."""
    token = provision_user(server, appid, secret)
    for extension, name in ((101, "Kiran Joshi"), (102, "Farah Ali")):
        status, answer = server.post(
            "/v1/agent/add",
            {"appid": appid, "secret": secret, "extension": extension, "name": name,
             "phone_number": f"91990000{extension:04d}", "password": USER_PASSWORD},
        )  # fmt: skip
        assert status == 200, answer
    return token


def _photograph(page: Page, base: str, appid: int, secret: str, first_id: str, out: Path) -> None:
    page.goto(f"{base}/")
    page.get_by_label("ID").fill(f"1001_{appid}")
    _shoot(page, out, "sign-in")
    page.get_by_label("Password").fill(USER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_label("Search contacts").press_sequentially("ra", delay=80)
    page.locator('table[data-query="ra"]').wait_for()
    _shoot(page, out, "contacts")
    page.get_by_role("link", name="Callbacks").click()
    page.locator("#due-today").wait_for()
    _shoot(page, out, "callbacks")
    page.goto(f"{base}/#/contact/{first_id}")
    page.get_by_role("button", name="Save").wait_for()
    _shoot(page, out, "contact")
    page.goto(f"{base}/#/add")
    page.get_by_label("Phone").fill("919812345678")
    page.get_by_label("First name").fill("Leela")
    page.get_by_label("Last name").fill("Menon")
    _shoot(page, out, "add-contact")
    csv_file = out / ".import-sample.csv"
    csv_file.write_text(
        "phone_no,first_name,last_name,email_id,company,job_title\n"
        "919700000001,Gita,Bose,,,\n919700000002,Hari,Pillai,not-an-email,,\n"
        "919700000003,Ila,Roy,,,\n919700000001,Gita,Again,,,\n",
        encoding="utf-8",
    )
    try:
        page.goto(f"{base}/#/import")
        page.get_by_label("CSV file").set_input_files(csv_file)
        page.get_by_role("button", name="Import").click()
        page.locator("table.rejected").wait_for()
        _shoot(page, out, "import")
    finally:
        csv_file.unlink()
    page.goto(f"{base}/#/admin")
    page.get_by_label("App ID").fill(str(appid))
    page.get_by_label("Secret").fill(secret)
    page.get_by_role("button", name="Open").click()
    page.get_by_role("cell", name=f"1001_{appid}").wait_for()
    _shoot(page, out, "admin")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "console")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/console.db"
        appid, secret = create_app(url, name="Screenshots")
        server = ServerProcess(url, Path(folder) / "serve.log")
        try:
            first_id = _fill(server, _provision(server, appid, secret))
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path="/usr/bin/chromium", args=["--no-sandbox"]
                )
                page = browser.new_page(viewport={"width": 1280, "height": 800})
                _photograph(page, server.base_url, appid, secret, first_id, args.out)
                browser.close()
        finally:
            server.stop()


if __name__ == "__main__":
    main()
