"""The benchmark's cases: what each sends, and the set-up they share (tokens, a deep
cursor, contact ids). `bench.run` runs them; `bench.report` prints their figures."""

from __future__ import annotations

import random
from collections.abc import Awaitable, Callable, Iterator

from bench import data
from bench.context import Bench, added_ids, body, delete_contacts
from bench.driver import CaseResult, RssSampler, Source, constant, cycling, post
from bench.name_cases import NAME_CASES, WRITING
from bench.x_cases import X_CASES
from contactd.defaults import DEFAULT_COUNTRY_CODE

__all__ = ["ADD_BATCH", "ADD_CONNECTIONS", "CASES", "MEMO_SERVED", "ONCE", "WRITES"]

ONCE = frozenset({"rss_100k", "login"})
"""Cases run once whatever `--repeat` says: long, or argon2-bound."""
WRITES = frozenset({"v3_add"}) | WRITING
"""Cases that write: repeated like the reads, but after them, so that no read runs
against a write's left-overs (a WAL awaiting its checkpoint, deleted rows)."""
MEMO_SERVED = frozenset({"v1_mike"})
"""Cases that ask one query again and again, which a cache of the server answers (the
count memo of store/listing_memo.py): kept to show the memo at work, labelled so."""
V1_DEEP_PAGE = 50_000
COLD_PAGES = 500
"""The cold case asks pages 50,000, 50,002, ... (every other one: see the case)."""
ADD_BATCH = 100
ADD_CONNECTIONS = 4
RSS_REQUESTS = 100_000


# -- the cases ---------------------------------------------------------------------------


async def case_floor(b: Bench) -> CaseResult:
    assert b.floor is not None
    return await b.load(constant(post("/v3/contact/get", b"{}")), server=b.floor)


async def case_floor_paced(b: Bench) -> CaseResult:
    """The floor again, held to the v3 first page's request rate.

    A server's CPU per request depends on its load: saturated, it shares one epoll
    wake-up among several requests; at a lower rate it sleeps between requests and each
    one pays its wake-up alone. The floor runs 3-4 times as fast as a contactd case, so
    this case gives the floor at the rate contactd served (reported beside the target's
    ratio, which stays on the unpaced floor).
    """
    assert b.floor is not None
    return await b.load(
        constant(post("/v3/contact/get", b"{}")), server=b.floor, rate=b.rates["v3_first"]
    )


async def case_v3_first(b: Bench) -> CaseResult:
    # The first page is one query whatever the token: the app's principals take turns.
    return await b.load(b.each_principal(b.big, "/v3/contact/get", [{"limit": 10}]))


async def case_v3_first_1k(b: Bench) -> CaseResult:
    requests = [post("/v3/contact/get", body(token=b.token(app), limit=10)) for app in b.smalls]
    return await b.load(cycling(requests))


async def case_v3_deep(b: Bench) -> CaseResult:
    pages = [{"limit": 10, "page_state": cursor} for cursor in b.deep_cursors]
    return await b.load(b.each_principal(b.big, "/v3/contact/get", pages))


async def case_v3_get_id(b: Bench) -> CaseResult:
    ids = [{"contact_id": i} for i in b.contact_ids]
    return await b.load(b.each_principal(b.big, "/v3/contact/get", ids))


async def case_v1_page1(b: Bench) -> CaseResult:
    return await b.load(b.each_principal(b.big, "/v1/getContact", [{"page": 1}]))


async def case_v1_p50k_cold(b: Bench) -> CaseResult:
    # Only the end of a page is remembered (as the start of the next), so pages asked
    # two apart, the ones between never asked, are each a cold offset, every time.
    pages = [{"page": V1_DEEP_PAGE + 2 * i} for i in range(COLD_PAGES)]
    random.Random(V1_DEEP_PAGE).shuffle(pages)
    return await b.load(b.each_principal(b.big, "/v1/getContact", pages), warm=False)


async def case_v1_p50k_walk(b: Bench) -> CaseResult:
    token = b.token(b.big).encode()
    head = post("/v1/getContact", b"").split(b"Content-Length")[0]
    # Each connection walks its own run of pages in order, from its own start at or
    # after page 50,000; the walk goes on from the warm-up, which takes the one cold
    # offset of each run.
    next_page = {conn: V1_DEEP_PAGE + conn * 2_000 for conn in range(b.connections)}

    def source(conn: int) -> Iterator[bytes]:
        while True:
            payload = b'{"token":"%s","page":%d}' % (token, next_page[conn])
            next_page[conn] += 1
            yield head + b"Content-Length: %d\r\n\r\n" % len(payload) + payload

    return await b.load(source)


