"""Fuzz of the HTTP surface of one real `kg serve`: random methods, paths, query strings, headers
and bodies, sent raw (http.client, and a raw socket for paths no client library would send).

Every request gets an answer (no dropped or reset connection), never a 500, never past 599;
a 5xx is only 502 or 503 with a text body. Nothing reaches a loopback canary whose URL the
queries name every way they can (SERVICE, SERVICE SILENT, escaped keywords, prefixed names, BASE,
FROM, default-graph-uri, LOAD), and the server is still up and answering afterwards. SERVICE may
call one allowlisted loopback endpoint (to exercise the join path); it is never the canary.
"""

from __future__ import annotations

import http.client
import http.server
import json
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from tests.live import kg_serve
from tests.server.conftest import BASE, MINI
from tests.server.test_soak import clean_env, serve_pid
from tests.server.test_sparql_federation import Canary

ROOT = Path(__file__).resolve().parents[2]
FUZZ = settings(max_examples=3000, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
RAW = settings(max_examples=500, deadline=None,
               suppress_health_check=[HealthCheck.function_scoped_fixture])
TIMEOUT = 20.0  # seconds for one answer: QUERY_TIMEOUT is 3 s, a queued query waits for it too


class Allowed:
    """A loopback SPARQL endpoint on the allowlist: answers every call with one solution."""

    ANSWER = json.dumps({"head": {"vars": ["x"]},
                         "results": {"bindings": [{"x": {"type": "literal", "value": "1"}}]}})

    def __init__(self) -> None:
        self.hits = 0
        allowed = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                allowed.hits += 1
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.end_headers()
                self.wfile.write(allowed.ANSWER.encode())

            do_GET = do_POST  # noqa: N815

            def log_message(self, *args: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/sparql"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@dataclass
class Live:
    url: str
    host: str
    port: int
    pid: int
    canary: Canary
    allowed: Allowed
    log: Path


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    canary, allowed = Canary(), Allowed()
    log = tmp_path_factory.mktemp("fuzz") / "serve.log"
    # Only the loopback endpoint is allowlisted (never the default, Wikidata: no real network).
    env = clean_env(WORKERS=2, QUERY_TIMEOUT=3, SERVICE_TIMEOUT=2,
                    SERVICE_ALLOWLIST=json.dumps([allowed.url]))
    try:
        with kg_serve(["--data", str(MINI), "--union"], env, log, cwd=ROOT) as url:
            parts = urllib.parse.urlsplit(url)
            assert parts.hostname == "127.0.0.1" and parts.port
            yield Live(url, parts.hostname, parts.port, serve_pid(url), canary, allowed, log)
    finally:
        canary.close()
        allowed.close()


# --- what is generated ------------------------------------------------------------------------

CANARY = "http://canary.invalid/"  # replaced by the canary's real URL when sent
ALLOWED = "http://allowed.invalid/sparql"  # replaced by the allowlisted endpoint's URL
METHODS = st.sampled_from(["GET", "POST", "HEAD", "OPTIONS", "PUT", "DELETE", "PATCH"])
ODD = "{}<>\"|^\\`%#?&=/;:@!$'()*+,[] .-_~"
ESCAPES = ["%00", "%2F", "%2f", "%ZZ", "%", "%4", "%e9", "%C3%A9", "%FF", "%5C", "%7B%7D", "%25",
           "%0A", "%0D%0A", "%20", "%3E", "%22", "%C0%AF", "%ED%A0%80", "%F0%9F%98%80"]
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet=st.sampled_from(ODD + "aZ9éЖ中\u2028\U0001F600\x00\x7f"), max_size=40),
    st.lists(st.sampled_from(ESCAPES + ["..", "./", "a", "é", "{", "<", "\\"]),
             max_size=12).map("".join),
    st.builds(lambda unit, n: unit * n, st.sampled_from(["a", "%7B", "{", "é", "../", "x/", "%"]),
              st.integers(500, 3000)),
)
IDS = st.sampled_from(["state/russia", "state/azerbaijan", "person/hikmet-hajiyev",
                       "agreement/trilateral-statement-2020", "claim/a1/1", "state/nowhere"])
SUFFIXES = st.sampled_from(["ttl", "nt", "nq", "trig", "jsonld", "html", "rdf", "xml", "TTL", "",
                            ".", "ttl.ttl", "ttl/", "json", "%74tl"])
