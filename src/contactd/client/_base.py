"""What `Client` and `AsyncClient` share: configuration, URLs, credentials, decoding.

Only the I/O (send, sleep) differs between the two and lives in their own modules.
"""

from __future__ import annotations

import json
import uuid
from typing import Any, TypeVar

import httpx

from contactd.client._call import Auth, Call
from contactd.client._errors import APIConnectionError, APIError, ContactdError, error_for_status
from contactd.client._retry import RETRYABLE_STATUSES, Backoff, parse_retry_after

__all__ = ["IDEMPOTENCY_KEY_HEADER", "OUTCOME_HEADER", "USER_AGENT", "BaseClient"]

R = TypeVar("R")
USER_AGENT = "contactd-python/0.1"
IDEMPOTENCY_KEY_HEADER = "Idempotency-Key"
OUTCOME_HEADER = "X-Contactd-Outcome"
# The request never reached the server: always safe to send again.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class BaseClient:
    def __init__(
        self, base_url: str, v1_base_url: str | None, token: str | None, appid: int | None,
        secret: str | None, timeout: float | httpx.Timeout, max_retries: int,
    ) -> None:  # fmt: skip
        # The clients' own signatures carry the defaults and the documentation.
        self.base_url = base_url.rstrip("/")
        self.v1_base_url = (v1_base_url or base_url).rstrip("/")
        self.token = token
        self.appid = appid
        self.secret = secret
        self.timeout = timeout
        self.max_retries = max_retries
        self._backoff = Backoff(max_retries=max_retries)

    def _url(self, path: str) -> str:
        base = self.v1_base_url if path.startswith("/v1/") else self.base_url
        return base + path

    def _body(self, call: Call[Any]) -> dict[str, Any]:
        body = dict(call.body)
        if call.auth is Auth.TOKEN:
            body.setdefault("token", self.token)
            if body["token"] is None:
                raise ContactdError("no token: log in first (client.v2.login) or pass token=")
        elif call.auth is Auth.ADMIN:
            body.setdefault("appid", self.appid)
            body.setdefault("secret", self.secret)
            if body["appid"] is None or body["secret"] is None:
                raise ContactdError("admin calls need appid and secret (on the client or the call)")
        return body

    def _headers(self, call: Call[Any]) -> dict[str, str]:
        """The headers of every attempt of one call: a write gets its idempotency key
        here, once (the caller's, or a fresh one), so that its retries carry the same."""
        if not call.write:
            return {}
        return {IDEMPOTENCY_KEY_HEADER: call.idempotency_key or str(uuid.uuid4())}

    def _wait_after_error(self, exc: httpx.TransportError, call: Call[Any], attempt: int) -> float:
        """Seconds to wait before retry `attempt` after a transport error, or raise.

        A write that may have reached the server is sent again only with its key, which
        contactd answers from the first attempt if that one was applied."""
        retryable = isinstance(exc, _NOT_SENT) or call.idempotent or call.write
        if retryable and self._backoff.may_retry(attempt):
            return self._backoff.delay(attempt)
        # The URL carries no credential: those travel in the body.
        raise APIConnectionError(f"{type(exc).__name__} on {self._url(call.path)}: {exc}") from exc

    def _wait_after_response(self, response: httpx.Response, attempt: int) -> float | None:
        """Seconds to wait before retry `attempt` after this response, or None for final."""
        if response.status_code not in RETRYABLE_STATUSES:
            return None
        retry_after = parse_retry_after(response.headers)
        if not self._backoff.may_retry(attempt, retry_after):
            return None
        return self._backoff.delay(attempt, retry_after)

    def _result(self, call: Call[R], response: httpx.Response) -> R:
        body = _decode(response)
        if response.status_code >= 400:
            retry_after = parse_retry_after(response.headers)
            raise error_for_status(
                response.status_code,
                body,
                retry_after=retry_after,
                outcome=response.headers.get(OUTCOME_HEADER),
            )
        if body is None:
            raise APIError(response.status_code, None, "response is not a JSON object", None)
        return call.parse(body)


def _decode(response: httpx.Response) -> dict[str, Any] | None:
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    return body if isinstance(body, dict) else None
