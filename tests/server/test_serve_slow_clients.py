"""Idle and slow clients cannot take `kg serve` offline.

Waitress's defaults (at most 100 connections; idle ones dropped after 120 s, looked for every
30 s) let 98 idle TCP connections block the endpoint for as long as they were held. `kg serve`
now passes CONNECTION_LIMIT and IDLE_TIMEOUT to waitress, and drops clients that trickle a
request or stop reading a response (server/http_server.py, BoundedChannel). The live tests
start a real `kg serve` on 127.0.0.1 with an explicit environment: the caller's KG_* variables
are dropped.
"""

from __future__ import annotations

import http.client
import os
import socket
import time
import urllib.parse
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from click.testing import CliRunner

from cli import kg
from server.http_server import FILES_PER_CONNECTION, RESERVED_FILES, fit_open_files
from tests.live import kg_serve
from tests.server.conftest import MINI

Address = tuple[str, int]


def clean_env(**settings: Any) -> dict[str, str]:
    """The caller's environment without its KG_* variables, plus these settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env["KG_WORKERS"] = "1"
    env.update({f"KG_{name}": str(value) for name, value in settings.items()})
    return env


@contextmanager
def serving(tmp_path: Path, **settings: Any) -> Iterator[tuple[str, Address]]:
    """`kg serve --data mini.trig` with these settings: its /sparql URL and its address."""
    with kg_serve(["--data", str(MINI)], clean_env(**settings), tmp_path / "serve.log") as url:
        parts = urllib.parse.urlsplit(url)
        assert parts.hostname == "127.0.0.1" and parts.port
        yield url, (parts.hostname, parts.port)


def ask(url: str, timeout: float) -> float:
    """Seconds a normal client waits for the answer to ASK {} (fails past ``timeout``)."""
    start = time.monotonic()
    response = requests.get(url, params={"query": "ASK {}"}, timeout=(timeout, timeout))
    elapsed = time.monotonic() - start
    assert response.status_code == 200
    assert response.json()["boolean"] is True
    return elapsed


def need_open_files(count: int) -> None:
    """Raise this process's soft open-file limit to ``count`` (skip the test if it cannot)."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft != resource.RLIM_INFINITY and soft < count:
        if hard != resource.RLIM_INFINITY and hard < count:
            pytest.skip(f"needs {count} open files; the hard limit is {hard}")
        resource.setrlimit(resource.RLIMIT_NOFILE, (count, hard))


def open_idle(stack: ExitStack, address: Address, count: int) -> list[socket.socket]:
    """Open ``count`` TCP connections that never send a byte; closed when ``stack`` is."""
    return [stack.enter_context(socket.create_connection(address, timeout=5))
            for _ in range(count)]


def closed_by_server(sock: socket.socket) -> bool:
    """Whether the server has closed this connection (without waiting)."""
    timeout = sock.gettimeout()
    sock.settimeout(0)
    try:
        data = sock.recv(1)
    except BlockingIOError:
        return False
    except ConnectionResetError:
        return True
    finally:
        sock.settimeout(timeout)
    assert data == b"", f"the server sent {data!r} on a connection that sent no request"
    return True


def wait_closed(sock: socket.socket, timeout: float) -> float:
    """The time.monotonic() at which the server closes ``sock``, dropping what it sends."""
    sock.settimeout(timeout)
    while sock.recv(1 << 20):
        pass
    return time.monotonic()


@pytest.mark.live
def test_300_idle_connections_do_not_block_other_clients(tmp_path):
    # A long IDLE_TIMEOUT keeps the idle connections open on the server for the whole test:
    # other clients are served because the connection limit has room, not because they left.
    hold, every = 30.0, 2.0
    need_open_files(512)
    with serving(tmp_path, IDLE_TIMEOUT=60) as (url, address), ExitStack() as stack:
        idle = open_idle(stack, address, 300)
        start = time.monotonic()
        waits = []
        while time.monotonic() - start < hold:
            waits.append(ask(url, timeout=1.0))
            time.sleep(max(0.0, start + every * len(waits) - time.monotonic()))
        assert len(waits) >= hold / every - 1
        assert max(waits) < 1.0, waits
        assert not any(closed_by_server(sock) for sock in idle)


