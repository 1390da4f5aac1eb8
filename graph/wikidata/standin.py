"""A local Wikidata stand-in: a real SPARQL server (Oxigraph) on loopback, loaded with fixtures.

Tests and offline demos point ``https://query.wikidata.org/sparql`` at ``StandIn.url`` (through
SERVICE_MAP and WIKIDATA_ENDPOINT), so nothing ever calls the real Wikidata.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable
from pathlib import Path
from typing import IO

import requests

from graph.errors import KGError

FIXTURES = Path("tests") / "data" / "wikidata"


class StandInError(KGError):
    """The stand-in could not be loaded or started."""


def oxigraph_binary() -> str:
    """The `oxigraph` CLI next to this Python (the venv), else on PATH."""
    beside = Path(sys.executable).parent / "oxigraph"
    if beside.is_file():
        return str(beside)
    found = shutil.which("oxigraph")
    if not found:
        raise StandInError("the `oxigraph` command is not installed (pip install oxigraph)")
    return found


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


class StandIn:
    """A running `oxigraph serve-read-only` process on 127.0.0.1; stop() ends it."""

    def __init__(self, process: subprocess.Popen, port: int, location: Path, owned: bool,
                 log: IO[str]) -> None:
        self.process, self.port, self.location, self._owned = process, port, location, owned
        self.log = log

    def output(self) -> str:
        """What the server wrote to standard error so far."""
        self.log.flush()
        self.log.seek(0)
        return self.log.read()

    @property
    def url(self) -> str:
        """The SPARQL query endpoint."""
        return f"http://127.0.0.1:{self.port}/query"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        self.log.close()
        if self._owned:
            shutil.rmtree(self.location, ignore_errors=True)

    def __enter__(self) -> StandIn:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def fixture_files(directory: Path) -> list[Path]:
    files = sorted(Path(directory).glob("*.ttl"))
    if not files:
        raise StandInError(f"no *.ttl fixtures in {directory}")
    return files


def load(files: Iterable[Path], location: Path) -> None:
    """Load RDF files into an Oxigraph database folder (`oxigraph load`)."""
    cmd = [oxigraph_binary(), "load", "--location", str(location), "--file",
           *[str(f) for f in files]]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise StandInError(f"oxigraph load failed: {done.stderr.strip()[-500:]}")


def start(files: Iterable[Path], port: int | None = None, location: Path | None = None,
          wait: float = 20.0) -> StandIn:
    """Load ``files`` into a fresh database and serve it read-only on 127.0.0.1:``port``."""
    owned = location is None
    where = Path(location) if location is not None else \
        Path(tempfile.mkdtemp(prefix="kg-wikidata-standin-"))
    try:
        load(files, where)
        port = port or free_port()
        log = tempfile.TemporaryFile(mode="w+", encoding="utf-8")  # noqa: SIM115 - closed by stop()
        process = subprocess.Popen(
            [oxigraph_binary(), "serve-read-only", "--location", str(where),
             "--bind", f"127.0.0.1:{port}"],
            stdout=subprocess.DEVNULL, stderr=log, text=True)
    except Exception:
        if owned:
            shutil.rmtree(where, ignore_errors=True)
        raise
    standin = StandIn(process, port, where, owned, log)
    try:
        _wait_ready(standin, wait)
    except Exception:
        standin.stop()
        raise
    return standin


def _wait_ready(standin: StandIn, wait: float) -> None:
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        if standin.process.poll() is not None:
            err = standin.output()
            raise StandInError(f"oxigraph exited with code {standin.process.returncode}: "
                               f"{err.strip()[-500:]}")
        try:
            r = requests.post(standin.url, data={"query": "ASK {}"}, timeout=1,
                              headers={"Accept": "application/sparql-results+json"})
            if r.status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.05)
    raise StandInError(f"the stand-in on {standin.url} was not ready after {wait:g} s")
