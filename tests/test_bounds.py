"""Values with bounds: calendar dates become ranges of days, and values are compared by bounds."""

from __future__ import annotations

import datetime as dt

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD

from graph.bounds import add_date_ranges, calendar_bounds, date_range, figure_bounds, overlap
from graph.namespaces import KG, SCHEMA

D = dt.date
EVENT = URIRef("https://w3id.org/karabakh-kg/id/event/e")


def test_a_calendar_date_runs_from_its_first_to_its_last_day() -> None:
    assert calendar_bounds(Literal("2024", datatype=XSD.gYear)) == (D(2024, 1, 1), D(2024, 12, 31))
    assert calendar_bounds(Literal("2024-02", datatype=XSD.gYearMonth)) == (
        D(2024, 2, 1), D(2024, 2, 29))
    assert calendar_bounds(Literal("2023-02", datatype=XSD.gYearMonth))[1] == D(2023, 2, 28)
    assert calendar_bounds(Literal("2024-04-16", datatype=XSD.date)) == (
        D(2024, 4, 16), D(2024, 4, 16))


def test_every_calendar_date_of_a_claim_gets_its_range_named_by_content() -> None:
    g = Graph()
    g.add((EVENT, KG.startDate, Literal("2020-11", datatype=XSD.gYearMonth)))
    g.add((EVENT, KG.date, Literal("2023", datatype=XSD.gYear)))

    def mint(digest: str) -> URIRef:
        return URIRef("https://w3id.org/karabakh-kg/id/value/a/1-" + digest)

    ranges = add_date_ranges(g, mint)
    assert len(ranges) == 2
    start = g.value(EVENT, KG.startDateWithin)
    assert (start, RDF.type, KG.DateRange) in g
    assert date_range(g, start) == (D(2020, 11, 1), D(2020, 11, 30))
    assert g.value(start, RDFS.label) == Literal("2020-11")
    assert date_range(g, g.value(EVENT, KG.dateWithin)) == (D(2023, 1, 1), D(2023, 12, 31))
    again = Graph()
    for t in g.triples((EVENT, KG.startDate, None)):
        again.add(t)
    assert add_date_ranges(again, mint) == [start]  # same date, same range IRI


def test_figures_are_read_by_their_bounds() -> None:
    g = Graph()
    nearly, exact, more = (URIRef(f"https://w3id.org/karabakh-kg/id/value/a/{n}") for n in "123")
    g.add((nearly, KG.approximation, KG.Nearly))
    g.add((nearly, SCHEMA.minValue, Literal(1800)))
    g.add((nearly, SCHEMA.maxValue, Literal(1999)))
    g.add((exact, KG.approximation, KG.Exact))
    g.add((exact, SCHEMA.value, Literal(120000)))
    g.add((more, KG.approximation, KG.MoreThan))
    g.add((more, SCHEMA.minValue, Literal(100001)))
    assert figure_bounds(g, nearly) == (1800.0, 1999.0)
    assert figure_bounds(g, exact) == (120000.0, 120000.0)
    assert figure_bounds(g, more) == (100001.0, None)


def test_ranges_conflict_only_when_they_cannot_overlap() -> None:
    nov9, nov10 = (D(2020, 11, 9), D(2020, 11, 9)), (D(2020, 11, 10), D(2020, 11, 10))
    november = (D(2020, 11, 1), D(2020, 11, 30))
    assert not overlap(nov9, nov10)
    assert overlap(nov9, november) and overlap(november, nov10)
    at_least = (D(2025, 11, 1), None)
    assert overlap(at_least, (D(2025, 1, 1), D(2025, 12, 31)))
    assert not overlap(at_least, (D(2025, 1, 1), D(2025, 10, 31)))
    assert overlap((None, None), nov9)
    assert overlap((1800.0, 1999.0), (1961.0, None))
    assert not overlap((1800.0, 1999.0), (2000.0, 2200.0))
