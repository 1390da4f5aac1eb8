"""Browse without knowing an IRI: /id/ lists the kinds of resource (the first segment of their
IRIs, /id/person/...) with counts and classes; /id/{kind}/ lists one kind's resources, labelled
and paginated."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, current_app, render_template, request

from graph.namespaces import VOCABULARY
from graph.query import Substitutions, solutions
from server.errors import HttpError
from server.terms import Namer, Term, natural

bp = Blueprint("browse", __name__)
PAGE_SIZE = 100
# Every resource named under id/ (?prefix) and its asserted classes (not the inferred ones).
SUBJECTS = """
SELECT DISTINCT ?prefix ?inferred ?s ?t WHERE {
  GRAPH ?g { ?s ?p ?o } FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?prefix))
  OPTIONAL { GRAPH ?tg { ?s a ?t } FILTER(?tg != ?inferred) }
}"""


@dataclass
class Kind:
    name: str
    count: int
    classes: list[tuple[Term, int]]  # asserted classes of its resources, with counts


@dataclass
class Row:
    term: Term
    classes: list[Term]


def _resources(store: ox.Store, base: str) -> dict[str, dict[str, set[str]]]:
    """kind -> resource IRI -> its asserted classes."""
    subs: Substitutions = {ox.Variable("prefix"): ox.Literal(base + "id/"),
                           ox.Variable("inferred"): ox.NamedNode(base + "graph/inferred")}
    kinds: dict[str, dict[str, set[str]]] = defaultdict(dict)
    start = len(base) + 3
    for r in solutions(store, SUBJECTS, union=True, substitutions=subs, prefixes=VOCABULARY):
        iri = r["s"].value
        kind = iri[start:].split("/", 1)[0]
        classes = kinds[kind].setdefault(iri, set())
        if r["t"] is not None:
            classes.add(r["t"].value)
    return kinds


def _context() -> tuple[ox.Store, str, Namer]:
    store, base = current_app.extensions["kg"].store, current_app.config["KG"]["BASE_IRI"]
    return store, base, Namer(store, base)


@bp.get("/id/")
def kinds() -> str:
    store, base, names = _context()
    found = _resources(store, base)
    out = []
    for name in sorted(found):
        counted = Counter(c for classes in found[name].values() for c in classes)
        names.load_labels(counted)
        out.append(Kind(name, len(found[name]), sorted(
            ((names.term(ox.NamedNode(c)), n) for c, n in counted.items()),
            key=lambda x: (-x[1], x[0].label.lower()))))
    return render_template("id_index.html", kinds=out, base=base)


@bp.get("/id/<kind>/")
def kind(kind: str) -> str:
    store, base, names = _context()
    found = _resources(store, base)
    if kind not in found:
        raise HttpError(f"No resources under /id/{kind[:100]}/: the kinds are "
                        f"{', '.join(sorted(found))} (see /id/).", 404)
    raw = request.args.get("page", "1")
    pages = max(1, -(-len(found[kind]) // PAGE_SIZE))
    if not raw.isdigit() or not 1 <= int(raw) <= pages:
        raise HttpError(f"Bad page {raw[:20]!r}: /id/{kind}/ has pages 1 to {pages}.", 400)
    page = int(raw)
    names.load_labels(found[kind])
    ordered = sorted(found[kind], key=lambda iri: (natural(names.label(iri)), iri))
    shown = ordered[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    names.load_labels(c for iri in shown for c in found[kind][iri])
    rows = [Row(names.term(ox.NamedNode(iri)),
                sorted((names.term(ox.NamedNode(c)) for c in found[kind][iri]),
                       key=lambda t: t.label.lower()))
            for iri in shown]
    return render_template("id_kind.html", kind=kind, rows=rows, page=page, pages=pages,
                           total=len(found[kind]), first=(page - 1) * PAGE_SIZE + 1)