PATHS = st.one_of(
    st.sampled_from(["/", "/sparql", "/query", "/ontology", "/.well-known/void", "/dump",
                     "/graph/entities", "/graph/provenance", "/static/vendor/yasgui/yasgui.min.js",
                     "//sparql", "/sparql/", "/SPARQL", "*", "/id/", "/id", "/graph/"]),
    st.builds("/id/{}{}".format, IDS, st.sampled_from(["", ".ttl", ".nt", ".jsonld", ".html"])),
    TEXT.map("/id/".__add__),
    st.builds("/id/{}/{}".format, IDS, TEXT),
    TEXT.map("/graph/".__add__),
    st.one_of(SUFFIXES, TEXT).map("/ontology.".__add__),
    st.one_of(SUFFIXES, TEXT).map("/dump.".__add__),
    TEXT.map("/.well-known/".__add__),
    TEXT.map("/static/".__add__),
    TEXT.map("/static/vendor/yasgui/".__add__),
    TEXT.map("/".__add__),
    TEXT,
)

PREFIXES = f"PREFIX kg: <{BASE}ontology#> PREFIX id: <{BASE}id/> " \
           "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> "
VALID = st.sampled_from([
    "ASK {}", "SELECT * WHERE { ?s ?p ?o } LIMIT 3", "SELECT (COUNT(*) AS ?n) { ?s ?p ?o }",
    "CONSTRUCT WHERE { ?s a ?t }", "DESCRIBE <" + BASE + "id/state/russia>",
    PREFIXES + "SELECT ?l { id:state\\/russia skos:prefLabel ?l }",
    PREFIXES + "SELECT ?d { ?a kg:dateSigned ?d FILTER(?d > '2020-01-01'^^<http://www.w3.org/"
               "2001/XMLSchema#date>) } ORDER BY ?d",
    "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "SELECT * { VALUES ?x { 1 2 3 } FILTER(?x != 2) }",
    "SELECT * FROM <" + BASE + "graph/entities> { ?s ?p ?o } LIMIT 2",
    f"SELECT * {{ SERVICE <{ALLOWED}> {{ ?s ?p ?o }} }}",
    f"SELECT * {{ SERVICE SILENT <{CANARY}sparql> {{ ?s ?p ?o }} }}",
    f"SELECT * {{ SERVICE <{CANARY}sparql> {{ ?s ?p ?o }} }}",
    f"SELECT * {{ \\u0053ERVICE <{CANARY}sparql> {{ ?s ?p ?o }} }}",
    f"PREFIX c: <{CANARY}> SELECT * {{ SERVICE c:sparql {{ ?s ?p ?o }} }}",
    f"BASE <{CANARY}x/> SELECT * {{ SERVICE <../sparql> {{ ?s ?p ?o }} }}",
    f"SELECT * FROM <{CANARY}> FROM NAMED <{CANARY}g> {{ ?s ?p ?o }}",
    f"SELECT * {{ SERVICE <{ALLOWED}> {{ SERVICE <{CANARY}> {{ ?s ?p ?o }} }} }}",
    f"LOAD <{CANARY}>", "CLEAR ALL", f"INSERT DATA {{ <{CANARY}> <{CANARY}> 1 }}",
])
FRAGMENTS = st.sampled_from([
    "SELECT", "ASK", "CONSTRUCT", "DESCRIBE", "WHERE", "*", "?s", "?p", "?o", "$x", "{", "}",
    "(", ")", "[", "]", ".", ";", ",", "a", "FILTER", "VALUES", "SERVICE", "SILENT",
    "\\u0053ERVICE", "\\u0053", "\\u005C", "\\U00000053", f"<{CANARY}>", f"<{CANARY}sparql>",
    f"<{ALLOWED}>", "<>", "<sparql>", "<http://x/>", "c:sparql", f"PREFIX c: <{CANARY}>",
    f"BASE <{CANARY}>", "PREFIX : <http://x/>", ":p", "kg:State", "id:state\\/russia", "GRAPH",
    "FROM", "FROM NAMED", "OPTIONAL", "UNION", "MINUS", "BIND", "AS", "LIMIT 2", "OFFSET 1",
    "ORDER BY", "GROUP BY", "COUNT(*)", "'x'", '"y"@en', '"""', "'''", "#", "\n", "1", "-0.5e3",
    "true", "LOAD", "INSERT DATA", "DELETE WHERE", "CLEAR ALL", "REGEX(", "STR(", "IRI(", "|",
    "^", "/", "+", "!", "^^<http://www.w3.org/2001/XMLSchema#date>", "UNDEF", "EXISTS", "NOT",
    "SERVICE SILENT", f"SERVICE <{CANARY}> {{", "{ ?s ?p ?o }", "\x00", "é", "\\",
])
SOUP = st.lists(st.one_of(FRAGMENTS, st.text(max_size=8)), min_size=1, max_size=30).flatmap(
    lambda parts: st.sampled_from([" ", "", "\n"]).map(lambda sep: sep.join(parts)))
