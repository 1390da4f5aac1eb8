"""Hostile /id/... paths: a path is request data, never SPARQL text. Whatever it holds (characters
an IRI forbids, bad UTF-8, SPARQL of its own, thousands of nested braces), the answer is a 404,
quickly, and the site keeps serving. One test per way the old pages broke."""

from __future__ import annotations

import ast
import re
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

import pytest
from flask import Flask

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "data" / "site.trig"
ACCEPTS = {"html": "text/html", "turtle": "text/turtle"}
# Each character an IRI forbids (RFC 3987), as a request sends it.
FORBIDDEN = {'"': "%22", "<": "%3C", ">": "%3E", "{": "%7B", "}": "%7D", "|": "%7C",
             "^": "%5E", "\\": "%5C", " ": "%20", "`": "%60"}
# Closes the IRI in the old ASK query, opens 3,000 nested groups: 36 KB that overflowed the SPARQL
# parser's stack and killed the process.
NESTED = "/id/person/" + quote("x> ?p ?o } " + "{ " * 3000 + "} " * 3000)
# Closes the IRI and comments out the rest: under the old ASK this matched every triple.
INJECTED = "/id/person/" + quote("nobody> ?p ?o } } UNION { GRAPH ?g { ?s ?p ?o } } } #")
# The linked-data modules, which must put values into queries as terms, never into the text.
QUERYING_MODULES = ("resources", "terms", "evidence", "overview", "describe", "pages", "browse",
                    "dated", "article_text", "ui", "search", "find", "summary", "neighbourhood",
                    "resource_rdf", "publish", "places_map", "timeline", "conflicts")
SPARQL_WORD = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|WHERE|GRAPH|VALUES|FILTER|SERVICE)\b")


@pytest.fixture(scope="module")
def site(make_app: Callable[..., Flask]) -> Flask:
    return make_app(DATA=str(SITE), WORKERS=0)


@pytest.fixture
def client(site: Flask):
    return site.test_client()


def assert_not_found(r, accept: str) -> None:
    assert r.status_code == 404
    expected = "text/html" if accept == "html" else "text/plain"
    assert r.content_type == f"{expected}; charset=utf-8"


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("char", FORBIDDEN)
def test_path_with_iri_forbidden_characters_is_404(client, char: str, accept: str) -> None:
    r = client.get(f"/id/person/a{FORBIDDEN[char]}b", headers={"Accept": ACCEPTS[accept]})
    assert_not_found(r, accept)
    assert "Link" not in r.headers  # no alternates of what is not even an IRI


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("path", ["/id/person/a%3Eb", "/id/person/hikmet%20hajiyev"])
def test_path_closing_the_iri_is_404(client, path: str, accept: str) -> None:
    assert_not_found(client.get(path, headers={"Accept": ACCEPTS[accept]}), accept)


@pytest.mark.parametrize("accept", ACCEPTS)
def test_path_of_invalid_utf8_is_404(client, accept: str) -> None:
    assert_not_found(client.get("/id/person/%FF%FE", headers={"Accept": ACCEPTS[accept]}), accept)


@pytest.mark.parametrize("accept", ACCEPTS)
def test_unicode_path_of_no_resource_is_404(client, accept: str) -> None:
    """пашинян is a valid IRI (IRIs allow Unicode): a 404 because there is no such resource."""
    r = client.get("/id/person/пашинян", headers={"Accept": ACCEPTS[accept]})
    assert_not_found(r, accept)
    assert "пашинян" in r.get_data(as_text=True)


@pytest.mark.parametrize("accept", [*ACCEPTS.values(), "image/png"])
def test_link_header_is_ascii_for_unicode_path(client, accept: str) -> None:
    r = client.get("/id/person/пашинян", headers={"Accept": accept})
    assert r.status_code in (404, 406)
    link = r.headers["Link"]
    assert link.isascii()
    encoded = quote("пашинян")
    assert f'</id/person/{encoded}.ttl>; rel="alternate"; type="text/turtle"' in link


