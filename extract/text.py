"""An article's text: plain text as it is, or the article of an HTML page (trafilatura) with
the page's metadata; and the language it is written in (py3langid)."""

from __future__ import annotations

import re
from typing import Any

_HTML = re.compile(r"^\s*(?:<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>])", re.I)


def looks_like_html(text: str) -> bool:
    """True when ``text`` starts as an HTML document does."""
    return _HTML.match(text[:1000]) is not None


def article_text(raw: str) -> tuple[str, dict[str, Any]]:
    """(text, metadata): an HTML page's main text and its title, date, site and url; plain
    text unchanged with empty metadata. Offsets of every finding point into this text."""
    meta: dict[str, Any] = {"title": None, "published": None, "publisher": None, "url": None}
    if not looks_like_html(raw):
        return raw, meta
    import trafilatura

    text = trafilatura.extract(raw, include_comments=False, include_tables=False) or ""
    doc = trafilatura.extract_metadata(raw)
    if doc is not None:
        meta.update(title=doc.title, published=doc.date, publisher=doc.sitename, url=doc.url)
    return text, meta


def detect_language(text: str) -> str:
    """The ISO 639-1 code of the text's language (py3langid's best guess)."""
    import py3langid

    sample = text[:20000]
    if not sample.strip():
        return "und"
    language, _score = py3langid.classify(sample)
    return str(language)
