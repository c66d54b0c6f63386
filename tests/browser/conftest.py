"""The console in a real browser: Playwright driving Debian's Chromium against a real
`contactd serve` on a SQLite file.

One server and one browser serve the whole folder; each test opens its own browser
context (its own sessionStorage) and makes its own contacts, so tests do not lean on
each other. Chromium missing is a skip on a workstation and a failure under CI=true.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.helpers import in_ci
from tests.server_process import USER_PASSWORD, ServerProcess, create_app, provision_user

playwright_api = pytest.importorskip("playwright.sync_api")
Browser = playwright_api.Browser
Page = playwright_api.Page

CHROMIUM_ENV = "CONTACTD_TEST_CHROMIUM"
"""Where the Chromium binary is, when not on PATH as `chromium`."""
EXPECT_TIMEOUT_MS = 10_000
BROWSER_ZONE = "Asia/Kolkata"
"""The browser's time zone: not UTC, so a time shown in UTC by mistake would show."""


def chromium_path() -> str:
    found = os.environ.get(CHROMIUM_ENV) or shutil.which("chromium")
    if found:
        return found
    message = "Chromium not found (apt-get install -y chromium, or set CONTACTD_TEST_CHROMIUM)"
    if in_ci():
        pytest.fail(f"{message} (CI=true: the browser tests must run)")
    pytest.skip(message)


@dataclass(frozen=True)
class Console:
    """The server under test and the app the tests sign in to."""

    server: ServerProcess
    database_path: Path
    appid: int
    secret: str
    user_id: str
    user_token: str

    @property
    def url(self) -> str:
        return f"{self.server.base_url}/"

    def post(self, path: str, body: dict[str, object]) -> dict[str, object]:
        status, answer = self.server.post(path, body)
        assert status == 200, (path, status, answer)
        return dict(answer)

    def add_principal(self, extension: int, name: str) -> str:
        """An agent (an extension under 1000) or a user of the app, through the admin
        API of its generation, with the tests' password; its id."""
        first, _, last = name.partition(" ")
        person = {"first_name": first, "last_name": last} if extension >= 1000 else {"name": name}
        path = "/v3/user/add" if extension >= 1000 else "/v1/agent/add"
        admin = {"appid": self.appid, "secret": self.secret}
        phone = {"phone_number": f"9198111{extension:05d}", "password": USER_PASSWORD}
        self.post(path, {**admin, "extension": extension, **person, **phone})
        return f"{extension}_{self.appid}"

    def add_contacts(self, *contacts: dict[str, str]) -> list[str]:
        answer = self.post(
            "/v3/contact/add", {"token": self.user_token, "contacts": list(contacts)}
        )
        return [str(i) for i in answer["contact_ids"]]  # type: ignore[attr-defined]


@pytest.fixture(scope="package")
def console(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Console]:
    folder = tmp_path_factory.mktemp("console")
    database_path = folder / "console.db"
    url = f"sqlite:///{database_path}"
    appid, secret = create_app(url, name="Console")
    server = ServerProcess(url, folder / "serve.log")
    try:
        token = provision_user(server, appid, secret)
        yield Console(server, database_path, appid, secret, f"1001_{appid}", token)
    finally:
        server.stop()


@pytest.fixture(scope="package")
def browser() -> Iterator[Browser]:
    path = chromium_path()
    with playwright_api.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=path, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(locale="en-GB", timezone_id=BROWSER_ZONE)
    context.set_default_timeout(EXPECT_TIMEOUT_MS)
    playwright_api.expect.set_options(timeout=EXPECT_TIMEOUT_MS)
    opened = context.new_page()
    errors: list[str] = []
    opened.on("pageerror", lambda error: errors.append(str(error)))
    yield opened
    context.close()
    assert not errors, f"the page raised: {errors}"


def sign_in(page: Page, console: Console, principal_id: str | None = None) -> None:
    """Open the console and sign in (as the app's user unless told whom)."""
    page.goto(console.url)
    page.get_by_label("ID").fill(principal_id or console.user_id)
    page.get_by_label("Password").fill(USER_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    playwright_api.expect(page.get_by_label("Search contacts")).to_be_visible()
