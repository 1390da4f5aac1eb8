"""Derive conflict and variance sets: where claims give different values for one subject+property.

Values are compared by their bounds (graph.bounds): the days a date can fall on, the numbers a
figure admits. Two values conflict when their ranges cannot overlap (signed on 9 vs 10 November
2020); they vary when the ranges overlap but differ ("nearly 2,000" vs "about 2,000", "2025" vs
"at least until November 2025"). Nothing is resolved.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from rdflib import Dataset, Graph, Literal, URIRef
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


def stated_values(ds: Dataset, claims: set[URIRef]) -> list[tuple[URIRef, Node, URIRef, Stated]]:
    """(claim, subject, property, stated value) for every date and figure a claim graph states.

    A date is read from its range (kg:startDateWithin, ...), which every calendar date also has;
    a date property without a range property (kg:dateEffective) from its literal. Each property
    is read once across the dataset (a lookup per claim graph scans every graph: quadratic).
    """
    out: list[tuple[URIRef, Node, URIRef, Stated]] = []

    def each(p: URIRef):
        for s, _p, o, c in ds.quads((None, p, None, None)):
            if c in claims:
                yield c, s, o, ds.graph(c)

    for within in WITHIN.values():
        out += [(c, s, within, Stated(c, r, date_range(g, r))) for c, s, r, g in each(within)]
    for p in DATE_PROPERTIES:
        if p not in WITHIN:
            out += [(c, s, p, Stated(c, o, calendar_bounds(o))) for c, s, o, _g in each(p)
                    if isinstance(o, Literal)]
    for p in QUANTITY_PROPERTIES:
        out += [(c, s, p, Stated(c, q, figure_bounds(g, q))) for c, s, q, g in each(p)]
    return out


def derive_conflicts(mapped: Mapped, minter: Minter) -> Graph:
    """One set per subject+property on which the claims state values with different bounds."""
    statements: dict[tuple[Node, URIRef], list[Stated]] = defaultdict(list)
    # in claim order, then in the order the properties are read: the order the sets list them
    for _c, s, p, value in sorted(stated_values(mapped.dataset, set(mapped.claims)),
                                  key=lambda row: row[0]):
        statements[(s, p)].append(value)
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
