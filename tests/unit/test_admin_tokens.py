"""Admin tokens (domain/admin_tokens.py): issued for an app, verified without being kept,
refused once expired, for another app, or under another secret."""

from __future__ import annotations

from contactd.domain.admin_tokens import ADMIN_TOKEN_TTL_MS, AdminTokenSigner
from contactd.domain.models import App

NOW = 1_767_225_600_000


def app(app_id: int = 12345678, secret_hash: bytes = b"h" * 32) -> App:
    return App(app_id=app_id, name="A", secret_hash=secret_hash, country_code="91", created_at=0)


def test_a_token_is_live_for_thirty_days_and_for_its_app_only() -> None:
    signer = AdminTokenSigner(b"server secret")
    token = signer.issue(app(), NOW)
    assert AdminTokenSigner.app_id(token) == 12345678
    assert signer.verify(token, app(), NOW + ADMIN_TOKEN_TTL_MS - 1)
    assert not signer.verify(token, app(), NOW + ADMIN_TOKEN_TTL_MS)
    assert not signer.verify(token, app(app_id=12345679), NOW)


def test_another_secret_or_server_key_or_a_changed_expiry_is_refused() -> None:
    signer = AdminTokenSigner(b"server secret")
    token = signer.issue(app(), NOW)
    assert not signer.verify(token, app(secret_hash=b"g" * 32), NOW)
    assert not AdminTokenSigner(b"another server").verify(token, app(), NOW)
    prefix, app_id, expires, mac = token.split(".")
    longer = f"{prefix}.{app_id}.{int(expires) + 1}.{mac}"
    assert not signer.verify(longer, app(), NOW)


def test_malformed_tokens_name_no_app() -> None:
    for token in ("", "adm.", "adm.x.1.y", "1234567.abc", "adm.1.2", "adm.1.2.3.4"):
        assert AdminTokenSigner.app_id(token) is None
        assert not AdminTokenSigner(b"k").verify(token, app(app_id=1), NOW)
