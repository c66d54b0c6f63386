"""Keystroke to results on screen, in the agent console, on the 1M-contact bench apps.

    python -m bench.console_latency [--backend sqlite|postgresql] [--fragments 150]
                                    [--key-delay 120]

Starts `contactd serve` on the bench data set (`make bench-data`), opens the console in
Debian's Chromium (Playwright), signs in as the app's first principal and types name
fragments of the data set's own names (`bench.context` draws them: each a different
term, some matching nothing) letter by letter into `Search contacts`, `--key-delay` ms
apart (an agent typing quickly), then the last four digits of random numbers of the
app. Every keystroke is a new query the server has not seen: nothing is answered from
a cache.

The page itself measures each search (`contactd:search`, a `performance.measure`): from
the keystroke that made the query to the next frame after its results were put on
screen, through the debounce, the request and the rendering. Printed per app shape
and kind of query: how many searches, p50, p95, p99 and the largest, in ms.
"""

from __future__ import annotations

import argparse
import random
import statistics
from dataclasses import dataclass

from bench import data
from bench.server import Server

CHROMIUM = "/usr/bin/chromium"
SEARCH_LABEL = "Search contacts"


@dataclass(frozen=True)
class Typed:
    label: str
    terms: list[str]


def _terms(manifest: dict[str, object], app: int, count: int, seed: int) -> list[str]:
    pools: dict[str, list[str]] = manifest["fragments"]  # type: ignore[assignment]
    pool = pools[str(app)]
    return random.Random(seed).sample(pool, min(count, len(pool)))


def _suffixes(app: int, count: int, contacts: int, seed: int) -> list[str]:
    draw = random.Random(seed)
    return [data.phone_of(app, draw.randrange(contacts))[0][-4:] for _ in range(count)]


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def _type_all(page: object, typed: Typed, key_delay: int) -> list[float]:
    from playwright.sync_api import Page, expect

    assert isinstance(page, Page)
    search = page.get_by_label(SEARCH_LABEL)
    page.evaluate("performance.clearMeasures('contactd:search')")
    for term in typed.terms:
        search.fill("")
        search.press_sequentially(term, delay=key_delay)
        query = term.strip()
        expect(page.locator(f"table.contacts[data-query={query!r}]")).to_have_count(1)
        page.wait_for_timeout(30)  # the measure is taken on the next frame
    durations = page.evaluate(
        "performance.getEntriesByName('contactd:search').map(e => e.duration)"
    )
    return [float(d) for d in durations]


def run(backend: str, fragments: int, key_delay: int) -> None:
    from playwright.sync_api import sync_playwright

    manifest = data.ensure(backend)
    server = Server.contactd(data.database_url(backend))
    base = f"http://{server.host}:{server.port}"
    contacts = int(manifest["big_contacts"])  # type: ignore[call-overload]
    extension = int(manifest["extension"])  # type: ignore[call-overload]
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            for label, app in (("repeating", data.BIG_APP), ("varied", data.VARIED_APP)):
                page = browser.new_page()
                page.goto(f"{base}/")
                page.get_by_label("ID").fill(f"{extension}_{app}")
                page.get_by_label("Password").fill(data.PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                page.get_by_label(SEARCH_LABEL).wait_for()
                page.wait_for_timeout(500)  # the unfiltered first page, before typing
                for typed in (
                    Typed(f"{label} names", _terms(manifest, app, fragments, seed=app)),
                    Typed(f"{label} last 4 digits", _suffixes(app, fragments // 3, contacts, app)),
                ):
                    durations = _type_all(page, typed, key_delay)
                    print(
                        f"{backend:10} {typed.label:24} searches {len(durations):5}"
                        f"  p50 {statistics.median(durations):6.1f} ms"
                        f"  p95 {_percentile(durations, 0.95):6.1f}"
                        f"  p99 {_percentile(durations, 0.99):6.1f}"
                        f"  max {max(durations):6.1f}",
                        flush=True,
                    )
                page.close()
            browser.close()
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--fragments", type=int, default=150)
    parser.add_argument("--key-delay", type=int, default=120, help="ms between keystrokes")
    args = parser.parse_args()
    print(
        f"keystroke to results on screen, {args.key_delay} ms between keys "
        "(each keystroke a new query)"
    )
    run(args.backend, args.fragments, args.key_delay)


if __name__ == "__main__":
    main()
