"""Fixtures for the endpoint: an app over tests/data/mini.trig, its client, and free ports."""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from graph import settings as settings_mod
from server import create_app

DATA = Path(__file__).resolve().parents[1] / "data"
MINI = DATA / "mini.trig"
BASE = "https://w3id.org/karabakh-kg/"
WIKIDATA = "https://query.wikidata.org/sparql"

# Settings every test app starts from; a test passes overrides on top.
TEST_CONFIG: dict[str, Any] = {
    "DATA": str(MINI),
    "UNION_DEFAULT_GRAPH": True,
    "WORKERS": 2,
    "QUERY_TIMEOUT": 5.0,
    "MAX_ROWS": 1000,
    "MAX_QUERY_BYTES": 10_000,
    "SERVICE_ALLOWLIST": [WIKIDATA],
    "SERVICE_MAP": {},
    "SERVICE_TIMEOUT": 5.0,
}


@pytest.fixture(scope="session")
def make_app() -> Iterator[Callable[..., Flask]]:
    """Build apps with the test settings plus overrides; their workers stop at the end."""
    apps: list[Flask] = []

    def make(**overrides: Any) -> Flask:
        app = create_app(settings_mod.load_checked(environ={}, **{**TEST_CONFIG, **overrides}),
                         TESTING=True)
        apps.append(app)
        return app

    yield make
    for app in apps:
        pool = app.extensions.get("kg_workers")
        if pool is not None:
            pool.close()


@pytest.fixture(scope="session")
def app(make_app: Callable[..., Flask]) -> Flask:
    """One app for the protocol tests (workers are shared across tests)."""
    return make_app()


@pytest.fixture
def client(app: Flask):
    return app.test_client()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
