"""Evaluate one query on a store and serialise its result to bytes (runs inside a worker)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from graph.namespaces import WDQS_PREFIXES
from server import conneg, federation, service_plan
from server.lexer import has_dataset_clause, star_variable_order

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_DIR_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#dirLangString"

SOLUTION_FORMATS = {
    "xml": ox.QueryResultsFormat.XML,
    "csv": ox.QueryResultsFormat.CSV,
    "tsv": ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "nq": ox.RdfFormat.N_QUADS,
    "trig": ox.RdfFormat.TRIG,
    "jsonld": ox.RdfFormat.JSON_LD,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


@dataclass
class Job:
    """Everything a worker needs to answer one query, picklable."""

    query: str
    solutions_format: str
    graph_format: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    max_rows: int = 10_000
    max_bytes: int = 20_000_000
    service_allowlist: list[str] = field(default_factory=list)
    base_iri: str | None = None

    @property
    def mentions_service(self) -> bool:
        return service_plan.mentions_service(self.query)


@dataclass
class Answer:
    """A worker's reply: an HTTP status, a content type, the body and extra headers."""

    status: int
    content_type: str
    body: bytes
    query: str = ""
    headers: dict[str, str] = field(default_factory=dict)


def error(status: int, message: str) -> Answer:
    return Answer(status, "text/plain; charset=utf-8", message.encode("utf-8"))


def term_json(term: Any) -> dict[str, Any]:
    """A term in the SPARQL 1.1 JSON results format."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out: dict[str, Any] = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
            if term.direction is not None:
                out["its:dir"] = term.direction.value
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {"type": "triple", "value": {"subject": term_json(term.subject),
                                            "predicate": term_json(term.predicate),
                                            "object": term_json(term.object)}}
    raise TypeError(f"unexpected term {term!r}")


def _too_many(job: Job, what: str) -> Answer:
    return error(400, f"the result has more than {job.max_rows} {what}, the limit of this "
                      f"endpoint (MAX_ROWS); add LIMIT/OFFSET to page through it")


def _too_large(job: Job) -> Answer:
    return error(400, f"the result is larger than {job.max_bytes} bytes, the limit of this "
                      "endpoint (MAX_RESPONSE_BYTES); select fewer or shorter values, or add "
                      "LIMIT/OFFSET to page through it")


class _TooLarge(Exception):
    pass


class _BoundedBuffer(io.BytesIO):
    """A write target that refuses to grow past ``limit`` bytes (serialisers stream into it)."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit

    def write(self, chunk: Any) -> int:
        if self.tell() + len(chunk) > self.limit:
            raise _TooLarge()
        return super().write(chunk)


def _dataset_kwargs(job: Job, union: bool) -> dict[str, Any]:
    if job.default_graphs or job.named_graphs:
        return {"default_graph": [ox.NamedNode(g) for g in job.default_graphs],
                "named_graphs": [ox.NamedNode(g) for g in job.named_graphs]}
    # pyoxigraph ignores FROM/FROM NAMED when the default graph is the union: turn it off then.
    return {"use_default_graph_as_union": union and not has_dataset_clause(job.query)}


def _solutions(job: Job, result: Any) -> Answer:
    if not job.solutions_format:
        return _not_acceptable(conneg.SOLUTIONS)
    variables = [v.value for v in result.variables]
    order = star_variable_order(job.query)
    if order:  # SELECT *: columns in the order the query names them, as clients expect
        rank = {name: i for i, name in enumerate(order)}
        variables.sort(key=lambda v: rank.get(v, len(rank)))
    rows = list(islice(result, job.max_rows + 1))
    if len(rows) > job.max_rows:
        return _too_many(job, "rows")
    bindings, size = [], 0
    for row in rows:
        binding = {v: term_json(row[v]) for v in variables if row[v] is not None}
        # A cheap lower bound of the serialised size, checked before anything is written.
        size += sum(len(t.value) if not isinstance(t, ox.Triple) else len(str(t))
                    for t in row if t is not None)
        if size > job.max_bytes:
            return _too_large(job)
        bindings.append(binding)
    doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return _solutions_body(job, json.dumps(doc, ensure_ascii=False).encode("utf-8"))


def _not_acceptable(kind: str) -> Answer:
    offered = ", ".join(m.media_type for m in conneg.MEDIA_TYPES if m.kind == kind)
    return error(406, f"none of the accepted media types fits the result of this query; "
                      f"it can be given as: {offered}")


def _solutions_body(job: Job, data: bytes) -> Answer:
    if not job.solutions_format:
        return _not_acceptable(conneg.SOLUTIONS)
    media = conneg.BY_KEY[job.solutions_format]
    if job.solutions_format != "json":
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        out = _BoundedBuffer(job.max_bytes)
        parsed.serialize(out, format=SOLUTION_FORMATS[job.solutions_format])
        data = out.getvalue()
    if len(data) > job.max_bytes:
        return _too_large(job)
    return Answer(200, media.content_type, data)


def _graph(job: Job, result: Any) -> Answer:
    if not job.graph_format:
        return _not_acceptable(conneg.GRAPH)
    triples = list(islice(result, job.max_rows + 1))
    if len(triples) > job.max_rows:
        return _too_many(job, "triples")
    fmt = GRAPH_FORMATS[job.graph_format]
    items = [ox.Quad(t.subject, t.predicate, t.object) for t in triples] \
        if fmt.supports_datasets else triples
    out = _BoundedBuffer(job.max_bytes)
    ox.serialize(items, out, format=fmt)
    return Answer(200, conneg.BY_KEY[job.graph_format].content_type, out.getvalue())


def evaluate(store: ox.Store, union: bool, job: Job, fetcher: federation.Fetcher) -> Answer:
    """Answer a job: 200 with the serialised result, or a 4xx/5xx with a message.

    A query that mentions SERVICE is checked and rewritten first (``server.service_plan``);
    ``fetcher`` makes its remote calls. The engine runs only the rewritten, re-checked text.
    """
    skipped: list[str] = []
    try:
        query = job.query
        if job.mentions_service:
            plan = service_plan.plan(job.query, job.service_allowlist, job.base_iri)
            query, skipped = federation.rewrite(plan, fetcher), plan.skipped
        result = store.query(query, base_iri=job.base_iri, prefixes=WDQS_PREFIXES,
                             **_dataset_kwargs(job, union))
        if isinstance(result, ox.QueryBoolean):
            doc = {"head": {}, "boolean": bool(result)}
            answer = _solutions_body(job, json.dumps(doc).encode("utf-8"))
        elif isinstance(result, ox.QuerySolutions):
            answer = _solutions(job, result)
        else:
            answer = _graph(job, result)
    except SyntaxError as err:
        return error(400, f"query syntax error: {err}")
    except service_plan.ServiceRefused as err:
        return error(err.status, str(err))
    except federation.ServiceFailed as err:
        return error(502, str(err))
    except _TooLarge:
        return _too_large(job)
    except MemoryError:
        return error(503, "the query needed more memory than one query may use (QUERY_MEMORY); "
                          "narrow the query or add LIMIT")
    if skipped:
        answer.headers["X-KG-Service-Skipped"] = " ".join(header_safe(e) for e in skipped)
    return answer


_HEADER_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '%"\\')


def header_safe(iri: str) -> str:
    """An IRI as an HTTP header may carry it: non-ASCII and control characters percent-encoded."""
    return quote(iri, safe=_HEADER_SAFE)
