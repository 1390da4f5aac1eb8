"""Derive conflict and variance sets: where claims give different values for one subject+property.

Disjoint values (10 vs 9 November 2020) make a kg:ConflictSet; compatible but different ones
("nearly 2,000" vs "about 2,000", "2025" vs "2025-11") make a kg:VarianceSet. Nothing is resolved.
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from graph.facts import DATE_PROPERTIES
from graph.iris import Minter
from graph.mapping import Mapped
from graph.namespaces import KG, SCHEMA

QUANTITY_PROPERTIES = (KG.strength, KG.authorizedStrength, KG.displacedCount)
DATE_TYPES = {XSD.date, XSD.gYearMonth, XSD.gYear}

# How far a hedge stretches a figure: (low factor, high factor); None = open.
HEDGES = {
    KG.Exact: (1.0, 1.0),
    KG.About: (0.9, 1.1),
    KG.Nearly: (0.9, 1.0),
    KG.AtMost: (0.0, 1.0),
    KG.AtLeast: (1.0, math.inf),
    KG.MoreThan: (1.0, math.inf),
}


@dataclass(frozen=True)
class Stated:
    claim: URIRef
    value: Node  # a Literal (dates) or the QuantitativeValue node


def interval(g: Graph, node) -> tuple[float, float] | None:
    """The range of numbers a hedged schema:QuantitativeValue admits."""
    value, lo, hi = (g.value(node, p) for p in (SCHEMA.value, SCHEMA.minValue, SCHEMA.maxValue))
    hedge = HEDGES.get(g.value(node, KG.approximation), (1.0, 1.0))
    if value is not None:
        v = float(value)
        return v * hedge[0], v * hedge[1]
    if lo is None and hi is None:
        return None
    return (float(lo) if lo is not None else 0.0, float(hi) if hi is not None else math.inf)


def dates_compatible(a: Node, b: Node) -> bool:
    """Does one date contain the other (2025 contains 2025-11, which contains 2025-11-10)?

    Compares lexical forms, so any term will do (claims' date values are Literals).
    """
    x, y = str(a), str(b)
    return x.startswith(y) or y.startswith(x)


def derive_conflicts(mapped: Mapped, minter: Minter) -> Graph:
    """One set per subject+property on which the claims state more than one value."""
    asserted = mapped.asserted()
    statements: dict[tuple[Node, URIRef], list[Stated]] = defaultdict(list)
    for c in sorted(mapped.claims):
        g = mapped.dataset.graph(c)
        for p in DATE_PROPERTIES + QUANTITY_PROPERTIES:
            for s, o in g.subject_objects(p):
                statements[(s, p)].append(Stated(c, o))
    out = Graph()
    for (s, p), stated in sorted(statements.items()):
        distinct = {st.value for st in stated}
        if len(distinct) < 2:
            continue
        if p in DATE_PROPERTIES:
            disjoint = any(not dates_compatible(a, b) for a in distinct for b in distinct)
        else:
            ranges = [interval(asserted, v) for v in distinct]
            known = [r for r in ranges if r is not None]
            disjoint = any(a[1] < b[0] or b[1] < a[0] for a in known for b in known)
        kind = KG.ConflictSet if disjoint else KG.VarianceSet
        key = f"{s} {p}"
        node = minter.conflict("conflict" if disjoint else "variance", key)
        out.add((node, RDF.type, kind))
        out.add((node, KG.onSubject, s))
        out.add((node, KG.onProperty, p))
        word = "Conflicting" if disjoint else "Differently hedged"
        label = mapped.entities.value(s, SKOS.prefLabel) or s
        out.add((node, RDFS.label, Literal(f"{word} {p.split('#')[-1]} of {label}", lang="en")))
        for st in stated:
            out.add((node, KG.memberClaim, st.claim))
    return out
