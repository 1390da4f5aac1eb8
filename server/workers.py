"""A small pool of query worker processes; a query past its time limit is killed with its worker.

pyoxigraph holds the GIL while it evaluates and a query cannot be cancelled, so threads cannot
stop a runaway query. Each worker process loads the dataset once, answers one job at a time
and sends back serialised bytes. The web process waits for the answer at most QUERY_TIMEOUT
seconds; then it kills the worker, starts a replacement in the background and answers 503.
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from server.results import Answer, Job, error, evaluate

log = logging.getLogger(__name__)
_CTX = mp.get_context("spawn")  # never fork a threaded web server


def _worker_main(conn: Connection, path: str, union: bool) -> None:
    """Worker process: load the store, then answer jobs until the pipe closes."""
    from server.store import KGStore

    try:
        store = KGStore(Path(path), union=union)
    except Exception as err:  # noqa: BLE001 - reported to the parent, which logs it
        conn.send(("failed", f"{type(err).__name__}: {err}"))
        return
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = evaluate(store.store, union, job)
        except Exception as err:  # noqa: BLE001 - a bug: 500, logged by the parent with the query
            answer = error(500, f"internal error: {type(err).__name__}: {err}")
            answer.query = job.query
        conn.send(answer)


def _with_query(answer: Answer, job: Job) -> Answer:
    answer.query = job.query
    return answer


@dataclass(eq=False)
class _Worker:
    process: Any
    conn: Connection

    def kill(self) -> None:
        self.process.kill()
        self.process.join(5)
        self.conn.close()


class WorkerPool:
    """``size`` worker processes over the dataset at ``path``; started on first use."""

    def __init__(self, path: Path, union: bool, size: int, startup_timeout: float = 120.0) -> None:
        self.path, self.union, self.size = Path(path), union, max(1, size)
        self.startup_timeout = startup_timeout
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._started = False
        self._closed = False

    def start(self) -> None:
        """Start the workers (idempotent); they become available as soon as each has loaded."""
        with self._lock:
            if self._started:
                return
            self._started = True
        for _ in range(self.size):
            self._spawn_async()

    def _spawn_async(self) -> None:
        threading.Thread(target=self._spawn, daemon=True, name="kg-worker-spawn").start()

    def _spawn(self) -> None:
        parent, child = _CTX.Pipe()
        process = _CTX.Process(target=_worker_main, args=(child, str(self.path), self.union),
                               daemon=True, name="kg-query-worker")
        process.start()
        child.close()
        worker = _Worker(process, parent)
        if not parent.poll(self.startup_timeout):
            log.error("query worker did not load %s within %s s", self.path, self.startup_timeout)
            worker.kill()
            return
        try:
            status, detail = parent.recv()
        except EOFError:
            status, detail = "failed", "worker exited while loading"
        if status != "ready":
            log.error("query worker could not load %s: %s", self.path, detail)
            worker.kill()
            return
        with self._lock:
            if self._closed:
                worker.kill()
                return
            self._all.add(worker)
        self._idle.put(worker)

    def _retire(self, worker: _Worker) -> None:
        with self._lock:
            self._all.discard(worker)
            closed = self._closed
        worker.kill()
        if not closed:
            self._spawn_async()

    def run(self, job: Job, timeout: float) -> Answer:
        """Answer ``job`` within ``timeout`` seconds (waiting for a free worker included)."""
        self.start()
        deadline = time.monotonic() + timeout
        try:
            worker = self._idle.get(timeout=timeout)
        except queue.Empty:
            busy = (f"all {self.size} query workers stayed busy for {timeout:g} s "
                    "(QUERY_TIMEOUT, WORKERS); try again later")
            return _with_query(error(503, busy), job)
        try:
            worker.conn.send(job)
            if worker.conn.poll(max(0.0, deadline - time.monotonic())):
                answer = worker.conn.recv()
                self._idle.put(worker)
                return answer
        except (EOFError, OSError, BrokenPipeError) as err:
            log.error("query worker died (%s) on query: %s", err, job.query)
            self._retire(worker)
            return _with_query(error(500, "internal error: the query worker died; it has been "
                                          "replaced"), job)
        self._retire(worker)
        return _with_query(error(503, f"query timed out after {timeout:g} s (QUERY_TIMEOUT); "
                                      "narrow the query or add LIMIT"), job)

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            worker.kill()
