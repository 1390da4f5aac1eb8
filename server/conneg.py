"""The one table of media types, and content negotiation over it (q-values, wildcards, 406)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# What a response holds: query solutions (SELECT/ASK) or an RDF graph (CONSTRUCT/DESCRIBE, the
# service description, VoID).
SOLUTIONS = "solutions"
GRAPH = "graph"


@dataclass(frozen=True)
class MediaType:
    """A result format: its ``format=`` key, media type, kind, aliases and other format names."""

    key: str
    media_type: str
    kind: str
    aliases: tuple[str, ...] = ()
    names: tuple[str, ...] = ()  # more ``format=`` values (those SPARQLWrapper sends, too)

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"

    def answers_to(self, name: str) -> bool:
        return name in (self.key, *self.names, self.media_type, *self.aliases)


# Order matters: within a kind, the first entry is the default and wins ties.
MEDIA_TYPES: tuple[MediaType, ...] = (
    MediaType("json", "application/sparql-results+json", SOLUTIONS, ("application/json",)),
    MediaType("xml", "application/sparql-results+xml", SOLUTIONS, ("application/xml",)),
    MediaType("csv", "text/csv", SOLUTIONS),
    MediaType("tsv", "text/tab-separated-values", SOLUTIONS),
    MediaType("ttl", "text/turtle", GRAPH, ("application/x-turtle",), ("turtle", "n3")),
    MediaType("nt", "application/n-triples", GRAPH, ("text/plain",), ("ntriples", "n-triples")),
    MediaType("nq", "application/n-quads", GRAPH, (), ("nquads", "n-quads")),
    MediaType("trig", "application/trig", GRAPH),
    MediaType("jsonld", "application/ld+json", GRAPH, ("application/json",), ("json-ld", "json")),
    MediaType(
        "rdfxml", "application/rdf+xml", GRAPH, ("application/xml",), ("rdf", "xml", "rdf+xml")
    ),
)

BY_KEY: dict[str, MediaType] = {m.key: m for m in MEDIA_TYPES}


class NotAcceptable(Exception):
    """No format of the right kind is acceptable to the client (HTTP 406)."""


class UnknownFormat(ValueError):
    """A ``format=`` value that names no format of the right kind (HTTP 400)."""


def parse_accept(header: str) -> list[tuple[str, str, float]]:
    """Parse an Accept header into ``(type, subtype, q)`` ranges; malformed parts are skipped."""
    ranges = []
    for part in header.split(","):
        fields = [f.strip() for f in part.split(";")]
        if not fields[0] or "/" not in fields[0]:
            continue
        main, _, sub = fields[0].lower().partition("/")
        q = 1.0
        for param in fields[1:]:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = max(0.0, min(1.0, float(value)))
                except ValueError:
                    q = 0.0
        ranges.append((main.strip(), sub.strip(), q))
    return ranges


def _quality(media_type: str, ranges: list[tuple[str, str, float]]) -> tuple[float, int]:
    """(q, specificity) of the most specific range matching ``media_type``; q is -1 if none.

    Specificity ranks exact over type/* over */*, so an explicitly named type beats a wildcard.
    """
    main, _, sub = media_type.partition("/")
    best, best_specificity = -1.0, -1
    for r_main, r_sub, q in ranges:
        if (r_main, r_sub) == (main, sub):
            specificity = 2
        elif r_main == main and r_sub == "*":
            specificity = 1
        elif r_main == "*" and r_sub == "*":
            specificity = 0
        else:
            continue
        if specificity > best_specificity:
            best, best_specificity = q, specificity
    return best, best_specificity


def negotiate(
    kind: str, accept: str | None, formats: str | Sequence[str] | None = None
) -> MediaType:
    """Choose the format for a response of ``kind``: ``format=`` first, then Accept, else default.

    ``formats`` are the ``format=`` values, first known one wins (clients such as SPARQLWrapper
    send a name and a media type). Raises UnknownFormat if none is known and NotAcceptable when
    Accept excludes every format.
    """
    candidates = [m for m in MEDIA_TYPES if m.kind == kind]
    names = [formats] if isinstance(formats, str) else list(formats or [])
    names = [n.strip().lower() for n in names if n and n.strip()]
    for name in names:
        chosen = next((m for m in candidates if m.answers_to(name)), None)
        if chosen is not None:
            return chosen
    if names:
        keys = ", ".join(m.key for m in candidates)
        raise UnknownFormat(f"format={names[0]!r} is not available here (use one of {keys})")
    if not accept or not accept.strip():
        return candidates[0]
    ranges = parse_accept(accept)
    if not ranges:
        return candidates[0]
    best = best_match(candidates, ranges)
    if best is None:
        offered = ", ".join(m.media_type for m in candidates)
        raise NotAcceptable(
            f"none of the accepted media types ({accept}) is available; "
            f"this response can be: {offered}"
        )
    return best


def accepts_html(accept: str | None) -> bool:
    """Whether a browser asked for HTML explicitly (text/html listed with q > 0)."""
    return bool(accept) and any(
        (m, s) == ("text", "html") and q > 0 for m, s, q in parse_accept(accept or "")
    )


def best_match(candidates: Sequence[Any], ranges: list[tuple[str, str, float]]) -> Any:
    """The candidate (anything with ``media_type`` and ``aliases``) the Accept ranges rank
    highest; the earlier one on a tie; None when every candidate has quality 0."""
    best, best_rank = None, (0.0, -1)
    for item in candidates:
        rank = max(_quality(t, ranges) for t in (item.media_type, *item.aliases))
        if rank[0] > 0 and rank > best_rank:
            best, best_rank = item, rank
    return best