MUTATED = st.builds(lambda q, at, frag: q[:at % (len(q) + 1)] + frag + q[at % (len(q) + 1):],
                    VALID, st.integers(0, 500), st.one_of(FRAGMENTS, SOUP))
# One construct many times over: flat chains that no bracket count bounds, and nesting past the
# 128-bracket limit (a 1 KB - 10 KB query; longer chains only cost time: QUERY_TIMEOUT).
REPEATED = st.builds(
    lambda form, unit, n: form.replace("@", unit * n),
    st.sampled_from(["ASK { FILTER(@true) }", "SELECT * { ?s ?p ?o @ } LIMIT 1", "ASK { @ }",
                     "SELECT * { ?s @<p> ?o } LIMIT 1", "ASK { FILTER(1 @) }",
                     "SELECT * { ?s ?p @ }", "ASK { @ } # service"]),
    st.sampled_from(["!", "+1", "- ", "&&true ", "UNION {} ", "OPTIONAL {} ", "MINUS {} ", "[ ?p ",
                     "( ", "{ ", "|<p>", "/<p>", "^", "\\u0021", f"SERVICE SILENT <{CANARY}> {{}} ",
                     "FILTER(true) ", "?s ?p ?o . ", "} ", ") ", "(1 ", "GRAPH ?g { "]),
    st.integers(20, 300))
SPARQL = st.sampled_from([VALID, VALID, MUTATED, MUTATED, SOUP, REPEATED]).flatmap(lambda s: s)
IRIS = st.one_of(st.sampled_from([CANARY, CANARY + "g", f"{BASE}graph/entities", "urn:x", "x",
                                  "", "http://", "<http://a/>", ALLOWED]), TEXT)
MEDIA = st.sampled_from([
    "text/html", "application/sparql-results+json", "application/sparql-results+xml", "text/csv",
    "text/tab-separated-values", "text/turtle", "application/n-triples", "application/rdf+xml",
    "application/ld+json", "application/n-quads", "application/trig", "application/json",
    "application/xml", "text/plain", "*/*", "text/*", "application/*", "image/png", "", "*",
    "garbage", "text/html;level=1", "/", ";", "text/turtle;charset=latin-1",
])
QVALUE = st.sampled_from(["", ";q=1", ";q=0", ";q=0.5", ";q=0.001", ";q=1.5", ";q=-1", ";q=abc",
                          ";q=", ";Q=0.9", ";q=0.5;q=0.2", ";x=y"])
ACCEPT = st.one_of(
    st.lists(st.builds(str.__add__, MEDIA, QVALUE), max_size=6).map(", ".join),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=255), max_size=60),
)
CONTENT_TYPES = st.sampled_from([
    "application/sparql-query", "application/x-www-form-urlencoded", "application/sparql-update",
    "application/sparql-query; charset=latin-1", "application/sparql-query; charset=UTF-8",
    "application/x-www-form-urlencoded; charset=utf-8", "multipart/form-data; boundary=x",
    "multipart/form-data", "text/plain", "application/json", "", "garbage", "*/*",
])
FORMATS = st.one_of(st.sampled_from(["json", "xml", "csv", "tsv", "ttl", "turtle", "nt", "rdf",
                                     "jsonld", "html", "text/turtle", "application/json", ""]),
                    TEXT)
PARAM_NAMES = st.sampled_from(["query", "query", "query", "format", "default-graph-uri",
                               "named-graph-uri", "update", "using-graph-uri", "output", "x", ""])


def _value(name: str) -> st.SearchStrategy[str]:
    if name in ("query", "update"):
        return SPARQL
    if name == "format":
        return FORMATS
    if name.endswith("graph-uri"):
        return IRIS
    return TEXT


PARAMS = st.lists(PARAM_NAMES.flatmap(lambda n: st.tuples(st.just(n), _value(n))), max_size=4)
DATASET = st.lists(st.sampled_from(["format", "default-graph-uri", "named-graph-uri"]).flatmap(
    lambda n: st.tuples(st.just(n), _value(n))), max_size=2)
HEADER_NAMES = st.sampled_from([
    "Origin", "Access-Control-Request-Method", "Access-Control-Request-Headers", "Accept-Language",
    "Accept-Encoding", "If-None-Match", "If-Modified-Since", "Range", "X-Forwarded-For", "Cookie",
    "Referer", "User-Agent", "X-Random"])
