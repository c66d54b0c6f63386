"""The benchmark's report: the machine, the table of figures per case, and the targets
checked on the ratios of CPU per request."""

from __future__ import annotations

import datetime
import os
import platform
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path

from bench import data
from bench.cases import ADD_BATCH, ADD_CONNECTIONS, CASES
from bench.context import AROUND, DEPTH, Bench
from bench.driver import CaseResult

__all__ = ["cost", "header", "kept_sections", "report"]

RSS_LIMIT_MIB = 200
RSS_FLAT = 0.05
ADD_TARGET = 20_000
NAME_LIMIT = 5
NAME_WRITES_LIMIT = 8
FLAT_LIMIT = 1.2
"""A cost that must not follow the app's size or the page's depth."""
FLOOR_LIMITS = {
    "sqlite": {"v3_first": 2.0, "v1_page1": 2.5},
    "postgresql": {"v3_first": 3.0, "v1_page1": 4.0},
}
"""The pages' costs against the floor of their backend's run, as issue 17 sets them
(PostgreSQL's with its own processes' CPU counted)."""


def machine() -> dict[str, str]:
    model = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    mem_kib = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            mem_kib = int(line.split()[1])
    return {
        "cpu": f"{model} x {os.cpu_count()}",
        "memory": f"{mem_kib / 1024 / 1024:.1f} GiB",
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
    }


def postgres_version() -> str:
    try:
        import psycopg

        with psycopg.connect(data.BENCH_PG_URL.split("?", 1)[0], connect_timeout=3) as conn:
            row = conn.execute("SHOW server_version").fetchone()
            return str(row[0]) if row else "?"
    except Exception as exc:
        return f"unreachable ({type(exc).__name__})"


@dataclass
class Target:
    label: str
    value: float
    limit: float
    at_most: bool = True
    unit: str = "x"

    @property
    def passed(self) -> bool:
        return self.value <= self.limit if self.at_most else self.value >= self.limit

    def line(self) -> str:
        sign = "<=" if self.at_most else ">="
        mark = "PASS" if self.passed else "FAIL"
        value = f"{self.value:,.0f}" if self.unit in ("/s", "responses") else f"{self.value:,.2f}"
        return f"{mark}  {self.label}: {value} {self.unit} ({sign} {self.limit:,g})"


def cost(r: CaseResult) -> float:
    """CPU per request counted in ratios: the server's, plus PostgreSQL's own."""
    return r.cpu_us + r.db_cpu_us


