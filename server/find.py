"""Ways in without knowing an IRI: /search (ranked full text, HTML or JSON) and /search/suggest
(label prefixes as you type), over the index `kg build` writes."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from graph.formats import BY_KEY
from server.conneg import choose
from server.errors import HttpError
from server.search import SearchIndex, words_of
from server.terms import Namer

bp = Blueprint("find", __name__)
HTML, JSON = BY_KEY["html"], BY_KEY["json"]
DEFAULT_RESULTS, MAX_RESULTS = 20, 100
SUGGESTIONS = 8


def _index() -> SearchIndex:
    index = current_app.extensions.get("kg_search")
    if index is None:
        raise HttpError("Search is not available: there is no search index (search.sqlite) "
                        "beside the data; `kg build` makes it.", 503)
    return index


def _words() -> list[str]:
    try:
        return words_of(request.args.get("q", ""))
    except ValueError as err:
        raise HttpError(f"Bad q: {err}", 400) from None


def _limit() -> int:
    raw = request.args.get("limit", str(DEFAULT_RESULTS))
    if not raw.isdigit() or not 1 <= int(raw) <= MAX_RESULTS:
        raise HttpError(f"Bad limit {raw[:20]!r}: a whole number from 1 to {MAX_RESULTS}.", 400)
    return int(raw)


def _href(names: Namer, iri: str) -> str:
    return request.script_root + (names.href(iri) or "")


def _wants_json() -> bool:
    fmt = request.args.get("format")
    if fmt is not None:
        if fmt not in ("html", "json"):
            raise HttpError(f"Bad format {fmt[:20]!r}: html or json.", 400)
        return fmt == "json"
    return choose((HTML, JSON), request.headers.get("Accept")) is JSON


@bp.get("/search")
def search() -> Response:
    as_json = _wants_json()
    text = request.args.get("q", "")
    words, limit = _words(), _limit()
    hits, every_word = _index().search(words, limit)
    names = Namer(current_app.extensions["kg"].store, current_app.config["KG"]["BASE_IRI"])
    if as_json:
        response = jsonify({"query": text, "every_word": every_word, "results": [
            {"iri": h.iri, "label": h.label, "type": h.type, "snippet": h.snippet_text,
             "score": h.score, "href": _href(names, h.iri)} for h in hits]})
    else:
        body = render_template("search.html", q=text, words=words, hits=hits, limit=limit,
                               every_word=every_word,
                               hrefs={h.iri: _href(names, h.iri) for h in hits})
        response = Response(body, content_type=HTML.content_type)
    response.vary.add("Accept")
    return response


@bp.get("/search/suggest")
def suggest() -> Response:
    """JSON: up to 8 resources whose labels start with the words typed so far."""
    words = _words()
    names = Namer(current_app.extensions["kg"].store, current_app.config["KG"]["BASE_IRI"])
    found = _index().suggest(words, SUGGESTIONS)
    return jsonify({"query": request.args.get("q", ""), "suggestions": [
        {"iri": s.iri, "label": s.label, "match": s.match, "type": s.type,
         "href": _href(names, s.iri)} for s in found]})
