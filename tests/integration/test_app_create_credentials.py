"""`contactd app create --appid N --secret S`: an app with the credentials an integrator's
code is configured with, through a running server on SQLite and on the database on
PostgreSQL; a taken appid and a weak secret refused with the rule."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.server_process import USER_PASSWORD, ServerProcess, run_contactd

pytestmark = pytest.mark.blackbox

APPID = 12345678  # the vendor's app ids have 8 digits
SECRET = "5f0c2e9a-7b1d-4c3e-9a8f-2d6b1e0c4a7f"


@pytest.fixture
def server(database_url: str, tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(database_url, tmp_path / "server.log") as process:
        yield process


def create(database_url: str, *extra: str) -> tuple[int, str, str]:
    result = run_contactd("app", "create", "--name", "Mirrored", *extra, database_url=database_url)
    return result.returncode, result.stdout, result.stderr


def test_the_app_takes_the_given_appid_and_secret(server: ServerProcess, database_url: str) -> None:
    code, out, err = create(database_url, "--appid", str(APPID), "--secret", SECRET)
    assert code == 0, err
    assert json.loads(out) == {"appid": APPID, "secret": SECRET}
    status, body = server.post(
        "/v3/user/add",
        {
            "appid": APPID,
            "secret": SECRET,
            "extension": 1001,
            "first_name": "Asha",
            "last_name": "Rao",
            "phone_number": "919800000000",
            "password": USER_PASSWORD,
        },
    )
    assert status == 200, body
    assert body["agent"]["agent_id"] == f"1001_{APPID}"
    code, _, err = create(database_url, "--appid", str(APPID))
    assert code == 1
    assert f"appid {APPID} is taken by another app" in err


@pytest.mark.parametrize(
    ("extra", "msg"),
    [
        (("--secret", "short-secret"), "secret must be 16 to 256 characters"),
        (("--secret", "aaaaaaaaaaaaaaaaaaaa"), "secret must have at least 8 different characters"),
        (("--secret", "has spaces in it, twenty"), "secret must be printable ASCII without spaces"),
        (("--appid", "0"), "appid must be 1 to 9999999999"),
        (("--appid", "99999999999"), "appid must be 1 to 9999999999"),
    ],
)
def test_a_weak_secret_or_an_appid_out_of_range_exits_2_naming_the_rule(
    server: ServerProcess, database_url: str, extra: tuple[str, ...], msg: str
) -> None:
    code, out, err = create(database_url, *extra)
    assert (code, out) == (2, "")
    assert msg in err
    listed = run_contactd("app", "list", "--json", database_url=database_url)
    assert json.loads(listed.stdout) == []
