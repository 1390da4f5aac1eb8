"""Start `kg serve` as a real process on a free 127.0.0.1 port for live-server tests."""

from __future__ import annotations

import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests

from graph.wikidata.standin import free_port

KG = Path(sys.executable).parent / "kg"


@contextmanager
def running(args: list[str], ready_url: str, log: Path, timeout: float = 30.0,
            poll: float = 0.1, stop_wait: float = 10.0, **popen: Any) -> Iterator[None]:
    """Run ``args`` (its output into ``log``) until the block ends; enter the block once
    ``ready_url?query=ASK {}`` answers (pytest.fail naming the log if it exits or never does)."""
    name = Path(args[0]).name
    with log.open("w+", encoding="utf-8") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, text=True, **popen)
        try:
            deadline = time.monotonic() + timeout
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"{name} exited: {log.read_text(encoding='utf-8')}")
                try:
                    if requests.get(ready_url, params={"query": "ASK {}"}, timeout=2).ok:
                        break
                except requests.ConnectionError:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"{name} did not answer: {log.read_text(encoding='utf-8')}")
                time.sleep(poll)
            yield
        finally:
            proc.terminate()
            try:
                proc.wait(stop_wait)
            except subprocess.TimeoutExpired:
                proc.kill()


@contextmanager
def kg_serve(args: list[str], env: Mapping[str, str], log: Path, cwd: Path | None = None,
             timeout: float = 30.0) -> Iterator[str]:
    """Run ``kg serve ARGS --port P``; yield its /sparql URL once it answers; stop it after."""
    port = free_port()
    url = f"http://127.0.0.1:{port}/sparql"
    with running([str(KG), "serve", *args, "--port", str(port)], url, log, timeout,
                 cwd=cwd, env=dict(env)):
        yield url