async def case_v1_mike(b: Bench) -> CaseResult:
    # One term asked again and again: after the first, the count memo answers the
    # count (MEMO_SERVED); the name cases of bench.name_cases measure the search.
    request = post("/v1/getContact", body(token=b.token(b.big), page=1, name="mike"))
    return await b.load(constant(request))


async def case_login(b: Bench) -> CaseResult:
    principals = range(len(b.tokens[b.big]))
    logins = [
        post("/v2/user/login", body(id=f"{data.extension_of(i)}_{b.big}", password=data.PASSWORD))
        for i in principals
    ]
    return await b.load(cycling(logins), connections=2, warm=False, busy_client=False)


def _add_requests(b: Bench, count: int) -> list[bytes]:
    taken = {data.phone_of(b.writes, n)[1] for n in range(data.SMALL_CONTACTS)}
    rng = random.Random()  # fresh phones each run: a run cut short leaves no clash
    base = 6_000_000_000 + rng.randrange(3_000_000_000)
    token = b.token(b.writes)
    requests, n = [], 0
    for r in range(count):
        batch = []
        while len(batch) < ADD_BATCH:
            national = str(base + n)
            n += 1
            if DEFAULT_COUNTRY_CODE + national in taken:
                continue
            batch.append(
                {
                    "phone_no": national,
                    "first_name": rng.choice(data.FIRST),
                    "last_name": rng.choice(data.LAST),
                    "email_id": f"bench{r}.{len(batch)}@example.in",
                    "company": rng.choice(data.COMPANIES),
                    "job_title": rng.choice(data.JOBS),
                }
            )
        requests.append(post("/v3/contact/add", body(token=token, contacts=batch)))
    return requests


def _split(requests: list[bytes]) -> Source:
    """Each request once: connection i sends requests i, i + n, i + 2n, ..."""
    return lambda conn: iter(requests[conn::ADD_CONNECTIONS])


async def case_v3_add(b: Bench) -> CaseResult:
    requests = _add_requests(b, 4_000)
    result = await b.load(
        _split(requests),
        connections=ADD_CONNECTIONS,
        warm=False,
        max_requests=len(requests),
        keep_bodies=True,
        busy_client=False,  # the server's writer thread needs the second CPU
        settle=True,  # the adds' fragment folds, which follow them, are their cost
    )
    ids = [i for raw in result.bodies if raw.startswith(b"{") for i in added_ids(raw)]
    result.bodies.clear()
    await delete_contacts(b, b.writes, ids, ADD_CONNECTIONS)
    return result


async def case_rss_100k(b: Bench) -> CaseResult:
    token = b.token(b.big)
    mix = [
        post("/v3/contact/get", body(token=token, limit=10)),
        *(
            post("/v3/contact/get", body(token=token, limit=10, page_state=cursor))
            for cursor in b.deep_cursors[::20]
        ),
        post("/v1/getContact", body(token=token, page=1)),
        *(post("/v3/contact/get", body(token=token, contact_id=i)) for i in b.contact_ids[:200]),
    ]
    sampler = RssSampler(b.server.pid, interval=0.5)
    sampler.start()
    result = await b.load(cycling(mix), warm=False, seconds=300, max_requests=RSS_REQUESTS)
    await sampler.stop()
    b.rss_growth = (sampler.samples[0][1], sampler.samples[-1][1])
    return result


CaseFn = Callable[[Bench], Awaitable[CaseResult]]
CASES: dict[str, tuple[str, CaseFn]] = {
    "floor": ("floor: raw ASGI, constant body", case_floor),
    "v3_first": ("v3 first page, 1M app", case_v3_first),
    "floor_paced": ("floor at the v3 first page's req/s", case_floor_paced),
    "v3_first_1k": ("v3 first page, 1k app", case_v3_first_1k),
    "v3_deep": ("v3 page at 500,000, 1M app", case_v3_deep),
    "v3_get_id": ("v3 get by contact_id", case_v3_get_id),
    "v1_page1": ("v1 page 1", case_v1_page1),
    "v1_p50k_cold": ("v1 page 50,000, cold", case_v1_p50k_cold),
    "v1_p50k_walk": ("v1 page 50,000+, in-order walk", case_v1_p50k_walk),
    "v1_mike": ('v1 name "mike", page 1 (one term: the count memo serves it)', case_v1_mike),
    "rss_100k": ("mixed reads, 100,000 requests (RSS)", case_rss_100k),
    "login": ("v2 login (argon2id defaults)", case_login),
    **NAME_CASES,
    **X_CASES,
    "v3_add": ("v3 add, batches of 100", case_v3_add),
}
