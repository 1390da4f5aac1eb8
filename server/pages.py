"""The linked-data site: the home page, every /id/... IRI (HTML or RDF), the dump (the ontology
and the shapes: server/publish.py)."""

from __future__ import annotations

from urllib.parse import quote

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    current_app,
    render_template,
    request,
    send_file,
    url_for,
)

from graph.formats import BY_KEY, Format, select
from graph.iris import SYSTEM_GRAPHS
from graph.namespaces import prefix_map
from server import overview, resource_rdf
from server.article_text import marked_text
from server.conneg import NotAcceptable, choose, split_suffix
from server.errors import HttpError
from server.neighbourhood import neighbourhood
from server.places_map import places
from server.resource_rdf import ResourceRdf
from server.resources import Describer, as_iri
from server.summary import only_inferred, summary
from server.terms import Namer

bp = Blueprint("pages", __name__)
bp.add_app_template_test(only_inferred, "only_inferred")
HTML = BY_KEY["html"]
# For people first, then RDF: triples (merged graphs), then datasets (claims kept apart).
RESOURCE_FORMATS = select("html", "ttl", "jsonld", "nt", "trig", "nq")
DUMP_FORMATS = select("nq", "trig")  # the whole dataset
# What a URL path holds as it is (RFC 3986 pchar and "/"); "%" is not among them: a decoded path
# holds one only where the request had "%25".
PATH_CHARACTERS = "/:@!$&'()*+,;="


def _store() -> ox.Store:
    return current_app.extensions["kg"].store


def _base() -> str:
    return current_app.config["KG"]["BASE_IRI"]


def _prefixes(triples: list[ox.Triple] | None = None) -> dict[str, str]:
    """The project's prefixes (those ``triples`` use, when given)."""
    base = _base()
    prefixes = prefix_map(base)
    if triples is None:
        return prefixes
    iris = {t.value for tr in triples for t in tr if isinstance(t, ox.NamedNode)}
    iris |= {tr.object.datatype.value for tr in triples if isinstance(tr.object, ox.Literal)}
    return {p: ns for p, ns in prefixes.items()
            if any(i.startswith(ns) and "/" not in i[len(ns):] for i in iris)}


def _alternates(stem: str, formats: tuple[Format, ...]) -> str:
    """A Link header naming ``stem`` in each of ``formats``. The path is percent-encoded (as
    UTF-8): a header holds ASCII only, and the path is decoded request data."""
    url = quote(stem, safe=PATH_CHARACTERS)
    return ", ".join(f'<{url}.{f.key}>; rel="alternate"; type="{f.media_type}"'
                     for f in formats)


def _negotiate(formats: tuple[Format, ...], suffix_fmt: Format | None,
               stem: str) -> tuple[Format, bool]:
    """The format to answer in and whether it was chosen by Accept (so the answer varies)."""
    if suffix_fmt is not None:
        return suffix_fmt, False
    fmt = choose(formats, request.headers.get("Accept"))
    if fmt is None:
        offered = ", ".join(f.media_type for f in formats)
        raise NotAcceptable(f"Not acceptable: this resource is available as {offered}.",
                            headers={"Link": _alternates(stem, formats), "Vary": "Accept"})
    return fmt, True


# A Link header repeats the path once per format: past this length it is left out, so that a
# long request path cannot make a header that clients refuse (http.client stops at 64 KiB).
MAX_LINKED_PATH = 2000


def _finish(response: Response, stem: str, formats: tuple[Format, ...],
            negotiated: bool, *, link: bool = True) -> Response:
    if link and len(stem) <= MAX_LINKED_PATH:
        response.headers["Link"] = _alternates(stem, formats)
    if negotiated:
        response.vary.add("Accept")
    return response


@bp.get("/")
def index() -> str:
    store, base = _store(), _base()
    names = Namer(store, base)
    kg = current_app.extensions["kg"]
    figures = kg.memo("overview.counts", lambda: overview.counts(store, base))
    return render_template("index.html", counts=figures,
                           articles=overview.articles(store, names), base=base)


@bp.get("/id/<path:path>")
def resource(path: str) -> Response:
    local, suffix_fmt = split_suffix(path, RESOURCE_FORMATS)
    stem = request.script_root + "/id/" + local
    fmt, negotiated = _negotiate(RESOURCE_FORMATS, suffix_fmt, stem)
    iri = _base() + "id/" + local
    describer = Describer(_store(), _base())
    if not describer.exists(iri):
        # No alternates for what is not even an IRI (a space, a brace): they would only repeat
        # the path, four times over.
        return _finish(_not_found(describer, iri, local, fmt), stem, RESOURCE_FORMATS, negotiated,
                       link=as_iri(iri) is not None)
    if fmt is HTML:
        d = describer.describe(iri)
        text = marked_text(describer.store, describer.names, iri, d.text) if d.text else []
        graph = neighbourhood(d, _base())
        body = render_template("resource.html", d=d, summary=summary(d), text=text, stem=stem,
                               formats=RESOURCE_FORMATS[1:], graph=graph,
                               places=places(describer.store, graph["nodes"]))
        response = Response(body, content_type=fmt.content_type)
    else:
        quads = ResourceRdf(_store(), _base()).quads(iri)
        response = Response(resource_rdf.serialize(quads, fmt, _base(), stem),
                            content_type=fmt.content_type)
    return _finish(response, stem, RESOURCE_FORMATS, negotiated)