HEADER_VALUES = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=60)


@dataclass
class Spec:
    """One request as generated, before the canary's and the allowlisted endpoint's real URLs
    replace CANARY and ALLOWED and before anything is encoded (``render``)."""

    method: str
    path: str
    params: list[tuple[str, str]]
    quoting: str  # "full": every parameter percent-encoded; "minimal": only what must be
    separator: str  # between path and query string
    headers: dict[str, str]
    body_kind: str  # "none", "form" (body_params), "text" (body_text), "bytes" (body_bytes)
    body_params: list[tuple[str, str]]
    body_text: str
    body_bytes: bytes


def quote_minimal(text: str) -> str:
    """Percent-encode only what http.client refuses in a URL: non-ASCII, controls and space."""
    return "".join(c if 0x20 < ord(c) < 0x7f else urllib.parse.quote(c, safe="") for c in text)


def quote_full(text: str) -> str:
    return urllib.parse.quote(text, safe="")


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    body_kind, body_params, body_text, body_bytes = "none", [], "", b""
    headers: dict[str, str] = {}
    if draw(st.sampled_from(["sparql", "sparql", "sparql", "other"])) == "sparql":
        # Three requests in four are queries: /sparql, nearly always with a query.
        method = draw(st.sampled_from(["GET", "GET", "POST", "POST", "HEAD"]) | METHODS)
        path = draw(st.sampled_from(["/sparql"] * 12 + ["/sparql/", "//sparql", "/sparql;x"]))
        query = draw(SPARQL)
        extra = draw(st.one_of(DATASET, DATASET, PARAMS))
        params = draw(st.permutations([("query", query), *extra]))
        if method in ("POST", "PUT", "PATCH"):
            form = draw(st.sampled_from(["form", "form", "direct", "url", "none"]))
            if form == "form":  # the query in an urlencoded body
                headers["Content-Type"] = "application/x-www-form-urlencoded"
                body_kind, body_params, params = "form", params, draw(st.sampled_from([[], extra]))
            elif form == "direct":  # the query as the body
                headers["Content-Type"] = draw(st.sampled_from([
                    "application/sparql-query", "application/sparql-query; charset=utf-8",
                    "Application/SPARQL-Query", "application/sparql-query; charset=latin-1"]))
                body_kind, body_text = "text", query
                params = draw(st.sampled_from([extra, params]))
        elif not draw(st.integers(0, 9)):
            params = []
    else:
        method, path, params = draw(METHODS), draw(PATHS), draw(PARAMS)
    if method in ("POST", "PUT", "PATCH") and body_kind == "none" or not draw(st.integers(0, 9)):
        if content_type := draw(CONTENT_TYPES):
            headers["Content-Type"] = content_type
        body_kind = draw(st.sampled_from(["form", "text", "bytes", "none"]))
        body_params = draw(PARAMS)
        body_text = draw(SPARQL)
        body_bytes = draw(st.binary(max_size=4096))
    if draw(st.integers(0, 3)):
        headers["Accept"] = draw(ACCEPT)
    for name in draw(st.lists(HEADER_NAMES, max_size=3, unique=True)):
        headers[name] = draw(HEADER_VALUES)
    return Spec(method, path, params, draw(st.sampled_from(["full", "full", "minimal"])),
                draw(st.sampled_from(["?", "?", "?", "?&", "?;"])) if params else "",
                headers, body_kind, body_params, body_text, body_bytes)


def render(spec: Spec, live: Live) -> tuple[str, str, dict[str, str], bytes | None]:
    """(method, target, headers, body) to send: real URLs in, encoded as the spec says."""
    def real(text: str) -> str:
        return text.replace(CANARY, live.canary.url).replace(ALLOWED, live.allowed.url)

    quote = quote_full if spec.quoting == "full" else quote_minimal
    target = quote_minimal(real(spec.path))
    if spec.params:
        target += spec.separator + "&".join(f"{quote(real(n))}={quote(real(v))}"
                                            for n, v in spec.params)
    body: bytes | None = None
    if spec.body_kind == "form":
        body = "&".join(f"{quote_full(real(n))}={quote_full(real(v))}"
                        for n, v in spec.body_params).encode()
    elif spec.body_kind == "text":
        body = real(spec.body_text).encode()
    elif spec.body_kind == "bytes":
        body = spec.body_bytes
    return spec.method, target, {k: real(v) for k, v in spec.headers.items()}, body


# --- sending and checking ----------------------------------------------------------------------

