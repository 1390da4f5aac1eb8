"""Start `kg serve` as a real process on a free 127.0.0.1 port for live-server tests."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests

from graph.wikidata.standin import free_port

KG = Path(sys.executable).parent / "kg"


@contextmanager
def kg_serve(args: list[str], env: Mapping[str, str], log: Path, cwd: Path | None = None,
             timeout: float = 30.0) -> Iterator[str]:
    """Run ``kg serve ARGS --port P``; yield its /sparql URL once it answers; stop it after."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    with log.open("w+", encoding="utf-8") as out:
        proc = subprocess.Popen([str(KG), "serve", *args, "--port", str(port)], cwd=cwd,
                                env=dict(env), stdout=out, stderr=subprocess.STDOUT, text=True)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"kg serve exited: {log.read_text(encoding='utf-8')}")
                try:
                    if requests.get(url, params={"query": "ASK {}"}, timeout=2).ok:
                        break
                except requests.ConnectionError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"kg serve did not answer: {log.read_text(encoding='utf-8')}")
                time.sleep(0.1)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                proc.kill()