@pytest.mark.live
def test_idle_connection_is_closed_after_idle_timeout(tmp_path):
    idle_timeout = 2
    with serving(tmp_path, IDLE_TIMEOUT=idle_timeout) as (url, address), ExitStack() as stack:
        [fresh] = open_idle(stack, address, 1)
        fresh_since = time.monotonic()
        kept_alive = http.client.HTTPConnection(*address, timeout=5)
        stack.callback(kept_alive.close)
        kept_alive.request("GET", "/sparql?query=ASK%7B%7D")
        assert kept_alive.getresponse().read() == b'{"head": {}, "boolean": true}'
        kept_since = time.monotonic()
        assert kept_alive.sock is not None  # HTTP/1.1: the connection stays open, idle
        for sock, since in ((fresh, fresh_since), (kept_alive.sock, kept_since)):
            # Dropped by the once-a-second cleanup after IDLE_TIMEOUT without a byte.
            assert idle_timeout - 0.5 < wait_closed(sock, 10) - since < idle_timeout + 3


@pytest.mark.live
def test_query_running_longer_than_idle_timeout_is_still_answered(tmp_path):
    # Only a connection waiting for its client is dropped, never one waiting for its answer.
    idle_timeout = 1
    values = " ".join(str(i) for i in range(10))
    rows = " ".join(f"VALUES ?v{i} {{{values}}}" for i in range(6)) + " VALUES ?v6 {0 1 2 3 4}"
    text = ", ".join(f"STR(?v{i})" for i in range(7))
    query = (f"SELECT (COUNT(*) AS ?n) WHERE {{ {rows} "
             f"FILTER(STRSTARTS(SHA512(CONCAT({text})), \"zz\")) }}")
    with serving(tmp_path, IDLE_TIMEOUT=idle_timeout, QUERY_TIMEOUT=60) as (url, _):
        start = time.monotonic()
        response = requests.get(url, params={"query": query}, timeout=90)
        elapsed = time.monotonic() - start
    assert response.status_code == 200, response.text
    assert response.json()["results"]["bindings"][0]["n"]["value"] == "0"
    assert elapsed > idle_timeout + 1.5, f"the query took only {elapsed:.1f} s: make it slower"


@pytest.mark.live
def test_connections_past_the_limit_wait_only_until_idle_ones_are_dropped(tmp_path):
    limit, idle_timeout = 20, 3
    with serving(tmp_path, CONNECTION_LIMIT=limit, IDLE_TIMEOUT=idle_timeout) as (url, address), \
            ExitStack() as stack:
        start = time.monotonic()
        open_idle(stack, address, limit - 1)
        time.sleep(0.5)
        assert ask(url, timeout=1.0) < 1.0  # the last free connection (waitress's own sockets
        time.sleep(0.3)                     # do not count against CONNECTION_LIMIT)
        open_idle(stack, address, 11)  # the limit is reached; the rest wait in the backlog
        with pytest.raises(requests.ReadTimeout):
            ask(url, timeout=1.0)
        ask(url, timeout=10.0)
        assert time.monotonic() - start < idle_timeout + 3


@pytest.mark.live
def test_slowloris_holds_no_thread_and_is_cut_off_after_idle_timeout(tmp_path):
    # Headers trickle in a byte every 0.5 s: never idle for IDLE_TIMEOUT, so only the deadline
    # for a whole request (IDLE_TIMEOUT from its first byte) stops it. One HTTP thread: had a
    # slow request taken it, the normal client would not be answered.
    idle_timeout, count = 3, 10
    with serving(tmp_path, THREADS=1, IDLE_TIMEOUT=idle_timeout) as (url, address), \
            ExitStack() as stack:
        slow = open_idle(stack, address, count)
        start = time.monotonic()
        for sock in slow:
            sock.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        closed: dict[int, float] = {}
        asked = False
        while len(closed) < count and time.monotonic() - start < idle_timeout + 5:
            time.sleep(0.5)
            for i, sock in enumerate(slow):
                if i not in closed and closed_by_server(sock):
                    closed[i] = time.monotonic() - start
                elif i not in closed:
                    sock.sendall(b"a")
            if not asked and time.monotonic() - start > 1:
                assert ask(url, timeout=1.0) < 1.0
                asked = True
        assert asked
        assert len(closed) == count, f"still open after {time.monotonic() - start:.1f} s"
        assert all(idle_timeout - 0.5 < t < idle_timeout + 3 for t in closed.values()), closed
        assert ask(url, timeout=1.0) < 1.0