def check(live: Live, method: str, status: int, content_type: str, body: bytes,
          sent: object) -> None:
    event(f"HTTP {status}")
    assert 100 <= status < 600 and status != 500, f"HTTP {status} for {sent!r}: {body[:500]!r}"
    if status >= 500:
        assert status in (502, 503), f"HTTP {status} for {sent!r}: {body[:500]!r}"
        assert content_type.startswith("text/plain"), f"{content_type!r} for {sent!r}"
        assert body or method == "HEAD", f"HTTP {status} without a reason for {sent!r}"


@pytest.mark.live
def test_the_canary_counts_and_the_allowlisted_service_is_joined(live: Live) -> None:
    """The harness works: a call to the canary is seen; SERVICE to the allowlisted endpoint is
    made and joined (so the fuzzed SERVICE clauses to the canary meet the real policy)."""
    assert requests.get(live.canary.url, timeout=5).ok
    assert len(live.canary.hits) == 1
    live.canary.hits.clear()
    query = f"SELECT ?x {{ SERVICE <{live.allowed.url}> {{ ?x ?p ?o }} }}"
    r = requests.get(live.url, params={"query": query}, timeout=10)
    assert r.status_code == 200, r.text
    assert r.json()["results"]["bindings"] == [{"x": {"type": "literal", "value": "1"}}]
    assert live.allowed.hits == 1
    refused = requests.get(live.url, timeout=10, params={
        "query": f"SELECT * {{ SERVICE <{live.canary.url}sparql> {{ ?s ?p ?o }} }}"})
    assert refused.status_code == 403, refused.text
    assert live.canary.hits == []


@pytest.mark.live
@FUZZ
@given(spec=specs())
def test_any_request_gets_a_real_answer_and_never_a_500(live: Live, spec: Spec) -> None:
    method, target, headers, body = render(spec, live)
    sent = (method, target[:300], headers, (body or b"")[:300])
    conn = http.client.HTTPConnection(live.host, live.port, timeout=TIMEOUT)
    try:
        conn.request(method, target, body=body, headers=headers)
        response = conn.getresponse()
        data = response.read()
    except (OSError, http.client.HTTPException) as err:
        pytest.fail(f"no answer ({err!r}) to {sent!r}")
    finally:
        conn.close()
    check(live, method, response.status, response.getheader("Content-Type") or "", data, sent)


RAW_TARGETS = st.one_of(
    st.binary(min_size=1, max_size=200).filter(lambda b: not set(b) & set(b" \r\n")),
    st.binary(max_size=100).map(lambda b: b"/id/" + bytes(c for c in b if c not in b" \r\n")),
    st.sampled_from([b"/id/\xff\xfe", b"/id/state/russia\x00", b"/id/\xc3", b"/sparql?query=\xff",
                     b"/sparql?query=ASK%20%7B%7D\x7f", b"/id/%ZZ", b"http://127.0.0.1/sparql",
                     b"*", b"//", b"/..%2F..%2Fetc/passwd", b"/static/../../pyproject.toml"]),
)


@pytest.mark.live
@RAW
@given(method=st.sampled_from([b"GET", b"HEAD", b"POST", b"OPTIONS", b"get", b"BREW"]),
       target=RAW_TARGETS, version=st.sampled_from([b"HTTP/1.1", b"HTTP/1.0"]))
def test_raw_bytes_in_the_request_line_get_an_answer(live: Live, method: bytes, target: bytes,
                                                     version: bytes) -> None:
    request = (method + b" " + target + b" " + version + b"\r\nHost: 127.0.0.1\r\n"
               b"Content-Length: 0\r\nConnection: close\r\n\r\n")
    with socket.create_connection((live.host, live.port), timeout=TIMEOUT) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1."), f"no answer to {request!r}: {answer[:200]!r}"
    status = int(head.split(b" ", 2)[1])
    content_type = next((line.split(b":", 1)[1].strip().decode("latin-1")
                         for line in head.split(b"\r\n")[1:]
                         if line.lower().startswith(b"content-type:")), "")
    check(live, method.decode(), status, content_type, body, request)


@pytest.mark.live
def test_after_the_fuzz_the_canary_was_never_called_and_the_server_answers(live: Live) -> None:
    assert live.canary.hits == [], f"the canary was called {len(live.canary.hits)} times"
    assert serve_pid(live.url) == live.pid  # the same process, never restarted
    r = requests.get(live.url, params={"query": "ASK {}"}, timeout=10)
    assert r.status_code == 200 and r.json()["boolean"] is True
    log = live.log.read_text(encoding="utf-8")
    assert "Traceback" not in log, log[-3000:]
    print(f"\nthe allowlisted endpoint was called {live.allowed.hits} times")
