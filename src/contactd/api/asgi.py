"""The application factory uvicorn imports: settings from `CONTACTD_*` variables."""

from __future__ import annotations

import sys

from contactd.api.app import ContactdApp, create_app
from contactd.config import settings_from_env
from contactd.logs import configure_logging

__all__ = ["GIL_SWITCH_INTERVAL_SECONDS", "app_from_env"]

GIL_SWITCH_INTERVAL_SECONDS = 0.0002
"""How long a thread holding the GIL may run while another waits for it (CPython: 5 ms).

The SQLite writer thread gives the GIL up for every statement it steps and needs it back
after; while the event loop runs Python (validating the next batch), taking it back
waited for the whole interval, several times per 100-contact batch. A shorter interval
gives it back sooner; reads use one thread and do not notice (bench/profile.md,
"GIL switch interval").
"""


def app_from_env() -> ContactdApp:
    sys.setswitchinterval(GIL_SWITCH_INTERVAL_SECONDS)  # this process serves: see above
    settings = settings_from_env()
    # uvicorn has applied `serve`'s log_config in this worker already; this is for a
    # server started by other means (`uvicorn contactd.api.asgi:app_from_env --factory`).
    configure_logging(settings.log_level, settings.log_format)
    return create_app(settings)
