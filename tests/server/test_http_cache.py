"""HTTP for caches and browsers on every read-only route: CORS, gzip/brotli, ETag and 304,
Cache-Control (server/http_cache.py), through the Flask test client."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import brotli
import pytest
from flask import Flask
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph import settings as settings_mod
from server import create_app

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "data" / "site.trig"
MINI = ROOT / "tests" / "data" / "mini.trig"
ASK = "ASK { ?s ?p ?o }"
SELECT = "SELECT ?s ?p ?o WHERE { ?s ?p ?o } ORDER BY ?s ?p ?o"
# One URL of each read-only route.
ROUTES = [
    "/",
    "/id/person/hikmet-hajiyev",
    "/id/person/hikmet-hajiyev.ttl",
    "/graph/entities",
    "/dump.nq",
    "/dump",
    "/ontology.ttl",
    "/sparql?query=ASK%20%7B%7D",
    "/sparql",
    "/.well-known/void",
    "/dataset",
    "/shapes",
    "/ontology/imports",
    "/static/site.css",
    "/query",
]


def make(tmp: Path | None = None, **overrides: Any) -> Flask:
    values: dict[str, Any] = {"DATA": str(SITE), "UNION_DEFAULT_GRAPH": True, "WORKERS": 0,
                              "ONTOLOGY_DIR": str(ROOT / "ontology"),
                              "QUERIES_DIR": str(ROOT / "queries"),
                              "BUILD_DIR": str(tmp or ROOT / "tests" / "data" / "no-build")}
    values.update(overrides)
    return create_app(settings_mod.load_checked(environ={}, **values), TESTING=True)


@pytest.fixture(scope="module")
def app() -> Flask:
    return make()


@pytest.fixture
def client(app: Flask):
    return app.test_client()


# -- CORS ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ROUTES)
def test_every_read_only_route_allows_any_origin_and_exposes_the_etag(client, url: str) -> None:
    r = client.get(url, headers={"Origin": "https://example.org"})
    assert r.status_code == 200
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.headers["Access-Control-Expose-Headers"] == "ETag, Link, Content-Disposition, Vary"


def test_preflight_of_a_page_allows_reading_methods_only(client) -> None:
    r = client.options("/id/person/hikmet-hajiyev", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "GET",
        "Access-Control-Request-Headers": "if-none-match"})
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Origin"] == "*"
    assert r.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    assert r.headers["Access-Control-Allow-Headers"] == "if-none-match"
    assert r.headers["Access-Control-Max-Age"] == "86400"


def test_preflight_of_the_endpoint_allows_post(client) -> None:
    r = client.options("/sparql", headers={"Origin": "https://example.org",
                                           "Access-Control-Request-Method": "POST"})
    assert r.status_code == 204
    assert r.headers["Access-Control-Allow-Methods"] == "GET, HEAD, POST, OPTIONS"
    assert r.headers["Access-Control-Allow-Headers"] == "Accept, Content-Type"


# -- compression --------------------------------------------------------------------------------

def test_the_dump_is_gzipped_for_a_client_that_accepts_gzip(client) -> None:
    plain = client.get("/dump.nq")
    zipped = client.get("/dump.nq", headers={"Accept-Encoding": "gzip"})
    assert "Content-Encoding" not in plain.headers
    assert zipped.headers["Content-Encoding"] == "gzip"
    assert zipped.headers["Vary"] == "Accept-Encoding"
    assert int(zipped.headers["Content-Length"]) == len(zipped.data) < len(plain.data) / 3
    assert gzip.decompress(zipped.data) == plain.data
    assert plain.data.startswith(b"<https://w3id.org/karabakh-kg/")
    assert zipped.headers["ETag"] == plain.headers["ETag"][:-1] + ':gzip"'
    assert zipped.data[4:8] == bytes(4)  # no time stamp: the same bytes at any time
    star = client.get("/dump.nq", headers={"Accept-Encoding": "gzip", "If-None-Match": "*"})
    assert (star.status_code, star.data) == (304, b"")


def test_brotli_when_the_client_prefers_it(client) -> None:
    r = client.get("/sparql", query_string={"query": SELECT},
                   headers={"Accept-Encoding": "gzip;q=0.5, br"})
    assert r.headers["Content-Encoding"] == "br"
    plain = client.get("/sparql", query_string={"query": SELECT})
    assert brotli.decompress(r.data) == plain.data
    assert r.headers["Vary"] == "Accept, Accept-Encoding"


def test_small_answers_are_not_compressed(client) -> None:
    r = client.get("/sparql", query_string={"query": ASK}, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert len(r.data) < 500
    assert "Content-Encoding" not in r.headers
    assert not r.headers["ETag"].endswith(':gzip"')


# -- ETag and 304 -------------------------------------------------------------------------------

@pytest.mark.parametrize("url", ROUTES)
@pytest.mark.parametrize("coding", ["identity", "gzip"])
def test_every_read_only_route_answers_304_to_its_own_etag(client, url: str, coding: str) -> None:
    headers = {"Accept-Encoding": coding}
    first = client.get(url, headers=headers)
    assert first.status_code == 200
    tag = first.headers["ETag"]
    assert tag.startswith('"') and tag.endswith('"')  # strong
    again = client.get(url, headers={**headers, "If-None-Match": tag})
    assert again.status_code == 304
    assert again.data == b""
    assert again.headers["ETag"] == tag
    for name in ("Cache-Control", "Vary", "Access-Control-Allow-Origin"):
        assert again.headers[name] == first.headers[name]
    head = client.head(url, headers={**headers, "If-None-Match": f"W/{tag}, \"other\""})
    assert head.status_code == 304  # If-None-Match compares weakly, among a list


def test_304_is_answered_without_running_the_query(make_app, monkeypatch) -> None:
    app = make_app(DATA=str(MINI), RESULT_CACHE_BYTES=0)  # else a repeat is a cache hit
    client = app.test_client()
    tag = client.get("/sparql", query_string={"query": SELECT}).headers["ETag"]

    class Refuse:
        def run(self, *args: object, **kwargs: object) -> None:
            raise AssertionError("the worker pool was asked to evaluate a query")

    monkeypatch.setitem(app.extensions, "kg_workers", Refuse())
    r = client.get("/sparql", query_string={"query": SELECT}, headers={"If-None-Match": tag})
    assert r.status_code == 304
    with pytest.raises(AssertionError, match="worker pool"):
        client.get("/sparql", query_string={"query": SELECT})


def test_a_query_post_has_an_etag_of_its_body_and_a_matching_one_is_412(client) -> None:
    form = client.post("/sparql", data={"query": ASK})
    direct = client.post("/sparql", data=ASK, content_type="application/sparql-query")
    other = client.post("/sparql", data={"query": "ASK {}"})
    tags = {form.headers["ETag"], direct.headers["ETag"], other.headers["ETag"]}
    assert len(tags) == 3
    assert client.post("/sparql", data={"query": ASK}).headers["ETag"] == form.headers["ETag"]
    # RFC 9110 13.1.2: a method other than GET or HEAD gets 412 when the tag matches.
    r = client.post("/sparql", data={"query": ASK}, headers={"If-None-Match": form.headers["ETag"]})
    assert r.status_code == 412
    assert r.get_data(as_text=True) == ("precondition failed: If-None-Match names the current "
                                        "answer to this query, so it is not sent again\n")
    assert "ETag" not in r.headers


def test_the_etag_depends_on_accept_where_the_answer_does(client) -> None:
    json_tag = client.get("/sparql", query_string={"query": ASK},
                          headers={"Accept": "application/sparql-results+json"}).headers["ETag"]
    xml = client.get("/sparql", query_string={"query": ASK},
                     headers={"Accept": "application/sparql-results+xml"})
    assert xml.headers["ETag"] != json_tag
    stale = client.get("/sparql", query_string={"query": ASK},
                       headers={"Accept": "application/sparql-results+xml",
                                "If-None-Match": json_tag})
    assert stale.status_code == 200
    # A URL that names its format answers the same to any Accept: one tag for all.
    ttl = [client.get("/id/person/hikmet-hajiyev.ttl", headers={"Accept": a}).headers["ETag"]
           for a in ("text/html", "*/*", "")]
    assert len(set(ttl)) == 1


def test_errors_carry_no_etag(client) -> None:
    for r in (client.get("/id/person/nobody"),
              client.get("/sparql", query_string={"query": "ASK {"}),
              client.get("/id/person/hikmet-hajiyev", headers={"Accept": "image/png"}),
              client.get("/dump.pdf")):
        assert r.status_code >= 400
        assert "ETag" not in r.headers
        assert "Cache-Control" not in r.headers


def test_service_queries_and_writable_servers_have_no_etag(client, make_app) -> None:
    query = ("SELECT * { { SERVICE SILENT <https://query.wikidata.org/sparql> { ?s ?p ?o } } "
             "UNION { ?s ?p ?o } }")
    r = client.get("/sparql", query_string={"query": query}, headers={"Accept-Encoding": "gzip"})
    assert r.status_code == 200
    assert "ETag" not in r.headers and "Cache-Control" not in r.headers
    assert r.headers["Content-Encoding"] == "gzip"  # compressed all the same
    writable = make_app(DATA=str(MINI), WRITABLE=True).test_client()
    r = writable.get("/sparql", query_string={"query": ASK})
    assert r.status_code == 200
    assert "ETag" not in r.headers


def test_two_replicas_on_one_build_give_the_same_etags(app: Flask) -> None:
    replica = make()
    for url in ROUTES:
        for coding in ("identity", "gzip"):
            ours = app.test_client().get(url, headers={"Accept-Encoding": coding})
            theirs = replica.test_client().get(url, headers={"Accept-Encoding": coding})
            assert ours.headers["ETag"] == theirs.headers["ETag"], url
            assert ours.data == theirs.data, url  # gzip's header holds no time stamp


def test_another_build_gives_other_etags(client) -> None:
    other = make(DATA=str(MINI)).test_client()
    for url in ("/dump.nq", "/sparql?query=ASK%20%7B%7D", "/"):
        tag = client.get(url).headers["ETag"]
        r = other.get(url, headers={"If-None-Match": tag})
        assert r.status_code == 200
        assert r.headers["ETag"] != tag


def test_no_last_modified_that_would_differ_between_replicas(client) -> None:
    for url in ("/dump.nq", "/static/site.css"):
        assert "Last-Modified" not in client.get(url).headers


# -- Cache-Control ------------------------------------------------------------------------------

def test_pages_and_answers_may_be_reused_for_a_short_while(client) -> None:
    for url in ROUTES:
        assert client.get(url).headers["Cache-Control"] == "public, max-age=300", url


def test_the_max_age_is_a_setting() -> None:
    r = make(CACHE_MAX_AGE=0).test_client().get("/")
    assert r.headers["Cache-Control"] == "public, max-age=0"


def test_static_assets_are_linked_by_version_and_immutable(app: Flask, client) -> None:
    version = app.config["KG_VERSION"][:16]
    assert f'href="/static/site.css?v={version}"' in client.get("/").get_data(as_text=True)
    r = client.get(f"/static/site.css?v={version}")
    assert r.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    old = client.get("/static/site.css?v=0000000000000000")
    assert old.headers["Cache-Control"] == "public, max-age=300"


# -- property: any Accept / If-None-Match / Accept-Encoding -------------------------------------

MEDIA = st.sampled_from(["*/*", "text/html", "text/turtle", "application/ld+json", "image/png",
                         "application/sparql-results+json", "text/*", "application/*", "",
                         "text/html;q=0", "*/*;q=0", "application/n-quads", "x/y;q=0.5"])
ACCEPT = st.lists(MEDIA, max_size=4).map(", ".join)
CODING = st.lists(st.sampled_from(["gzip", "br", "identity", "*", "deflate", "gzip;q=0",
                                   "br;q=0.1", "identity;q=0", "zstd"]), max_size=3).map(", ".join)


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(url=st.sampled_from(ROUTES), accept=ACCEPT, coding=CODING,
       tag=st.sampled_from(["", "*", '"x"', 'W/"x"', "own", "own-weak", "own-other-coding"]))
def test_any_negotiation_headers_give_200_304_or_406_consistently(
        client, url: str, accept: str, coding: str, tag: str) -> None:
    headers = {"Accept": accept, "Accept-Encoding": coding}
    first = client.get(url, headers=headers)
    assert first.status_code in (200, 406)
    again = client.get(url, headers=headers)
    assert (again.status_code, again.headers.get("ETag"), again.data) == \
        (first.status_code, first.headers.get("ETag"), first.data)
    if first.status_code == 406:
        assert "ETag" not in first.headers
        return
    own = first.headers["ETag"]
    sent = {"own": own, "own-weak": "W/" + own,
            "own-other-coding": own[:-1] + (':br"' if ":" not in own else '"')}.get(tag, tag)
    r = client.get(url, headers={**headers, "If-None-Match": sent})
    if sent in (own, "W/" + own, "*"):
        assert r.status_code == 304
        assert r.headers["ETag"] == own
    else:
        assert r.status_code in (200, 304)
        assert r.status_code == 200 or r.headers["ETag"] == sent.removeprefix("W/")
