"""Derive conflict and variance sets: where claims give different values for one subject+property.

Values are compared by their bounds (graph.bounds): the days a date can fall on, the numbers a
figure admits. Two values conflict when their ranges cannot overlap (signed on 9 vs 10 November
2020); they vary when the ranges overlap but differ ("nearly 2,000" vs "about 2,000", "2025" vs
"at least until November 2025"). Nothing is resolved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from graph.bounds import (
    DATE_OF,
    WITHIN,
    Bounds,
    calendar_bounds,
    date_range,
    figure_bounds,
    overlap,
)
from graph.facts import DATE_PROPERTIES
from graph.iris import Minter
from graph.mapping import Mapped
from graph.namespaces import KG

QUANTITY_PROPERTIES = (KG.strength, KG.authorizedStrength, KG.displacedCount)


@dataclass(frozen=True)
class Stated:
    claim: URIRef
    value: Node  # the date range, the figure, or a date literal (a date property with no range)
    bounds: Bounds


def stated_values(g: Graph) -> list[tuple[Node, URIRef, Node, Bounds]]:
    """(subject, property, value, bounds) for every date and figure claim graph ``g`` states.

    A date is read from its range (kg:startDateWithin, ...), which every calendar date also has;
    a date property without a range property (kg:dateEffective) from its literal.
    """
    out: list[tuple[Node, URIRef, Node, Bounds]] = []
    for within in WITHIN.values():
        out += [(s, within, r, date_range(g, r)) for s, r in g.subject_objects(within)]
    for p in DATE_PROPERTIES:
        if p not in WITHIN:
            out += [(s, p, o, calendar_bounds(o)) for s, o in g.subject_objects(p)
                    if isinstance(o, Literal)]
    for p in QUANTITY_PROPERTIES:
        out += [(s, p, q, figure_bounds(g, q)) for s, q in g.subject_objects(p)]
    return out


def derive_conflicts(mapped: Mapped, minter: Minter) -> Graph:
    """One set per subject+property on which the claims state values with different bounds."""
    statements: dict[tuple[Node, URIRef], list[Stated]] = defaultdict(list)
    for c in sorted(mapped.claims):
        for s, p, value, bounds in stated_values(mapped.dataset.graph(c)):
            statements[(s, p)].append(Stated(c, value, bounds))
    out = Graph()
    for (s, p), stated in sorted(statements.items()):
        distinct = {st.bounds for st in stated}
        if len(distinct) < 2:
            continue
        disjoint = any(not overlap(a, b) for a in distinct for b in distinct)
        kind = KG.ConflictSet if disjoint else KG.VarianceSet
        named = DATE_OF.get(p, p)  # a date range is named after its date: "startDate"
        node = minter.conflict("conflict" if disjoint else "variance", f"{s} {named}")
        out.add((node, RDF.type, kind))
        out.add((node, KG.onSubject, s))
        out.add((node, KG.onProperty, p))
        word = "Conflicting" if disjoint else "Differently hedged"
        label = _label(mapped, s, stated)
        out.add((node, RDFS.label, Literal(f"{word} {named.split('#')[-1]} of {label}", lang="en")))
        for st in stated:
            out.add((node, KG.memberClaim, st.claim))
    return out


def _label(mapped: Mapped, s: Node, stated: list[Stated]) -> Node:
    """The subject's preferred label: the registry's, else one a claim gives (a statement's)."""
    found = mapped.entities.value(s, SKOS.prefLabel)
    for st in stated:
        found = found or mapped.dataset.graph(st.claim).value(s, SKOS.prefLabel)
    return found or s
