"""Who says so: a claim's article, attribution and the quoted words in the context of the article
text, cut out by the claim's oa:TextPositionSelector offsets (code points)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import pyoxigraph as ox

from graph.namespaces import NIF, VOCABULARY
from graph.query import solutions
from server.terms import Namer, Term, iris_in, natural

BLANK_LINES = re.compile(r"[ \t]*\n\s*\n\s*")  # shown as one line break around a quote
CONTEXT = 160  # code points of context shown on each side of the quoted words
NIF_STRING = ox.NamedNode(str(NIF.isString))
CLAIM = ox.Variable("claim")
# The evidence of one claim (?claim substituted): one row per evidence span and attribution.
CLAIM_EVIDENCE = """
SELECT ?claim ?article ?publisher ?date ?mode ?according ?via ?span ?source ?start ?end ?exact
WHERE {
  ?claim prov:wasDerivedFrom ?article .
  OPTIONAL { ?article schema:publisher ?publisher }
  OPTIONAL { ?article schema:datePublished ?date }
  OPTIONAL { ?claim kg:attributionMode ?mode }
  OPTIONAL { ?claim kg:accordingTo ?according }
  OPTIONAL { ?claim kg:viaSource ?via }
  OPTIONAL { ?claim kg:evidence ?span . ?span oa:hasSource ?source .
    OPTIONAL { ?span oa:hasSelector ?ps . ?ps oa:start ?start ; oa:end ?end }
    OPTIONAL { ?span oa:hasSelector ?qs . ?qs oa:exact ?exact } }
}"""


@dataclass
class Evidence:
    """One claim behind a fact, with its quoted words in context."""

    claim: Term
    article: Term | None = None
    publisher: Term | None = None
    date: str | None = None
    mode: str | None = None
    according_to: list[Term] = field(default_factory=list)
    via: list[Term] = field(default_factory=list)
    before: str = ""
    exact: str = ""
    after: str = ""
    clipped_before: bool = False
    clipped_after: bool = False
    located: bool = False  # the offsets were found in the text and match the quote


def in_context(
    text: str, start: int, end: int, width: int = CONTEXT
) -> tuple[str, str, str, bool, bool]:
    """(before, exact, after, clipped before, clipped after), cut at word boundaries."""
    lo, hi = max(0, start - width), min(len(text), end + width)
    before, after = text[lo:start], text[end:hi]
    if lo > 0 and not text[lo - 1].isspace() and " " in before:  # drop a cut word
        before = before[before.index(" ") + 1:]
    if hi < len(text) and not text[hi].isspace() and " " in after:
        after = after[: after.rindex(" ")]
    before, after = BLANK_LINES.sub("\n", before), BLANK_LINES.sub("\n", after)
    return before, text[start:end], after, lo > 0, hi < len(text)


def mode_label(iri: str, names: Namer) -> str:
    label = names.label(iri)
    if label == names.curie(iri):  # no label in the data: "kg:DirectQuote" -> "Direct quote"
        words = re.findall(r"[A-Z][a-z]*|[a-z]+", iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1])
        label = " ".join(words).capitalize()
    return label


class EvidenceReader:
    def __init__(self, store: ox.Store, names: Namer) -> None:
        self.store = store
        self.names = names
        self.texts: dict[str, str] = {}

    def _text(self, iri: str) -> str | None:
        """The verbatim text of an article text (its nif:isString in a named graph)."""
        if iri not in self.texts:
            quads = self.store.quads_for_pattern(ox.NamedNode(iri), NIF_STRING, None)
            text = next((q.object.value for q in quads if isinstance(q.object, ox.Literal)
                         and not isinstance(q.graph_name, ox.DefaultGraph)), None)
            if text is None:
                return None
            self.texts[iri] = text
        return self.texts[iri]

    def bare(self, claim: str) -> Evidence:
        return Evidence(self.names.term(ox.NamedNode(claim)))

    def for_claims(self, graphs: list[str]) -> dict[str, list[Evidence]]:
        """The evidence of each of ``graphs`` that is a claim (one per evidence span)."""
        rows = [row for graph in graphs for row in solutions(
            self.store, CLAIM_EVIDENCE, union=True, prefixes=VOCABULARY,
            substitutions={CLAIM: ox.NamedNode(graph)})]
        linked = ("claim", "article", "publisher", "mode", "according", "via")
        self.names.load_labels(iris_in(r[v] for r in rows for v in linked if r[v] is not None))
        found: dict[tuple[str, str | None], Evidence] = {}
        for r in rows:
            claim = r["claim"].value
            key = (claim, r["span"].value if r["span"] is not None else None)
            ev = found.get(key)
            if ev is None:
                ev = found[key] = self._start(r)
            for var, into in (("according", ev.according_to), ("via", ev.via)):
                if r[var] is not None and all(t.value != r[var].value for t in into):
                    into.append(self.names.term(r[var]))
        out: dict[str, list[Evidence]] = {}
        # Claims in numeric order (claim/x/9 before claim/x/10).
        for (claim, _), ev in sorted(found.items(),
                                     key=lambda kv: (natural(kv[0][0]), kv[0][1] or "")):
            out.setdefault(claim, []).append(ev)
        return out

    def _start(self, r: ox.QuerySolution) -> Evidence:
        ev = Evidence(
            claim=self.names.term(r["claim"]),
            article=self.names.term(r["article"]),
            publisher=self.names.term(r["publisher"]) if r["publisher"] is not None else None,
            date=r["date"].value if r["date"] is not None else None,
            mode=mode_label(r["mode"].value, self.names) if r["mode"] is not None else None,
        )
        exact = r["exact"].value if r["exact"] is not None else ""
        text = self._text(r["source"].value) if r["source"] is not None else None
        if text is not None and r["start"] is not None and r["end"] is not None:
            start, end = int(r["start"].value), int(r["end"].value)
            if 0 <= start <= end <= len(text) and (not exact or text[start:end] == exact):
                (ev.before, ev.exact, ev.after, ev.clipped_before,
                 ev.clipped_after) = in_context(text, start, end)
                ev.located = True
                return ev
        ev.exact = exact  # no usable offsets: show the quoted words alone
        return ev
