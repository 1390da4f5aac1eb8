"""`kg wikidata reconcile|fetch|standin` and `kg export --wikibase`."""

from __future__ import annotations

import datetime as dt
import signal
import sys
from pathlib import Path
from typing import Any

import click

from cli import Context, fail, pass_ctx
from graph.errors import KGError


def _date(value: str | None) -> str:
    if value is None:
        return dt.date.today().isoformat()
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD",
                                 param_hint="--date") from None


endpoint_option = click.option(
    "--endpoint", help="SPARQL endpoint to ask (default: the WIKIDATA_ENDPOINT setting).")
timeout_option = click.option(
    "--timeout", type=float, help="Seconds one request may take (default: SERVICE_TIMEOUT).")


def _client(settings: dict[str, Any], endpoint: str | None, timeout: float | None):
    from graph.wikidata.client import SparqlClient

    return SparqlClient(endpoint or settings["WIKIDATA_ENDPOINT"],
                        timeout if timeout is not None else float(settings["SERVICE_TIMEOUT"]))


def _entities(settings: dict[str, Any]):
    from graph.seeds import load_entities

    seeds = Path(settings["SEEDS_DIR"])
    return seeds / "entities.yaml", load_entities(seeds / "entities.yaml", seeds / "schema")


@click.group()
def wikidata() -> None:
    """Link the registry to Wikidata: reconcile QIDs, cache facts, run a local stand-in."""


@wikidata.command()
@click.argument("entity_ids", nargs=-1)
@click.option("--write", is_flag=True, help="Record confirmed links (exactly one candidate).")
@click.option("--date", "date", help="Date recorded with written links (default: today).")
@endpoint_option
@timeout_option
@pass_ctx
def reconcile(ctx: Context, entity_ids: tuple[str, ...], write: bool, date: str | None,
              endpoint: str | None, timeout: float | None) -> None:
    """Find Wikidata items for registry entries that have a Wikipedia title but no QID.

    Evidence: the English Wikipedia sitelink with that title, and the exact English label with
    an expected P31 type. Only an entry whose evidence names exactly one item is confirmed;
    --write inserts its wikidata, wikidata_method and wikidata_date lines into entities.yaml.
    """
    from graph.wikidata.reconcile import pending, reconcile_entity, write_links

    settings = ctx.settings
    when = _date(date)
    try:
        path, entities = _entities(settings)
        todo = pending(entities)
        if entity_ids:
            unknown = sorted(set(entity_ids) - set(entities))
            if unknown:
                raise click.BadParameter(", ".join(unknown) + " not in the registry")
            todo = [e for e in todo if e.id in entity_ids]
        client = _client(settings, endpoint, timeout)
        outcomes = []
        for entity in todo:
            outcome = reconcile_entity(client, entity)
            outcomes.append(outcome)
            click.echo(f"{entity.id}  (Wikipedia: {entity.wikipedia})")
            for c in outcome.candidates:
                click.echo(f"  wd:{c.qid}  " + "; ".join(c.evidence))
            click.echo(f"  -> {outcome.verdict}")
        written = write_links(path, outcomes, when) if write else []
    except KGError as err:
        fail(err)
    confirmed = sum(o.confirmed is not None for o in outcomes)
    click.echo(f"{len(outcomes)} entries asked of {client.endpoint}: {confirmed} confirmed, "
               f"{len(outcomes) - confirmed} left as they are", err=True)
    for o in written:
        assert o.confirmed is not None  # write_links writes confirmed outcomes only
        click.echo(f"wrote {o.entity.id}: wikidata {o.confirmed.qid} ({when}) to {path}", err=True)
    if confirmed and not write:
        click.echo("run again with --write to record the confirmed links", err=True)


@wikidata.command()
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="Cache file (default: SEEDS_DIR/wikidata-cache.nt).")
@click.option("--date", "date", help="Retrieval date recorded per item (default: today).")
@endpoint_option
@timeout_option
@pass_ctx
def fetch(ctx: Context, output: Path | None, date: str | None, endpoint: str | None,
          timeout: float | None) -> None:
    """Cache labels, descriptions, P31, P625 and enwiki sitelinks of every linked item."""
    from graph.build import WIKIDATA_CACHE
    from graph.wikidata.fetch import fetch as do_fetch
    from graph.wikidata.fetch import linked_items, write_cache

    settings = ctx.settings
    when = _date(date)
    target = output or Path(settings["SEEDS_DIR"]) / WIKIDATA_CACHE
    try:
        _path, entities = _entities(settings)
        client = _client(settings, endpoint, timeout)
        got = do_fetch(client, linked_items(entities), when)
        write_cache(target, got.lines)
    except KGError as err:
        fail(err)
    click.echo(f"wrote {target}: {len(got.lines)} triples about {len(got.items)} items "
               f"from {client.endpoint} ({when})")
    if got.missing:
        click.echo("no data for: " + " ".join(f"wd:{q}" for q in got.missing), err=True)


@wikidata.command()
@click.option("--port", type=int, help="Port on 127.0.0.1 (default: a free one).")
@click.option("--fixtures", type=click.Path(path_type=Path, file_okay=False),
              default=Path("tests/data/wikidata"), show_default=True,
              help="Folder of *.ttl files in the Wikidata RDF dump format.")
def standin(port: int | None, fixtures: Path) -> None:
    """Serve a local Wikidata stand-in (Oxigraph, loopback only) until interrupted."""
    from graph.wikidata import WIKIDATA_SPARQL
    from graph.wikidata import standin as sd

    try:
        server = sd.start(sd.fixture_files(fixtures), port=port)
    except KGError as err:
        fail(err)
    click.echo(f"Wikidata stand-in: {server.url}\nuse it with:\n"
               f"  KG_WIKIDATA_ENDPOINT={server.url}\n"
               f"  KG_SERVICE_MAP='{{\"{WIKIDATA_SPARQL}\": \"{server.url}\"}}'\n"
               "Ctrl-C to stop")
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop the server on kill, too
    try:
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


@click.command()
@click.option("--wikibase", is_flag=True, help="Wikidata-style statements with references.")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File (default: stdout).")
@pass_ctx
def export(ctx: Context, wikibase: bool, output: Path | None) -> None:
    """Export the built dataset (BUILD_DIR/kg.nq) in another shape."""
    from graph.query import load_store
    from graph.wikidata.export import export_query, export_wikibase

    if not wikibase:
        raise click.UsageError("choose what to export: --wikibase")
    settings = ctx.settings
    try:
        query = export_query(Path(settings["QUERIES_DIR"]))
        body = export_wikibase(load_store(Path(settings["BUILD_DIR"]) / "kg.nq"), query)
    except KGError as err:
        fail(err)
    if output is None:
        click.echo(body.decode("utf-8"), nl=False)
    else:
        output.write_bytes(body)
        click.echo(f"wrote {output}", err=True)
