"""The Wikidata stand-in (a real Oxigraph server on loopback), a build with a cache fetched from
it, and a Flask client whose SERVICE_MAP points https://query.wikidata.org/sparql at it.

Nothing here touches the internet: every endpoint is 127.0.0.1.
"""

from __future__ import annotations

import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph.wikidata import WIKIDATA_SPARQL, standin
from tests.wikidata.wikidata_helpers import FAKE_ITEMS, FIXTURES, RETRIEVED, ROOT, repo_settings


@pytest.fixture(scope="session")
def wikidata_standin() -> Iterator[standin.StandIn]:
    """tests/data/wikidata/*.ttl served by `oxigraph serve-read-only` on a free port."""
    server = standin.start(standin.fixture_files(FIXTURES))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def fake_standin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[standin.StandIn]:
    """The fixtures plus the TEST-ONLY fake items (for reconcile's paths and P625)."""
    fake = tmp_path_factory.mktemp("fake-wikidata") / "test-only-fake-items.ttl"
    fake.write_text(FAKE_ITEMS, encoding="utf-8")
    server = standin.start([*standin.fixture_files(FIXTURES), fake])
    yield server
    server.stop()


@pytest.fixture(scope="session")
def wikidata_build(wikidata_standin, tmp_path_factory: pytest.TempPathFactory):
    """The real seeds plus a cache fetched from the stand-in, built once: (settings, result)."""
    from graph.build import WIKIDATA_CACHE, run_build
    from graph.seeds import load_entities
    from graph.wikidata.client import SparqlClient
    from graph.wikidata.fetch import fetch, linked_items, write_cache

    root = tmp_path_factory.mktemp("wikidata-build")
    seeds = root / "seeds"
    shutil.copytree(ROOT / "seeds", seeds, ignore=shutil.ignore_patterns(WIKIDATA_CACHE))
    entities = load_entities(seeds / "entities.yaml", seeds / "schema")
    got = fetch(SparqlClient(wikidata_standin.url, 5), linked_items(entities), RETRIEVED)
    write_cache(seeds / WIKIDATA_CACHE, got.lines)
    settings = repo_settings(SEEDS_DIR=str(seeds), BUILD_DIR=str(root / "build"))
    return settings, run_build(settings)


@pytest.fixture(scope="session")
def wikidata_nq(wikidata_build) -> Path:
    return Path(wikidata_build[0]["BUILD_DIR"]) / "kg.nq"


@pytest.fixture(scope="session")
def silent_endpoint() -> Iterator[str]:
    """A loopback socket that accepts connections and never answers: for timeouts."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                held.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.getsockname()[1]}/sparql"
    stop.set()
    thread.join(timeout=2)
    for conn in held:
        conn.close()
    server.close()


@pytest.fixture(scope="session")
def closed_endpoint() -> str:
    """A loopback URL on which nothing listens: connection refused."""
    return f"http://127.0.0.1:{standin.free_port()}/sparql"


@pytest.fixture(scope="session")
def make_client(wikidata_nq: Path) -> Iterator:
    """Flask test clients over the build, each with its SERVICE_MAP and SERVICE_TIMEOUT; one
    query worker process each (stopped at the end of the session)."""
    from graph import settings as settings_mod
    from server import create_app

    apps = []

    def make(service_map: dict[str, str], timeout: float = 5.0):
        app = create_app(settings_mod.load_checked(
            environ={}, DATA=str(wikidata_nq), UNION_DEFAULT_GRAPH=True, SERVICE_MAP=service_map,
            SERVICE_TIMEOUT=timeout, SERVICE_ALLOWLIST=[WIKIDATA_SPARQL], WORKERS=1,
            QUERY_TIMEOUT=30.0), TESTING=True)
        apps.append(app)
        return app.test_client()

    yield make
    for app in apps:
        pool = app.extensions.get("kg_workers")
        if pool is not None:
            pool.close()


@pytest.fixture(scope="session")
def sparql_client(make_client, wikidata_standin):
    """Our /sparql with https://query.wikidata.org/sparql mapped onto the stand-in."""
    return make_client({WIKIDATA_SPARQL: wikidata_standin.url})
