"""Replicas (docs/replicas.md): two real `kg serve` processes on one build, on two ports, answer
with the same bytes and the same ETags, so a 304 from either holds behind any load balancer;
with their own embedded stores, and with one remote store (KG_STORE) shared by both."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest
import requests
from click.testing import CliRunner

from cli import kg as cli
from tests.conftest import ROOT
from tests.live import kg_serve
from tests.remote import oxigraph_serve

QUERY = ("SELECT ?s ?label WHERE { ?s rdfs:label ?label } ORDER BY ?s ?label LIMIT 50")
URLS = [("/sparql", {"query": QUERY}, "application/sparql-results+json"),
        ("/id/person/hikmet-hajiyev", {}, "text/html"),
        ("/id/person/hikmet-hajiyev", {}, "text/turtle"),
        ("/dump.nq", {}, "*/*")]
# A load balancer passes the client's Host on to every replica: answers and tags may name it.
HOST = "kg.example.org"


@pytest.fixture(scope="module", params=["embedded", "remote store"])
def replicas(request: pytest.FixtureRequest, built_nq: Path,
             tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """The base URLs of two `kg serve` replicas of the build."""
    folder = tmp_path_factory.mktemp("replicas")
    env = {k: v for k, v in os.environ.items() if not k.startswith("KG_")}
    env.update(KG_BUILD_DIR=str(built_nq.parent), KG_SEEDS_DIR=str(ROOT / "seeds"),
               KG_ONTOLOGY_DIR=str(ROOT / "ontology"), KG_QUERIES_DIR=str(ROOT / "queries"),
               KG_WORKERS="1")
    with ExitStack() as stack:
        if request.param == "remote store":
            store = stack.enter_context(oxigraph_serve(folder / "db", folder / "oxigraph.log"))
            loaded = CliRunner().invoke(cli, ["load", "--store", store, "--data", str(built_nq)])
            assert loaded.exit_code == 0, loaded.output
            env["KG_STORE"] = store
        urls = [stack.enter_context(kg_serve([], env, folder / f"serve-{n}.log", cwd=ROOT))
                for n in (1, 2)]
        yield [url.removesuffix("/sparql") for url in urls]


@pytest.mark.parametrize(("path", "params", "accept"), URLS)
@pytest.mark.parametrize("coding", ["identity", "gzip"])
def test_replicas_answer_the_same_bytes_with_the_same_etag(
        replicas: list[str], path: str, params: dict[str, str], accept: str,
        coding: str) -> None:
    headers = {"Accept": accept, "Accept-Encoding": coding, "Host": HOST}
    first, second = (requests.get(base + path, params=params, headers=headers, timeout=30)
                     for base in replicas)
    assert first.status_code == second.status_code == 200
    assert first.content == second.content
    assert first.headers["ETag"] == second.headers["ETag"]
    assert first.headers.get("Content-Encoding") == second.headers.get("Content-Encoding")


@pytest.mark.parametrize(("path", "params", "accept"), URLS)
def test_a_replica_answers_304_to_the_etag_the_other_gave(
        replicas: list[str], path: str, params: dict[str, str], accept: str) -> None:
    headers = {"Accept": accept, "Host": HOST}
    tag = requests.get(replicas[0] + path, params=params, headers=headers, timeout=30)\
        .headers["ETag"]
    again = requests.get(replicas[1] + path, params=params, timeout=30,
                         headers={**headers, "If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == tag
