"""The SDK's public surface: curated, mirrored between sync and async, server-free."""

from __future__ import annotations

import inspect
import subprocess
import sys

import contactd.client
from contactd.client import _async_resources, _resources


def test_all_lists_exactly_the_public_names() -> None:
    # isidentifier: pytest's assertion rewriting (contactd is a pytest11 plugin) adds
    # helpers such as "@py_builtins" to the package's modules.
    names = (n for n in vars(contactd.client) if n.isidentifier() and not n.startswith("_"))
    public = set(names) - {"annotations"}
    assert set(contactd.client.__all__) == public


def test_async_namespaces_mirror_the_sync_ones() -> None:
    for name in ("V1", "V2", "V3", "V1Contacts", "V1Agents", "V3Contacts", "V3Users"):
        sync_cls = getattr(_resources, name)
        async_cls = getattr(_async_resources, f"Async{name}")
        sync_methods = {m for m in vars(sync_cls) if not m.startswith("_")}
        assert sync_methods == {m for m in vars(async_cls) if not m.startswith("_")}, name
        for method in sync_methods:
            sync_sig = inspect.signature(getattr(sync_cls, method))
            async_fn = getattr(async_cls, method)
            assert inspect.iscoroutinefunction(async_fn), (name, method)
            assert list(sync_sig.parameters) == list(inspect.signature(async_fn).parameters)


def test_the_sdk_imports_nothing_from_the_server() -> None:
    """`pip install contactd` (no `server` extra) must be enough for the SDK."""
    server_side = ("contactd.api", "contactd.store", "contactd.domain", "contactd.config")
    third_party = ("starlette", "msgspec", "uvicorn", "phonenumbers", "argon2", "psycopg")
    code = (
        "import sys, contactd.client\n"
        f"bad = [m for m in sys.modules if m.startswith({server_side + third_party!r})]\n"
        "assert not bad, bad\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)
