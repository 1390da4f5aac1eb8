"""Read the full-text index `kg build` writes (graph/search_index.py): ranked search and label
suggestions. The index file is opened when the app starts, read-only, through the build version
the data was read from: the open file stays the same even when a new build is switched in (and
the old one removed) while the server runs, so that index and data always agree."""

from __future__ import annotations

import sqlite3
import threading
from dataclasses import dataclass
from pathlib import Path

from graph.search_index import match_expression, terms
from server.store import DataError

MAX_QUERY_CHARS = 200  # longer search text is refused (400), not cut
MAX_WORDS = 12  # more words than this are refused as well
CANDIDATES = 400  # rows read from the index before grouping them by resource
START, END = "\x02", "\x03"  # marks around matched words in a snippet (never in the data)
# SQL with parameters only: the MATCH expression (user words, each quoted) and the limit.
SEARCH = """
SELECT docs.iri, things.label, things.type,
       snippet(docs, -1, char(2), char(3), '…', 24), bm25(docs, 0.0, 10.0, 1.0)
FROM docs JOIN things ON things.iri = docs.iri
WHERE docs MATCH ? ORDER BY bm25(docs, 0.0, 10.0, 1.0) LIMIT ?"""
SUGGEST = """
SELECT docs.iri, things.label, things.type, docs.label
FROM docs JOIN things ON things.iri = docs.iri
WHERE docs MATCH ? ORDER BY bm25(docs, 0.0, 10.0, 1.0), length(docs.label) LIMIT ?"""


class SearchIndexError(DataError):
    """The index file exists but cannot be read."""


@dataclass(frozen=True)
class Hit:
    iri: str
    label: str
    type: str
    snippet: list[tuple[str, bool]]  # (text, matched)
    score: float

    @property
    def snippet_text(self) -> str:
        return "".join(text for text, _ in self.snippet)


@dataclass(frozen=True)
class Suggestion:
    iri: str
    label: str  # the resource's preferred label
    match: str  # the label that matched (a variant, perhaps)
    type: str


def split_snippet(marked: str) -> list[tuple[str, bool]]:
    """"a \\x02b\\x03 c" -> [("a ", False), ("b", True), (" c", False)]."""
    parts: list[tuple[str, bool]] = []
    for i, chunk in enumerate(marked.split(START)):
        inside, _, rest = chunk.partition(END) if i else ("", "", chunk)
        if inside:
            parts.append((inside, True))
        if rest:
            parts.append((rest, False))
    return parts


class SearchIndex:
    """The index, open read-only; queries are serialised by a lock (each takes milliseconds)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            # immutable: the file never changes (a build writes a new one), so no locking.
            self.db = sqlite3.connect(Path(path).resolve().as_uri() + "?mode=ro&immutable=1",
                                      uri=True, check_same_thread=False)
            self.db.execute("SELECT iri, label, type FROM things LIMIT 1").fetchall()
            self.db.execute("SELECT iri, label, body FROM docs LIMIT 1").fetchall()
        except sqlite3.Error as err:
            raise SearchIndexError(
                f"{path}: not a search index made by `kg build` ({err})") from None
        self.lock = threading.Lock()

    @classmethod
    def beside(cls, data: Path, name: str) -> SearchIndex | None:
        """The index ``name`` in the folder of the data file, or None when there is none."""
        path = Path(data).parent / name
        return cls(path) if path.is_file() else None

    def _rows(self, sql: str, expression: str) -> list[tuple]:
        with self.lock:
            return self.db.execute(sql, (expression, CANDIDATES)).fetchall()

    def search(self, words: list[str], limit: int) -> tuple[list[Hit], bool]:
        """(hits, every word): the resources with a label or passage holding every word, best
        first, one hit per resource; when there is none, those holding any of the words."""
        if not words:
            return [], True
        hits = self._hits(match_expression(words), limit)
        if hits or len(words) == 1:
            return hits, True
        return self._hits(match_expression(words, any_word=True), limit), False

    def _hits(self, expression: str, limit: int) -> list[Hit]:
        hits: dict[str, Hit] = {}
        for iri, label, kind, snippet, rank in self._rows(SEARCH, expression):
            if iri not in hits:
                hits[iri] = Hit(iri, label, kind, split_snippet(snippet), round(-rank, 6))
                if len(hits) == limit:
                    break
        return list(hits.values())

    def suggest(self, words: list[str], limit: int) -> list[Suggestion]:
        """Resources with a label holding every word, the last one as a prefix."""
        if not words:
            return []
        expression = match_expression(words, prefix_last=True, column="label")
        found: dict[str, Suggestion] = {}
        for iri, label, kind, matched in self._rows(SUGGEST, expression):
            if iri not in found:
                if len(found) == limit:
                    break
                found[iri] = Suggestion(iri, label, matched, kind)
            elif matched == label:  # the preferred label matched too: show it rather than a variant
                found[iri] = Suggestion(iri, label, matched, kind)
        return list(found.values())


def words_of(text: str) -> list[str]:
    """The words to search for in a user's text (ValueError, saying why, when too long)."""
    if len(text) > MAX_QUERY_CHARS:
        raise ValueError(f"The search text is {len(text)} characters long; the most is "
                         f"{MAX_QUERY_CHARS}.")
    words = terms(text)
    if len(words) > MAX_WORDS:
        raise ValueError(f"The search text has {len(words)} words; the most is {MAX_WORDS}.")
    return words
