"""A small pool of query worker processes; a query past its time limit is killed with its worker.

pyoxigraph holds the GIL while it evaluates and a query cannot be cancelled, so threads cannot
stop a runaway query. Workers are forked from the fork server (``server.fork_server``), which
holds the store the web process loaded: they share its pages, so the data is in memory once
whatever WORKERS is, and a worker starts in milliseconds. Each worker has no network (the
fork server cut it), caps its memory (QUERY_MEMORY), answers one job at a time and sends back
serialised bytes. The web process waits for the answer at most QUERY_TIMEOUT seconds; then it
kills the worker, forks a replacement and answers 503. A worker that needs remote SERVICE
answers asks the web process for them over its pipe.

Fairness: a client (remote address) whose queries run long (one now past SLOW_AFTER seconds,
or any in the last HEAVY_FOR seconds) may hold all workers but one, so that one client sending
runaway queries cannot starve the others; its further queries wait (while SLOW_AFTER seconds
of their time would be left), then get 429 with Retry-After. Other clients, and a client of
cheap queries, may use every worker.

Slow queries must not stop cheap ones: when every worker has been busy past BURST_AFTER and a
query has waited BURST_AFTER, one extra worker is forked per such held worker (at most WORKERS
extra); an extra worker stops once it finds no query running past BURST_AFTER. A query running
past BURST_AFTER runs at a lower CPU priority (SLOW_NICE), so that it does not take the cores
from cheap ones.

Memory: while the workers together hold more than WORKER_MEMORY of their own (reading the
store copies its pages, see ``_recycle``), the one holding most is replaced by a fresh fork once
idle.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import math
import multiprocessing as mp
import os
import queue
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.connection import Connection
from typing import Any

from server import isolation
from server.federation import Reply, Request
from server.fork_server import ForkServer, ForkServerError
from server.results import Answer, Job, error, evaluate

log = logging.getLogger(__name__)

SLOW_AFTER = 1.0  # seconds after which a running query marks its client as heavy
# Seconds a query waits for a worker before the pool considers an extra one, and that a worker
# must have been busy to count as held (forking one costs milliseconds); past it, the worker's
# query runs at the lower CPU priority SLOW_NICE, so that the cheap queries of the web process
# and the other workers come first when the cores are all busy.
BURST_AFTER = 0.25
SLOW_NICE = 10
HEAVY_FOR = 60.0  # seconds a client stays heavy after a slow or timed-out query
RECYCLE_EVERY = 2.0  # seconds between looks at the memory the workers hold of their own

# The web process's side of a remote SERVICE call: the calls and the seconds left for them.
RemoteFetch = Callable[[list[Request], float], list[Reply]]


# The parsers (pyoxigraph's and the SERVICE checker's) recurse once per operator, group or
# list item: 8 MiB of stack overflows on a 16 KB "!!!…" filter and kills the worker. Jobs run
# in a thread with a large stack; the pages are only touched as deep as a query goes.
STACK_BYTES = 512 * 1024 * 1024


def _worker_main(union: bool, memory_mib: int, conn: Connection, store: Any) -> None:
    """Worker process (forked with the store in memory): answer jobs until the pipe closes."""
    threading.stack_size(STACK_BYTES)
    server = threading.Thread(target=_serve, args=(conn, store, union),
                              name="kg-query", daemon=True)
    server.start()  # before the memory cap, which counts the stack as already mapped
    memory = isolation.limit_memory(memory_mib)
    conn.send(("ready", {"memory": memory}))
    server.join()


def _serve(conn: Connection, store: Any, union: bool) -> None:
    """Answer jobs from ``conn`` until it closes."""
    def fetch(calls: list[Request]) -> list[Reply]:
        conn.send(("fetch", calls))
        replies: list[Reply] = conn.recv()
        return replies

    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = evaluate(store, union, job, fetch)
        except Exception as err:  # noqa: BLE001 - a bug: 500, logged by the parent with the query
            answer = error(500, f"internal error: {type(err).__name__}: {err}")
            answer.query = job.query
        conn.send(("answer", answer))


def _set_nice(worker: _Worker, nice: int) -> bool:
    """Give every thread of the worker (Linux: priority is per thread) the CPU priority
    ``nice``; False if that is not allowed (raising it again takes privilege)."""
    try:
        threads = [int(t) for t in os.listdir(f"/proc/{worker.pid}/task")]
    except OSError:
        threads = [worker.pid]
    try:
        for thread in threads:
            with contextlib.suppress(ProcessLookupError):
                os.setpriority(os.PRIO_PROCESS, thread, nice)
    except PermissionError:
        return False
    worker.niced = nice > 0
    return True


def _with_query(answer: Answer, job: Job) -> Answer:
    answer.query = job.query
    return answer


@dataclass(eq=False)
class _Worker:
    pid: int
    conn: Connection
    extra: bool = False  # started while every worker was held by a slow query
    jobs: int = 0  # jobs answered
    checked: int = 0  # jobs answered when its memory was last looked at
    private: int = 0  # bytes it held of its own then
    niced: bool = False  # runs (or ran) a slow query at a lower CPU priority
    stale: bool = False  # holds too much memory of its own: replace it once idle


class WorkerPool:
    """``size`` worker processes over the store ``load()`` gives (called in the fork server: a
    store this process loaded, never written while the pool lives, or a load of its own), forked
    from a fork server made now: create the pool while this process has a single thread. The
    workers themselves start on first use. ForkServerError if the store cannot be had."""

    def __init__(self, load: Callable[[], Any], union: bool, size: int, memory_mib: int = 0,
                 recycle_mib: int = 0, startup_timeout: float = 30.0) -> None:
        self.union, self.size = union, max(1, size)
        self.memory_mib = memory_mib
        self.recycle_mib = recycle_mib
        self.startup_timeout = startup_timeout
        self.per_client = max(1, self.size - 1)
        self._forks = ForkServer(load, functools.partial(_worker_main, union, memory_mib))
        if self._forks.network_error:
            log.warning("query workers: could not cut their network (%s)",
                        self._forks.network_error)
        # Whether the workers have no network.
        self.isolated: bool = self._forks.network_error is None
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._running: dict[str, list[float]] = {}  # start times of each client's queries
        self._heavy_until: dict[str, float] = {}
        self._client_freed = threading.Condition(self._lock)
        self._busy: dict[_Worker, float] = {}  # the start time of each running job
        self._extra = 0  # extra workers running or starting
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
        if self.recycle_mib > 0:
            threading.Thread(target=self._recycle, daemon=True, name="kg-worker-recycler").start()

    def _recycle(self) -> None:
        """Every RECYCLE_EVERY seconds, look at the memory each worker that answered jobs since
        it was last looked at holds of its own; while the workers together hold more than
        WORKER_MEMORY, mark the one holding most to be replaced (by a fresh fork, once idle).

        A worker shares the store's pages with the fork server, but pyoxigraph's in-memory
        store writes to the nodes it reads (locks, reference counts), so each page a worker's
        queries read becomes its own copy: a query reading every quad copies most of the store.
        A fresh fork shares everything again and costs milliseconds, but its first queries pay
        for copying the pages again (a full scan of 1M quads: 0.47 s instead of 0.30 s)."""
        limit = self.recycle_mib * 1024 * 1024
        while True:
            time.sleep(RECYCLE_EVERY)
            with self._lock:
                if self._closed:
                    return
                workers = [w for w in self._all if not w.stale]
            for worker in workers:
                if worker.jobs != worker.checked:
                    worker.checked = worker.jobs
                    worker.private = isolation.private_bytes(worker.pid)
            total = sum(w.private for w in workers)
            for worker in sorted(workers, key=lambda w: w.private, reverse=True):
                if total <= limit:
                    break
                worker.stale = True
                total -= worker.private
            self._sift_idle(lambda w: w.stale, self._retire)
            # This (the web) process passes answers of megabytes along: give their memory back.
            isolation.give_back_memory()

    def _sift_idle(self, leaves: Callable[[_Worker], bool],
                   stop: Callable[[_Worker], None]) -> None:
        """Take the idle workers for which ``leaves`` is true out, and ``stop`` each."""
        idle: list[_Worker] = []
        while True:
            try:
                idle.append(self._idle.get_nowait())
            except queue.Empty:
                break
        for worker in idle:
            if leaves(worker):
                stop(worker)
            else:
                self._idle.put(worker)

    def _spawn_async(self, extra: bool = False) -> None:
        threading.Thread(target=self._spawn, args=(extra,), daemon=True,
                         name="kg-worker-spawn").start()

    def _spawn(self, extra: bool = False) -> None:
        parent, child = mp.Pipe()
        try:
            pid = self._forks.spawn(child)
        except ForkServerError as err:
            log.error("could not start a query worker: %s", err)
            parent.close()
            with self._lock:
                if extra:
                    self._extra -= 1
            return
        finally:
            child.close()
        worker = _Worker(pid, parent, extra)
        ready: Any = None
        try:
            if parent.poll(self.startup_timeout):
                ready = parent.recv()
        except (EOFError, OSError):
            pass
        if not (isinstance(ready, tuple) and ready[0] == "ready"):
            log.error("query worker %s did not start", pid)
            self._drop(worker)
            return
        if ready[1]["memory"]:
            log.warning("query worker: could not limit its memory (%s)", ready[1]["memory"])
        with self._lock:
            if self._closed:
                closed = True
            else:
                closed = False
                self._all.add(worker)
        if closed:
            self._drop(worker)
            return
        self._idle.put(worker)

    def _drop(self, worker: _Worker) -> None:
        """Stop a worker for good (an extra one is no longer counted)."""
        with self._lock:
            self._all.discard(worker)
            if worker.extra:
                self._extra -= 1
        self._forks.kill(worker.pid)
        worker.conn.close()

    def _retire(self, worker: _Worker) -> None:
        """Stop a worker whose query went wrong; a regular one is replaced."""
        self._drop(worker)
        with self._lock:
            closed = self._closed
        if not closed and not worker.extra:
            self._spawn_async()

    def _slow_running(self, now: float) -> int:
        """How many workers have been busy with one query for more than BURST_AFTER."""
        return sum(1 for started in self._busy.values() if now - started > BURST_AFTER)

    def _take(self, deadline: float) -> _Worker:
        """An idle worker, waiting until ``deadline`` (queue.Empty then). While every worker is
        held by a slow query, start extra ones so that the waiting query need not wait for it."""
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise queue.Empty
            try:
                return self._idle.get(timeout=min(left, BURST_AFTER))
            except queue.Empty:
                pass
            with self._lock:
                now = time.monotonic()
                slow = self._slow_running(now)
                burst = (not self._closed and slow > 0 and slow == len(self._busy)
                         and len(self._busy) >= len(self._all)
                         and self._extra < min(slow, self.size))
                if burst:
                    self._extra += 1
            if burst:
                log.info("every query worker is held by a slow query: starting an extra one")
                self._spawn_async(extra=True)

    def _release(self, worker: _Worker) -> None:
        """A worker whose job is done goes back to the idle ones (or is replaced if it holds too
        much memory of its own, or ran at a lower priority that cannot be raised again); extra
        ones stop when no slow query is left running."""
        worker.jobs += 1
        if worker.niced and not _set_nice(worker, 0):
            worker.stale = True  # unprivileged: a process may lower its priority, not raise it
        if worker.stale:
            self._retire(worker)
        else:
            self._idle.put(worker)
        self._end_burst()

    def _end_burst(self) -> None:
        """Once no slow query runs, stop the idle extra workers (busy ones stop when done)."""
        with self._lock:
            if self._extra == 0 or self._slow_running(time.monotonic()) > 0:
                return
        self._sift_idle(lambda w: w.extra, self._drop)

    def run(self, job: Job, timeout: float, client: str = "",
            fetch: RemoteFetch | None = None) -> Answer:
        """Answer ``job`` within ``timeout`` seconds (waiting for a free worker included)."""
        self.start()
        deadline = time.monotonic() + timeout
        started = self._enter(client, deadline)
        if started is None:
            refused = error(429, f"this client already has {self.per_client} long queries "
                                 f"running, as many as one client may (of {self.size} query "
                                 "workers, WORKERS); try again when one has finished")
            refused.headers["Retry-After"] = str(math.ceil(timeout))
            return _with_query(refused, job)
        answer: Answer | None = None
        try:
            answer = self._run(job, timeout, deadline, fetch)
            return answer
        finally:
            self._leave(client, started, timed_out=answer is None or answer.status == 503)

    def _heavy(self, client: str, now: float) -> bool:
        return (self._heavy_until.get(client, 0.0) > now or
                any(now - t > SLOW_AFTER for t in self._running.get(client, ())))

    def _enter(self, client: str, deadline: float) -> float | None:
        """Wait until ``client`` may start a query; its start time, or None if it may not while
        SLOW_AFTER seconds are left before ``deadline``: a query of a client of slow queries
        that could only start with less would just time out, taking a worker with it."""
        deadline -= SLOW_AFTER
        with self._client_freed:
            while True:
                now = time.monotonic()
                running = self._running.setdefault(client, [])
                if len(running) < self.per_client or not self._heavy(client, now):
                    running.append(now)
                    return now
                if now >= deadline:
                    return None
                # Heaviness changes with time alone: look again at least twice a second.
                self._client_freed.wait(min(deadline - now, 0.5))

    def _leave(self, client: str, started: float, timed_out: bool) -> None:
        with self._client_freed:
            now = time.monotonic()
            self._running[client].remove(started)
            if not self._running[client]:
                del self._running[client]
            if timed_out or now - started > SLOW_AFTER:
                self._heavy_until[client] = now + HEAVY_FOR
            for other, until in list(self._heavy_until.items()):  # forget the past
                if until <= now:
                    del self._heavy_until[other]
            self._client_freed.notify_all()

    def _run(self, job: Job, timeout: float, deadline: float,
             fetch: RemoteFetch | None) -> Answer:
        try:
            worker = self._take(deadline)
        except queue.Empty:
            busy = (f"all {self.size} query workers stayed busy for {timeout:g} s "
                    "(QUERY_TIMEOUT, WORKERS); try again later")
            return _with_query(error(503, busy), job)
        started = time.monotonic()
        with self._lock:
            self._busy[worker] = started
        try:
            worker.conn.send(job)
            while True:
                # Until the query has run BURST_AFTER, wake then to lower its priority.
                until = deadline if worker.niced else min(deadline, started + BURST_AFTER)
                if not worker.conn.poll(max(0.0, until - time.monotonic())):
                    if time.monotonic() >= deadline:
                        break
                    _set_nice(worker, SLOW_NICE)
                    continue
                kind, payload = worker.conn.recv()
                if kind == "answer":
                    with self._lock:
                        self._busy.pop(worker, None)
                    self._release(worker)
                    return payload
                left = deadline - time.monotonic()
                worker.conn.send(fetch(payload, left) if fetch else
                                 [Reply(failure="remote calls are off") for _ in payload])
        except (EOFError, OSError) as err:
            with self._lock:
                self._busy.pop(worker, None)
            answer = self._died(worker, err)
            self._end_burst()
            return _with_query(answer, job)
        with self._lock:
            self._busy.pop(worker, None)
        self._retire(worker)
        self._end_burst()
        return _with_query(error(503, f"query timed out after {timeout:g} s (QUERY_TIMEOUT); "
                                      "narrow the query or add LIMIT"), job)

    def _died(self, worker: _Worker, err: Exception) -> Answer:
        """The answer for a query whose worker died under it; the worker is replaced."""
        code = self._forks.exitcode(worker.pid, 5)  # it has ended: its pipe closed
        self._retire(worker)
        if code == -signal.SIGABRT and self.memory_mib:
            # Rust aborts the process when an allocation fails past the address-space cap.
            return error(503, f"the query needed more than {self.memory_mib} MiB, the memory one "
                              "query may use (QUERY_MEMORY); narrow the query or add LIMIT")
        log.error("query worker died (%s, exit code %s)", err, code)
        return error(503, f"the query worker stopped (exit code {code}) and has been replaced; "
                          "the query was not answered")

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for worker in workers:
            self._forks.kill(worker.pid)
            worker.conn.close()
        self._forks.close()
