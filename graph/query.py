"""Run SPARQL over the built dataset with pyoxigraph (the union of all graphs as default graph)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox

from graph.errors import KGError
from graph.formats import BY_KEY, GRAPH, SOLUTIONS, of_kind
from graph.namespaces import VOCABULARY

# Values for the variables of a query, given as terms rather than pasted into its text.
Substitutions = dict[ox.Variable, ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple]


class QueryError(KGError):
    """The query does not parse or cannot run."""


def load_store(nquads: Path) -> ox.Store:
    if not nquads.is_file():
        raise KGError(f"{nquads}: no build found; run `kg build` first")
    store = ox.Store()
    store.bulk_load(path=str(nquads), format=ox.RdfFormat.N_QUADS)
    return store


def run(store: ox.Store, sparql: str, union: bool = True):
    """Run a user's query; the project's prefixes (kg:, skos:, prov:, ...) are predeclared."""
    try:
        return store.query(sparql, use_default_graph_as_union=union, prefixes=VOCABULARY)
    except SyntaxError as err:
        raise QueryError(f"SPARQL syntax error: {err}") from None


def solutions(store: ox.Store, sparql: str, *, union: bool = False,
              substitutions: Substitutions | None = None,
              prefixes: dict[str, str] | None = None) -> ox.QuerySolutions:
    """Run a query the caller knows is a SELECT; its solutions (TypeError for another form).

    ``substitutions`` binds variables to terms (SEP-0007): the way to put a value, such as an IRI
    from a request or from the store, into a query without pasting it into the query text. A
    substituted variable must be in the SELECT projection; a subquery does not see it unless it
    projects it too. ``prefixes`` are declared for the query as if by PREFIX lines."""
    result = store.query(sparql, use_default_graph_as_union=union, substitutions=substitutions,
                         prefixes=prefixes)
    if not isinstance(result, ox.QuerySolutions):
        raise TypeError(f"expected a SELECT query, got {type(result).__name__}")
    return result


def triples(store: ox.Store, sparql: str, *, union: bool = False,
            substitutions: Substitutions | None = None,
            prefixes: dict[str, str] | None = None) -> ox.QueryTriples:
    """Run a query the caller knows is a CONSTRUCT or DESCRIBE; its triples (``substitutions``
    and ``prefixes`` as for :func:`solutions`)."""
    result = store.query(sparql, use_default_graph_as_union=union, substitutions=substitutions,
                         prefixes=prefixes)
    if not isinstance(result, ox.QueryTriples):
        raise TypeError(f"expected a CONSTRUCT or DESCRIBE query, got {type(result).__name__}")
    return result


def as_bytes(data: bytes | None) -> bytes:
    """What pyoxigraph's serialize()/dump() return without an output target: always bytes."""
    if data is None:
        raise TypeError("serialized to an output target, not to bytes")
    return data


def short(term: object, prefixes: dict[str, str]) -> str:
    """A term as a person reads it: prefixed IRIs, plain literal values."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, ns in prefixes.items():
            if term.value.startswith(ns) and "/" not in term.value[len(ns) :]:
                return f"{prefix}:{term.value[len(ns) :]}"
        return f"<{term.value}>"
    if isinstance(term, ox.Literal):
        return term.value
    return str(term)


def table(results, prefixes: dict[str, str]) -> str:
    """SELECT results as an aligned text table; ASK as yes/no; graphs as Turtle."""
    if isinstance(results, ox.QueryBoolean):
        return "yes" if bool(results) else "no"
    if isinstance(results, ox.QueryTriples):
        return as_bytes(results.serialize(format=ox.RdfFormat.TURTLE)).decode("utf-8")
    names = [v.value for v in results.variables]
    rows = [[short(sol[n], prefixes) for n in names] for sol in results]
    widths = [max([len(n)] + [len(r[i]) for r in rows]) for i, n in enumerate(names)]
    line = "  ".join(n.ljust(w) for n, w in zip(names, widths, strict=True))
    out = [line, "  ".join("-" * w for w in widths)]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in rows]
    out.append(f"({len(rows)} row{'s' if len(rows) != 1 else ''})")
    return "\n".join(out)


def serialize(results, key: str) -> bytes:
    """Results in the format ``key`` names (QueryError if it does not fit the query form)."""
    kind = GRAPH if isinstance(results, ox.QueryTriples) else SOLUTIONS
    fmt = BY_KEY.get(key)
    if fmt is None or fmt.kind != kind:
        form = "a CONSTRUCT/DESCRIBE" if kind == GRAPH else "a SELECT or ASK"
        raise QueryError(f"--format {key} does not fit {form} query "
                         f"(use {', '.join(f.key for f in of_kind(kind))})")
    return as_bytes(results.serialize(format=fmt.engine))
