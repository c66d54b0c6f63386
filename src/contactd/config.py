"""Settings: defaults that need no configuration, `CONTACTD_*` variables, then flags.

Built explicitly by the CLI or a test and passed to `create_app`; nothing is read at
import time.
"""

from __future__ import annotations

import difflib
import os
import re
from collections.abc import Mapping
from typing import Annotated, Any, Literal, get_args, get_origin

import msgspec

from contactd.defaults import (
    BASE_URL_VARIABLE,
    DEFAULT_BODY_TIMEOUT_SECONDS,
    DEFAULT_CORS_ORIGINS,
    DEFAULT_DATABASE_URL,
    DEFAULT_DB_WAIT_SECONDS,
    DEFAULT_HEADER_TIMEOUT_SECONDS,
    DEFAULT_HOST,
    DEFAULT_JOURNAL_SIZE,
    DEFAULT_LOG_FORMAT,
    DEFAULT_LOG_LEVEL,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_HEADER_BYTES,
    DEFAULT_MAX_HEADER_COUNT,
    DEFAULT_MIN_PASSWORD_LENGTH,
    DEFAULT_PORT,
    DEFAULT_WORKERS,
    ENV_PREFIX,
    MAX_PORT,
    MIN_HEADER_BYTES,
    STAND_IN_MIN_PASSWORD_LENGTH,
    TOKEN_VARIABLE,
    LogFormat,
    LogLevel,
)

__all__ = [
    "DEFAULT_DATABASE_URL",
    "OTHER_VARIABLES",
    "Settings",
    "settings_from_env",
    "unknown_variables",
]

OTHER_VARIABLES = frozenset({BASE_URL_VARIABLE, TOKEN_VARIABLE, "CONTACTD_TEST_POSTGRES_URL"})
"""`CONTACTD_*` variables that are not settings: the client commands' and the tests'."""
_KINDS = {"int": "an integer", "float": "a number", "str": "text"}
"""msgspec's type names as a message to a person says them."""
# An origin as a browser sends it: scheme, host, optional port; no path, no slash.
_ORIGIN = re.compile(r"[a-z][a-z0-9+.-]*://[^/?#\s,]+", re.IGNORECASE)


class Settings(msgspec.Struct, frozen=True, kw_only=True):
    database_url: str = DEFAULT_DATABASE_URL
    host: str = DEFAULT_HOST
    port: Annotated[int, msgspec.Meta(ge=0, le=MAX_PORT)] = DEFAULT_PORT
    workers: Annotated[int, msgspec.Meta(ge=1)] = DEFAULT_WORKERS
    secret: str | None = None
    """Signs cursors; when unset one is generated once and kept in the store."""
    log_level: LogLevel = DEFAULT_LOG_LEVEL
    log_format: LogFormat = DEFAULT_LOG_FORMAT
    """`json`: one JSON object a line, for log shippers (contactd.logs)."""
    access_log: bool = True
    """One line per request (the request log); the login audit is logged regardless."""
    db_wait_seconds: float = DEFAULT_DB_WAIT_SECONDS
    """At start, how long to retry a PostgreSQL server that does not answer yet."""
    argon2_time_cost: int = 3
    argon2_memory_kib: int = 65536
    """argon2id cost; the defaults follow RFC 9106's low-memory profile."""
    max_concurrent_hashes: int = 2
    """Password hashes running at once (each holds `argon2_memory_kib`)."""
    max_hash_wait_seconds: Annotated[float, msgspec.Meta(ge=0)] = 1.0
    """How long a login (or an admin's password change) may wait for a hasher; one that
    would wait longer is answered at once with 503 and `Retry-After`."""
    min_password_length: Annotated[int, msgspec.Meta(ge=1, le=256)] | None = None
    """The shortest password an admin add or update may set, in every generation; a
    login is never refused for its password's length. Unset: `password_minimum()`."""
    token_cache_seconds: float = 1.0
    """How long a verified token is trusted without asking the store: the bound within
    which another process sees a removal (this process forgets at once). 0 disables."""
    max_header_bytes: Annotated[int, msgspec.Meta(ge=MIN_HEADER_BYTES)] = DEFAULT_MAX_HEADER_BYTES
    """The request target and headers of one request, in all; past it, 431."""
    max_header_count: Annotated[int, msgspec.Meta(ge=1)] = DEFAULT_MAX_HEADER_COUNT
    """Header fields in one request; past it, 431."""
    header_timeout_seconds: Annotated[float, msgspec.Meta(gt=0)] = DEFAULT_HEADER_TIMEOUT_SECONDS
    """A request whose headers are not all in by then is answered 408 and closed (a new
    connection's first request is timed from the connection's opening)."""
    body_timeout_seconds: Annotated[float, msgspec.Meta(gt=0)] = DEFAULT_BODY_TIMEOUT_SECONDS
    """A request body that sends nothing for this long is answered 408 and closed."""
    max_connections: Annotated[int, msgspec.Meta(ge=0)] = DEFAULT_MAX_CONNECTIONS
    """Open connections per server process; past it a new one is answered 503 and closed.
    0: what the open-file limit leaves room for (`contactd.http_limits.fd_budget`)."""
    cors_origins: str = DEFAULT_CORS_ORIGINS
    """The origins whose pages may call the API, comma-separated, or `*` (api/cors.py)."""
    stand_in: bool = False
    """Stand-in mode (docs/stand-in.md): the control API under `/_contactd/`, and the
    vendor's own rules where contactd is stricter by default."""
    journal_size: Annotated[int, msgspec.Meta(ge=1)] = DEFAULT_JOURNAL_SIZE
    """Stand-in mode: the requests each app's journal keeps."""
    seed: str | None = None
    """Stand-in mode: a JSON file of apps, principals and contacts, seeded at start."""
    snapshot: str | None = None
    """Stand-in mode: a snapshot file loaded at start (`contactd snapshot save`)."""
    save_on_exit: bool = False
    """Stand-in mode: save the store to `snapshot` when the server stops."""

    def __post_init__(self) -> None:
        self.allowed_origins()  # refused at start, not at the first browser's request
        self._check_stand_in()

    def password_minimum(self) -> int:
        """`min_password_length` if set, else the default of the mode."""
        if self.min_password_length is not None:
            return self.min_password_length
        return STAND_IN_MIN_PASSWORD_LENGTH if self.stand_in else DEFAULT_MIN_PASSWORD_LENGTH

    def _check_stand_in(self) -> None:
        if self.stand_in:
            if self.save_on_exit and self.snapshot is None:
                raise ValueError(
                    "invalid setting --save-on-exit: needs --snapshot FILE, the file to save to"
                )
            return
        given = [
            flag
            for flag, value in (
                ("--seed", self.seed),
                ("--snapshot", self.snapshot),
                ("--save-on-exit", self.save_on_exit or None),
            )
            if value is not None
        ]
        if given:
            raise ValueError(
                f"invalid setting {', '.join(given)}: only in stand-in mode (--stand-in,"
                f" {ENV_PREFIX}STAND_IN=1), which a test or a local run asks for"
            )

    def allowed_origins(self) -> tuple[str, ...]:
        """`cors_origins` as a list; `ValueError` for an entry that is not an origin."""
        origins = tuple(part.strip() for part in self.cors_origins.split(",") if part.strip())
        for origin in origins:
            if origin != "*" and _ORIGIN.fullmatch(origin) is None:
                raise ValueError(
                    f"invalid setting {ENV_PREFIX}CORS_ORIGINS (--cors-origins): {origin!r} is not"
                    " an origin: each must be scheme://host[:port] (no path, no trailing"
                    " slash), or *"
                )
        return origins or (DEFAULT_CORS_ORIGINS,)


