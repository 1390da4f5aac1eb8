"""The dataset in a remote SPARQL 1.1 endpoint (KG_STORE): the small part of ``pyoxigraph.Store``
the server uses (``query``, ``quads_for_pattern``, ``len``, iteration), answered over HTTP.

Answers are parsed with pyoxigraph, so pages and the endpoint handle them as they handle the
embedded store's. Every request is bounded: in time (QUERY_TIMEOUT, the whole answer included)
and in bytes read. The server only reads: nothing here sends an update.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import Any, cast

import pyoxigraph as ox
import requests

from server.errors import HttpError
from server.lexer import group_end, tokenize
from server.store import KGStore, data_format

Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple
FORMS = ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")
SOLUTIONS_TYPE = ox.QueryResultsFormat.JSON.media_type
TRIPLES_TYPE = ox.RdfFormat.N_TRIPLES.media_type
CHUNK = 65_536
# Bytes read of one answer: the wire formats (SPARQL JSON results, N-Triples) run to a few times
# the size of the answer served, which MAX_RESPONSE_BYTES bounds.
READ_FACTOR = 4
_S, _P, _O, _G = (ox.Variable(n) for n in ("s", "p", "o", "g"))
QUADS = "SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"
# The ASCII part of SPARQL's PN_PREFIX.
PREFIX_NAME = re.compile(r"([A-Za-z]([\w.-]*[\w-])?)?", re.ASCII)
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def with_values(query: str, substitutions: Mapping[ox.Variable, Term]) -> str:
    """``query`` with a VALUES block binding each variable to its term, first in its WHERE
    group: how a remote engine gets pyoxigraph's ``substitutions``. The only place terms enter
    query text, and ``query`` is always the server's own text, never a request's.

    Safe because each variable and term is a pyoxigraph object, validated when it was made (a
    NamedNode is an IRI, which cannot hold ``>``, spaces or braces; a Literal a value with its
    datatype or language), and ``str()`` writes it in pyoxigraph's own SPARQL / N-Triples
    syntax with the characters that could end it (``"``, ``\\``, newlines) escaped: a term
    cannot close the VALUES row it is in. Joined first, the block binds the variable for the
    rest of the group (its BINDs and FILTERs), as a substitution does; a nested group's FILTER
    sees it only through the join, unlike one."""
    if not substitutions:
        return query
    for variable, term in substitutions.items():
        if not isinstance(variable, ox.Variable) or not isinstance(term, Term):
            raise TypeError(f"cannot substitute {term!r} for {variable!r}")
        if isinstance(term, ox.BlankNode):  # a blank node in a query is a fresh variable
            raise TypeError(f"cannot substitute the blank node {term} in a remote query")
    names = " ".join(str(v) for v in substitutions)
    terms = " ".join(str(t) for t in substitutions.values())
    at = _pattern_start(query)
    return f"{query[:at]} VALUES ({names}) {{ ({terms}) }}{query[at:]}"


def _pattern_start(query: str) -> int:
    """Offset just inside the ``{`` that opens the query's WHERE group (ValueError if none):
    the first ``{`` outside parentheses, past a CONSTRUCT template."""
    tokens = tokenize(query)
    form = next((i for i, t in enumerate(tokens) if t.kind == "NAME" and t.text.upper() in
                 FORMS), None)
    i = form + 1 if form is not None else len(tokens)
    if form is not None and tokens[form].is_keyword("CONSTRUCT"):
        i = group_end(tokens, i) or i  # the template; CONSTRUCT WHERE has none
    depth = 0
    for token in tokens[i:]:
        if token.kind == "PUNCT":
            depth += {"(": 1, ")": -1}.get(token.text, 0)
            if token.text == "{" and depth == 0:
                return token.end
    raise ValueError(f"no WHERE group in {query!r}")


def _prologue(base_iri: str | None, prefixes: Mapping[str, str] | None) -> str:
    """BASE and PREFIX lines, IRIs written by pyoxigraph (validated and escaped)."""
    lines = [f"BASE {ox.NamedNode(base_iri)}"] if base_iri else []
    for name, iri in (prefixes or {}).items():
        if not PREFIX_NAME.fullmatch(name):
            raise ValueError(f"not a prefix name: {name!r}")
        lines.append(f"PREFIX {name}: {ox.NamedNode(iri)}")
    return "".join(line + "\n" for line in lines)


def _form(query: str) -> str:
    """SELECT, CONSTRUCT, ASK or DESCRIBE: the first such keyword (SELECT if none, the
    engine then refuses the text)."""
    for token in tokenize(query):
        if token.kind == "NAME" and token.text.upper() in FORMS:
            return token.text.upper()
    return "SELECT"


def _as_boolean(parsed: Any) -> Any:
    """An ASK answer as a boolean: Virtuoso 7.2 answers one, in every results format, as
    solutions of one variable: a row holding 1 for true, no row for false."""
    if isinstance(parsed, ox.QueryBoolean):
        return parsed
    rows = list(islice(parsed, 2))
    if len(parsed.variables) != 1 or len(rows) > 1 or rows and rows[0][0] is None:
        raise ValueError("an ASK query answered with solutions")
    truth = bool(rows) and rows[0][0].value not in ("0", "false")
    return ox.parse_query_results(json.dumps({"head": {}, "boolean": truth}),
                                  format=ox.QueryResultsFormat.JSON)


class RemoteStore:
    """A read-only view of the SPARQL endpoint at ``url``: its default graph is the union of
    its named graphs (the engine's configuration; Oxigraph: ``serve --union-default-graph``)."""

    def __init__(self, url: str, timeout: float, max_bytes: int) -> None:
        self.url = url
        self.timeout = timeout
        self.max_bytes = max_bytes
        self.session = requests.Session()

    def _where(self) -> str:
        return f"the store KG_STORE={self.url}"

    def _post(self, text: str, accept: str, params: list[tuple[str, str]]) -> tuple[str, bytes]:
        """POST ``text``; (content type, body), the body read within time and byte bounds."""
        started = time.monotonic()
        try:
            # A form, which every engine takes (Virtuoso 7.2 never answers a direct POST).
            with self.session.post(self.url, data=[("query", text), *params], stream=True,
                                   timeout=(min(5.0, self.timeout), self.timeout),
                                   headers={"Accept": accept,
                                            "Accept-Encoding": "identity"}) as reply:
                body, raw = bytearray(), cast(Any, reply.raw)  # urllib3 2's response
                # What each read brings, as it comes: the time is checked between reads, so a
                # store that drips its answer is stopped too.
                while chunk := raw.read1(CHUNK):
                    body += chunk
                    if len(body) > self.max_bytes:
                        raise HttpError(f"the answer of {self._where()} is larger than "
                                        f"{self.max_bytes} bytes ({READ_FACTOR} × "
                                        "MAX_RESPONSE_BYTES, read); select fewer or shorter "
                                        "values, or add LIMIT", 400)
                    if time.monotonic() - started > self.timeout:
                        raise requests.Timeout()
                status, content_type = reply.status_code, reply.headers.get("Content-Type", "")
        except requests.Timeout:
            raise HttpError(f"the query took longer than QUERY_TIMEOUT ({self.timeout:g} s) "
                            f"at {self._where()}; narrow the query or add LIMIT", 503) from None
        except requests.RequestException as err:
            raise HttpError(f"{self._where()} is unreachable: {type(err).__name__}", 502) from None
        if status == 400:  # the engine's own message: the query's fault
            message = bytes(body[:300]).decode("utf-8", "replace").strip()
            raise HttpError(f"{self._where()} refused the query: {message}", 400)
        if status != 200:
            raise HttpError(f"{self._where()} answered HTTP {status}", 502)
        return content_type.split(";")[0].strip().lower(), bytes(body)

    def query(self, query: str, *, base_iri: str | None = None,
              prefixes: Mapping[str, str] | None = None,
              use_default_graph_as_union: bool = True,
              default_graph: list[ox.NamedNode] | None = None,
              named_graphs: list[ox.NamedNode] | None = None,
              substitutions: Mapping[ox.Variable, Term] | None = None) -> Any:
        """Run a query there: solutions, a boolean, or an iterator of triples, as
        ``pyoxigraph.Store.query`` returns them. The default graph is always the union
        (``use_default_graph_as_union`` is accepted for the same signature)."""
        text = _prologue(base_iri, prefixes) + with_values(query, substitutions or {})
        params = [("default-graph-uri", g.value) for g in default_graph or ()]
        params += [("named-graph-uri", g.value) for g in named_graphs or ()]
        form = _form(query)
        graph = form in ("CONSTRUCT", "DESCRIBE")
        content_type, body = self._post(text, TRIPLES_TYPE if graph else SOLUTIONS_TYPE, params)
        try:
            if graph:
                fmt = ox.RdfFormat.from_media_type(content_type) or ox.RdfFormat.N_TRIPLES
                return iter([q.triple for q in ox.parse(body, format=fmt)])
            results = ox.QueryResultsFormat.from_media_type(content_type)
            parsed = ox.parse_query_results(body, format=results or ox.QueryResultsFormat.JSON)
            return _as_boolean(parsed) if form == "ASK" else parsed
        except (SyntaxError, ValueError) as err:
            raise HttpError(f"{self._where()} sent an answer that does not parse "
                            f"({content_type}): {err}", 502) from None

    def quads_for_pattern(self, subject: Term | None, predicate: ox.NamedNode | None,
                          object: Term | None, graph_name: ox.NamedNode | None = None
                          ) -> Iterator[ox.Quad]:
        """The quads of the named graphs that match (None: any). The default graph is not
        reached: a build holds every triple in a named graph."""
        given = {v: t for v, t in ((_S, subject), (_P, predicate), (_O, object),
                                   (_G, graph_name)) if t is not None}
        rows = self.query(QUADS, substitutions=given)
        for row in rows:
            yield ox.Quad(row[_S], row[_P], row[_O], row[_G])

    def __iter__(self) -> Iterator[ox.Quad]:
        """Every quad, graph by graph: each read is bounded, not the whole dataset at once."""
        for row in self.query(GRAPHS):
            yield from self.quads_for_pattern(None, None, None, row["g"])

    def __len__(self) -> int:
        return int(next(iter(self.query(COUNT)))["n"].value)


class RemoteKG(KGStore):
    """The dataset served from KG_STORE, as ``server.store.KGStore`` offers it: ``path`` is
    the build the store was loaded from (for the dump and the ETags), never loaded here."""

    def __init__(self, path: Path, url: str, timeout: float, max_bytes: int) -> None:
        # Not KGStore's: nothing is loaded or opened here.
        self.path = Path(path)
        self.union = True
        self.format = data_format(self.path)
        self.source = self.path.resolve()
        self.in_memory = False
        self.store = cast(ox.Store, RemoteStore(url, timeout, max_bytes))
        self._memo: dict[str, Any] = {}

    @classmethod
    def from_settings(cls, path: Path, settings: Mapping[str, Any]) -> RemoteKG:
        """The store the settings name (STORE, STORE_QUERY_PATH), bounded by QUERY_TIMEOUT
        and MAX_RESPONSE_BYTES."""
        return cls(path, settings["STORE"].rstrip("/") + settings["STORE_QUERY_PATH"],
                   float(settings["QUERY_TIMEOUT"]),
                   READ_FACTOR * int(settings["MAX_RESPONSE_BYTES"]))

    def update(self, *_args: Any, **_kwargs: Any) -> None:
        """Never: the store holds an immutable build (settings refuse WRITABLE with STORE)."""
        raise HttpError("this endpoint is read-only: its store is never written", 403)


