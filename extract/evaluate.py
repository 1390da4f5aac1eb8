"""``kg extract --evaluate``: the assistant run on the curated articles' texts, scored against the
gold that extract/gold.py derives from their annotations (README, "Drafting an annotation")."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from extract import extract
from extract.gold import GoldClaim, load_gold
from extract.lexicon import Lexicon


@dataclass
class Score:
    """Counts for one kind of finding: gold items found, predictions judged and right."""

    gold: int = 0
    found: int = 0
    predicted: int = 0
    right: int = 0

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 1.0

    @property
    def precision(self) -> float:
        return self.right / self.predicted if self.predicted else 1.0


def _window(claim: GoldClaim, sentences: list[dict[str, int]]) -> tuple[int, int]:
    """The sentence or sentences the claim's evidence lies in."""
    inside = [s for s in sentences if s["start"] < claim.end and claim.start < s["end"]]
    if not inside:
        return claim.start, claim.end
    return min(s["start"] for s in inside), max(s["end"] for s in inside)


def _within(item: dict[str, Any], span: tuple[int, int]) -> bool:
    return span[0] <= item["start"] and item["end"] <= span[1]


def _overlaps(item: dict[str, Any], start: int, end: int) -> bool:
    return item["start"] < end and start < item["end"]


def _same_date(found: dict[str, Any], gold: tuple) -> bool:
    """A calendar date by value and precision, a range of days by its bounds."""
    value, precision, lo, hi = gold
    if value:
        return (found["value"], found["precision"]) == (value, precision)
    return (found["earliest"], found["latest"]) == (lo, hi)


def _rivals(lexicon: Lexicon, entity: str, words: str) -> set[str]:
    """Other readings of the words a link stands on: entities with that very name, the state's
    land or the land's state, the capital's state."""
    from extract.fold import name_key

    key = " ".join(name_key(w) for w in words.split())
    out = {n.entity for n in lexicon.names
           if " ".join(name_key(w) for w in n.text.split()) == key}
    out |= {t for s, t in lexicon.territory.items() if s == entity}
    out |= {s for s, t in lexicon.territory.items() if t == entity}
    out |= {lexicon.capital_of[entity]} if entity in lexicon.capital_of else set()
    return out - {entity}


def score_article(out: dict[str, Any], claims: list[GoldClaim], scores: dict[str, Score],
                  lexicon: Lexicon) -> None:
    """Add one article's counts to ``scores`` (keys: statements, entities, entities_strict,
    dates, quantities)."""
    sents = out["sentences"]
    windows = {c.n: _window(c, sents) for c in claims}
    st, ent, dat, qty = (scores[k] for k in ("statements", "entities", "dates", "quantities"))
    strict = scores["entities_strict"]
    # Statements: a gold statement is found when a statement with its speaker overlaps its
    # evidence; a predicted one is right when it overlaps a gold one of the same speaker.
    said = [c for c in claims if c.speaker]
    st.gold += len(said)
    st.found += sum(any(_overlaps(s, c.start, c.end) and s["speaker"] == c.speaker
                        for s in out["statements"]) for c in said)
    st.predicted += len(out["statements"])
    st.right += sum(any(_overlaps(s, c.start, c.end) and s["speaker"] == c.speaker
                        for c in said) for s in out["statements"])
    # Entity links: each entity a claim's sentence names must be linked there; each entity
    # linked in a sentence that evidence lies in must be one its claims name.
    linked = [m for m in out["mentions"] if m["entity"]]
    for c in claims:
        here = {m["entity"] for m in linked if _within(m, windows[c.n])}
        ent.gold += len(c.named)
        ent.found += len(c.named & here)
        strict.gold += len(c.named)
        strict.found += len(c.named & here)
    for s in sents:
        over = [c for c in claims if _overlaps(s, c.start, c.end)]
        if not over:
            continue
        named = set().union(*(c.named for c in over))
        in_sentence = [m for m in linked if _within(m, (s["start"], s["end"]))]
        strict.predicted += len({m["entity"] for m in in_sentence})
        strict.right += len({m["entity"] for m in in_sentence} & named)
        # A link is judged where the annotation decides it: right when the sentence's claims
        # name its entity (or the curator resolved its very words to it); wrong when the
        # curator resolved its words to another entity, or the claims name a rival reading of
        # them (the state for its land, the capital for its state).
        judged: dict[str, bool] = {}
        for m in in_sentence:
            described = {e for c in over for e, a, b in c.described
                         if m["start"] <= a and b <= m["end"]}
            if m["entity"] in named | described:
                judged[m["entity"]] = True
                continue
            if described or _rivals(lexicon, m["entity"], m["text"]) & named:
                judged.setdefault(m["entity"], False)
        ent.predicted += len(judged)
        ent.right += sum(judged.values())
    # Dates and figures: found when the claim's sentence has one with the same value and
    # precision (or the same range of days; the same bounds and hedge); the date of a
    # statement also when a statement found on its words has it.
    for c in claims:
        ds = [d for d in out["dates"] if _within(d, windows[c.n])]
        # A statement's date may also be found as the date of a statement on its words.
        dated_statements = [s for s in out["statements"] if _overlaps(s, c.start, c.end)
                            and s["date"] is not None]
        for g in c.dates:
            dat.gold += 1
            dat.found += any(_same_date(d, g) for d in ds) or (
                g[0] == c.said_on and any(s["date"] == c.said_on for s in dated_statements))
        qs = [q for q in out["quantities"] if _within(q, windows[c.n])]
        for lo_q, hi_q, approx in c.figures:
            qty.gold += 1
            qty.found += any((q["min"], q["max"], q["approximation"]) == (lo_q, hi_q, approx)
                             for q in qs)
    dated = {id(d): d for c in claims for d in out["dates"] if _within(d, windows[c.n])}
    for d in dated.values():
        dat.predicted += 1
        dat.right += any(_within(d, windows[c.n]) and any(_same_date(d, g) for g in c.dates)
                         for c in claims)
    judged_q = {id(q): q for c in claims for q in out["quantities"] if _within(q, windows[c.n])}
    for q in judged_q.values():
        qty.predicted += 1
        qty.right += any(_within(q, windows[c.n]) and (q["min"], q["max"], q["approximation"])
                         in c.figures for c in claims)


def evaluate(seeds_dir: Path, lexicon: Lexicon) -> dict[str, Score]:
    """Scores of the assistant on every curated article (text and publication date only)."""
    scores = {k: Score() for k in LABELS}
    for article, claims in load_gold(seeds_dir, set(lexicon.types)):
        published = (article.meta.get("published") or {}).get("date")
        out = extract(article.text, published=str(published) if published else None,
                      language="en", registry=lexicon)
        score_article(out, claims, scores, lexicon)
    return scores


LABELS = {"statements": "statements with the right speaker",
          "entities": "entity links (judged where the annotation decides)",
          "entities_strict": "entity links (every link its claims do not use is wrong)",
          "dates": "dates (value and precision)", "quantities": "quantities with hedge"}


def table(scores: dict[str, Score]) -> str:
    """The scores as a Markdown table (the README shows it)."""
    rows = ["| finding | gold | found | recall | predicted | right | precision |",
            "|---|---:|---:|---:|---:|---:|---:|"]
    for key, s in scores.items():
        rows.append(f"| {LABELS[key]} | {s.gold} | {s.found} | {s.recall:.2f} | {s.predicted} "
                    f"| {s.right} | {s.precision:.2f} |")
    return "\n".join(rows)
