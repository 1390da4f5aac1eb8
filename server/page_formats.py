"""Formats of the linked-data pages (HTML or RDF) and of the dump, chosen by suffix or by Accept.

The SPARQL results table lives in ``server.conneg``; this one adds HTML for resource pages and
picks, like it, the most specific matching Accept range (ties go to the first format listed).
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from server.conneg import best_match, parse_accept


@dataclass(frozen=True)
class PageFormat:
    suffix: str
    media_type: str
    rdf: ox.RdfFormat | None = None
    aliases: tuple[str, ...] = ()

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"


HTML = PageFormat("html", "text/html", None, ("application/xhtml+xml",))
# A resource page: HTML for people first, then RDF.
RESOURCE_FORMATS: tuple[PageFormat, ...] = (
    HTML,
    PageFormat("ttl", "text/turtle", ox.RdfFormat.TURTLE, ("application/x-turtle",)),
    PageFormat("jsonld", "application/ld+json", ox.RdfFormat.JSON_LD, ("application/json",)),
    PageFormat("nt", "application/n-triples", ox.RdfFormat.N_TRIPLES, ("text/plain",)),
)
# The ontology: pyLODE's HTML or the Turtle source.
ONTOLOGY_FORMATS: tuple[PageFormat, ...] = RESOURCE_FORMATS[:2]
# The whole dataset.
DUMP_FORMATS: tuple[PageFormat, ...] = (
    PageFormat("nq", "application/n-quads", ox.RdfFormat.N_QUADS),
    PageFormat("trig", "application/trig", ox.RdfFormat.TRIG),
)


def by_suffix(formats: tuple[PageFormat, ...], suffix: str) -> PageFormat | None:
    return next((f for f in formats if f.suffix == suffix), None)


def choose(formats: tuple[PageFormat, ...], accept: str | None) -> PageFormat | None:
    """The format Accept prefers; the first one without Accept; None when none is acceptable."""
    ranges = parse_accept(accept or "")
    if not ranges:
        return formats[0]
    return best_match(formats, ranges)


def split_suffix(path: str, formats: tuple[PageFormat, ...]) -> tuple[str, PageFormat | None]:
    """``person/x.ttl`` -> (``person/x``, Turtle); a path without a known suffix is kept whole."""
    stem, dot, suffix = path.rpartition(".")
    if dot and "/" not in suffix:
        fmt = by_suffix(formats, suffix)
        if fmt is not None:
            return stem, fmt
    return path, None
