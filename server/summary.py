"""The box at the top of a resource page: what it is, what it is called in each language, its
Wikidata item, and the facts the sources state about it with how many sources state each."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.namespaces import RDF, RDFS, SKOS
from server.resources import Description, Fact
from server.terms import Term

RDF_TYPE = str(RDF.type)
LABELS = {str(SKOS.prefLabel): "preferred", str(SKOS.altLabel): "variant",
          str(RDFS.label): "label"}
MATCHES = (str(SKOS.exactMatch), str(SKOS.closeMatch))
WIKIDATA = ("http://www.wikidata.org/entity/", "https://www.wikidata.org/entity/")
KEY_FACTS = 12  # at most this many facts in the box; the table below has them all


@dataclass
class KeyFact:
    fact: Fact
    sources: int  # distinct articles stating it
    claims: int


@dataclass
class Summary:
    types: list[Term]  # asserted
    inferred_types: list[Term]  # only reasoning gives them
    labels: dict[str, list[tuple[str, str]]]  # language -> (label, kind), preferred first
    wikidata: list[Term]
    key_facts: list[KeyFact] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.types or self.labels or self.wikidata or self.key_facts)


def only_inferred(fact: Fact) -> bool:
    """Whether reasoning alone gives ``fact`` (no claim states it and no other graph holds it)."""
    return not fact.evidence and fact.graphs == ["inferred"]


def summary(d: Description) -> Summary:
    types = [f.object for f in d.facts if f.predicate.value == RDF_TYPE and not only_inferred(f)]
    inferred = [f.object for f in d.facts if f.predicate.value == RDF_TYPE and only_inferred(f)]
    labels: dict[str, list[tuple[str, str]]] = {}
    order = list(LABELS.values())
    for f in d.facts:
        kind = LABELS.get(f.predicate.value)
        if kind is not None and f.object.kind == "literal":
            language = f.object.note.lstrip("@") or "—"
            labels.setdefault(language, []).append((f.object.value, kind))
    for found in labels.values():
        unique = {label: kind for label, kind in sorted(
            found, key=lambda x: (-order.index(x[1]), x[0]))}  # the better kind wins
        found[:] = sorted(unique.items(), key=lambda x: (order.index(x[1]), x[0].lower()))
    wikidata = list({f.object.value: f.object for f in d.facts if f.predicate.value in MATCHES
                     and f.object.value.startswith(WIKIDATA)}.values())
    stated = [f for f in d.facts if f.evidence and f.predicate.value != RDF_TYPE
              and f.predicate.value not in LABELS]
    key = [KeyFact(f, len({e.article.value for e in f.evidence if e.article is not None}),
                   len({e.claim.value for e in f.evidence})) for f in stated]
    key.sort(key=lambda k: (-k.sources, -k.claims, k.fact.predicate.label.lower(),
                            k.fact.object.label.lower()))
    return Summary(sorted(types, key=lambda t: t.label.lower()),
                   sorted(inferred, key=lambda t: t.label.lower()),
                   dict(sorted(labels.items(), key=lambda x: (x[0] != "en", x[0]))),
                   wikidata, key[:KEY_FACTS])
