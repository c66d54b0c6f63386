"""SDK fixtures: the real app in-process, reached through the SDK's own transports."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from starlette.testclient import TestClient

from contactd.api.routes import OPERATIONS
from contactd.client import Client
from tests.helpers import Tenant
from tests.sdk.cli_fixtures import base_url, config_home, new_user, server, user

__all__ = ["base_url", "config_home", "new_user", "server", "user"]  # the CLI tests' fixtures

BASE_URL = "http://testserver"
ROUTES = frozenset(op.path for op in OPERATIONS)


def forwarded_headers(request: httpx.Request) -> dict[str, str]:
    """What the SDK sends that the server reads: the body's type and a write's key."""
    headers = {"content-type": request.headers.get("content-type", "")}
    if "idempotency-key" in request.headers:
        headers["idempotency-key"] = request.headers["idempotency-key"]
    return headers


def requires_route(path: str) -> pytest.MarkDecorator:
    """Skip a test whose endpoint is not served yet (it is being written in parallel)."""
    return pytest.mark.skipif(path not in ROUTES, reason=f"route {path} not in api/routes.py yet")


class InProcessTransport(httpx.BaseTransport):
    """A sync httpx transport into the ASGI app, over starlette's TestClient.

    The TestClient is built on another HTTP library, so it cannot be handed to
    `httpx.Client` as a transport itself; this adapter forwards each request.
    """

    def __init__(self, test_client: TestClient) -> None:
        self.test_client = test_client
        self.requests: list[httpx.Request] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.test_client.request(
            request.method,
            str(request.url),
            content=request.read(),
            headers=forwarded_headers(request),
        )
        headers = [(k, v) for k, v in answer.headers.items() if k.lower() != "content-length"]
        return httpx.Response(answer.status_code, headers=headers, content=answer.content)


class Sleeps(list[float]):
    """A `sleep` that records how long it was asked to wait, and does not wait."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def transport(client: TestClient) -> InProcessTransport:
    return InProcessTransport(client)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def sdk(transport: InProcessTransport, tenant: Tenant, sleeps: Sleeps) -> Iterator[Client]:
    """A client logged in as the tenant's user, with the tenant's admin credentials."""
    with Client(
        base_url=BASE_URL,
        transport=transport,
        token=tenant.token,
        appid=tenant.appid,
        secret=tenant.secret,
        sleep=sleeps,
    ) as sdk_client:
        yield sdk_client
