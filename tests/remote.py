"""Start Oxigraph server (the PyPI ``oxigraph`` package's binary) on a free 127.0.0.1 port, as
the remote store (KG_STORE) of the tests."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from graph.wikidata.standin import free_port

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


@contextmanager
def oxigraph_serve(location: Path | None, log: Path, timeout: float = 30.0) -> Iterator[str]:
    """Run ``oxigraph serve`` (in memory if ``location`` is None), its default graph the union
    of its named graphs, as KG_STORE wants it; yield its base URL; stop it after."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    args = [str(OXIGRAPH), "serve", "--bind", f"127.0.0.1:{port}", "--union-default-graph"]
    if location is not None:
        args[2:2] = ["--location", str(location)]
    with log.open("w+", encoding="utf-8") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"oxigraph serve exited: {log.read_text(encoding='utf-8')}")
                try:
                    if requests.get(base + "/query", params={"query": "ASK {}"}, timeout=2).ok:
                        break
                except requests.ConnectionError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"oxigraph serve did not answer: {log.read_text('utf-8')}")
                time.sleep(0.1)
            yield base
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
