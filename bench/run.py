"""The contactd benchmark: cost and speed of the hot paths at a million contacts.

    python -m bench.run [--backend sqlite|postgresql|both] [--cases v3_first,v1_mike,...]
                        [--seconds 4] [--connections 8] [--output bench/RESULTS.md]

Builds (once) or reuses the data set (`bench.data`), starts a real `contactd serve`
process per backend and the floor (`bench.floor`: a raw ASGI app on the same uvicorn
options answering a constant body the size of a v3 10-contact page), drives both with
`bench.driver` on loopback, and prints per case: req/s, p50 and p99 latency, the
server's CPU per request (from /proc, which barely moves with noise), and that CPU as a
ratio to the floor's. The targets (bench/README.md) are checked on those ratios.

With every case selected (the default), the report is also written to
bench/RESULTS.md; a partial run prints only, unless `--output` is given.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import uvloop

from bench import data
from bench.cases import CASES, ONCE, WRITES
from bench.context import Bench, prepare
from bench.driver import CaseResult, RssSampler
from bench.report import cost, header, kept_sections, report
from bench.server import Server

__all__ = ["CASES", "main"]

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


async def run_backend(
    backend: str,
    manifest: dict[str, object],
    cases: list[str],
    *,
    seconds: float,
    connections: int,
    profile: Path | None,
    repeat: int,
) -> tuple[str, dict[str, CaseResult]]:
    started = time.perf_counter()
    server = Server.contactd(data.database_url(backend), profile=profile)
    floor: Server | None = None
    b = Bench(backend, server, None, seconds, connections, manifest)
    sampler = RssSampler(server.pid)
    sampler.start()
    results: dict[str, CaseResult] = {}
    try:
        await prepare(b, cases)
        if {"floor", "floor_paced"} & set(cases):
            floor = b.floor = Server.floor(b.page_bytes)
        # Read cases run in rounds (each once per round, `repeat` rounds) rather than
        # back to back: the machine's load drifts over minutes, and a ratio of two cases
        # measured minutes apart would measure the drift. Writing cases come last.
        reads = [n for n in cases if n not in ONCE | WRITES]
        rounds = [reads] * repeat + [[n for n in cases if n in ONCE]]
        rounds += [[n for n in cases if n in WRITES]] * repeat
        tries: dict[str, list[CaseResult]] = {}
        for names in rounds:
            for name in names:
                runs = len(tries.get(name, []))
                step = "" if name in ONCE else f" (run {runs + 1} of {repeat})"
                print(f"bench: {backend} {name}{step}...", flush=True)
                mark = sampler.mark()
                tries.setdefault(name, []).append(await CASES[name][1](b))
                # The least disturbed run: other work on the machine only adds CPU.
                results[name] = min(
                    tries[name], key=lambda r: cost(r) if r.requests else float("inf")
                )
                b.rates[name] = results[name].rate
                if not name.startswith("floor"):
                    b.rss_peaks[name] = max(b.rss_peaks.get(name, 0), sampler.peak_kib(mark))
        results = {name: results[name] for name in cases}  # report in the cases' order
    finally:
        await sampler.stop()
        if floor is not None:
            floor.stop()
        log = server.stop()
        if "Traceback" in log or "ERROR" in log:
            print(f"bench: the server logged errors:\n{log[-4000:]}")
    text = report(b, results, sampler.peak_kib(), started)
    print(text, flush=True)
    return text, results


def cases_profile(backend: str, cases: list[str]) -> Path:
    data.DATA_DIR.mkdir(parents=True, exist_ok=True)
    name = "-".join(c for c in cases if c != "floor")
    return data.DATA_DIR / f"profile-{backend}-{name}.txt"


def main() -> None:
    parser = argparse.ArgumentParser(description="contactd benchmark (see bench/README.md)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql", "both"), default="both")
    parser.add_argument(
        "--cases", default="", help="comma-separated; default all: " + ",".join(CASES)
    )
    parser.add_argument("--seconds", type=float, default=4.0, help="per case")
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument(
        "--repeat", type=int, default=3, help="runs per read case; the least CPU/request is kept"
    )
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument(
        "--contacts",
        type=int,
        default=data.BIG_CONTACTS,
        help="contacts per big app of the data set (a smaller one, built by"
        " `python -m bench.data --contacts N`, checks that cases run)",
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="run the server under py-spy; summary printed, raw stacks in bench/data/",
    )
    args = parser.parse_args()
    cases = [c for c in args.cases.split(",") if c] or list(CASES)
    unknown = set(cases) - set(CASES)
    if unknown:
        parser.error(f"unknown cases: {', '.join(sorted(unknown))}")
    cases = [c for c in CASES if c in cases]
    if "floor" not in cases:  # every ratio needs it
        cases.insert(0, "floor")
    if "floor_paced" in cases and "v3_first" not in cases:  # it runs at v3_first's rate
        cases.insert(cases.index("floor_paced"), "v3_first")
    backends = data.backends_for(args.backend)
    output = args.output or (RESULTS if cases == list(CASES) else None)
    text = header(backends)
    for backend in backends:
        spy = cases_profile(backend, cases) if args.profile else None
        section, _ = uvloop.run(
            run_backend(
                backend,
                data.ensure(backend, big=args.contacts),
                cases,
                seconds=args.seconds,
                connections=args.connections,
                profile=spy,
                repeat=args.repeat,
            )
        )
        text += "\n" + section
        if spy is not None:
            from bench.profile import summarize

            print(summarize(spy))
    if output is not None:
        output.write_text(text + kept_sections(output))
        print(f"bench: written to {output}")


if __name__ == "__main__":
    main()
