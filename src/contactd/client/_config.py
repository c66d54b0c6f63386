"""Defaults for `Client` and `AsyncClient`, and the vendor's hosts."""

from __future__ import annotations

DEFAULT_BASE_URL = "http://127.0.0.1:8080"
"""Where `contactd serve` listens with no configuration."""
DEFAULT_TIMEOUT = 10.0
"""Seconds for each of connect, read, write and pool."""
DEFAULT_MAX_RETRIES = 2
"""Retries after the first attempt, on connection errors, 429 and 503."""

TELECMI_V1_BASE_URL = "https://piopiy.telecmi.com"
"""The vendor's host for the v1 agent and admin endpoints (pass as `v1_base_url`)."""
TELECMI_BASE_URL = "https://rest.telecmi.com"
"""The vendor's host for the v2 login and the v3 endpoints (pass as `base_url`)."""