def targets(b: Bench, results: dict[str, CaseResult], peak_kib: int) -> list[Target]:
    out: list[Target] = []

    def ratio(label: str, a: str, c: str, limit: float) -> None:
        if a in results and c in results and cost(results[c]) > 0:
            out.append(Target(label, cost(results[a]) / cost(results[c]), limit))

    failed = sum(r.errors for r in results.values())
    out.append(Target("responses other than 2xx (all cases)", failed, 0, unit="responses"))
    limits = FLOOR_LIMITS[b.backend]
    ratio(f"v3 first page (1M) / floor, {b.backend}", "v3_first", "floor", limits["v3_first"])
    ratio(f"v1 page 1 / floor, {b.backend}", "v1_page1", "floor", limits["v1_page1"])
    ratio("v3 page at 500,000 / v3 first page", "v3_deep", "v3_first", FLAT_LIMIT)
    ratio("v3 first page: 1M app / 1k app", "v3_first", "v3_first_1k", FLAT_LIMIT)
    ratio("v1 page 50,000 in-order walk / v1 page 1", "v1_p50k_walk", "v1_page1", 2)
    ratio("v1 page 50,000 cold / v1 page 1", "v1_p50k_cold", "v1_page1", 10)
    ratio('v1 name "mike" (the count memo serves it) / v1 page 1', "v1_mike", "v1_page1", 3)
    for shape, infix in (("repeating", ""), ("varied", "_varied")):
        for page in (1, 5):
            label = f"v1 name search page {page}, {shape} names / v1 page 1"
            ratio(label, f"v1_name{infix}_p{page}", "v1_page1", NAME_LIMIT)
        label = f"v1 name search page 1 while adding, {shape} names / v1 page 1"
        ratio(label, f"v1_name{infix}_writes", "v1_page1", NAME_WRITES_LIMIT)
    ratio("x search by 4 digits / v1 page 1", "x_search_phone", "v1_page1", NAME_LIMIT)
    ratio("x search by a name fragment / v1 page 1", "x_search_name", "v1_page1", NAME_LIMIT)
    ratio("x due list: 1M app / 1k apps", "x_due", "x_due_1k", FLAT_LIMIT)
    if "v3_add" in results:
        added = results["v3_add"].rate * ADD_BATCH
        out.append(Target("v3 add, contacts/s", added, ADD_TARGET, at_most=False, unit="/s"))
    reads = max((kib for name, kib in b.rss_peaks.items() if name != "login"), default=0)
    out.append(
        Target("server RSS peak, MiB (login aside)", reads / 1024, RSS_LIMIT_MIB, unit="MiB")
    )
    out.append(
        Target("server RSS peak, MiB (whole run)", peak_kib / 1024, RSS_LIMIT_MIB, unit="MiB")
    )
    if b.rss_growth is not None:
        first, last = b.rss_growth
        growth = abs(last - first) / first * 100 if first else 0.0
        label = (
            f"RSS change over 100,000 requests ({first / 1024:,.1f} -> {last / 1024:,.1f} MiB), %"
        )
        out.append(Target(label, growth, RSS_FLAT * 100, unit="%"))
    return out


def table(b: Bench, results: dict[str, CaseResult]) -> list[str]:
    floor = results.get("floor")
    pg = b.backend == "postgresql"
    head = "| case | req/s | p50 ms | p99 ms | server CPU µs/req |"
    head += " PG CPU µs/req | x floor |" if pg else " x floor |"
    head += " RSS MiB |"
    rows = [head, "|" + "---|" * (head.count("|") - 1)]
    for name, r in results.items():
        label = CASES[name][0]
        ratio = f"{cost(r) / cost(floor):.2f}" if floor and cost(floor) else "-"
        extra = f" {r.db_cpu_us:,.0f} |" if pg else ""
        errors = f" ({r.errors} errors: {dict(r.statuses)})" if r.errors else ""
        rss = f"{b.rss_peaks[name] / 1024:,.0f}" if name in b.rss_peaks else "-"
        rows.append(
            f"| {label}{errors} | {r.rate:,.0f} | {r.percentile_ms(0.5):.2f} |"
            f" {r.percentile_ms(0.99):.2f} | {r.cpu_us:,.0f} |{extra} {ratio} | {rss} |"
        )
    return rows


