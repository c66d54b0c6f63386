"""Settings: defaults that need no configuration, `CONTACTD_*` variables, then flags.

Built explicitly by the CLI or a test and passed to `create_app`; nothing is read at
import time.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping

import msgspec

__all__ = ["DEFAULT_DATABASE_URL", "Settings", "configure_logging", "settings_from_env"]

DEFAULT_DATABASE_URL = "sqlite:///contactd.db"
_PREFIX = "CONTACTD_"


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str = DEFAULT_DATABASE_URL
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    secret: str | None = None
    """Signs cursors; when unset one is generated once and kept in the store."""
    log_level: str = "info"
    db_wait_seconds: float = 30.0
    """At start, how long to retry a PostgreSQL server that does not answer yet."""
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    """argon2id cost; the defaults follow RFC 9106's low-memory profile."""
    max_concurrent_hashes: int = 2
    """Password hashes running at once (each holds `argon2_memory_kib`)."""
    token_cache_seconds: float = 1.0
    """How long a verified token is trusted without asking the store: the bound within
    which another process sees a removal (this process forgets at once). 0 disables."""


def settings_from_env(environ: Mapping[str, str] | None = None, **overrides: object) -> Settings:
    """Settings from `CONTACTD_<FIELD>` variables, with non-None `overrides` on top."""
    environ = os.environ if environ is None else environ
    values: dict[str, object] = {}
    for field in msgspec.structs.fields(Settings):
        raw = environ.get(_PREFIX + field.name.upper())
        if raw is not None and raw != "":
            values[field.name] = raw
    values.update({k: v for k, v in overrides.items() if v is not None})
    try:
        return msgspec.convert(values, Settings, strict=False)
    except msgspec.ValidationError as exc:
        raise ValueError(f"invalid setting: {exc}") from exc


def configure_logging(level: str) -> None:
    """One log format for the CLI and for every server worker (a no-op once set up)."""
    logging.basicConfig(level=level.upper(), format="%(levelname)s %(name)s: %(message)s")
