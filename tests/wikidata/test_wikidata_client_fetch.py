"""The SPARQL client's errors, the stand-in itself, and `kg wikidata fetch` (the offline cache)."""

from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from cli import kg as cli
from graph.wikidata.client import EndpointError, SparqlClient
from graph.wikidata.fetch import fetch
from tests.wikidata.wikidata_helpers import RETRIEVED, ROOT, select

pytestmark = pytest.mark.wikidata
WD = "http://www.wikidata.org/entity/"
KG = "https://w3id.org/karabakh-kg/ontology#"
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")


def test_the_standin_is_a_sparql_server_on_loopback(wikidata_standin) -> None:
    assert wikidata_standin.url.startswith("http://127.0.0.1:")
    rows = SparqlClient(wikidata_standin.url).select(
        "SELECT ?c WHERE { <http://www.wikidata.org/entity/Q227> "
        "<http://www.wikidata.org/prop/direct/P36> ?c }")
    assert rows == [{"c": {"type": "uri", "value": WD + "Q9248"}}]


def test_the_standin_is_read_only(wikidata_standin) -> None:
    import requests

    update = wikidata_standin.url.replace("/query", "/update")
    r = requests.post(update, data={"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"},
                      timeout=5)
    assert r.status_code >= 400


def test_refused_connection_names_the_endpoint(closed_endpoint) -> None:
    with pytest.raises(EndpointError) as err:
        SparqlClient(closed_endpoint, timeout=2).select("ASK {}")
    assert str(err.value).startswith(f"Wikidata endpoint {closed_endpoint}: cannot connect")


def test_a_slow_endpoint_times_out(silent_endpoint) -> None:
    start = time.monotonic()
    with pytest.raises(EndpointError, match=r"no answer within 0\.5 s \(timed out\)"):
        SparqlClient(silent_endpoint, timeout=0.5).select("ASK {}")
    assert time.monotonic() - start < 5


def test_an_http_error_is_reported_with_its_status(wikidata_standin) -> None:
    with pytest.raises(EndpointError, match="HTTP 400"):
        SparqlClient(wikidata_standin.url).select("SELECT nonsense")


def test_fetch_caches_wikidata_vocabulary_sorted(fake_standin) -> None:
    got = fetch(SparqlClient(fake_standin.url), ["Q227", "Q7035479", "Q900000001", "Q1"],
                RETRIEVED)
    assert got.lines == sorted(got.lines) and len(set(got.lines)) == len(got.lines)
    assert got.items == ["Q227", "Q7035479", "Q900000001"] and got.missing == ["Q1"]
    g = Graph().parse(data="\n".join(got.lines), format="nt")
    az, wd = URIRef(WD + "Q227"), URIRef(WD + "Q900000001")
    assert (az, RDFS.label, Literal("Азербайджан", lang="ru")) in g
    assert (az, URIRef("http://schema.org/description"),
            Literal("country in the South Caucasus", lang="en")) in g
    assert (az, URIRef("http://www.wikidata.org/prop/direct/P31"), URIRef(WD + "Q6256")) in g
    page = URIRef("https://en.wikipedia.org/wiki/Azerbaijan")
    assert (page, URIRef("http://schema.org/about"), az) in g
    assert (page, URIRef("http://schema.org/name"), Literal("Azerbaijan", lang="en")) in g
    # P625 only in the TEST-ONLY fake item (no coordinate of a real item was verified)
    assert any(p == URIRef("http://www.wikidata.org/prop/direct/P625") for p in g.predicates(wd))
    retrieved = set(g.subject_objects(URIRef(KG + "retrievedOn")))
    assert retrieved == {(URIRef(WD + q), Literal(RETRIEVED, datatype=XSD_DATE))
                         for q in got.items}
    # statements (p:) are not cached: only the truthy and label triples
    assert not any(str(p).startswith("http://www.wikidata.org/prop/P") for p in g.predicates())


def _seeds_copy(tmp_path: Path) -> Path:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    shutil.copy(ROOT / "seeds" / "entities.yaml", seeds / "entities.yaml")
    shutil.copytree(ROOT / "seeds" / "schema", seeds / "schema")
    return seeds


def test_kg_wikidata_fetch_writes_the_cache(tmp_path: Path, wikidata_standin) -> None:
    seeds = _seeds_copy(tmp_path)
    env = {"KG_SEEDS_DIR": str(seeds), "KG_WIKIDATA_ENDPOINT": wikidata_standin.url}
    result = CliRunner().invoke(cli, ["wikidata", "fetch", "--date", RETRIEVED], env=env)
    assert result.exit_code == 0, result.output
    cache = seeds / "wikidata-cache.nt"
    first = cache.read_bytes()
    assert re.search(rf"wrote {re.escape(str(cache))}: \d+ triples about \d+ items", result.output)
    again = CliRunner().invoke(cli, ["wikidata", "fetch", "--date", RETRIEVED], env=env)
    assert again.exit_code == 0 and cache.read_bytes() == first  # same answers, same bytes
    assert b"_:" not in first


def test_kg_wikidata_fetch_fails_cleanly_when_the_endpoint_is_down(
        tmp_path: Path, closed_endpoint: str) -> None:
    seeds = _seeds_copy(tmp_path)
    cache = seeds / "wikidata-cache.nt"
    cache.write_text("# old cache\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["wikidata", "fetch"], env={
        "KG_SEEDS_DIR": str(seeds), "KG_WIKIDATA_ENDPOINT": closed_endpoint})
    assert result.exit_code == 2
    assert f"error: Wikidata endpoint {closed_endpoint}: cannot connect" in result.output
    assert cache.read_text(encoding="utf-8") == "# old cache\n"


def test_the_build_keeps_the_cache_in_graph_wikidata(wikidata_build) -> None:
    _settings, result = wikidata_build
    rows = select(result.store, f"""SELECT ?label WHERE {{
        GRAPH <https://w3id.org/karabakh-kg/graph/wikidata> {{
          <{WD}Q399> <http://www.w3.org/2000/01/rdf-schema#label> ?label ;
                     <{KG}retrievedOn> "{RETRIEVED}"^^<http://www.w3.org/2001/XMLSchema#date> }}
        }} ORDER BY ?label""")
    assert [r["label"] for r in rows] == ["Armenia", "Армения"]
    assert all(c.passed for c in result.checks)


def test_kg_wikidata_standin_serves_until_stopped() -> None:
    import subprocess
    import sys

    import requests

    from graph.wikidata.standin import free_port

    port = free_port()
    kg = Path(sys.executable).parent / "kg"
    proc = subprocess.Popen([str(kg), "wikidata", "standin", "--port", str(port)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        first = proc.stdout.readline() if proc.stdout else ""
        assert first.strip() == f"Wikidata stand-in: http://127.0.0.1:{port}/query"
        r = requests.post(f"http://127.0.0.1:{port}/query", data={"query": "ASK { ?s ?p ?o }"},
                          headers={"Accept": "application/sparql-results+json"}, timeout=5)
        assert r.json()["boolean"] is True
    finally:
        proc.terminate()
        proc.wait(timeout=15)
    with pytest.raises(requests.ConnectionError):  # the Oxigraph child stopped too
        requests.post(f"http://127.0.0.1:{port}/query", data={"query": "ASK {}"}, timeout=2)
