"""The picture of a resource's neighbourhood (drawn by Cytoscape.js on its page): the resource,
what it links to and what links to it, one edge per property, at most MAX_NEIGHBOURS others."""

from __future__ import annotations

from typing import Any

from graph.namespaces import RDF
from server.resources import Description
from server.summary import only_inferred
from server.terms import Term

MAX_NEIGHBOURS = 30
# Records rather than things: claims and their referents, evidence, values inside claims, link
# records. The page's tables show them; in the picture they would crowd out the things.
RECORDS = ("claim", "span", "value", "link", "conflict", "variance")
RDF_TYPE = str(RDF.type)


def _kind(term: Term, base: str) -> str:
    """The IRI's kind (person, place, claim, ...) for its colour; "other" outside the dataset."""
    if term.value.startswith(base + "id/"):
        return term.value[len(base) + 3:].split("/", 1)[0]
    return "other"


def _short(label: str, most: int = 40) -> str:
    return label if len(label) <= most else label[: most - 1].rsplit(" ", 1)[0] + " …"


def neighbourhood(d: Description, base: str) -> dict[str, Any]:
    """{"nodes": [{"id", "label", "href", "kind", "centre", "ring"}], "edges": [{"id", "source",
    "target", "label"}], "left_out": how many neighbours did not fit}: Cytoscape's element
    data. Ring 2: what it links to; ring 1 (outside): what links to it."""
    nodes: dict[str, dict[str, Any]] = {d.iri: {"id": d.iri, "label": _short(d.label),
                                                "href": None, "kind": "centre", "centre": True,
                                                "ring": 3}}
    edges: dict[tuple[str, str, str], dict[str, str]] = {}
    left_out: set[str] = set()
    things = base + "id/"
    records = tuple(f"{things}{r}/" for r in RECORDS)

    def shown(t: Term) -> bool:
        return t.kind == "iri" and t.value.startswith(things) and not t.value.startswith(records)

    links = [(d.iri, f.predicate, f.object) for f in d.facts  # what reasoning adds is left out
             if f.predicate.value != RDF_TYPE and shown(f.object) and not only_inferred(f)]
    links += [(s.value, p, Term(d.iri, "iri", d.label)) for s, p in d.incoming if shown(s)]
    terms = {o.value: o for _s, _p, o in links} | {s.value: s for s, _p in d.incoming}
    for s, p, o in links:
        other = o.value if s == d.iri else s
        if other not in nodes:
            if len(nodes) > MAX_NEIGHBOURS:
                left_out.add(other)
                continue
            term = terms[other]
            nodes[other] = {"id": other, "label": _short(term.label), "href": term.href,
                            "kind": _kind(term, base), "centre": False,
                            "ring": 2 if s == d.iri else 1}
        key = (s, o.value, p.value)
        if key not in edges:
            edges[key] = {"id": f"e{len(edges)}", "source": s, "target": o.value,
                          "label": p.label}
    return {"nodes": list(nodes.values()), "edges": list(edges.values()),
            "left_out": len(left_out)}
