"""An article's verbatim text with every claim's evidence marked and linked to the claim, cut by
the claims' oa:TextPositionSelector offsets (code points; spans may overlap)."""

from __future__ import annotations

from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.namespaces import VOCABULARY
from graph.query import solutions
from server.terms import Namer, Term, natural

# The evidence spans of the claims whose words are in the text ?this (substituted).
SPANS = """
SELECT ?this ?claim ?start ?end WHERE {
  ?claim a kg:Claim ; kg:evidence ?span .
  ?span oa:hasSource ?this ; oa:hasSelector ?ps .
  ?ps oa:start ?start ; oa:end ?end .
}"""


@dataclass
class Piece:
    """A run of the text: marked when some claim rests on it; the claims whose span ends here."""

    text: str
    claims: list[Term] = field(default_factory=list)  # the claims resting on this run
    ending: list[Term] = field(default_factory=list)


def pieces(text: str, spans: list[tuple[int, int, Term]]) -> list[Piece]:
    """Cut ``text`` at every span boundary; spans outside the text are left out."""
    spans = [(s, e, c) for s, e, c in spans if 0 <= s < e <= len(text)]
    cuts = sorted({0, len(text)} | {s for s, _, _ in spans} | {e for _, e, _ in spans})
    out = []
    for lo, hi in zip(cuts, cuts[1:], strict=False):
        covering = [c for s, e, c in spans if s <= lo and hi <= e]
        ending = [c for s, e, c in spans if e == hi]
        out.append(Piece(text[lo:hi], _unique(covering), _unique(ending)))
    return out


def _unique(terms: list[Term]) -> list[Term]:
    seen: dict[str, Term] = {t.value: t for t in terms}
    return [seen[k] for k in sorted(seen, key=natural)]


def marked_text(store: ox.Store, names: Namer, iri: str, text: str) -> list[Piece]:
    """The text of the article text ``iri`` cut into pieces by its claims' evidence."""
    rows = list(solutions(store, SPANS, union=True, prefixes=VOCABULARY,
                          substitutions={ox.Variable("this"): ox.NamedNode(iri)}))
    names.load_labels(r["claim"].value for r in rows)
    spans = []
    for r in rows:
        try:
            start, end = int(r["start"].value), int(r["end"].value)
        except ValueError:  # not a number: the build refuses such evidence; skip it here
            continue
        spans.append((start, end, names.term(r["claim"])))
    return pieces(text, spans)
