"""The extraction assistant: an article's exact text in, what it found out (JSON-ready), each
finding with its code-point span in that text. It reads the registry; it never writes.

``extract(text, published=..., language=..., registry=...)`` is the one entry point (used by
``kg extract`` and meant for ``kg ingest``); the output's shape is
seeds/schema/extraction.schema.json.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from extract.lexicon import Lexicon, build_lexicon

# What the assistant does only for English; a text in another language says it was not tried.
ENGLISH_ONLY = ("proposed entities", "statements", "dates", "quantities", "claims")


def extract(text: str, *, published: str | None = None, language: str | None = None,
            registry: Lexicon | Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Findings in ``text`` (plain text, or an HTML page whose article text is analysed: see
    ``extract.text.article_text``). ``published`` (YYYY-MM-DD) anchors relative dates; else a
    byline or dateline does. ``language`` (ISO 639-1) skips detection. ``registry`` is a
    ``Lexicon`` (``extract.lexicon.load_lexicon``) or the ``graph.seeds.load_entities`` dict;
    without it no mention is linked. Raises ValueError for a str with a lone surrogate."""
    from extract.dates import byline_date, find_dates
    from extract.draft import draft_claims
    from extract.mentions import find_mentions
    from extract.nlp import parse, sentences
    from extract.quantities import find_quantities
    from extract.relative import reanchor
    from extract.statements import find_statements
    from extract.text import article_text, detect_language

    surrogate = next((i for i, c in enumerate(text) if "\ud800" <= c <= "\udfff"), None)
    if surrogate is not None:
        # Not text a file can hold (a lone surrogate): spans into it could not be written out.
        raise ValueError(f"text is not valid Unicode: a lone surrogate at {surrogate}")
    lexicon = registry if isinstance(registry, Lexicon) or registry is None \
        else build_lexicon(registry)
    text, meta = article_text(text)
    language = language or detect_language(text)
    byline, dateline = byline_date(text)
    published = published or byline or _iso_day(meta.get("published"))
    doc = parse(text)
    sents = sentences(doc)
    english = language == "en"
    mentions = find_mentions(doc, lexicon, language, propose=english)
    dates = find_dates(text, published) if english else []
    spans = [(d["start"], d["end"]) for d in dates]
    quantities = find_quantities(text, spans) if english else []
    statements = find_statements(text, sents, mentions, dates, lexicon) if english else []
    reanchor(dates, statements, published)
    claims = draft_claims(text, sents, statements, quantities, mentions) if english else []
    return {
        "text_sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "language": language,
        "metadata": {"title": meta.get("title") or _title(text), "published": published,
                     "publisher": meta.get("publisher"), "url": meta.get("url"),
                     "dateline": dateline},
        "sentences": sents,
        "mentions": mentions,
        "statements": statements,
        "dates": dates,
        "quantities": quantities,
        "claims": claims,
        "not_attempted": [] if english else list(ENGLISH_ONLY),
    }


def _iso_day(value: Any) -> str | None:
    return value[:10] if isinstance(value, str) and len(value) >= 10 else None


def _title(text: str) -> str | None:
    """The first non-empty line, as a headline usually is."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return None
