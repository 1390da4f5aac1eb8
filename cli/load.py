"""`kg load --store URL`: bulk-load the build into a SPARQL store, named graphs included.

First as one streamed N-Quads POST to the Graph Store Protocol service (Oxigraph server takes a
whole dataset so); if the store refuses that media type, graph by graph with a Graph Store
Protocol PUT each (N-Triples), spooled to temporary files so that memory stays bounded. Then
each named graph's size in the store is checked against the file's.
"""

from __future__ import annotations

import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import click
import pyoxigraph as ox
import requests

from cli import Context, checked, pass_ctx
from graph.formats import for_file

TIMEOUT = (10.0, 3600.0)  # connect; between two reads while the store indexes the data
# Statuses a store answers a dataset body it does not take, rather than bad data.
NOT_A_DATASET = {405, 406, 415, 501}
SPOOL_BYTES = 8_000_000  # quads held in memory before they are appended to their graph's file
IO_TYPE = ox.RdfFormat.N_QUADS.media_type
GRAPH_SIZES = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


class LoadError(Exception):
    """The store refused or could not be reached: the one-line message says where."""


def _check(reply: requests.Response, url: str) -> None:
    if reply.status_code >= 300:
        detail = reply.text[:200].strip().replace("\n", " ")
        raise LoadError(f"{url} answered HTTP {reply.status_code}" +
                        (f": {detail}" if detail else ""))


def _send(method: str, url: str, **kwargs: object) -> requests.Response:
    try:
        return requests.request(method, url, timeout=TIMEOUT, **kwargs)  # type: ignore[arg-type]
    except requests.RequestException as err:
        raise LoadError(f"{url} is unreachable: {type(err).__name__}") from None


def _graph_files(quads: Iterator[ox.Quad], folder: Path) -> dict[ox.NamedNode | None, Path]:
    """Each graph's triples as an N-Triples file in ``folder`` (None: the default graph)."""
    files: dict[ox.NamedNode | None, Path] = {}
    pending: dict[ox.NamedNode | None, list[ox.Triple]] = {}
    held = 0

    def flush() -> None:
        nonlocal held
        for graph, triples in pending.items():
            path = files.setdefault(graph, folder / f"{len(files)}.nt")
            with path.open("ab") as out:
                ox.serialize(triples, out, format=ox.RdfFormat.N_TRIPLES)
        pending.clear()
        held = 0

    for quad in quads:
        graph = quad.graph_name if isinstance(quad.graph_name, ox.NamedNode) else None
        pending.setdefault(graph, []).append(quad.triple)
        held += len(str(quad))
        if held > SPOOL_BYTES:
            flush()
    flush()
    return files


def _per_graph(data: Path, fmt: ox.RdfFormat, store: str) -> int:
    """PUT each graph of ``data``; the number of graphs."""
    with tempfile.TemporaryDirectory(prefix="kg-load-") as folder:
        files = _graph_files(ox.parse(path=str(data), format=fmt), Path(folder))
        for graph, path in files.items():
            params = {"graph": graph.value} if graph is not None else {"default": ""}
            with path.open("rb") as body:
                _check(_send("PUT", store, params=params, data=body,
                             headers={"Content-Type": "application/n-triples"}), store)
        return len(files)


def _file_sizes(data: Path, fmt: ox.RdfFormat) -> Counter[str]:
    """Quads per named graph in ``data``."""
    return Counter(q.graph_name.value for q in ox.parse(path=str(data), format=fmt)
                   if isinstance(q.graph_name, ox.NamedNode))


def _stored_sizes(query_url: str) -> Counter[str]:
    """Quads per named graph in the store."""
    reply = _send("POST", query_url, data={"query": GRAPH_SIZES},
                  headers={"Accept": "application/sparql-results+json"})
    _check(reply, query_url)
    try:
        rows = ox.parse_query_results(reply.content, format=ox.QueryResultsFormat.JSON)
        if not isinstance(rows, ox.QuerySolutions):
            raise ValueError("not solutions")
        return Counter({row["g"].value: int(row["n"].value) for row in rows})
    except (SyntaxError, ValueError, TypeError, AttributeError) as err:
        raise LoadError(f"{query_url} answered graph sizes that do not parse: {err}") from None


def _difference(want: Counter[str], query_url: str) -> str | None:
    """The first graph whose size in the store is not the file's, in words; None if none."""
    got = _stored_sizes(query_url)
    for graph, size in sorted(want.items()):
        if got[graph] != size:
            return f"graph <{graph}> holds {got[graph]} quads, the file {size}"
    return None


def load_store(data: Path, store: str, query_path: str, data_path: str) -> tuple[int, str]:
    """Load ``data`` into the store at ``store`` and check each named graph's size there;
    (quads loaded into named graphs, how)."""
    fmt = for_file(data)
    if fmt is None or not data.is_file():
        raise LoadError(f"{data}: no such RDF file")
    data_url, query_url = store.rstrip("/") + data_path, store.rstrip("/") + query_path
    try:
        want = _file_sizes(data, fmt.rdf)
    except (SyntaxError, ValueError, OSError) as err:
        raise LoadError(f"{data}: {err}") from None
    if fmt.rdf == ox.RdfFormat.N_QUADS:
        with data.open("rb") as body:
            reply = _send("POST", data_url, data=body, headers={"Content-Type": IO_TYPE})
        if reply.status_code not in NOT_A_DATASET:
            _check(reply, data_url)
            # Some stores answer 200 to a body they do not load (Virtuoso: without ?graph=).
            if _difference(want, query_url) is None:
                return want.total(), "one N-Quads request"
    # Graph by graph: a PUT replaces the graph, also what a dataset request left of it.
    graphs = _per_graph(data, fmt.rdf, data_url)
    difference = _difference(want, query_url)
    if difference is not None:
        raise LoadError(f"{store}: after loading {data}, {difference}")
    return want.total(), f"{graphs} graphs, one request each"


@click.command()
@click.option("--store", "store", default=None, metavar="URL",
              help="The store's base URL, e.g. http://127.0.0.1:7878 (setting STORE).")
@click.option("--data", "data", type=click.Path(dir_okay=False), default=None,
              help="Load this RDF file instead of the build's kg.nq.")
@pass_ctx
def load(ctx: Context, store: str | None, data: str | None) -> None:
    """Bulk-load the build into a SPARQL store (Graph Store Protocol), named graphs included."""
    if not (store or ctx.loaded["STORE"]):
        raise click.UsageError("no store: give --store URL or set KG_STORE")
    settings = checked({**ctx.loaded, **({"STORE": store} if store else {})})
    url = settings["STORE"]
    path = Path(data) if data else ctx.path("BUILD_DIR") / "kg.nq"
    try:
        stored, how = load_store(path, url, settings["STORE_QUERY_PATH"],
                                 settings["STORE_DATA_PATH"])
    except LoadError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)
    click.echo(f"loaded {path} into {url} ({how}): {stored} quads in named graphs, each "
               "graph's size checked", err=True)
