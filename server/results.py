"""Evaluate one query on a store and serialise its result to bytes (runs inside a worker)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass, field
from itertools import islice
from typing import Any
from urllib.parse import quote

import pyoxigraph as ox

from graph.formats import GRAPH, SOLUTIONS, Format
from graph.namespaces import ENDPOINT_PREFIXES, XSD
from server import conneg, federation, service_plan, syntax
from server.errors import HttpError
from server.lexer import Shape

XSD_STRING = str(XSD.string)

@dataclass
class Job:
    """Everything a worker needs to answer one query, picklable. The format is negotiated in
    the worker, once the kind of result (solutions or a graph) is known."""

    query: str
    shape: Shape
    accept: str | None = None
    format_names: list[str] = field(default_factory=list)
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


def refusal(err: HttpError) -> Answer:
    """The answer for an HttpError raised while answering a job."""
    answer = error(err.status, err.message)
    answer.headers.update(err.headers)
    return answer


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


def _too_many(job: Job, what: str) -> HttpError:
    return HttpError(f"the result has more than {job.max_rows} {what}, the limit of this "
                     f"endpoint (MAX_ROWS); add LIMIT/OFFSET to page through it", 400)


def _too_large(job: Job) -> HttpError:
    return HttpError(f"the result is larger than {job.max_bytes} bytes, the limit of this "
                     "endpoint (MAX_RESPONSE_BYTES); select fewer or shorter values, or add "
                     "LIMIT/OFFSET to page through it", 400)


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
    return {"use_default_graph_as_union": union and not job.shape.names_dataset}


def _solutions(job: Job, result: ox.QuerySolutions) -> Answer:
    fmt = conneg.negotiate(SOLUTIONS, job.accept, job.format_names)
    if job.shape.star_order:  # SELECT *: columns in the order the query names them
        return _solutions_by_row(job, result, fmt)
    # pyoxigraph writes the rows, several times faster than building them here: first as TSV,
    # one row a line, so that they are counted against MAX_ROWS, then in the format asked for.
    # Both writes are bounded by MAX_RESPONSE_BYTES.
    tsv = _BoundedBuffer(job.max_bytes)
    result.serialize(tsv, format=ox.QueryResultsFormat.TSV)
    data = tsv.getvalue()
    if data.count(b"\n") - 1 > job.max_rows:  # the header line, then a line per row
        raise _too_many(job, "rows")
    if fmt.results == ox.QueryResultsFormat.TSV:
        return Answer(200, fmt.content_type, data)
    out = _BoundedBuffer(job.max_bytes)
    ox.parse_query_results(data, format=ox.QueryResultsFormat.TSV).serialize(
        out, format=fmt.results)
    return Answer(200, fmt.content_type, out.getvalue())


def _solutions_by_row(job: Job, result: ox.QuerySolutions, fmt: Format) -> Answer:
    """Solutions written row by row, with the columns in ``job.shape.star_order``."""
    variables = [v.value for v in result.variables]
    rank = {name: i for i, name in enumerate(job.shape.star_order or ())}
    variables.sort(key=lambda v: rank.get(v, len(rank)))
    rows = list(islice(result, job.max_rows + 1))
    if len(rows) > job.max_rows:
        raise _too_many(job, "rows")
    bindings, size = [], 0
    for row in rows:
        binding = {v: term_json(row[v]) for v in variables if row[v] is not None}
        # A cheap lower bound of the serialised size, checked before anything is written.
        size += sum(len(t.value) if not isinstance(t, ox.Triple) else len(str(t))
                    for t in row if t is not None)
        if size > job.max_bytes:
            raise _too_large(job)
        bindings.append(binding)
    doc = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return _solutions_body(job, fmt, json.dumps(doc, ensure_ascii=False).encode("utf-8"))


def _solutions_body(job: Job, fmt: Format, data: bytes) -> Answer:
    """SPARQL JSON results as ``fmt``: pyoxigraph writes the other formats."""
    if fmt.key != "json":
        parsed = ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
        out = _BoundedBuffer(job.max_bytes)
        parsed.serialize(out, format=fmt.results)
        data = out.getvalue()
    if len(data) > job.max_bytes:
        raise _too_large(job)
    return Answer(200, fmt.content_type, data)


def _graph(job: Job, result: ox.QueryTriples) -> Answer:
    fmt = conneg.negotiate(GRAPH, job.accept, job.format_names)
    triples = list(islice(result, job.max_rows + 1))
    if len(triples) > job.max_rows:
        raise _too_many(job, "triples")
    out = _BoundedBuffer(job.max_bytes)
    ox.serialize(as_rdf_items(triples, fmt.rdf), out, format=fmt.rdf)
    return Answer(200, fmt.content_type, out.getvalue())


def as_rdf_items(triples: list[ox.Triple], fmt: ox.RdfFormat) -> list[Any]:
    """Triples as ``fmt`` takes them: a dataset format takes quads (in the default graph)."""
    if fmt.supports_datasets:
        return [ox.Quad(t.subject, t.predicate, t.object) for t in triples]
    return triples


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
        result = store.query(query, base_iri=job.base_iri, prefixes=ENDPOINT_PREFIXES,
                             **_dataset_kwargs(job, union))
        if isinstance(result, ox.QueryBoolean):
            doc = {"head": {}, "boolean": bool(result)}
            fmt = conneg.negotiate(SOLUTIONS, job.accept, job.format_names)
            answer = _solutions_body(job, fmt, json.dumps(doc).encode("utf-8"))
        elif isinstance(result, ox.QuerySolutions):
            answer = _solutions(job, result)
        else:
            answer = _graph(job, result)
    except SyntaxError as err:
        return error(400, syntax.message(job.query, err, predeclared=ENDPOINT_PREFIXES))
    except HttpError as err:
        return refusal(err)
    except _TooLarge:
        return refusal(_too_large(job))
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
