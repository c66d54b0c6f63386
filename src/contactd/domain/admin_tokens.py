"""Admin tokens (`/v2/token`): what an app's admin gets in exchange for its appid and
secret, in place of the secret itself (docs/api.md, "v2 administration").

A token reads `adm.{appid}.{expires_at}.{mac}`: the MAC is keyed with the server's
secret and covers the app id, the expiry and the hash of the app's current secret, so
that contactd verifies a token without keeping it, and rotating the app's secret
(`contactd app rotate-secret`) revokes every admin token issued under the old one.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from contactd.domain.models import App
from contactd.domain.tokens import TOKEN_TTL_MS

__all__ = ["ADMIN_TOKEN_PREFIX", "ADMIN_TOKEN_TTL_MS", "AdminTokenSigner"]

ADMIN_TOKEN_PREFIX = "adm."  # noqa: S105 (not a secret)
ADMIN_TOKEN_TTL_MS = TOKEN_TTL_MS
"""30 days, the vendor's documented lifetime (`expiresIn: "30d"`)."""


class AdminTokenSigner:
    def __init__(self, server_secret: bytes) -> None:
        # A key of its own, so that no other use of the server secret (cursors,
        # idempotency digests) can be made to produce an admin token's MAC.
        self._key = hashlib.blake2b(server_secret, person=b"contactd-admtok").digest()

    def issue(self, app: App, now_ms: int) -> str:
        expires_at = now_ms + ADMIN_TOKEN_TTL_MS
        return f"{ADMIN_TOKEN_PREFIX}{app.app_id}.{expires_at}.{self._mac(app, expires_at)}"

    @staticmethod
    def app_id(token: str) -> int | None:
        """The app id a well-formed token names, or None."""
        parts = token.removeprefix(ADMIN_TOKEN_PREFIX).split(".")
        if not token.startswith(ADMIN_TOKEN_PREFIX) or len(parts) != 3:
            return None
        app_id = parts[0]
        return int(app_id) if app_id.isascii() and app_id.isdigit() and len(app_id) <= 10 else None

    def verify(self, token: str, app: App, now_ms: int) -> bool:
        """Whether `token` was issued for `app` under its current secret and is live."""
        parts = token.removeprefix(ADMIN_TOKEN_PREFIX).split(".")
        if self.app_id(token) != app.app_id or not (parts[1].isascii() and parts[1].isdigit()):
            return False
        expires_at = int(parts[1])
        return now_ms < expires_at and hmac.compare_digest(parts[2], self._mac(app, expires_at))

    def _mac(self, app: App, expires_at: int) -> str:
        signed = f"{app.app_id}.{expires_at}".encode("ascii") + b"\x00" + app.secret_hash
        digest = hmac.new(self._key, signed, hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
