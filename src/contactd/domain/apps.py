"""Apps (tenants): created by the operator, authenticated by appid + secret."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from contactd.defaults import DEFAULT_COUNTRY_CODE
from contactd.domain.clock import Clock, now_ms
from contactd.domain.errors import AuthFailed, Invalid, NotFound
from contactd.domain.models import App
from contactd.domain.store import Store

__all__ = ["APP_AUTH_FAILED", "AppService"]

APP_AUTH_FAILED = "Invalid appid or secret"
_APP_ID_RANGE = (1_000_000, 9_999_999)  # 7 digits (docs/api.md, "Apps and tenancy")
_MAX_NAME_LENGTH = 200


def _secret_hash(secret: str) -> bytes:
    # The secret is 256 random bits, so a fast hash is enough; passwords get argon2id.
    return hashlib.sha256(secret.encode("utf-8")).digest()


class AppService:
    def __init__(self, store: Store, *, clock: Clock = now_ms) -> None:
        self._store = store
        self._clock = clock

    async def create(
        self, name: str, *, country_code: str = DEFAULT_COUNTRY_CODE
    ) -> tuple[App, str]:
        """Create an app; return it with its secret, which is not kept in clear."""
        name = name.strip()
        if not name or len(name) > _MAX_NAME_LENGTH:
            raise Invalid(f"name must be 1 to {_MAX_NAME_LENGTH} characters")
        if not (country_code.isdigit() and 1 <= len(country_code) <= 3):
            raise Invalid("country_code must be 1 to 3 digits")
        secret = secrets.token_urlsafe(32)
        while True:
            app = App(
                app_id=secrets.randbelow(_APP_ID_RANGE[1] - _APP_ID_RANGE[0] + 1)
                + _APP_ID_RANGE[0],
                name=name,
                secret_hash=_secret_hash(secret),
                country_code=country_code,
                created_at=self._clock(),
            )
            if await self._store.add_app(app):
                return app, secret

    async def rotate_secret(self, app_id: int) -> str:
        """Give the app a new secret and return it; the old one is refused from the
        moment this returns (the secret is read from the store on every request)."""
        secret = secrets.token_urlsafe(32)
        if not await self._store.set_app_secret(app_id, _secret_hash(secret)):
            raise NotFound(f"appid {app_id} not found")
        return secret

    async def authenticate(self, appid: int, secret: str) -> App:
        app = await self._store.get_app(appid)
        if app is None or not hmac.compare_digest(app.secret_hash, _secret_hash(secret)):
            raise AuthFailed(APP_AUTH_FAILED)
        return app
