"""Ground evidence: the exact quote must stand in the verbatim text at its code-point offsets."""

from __future__ import annotations

import re
from dataclasses import dataclass

from graph.errors import SeedError
from graph.seeds import Article, Span

CONTEXT = 32  # code points of prefix and suffix kept in the TextQuoteSelector


@dataclass(frozen=True)
class Grounded:
    start: int
    end: int
    exact: str
    prefix: str
    suffix: str


def _whitespace_pattern(quote: str) -> re.Pattern[str]:
    """The quote with any run of white space (incl. no-break spaces) matching any other."""
    parts = [re.escape(p) for p in quote.split()]
    return re.compile(r"\s+".join(parts))


def find_all(text: str, quote: str) -> list[int]:
    """Every offset where ``quote`` stands exactly in ``text``."""
    found, i = [], text.find(quote)
    while i != -1:
        found.append(i)
        i = text.find(quote, i + 1)
    return found


def locate(text: str, quote: str) -> list[tuple[int, str]]:
    """Where a quote stands, matching white space loosely: (start, exact text) pairs."""
    return [(m.start(), m.group(0)) for m in _whitespace_pattern(quote).finditer(text)]


def ground(article: Article, span: Span) -> Grounded:
    """Check one evidence span against the article text; raise a SeedError naming the line."""
    text, quote = article.text, span.exact
    where = f"in {article.text_path.name}"
    if text[span.start : span.end] != quote:
        exact_at = find_all(text, quote)
        if exact_at:
            raise SeedError(
                article.yaml_path,
                span.line,
                f'evidence "{_short(quote)}" is not at offset {span.start} {where}; '
                f"it stands at {', '.join(map(str, exact_at))}",
            )
        loose = locate(text, quote)
        if loose:
            start, found = loose[0]
            raise SeedError(
                article.yaml_path,
                span.line,
                f'evidence "{_short(quote)}" not found {where}; white space differs from the text '
                f"at offset {start}: {found!r}",
            )
        raise SeedError(
            article.yaml_path, span.line, f'evidence "{_short(quote)}" not found {where}'
        )
    for b in article.boilerplate:
        if span.start < b.end and b.start < span.end:
            raise SeedError(
                article.yaml_path,
                span.line,
                f'evidence "{_short(quote)}" lies in site boilerplate ({b.what}, '
                f"{b.start}-{b.end}) {where}",
            )
    return Grounded(
        start=span.start,
        end=span.end,
        exact=quote,
        prefix=text[max(0, span.start - CONTEXT) : span.start],
        suffix=text[span.end : span.end + CONTEXT],
    )


def check_boilerplate(article: Article) -> None:
    """Boilerplate spans must lie inside the text and be well-formed."""
    for b in article.boilerplate:
        if not 0 <= b.start < b.end <= len(article.text):
            raise SeedError(
                article.yaml_path,
                article.meta_lines.get("boilerplate"),
                f"boilerplate span {b.start}-{b.end} ({b.what}) is outside the text "
                f"(0-{len(article.text)})",
            )


def _short(quote: str, width: int = 60) -> str:
    return quote if len(quote) <= width else quote[: width - 1] + "…"