def _not_found(describer: Describer, iri: str, local: str, fmt: Format) -> Response:
    hints = describer.suggest(local)
    if fmt is HTML:
        body = render_template("not_found.html", iri=iri, hints=hints)
        return Response(body, 404, content_type=HTML.content_type)
    lines = [f"No resource <{iri}> in this dataset."]
    if hints:
        lines.append("Did you mean: " + ", ".join(f"<{t.value}> ({t.label})" for t in hints))
    lines.append("Search with SPARQL at /sparql or in the query UI at /query.")
    return Response("\n".join(lines) + "\n", 404, content_type="text/plain; charset=utf-8")


GRAPH_ABOUT = {
    "entities": "The registry: every actor, place, agreement and event with its labels, spelling "
                "variants and Wikidata link.",
    "provenance": "Who says so: the articles, their verbatim text, and for every claim its "
                  "article, attribution and evidence span.",
    "ontology": "The OWL ontology and its import module.",
    "inferred": "What OWL 2 RL reasoning adds: types, super-properties, inverses, transitive "
                "closure.",
    "conflicts": "Conflict and variance sets: where the sources give different values.",
    "wikidata": "Facts cached from Wikidata by `kg wikidata fetch`, for offline joins.",
}


GRAPH_PAGES = {"conflicts": "conflicts.conflicts"}


@bp.get("/graph/<path:path>")
def named_graph(path: str) -> Response:
    """A system graph's IRI dereferences: a short HTML page, or the graph's triples as RDF."""
    name, suffix_fmt = split_suffix(path, RESOURCE_FORMATS)
    if name not in SYSTEM_GRAPHS:
        raise HttpError(f"No graph /graph/{name}: the system graphs are "
                        f"{', '.join(sorted(SYSTEM_GRAPHS))}.", 404)
    stem = request.script_root + "/graph/" + name
    fmt, negotiated = _negotiate(RESOURCE_FORMATS, suffix_fmt, stem)
    if fmt is HTML and name in GRAPH_PAGES:  # a page of its own shows what the graph holds
        moved = Response(status=303, headers={"Location": url_for(GRAPH_PAGES[name])})
        return _finish(moved, stem, RESOURCE_FORMATS, negotiated)
    iri = _base() + "graph/" + name
    quads = list(_store().quads_for_pattern(None, None, None, ox.NamedNode(iri)))
    triples = sorted((q.triple for q in quads), key=str)
    if fmt is HTML:
        body = render_template("graph.html", name=name, iri=iri, stem=stem,
                               about=GRAPH_ABOUT[name], triples=len(triples),
                               formats=RESOURCE_FORMATS[1:])
        response = Response(body, content_type=fmt.content_type)
    else:  # a dataset format keeps the graph's name
        items = sorted(quads, key=str) if fmt.rdf.supports_datasets else triples
        data = ox.serialize(items, format=fmt.rdf, prefixes=_prefixes(triples))
        response = Response(data, content_type=fmt.content_type)
    return _finish(response, stem, RESOURCE_FORMATS, negotiated)


def _suffix_format(formats: tuple[Format, ...], suffix: str | None) -> Format | None:
    """The format a URL suffix names (None without one); an unknown suffix is a 404."""
    if suffix is None:
        return None
    fmt = next((f for f in formats if f.key == suffix), None)
    if fmt is None:
        raise HttpError(f"No format .{suffix} here: this is available as "
                        f"{', '.join('.' + f.key for f in formats)}.", 404)
    return fmt


@bp.get("/dump")
@bp.get("/dump.<suffix>")
def dump(suffix: str | None = None) -> Response:
    stem = request.script_root + "/dump"
    suffix_fmt = _suffix_format(DUMP_FORMATS, suffix)
    fmt, negotiated = _negotiate(DUMP_FORMATS, suffix_fmt, stem)
    loaded = current_app.extensions["kg"].path
    if loaded.suffix == "." + fmt.key:  # the artifact itself, byte for byte
        response = send_file(loaded.resolve(), mimetype=fmt.media_type, max_age=0)
        response.content_type = fmt.content_type
    else:  # re-serialised from the file, not the store (which normalises e.g. integer types)
        quads = ox.parse(path=str(loaded), format=current_app.extensions["kg"].format.rdf)
        prefixes = _prefixes() if fmt.key == "trig" else None
        response = Response(ox.serialize(quads, format=fmt.rdf, prefixes=prefixes),
                            content_type=fmt.content_type)
    response.headers["Content-Disposition"] = f'attachment; filename="karabakh-kg.{fmt.key}"'
    return _finish(response, stem, DUMP_FORMATS, negotiated)
