"""`contactd serve --stand-in --seed FILE` as a real process: the documented example
seed (docs/examples/seed.json) is there before the first request, and stays as it is
over a restart; a bad seed file stops the start with exit 2 and one line naming the
file, the app and the item, before the server listens."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.server_process import ServerProcess, contactd_env, free_port

pytestmark = pytest.mark.blackbox

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "seed.json"


def login(server: ServerProcess, principal_id: str, password: str) -> str:
    status, body = server.post("/v2/user/login", {"id": principal_id, "password": password})
    assert status == 200, body
    return str(body["token"])


def v1_contacts(server: ServerProcess, token: str) -> list[dict[str, object]]:
    status, body = server.post("/v1/getContact", {"token": token, "page": 1})
    assert status == 200, body
    return list(body["contacts"])


def test_the_example_seed_is_served_from_the_first_request(
    database_url: str, tmp_path: Path
) -> None:
    seed = ["--stand-in", "--seed", str(EXAMPLE)]
    with ServerProcess(database_url, tmp_path / "server.log", args=seed) as server:
        token = login(server, "1002_1111112", "vikram-password")
        status, cards = server.post("/v3/contact/get", {"token": token})
        assert status == 200, cards
        assert [c["first_name"] for c in cards["contacts"]] == ["Ravi", "Meena"]
        meena = v1_contacts(server, token)[1]
        assert (meena["tag"], meena["status"], meena["remindme"]) == (
            "lead",
            "call back",
            1_900_000_000_000,
        )
        status, added = server.post(
            "/v3/contact/add",
            {
                "token": token,
                "contacts": [{"phone_no": "919811111111", "first_name": "Kept", "last_name": "On"}],
            },
        )
        assert status == 200, added
    log = (tmp_path / "server.log").read_text()
    assert "app 1111112: 2 principals, 2 contacts" in log
    assert "seed-secret-of-app-1111112" not in log and "vikram-password" not in log
    # A restart over the same store with the same seed: the apps stay as they were.
    with ServerProcess(database_url, tmp_path / "again.log", args=seed) as server:
        token = login(server, "1001_1111112", "asha-password")
        assert [c["name"] for c in v1_contacts(server, token)] == [
            "Ravi Kumar",
            "Meena Iyer",
            "Kept On",
        ]
        assert login(server, "2001_2222223", "dana-password")
    assert "app 1111112 holds data already: left as it is" in (tmp_path / "again.log").read_text()


def test_a_bad_seed_file_stops_the_start_in_one_line(database_url: str, tmp_path: Path) -> None:
    apps = json.loads(EXAMPLE.read_text())["apps"]
    apps[1]["principals"][0]["phone_number"] = "not a phone"
    bad = tmp_path / "seed.json"
    bad.write_text(json.dumps({"apps": apps}))
    result = subprocess.run(
        [sys.executable, "-m", "contactd", "serve", "--stand-in", "--seed", str(bad)],
        env=contactd_env(database_url, {"CONTACTD_PORT": str(free_port())}),
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stderr.strip().splitlines()[-1] == (
        f"contactd: --seed {bad}: apps[1].principals[0].phone_number must contain digits only"
    )
    # Nothing of it was written: apps[0], good as it is, was not created either.
    with ServerProcess(database_url, tmp_path / "server.log", args=["--stand-in"]) as server:
        status, body = server.post(
            "/v3/user/all", {"appid": 1111112, "secret": "seed-secret-of-app-1111112"}
        )
        assert status == 401, body