def settings_from_env(environ: Mapping[str, str] | None = None, /, **overrides: object) -> Settings:
    """Settings from `CONTACTD_<FIELD>` variables, with non-None `overrides` (flags) on top.

    Raises `ValueError` naming every bad variable or flag, its value and the rule.
    """
    environ = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    problems: list[str] = []
    for field in msgspec.structs.fields(Settings):
        variable = ENV_PREFIX + field.name.upper()
        flag = "--" + field.name.replace("_", "-")
        raw: object = environ.get(variable)
        source = variable
        if overrides.get(field.name) is not None:
            raw, source = overrides[field.name], flag
        if raw is None or raw == "":
            continue
        try:
            value = _normalized(raw, field.type)
            values[field.name] = msgspec.convert(value, field.type, strict=False)
        except msgspec.ValidationError as exc:
            problems.append(f"{source}={raw!r}: {_rule(exc, field.type)}")
    if problems:
        raise ValueError("invalid setting " + "; ".join(problems))
    return Settings(**values)


def _normalized(raw: object, annotation: Any) -> object:
    # A choice is matched regardless of case: CONTACTD_LOG_LEVEL=DEBUG is debug.
    return raw.lower() if isinstance(raw, str) and get_origin(annotation) is Literal else raw


def _rule(exc: msgspec.ValidationError, annotation: Any) -> str:
    if get_origin(annotation) is Literal:
        return "must be one of " + ", ".join(map(str, get_args(annotation)))
    # msgspec says "Expected `int` >= 1, got `str`": keep the rule, drop what it got.
    expected = str(exc).split(" - at ", 1)[0].split(", got ", 1)[0].replace("`", "")
    kind, _, bound = expected.removeprefix("Expected ").partition(" ")
    return " ".join(filter(None, ("must be", _KINDS.get(kind, kind), bound)))


def unknown_variables(environ: Mapping[str, str] | None = None) -> list[str]:
    """A warning for each `CONTACTD_*` variable contactd does not read (a typo, usually),
    with the closest known name."""
    environ = os.environ if environ is None else environ
    known = {ENV_PREFIX + f.name.upper() for f in msgspec.structs.fields(Settings)}
    known |= OTHER_VARIABLES
    # Compared without the prefix every name shares, which would make anything look close.
    suffixes = sorted(name.removeprefix(ENV_PREFIX) for name in known)
    warnings = []
    for name in sorted(n for n in environ if n.startswith(ENV_PREFIX) and n not in known):
        close = difflib.get_close_matches(name.removeprefix(ENV_PREFIX), suffixes, n=1)
        hint = f" (did you mean {ENV_PREFIX}{close[0]}?)" if close else ""
        warnings.append(f"unknown variable {name} is ignored{hint}")
    return warnings
