"""Query workers are forked from one process that holds the loaded store: one copy of the data,
whatever WORKERS is, and workers that start at once."""

from __future__ import annotations

import os
import re
import signal
import threading
import time
from pathlib import Path

import pyoxigraph
import pytest
import requests

from tests.live import kg_serve

MIB = 1024 * 1024


def _memory(pid: int) -> dict[str, int]:
    """A process's smaps_rollup figures, in bytes."""
    out = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        key, value = line.split(":")
        out[key] = int(value.split()[0]) * 1024
    return out


def _private(pid: int) -> int:
    m = _memory(pid)
    return m["Private_Clean"] + m["Private_Dirty"]


def _shared(pid: int) -> int:
    m = _memory(pid)
    return m["Shared_Clean"] + m["Shared_Dirty"]


def _write_triples(path: Path, count: int) -> None:
    with path.open("w", encoding="ascii") as out:
        for i in range(count):
            out.write(f"<https://example.org/s{i}> <https://example.org/p{i % 50}> "
                      f'"value number {i} of the generated test data" .\n')


def test_workers_share_the_store_their_fork_server_loaded(make_app, tmp_path, monkeypatch):
    """Workers start sharing every page of the store. Reading the store copies the pages read
    (pyoxigraph writes locks and reference counts in its nodes), so while the workers together
    hold more than WORKER_MEMORY of their own, the one holding most is replaced by a fresh fork
    once idle: here each holds more than the limit, so each is replaced."""
    from server import workers

    monkeypatch.setattr(workers, "RECYCLE_EVERY", 0.2)
    data = tmp_path / "big.nt"
    _write_triples(data, 300_000)
    app = make_app(DATA=str(data), WORKERS=3, MAX_ROWS=10, WORKER_MEMORY=32)
    pool = app.extensions["kg_workers"]
    client = app.test_client()
    assert client.get("/sparql", query_string={"query": "ASK {}"}).status_code == 200
    deadline = time.monotonic() + 10
    while len(pool._all) < 3 and time.monotonic() < deadline:
        time.sleep(0.05)
    first = {w.pid for w in pool._all}
    assert len(first) == 3
    for pid in [pool._forks.pid, *first]:
        assert _shared(pid) > 150 * MIB  # the store this process loaded
        assert _private(pid) < 16 * MIB, (pid, _private(pid))
    counts: list[bytes] = []

    def count() -> None:  # every worker reads every quad
        for _ in range(3):
            r = app.test_client().get("/sparql", query_string={
                "query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o FILTER(STRLEN(?o) > 3) }",
                "format": "csv"})
            counts.append(r.data)

    threads = [threading.Thread(target=count) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert counts == [b"n\r\n300000\r\n"] * 9
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and (
            len(pool._all) < 3 or {w.pid for w in pool._all} & first):
        time.sleep(0.1)
    now = {w.pid for w in pool._all}
    assert len(now) == 3 and not now & first  # each has been replaced
    for pid in [pool._forks.pid, *now]:
        assert _shared(pid) > 150 * MIB
        assert _private(pid) < 16 * MIB, (pid, _private(pid))
    r = client.get("/sparql", query_string={"query": "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
                                            "format": "csv"})
    assert r.data == b"n\r\n300000\r\n"


def _descendants(pid: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            parent = _stat(proc)
            if parent:
                children.setdefault(int(parent[1]), []).append(int(proc.name))
    found, todo = set(), [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def test_fork_server_and_workers_die_with_the_server(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    mini = Path(__file__).resolve().parents[1] / "data" / "mini.trig"
    with kg_serve(["--data", str(mini), "--workers", "2"], env, tmp_path / "log") as url:
        assert requests.get(url, params={"query": "ASK {}"}, timeout=5).ok
        port = url.split(":")[2].split("/")[0]
        server = next(int(proc.name) for proc in Path("/proc").iterdir() if proc.name.isdigit()
                      and f"\0--port\0{port}\0" in _cmdline(proc))
        family = _descendants(server)
        assert len(family) == 3  # the fork server and its two workers
        os.kill(server, signal.SIGKILL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(_alive(p) for p in family):
            time.sleep(0.1)
        assert [p for p in family if _alive(p)] == []


def _stat(proc: Path) -> list[str]:
    """State, parent pid, ... of a process ([] once it has gone)."""
    try:
        return (proc / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return []


def _cmdline(proc: Path) -> str:
    try:
        return (proc / "cmdline").read_text()
    except OSError:
        return ""


def _alive(pid: int) -> bool:
    stat = _stat(Path(f"/proc/{pid}"))
    return bool(stat) and stat[0] != "Z"


def _build_like(folder: Path) -> Path:
    """A build folder made of the test data: kg.nq with its on-disk store beside it."""
    from graph.disk_store import STORE_DIR, write_store

    folder.mkdir()
    mini = Path(__file__).resolve().parents[1] / "data" / "mini.trig"
    store = pyoxigraph.Store()
    store.bulk_load(path=str(mini), format=pyoxigraph.RdfFormat.TRIG)
    store.dump(str(folder / "kg.nq"), format=pyoxigraph.RdfFormat.N_QUADS)
    write_store(folder / "kg.nq", folder / STORE_DIR)
    return folder


def test_serving_a_build_pages_read_its_disk_store_and_queries_the_in_memory_copy(
        make_app, tmp_path):
    build = _build_like(tmp_path / "build")
    served = make_app(DATA="", BUILD_DIR=str(build), UNION_DEFAULT_GRAPH=True, WORKERS=2)
    kg = served.extensions["kg"]
    assert kg.in_memory is False  # the web process holds no in-memory copy
    assert kg.source == (build / "kg.nq").resolve()
    reference = make_app()  # the same data, in memory in this process
    assert reference.extensions["kg"].in_memory is True
    for path in ["/sparql?query=SELECT%20*%20%7B%20GRAPH%20%3Fg%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D"
                 "%20%7D%20ORDER%20BY%20%3Fg%20%3Fs%20%3Fp%20%3Fo",
                 "/id/person/hikmet-hajiyev", "/void.ttl", "/"]:
        ours, theirs = served.test_client().get(path), reference.test_client().get(path)
        # Links to static files carry the server's identity, which its settings are part of.
        versioned = re.compile(rb"\?v=[0-9a-f]{16}")
        assert (ours.status_code, versioned.sub(b"", ours.data)) == \
            (theirs.status_code, versioned.sub(b"", theirs.data)), path
    assert len(kg) == len(reference.extensions["kg"])


def test_a_build_whose_data_file_does_not_load_is_refused_at_start(make_app, tmp_path):
    from server.store import DataError

    build = _build_like(tmp_path / "build")
    (build / "kg.nq").write_text("<broken\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"kg\.nq"):
        make_app(DATA="", BUILD_DIR=str(build), UNION_DEFAULT_GRAPH=True, WORKERS=1)