def test_link_header_keeps_valid_path_characters_and_encodes_percent(client) -> None:
    r = client.get("/id/person/a:b@c(d)%2541")  # the IRI .../a:b@c(d)%41
    assert r.status_code == 404
    assert '</id/person/a:b@c(d)%2541.ttl>; rel="alternate"' in r.headers["Link"]


@pytest.mark.parametrize("accept", ACCEPTS)
def test_nested_braces_path_is_404_not_crash(client, accept: str) -> None:
    assert len(NESTED) > 36_000
    start = time.monotonic()
    r = client.get(NESTED, headers={"Accept": ACCEPTS[accept]})
    assert time.monotonic() - start < 5
    assert_not_found(r, accept)
    assert "Link" not in r.headers
    page = client.get("/id/person/hikmet-hajiyev")  # the site keeps serving
    assert page.status_code == 200
    assert "<h1>Hikmet Hajiyev</h1>" in page.get_data(as_text=True)


@pytest.mark.parametrize("accept", ACCEPTS)
def test_sparql_in_path_is_not_run(client, accept: str) -> None:
    """The old pages pasted this path into ASK text, which then matched any triple at all."""
    assert_not_found(client.get(INJECTED, headers={"Accept": ACCEPTS[accept]}), accept)


def test_hostile_path_still_gets_did_you_mean(client) -> None:
    """The path's words are matched against labels in Python: a space still finds the page."""
    r = client.get("/id/person/hikmet%20hajiyev")
    assert r.status_code == 404
    assert '<a href="/id/person/hikmet-hajiyev">Hikmet Hajiyev</a>' in r.get_data(as_text=True)
    plain = client.get("/id/person/hikmet%7Bhajiyev", headers={"Accept": "text/turtle"})
    assert "<https://w3id.org/karabakh-kg/id/person/hikmet-hajiyev> (Hikmet Hajiyev)" in (
        plain.get_data(as_text=True))


def formatted_sparql(source: str) -> list[str]:
    """Where ``source`` builds text holding SPARQL keywords from values: f-strings, ``%``,
    ``+`` with a non-constant, ``.format()``. Each as "line: code"."""
    def sparql(node: ast.AST) -> bool:
        return (isinstance(node, ast.Constant) and isinstance(node.value, str)
                and SPARQL_WORD.search(node.value) is not None)

    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.JoinedStr):
            bad = any(sparql(part) for part in node.values)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add):
            bad = ((sparql(node.left) and not isinstance(node.right, ast.Constant))
                   or (sparql(node.right) and not isinstance(node.left, ast.Constant)))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            bad = node.func.attr == "format" and sparql(node.func.value)
        else:
            bad = False
        if bad:
            found.append(f"{node.lineno}: {ast.get_source_segment(source, node)}")
    return found


def test_formatted_sparql_is_found() -> None:
    """The check below finds each way of pasting a value into query text."""
    source = ('a = f"ASK {{ <{iri}> ?p ?o }}"\n'
              'b = "SELECT ?s WHERE { <%s> ?p ?o }" % iri\n'
              'c = "SELECT * WHERE { ?s ?p <" + iri + "> }"\n'
              'd = "ASK {{ <{}> ?p ?o }}".format(iri)\n'
              'e = "SELECT ?s WHERE { ?s ?p ?this }"\n'
              'f = f"no query here: {iri}"\n')
    assert sorted(int(line.split(":")[0]) for line in formatted_sparql(source)) == [1, 2, 3, 4]


@pytest.mark.parametrize("module", QUERYING_MODULES)
def test_no_sparql_is_built_by_formatting(module: str) -> None:
    """Values go into queries as pyoxigraph terms (substitutions) or through quads_for_pattern."""
    path = ROOT / "server" / f"{module}.py"
    assert formatted_sparql(path.read_text(encoding="utf-8")) == [], path


def test_a_long_valid_path_gets_no_oversized_link_header(client) -> None:
    r = client.get("/id/person/" + "a" * 5000)
    assert r.status_code == 404
    assert "Link" not in r.headers
