"""One process that holds the loaded store and forks query workers from it: one copy of the data.

The web process loads the dataset once, then (still single-threaded) forks this fork server.
The fork server cuts itself off the network and waits; each worker it forks shares the store's
memory pages with it and with the web process (copy-on-write; the served store is never
written), so a worker costs only the pages its queries touch, and starts in milliseconds
instead of loading its own copy. Forking happens only here, from a process with a single
thread, never from the threaded web server.

Protocol: the web process sends ``spawn`` with the worker's end of a pipe (file descriptor
passing over a Unix socket); the fork server answers with the worker's pid, and later with its
exit status once it has reaped it (it is the workers' parent). The web process kills a worker
by pid. Each side dies with its parent (``PR_SET_PDEATHSIG``), so nothing outlives the server.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import os
import select
import signal
import socket
import struct
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from typing import Any

from server import isolation

PR_SET_PDEATHSIG = 1
_MESSAGE = struct.Struct("!cii")  # kind (b"p" forked, b"x" exited), pid, wait status

# What a forked worker runs: (its pipe to the web process, the store) -> never returns.
WorkerMain = Callable[[Connection, Any], None]
# What gives the fork server its store: the one the web process loaded, or a load of its own.
Loader = Callable[[], Any]


class ForkServerError(RuntimeError):
    """The fork server is gone, did not answer, or could not load the store."""


def _die_with_parent() -> None:
    # Not Linux: the pipes still close when the parent goes, and the loops then end.
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _exit_code(status: int) -> int:
    """A wait status as multiprocessing reports it: the exit code, or minus the signal."""
    return os.waitstatus_to_exitcode(status)


class ForkServer:
    """Forks the fork server now (call while this process has one thread) and waits until it
    has its store (``load()``, called in the fork server); then spawns workers."""

    def __init__(self, load: Loader, worker_main: WorkerMain) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self.pid = os.fork()
        if self.pid == 0:  # the fork server
            code = 1
            try:
                ours.close()
                _serve(theirs, load, worker_main)
                code = 0
            finally:
                os._exit(code)
        theirs.close()
        self._sock = ours
        self._send_lock = threading.Lock()
        self._spawned: list[int] = []  # pids answered to spawn requests, not yet taken
        self._exits: dict[int, int] = {}  # wait statuses not yet asked for
        self._live: set[int] = set()  # workers not yet reaped
        self._unwanted: set[int] = set()  # killed: nobody will ask for their status
        self._changed = threading.Condition()
        self._closed = False
        # First the fork server says whether it has its store, and whether it could cut its
        # network (b"r" and what it could not do, or b"f" and why it has no store).
        ready = self._sock.recv(65536)
        detail = ready[1:].decode("utf-8", "replace")
        if ready[:1] != b"r":
            self.close()
            raise ForkServerError(detail or "the fork server stopped while starting")
        self.network_error: str | None = detail or None
        threading.Thread(target=self._read, name="kg-fork-server-reader", daemon=True).start()

    def _read_one(self) -> tuple[bytes, int, int]:
        data = self._sock.recv(_MESSAGE.size)
        if len(data) != _MESSAGE.size:
            raise ForkServerError("the fork server stopped")
        kind, pid, status = _MESSAGE.unpack(data)
        return kind, pid, status

    def _read(self) -> None:
        """Take the fork server's messages: pids of new workers, exit statuses of dead ones."""
        while True:
            try:
                kind, pid, status = self._read_one()
            except (ForkServerError, OSError):
                with self._changed:
                    self._closed = True
                    self._changed.notify_all()
                return
            with self._changed:
                if kind == b"p":
                    self._spawned.append(pid)
                    self._live.add(pid)
                elif kind == b"x":
                    self._live.discard(pid)
                    if pid in self._unwanted:
                        self._unwanted.discard(pid)
                    else:
                        self._exits[pid] = status
                self._changed.notify_all()

    def spawn(self, conn: Connection, timeout: float = 10.0) -> int:
        """Fork a worker that answers on ``conn`` (its end of a pipe); its pid."""
        with self._send_lock:  # one spawn at a time: answers come back in order
            with self._changed:
                if self._closed:
                    raise ForkServerError("the fork server stopped")
                self._spawned.clear()  # a late answer to a spawn that gave up waiting
            try:
                socket.send_fds(self._sock, [b"s"], [conn.fileno()])
            except OSError as err:
                raise ForkServerError(f"the fork server stopped ({err})") from None
            with self._changed:
                if not self._changed.wait_for(lambda: self._spawned or self._closed, timeout):
                    raise ForkServerError(f"the fork server did not fork within {timeout:g} s")
                if not self._spawned:
                    raise ForkServerError("the fork server stopped")
                return self._spawned.pop(0)

    def exitcode(self, pid: int, timeout: float) -> int | None:
        """The exit code of worker ``pid`` once it has ended (minus the signal that ended
        it), waiting at most ``timeout`` seconds; None if it has not ended by then."""
        with self._changed:
            self._changed.wait_for(lambda: pid in self._exits or self._closed, timeout)
            status = self._exits.pop(pid, None)
        return None if status is None else _exit_code(status)

    def kill(self, pid: int) -> None:
        """Stop worker ``pid`` now (it may already have ended); its status is not kept."""
        with self._changed:
            if pid in self._live:
                self._unwanted.add(pid)
            else:
                self._exits.pop(pid, None)
        _kill(pid)

    def close(self) -> None:
        """Stop the fork server; its workers die with it."""
        try:
            self._sock.close()
        finally:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass


