"""The one table of formats: every serialisation the project reads or writes, built on
pyoxigraph's own ``RdfFormat`` / ``QueryResultsFormat`` (which carry the media type and the file
extension). Used by the CLI, the store loader, the endpoint, the pages and the dump."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

# What a response holds: query solutions (SELECT/ASK), an RDF graph or dataset, or a page.
SOLUTIONS = "solutions"
GRAPH = "graph"
PAGE = "page"


@dataclass(frozen=True)
class Format:
    """A format: its key (``format=``, ``--format``, URL suffix), pyoxigraph's format, the
    other media types and names it answers to, and the file suffixes it is read from."""

    key: str
    engine: ox.RdfFormat | ox.QueryResultsFormat | None
    aliases: tuple[str, ...] = ()  # other media types an Accept header may name
    names: tuple[str, ...] = ()  # other ``format=`` values (those SPARQLWrapper sends, too)
    suffixes: tuple[str, ...] = ()  # file suffixes it is read from, besides the engine's
    served: bool = True  # offered in HTTP responses (N3 is only read)

    @property
    def kind(self) -> str:
        if isinstance(self.engine, ox.QueryResultsFormat):
            return SOLUTIONS
        return GRAPH if self.engine is not None else PAGE

    @property
    def media_type(self) -> str:
        if self.engine is None:
            return "text/html"
        return self.engine.media_type.split(";")[0]

    @property
    def content_type(self) -> str:
        return f"{self.media_type}; charset=utf-8"

    @property
    def file_suffixes(self) -> tuple[str, ...]:
        own = (self.engine.file_extension,) if self.engine is not None else (self.key,)
        return own + self.suffixes

    def answers_to(self, name: str) -> bool:
        return name in (self.key, *self.names, self.media_type, *self.aliases)

    @property
    def rdf(self) -> ox.RdfFormat:
        """pyoxigraph's RDF format (TypeError for a results format or HTML)."""
        if not isinstance(self.engine, ox.RdfFormat):
            raise TypeError(f"{self.key} is not an RDF format")
        return self.engine

    @property
    def results(self) -> ox.QueryResultsFormat:
        """pyoxigraph's query results format (TypeError for an RDF format or HTML)."""
        if not isinstance(self.engine, ox.QueryResultsFormat):
            raise TypeError(f"{self.key} is not a query results format")
        return self.engine


R, Q = ox.RdfFormat, ox.QueryResultsFormat
# Order matters: within a kind, the first entry is the default and wins Accept ties.
FORMATS: tuple[Format, ...] = (
    Format("json", Q.JSON, ("application/json",)),
    Format("xml", Q.XML, ("application/xml",)),
    Format("csv", Q.CSV),
    Format("tsv", Q.TSV),
    Format("ttl", R.TURTLE, ("application/x-turtle",), ("turtle", "n3")),
    Format("nt", R.N_TRIPLES, ("text/plain",), ("ntriples", "n-triples")),
    Format("nq", R.N_QUADS, (), ("nquads", "n-quads")),
    Format("trig", R.TRIG),
    Format("jsonld", R.JSON_LD, ("application/json",), ("json-ld", "json"), ("json",)),
    Format("rdfxml", R.RDF_XML, ("application/xml",), ("rdf", "xml", "rdf+xml"), ("owl", "xml")),
    Format("n3", R.N3, served=False),
    Format("html", None, ("application/xhtml+xml",)),
)
BY_KEY: dict[str, Format] = {f.key: f for f in FORMATS}


def of_kind(kind: str) -> tuple[Format, ...]:
    """The served formats of one kind, the default first."""
    return tuple(f for f in FORMATS if f.kind == kind and f.served)


def select(*keys: str) -> tuple[Format, ...]:
    """The formats with these keys, in this order (a page's offer: HTML first, then RDF)."""
    return tuple(BY_KEY[k] for k in keys)


def for_file(path: Path | str) -> Format | None:
    """The RDF format a file is read as, by its suffix (None if unknown)."""
    suffix = Path(path).suffix.lower().lstrip(".")
    return next((f for f in FORMATS if f.kind == GRAPH and suffix in f.file_suffixes), None)


def rdf_suffixes() -> list[str]:
    """Every file suffix an RDF file may have, for messages."""
    return [f".{s}" for f in FORMATS if f.kind == GRAPH for s in f.file_suffixes]
