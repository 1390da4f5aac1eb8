"""SPARQL 1.1 Protocol request parsing: which query or update, which dataset, or which error."""

from __future__ import annotations

from dataclasses import dataclass, field

from pyoxigraph import NamedNode
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Request

from server.errors import HttpError

FORM = "application/x-www-form-urlencoded"
QUERY = "application/sparql-query"
UPDATE = "application/sparql-update"
DATASET_PARAMS = ("default-graph-uri", "named-graph-uri")
USING_PARAMS = ("using-graph-uri", "using-named-graph-uri")
READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"
MAX_DEPTH = 128  # nested { ( [ in a query or update; real queries stay far below
# Parameters a browser or client may add that do not change the query.
HARMLESS_PARAMS = ("format",)


class ProtocolError(HttpError):
    """A request the protocol refuses, with the HTTP status to answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message, status)


@dataclass
class QueryRequest:
    """A parsed query request: the query text and the protocol's dataset, if any."""

    query: str
    default_graphs: list[str] = field(default_factory=list)
    named_graphs: list[str] = field(default_factory=list)
    formats: list[str] = field(default_factory=list)

    @property
    def has_dataset(self) -> bool:
        return bool(self.default_graphs or self.named_graphs)


@dataclass
class UpdateRequest:
    """A parsed update request (writable mode only): the update and its protocol dataset."""

    update: str
    using_graphs: list[str] = field(default_factory=list)
    using_named_graphs: list[str] = field(default_factory=list)


def check_depth(text: str, what: str, limit: int = MAX_DEPTH) -> None:
    """Refuse (400) text nested deeper than ``limit`` brackets, before any parser sees it.

    The parsers recurse once per level and a few thousand levels overflow their stack. Brackets
    inside strings and comments count too: the bound only ever errs on the side of refusing.
    """
    depth = deepest = 0
    for char in text:
        if char in "{([":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "})]":
            depth -= 1
    if deepest > limit:
        raise ProtocolError(400, f"{what} nested too deeply: {deepest} levels of brackets, "
                                 f"the limit is {limit}")


def _media_type(request: Request) -> str:
    return (request.mimetype or "").lower()


def _single(params: MultiDict, name: str) -> str | None:
    values = params.getlist(name)
    if len(values) > 1:
        raise ProtocolError(400, f"the {name!r} parameter is given {len(values)} times; "
                                 "give it at most once")
    return values[0] if values else None


def _check_size(max_bytes: int, size: int | None, what: str) -> None:
    if size is not None and size > max_bytes:
        raise ProtocolError(413, f"{what} is {size} bytes; the limit is {max_bytes} bytes "
                                 "(MAX_QUERY_BYTES)")


def _body_text(request: Request) -> str:
    charset = request.mimetype_params.get("charset", "utf-8")
    if charset.lower() not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"a SPARQL query or update must be sent as UTF-8, "
                                 f"not charset={charset}")
    try:
        return request.get_data(cache=True).decode("utf-8")
    except UnicodeDecodeError as err:
        raise ProtocolError(400, f"the request body is not valid UTF-8: {err}") from None


def parse_request(request: Request, max_bytes: int,
                  writable: bool = False) -> QueryRequest | UpdateRequest | None:
    """Parse a GET or POST protocol request; None means a GET asking for the service description.

    Raises ProtocolError: 400 bad parameters, 403 updates (unless ``writable``), 405 other
    methods, 413 too large, 415 unsupported POST body.
    """
    if request.method not in ("GET", "HEAD", "POST"):
        raise ProtocolError(405, f"method {request.method} is not allowed: use GET or POST")
    _check_size(max_bytes, request.content_length, "the request body")
    _check_size(max_bytes, len(request.query_string), "the query string")
    url_params = request.args
    if request.method in ("GET", "HEAD"):
        params: MultiDict = url_params
    else:
        media_type = _media_type(request)
        if media_type == UPDATE:
            if not writable:
                raise ProtocolError(403, READ_ONLY)
            if "query" in url_params or "update" in url_params:
                raise ProtocolError(400, "a direct POST carries the update in the body; "
                                         "do not also give 'query' or 'update' in the URL")
            params = MultiDict(url_params)
            params.add("update", _body_text(request))
        elif media_type == FORM:
            params = MultiDict(url_params)
            # Decoding the form is skipped if the body is too large; size was checked above.
            for key, values in request.form.lists():
                for value in values:
                    params.add(key, value)
        elif media_type == QUERY:
            if "query" in url_params or "update" in url_params:
                raise ProtocolError(400, "a direct POST carries the query in the body; "
                                         "do not also give 'query' or 'update' in the URL")
            params = MultiDict(url_params)
            params.add("query", _body_text(request))
        else:
            shown = media_type or "none"
            raise ProtocolError(415, f"unsupported request body type {shown!r}: POST the query "
                                     f"as {FORM} (query=...) or as {QUERY}")
    if "update" in params:
        if not writable:
            raise ProtocolError(403, READ_ONLY)
        return _update_request(request, params, max_bytes)
    query = _single(params, "query")
    formats = params.getlist("format")
    if query is None:
        others = [k for k in params if k not in HARMLESS_PARAMS]
        if request.method == "POST" or others:
            raise ProtocolError(400, "missing the 'query' parameter" +
                                (f" (got {', '.join(sorted(others))})" if others else ""))
        return None
    _check_size(max_bytes, len(query.encode("utf-8")), "the query")
    check_depth(query, "query")
    return QueryRequest(query=query, default_graphs=_graph_iris(params, "default-graph-uri"),
                        named_graphs=_graph_iris(params, "named-graph-uri"), formats=formats)


def _update_request(request: Request, params: MultiDict, max_bytes: int) -> UpdateRequest:
    """The update operation: POST only, one ``update``, no ``query``, only the USING dataset."""
    if request.method != "POST":
        raise ProtocolError(400, "an update must be sent with POST (form 'update=' or "
                                 f"{UPDATE}); GET only queries")
    if "query" in params:
        raise ProtocolError(400, "give either 'query' or 'update', not both")
    update = _single(params, "update") or ""
    for name in DATASET_PARAMS:
        if name in params:
            raise ProtocolError(400, f"{name} sets the dataset of a query; an update's is set "
                                     "with using-graph-uri / using-named-graph-uri")
    _check_size(max_bytes, len(update.encode("utf-8")), "the update")
    check_depth(update, "update")
    return UpdateRequest(update=update, using_graphs=_graph_iris(params, USING_PARAMS[0]),
                         using_named_graphs=_graph_iris(params, USING_PARAMS[1]))


def _graph_iris(params: MultiDict, name: str) -> list[str]:
    iris = params.getlist(name)
    for iri in iris:
        try:
            NamedNode(iri)
        except ValueError as err:
            raise ProtocolError(400, f"{name}={iri!r} is not an absolute IRI: {err}") from None
    return iris
