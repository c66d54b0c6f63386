"""Stand-in mode's seed at start (`contactd serve --stand-in --seed FILE`), in process:
the file's apps are created with their own appid and secret and seeded before the first
request; a bad file stops the start, naming the file, the app and the item, with nothing
written; a start over a store seeded before leaves the apps as they are. Both backends.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from contactd.api.app import create_app
from contactd.config import Settings
from contactd.standin.seeding import SeedFileRefused
from contactd.testing import app_services
from tests.contract.agent_api import v1_get
from tests.helpers import FAST_HASH, Api

EXAMPLE = Path(__file__).parents[2] / "docs" / "examples" / "seed.json"
APPID, SECRET = 1111112, "seed-secret-of-app-1111112"


def refused_start(database_url: str, seed: Path) -> str:
    """Why a start with this seed failed."""
    with pytest.raises(SeedFileRefused) as refused, started(database_url, seed):
        pass
    return str(refused.value)


def started(database_url: str, seed: Path | None) -> TestClient:
    settings = Settings(
        database_url=database_url,
        stand_in=True,
        seed=None if seed is None else str(seed),
        **FAST_HASH,
    )
    return TestClient(create_app(settings))


@pytest.fixture
def seed_file(tmp_path: Path) -> Iterator[Path]:
    """The documented example, to be written over by a test that needs another."""
    path = tmp_path / "seed.json"
    path.write_bytes(EXAMPLE.read_bytes())
    yield path


def write_seed(path: Path, apps: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({"apps": apps}))
    return path


def example_apps() -> list[dict[str, Any]]:
    return list(json.loads(EXAMPLE.read_text())["apps"])


def test_the_example_seeds_its_apps_with_their_own_credentials(
    database_url: str, seed_file: Path
) -> None:
    with started(database_url, seed_file) as client:
        api = Api(client)
        token = api.login(f"1002_{APPID}", "vikram-password")
        ravi, meena = v1_get(api, token)["contacts"]
        assert (ravi["name"], ravi["agent"]) == ("Ravi Kumar", f"1001_{APPID}")
        assert (meena["tag"], meena["remindme"], meena["agent"]) == (
            "lead",
            1_900_000_000_000,
            f"1002_{APPID}",
        )
        assert [n["msg"] for n in meena["notes"]] == ["wants pricing", "asked for a demo"]
        # The second app reads national numbers by its own country code, and is apart.
        other = api.login("2001_2222223", "dana-password")
        [sam] = v1_get(api, other)["contacts"]
        assert sam["mobile"] == 2025550199
        status, body = api.post("/v3/user/all", {"appid": 2222223, "secret": SECRET})
        assert status == 401, body


def test_a_restart_with_the_same_seed_keeps_the_apps_as_they_are(
    database_url: str, seed_file: Path
) -> None:
    with started(database_url, seed_file) as client:
        api = Api(client)
        token = api.login(f"1001_{APPID}", "asha-password")
        api.add_contacts(
            token, [{"phone_no": "919811111111", "first_name": "New", "last_name": "One"}]
        )
    with started(database_url, seed_file) as client:
        api = Api(client)
        token = api.login(f"1001_{APPID}", "asha-password")
        names = [c["name"] for c in v1_get(api, token)["contacts"]]
        assert names == ["Ravi Kumar", "Meena Iyer", "New One"]


def test_an_app_that_exists_with_another_secret_stops_the_start(
    database_url: str, seed_file: Path
) -> None:
    with started(database_url, None) as client:
        portal = client.portal
        assert portal is not None
        create = functools.partial(
            app_services(client.app).apps.create,
            "Theirs",
            appid=2222223,
            secret="another-secret-of-2222223",
        )
        portal.call(create)
    assert refused_start(database_url, seed_file) == (
        f"--seed {seed_file}: apps[1]: appid 2222223 exists with another secret"
    )
    assert_no_app(database_url, APPID, SECRET)  # apps[0], before it in the file: not created


def bad_item(apps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    apps[1]["contacts"].append({"phone_no": "12", "first_name": "Too", "last_name": "Short"})
    return apps


def bad_secret(apps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    apps[1]["secret"] = "short"
    return apps


def twice(apps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [*apps, apps[0]]


def taken_extension(apps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    apps[1]["principals"].append(apps[1]["principals"][0])
    return apps


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (bad_item, "apps[1].contacts[1].phone_no is not a possible phone number (wrong length)"),
        (bad_secret, "apps[1].secret must be 16 to 256 characters"),
        (twice, "apps[2].appid 1111112 is also the appid of apps[0]"),
        (
            taken_extension,
            "apps[1].principals[1].extension 2001: Extension Already Exists (as principals[0])",
        ),
    ],
)
def test_a_bad_app_stops_the_start_naming_the_file_the_app_and_the_item(
    database_url: str, seed_file: Path, change: Any, named: str
) -> None:
    write_seed(seed_file, change(example_apps()))
    assert refused_start(database_url, seed_file) == f"--seed {seed_file}: {named}"
    assert_no_app(database_url, APPID, SECRET)


@pytest.mark.parametrize(
    ("text", "named"),
    [
        ('{"apps": [', "not valid JSON"),
        ("[]", "the file must be a JSON object"),
        ('{"apps": [{"appid": "one", "secret": "x"}]}', "apps[0].appid must be an integer"),
        ('{"apps": [{"secret": "seed-secret-of-app-1111112"}]}', "apps[0].appid is required"),
        (
            '{"apps": [{"appid": 5, "secret": "s", "contacts": 3}]}',
            "apps[0].contacts must be an array",
        ),
    ],
)
def test_a_file_of_the_wrong_shape_stops_the_start(
    database_url: str, tmp_path: Path, text: str, named: str
) -> None:
    path = tmp_path / "seed.json"
    path.write_text(text)
    message = refused_start(database_url, path)
    assert message.startswith(f"--seed {path}: ") and named in message, message


def test_a_missing_file_stops_the_start(database_url: str, tmp_path: Path) -> None:
    path = tmp_path / "absent.json"
    assert refused_start(database_url, path) == (
        f"--seed {path}: cannot be read: No such file or directory"
    )


def assert_no_app(database_url: str, appid: int, secret: str) -> None:
    with started(database_url, None) as client:
        status, body = Api(client).post("/v3/user/all", {"appid": appid, "secret": secret})
        assert status == 401, body
