"""The HTTP server: waitress, with idle and slow clients dropped and every connection bounded."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import waitress
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer, create_server

# Bytes a request may carry beyond MAX_QUERY_BYTES (request line and other headers, or body)
# before waitress refuses it itself (431/413); anything over MAX_QUERY_BYTES but within this
# margin reaches the endpoint, which answers its own 413 naming MAX_QUERY_BYTES.
REQUEST_MARGIN = 16 * 1024
# Open files per connection: its socket and, for a large response not yet sent, the temporary
# file waitress buffers it in.
FILES_PER_CONNECTION = 2
# Open files kept back from connections: listening sockets, wake-up pipes, query-worker pipes,
# the data file, logs.
RESERVED_FILES = 128


def fit_open_files(connections: int) -> tuple[int, str | None]:
    """Raise the soft RLIMIT_NOFILE (up to the hard limit) to fit ``connections``.

    Returns the number of connections that fit, and a message if that is fewer than asked.
    """
    try:
        import resource
    except ImportError:  # not POSIX: there is no limit to raise
        return connections, None
    wanted = FILES_PER_CONNECTION * connections + RESERVED_FILES
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft == resource.RLIM_INFINITY or soft >= wanted:
        return connections, None
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
    except (ValueError, OSError):  # e.g. macOS caps it below an "unlimited" hard limit
        target = soft
    if target >= wanted:
        return connections, None
    fits = max(1, (target - RESERVED_FILES) // FILES_PER_CONNECTION)
    return fits, (f"the open-file limit (RLIMIT_NOFILE) is {target}, which fits only {fits} "
                  f"connections: CONNECTION_LIMIT lowered from {connections} to {fits}; raise "
                  "the hard limit (ulimit -Hn, systemd LimitNOFILE=) to serve more")


class BoundedChannel(HTTPChannel):
    """A waitress connection that is dropped when it is slow, not only when it is idle.

    Waitress drops a connection that has not sent or received a byte for channel_timeout
    (IDLE_TIMEOUT) seconds, but any byte counts: a client dribbling its headers a byte every few
    seconds (slowloris) would keep its connection for days, and a client that does not read its
    responses could keep a waitress thread waiting to write. So also: a request must arrive
    whole within IDLE_TIMEOUT of its first byte, and a response that the client has not taken a
    byte of for IDLE_TIMEOUT seconds is abandoned (the thread is released).
    """

    request_started = 0.0  # when the first byte of the request being received arrived
    stalled: tuple[float, float] | None = None  # (last_activity, when first seen unchanged)

    def received(self, data: bytes) -> bool:
        before = self.request
        done = super().received(data)
        if self.request is not None and self.request is not before:
            self.request_started = time.time()
        return done

    def readable(self) -> bool:
        # The main loop asks every connection this on each pass, at least once a second
        # (asyncore_loop_timeout). Closed here, not by will_close: that waits for the socket
        # to be writable, which it never is again for a client that stopped reading.
        if self.connected and self.too_slow(time.time()):
            self.handle_close()
            return False
        return super().readable()

    def too_slow(self, now: float) -> bool:
        """Whether the client has kept this connection busy too long without finishing."""
        timeout = self.adj.channel_timeout
        if self.requests:  # being served: waiting for the next request does not count
            self.request_started = now
            if not self.total_outbufs_len:
                self.stalled = None
                return False
            if self.stalled is None or self.stalled[0] != self.last_activity:
                self.stalled = (self.last_activity, now)
                return False
            return now - self.stalled[1] > timeout
        self.stalled = None
        return self.request is not None and now - self.request_started > timeout


def bounded_server(app: Any, **kw: Any) -> Any:
    """``waitress.create_server`` with BoundedChannel connections and an exact connection limit."""
    sockets: dict[int, Any] = {}
    server = create_server(app, map=sockets, **kw)
    for dispatcher in sockets.values():
        if isinstance(dispatcher, BaseWSGIServer):
            dispatcher.channel_class = BoundedChannel
    # Waitress counts its own listening sockets and wake-up pipes against connection_limit.
    server.adj.connection_limit += len(sockets)
    return server


def serve(app: Any, kg: dict[str, Any], warn: Callable[[str], None]) -> None:
    """Serve ``app`` with waitress under the settings ``kg`` until stopped; ``warn`` is told when
    the open-file limit lowers CONNECTION_LIMIT."""
    connections, lowered = fit_open_files(kg["CONNECTION_LIMIT"])
    if lowered:
        warn(lowered)
    margin = kg["MAX_QUERY_BYTES"] + REQUEST_MARGIN
    waitress.serve(
        app, host=kg["HOST"], port=kg["PORT"], threads=kg["THREADS"], ident="karabakh-kg",
        # Idle and slow clients are dropped so that they cannot hold every connection slot
        # (waitress's defaults, 100 connections and 120 s, let 98 idle sockets block the
        # endpoint); BoundedChannel also drops clients that trickle a request or stop reading.
        connection_limit=connections, channel_timeout=kg["IDLE_TIMEOUT"], cleanup_interval=1,
        # select() fails past file descriptor 1024; poll() has no such limit.
        asyncore_use_poll=True,
        # A GET query travels in the request line: leave room for MAX_QUERY_BYTES in it, and as
        # much for a POST body, instead of buffering up to 256 KB headers or 1 GB bodies.
        max_request_header_size=margin, max_request_body_size=margin,
        _server=bounded_server, _quiet=True)