def _serve(sock: socket.socket, load: Loader, worker_main: WorkerMain) -> None:
    """The fork server's loop: get the store, then fork a worker per request, report pids and
    exits, until the web process closes its end."""
    _die_with_parent()
    # Only the socket to the web process is kept: listening sockets and files of the web
    # process must not stay open in here (a port would outlive the server that bound it).
    os.closerange(3, sock.fileno())
    os.closerange(sock.fileno() + 1, os.sysconf("SC_OPEN_MAX"))
    problem = isolation.cut_network()  # while this process has a single thread
    try:
        store = load()
    except Exception as err:  # noqa: BLE001 - told to the web process, which reports it
        sock.send(b"f" + str(err).encode("utf-8")[:60000])
        return
    # Workers would otherwise copy every page holding a Python object the first time their
    # full garbage collection walks it; what is here now is never garbage.
    gc.collect()
    gc.freeze()
    sock.send(b"r" + (problem or "").encode("utf-8"))
    children: dict[int, int] = {}  # pidfd -> pid
    while True:
        waitable: list[Any] = [sock, *children]
        ready, _, _ = select.select(waitable, [], [])
        for fd in ready:
            if fd is sock:
                try:
                    message, fds, _, _ = socket.recv_fds(sock, 16, 1)
                except OSError:
                    message, fds = b"", []
                if not message:  # the web process has gone
                    for pid in children.values():
                        _kill(pid)
                    return
                if fds:
                    pid = _fork_worker(sock, fds[0], store, worker_main, children)
                    sock.send(_MESSAGE.pack(b"p", pid, 0))
            else:
                pid = children.pop(fd)
                os.close(fd)
                _, status = os.waitpid(pid, 0)
                sock.send(_MESSAGE.pack(b"x", pid, status))


def _fork_worker(sock: socket.socket, fd: int, store: Any, worker_main: WorkerMain,
                 children: dict[int, int]) -> int:
    pid = os.fork()
    if pid == 0:  # the worker
        code = 1
        try:
            sock.close()
            for other in children:
                os.close(other)
            _die_with_parent()
            worker_main(Connection(fd), store)
            code = 0
        finally:
            os._exit(code)
    os.close(fd)
    children[os.pidfd_open(pid)] = pid
    return pid


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
