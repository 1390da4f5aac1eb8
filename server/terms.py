"""How RDF terms are shown on pages: a label, a link (local for our own IRIs) and a small note."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.namespaces import RDF, RDFS, SCHEMA, SKOS, XSD, prefix_map

# Where a label comes from, best first.
LABEL_PROPERTIES = tuple(ox.NamedNode(str(p)) for p in (SKOS.prefLabel, RDFS.label,
                                                        SCHEMA.headline, SCHEMA.name))
XSD_NS = str(XSD)
XSD_STRING = str(XSD.string)
RDF_LANG_STRING = str(RDF.langString)


@dataclass
class Term:
    """One node as a page shows it."""

    value: str
    kind: str  # "iri", "literal" or "bnode"
    label: str
    href: str | None = None
    note: str = ""  # a CURIE for IRIs, the datatype or language for literals
    details: list[tuple[Term, Term]] = field(default_factory=list)  # a value node's description

    @property
    def is_long(self) -> bool:
        return self.kind == "literal" and len(self.value) > 300


class Namer:
    """Turns IRIs into CURIEs, local links and labels, for one dataset base IRI."""

    def __init__(self, store: ox.Store, base: str) -> None:
        self.store = store
        self.base = base
        self.prefixes = prefix_map(base)
        self.labels: dict[str, str] = {}

    def curie(self, iri: str) -> str:
        best = ""
        for prefix, ns in self.prefixes.items():
            if iri.startswith(ns) and len(ns) > len(best) and "/" not in iri[len(ns):]:
                best, name = ns, f"{prefix}:{iri[len(ns):]}"
        return name if best else iri

    def href(self, iri: str) -> str | None:
        """A link for ``iri``: our own IRIs map onto this host, others stay as they are."""
        if iri.startswith(self.base):
            local = iri[len(self.base):]
            if local.startswith("id/") or local.startswith("ontology"):
                return "/" + local
            return None
        if iri.startswith(("http://", "https://")):
            return iri
        return None

    def load_labels(self, iris: Iterable[str]) -> None:
        """Fetch the best label of each IRI not yet known (ValueError for a string that is not an
        IRI): from the first of LABEL_PROPERTIES it has in a named graph, English first, then
        without a language, then any language."""
        for iri in sorted({i for i in iris if i not in self.labels}):
            label = self._best_label(ox.NamedNode(iri))
            self.labels[iri] = label if label is not None else self.fallback_label(iri)

    def _best_label(self, node: ox.NamedNode) -> str | None:
        for prop in LABEL_PROPERTIES:
            ranked = [({"en": 0, None: 1}.get(q.object.language, 2), q.object.value)
                      for q in self.store.quads_for_pattern(node, prop, None)
                      if isinstance(q.object, ox.Literal)
                      and not isinstance(q.graph_name, ox.DefaultGraph)]
            if ranked:
                return min(ranked)[1]
        return None

    def fallback_label(self, iri: str) -> str:
        if iri.startswith(self.base + "id/"):
            return iri[len(self.base) + 3:]
        return self.curie(iri)

    def label(self, iri: str) -> str:
        if iri not in self.labels:
            self.load_labels([iri])
        return self.labels[iri]

    def term(self, node: ox.NamedNode | ox.BlankNode | ox.Literal) -> Term:
        if isinstance(node, ox.NamedNode):
            curie = self.curie(node.value)
            return Term(node.value, "iri", self.label(node.value), self.href(node.value),
                        curie if curie != node.value else "")
        if isinstance(node, ox.Literal):
            if node.language:
                note = f"@{node.language}"
            elif node.datatype.value.startswith(XSD_NS) and node.datatype.value != XSD_STRING:
                note = "xsd:" + node.datatype.value[len(XSD_NS):]
            elif node.datatype.value not in (XSD_STRING, RDF_LANG_STRING):
                note = self.curie(node.datatype.value)
            else:
                note = ""
            return Term(node.value, "literal", node.value, None, note)
        return Term(str(node), "bnode", str(node))


def iris_in(nodes: Iterable[object]) -> list[str]:
    return [n.value for n in nodes if isinstance(n, ox.NamedNode)]


DIGITS = re.compile(r"(\d+)")


def natural(text: str) -> tuple:
    """A sort key that puts "claim/x/9" before "claim/x/10" (numbers compared as numbers)."""
    return tuple((1, int(p), "") if p.isdigit() else (0, 0, p.lower()) for p in DIGITS.split(text))