@pytest.mark.live
def test_client_that_stops_reading_releases_its_thread(tmp_path):
    # Pipelined requests whose first answer (about 20 MB) stays unread: waitress's thread
    # waits for the client to take it (outbuf_high_watermark, 16 MiB) before serving the next
    # one. It is released once the client has taken nothing for IDLE_TIMEOUT.
    idle_timeout = 3
    values = " ".join(str(i) for i in range(10))
    query = (f"SELECT * WHERE {{ VALUES ?a {{{values}}} VALUES ?b {{{values}}} "
             f"VALUES ?c {{{values}}} VALUES ?d {{{values}}} BIND(\"{'x' * 2000}\" AS ?s) }}")
    body = urllib.parse.urlencode({"query": query}).encode()
    request = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/csv\r\n"
               b"Content-Type: application/x-www-form-urlencoded\r\n"
               b"Content-Length: %d\r\n\r\n" % len(body)) + body
    with serving(tmp_path, THREADS=1, IDLE_TIMEOUT=idle_timeout, MAX_ROWS=10_000) as (
            url, address), ExitStack() as stack:
        reader = stack.enter_context(socket.socket())
        reader.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        reader.connect(address)
        start = time.monotonic()
        reader.sendall(request * 3)
        time.sleep(1)
        ask(url, timeout=idle_timeout + 5)
        assert time.monotonic() - start < idle_timeout + 5
        assert ask(url, timeout=1.0) < 1.0
        received = 0
        reader.settimeout(5)
        while chunk := reader.recv(1 << 20):
            received += len(chunk)
        assert 0 < received < 20_000_000  # the server gave up on it, and closed it


def fake_nofile(monkeypatch: pytest.MonkeyPatch, soft: int, hard: int) -> list[tuple[int, int]]:
    import resource

    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(resource, "getrlimit", lambda which: (soft, hard))
    monkeypatch.setattr(resource, "setrlimit", lambda which, limits: calls.append(limits))
    return calls


def test_open_file_limit_is_raised_to_fit_the_connection_limit(monkeypatch):
    calls = fake_nofile(monkeypatch, 1024, 1_000_000)
    assert fit_open_files(1000) == (1000, None)
    assert calls == [(FILES_PER_CONNECTION * 1000 + RESERVED_FILES, 1_000_000)]


def test_open_file_limit_already_large_enough_is_left_alone(monkeypatch):
    calls = fake_nofile(monkeypatch, 100_000, 100_000)
    assert fit_open_files(1000) == (1000, None)
    assert calls == []


def test_low_hard_open_file_limit_lowers_the_connection_limit(monkeypatch):
    calls = fake_nofile(monkeypatch, 256, 1024)
    fits = (1024 - RESERVED_FILES) // FILES_PER_CONNECTION
    connections, message = fit_open_files(1000)
    assert connections == fits < 1000
    assert calls == [(1024, 1024)]
    assert message is not None
    assert f"CONNECTION_LIMIT lowered from 1000 to {fits}" in message
    assert "ulimit -Hn" in message


@pytest.fixture
def no_kg_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in list(os.environ):
        if name.startswith("KG_"):
            monkeypatch.delenv(name)


def test_serve_passes_connection_limits_and_timeouts_to_waitress(monkeypatch, no_kg_env):
    import waitress

    served: list[dict[str, Any]] = []
    monkeypatch.setattr(waitress, "serve", lambda app, **kwargs: served.append(kwargs))
    fake_nofile(monkeypatch, 256, 1024)
    env = {"KG_WORKERS": "0", "KG_CONNECTION_LIMIT": "1000", "KG_IDLE_TIMEOUT": "7",
           "KG_MAX_QUERY_BYTES": "100000"}
    result = CliRunner().invoke(kg, ["serve", "--data", str(MINI)], env=env)
    assert result.exit_code == 0, result.output
    assert "CONNECTION_LIMIT lowered from 1000" in result.output
    [kwargs] = served
    assert kwargs["connection_limit"] == (1024 - RESERVED_FILES) // FILES_PER_CONNECTION
    assert kwargs["channel_timeout"] == 7
    assert kwargs["cleanup_interval"] == 1
    assert kwargs["asyncore_use_poll"] is True
    # A GET query travels in the request line: the header limit leaves room for it.
    assert 100_000 < kwargs["max_request_header_size"] <= 200_000
    assert 100_000 < kwargs["max_request_body_size"] <= 200_000


@pytest.mark.parametrize("name", ["CONNECTION_LIMIT", "IDLE_TIMEOUT"])
def test_serve_refuses_a_connection_limit_or_idle_timeout_below_one(name, no_kg_env):
    result = CliRunner().invoke(kg, ["serve", "--data", str(MINI)], env={f"KG_{name}": "0"})
    assert result.exit_code == 2
    assert f"Error: KG_{name}=0: must be more than 0" in result.output
