"""Logging: one line format for contactd's and uvicorn's records, text or JSON.

Every process that logs (the CLI, `contactd serve` and each of its `--workers`) applies
the same `logging.config.dictConfig` dictionary (`logging_config`); `serve` hands it to
uvicorn as its `log_config`, which uvicorn applies again in each worker it spawns, so
uvicorn's own lines come out through the same formatter as contactd's.

A record may carry `extra={"fields": {...}}`: the text format appends them as
`key=value`, the JSON format as keys of the line's object. Nothing here knows what a
request or a login is; the request log and the login audit (`contactd.api.observe`)
only choose their fields, and never include a token, password, secret or query string.
"""

from __future__ import annotations

import logging
import logging.config
import time
from typing import TYPE_CHECKING, Any

import msgspec

if TYPE_CHECKING:
    from contactd.config import Settings

__all__ = [
    "LOG_FORMATS",
    "JsonFormatter",
    "TextFormatter",
    "configure_logging",
    "log_settings",
    "logging_config",
]

LOG_FORMATS = ("text", "json")

# Neither is shown in a line; without them a record costs less to make.
logging.logThreads = False
logging.logMultiprocessing = False


class _Timestamps:
    """`2026-12-01T08:50:00.123Z`; the part up to the second is kept for the next line."""

    def __init__(self) -> None:
        self._second = -1
        self._prefix = ""

    def __call__(self, created: float) -> str:
        second = int(created)
        if second != self._second:
            self._second = second
            self._prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._prefix}.{int((created - second) * 1000):03d}Z"


def _fields(record: logging.LogRecord) -> dict[str, Any] | None:
    fields: dict[str, Any] | None = getattr(record, "fields", None)
    return fields


def _printable(text: str) -> str:
    """One physical line per record: a newline in a message cannot forge another."""
    return text if text.isprintable() else text.encode("unicode_escape").decode("ascii")


class TextFormatter(logging.Formatter):
    """`TIME LEVEL logger: message key=value ...`, then any traceback indented."""

    def __init__(self) -> None:
        super().__init__()
        self._timestamp = _Timestamps()

    def format(self, record: logging.LogRecord) -> str:
        line = (
            f"{self._timestamp(record.created)} {record.levelname:<7} {record.name}: "
            f"{_printable(record.getMessage())}"
        )
        fields = _fields(record)
        if fields:
            line += "".join(
                f" {key}={_printable(value) if isinstance(value, str) else value}"
                for key, value in fields.items()
            )
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time, level, logger, message, pid, then the fields."""

    def __init__(self) -> None:
        super().__init__()
        self._timestamp = _Timestamps()
        self._encoder = msgspec.json.Encoder()

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": self._timestamp(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
            "pid": record.process,
        }
        fields = _fields(record)
        if fields:
            line.update(fields)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return self._encoder.encode(line).decode("utf-8")


def logging_config(level: str = "info", log_format: str = "text") -> dict[str, Any]:
    """The `dictConfig` dictionary: one handler on stderr for the root logger.

    uvicorn's loggers propagate to it rather than keep handlers of their own; its access
    logger is left without output, since contactd writes its own request log.
    """
    if log_format not in LOG_FORMATS:
        raise ValueError(f"log format must be one of {', '.join(LOG_FORMATS)}, not {log_format!r}")
    formatter = JsonFormatter if log_format == "json" else TextFormatter
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"contactd": {"()": f"{formatter.__module__}.{formatter.__qualname__}"}},
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "formatter": "contactd",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            "uvicorn": {"handlers": [], "propagate": True},
            "uvicorn.error": {"handlers": [], "propagate": True},
            "uvicorn.access": {"handlers": [], "propagate": False},
        },
    }


def configure_logging(level: str = "info", log_format: str = "text") -> None:
    """Apply `logging_config` to this process."""
    logging.config.dictConfig(logging_config(level, log_format))


def log_settings(settings: Settings) -> None:
    """At debug, the settings this process runs with: the secret and the database
    password masked."""
    log = logging.getLogger("contactd")
    if not log.isEnabledFor(logging.DEBUG):
        return
    shown = msgspec.structs.asdict(settings)
    if settings.secret:
        shown["secret"] = "***"  # noqa: S105 (the mask, not a secret)
    if not settings.database_url.startswith("sqlite"):
        from contactd.store.postgres_setup import parse_url

        try:
            shown["database_url"] = parse_url(settings.database_url).redacted
        except ValueError:
            shown["database_url"] = "(invalid)"
    log.debug("settings", extra={"fields": shown})
