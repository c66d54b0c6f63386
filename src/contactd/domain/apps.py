"""Apps (tenants): created by the operator, authenticated by appid + secret."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from contactd.defaults import DEFAULT_COUNTRY_CODE
from contactd.domain.admin_tokens import AdminTokenSigner
from contactd.domain.clock import AppClock, now_ms, system_clock
from contactd.domain.errors import AuthFailed, Conflict, Invalid, NotFound
from contactd.domain.models import App
from contactd.domain.store import Store

__all__ = [
    "ADMIN_TOKEN_INVALID",
    "APP_AUTH_FAILED",
    "AppService",
    "check_app_fields",
    "check_chosen_appid",
    "check_chosen_secret",
]

APP_AUTH_FAILED = "Invalid appid or secret"
ADMIN_TOKEN_INVALID = "Invalid admin token"  # noqa: S105 (a message)
_APP_ID_RANGE = (1_000_000, 9_999_999)  # 7 digits (docs/api.md, "Apps and tenancy")
# A chosen app id (`app create --appid`) may have up to 10 digits, as the ids a token
# and a principal id carry may; the vendor's real ones have 8.
_CHOSEN_APP_ID_RANGE = (1, 9_999_999_999)
_MAX_NAME_LENGTH = 200
# A chosen secret (`app create --secret`) mirrors one the vendor issued (a UUID's 36
# characters, say): long enough and varied enough not to be guessed, and printable,
# since it travels in JSON bodies and configuration files.
MIN_SECRET_LENGTH, MAX_SECRET_LENGTH = 16, 256
MIN_SECRET_DISTINCT = 8


def check_chosen_appid(appid: int) -> int:
    low, high = _CHOSEN_APP_ID_RANGE
    if not low <= appid <= high:
        raise Invalid(f"appid must be {low} to {high}")
    return appid


def check_chosen_secret(secret: str) -> str:
    if not MIN_SECRET_LENGTH <= len(secret) <= MAX_SECRET_LENGTH:
        raise Invalid(f"secret must be {MIN_SECRET_LENGTH} to {MAX_SECRET_LENGTH} characters")
    if not all(c.isascii() and c.isprintable() and not c.isspace() for c in secret):
        raise Invalid("secret must be printable ASCII without spaces")
    if len(set(secret)) < MIN_SECRET_DISTINCT:
        raise Invalid(f"secret must have at least {MIN_SECRET_DISTINCT} different characters")
    return secret


def check_app_fields(name: str, country_code: str) -> str:
    """Check a new app's name and country code; the name as kept."""
    name = name.strip()
    if not name or len(name) > _MAX_NAME_LENGTH:
        raise Invalid(f"name must be 1 to {_MAX_NAME_LENGTH} characters")
    if not (country_code.isdigit() and 1 <= len(country_code) <= 3):
        raise Invalid("country_code must be 1 to 3 digits")
    return name


def _secret_hash(secret: str) -> bytes:
    # The secret is 256 random bits, so a fast hash is enough; passwords get argon2id.
    return hashlib.sha256(secret.encode("utf-8")).digest()


class AppService:
    def __init__(
        self,
        store: Store,
        *,
        clock: AppClock = system_clock,
        admin_tokens: AdminTokenSigner | None = None,
    ) -> None:
        self._store = store
        self._clock = clock
        self._admin_tokens = admin_tokens

    async def create(
        self,
        name: str,
        *,
        country_code: str = DEFAULT_COUNTRY_CODE,
        appid: int | None = None,
        secret: str | None = None,
    ) -> tuple[App, str]:
        """Create an app; return it with its secret, which is not kept in clear.

        `appid` and `secret`, when given, are the app's instead of random ones: an
        integrator mirrors the credentials their code is configured with."""
        name = check_app_fields(name, country_code)
        if appid is not None:
            check_chosen_appid(appid)
        secret = secrets.token_urlsafe(32) if secret is None else check_chosen_secret(secret)
        while True:
            app = App(
                app_id=appid
                if appid is not None
                else secrets.randbelow(_APP_ID_RANGE[1] - _APP_ID_RANGE[0] + 1) + _APP_ID_RANGE[0],
                name=name,
                secret_hash=_secret_hash(secret),
                country_code=country_code,
                created_at=now_ms(),  # before the app exists: no clock of its own yet
            )
            if await self._store.add_app(app):
                return app, secret
            if appid is not None:
                raise Conflict(f"appid {appid} is taken by another app")

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

    async def admin_token(self, appid: int, secret: str) -> str:
        """A 30-day admin token for the app's credentials (`/v2/token`)."""
        app = await self.authenticate(appid, secret)
        return self._signer().issue(app, self._clock(app.app_id))

    async def verify_admin_token(self, token: str) -> App:
        """The app an admin token is live for, or `AuthFailed`."""
        app_id = AdminTokenSigner.app_id(token)
        app = None if app_id is None else await self._store.get_app(app_id)
        if app is None or not self._signer().verify(token, app, self._clock(app.app_id)):
            raise AuthFailed(ADMIN_TOKEN_INVALID)
        return app

    def _signer(self) -> AdminTokenSigner:
        # Only the server's services issue admin tokens; an operator command has no use.
        assert self._admin_tokens is not None, "AppService built without admin_tokens"
        return self._admin_tokens
