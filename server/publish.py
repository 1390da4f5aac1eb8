"""Ontology publishing: the ontology, its import module and the SHACL shapes at their IRIs and
version IRIs on this host, as HTML (pyLODE for the ontology, a table for the shapes) or any RDF
syntax of the format table (RDF/XML for Protégé)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, render_template, request, send_file

from graph.formats import BY_KEY, Format, select
from graph.namespaces import OWL
from graph.query import as_bytes
from server import shapes_doc
from server.conneg import split_suffix
from server.errors import HttpError
from server.pages import _finish, _negotiate, _prefixes, _store, _suffix_format

bp = Blueprint("publish", __name__)
HTML = BY_KEY["html"]
RDF_FORMATS = select("ttl", "rdfxml", "jsonld", "nt")
OWL_ONTOLOGY = ox.NamedNode(str(OWL.Ontology))
VERSION_IRI = ox.NamedNode(str(OWL.versionIRI))


@dataclass(frozen=True)
class Document:
    """A published document: its path under the base IRI, its file in ONTOLOGY_DIR, and whether
    it has an HTML page besides the RDF."""

    name: str
    file: str
    html: bool

    @property
    def formats(self) -> tuple[Format, ...]:
        return (HTML, *RDF_FORMATS) if self.html else RDF_FORMATS


ONTOLOGY = Document("ontology", "kg.ttl", html=True)
DOCUMENTS = (ONTOLOGY, Document("ontology/imports", "imports.ttl", html=False),
             Document("shapes", "shapes.ttl", html=True))


def _source(doc: Document) -> Path:
    return Path(current_app.config["KG"]["ONTOLOGY_DIR"]) / doc.file


def _turtle(doc: Document) -> bytes | None:
    """The hand-edited file; for the ontology without it, the ontology graph of the dataset."""
    source = _source(doc)
    if source.is_file():
        return source.read_bytes()
    if doc is not ONTOLOGY:
        return None
    graph = ox.NamedNode(current_app.config["KG"]["BASE_IRI"] + "graph/ontology")
    triples = sorted((q.triple for q in _store().quads_for_pattern(None, None, None, graph)),
                     key=str)
    return as_bytes(ox.serialize(triples, format=ox.RdfFormat.TURTLE,
                                 prefixes=_prefixes(triples)))


def _rdf(doc: Document, fmt: Format) -> bytes | None:
    """The document in ``fmt``, made once per server (the files do not change while served)."""
    cache: dict[tuple[str, str], bytes | None] = current_app.extensions.setdefault(
        "kg_published", {})
    key = (doc.name, fmt.key)
    if key not in cache:
        turtle = _turtle(doc)
        if turtle is None or fmt.key == "ttl":
            cache[key] = turtle
        else:
            triples = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
            prefixes = None if fmt.key == "nt" else _prefixes(triples)
            cache[key] = as_bytes(ox.serialize(triples, format=fmt.rdf, prefixes=prefixes))
    return cache[key]


def _versions() -> dict[str, Document]:
    """Each document by its path and by its version IRI's path (``ontology/0.2.0``)."""
    base = current_app.config["KG"]["BASE_IRI"]
    paths = {doc.name: doc for doc in DOCUMENTS}
    for doc in DOCUMENTS:
        turtle = _rdf(doc, BY_KEY["ttl"])
        if turtle is None:
            continue
        store = ox.Store()
        store.load(turtle, format=ox.RdfFormat.TURTLE)
        for quad in store.quads_for_pattern(ox.NamedNode(base + doc.name), VERSION_IRI, None):
            if isinstance(quad.object, ox.NamedNode) and quad.object.value.startswith(base):
                paths[quad.object.value[len(base):]] = doc
    return paths


@bp.get("/ontology")
@bp.get("/ontology.<suffix>")
def ontology(suffix: str | None = None) -> Response:
    return _answer(ONTOLOGY, "ontology", suffix)


@bp.get("/shapes")
@bp.get("/shapes.<suffix>")
def shapes(suffix: str | None = None) -> Response:
    return _answer(DOCUMENTS[2], "shapes", suffix)


@bp.get("/ontology/<path:path>")
def version(path: str) -> Response:
    """The import module and the version IRIs: ``/ontology/imports``, ``/ontology/0.2.0``."""
    name, fmt = split_suffix(path, (HTML, *RDF_FORMATS))  # a version's dots are no suffix
    suffix = fmt.key if fmt is not None else None
    versions = _versions()
    doc = versions.get("ontology/" + name)
    if doc is None:
        known = ", ".join(f"/{p}" for p in sorted(versions))
        raise HttpError(f"No ontology document /ontology/{name}: published here are {known}.",
                        404)
    return _answer(doc, "ontology/" + name, suffix)


def _answer(doc: Document, path: str, suffix: str | None) -> Response:
    stem = request.script_root + "/" + path
    fmt, negotiated = _negotiate(doc.formats, _suffix_format(doc.formats, suffix), stem)
    if fmt is HTML:
        response = _html(doc, stem)
    else:
        body = _rdf(doc, fmt)
        if body is None:
            raise HttpError(f"{_source(doc)} is not there: nothing to publish at /{path}.", 404)
        response = Response(body, content_type=fmt.content_type)
    return _finish(response, stem, doc.formats, negotiated)


def _html(doc: Document, stem: str) -> Response:
    if doc is ONTOLOGY:
        html = Path(current_app.config["KG"]["BUILD_DIR"]) / "ontology.html"
        if html.is_file():
            return send_file(html.resolve(), mimetype="text/html", max_age=0)
        body = render_template("missing.html", what="The ontology documentation",
                               path=str(html), alternative=stem + ".ttl")
        return Response(body, 404, content_type=HTML.content_type)
    turtle = _rdf(doc, BY_KEY["ttl"])
    if turtle is None:
        raise HttpError(f"{_source(doc)} is not there: no shapes to show.", 404)
    return Response(render_template("shapes.html", doc=shapes_doc.read(turtle), stem=stem,
                                    formats=RDF_FORMATS),
                    content_type=HTML.content_type)

