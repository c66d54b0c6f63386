from __future__ import annotations

from contactd.domain.models import Principal
from contactd.domain.token_cache import TokenCache


def _principal(extension: int = 1001, app_id: int = 1234567) -> Principal:
    return Principal(
        app_id=app_id,
        extension=extension,
        first_name="A",
        last_name="B",
        phone="919800000000",
        email="",
        password_hash="x",
        start_time=None,
        end_time=None,
        notify=False,
        followme=False,
        created_at=0,
        country_code="91",
    )


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000

    def __call__(self) -> int:
        return self.now


def test_an_entry_is_trusted_for_the_ttl_and_not_after() -> None:
    clock = Clock()
    cache = TokenCache(ttl_ms=1000, clock=clock)
    cache.put(b"t", _principal(), expires_at=clock.now + 10_000)
    clock.now += 999
    assert cache.get(b"t") == _principal()
    clock.now += 1
    assert cache.get(b"t") is None


def test_an_entry_is_never_trusted_past_the_tokens_expiry() -> None:
    clock = Clock()
    cache = TokenCache(ttl_ms=60_000, clock=clock)
    cache.put(b"t", _principal(), expires_at=clock.now + 10)
    clock.now += 9
    assert cache.get(b"t") is not None
    clock.now += 1
    assert cache.get(b"t") is None


def test_forget_drops_every_token_of_one_principal_only() -> None:
    clock = Clock()
    cache = TokenCache(ttl_ms=1000, clock=clock)
    far = clock.now + 10_000
    cache.put(b"a1", _principal(1001), far)
    cache.put(b"a2", _principal(1001), far)
    cache.put(b"b", _principal(1002), far)
    cache.put(b"other-app", _principal(1001, app_id=7654321), far)
    cache.forget(1234567, 1001)
    assert cache.get(b"a1") is None
    assert cache.get(b"a2") is None
    assert cache.get(b"b") is not None
    assert cache.get(b"other-app") is not None


def test_the_oldest_entry_leaves_past_the_size_bound() -> None:
    clock = Clock()
    cache = TokenCache(ttl_ms=1000, max_entries=2, clock=clock)
    far = clock.now + 10_000
    for key in (b"1", b"2", b"3"):
        cache.put(key, _principal(), far)
    assert cache.get(b"1") is None
    assert cache.get(b"3") is not None


def test_a_zero_ttl_keeps_nothing() -> None:
    cache = TokenCache(ttl_ms=0)
    cache.put(b"t", _principal(), expires_at=2**62)
    assert cache.get(b"t") is None
