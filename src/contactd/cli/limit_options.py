"""`contactd serve`'s connection limits (docs/deployment.md, "Connection limits")."""

from __future__ import annotations

from typing import Annotated

from contactd.cli.options import env_option
from contactd.defaults import MIN_HEADER_BYTES

__all__ = ["BodyTimeout", "HeaderTimeout", "MaxConnections", "MaxHeaderBytes", "MaxHeaderCount"]

MaxHeaderBytes = Annotated[
    int,
    env_option(
        "max_header_bytes",
        "Request target and headers of one request, in bytes; past it 431",
        min=MIN_HEADER_BYTES,
    ),
]
MaxHeaderCount = Annotated[
    int,
    env_option("max_header_count", "Header fields per request; past it 431"),
]
HeaderTimeout = Annotated[
    float,
    env_option(
        "header_timeout_seconds",
        "Seconds for a request's headers to arrive; then 408 and closed",
    ),
]
BodyTimeout = Annotated[
    float,
    env_option(
        "body_timeout_seconds",
        "Seconds a request body may send nothing; then 408 and closed",
    ),
]
MaxConnections = Annotated[
    int,
    env_option(
        "max_connections",
        "Open connections per process; past it 503 and closed. 0: what the open-file limit"
        " (ulimit -n) leaves room for",
        min=0,
    ),
]
