"""HTTP for caches and browsers on every read-only route: CORS, compression, ETag / 304 and
Cache-Control, in one before_request and one after_request hook.

The served dataset is immutable while the server runs, so a response is a function of the
build, the code and the request: its ETag is a hash of those (the *identity*, hashed once at
start-up from the bytes served) and of what the request says (URL, Accept when the response
varies on it, the body of a SPARQL query POST). Two replicas on the same build answer with the
same ETags, and a matching ``If-None-Match`` is answered with 304 before the route runs (no query
is evaluated). ETags are strong; a compressed body has its own (``"tag:gzip"``, as flask-compress
writes it). Writable (scratch) servers and queries that call a SERVICE answer without ETags: their
answers can change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from flask import Flask, Response, current_app, g, request
from flask_compress import Compress
from flask_compress.flask_compress import _choose_algorithm

from graph import __version__
from graph.formats import FORMATS
from graph.search_index import INDEX_FILE
from server.errors import HttpError
from server.protocol import FORM, QUERY
from server.service_plan import mentions_service

# Endpoints whose answers are SPARQL queries (POST allowed) and the methods a preflight may ask.
SPARQL_ENDPOINT = "sparql.sparql"
READ_METHODS = "GET, HEAD, OPTIONS"
SPARQL_METHODS = "GET, HEAD, POST, OPTIONS"
# Headers a script may read from a cross-origin answer, beyond the safelisted ones.
EXPOSED = "ETag, Link, Content-Disposition, Vary"
# Static assets are linked with ?v=<version>: such a URL never changes content.
STATIC_ENDPOINTS = ("static", "ui.yasgui_asset")
IMMUTABLE = "public, max-age=31536000, immutable"
# Settings that do not change any answer's bytes (where things are, how many threads, ...):
# everything else is part of the identity. Paths are replaced by the content they point at.
NOT_IN_IDENTITY = {"HOST", "PORT", "THREADS", "CONNECTION_LIMIT", "IDLE_TIMEOUT", "WORKERS",
                   "QUERY_TIMEOUT", "QUERY_MEMORY", "WORKER_MEMORY", "DATA", "BUILD_DIR",
                   "SEEDS_DIR", "ONTOLOGY_DIR", "QUERIES_DIR", "WIKIDATA_ENDPOINT", "SERVICE_MAP",
                   "SERVICE_TIMEOUT",
                   # Where the build is queried (see identity): replicas may use their own.
                   "STORE", "STORE_QUERY_PATH", "STORE_DATA_PATH"}
ALGORITHMS = ["br", "gzip"]
MIN_SIZE = 500  # bytes; below it compression saves too little to be worth a round of it
SERVER_DIR = Path(__file__).resolve().parent
GRAPH_DIR = SERVER_DIR.parent / "graph"


def _files(folder: Path, patterns: Iterable[str]) -> list[Path]:
    return sorted(p for pattern in patterns for p in folder.glob(pattern)
                  if p.is_file() and "__pycache__" not in p.parts)


def identity(settings: dict[str, Any], data: Path, extra: Iterable[Path] = ()) -> str:
    """A hash of everything an answer is made of: the loaded data file, the files served from
    the build and the ontology folder, the example queries, the code and templates, and the
    settings that change answers. Same build, code and settings: same identity, on any host."""
    digest = hashlib.sha256(f"karabakh-kg {__version__}\n".encode())
    for name in sorted(settings):
        if name not in NOT_IN_IDENTITY:
            digest.update(f"{name}={settings[name]!r}\n".encode())
    # Not where, but whether, a remote engine answers: pages list some rows in engine order.
    digest.update(f"remote store={bool(settings.get('STORE'))}\n".encode())
    build, ontology = Path(settings["BUILD_DIR"]), Path(settings["ONTOLOGY_DIR"])
    queries = Path(settings["QUERIES_DIR"]) / "examples"
    named = [("data", data), ("search", data.parent / INDEX_FILE),
             ("build/ontology.html", build / "ontology.html")]
    named += [(f"ontology/{p.name}", p) for p in _files(ontology, ["*.ttl"])]
    named += [(f"queries/{p.name}", p) for p in _files(queries, ["*.rq"])]
    named += [(f"server/{p.relative_to(SERVER_DIR)}", p)
              for p in _files(SERVER_DIR, ["**/*.py", "templates/**/*", "static/**/*"])]
    named += [(f"graph/{p.relative_to(GRAPH_DIR)}", p) for p in _files(GRAPH_DIR, ["**/*.py"])]
    named += [(f"asset/{p.name}", p) for p in extra]
    for name, path in named:
        if path.is_file():
            digest.update(f"{name}\n".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def init_app(app: Flask, version: str) -> None:
    """Install compression and the two hooks; ``version`` is ``identity(...)``."""
    app.config["KG_VERSION"] = version
    app.config.update(
        COMPRESS_REGISTER=False,  # called from our own after_request, after the ETag is set
        COMPRESS_ALGORITHM=ALGORITHMS,
        COMPRESS_MIN_SIZE=MIN_SIZE,
        COMPRESS_STREAMS=False,
        COMPRESS_MIMETYPES=sorted({"text/html", "text/css", "text/plain", "text/javascript",
                                   "application/javascript", "application/json",
                                   "image/svg+xml", *(f.media_type for f in FORMATS)}),
    )
    compress = Compress(app)
    app.extensions["kg_compress"] = compress
    app.before_request(_before)
    app.after_request(_after)
    app.url_defaults(_versioned_static)


def _versioned_static(endpoint: str, values: dict[str, Any]) -> None:
    """Links to static assets carry the version, so that they can be cached for good."""
    if endpoint in STATIC_ENDPOINTS:
        values.setdefault("v", current_app.config["KG_VERSION"][:16])


def _cacheable() -> bool:
    """Whether this request reads (a GET/HEAD of a route, a SPARQL query POST) an answer that
    only the build decides; writable servers and SERVICE calls are never cached."""
    settings = current_app.config["KG"]
    if settings["WRITABLE"] or request.endpoint is None:
        return False
    if request.method not in ("GET", "HEAD", "POST"):
        return False
    if request.endpoint != SPARQL_ENDPOINT:
        return request.method != "POST"
    if request.method == "POST":
        length = request.content_length
        if length is None or length > settings["MAX_QUERY_BYTES"]:
            return False  # the route refuses it (413) or there is nothing to key on
        # Read (and keep) the raw body first: the ETag hashes it, and the form is parsed from
        # the kept copy (parsing first would leave nothing to hash).
        request.get_data(cache=True, parse_form_data=False)
        if request.mimetype == FORM:
            if "update" in request.form:
                return False
        elif request.mimetype != QUERY:
            return False
    texts = request.args.getlist("query")
    if request.method == "POST":  # the body's size was checked above
        texts += (request.form.getlist("query") if request.mimetype == FORM
                  else [request.get_data(cache=True).decode("utf-8", "replace")])
    return not any(mentions_service(t) for t in texts)


def _tags() -> tuple[str, str]:
    """The entity tags of this request's answer (before any content coding): with Accept, for
    an answer that varies on it, and without."""
    digest = hashlib.sha256(current_app.config["KG_VERSION"].encode())
    parts = ["GET" if request.method == "HEAD" else request.method, request.url]
    if request.method == "POST":
        parts.append(request.content_type or "")
    for part in parts:
        digest.update(part.encode("utf-8", "surrogateescape") + b"\0")
    if request.method == "POST":  # length first: body and Accept cannot run into each other
        body = request.get_data(cache=True)
        digest.update(len(body).to_bytes(8, "big") + body)
    with_accept = digest.copy()
    with_accept.update(b"Accept:" + request.headers.get("Accept", "").encode(
        "utf-8", "surrogateescape"))  # the marker: even an empty Accept gives another tag
    return with_accept.hexdigest()[:32], digest.hexdigest()[:32]


def _coding() -> str | None:
    """The content coding flask-compress will choose for this client (by its own reading of
    Accept-Encoding), or None; never one the client refuses (q=0), which it would pick when
    that is the only one named."""
    chosen = _choose_algorithm(tuple(ALGORITHMS), request.headers.get("Accept-Encoding", ""))
    return chosen if chosen is not None and request.accept_encodings[chosen] > 0 else None


def _encodings() -> list[str]:
    """The content codings an answer to this client may have (``""``: none, which a small or
    binary answer has whatever the client accepts)."""
    chosen = _coding()
    return ([chosen] if chosen else []) + [""]


def _before() -> Response | None:
    if request.method == "OPTIONS" and request.endpoint is not None \
            and "Access-Control-Request-Method" in request.headers:
        return preflight()
    g.kg_tags = None
    if not _cacheable():
        return None
    g.kg_tags = _tags()
    wanted = request.if_none_match
    # Conditions are ours to answer: a view (send_file) would compare its own per-file tag
    # and time, which are neither this tag nor the same on every replica.
    for name in ("HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE"):
        request.environ.pop(name, None)
    g.kg_star = wanted.star_tag
    if not wanted or wanted.star_tag:  # "*": whether there is an answer, the route will tell
        return None
    for tag, with_accept in zip(g.kg_tags, (True, False), strict=True):
        for coding in _encodings():
            coded = f"{tag}:{coding}" if coding else tag
            if wanted.contains_weak(coded):
                if request.method == "POST":  # RFC 9110 13.1.2: 304 is for GET and HEAD only
                    raise HttpError("precondition failed: If-None-Match names the current "
                                    "answer to this query, so it is not sent again", 412)
                response = Response(status=304)
                response.set_etag(coded)
                g.kg_not_modified = with_accept
                return response
    return None


def preflight() -> Response:
    """The answer to a CORS preflight (and to OPTIONS on the endpoint): what may be sent."""
    methods = SPARQL_METHODS if request.endpoint == SPARQL_ENDPOINT else READ_METHODS
    response = Response(status=204)
    response.headers["Access-Control-Allow-Methods"] = methods
    response.headers["Access-Control-Allow-Headers"] = request.headers.get(
        "Access-Control-Request-Headers", "Accept, Content-Type")
    response.headers["Access-Control-Max-Age"] = "86400"
    response.headers["Allow"] = methods
    return response


def _cache_control() -> str:
    if request.endpoint in STATIC_ENDPOINTS and \
            request.args.get("v") == current_app.config["KG_VERSION"][:16]:
        return IMMUTABLE
    return f"public, max-age={current_app.config['KG']['CACHE_MAX_AGE']}"


def _after(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = EXPOSED
    tags = getattr(g, "kg_tags", None)
    not_modified = getattr(g, "kg_not_modified", None)
    if not_modified is not None:  # our own 304: the headers the 200 would have had
        response.headers["Cache-Control"] = _cache_control()
        response.vary.update(["Accept", "Accept-Encoding"] if not_modified else
                             ["Accept-Encoding"])
        return response
    response.headers.pop("ETag", None)  # only ours: send_file's are per file, not per build
    response.headers.pop("Last-Modified", None)  # differs between replicas; the ETag validates
    if response.status_code != 200:
        return response
    if tags is not None:  # an answer only the build decides: tagged and cacheable
        varies = "accept" in {v.lower() for v in response.vary}
        response.set_etag(tags[0] if varies else tags[1])
        response.headers["Cache-Control"] = _cache_control()
    if response.direct_passthrough:  # a file: read it, so that it can be compressed whole
        response.direct_passthrough = False
        response.set_data(response.get_data())
    if _coding() is None:
        response.vary.add("Accept-Encoding")
        compressed = response
    else:
        compressed = current_app.extensions["kg_compress"].after_request(response)
    if compressed.status_code == 200 and compressed.headers.get("Content-Encoding") == "gzip":
        # gzip writes the time into its header: zero it (RFC 1952: "no time stamp"), so that
        # the same answer is the same bytes, as its strong ETag promises, on every replica.
        data = compressed.get_data()
        compressed.set_data(data[:4] + bytes(4) + data[8:])
    if tags is not None and g.kg_star and request.method in ("GET", "HEAD"):
        # "If-None-Match: *" matches any current answer, and there is one
        return _not_modified(compressed)
    return compressed


def _not_modified(response: Response) -> Response:
    """The 304 for ``response``: its headers but those of the body (RFC 9110 15.4.5)."""
    kept = [(k, v) for k, v in response.headers.items()
            if not k.lower().startswith("content-") or k.lower() == "content-location"]
    return Response(status=304, headers=kept)
