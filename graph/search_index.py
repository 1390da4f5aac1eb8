"""The full-text search index `kg build` writes beside kg.nq: SQLite FTS5 (standard library) over
the labels and spelling variants of every resource in every language, the evidence sentences of
the claims and the words of the quotations. The server only reads it."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import VOCABULARY
from graph.query import Substitutions, solutions

INDEX_FILE = "search.sqlite"  # beside the data file it was made from
# One FTS5 row per label or passage: a label goes in `label`, a sentence or quote in `body`
# (bm25 weighs them apart). Diacritics are folded ("Pashinian" matches "Pashinián") and English
# words stemmed ("withdraw" matches "withdrawal").
SCHEMA = """
CREATE VIRTUAL TABLE docs USING fts5(
  iri UNINDEXED, label, body, tokenize = 'porter unicode61 remove_diacritics 2', prefix = '1 2 3');
CREATE TABLE things(iri TEXT PRIMARY KEY, label TEXT NOT NULL, type TEXT NOT NULL) WITHOUT ROWID;
"""
# Every literal label of a resource under the dataset's id/ space (?prefix, substituted).
LABELS = """
SELECT DISTINCT ?prefix ?s ?p ?l WHERE {
  VALUES ?p { skos:prefLabel skos:altLabel rdfs:label schema:name schema:headline }
  GRAPH ?g { ?s ?p ?l }
  FILTER(isIRI(?s) && isLiteral(?l) && STRSTARTS(STR(?s), ?prefix))
}"""
# The quoted words each claim rests on, and the words of each quotation.
PASSAGES = """
SELECT DISTINCT ?s ?text WHERE {
  { ?s a kg:Claim ; kg:evidence/oa:hasSelector/oa:exact ?text }
  UNION { ?s a kg:Quotation ; schema:text ?text }
}"""
# Asserted types (not those reasoning adds) with the class's label, if the ontology gives one.
TYPES = """
SELECT DISTINCT ?prefix ?inferred ?s ?t ?tl WHERE {
  GRAPH ?g { ?s a ?t } FILTER(?g != ?inferred && STRSTARTS(STR(?s), ?prefix))
  OPTIONAL { ?t rdfs:label ?tl FILTER(LANGMATCHES(LANG(?tl), "en")) }
}"""
PREFERRED = ("prefLabel", "label", "headline", "name", "altLabel")  # best label first
# Bookkeeping whose labels only repeat another resource's name (the Wikidata link records).
LEFT_OUT = ("id/link/",)
# Found by their words, not their labels ("Claim 4 of <article id>" would match every claim).
BY_WORDS_ONLY = ("id/claim/",)
SHORT = 90  # characters of a passage that label a resource without a label of its own


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _labels(store: ox.Store, base: str) -> dict[str, list[tuple[str, str, str]]]:
    """Per resource: (property local name, language, label)."""
    subs: Substitutions = {ox.Variable("prefix"): ox.Literal(base + "id/")}
    found: dict[str, list[tuple[str, str, str]]] = {}
    for r in solutions(store, LABELS, union=True, substitutions=subs, prefixes=VOCABULARY):
        found.setdefault(r["s"].value, []).append(
            (_local(r["p"].value), r["l"].language or "", r["l"].value))
    return found


def _best(labels: list[tuple[str, str, str]]) -> str:
    """The preferred label: by property (PREFERRED), English first, then no language."""
    return min(labels, key=lambda x: (PREFERRED.index(x[0]) if x[0] in PREFERRED else 9,
                                      {"en": 0, "": 1}.get(x[1], 2), x[2]))[2]


def _types(store: ox.Store, base: str) -> dict[str, str]:
    """Per resource, the label of one asserted type (the alphabetically first)."""
    subs: Substitutions = {ox.Variable("prefix"): ox.Literal(base + "id/"),
                           ox.Variable("inferred"): ox.NamedNode(base + "graph/inferred")}
    found: dict[str, set[str]] = {}
    for r in solutions(store, TYPES, union=True, substitutions=subs, prefixes=VOCABULARY):
        name = r["tl"].value if r["tl"] is not None else _local(r["t"].value)
        found.setdefault(r["s"].value, set()).add(name)
    return {s: sorted(names)[0] for s, names in found.items()}


def rows(store: ox.Store, base: str) -> tuple[list[tuple[str, str, str]],
                                              list[tuple[str, str, str]]]:
    """(docs rows (iri, label, body), things rows (iri, label, type)), sorted: same data, same
    index."""
    labels = _labels(store, base)
    types = _types(store, base)
    words_only = tuple(base + p for p in BY_WORDS_ONLY)
    docs = {(s, text, "") for s, ls in labels.items() for _p, _lang, text in ls
            if not s.startswith(words_only)}
    passages = {(r["s"].value, r["text"].value)
                for r in solutions(store, PASSAGES, union=True, prefixes=VOCABULARY)}
    docs |= {(s, "", text) for s, text in passages}
    left_out = tuple(base + p for p in LEFT_OUT)
    docs = {d for d in docs if not d[0].startswith(left_out)}
    first_words = {s: text for s, text in sorted(passages, reverse=True)}
    things = []
    for iri in sorted({d[0] for d in docs}):
        if iri in labels:
            label = _best(labels[iri])
        elif iri in first_words:
            text = " ".join(first_words[iri].split())
            label = text if len(text) <= SHORT else text[:SHORT].rsplit(" ", 1)[0] + " …"
        else:
            label = iri[len(base) + 3:]
        things.append((iri, label, types.get(iri, "")))
    return sorted(docs), things


def write_index(store: ox.Store, base: str, path: Path) -> None:
    """Write the index of ``store`` (resources under ``base``) to ``path`` (replaced)."""
    docs, things = rows(store, base)
    path.unlink(missing_ok=True)
    db = sqlite3.connect(path)
    try:
        with db:  # one transaction
            db.executescript(SCHEMA)
            db.executemany("INSERT INTO docs (iri, label, body) VALUES (?, ?, ?)", docs)
            db.executemany("INSERT INTO things (iri, label, type) VALUES (?, ?, ?)", things)
            db.execute("INSERT INTO docs (docs) VALUES ('optimize')")
    finally:
        db.close()


def terms(text: str) -> list[str]:
    """The words of ``text`` as the index's tokenizer splits them (letters and digits)."""
    out, word = [], []
    for ch in text:
        if ch.isalnum():
            word.append(ch)
        elif word:
            out.append("".join(word))
            word = []
    if word:
        out.append("".join(word))
    return out


def match_expression(words: Iterable[str], *, prefix_last: bool = False,
                     column: str | None = None, any_word: bool = False) -> str:
    """An FTS5 MATCH expression requiring every word (``any_word``: one of them): each is quoted
    as a string, so that user text is never read as query syntax (AND, NEAR, ``*``, ``:``)."""
    quoted = ['"' + w.replace('"', '""') + '"' for w in words]
    if prefix_last and quoted:
        quoted[-1] += " *"
    expression = (" OR " if any_word else " AND ").join(quoted)
    return f"{{{column}}} : ({expression})" if column else expression
