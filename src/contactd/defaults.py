"""The defaults and rules of the settings the `contactd` flags share with `CONTACTD_*`.

Plain constants, no server dependency: the base install's `--help` shows them, and
`contactd.config.Settings` is built from them, so each is defined once.
"""

from __future__ import annotations

from typing import Literal, get_args

__all__ = [
    "BASE_URL_VARIABLE",
    "DEFAULT_BODY_TIMEOUT_SECONDS",
    "DEFAULT_CORS_ORIGINS",
    "DEFAULT_COUNTRY_CODE",
    "DEFAULT_DATABASE_URL",
    "DEFAULT_DB_WAIT_SECONDS",
    "DEFAULT_HEADER_TIMEOUT_SECONDS",
    "DEFAULT_HOST",
    "DEFAULT_JOURNAL_SIZE",
    "DEFAULT_LOG_FORMAT",
    "DEFAULT_LOG_LEVEL",
    "DEFAULT_MAX_CONNECTIONS",
    "DEFAULT_MAX_HEADER_BYTES",
    "DEFAULT_MAX_HEADER_COUNT",
    "DEFAULT_MIN_PASSWORD_LENGTH",
    "DEFAULT_PORT",
    "DEFAULT_WORKERS",
    "ENV_PREFIX",
    "LOG_LEVELS",
    "MAX_PORT",
    "MIN_HEADER_BYTES",
    "STAND_IN_MIN_PASSWORD_LENGTH",
    "TOKEN_VARIABLE",
    "LogFormat",
    "LogLevel",
]

ENV_PREFIX = "CONTACTD_"
DEFAULT_DATABASE_URL = "sqlite:///contactd.db"
DEFAULT_DB_WAIT_SECONDS = 30.0
"""How long a PostgreSQL store waits for its server at start before giving up."""
DEFAULT_MIN_PASSWORD_LENGTH = 8
"""The shortest password an admin may set, in every generation (the vendor's own sample
is `abc123`: docs/api.md, "Passwords")."""
STAND_IN_MIN_PASSWORD_LENGTH = 1
"""The minimum in stand-in mode, unless set: the vendor is not known to refuse any
password, so a stand-in must not refuse one the real service would take."""
DEFAULT_COUNTRY_CODE = "91"
"""An app's country for national phone numbers, unless created with `--country-code`."""
DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
MAX_PORT = 65535
DEFAULT_WORKERS = 1
LogLevel = Literal["critical", "error", "warning", "info", "debug"]
LOG_LEVELS: tuple[str, ...] = get_args(LogLevel)
DEFAULT_LOG_LEVEL: LogLevel = "info"
LogFormat = Literal["text", "json"]
"""`json`: one JSON object a line, for log shippers."""
DEFAULT_LOG_FORMAT: LogFormat = "text"

DEFAULT_CORS_ORIGINS = "*"
"""Origins whose pages may call the API (comma-separated `scheme://host[:port]`, or `*`
for any): the API reads no cookie, so another site's page gains nothing by it."""

DEFAULT_JOURNAL_SIZE = 10_000
"""Stand-in mode: the requests each app's journal keeps, the oldest dropped first."""

# The client commands' variables, for scripts: used in place of the saved credentials.
BASE_URL_VARIABLE = ENV_PREFIX + "BASE_URL"
TOKEN_VARIABLE = ENV_PREFIX + "TOKEN"

# Connection limits of `contactd serve` (docs/deployment.md, "Connection limits").
DEFAULT_MAX_HEADER_BYTES = 65536
MIN_HEADER_BYTES = 1024
"""Below this a browser's or an SDK's ordinary request would not fit."""
DEFAULT_MAX_HEADER_COUNT = 100
DEFAULT_HEADER_TIMEOUT_SECONDS = 10.0
DEFAULT_BODY_TIMEOUT_SECONDS = 15.0
DEFAULT_MAX_CONNECTIONS = 0
"""0: what the process's open-file limit leaves room for."""
