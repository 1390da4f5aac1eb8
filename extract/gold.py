"""The gold standard for ``kg extract --evaluate``, derived from the curated annotations: what
each claim's sentence names, who made each statement, which dates and figures it states."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF, XSD

from graph.namespaces import KG, prefix_map
from graph.seeds import Article, Claim, load_article

SCHEMA = Namespace("http://schema.org/")
_BASE = "https://w3id.org/karabakh-kg/"
_PRECISION = {XSD.date: "day", XSD.gYearMonth: "month", XSD.gYear: "year"}
_HEADER = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in prefix_map(_BASE).items())


@dataclass
class GoldClaim:
    """One curated claim, as the evaluation sees it."""

    n: int
    start: int
    end: int
    named: set[str] = field(default_factory=set)  # entities its sentence names
    speaker: str | None = None  # for a DirectQuote or ReportedSpeech claim
    dates: list[tuple[str | None, str | None, str | None, str | None]] = field(
        default_factory=list)  # (value, precision, earliest, latest)
    said_on: str | None = None  # the date of the statement it quotes or reports
    figures: list[tuple[float | None, float | None, str]] = field(default_factory=list)
    # Words the curator resolved to an entity they do not name ("Moscow" for Russia).
    described: list[tuple[str, int, int]] = field(default_factory=list)


def _entity(node: object) -> str | None:
    s = str(node)
    return s[len(_BASE) + 3:] if s.startswith(_BASE + "id/") else None


def _facts_graph(article: Article, claim: Claim) -> Graph:
    act = f"@prefix act: <{_BASE}id/speech-act/{article.id}/> .\n"
    return Graph().parse(data=_HEADER + act + claim.facts, format="turtle")


def gold_claim(article: Article, claim: Claim, registry: set[str]) -> GoldClaim:
    """A claim's gold: entities of facts, speaker and source less the referents the curator
    says the sentence does not name; the statement's speaker; dates and figures of the facts."""
    g = _facts_graph(article, claim)
    said = [b for b in (claim.quote, claim.statement) if b is not None]
    mentioned = {e for t in g for node in t if (e := _entity(node))}
    mentioned |= {e for e in (claim.according_to, *(b.speaker for b in said)) if e}
    unnamed = {r.entity for r in claim.referents}
    out = GoldClaim(claim.n, claim.evidence.start, claim.evidence.end,
                    named={e for e in mentioned if e in registry} - unnamed)
    out.described = [(r.entity, r.surface.start, r.surface.end) for r in claim.referents
                     if r.surface is not None]
    if claim.mode != "Authorial" and said:
        out.speaker = said[0].speaker
    for _s, p, o in g:
        if isinstance(o, Literal) and o.datatype in _PRECISION and p not in (KG.earliest,
                                                                             KG.latest):
            out.dates.append((str(o), _PRECISION[o.datatype], None, None))
    for node in g.subjects(RDF.type, KG.DateRange):
        lo, hi = g.value(node, KG.earliest), g.value(node, KG.latest)
        out.dates.append((None, None, str(lo) if lo else None, str(hi) if hi else None))
    for b in said:
        # A statement's date counts when the text writes it: not inferred, or inferred from
        # words the curator quotes ("'on Wednesday' in an article ...") that the text has.
        quoted = re.findall(r"'([^']+)'|\"([^\"]+)\"", b.date_inferred or "")
        if b.date and (not b.date_inferred or any(
                (a or q) in article.text[claim.evidence.start - 300:claim.evidence.end + 300]
                for a, q in quoted)):
            out.dates.append((b.date, {10: "day", 7: "month", 4: "year"}[len(b.date)],
                              None, None))
            out.said_on = b.date
    for node in g.subjects(RDF.type, SCHEMA.QuantitativeValue):
        lo, hi = g.value(node, SCHEMA.minValue), g.value(node, SCHEMA.maxValue)
        approx = g.value(node, KG.approximation)
        out.figures.append((lo.toPython() if isinstance(lo, Literal) else None,
                            hi.toPython() if isinstance(hi, Literal) else None,
                            re.sub(r".*#", "", str(approx)) if approx else "Exact"))
    out.dates = sorted(set(out.dates), key=str)
    return out


def load_gold(seeds_dir: Path, registry: set[str]) -> list[tuple[Article, list[GoldClaim]]]:
    """Every curated article with the gold of its claims."""
    out = []
    for path in sorted((seeds_dir / "articles").glob("*.yaml")):
        article = load_article(path, seeds_dir / "schema")
        out.append((article, [gold_claim(article, c, registry) for c in article.claims]))
    return out
