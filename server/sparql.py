"""The SPARQL 1.1 Protocol endpoint (/sparql; updates only if WRITABLE) and the VoID description."""

from __future__ import annotations

from typing import Any

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, request

from graph.formats import GRAPH, SOLUTIONS
from server import conneg, describe, federation, update
from server.errors import HttpError
from server.http_cache import preflight
from server.lexer import analyse
from server.protocol import QueryRequest, UpdateRequest, parse_request
from server.result_cache import ResultCache
from server.results import Answer, Job, as_rdf_items, evaluate
from server.store import KGStore

bp = Blueprint("sparql", __name__)
ALLOWED_METHODS = "GET, HEAD, POST, OPTIONS"
ALL_METHODS = ["GET", "HEAD", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"]


def text_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    return Response(message + "\n", status=status, headers=headers,
                    content_type="text/plain; charset=utf-8")


@bp.app_errorhandler(HttpError)
def refused(err: HttpError) -> Response:
    """Every refusal of every route: its status, its message as plain text, its headers."""
    headers = dict(err.headers)
    if err.status == 405:
        headers["Allow"] = ALLOWED_METHODS
    if err.status >= 500:
        current_app.logger.error("HTTP %s: %s", err.status, err.message)
    return text_response(err.status, err.message, headers)


def _answer(answer: Answer) -> Response:
    if answer.status == 503:
        current_app.logger.warning("HTTP 503 for query %r: %s", answer.query,
                                   answer.body.decode("utf-8", "replace"))
    elif answer.status >= 500:
        current_app.logger.error("HTTP %s for query %r: %s", answer.status, answer.query,
                                 answer.body.decode("utf-8", "replace"))
    return Response(answer.body, status=answer.status, content_type=answer.content_type,
                    headers=answer.headers)


@bp.after_request
def varies(response: Response) -> Response:
    """Every answer of the endpoint depends on Accept (the format of the result)."""
    response.vary.add("Accept")
    return response


def _rdf(triples: list, fmt_names: str | list[str] | None, as_text: bool = False) -> Response:
    """Serialise a description graph in the negotiated RDF format."""
    fmt = conneg.negotiate(GRAPH, request.headers.get("Accept"), fmt_names)
    prefixes = None if fmt.rdf.supports_datasets else describe.PREFIXES
    body = ox.serialize(as_rdf_items(triples, fmt.rdf), format=fmt.rdf, prefixes=prefixes)
    return Response(body, content_type="text/plain; charset=utf-8" if as_text else
                    fmt.content_type)


def _job(parsed: QueryRequest, settings: dict[str, Any]) -> Job:
    accept = request.headers.get("Accept")
    # The result's kind is known only once the query runs; refuse now what fits neither kind.
    errors: list[HttpError] = []
    for kind in (SOLUTIONS, GRAPH):
        try:
            conneg.negotiate(kind, accept, parsed.formats)
        except HttpError as err:
            errors.append(err)
    if len(errors) == 2:
        raise errors[0]  # the kind a client most likely meant: solutions
    return Job(query=parsed.query, shape=analyse(parsed.query), accept=accept,
               format_names=parsed.formats, default_graphs=parsed.default_graphs,
               named_graphs=parsed.named_graphs, max_rows=settings["MAX_ROWS"],
               max_bytes=settings["MAX_RESPONSE_BYTES"],
               service_allowlist=list(settings["SERVICE_ALLOWLIST"]), base_iri=request.base_url)


@bp.route("/sparql", methods=ALL_METHODS)
def sparql() -> Response:
    """SPARQL 1.1 Protocol: GET, POST form and POST direct queries; updates only if WRITABLE."""
    settings = current_app.config["KG"]
    if request.method == "OPTIONS":
        return preflight()
    kg: KGStore = current_app.extensions["kg"]
    parsed = parse_request(request, settings["MAX_QUERY_BYTES"], settings["WRITABLE"])
    if isinstance(parsed, UpdateRequest):
        update.execute(kg, parsed, request.base_url)
        return Response(status=204)
    if parsed is None:
        triples = describe.service_description(
            kg, request.base_url, settings["BASE_IRI"], bool(settings["SERVICE_ALLOWLIST"]),
            writable=settings["WRITABLE"])
        fmt = request.args.getlist("format")
        # A browser (HTML preferred) gets the Turtle as text it shows; RDF clients get RDF.
        html = conneg.prefers_html(GRAPH, request.headers.get("Accept")) and not fmt
        return _rdf(triples, "ttl" if html else fmt, as_text=html)
    job = _job(parsed, settings)
    cache: ResultCache | None = current_app.extensions.get("kg_result_cache")
    answer = cache.get(job) if cache is not None else None
    if answer is None:
        answer = run(job, settings)
        if cache is not None:
            cache.put(job, answer)
    return _answer(answer)


def run(job: Job, settings: dict[str, Any]) -> Answer:
    """Evaluate a job in a worker process (or in process when WORKERS is 0).

    Remote SERVICE calls are made here, in the web process: the workers have no network.
    """
    def fetch(calls: list[federation.Request], seconds_left: float) -> list[federation.Reply]:
        timeout = max(0.1, min(float(settings["SERVICE_TIMEOUT"]), seconds_left))
        return federation.fetch(calls, dict(settings["SERVICE_MAP"]), timeout,
                                settings["MAX_RESPONSE_BYTES"])

    pool = current_app.extensions.get("kg_workers")
    if pool is None:
        kg: KGStore = current_app.extensions["kg"]
        return evaluate(kg.store, kg.union, job,
                        lambda calls: fetch(calls, float(settings["SERVICE_TIMEOUT"])))
    return pool.run(job, float(settings["QUERY_TIMEOUT"]), client=request.remote_addr or "",
                    fetch=fetch)


@bp.route("/.well-known/void", methods=["GET", "HEAD", "OPTIONS"])
@bp.route("/dataset", methods=["GET", "HEAD", "OPTIONS"])
@bp.route("/dataset/<any(claims, 'wikidata-links'):part>", methods=["GET", "HEAD", "OPTIONS"])
def void(part: str | None = None) -> Response:
    """The VoID description of the dataset, also at its IRI and its subsets' (``/dataset…``,
    under the base IRI mapped onto this host): they are described in it."""
    if request.method == "OPTIONS":
        return preflight()
    settings = current_app.config["KG"]
    triples = describe.void_description(current_app.extensions["kg"], request.host_url,
                                        settings["BASE_IRI"])
    return _rdf(triples, request.args.getlist("format"))
