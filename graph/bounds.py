"""Values with bounds: the days a date can fall on, the numbers a figure admits.

A claim states a vague date as a kg:DateRange (kg:earliest, kg:latest, kg:phrase) and a hedged
figure by its bounds (schema:minValue, schema:maxValue). The build gives every calendar date a claim
states (a day, a month or a year) a kg:DateRange too, from its first day to its last, so that
exact and vague dates are filtered, and compared for conflicts, alike.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable
from typing import TypeVar

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from graph.iris import digest
from graph.namespaces import KG, SCHEMA

# Each date property and the property that gives the same date as a range of days.
WITHIN: dict[URIRef, URIRef] = {
    KG.date: KG.dateWithin,
    KG.startDate: KG.startDateWithin,
    KG.endDate: KG.endDateWithin,
    KG.scheduledEnd: KG.scheduledEndWithin,
    KG.dateSigned: KG.dateSignedWithin,
}
DATE_OF = {within: date for date, within in WITHIN.items()}

T = TypeVar("T", dt.date, float)
Bounds = tuple[T | None, T | None]  # (lowest, highest), both included; None = open


def calendar_bounds(date: Literal) -> tuple[dt.date, dt.date]:
    """The first and the last day of a calendar date: 2020 -> 1 January to 31 December 2020."""
    text = str(date)
    year = int(text[:4])
    if date.datatype == XSD.gYear:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if date.datatype == XSD.gYearMonth:
        month = int(text[5:7])
        return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
    day = dt.date.fromisoformat(text[:10])
    return day, day


def add_date_ranges(g: Graph, mint: Callable[[str], URIRef]) -> list[URIRef]:
    """Give every calendar date in claim graph ``g`` its range of days; return the ranges added.

    ``subject kg:startDate "2020-11"`` gains ``subject kg:startDateWithin <range>`` with
    ``<range> kg:earliest 2020-11-01 ; kg:latest 2020-11-30 ; rdfs:label "2020-11"``. The range
    is named by its content, like a blank node of the facts.
    """
    added: list[tuple[Node, Node, Node]] = []
    for prop, within in WITHIN.items():
        for s, date in list(g.subject_objects(prop)):
            if not isinstance(date, Literal) or date.datatype not in (
                XSD.date, XSD.gYearMonth, XSD.gYear
            ):
                continue  # the facts checks and the shapes report it
            first, last = calendar_bounds(date)
            node = mint(digest(f"{s.n3()} {within.n3()} {date.n3()}"))
            added += [
                (s, within, node),
                (node, RDF.type, KG.DateRange),
                (node, KG.earliest, Literal(first)),
                (node, KG.latest, Literal(last)),
                (node, RDFS.label, Literal(str(date))),
            ]
    for triple in added:
        g.add(triple)
    return [o for _s, p, o in added if p in DATE_OF and isinstance(o, URIRef)]


def date_range(g: Graph, node: Node) -> Bounds[dt.date]:
    """The (earliest, latest) days of a kg:DateRange in ``g``; None where it is open."""
    lo, hi = g.value(node, KG.earliest), g.value(node, KG.latest)
    return (
        lo.toPython() if isinstance(lo, Literal) else None,
        hi.toPython() if isinstance(hi, Literal) else None,
    )


def figure_bounds(g: Graph, node: Node) -> Bounds[float]:
    """The (lowest, highest) numbers a figure admits; None where it is open.

    An exact figure's schema:value stands for bounds it lacks (older data had no bounds on them).
    """
    value, lo, hi = (_number(g.value(node, p))
                     for p in (SCHEMA.value, SCHEMA.minValue, SCHEMA.maxValue))
    exact = value if g.value(node, KG.approximation) in (KG.Exact, None) else None
    return (lo if lo is not None else exact, hi if hi is not None else exact)


def _number(node: Node | None) -> float | None:
    return float(node.toPython()) if isinstance(node, Literal) else None


def overlap(a: Bounds, b: Bounds) -> bool:
    """Can one value lie in both ranges? Open ends reach as far as needed."""
    (a_lo, a_hi), (b_lo, b_hi) = a, b
    return not (
        (a_hi is not None and b_lo is not None and a_hi < b_lo)
        or (b_hi is not None and a_lo is not None and b_hi < a_lo)
    )
