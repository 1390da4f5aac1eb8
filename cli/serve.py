"""`kg serve`: build first if needed, then serve the dataset over HTTP."""

from __future__ import annotations

import gc
import sys
from pathlib import Path
from typing import Any

import click

from cli import Context, checked, fail, pass_ctx
from graph.errors import KGError
from graph.search_index import INDEX_FILE
from server import http_server, isolation


def newest_input(settings: dict[str, Any]) -> tuple[float, Path | None]:
    """Modification time and path of the newest file under SEEDS_DIR and ONTOLOGY_DIR."""
    newest, which = 0.0, None
    for folder in (Path(settings["SEEDS_DIR"]), Path(settings["ONTOLOGY_DIR"])):
        for path in folder.rglob("*") if folder.is_dir() else ():
            if path.is_file() and path.stat().st_mtime > newest:
                newest, which = path.stat().st_mtime, path
    return newest, which


def stale_reason(settings: dict[str, Any]) -> str | None:
    """Why the build must be (re)made before serving, or None if it is up to date."""
    artifact = Path(settings["BUILD_DIR"]) / "kg.nq"
    if not artifact.is_file():
        return f"{artifact} is missing"
    index = artifact.with_name(INDEX_FILE)
    if not index.is_file():  # a build from before the search index
        return f"{index} is missing"
    newest, which = newest_input(settings)
    if newest > artifact.stat().st_mtime:
        return f"{artifact} is older than {which}"
    return None


def ensure_build(settings: dict[str, Any]) -> None:
    """Build the dataset first if it is missing or older than the seeds or the ontology."""
    reason = stale_reason(settings)
    if reason is None:
        return
    click.echo(f"{reason}: building first (kg build)", err=True)
    try:
        from graph.build import run_build
    except ImportError as err:
        raise click.ClickException(f"cannot build: the build is not available ({err}); "
                                   "serve a file with --data FILE") from None
    try:
        run_build(settings, progress=lambda message: click.echo(f"  {message}", err=True))
    except KGError as err:
        click.echo("build failed:", err=True)
        fail(err)


def _size(store: Any, settings: dict[str, Any]) -> str:
    """The quad count, and where the queries run. An unreachable store is no reason not to
    start: the server answers 502 until it is back."""
    from server.errors import HttpError

    where = f" in KG_STORE={settings['STORE']}" if settings["STORE"] else ""
    try:
        return f"{len(store)} quads{where}"
    except HttpError as err:
        click.echo(f"warning: {err.message}", err=True)
        return f"quads{where}, not reachable now"


@click.command()
@click.option("--host", default=None, help="Interface to listen on (setting HOST).")
@click.option("--port", type=int, default=None, help="Port to listen on (setting PORT).")
@click.option("--data", "data", type=click.Path(exists=True, dir_okay=False), default=None,
              help="Serve this RDF file (Turtle, TriG, N-Quads, N-Triples, RDF/XML, JSON-LD) "
                   "instead of the build; nothing is built (setting DATA).")
@click.option("--union/--no-union", default=None,
              help="Default graph is the union of all graphs (setting UNION_DEFAULT_GRAPH; "
                   "default: on for the build, off with --data).")
@click.option("--workers", type=int, default=None, help="Query worker processes (WORKERS).")
@click.option("--writable", is_flag=True, default=None,
              help="Scratch mode (WRITABLE), only with --data: accept SPARQL Update at /sparql; "
                   "updates change the in-memory copy, never the file. Queries then run in the "
                   "web process: QUERY_TIMEOUT is not enforced.")
@pass_ctx
def serve(ctx: Context, host: str | None, port: int | None, data: str | None,
          union: bool | None, workers: int | None, writable: bool | None) -> None:
    """Serve the knowledge graph: SPARQL endpoint, linked-data pages, query UI."""
    from server import create_app
    from server.store import DataError

    options = {"HOST": host, "PORT": port, "DATA": data, "UNION_DEFAULT_GRAPH": union,
               "WORKERS": workers, "WRITABLE": writable}
    # The options on top of the settings as loaded, checked again as a whole: an option may
    # change what is derived (--data turns the union default graph off, as KG_DATA does).
    settings = checked({**ctx.loaded, **{k: v for k, v in options.items() if v is not None}})
    if not settings["DATA"]:
        ensure_build(settings)
    isolation.few_arenas()  # before the HTTP threads start
    try:
        app = create_app(settings)
    except DataError as err:
        click.echo(f"error: {err}", err=True)
        sys.exit(2)
    # What start-up made is shared with the fork server and the workers: freeze it, so that
    # this process's garbage collector does not write to (and so copy) every page of it.
    gc.collect()
    gc.freeze()
    kg = app.config["KG"]
    pool = app.extensions.get("kg_workers")
    if pool is not None:
        pool.start()
    graph = "union of all graphs" if kg["UNION_DEFAULT_GRAPH"] else "the file's default graph"
    click.echo(f"serving {app.extensions['kg'].path} ({_size(app.extensions['kg'], kg)}; "
               f"default graph: {graph}) at http://{kg['HOST']}:{kg['PORT']}/sparql", err=True)
    if kg["WRITABLE"]:
        click.echo("WRITABLE scratch mode: SPARQL Update is accepted (never LOAD or SERVICE); "
                   "changes stay in memory and the file is never written. Queries run in the web "
                   "process (WORKERS=0): QUERY_TIMEOUT is NOT enforced.", err=True)
    http_server.serve(app, kg, warn=lambda message: click.echo(f"warning: {message}", err=True))