def report(b: Bench, results: dict[str, CaseResult], peak_kib: int, started: float) -> str:
    lines = [f"### {b.backend}", ""]
    lines += table(b, results)
    lines.append("")
    if "v3_add" in results:
        r = results["v3_add"]
        lines.append(
            f"- v3 add: {r.rate * ADD_BATCH:,.0f} contacts/s over {ADD_CONNECTIONS} connections"
            f" ({r.cpu_us / ADD_BATCH:,.0f} µs server CPU per contact"
            + (f", {r.db_cpu_us / ADD_BATCH:,.0f} µs PostgreSQL" if b.backend != "sqlite" else "")
            + ("; synchronous=FULL" if b.backend == "sqlite" else "; synchronous_commit on")
            + ")"
        )
    if "login" in results:
        r = results["login"]
        lines.append(
            f"- login: {r.rate:,.1f} logins/s, {r.cpu_us / 1000:,.1f} ms server CPU per login"
            " (argon2id t=3, 64 MiB: expected to dominate)"
        )
    if b.walk is not None:
        w = b.walk
        lines.append(
            f"- set-up walk to contact {DEPTH + AROUND:,} (v3, 100 a page, one client; the deep"
            f" case cycles over its {len(b.deep_cursors)} cursors from {DEPTH - AROUND:,} on):"
            f" {w.requests:,} pages in {w.seconds:.1f} s, p50 {w.percentile_ms(0.5):.2f} ms,"
            f" p99 {w.percentile_ms(0.99):.2f} ms"
        )
    lines += [f"- {CASES[name][0]}: {note}" for name, note in b.notes.items() if name in results]
    distinct: dict[str, int] = b.manifest["distinct_names"]  # type: ignore[assignment]
    for app, asked in b.asked.items():
        pool = len(b.fragments(app))
        shape = "repeating" if app == b.big else "varied"
        again = "none asked twice" if asked <= pool else f"the pool went round {asked / pool:.1f}x"
        lines.append(
            f"- name fragments, {shape} names ({distinct[str(app)]:,} distinct names in the"
            f" app): {asked:,} asked from a pool of {pool:,} ({again})"
        )
    lines.append(
        f"- v3 10-contact page: {b.page_bytes} bytes (the floor's body);"
        f" server RSS peak {peak_kib / 1024:,.0f} MiB;"
        f" data set built in {b.manifest.get('build_seconds')} s;"
        f" backend run {time.perf_counter() - started:,.0f} s"
    )
    lines += ["", "Targets (ratios of CPU per request):", ""]
    lines += [f"- {t.line()}" for t in targets(b, results, peak_kib)]
    if {"v3_first", "floor_paced"} <= set(results) and cost(results["floor_paced"]):
        first, paced = results["v3_first"], results["floor_paced"]
        lines.append(
            f"- (beside the target) v3 first page / floor at the same req/s"
            f" ({paced.rate:,.0f}/s: {cost(paced):,.0f} µs): {cost(first) / cost(paced):.2f} x"
        )
    return "\n".join(lines) + "\n"


def revision() -> str:
    """The commit measured, and whether src/ had changes not committed."""
    import subprocess

    root = Path(__file__).resolve().parent.parent
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=root, capture_output=True, check=True
        ).stdout.decode()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "src"], cwd=root, capture_output=True, check=True
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return "an unknown revision (no git)"
    return f"commit {head.strip()}" + (" with uncommitted changes in src/" if dirty else "")


def header(backends: list[str]) -> str:
    info = machine()
    now = datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        "# contactd benchmark results",
        "",
        f"Run {now} with `make bench` (`python -m bench.run`); see bench/README.md.",
        "",
        f"- machine: {info['cpu']}, {info['memory']}, {info['os']}",
        f"- Python {info['python']}, SQLite {info['sqlite']}",
        f"- contactd at {revision()}",
    ]
    if "postgresql" in backends:
        lines.append(f"- PostgreSQL {postgres_version()} (same machine, loopback)")
    lines += [
        "- server: `contactd serve --workers 1` (uvicorn, uvloop, httptools, connection"
        " limits of contactd.http_limits), one process;"
        " client: bench.driver, 8 keep-alive connections on loopback, same 2 CPUs;"
        " on SQLite its loop is kept awake during read cases (no server pays to wake it)",
        "- each read case: 0.5 s warm-up, then 4 s, in 3 rounds over all read cases (so that"
        " a drift of the machine's load touches every case alike); the writing cases (name"
        " search while adding, v3 add) 3 times after them; the run with the least CPU per"
        " request is shown (other work on the machine only adds CPU)",
        "- read cases cycle through many requests (principals' tokens, cursors, pages, name"
        " fragments never asked twice); a case that a cache serves says so in its name",
        "- CPU µs/req: utime+stime of the server process over the case / requests;"
        " on PostgreSQL the ratios add the postgres processes' CPU (PG CPU column)",
        "",
    ]
    return "\n".join(lines) + "\n"


def kept_sections(path: Path) -> str:
    """What the results file holds from its first `## ` section on (the soak's figures,
    written by hand from `make soak`): a new run replaces the tables, not those."""
    if not path.exists():
        return ""
    old = path.read_text()
    at = old.find("\n## ")
    return old[at:] if at >= 0 else ""
