"""`kg serve` over a real socket on 127.0.0.1, queried with requests and SPARQLWrapper."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
import requests
from SPARQLWrapper import JSON, TURTLE, XML, SPARQLWrapper

from tests.live import kg_serve
from tests.server.conftest import BASE, MINI


@pytest.fixture(scope="module")
def live_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    env = {**os.environ, "KG_WORKERS": "1"}
    log = tmp_path_factory.mktemp("live") / "serve.log"
    with kg_serve(["--data", str(MINI), "--union"], env, log) as url:
        yield url


@pytest.mark.live
def test_live_server_answers_sparqlwrapper_json_xml_and_turtle(live_url):
    sparql = SPARQLWrapper(live_url)
    sparql.setQuery(f"SELECT ?d WHERE {{ ?a <{BASE}ontology#dateSigned> ?d }} ORDER BY ?d")
    sparql.setReturnFormat(JSON)
    rows = sparql.queryAndConvert()["results"]["bindings"]
    assert [r["d"]["value"] for r in rows] == ["2020-11-09", "2020-11-10"]
    sparql.setReturnFormat(XML)
    assert len(sparql.queryAndConvert().getElementsByTagName("result")) == 2
    sparql.setQuery("CONSTRUCT WHERE { ?s a ?t }")
    sparql.setReturnFormat(TURTLE)
    assert f"{BASE}id/state/russia".encode() in sparql.queryAndConvert()


@pytest.mark.live
def test_live_server_refuses_updates_and_describes_itself(live_url):
    r = requests.post(live_url, data={"update": "CLEAR ALL"}, timeout=10)
    assert r.status_code == 403
    sd = requests.get(live_url, headers={"Accept": "text/turtle"}, timeout=10)
    assert sd.status_code == 200
    assert sd.headers["Content-Type"] == "text/turtle; charset=utf-8"
    assert f"<{live_url}>".encode() in sd.content
    options = requests.options(live_url, headers={"Origin": "http://x"}, timeout=10)
    assert options.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.live
def test_live_server_compresses_and_answers_304_to_its_etag(live_url):
    query = {"query": "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"}
    r = requests.get(live_url, params=query, headers={"Accept-Encoding": "gzip"}, timeout=10)
    assert r.status_code == 200
    assert r.headers["Content-Encoding"] == "gzip"
    assert r.headers["Vary"] == "Accept, Accept-Encoding"
    assert r.json()["head"]["vars"] == ["s", "p", "o"]  # requests has unzipped it
    again = requests.get(live_url, params=query, timeout=10,
                         headers={"Accept-Encoding": "gzip", "If-None-Match": r.headers["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["ETag"] == r.headers["ETag"]
