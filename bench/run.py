"""Benchmark this endpoint against a bare Flask + pyoxigraph endpoint and Oxigraph server.

    python bench/run.py [--articles N | --build DIR] [--seconds S] [--clients C]

Starts the three on 127.0.0.1 over the same data (a build of N synthetic articles from
bench/generate.py, or an existing build), then for each query interleaves the three: single-client
latency (p50, p99) and throughput with C concurrent connections for S seconds each; then cheap-query
throughput with two slow queries in flight. Prints markdown tables with ratios ours/theirs, start-up
time to first answer and memory summed over each process tree. A benchmark, not a test: figures
depend on the machine and its load, which the header records.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from contextlib import ExitStack, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import requests
import requests.adapters

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
KG = "PREFIX kg: <https://w3id.org/karabakh-kg/ontology#>\n"
ID = "https://w3id.org/karabakh-kg/id/"

QUERIES = {
    "entity lookup (CONSTRUCT by IRI)": (
        "cheap", f"CONSTRUCT {{ <{ID}person/hikmet-hajiyev> ?p ?o }} WHERE {{ "
        f"<{ID}person/hikmet-hajiyev> ?p ?o }}"),
    "property path": (
        "cheap", KG + f"SELECT ?place WHERE {{ <{ID}place/khudavang-monastery> "
        "kg:locatedIn+ ?place }"),
    "speaker timeline": (
        "medium", KG + "SELECT ?speaker ?date (COUNT(?q) AS ?quotes) WHERE { ?q kg:quotes ?act . "
        "?act kg:speaker ?speaker ; kg:date ?date } GROUP BY ?speaker ?date "
        "ORDER BY ?date ?speaker"),
    "heavy: active deployments": (
        "heavy", KG + "SELECT ?d ?start ?end WHERE { GRAPH ?g { ?d a kg:Deployment } "
        "OPTIONAL { GRAPH ?g1 { ?d kg:startDateWithin/kg:earliest ?start } } "
        "OPTIONAL { GRAPH ?g2 { ?w kg:ofDeployment ?d ; kg:startDateWithin/kg:latest ?end } } "
        "FILTER(!BOUND(?end) || STR(?end) >= \"2024-01-01\") }"),
    "heavy: OPTIONAL-heavy claims": (
        "heavy", KG + "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
        "SELECT ?claim ?article ?by ?mode ?via WHERE { ?claim a kg:Claim ; "
        "prov:wasDerivedFrom ?article . OPTIONAL { ?claim kg:accordingTo ?by } "
        "OPTIONAL { ?claim kg:attributionMode ?mode } OPTIONAL { ?claim kg:viaSource ?via } }"),
    "heavy: aggregate": (
        "heavy", "SELECT ?p (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?p "
        "ORDER BY DESC(?n) ?p"),
    "GRAPH-per-claim provenance": (
        "heavy", KG + "PREFIX prov: <http://www.w3.org/ns/prov#>\n"
        "SELECT ?s ?p ?o ?article WHERE { GRAPH ?claim { ?s ?p ?o } "
        "?claim prov:wasDerivedFrom ?article } LIMIT 5000"),
}
SLOW = (  # ~5 s on any engine, whatever the data's size: 100 million rows of a product, counted
    "SELECT (COUNT(*) AS ?n) WHERE { { SELECT ?a WHERE { GRAPH ?g { ?a ?p ?o } } LIMIT 10000 } "
    "{ SELECT ?b WHERE { GRAPH ?h { ?b ?q ?r } } LIMIT 10000 } }"
)


@dataclass
class Endpoint:
    name: str
    url: str
    process: subprocess.Popen
    startup: float


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def tree_memory_mb(pid: int) -> tuple[float, float]:
    """Memory of a process and all its descendants, in MB (from /proc): the sum of their
    resident sizes (pages shared between them counted once per process), and the sum of their
    proportional sizes (PSS: a page shared by n processes counts 1/n in each), the memory the
    tree really takes."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    rss = pss = 0
    todo = [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        try:
            for line in Path(f"/proc/{p}/smaps_rollup").read_text().splitlines():
                if line.startswith("Rss:"):
                    rss += int(line.split()[1])
                elif line.startswith("Pss:"):
                    pss += int(line.split()[1])
        except OSError:
            pass
    return rss / 1024, pss / 1024


def wait_answer(url: str, started: float, limit: float = 600) -> float:
    while time.perf_counter() - started < limit:
        try:
            if requests.get(url, params={"query": "ASK {}"}, timeout=5).ok:
                return time.perf_counter() - started
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise SystemExit(f"no answer from {url} within {limit} s")


def launch(command: list[str], stack: ExitStack,
           env: dict[str, str] | None = None) -> tuple[subprocess.Popen, float]:
    """Start an endpoint's process (stopped with the stack); it and its start time."""
    started = time.perf_counter()
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    stack.callback(proc.terminate)
    return proc, started


def start_ours(build: Path, stack: ExitStack, workers: int) -> Endpoint:
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(KG_BUILD_DIR=str(build), KG_PORT=str(port), KG_QUERY_TIMEOUT="60",
               KG_MAX_ROWS="1000000", KG_WORKERS=str(workers))
    proc, started = launch([str(BIN / "kg"), "serve"], stack, env)
    url = f"http://127.0.0.1:{port}/sparql"
    return Endpoint("ours", url, proc, wait_answer(url, started))


def start_bare(data: Path, stack: ExitStack) -> Endpoint:
    port = free_port()
    proc, started = launch([sys.executable, str(ROOT / "bench" / "bare.py"), str(data),
                            str(port)], stack)
    url = f"http://127.0.0.1:{port}/sparql"
    return Endpoint("bare Flask", url, proc, wait_answer(url, started))


def start_oxigraph(data: Path, stack: ExitStack) -> Endpoint:
    port = free_port()
    # With --timeout-s, 0.5.13 answered 500 "Resource temporarily unavailable" under load.
    proc, started = launch([str(BIN / "oxigraph"), "serve", "--bind", f"127.0.0.1:{port}",
                            "--union-default-graph"], stack)
    base = f"http://127.0.0.1:{port}"
    wait_answer(base + "/query", started)
    with data.open("rb") as body:  # in memory: the data goes in over the Graph Store Protocol
        requests.post(base + "/store", data=body, timeout=600,
                      headers={"Content-Type": "application/n-quads"}).raise_for_status()
    return Endpoint("Oxigraph server", base + "/query", proc, time.perf_counter() - started)


REFUSED: dict[str, int] = {}  # answers 429/503 per endpoint URL: the limits at work
FAILED: dict[str, dict[int, int]] = {}  # other errors per endpoint URL, by status


SERIAL = itertools.count()


def ask(session: requests.Session, url: str, query: str, repeat: bool = False) -> bool:
    """True for an answer; False (counted in REFUSED) when the endpoint refused or timed out.
    Unless ``repeat``, each request's text differs by a comment, so that no cache answers it."""
    if not repeat:
        query = f"{query}\n# request {next(SERIAL)}"
    r = session.post(url, data={"query": query}, timeout=120,
                     headers={"Accept": "application/sparql-results+json, application/n-triples"})
    if r.status_code in (429, 503):
        REFUSED[url] = REFUSED.get(url, 0) + 1
        return False
    if not r.ok:
        failed = FAILED.setdefault(url, {})
        failed[r.status_code] = failed.get(r.status_code, 0) + 1
        return False
    return True


def latency(url: str, query: str, seconds: float) -> tuple[float, float]:
    """p50, p99 in ms of one client asking in a loop for ``seconds``."""
    times: list[float] = []
    with requests.Session() as s:
        end = time.perf_counter() + seconds
        while time.perf_counter() < end or len(times) < 5:
            t = time.perf_counter()
            if ask(s, url, query):
                times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def throughput(url: str, query: str, seconds: float, clients: int, repeat: bool = False) -> float:
    """Answers per second with ``clients`` connections asking in a loop."""
    counts = [0] * clients
    end = time.perf_counter() + seconds

    def client(i: int) -> None:
        with requests.Session() as s:
            while time.perf_counter() < end:
                counts[i] += ask(s, url, query, repeat)

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return sum(counts) / seconds


class FromAddress(requests.adapters.HTTPAdapter):
    """Connections from another loopback address: another client, as the endpoint sees it."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def slow_in_flight(url: str, cheap: str, seconds: float, clients: int) -> float:
    """Cheap-query throughput while two slow queries run (each restarted when it ends), sent by
    another client (127.0.0.2): this endpoint shares its workers between clients."""
    stop = threading.Event()

    def slow() -> None:
        with requests.Session() as s:
            s.mount("http://", FromAddress("127.0.0.2"))
            while not stop.is_set():
                with suppress(requests.RequestException):
                    ask(s, url, SLOW)

    runners = [threading.Thread(target=slow) for _ in range(2)]
    for t in runners:
        t.start()
    time.sleep(0.5)
    try:
        return throughput(url, cheap, seconds, clients)
    finally:
        stop.set()
        for t in runners:
            t.join()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100)
    parser.add_argument("--build", type=Path, help="an existing build folder instead")
    parser.add_argument("--seconds", type=float, default=4.0)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2, help="KG_WORKERS of ours")
    parser.add_argument("--startup-only", action="store_true",
                        help="only start-up time and memory (for large data)")
    args = parser.parse_args()
    with ExitStack() as stack:
        build = args.build
        if build is None:
            scratch = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="kg-bench-")))
            subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), "--articles",
                            str(args.articles), "--out", str(scratch / "seeds")], check=True)
            build = scratch / "build"
            env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
            env.update(KG_SEEDS_DIR=str(scratch / "seeds"), KG_BUILD_DIR=str(build))
            subprocess.run([str(BIN / "kg"), "build"], env=env, cwd=ROOT, check=True,
                           stdout=subprocess.DEVNULL)
        data = build / "kg.nq"
        quads = sum(1 for _ in data.open("rb"))
        endpoints = [start_ours(build, stack, args.workers), start_bare(data, stack),
                     start_oxigraph(data, stack)]
        print(f"# Benchmark, {time.strftime('%Y-%m-%d')}, {platform.node()}: {os.cpu_count()} "
              f"cores, load {os.getloadavg()[0]:.2f}; {quads:,} quads; {args.clients} clients, "
              f"{args.seconds:g} s per measurement\n")
        print("| endpoint | start-up to first answer, s | memory at start (process tree), "
              "PSS / RSS MB |")
        print("|---|---|---|")
        for e in endpoints:
            rss, pss = tree_memory_mb(e.process.pid)
            print(f"| {e.name} | {e.startup:.1f} | {pss:.0f} / {rss:.0f} |")
        if args.startup_only:
            return
        print("\n| query | " + " | ".join(f"{e.name} p50/p99 ms | {e.name} req/s"
                                           for e in endpoints)
              + " | ours/bare | ours/Oxigraph |")
        print("|---" * (2 + 2 * len(endpoints) + 1) + "|")
        for name, (_kind, query) in QUERIES.items():
            rates, cells = [], []
            for e in endpoints:  # interleaved: each query on each endpoint in turn
                p50, p99 = latency(e.url, query, args.seconds / 2)
                rate = throughput(e.url, query, args.seconds, args.clients)
                rates.append(rate)
                cells.append(f"{p50:.2f}/{p99:.2f} | {rate:,.0f}")
            ratios = [rates[0] / r if r else float("nan") for r in rates[1:]]
            print(f"| {name} | " + " | ".join(cells)
                  + "".join(f" | {r:.2f}" for r in ratios) + " |")
        lookup = QUERIES["entity lookup (CONSTRUCT by IRI)"][1]
        print("\n| lookup req/s | " + " | ".join(e.name for e in endpoints) + " |")
        print("|---" * (1 + len(endpoints)) + "|")
        quiet = [throughput(e.url, lookup, args.seconds, args.clients) for e in endpoints]
        busy = [slow_in_flight(e.url, lookup, args.seconds, args.clients) for e in endpoints]
        print("| alone | " + " | ".join(f"{r:,.0f}" for r in quiet) + " |")
        print("| two slow queries in flight | " + " | ".join(f"{r:,.0f}" for r in busy) + " |")
        ratios = [b / q if q else 0.0 for b, q in zip(busy, quiet, strict=True)]
        print("| ratio | " + " | ".join(f"{r:.2f}" for r in ratios) + " |")
        again = [throughput(e.url, lookup, args.seconds, args.clients, repeat=True)
                 for e in endpoints]
        print("| the same lookup repeated (cacheable) | "
              + " | ".join(f"{r:,.0f}" for r in again) + " |")
        print("\nRefused (429/503, the per-client and time limits): " + ", ".join(
            f"{e.name} {REFUSED.get(e.url, 0)}" for e in endpoints))
        print("Other errors (not counted as answers): " + ", ".join(
            f"{e.name} {FAILED.get(e.url) or 'none'}" for e in endpoints))
        print("\n| endpoint | memory after the run (process tree), PSS / RSS MB |")
        print("|---|---|")
        for e in endpoints:
            rss, pss = tree_memory_mb(e.process.pid)
            print(f"| {e.name} | {pss:.0f} / {rss:.0f} |")


if __name__ == "__main__":
    main()
