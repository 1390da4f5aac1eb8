"""`kg` commands that build, check, query and inspect the knowledge graph."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import Any

import click

from cli import Context, fail, pass_ctx
from graph.errors import KGError
from graph.formats import GRAPH, SOLUTIONS, of_kind


@click.command()
@click.argument("article_id")
@click.argument("quote")
@pass_ctx
def locate(ctx: Context, article_id: str, quote: str) -> None:
    """Print the offsets of QUOTE in an article's text, as YAML for an evidence entry."""
    import json

    from graph.ground import locate as find
    from graph.seeds import read_text

    path = ctx.path("SEEDS_DIR") / "articles" / f"{article_id}.txt"
    if not path.is_file():
        raise click.BadParameter(f"{path} not found", param_hint="ARTICLE_ID")
    try:
        found = find(read_text(path), quote)
    except KGError as err:
        fail(err)
    if not found:
        click.echo(f"not found in {path}", err=True)
        sys.exit(1)
    for start, exact in found:
        # JSON strings are valid YAML double-quoted strings; a no-break space stays visible.
        quoted = json.dumps(exact, ensure_ascii=False).replace("\u00a0", "\\u00a0")
        click.echo(f"evidence: {{start: {start}, exact: {quoted}}}")


def progress(message: str) -> None:
    click.echo(message, err=True)


def terminal_bar(items: Iterable[Any], length: int, label: str
                 ) -> AbstractContextManager[Iterable[Any]]:
    """A progress bar on standard error if it is a terminal; else the items as they are (logs
    and captured output keep only the step lines)."""
    if not sys.stderr.isatty():
        return nullcontext(items)
    return click.progressbar(items, length=length, label=f"      {label}", file=sys.stderr,
                             show_pos=True)


@click.command()
@click.argument("article_ids", nargs=-1)
@click.option("--quick", is_flag=True,
              help="Only load, ground and map (seconds; no SHACL, reasoning or checks).")
@click.option("--include-drafts", is_flag=True, help="Check the draft claims too.")
@pass_ctx
def check(ctx: Context, article_ids: tuple[str, ...], quick: bool, include_drafts: bool) -> None:
    """Run every step of the build but writing it: "ok" means `kg build` accepts the seeds.

    With ARTICLE_IDS, those articles must exist; with --quick, only they (and the entity
    registry) are loaded and mapped. Shapes and checks span articles, so without --quick the
    whole seeds are checked.
    """
    from graph.build import run_check, run_quick_check

    only = set(article_ids) or None
    try:
        if quick:
            mapped = run_quick_check(ctx.settings, progress, only).mapped
            click.echo(f"mapped: {len(mapped.claims)} claims, {len(mapped.dataset)} triples "
                       "(--quick: not validated, reasoned over or checked)")
            return
        result = run_check(ctx.settings, progress, only, include_drafts)
    except KGError as err:
        fail(err)
    named = f"{', '.join(article_ids)}: " if article_ids else ""
    click.echo(f"ok: {named}the build accepts the seeds ({len(result.mapped.claims)} claims; "
               f"SHACL conforms; {len(result.checks)} checks at zero rows)")


@click.command()
@click.option("--include-drafts", is_flag=True,
              help="Put in the draft claims (status: draft) too, marked kg:extractionMethod "
                   "kg:Automatic; curated ones are kg:Manual.")
@click.option("--no-cache", is_flag=True,
              help="Map every article again, neither reading nor writing the build cache.")
@pass_ctx
def build(ctx: Context, include_drafts: bool, no_cache: bool) -> None:
    """Build the dataset into BUILD_DIR (kg.nq, manifest.json, validation-report.ttl).

    Draft claims are left out unless --include-drafts. An article whose text, annotation,
    registry, ontology and the build's code are unchanged since the last build is not mapped
    again (the cache is BUILD_CACHE_DIR, by default .kg-cache beside BUILD_DIR)."""
    from graph.build import run_build

    try:
        result = run_build(ctx.settings, progress, include_drafts, use_cache=not no_cache,
                           bar=terminal_bar)
    except KGError as err:
        fail(err)
    from graph.namespaces import KG

    total = sum(result.counts.values())
    drafts = len(set(result.mapped.provenance.subjects(KG.extractionMethod, KG.Automatic)))
    click.echo(f"built {ctx.path('BUILD_DIR') / 'kg.nq'}: {total} quads in "
               f"{len(result.counts)} graphs, {len(result.mapped.claims)} claims"
               + (f" ({drafts} drafts)" if include_drafts else "")
               + f"; SHACL conforms; {len(result.checks)} checks at zero rows")


@click.command()
@pass_ctx
def validate(ctx: Context) -> None:
    """Validate the seeds against the shapes; print each result with its claim, file and line."""
    from graph.build import run_validation

    try:
        validation = run_validation(ctx.settings, progress)
    except KGError as err:
        fail(err)
    if validation.conforms:
        click.echo("conforms: no SHACL results")
        return
    for v in validation.violations:
        click.echo(v.describe())
    click.echo(f"{len(validation.violations)} SHACL result(s)", err=True)
    sys.exit(1)


FORMATS = ["table", *(f.key for f in of_kind(SOLUTIONS) + of_kind(GRAPH))]


@click.command()
@click.argument("sparql", required=False)
@click.option("-f", "--file", "query_file", type=click.File("r", encoding="utf-8"),
              help="Read the query from a file ('-' for standard input).")
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="table", show_default=True)
@pass_ctx
def query(ctx: Context, sparql: str | None, query_file, fmt: str) -> None:
    """Run a SPARQL query over the built dataset (default graph = union of all graphs)."""
    from graph import query as q
    from graph.namespaces import prefix_map

    if (sparql is None) == (query_file is None):
        raise click.UsageError("give the query as an argument or with --file, not both")
    text = sparql if sparql is not None else query_file.read()
    try:
        store = q.load_store(ctx.path("BUILD_DIR") / "kg.nq")
        results = q.run(store, text)
        if fmt == "table":
            prefixes = prefix_map(ctx.settings["BASE_IRI"])
            prefixes["id"] = ctx.settings["BASE_IRI"] + "id/"
            click.echo(q.table(results, prefixes))
        else:
            click.echo(q.serialize(results, fmt).decode("utf-8"), nl=False)
    except KGError as err:
        fail(err)


@click.command()
@pass_ctx
def stats(ctx: Context) -> None:
    """Counts of the built dataset: by class, by graph, by article."""
    from graph import query as q
    from graph.stats import stats as compute

    try:
        store = q.load_store(ctx.path("BUILD_DIR") / "kg.nq")
    except KGError as err:
        fail(err)
    for title, rows in compute(store, ctx.settings["BASE_IRI"]).items():
        click.echo(f"\n{title}")
        for row in rows:
            click.echo("  " + "  ".join(str(v) for v in row.values()))


@click.command()
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--id", "article_id",
              help="Readable article id, e.g. publisher-2024-04-17-short-title (a file only; "
                   "a folder's files get ids from their names).")
@click.option("--title", help="The article's title.")
@click.option("--publisher", help="The publisher's registry id, e.g. organization/jamnews.")
@click.option("--date", "published", help="Publication date: 2024-04-17, 2024-04 or 2024.")
@click.option("--url", help="Where the article was published.")
@click.option("--language", default="en", show_default=True, help="Two-letter language code.")
@pass_ctx
def ingest(ctx: Context, source: Path, article_id: str | None, title: str | None,
           publisher: str | None, published: str | None, url: str | None, language: str) -> None:
    """Add an article (or each .txt/.html file of a folder): its text verbatim in seeds/articles/
    (for an HTML page, the article text extracted from it, with the page beside it) and its
    annotation to fill in. Nothing is written unless every check passes."""
    import os

    from graph import ingest as ing

    max_bytes = ctx.settings["MAX_ARTICLE_BYTES"]
    try:
        seeds = ing.find_seeds(ctx.path("SEEDS_DIR"), Path(os.getcwd()))
        if source.is_dir() and article_id is None:
            if title or publisher or published or url:
                raise click.UsageError("--title, --publisher, --date and --url describe one "
                                       "article: give them with a file and --id")
            sources = ing.folder_sources(source)
            if not sources:
                raise KGError(f"{source}: no .txt or .html files in this folder")
            with click.progressbar(sources, label=f"reading {len(sources)} files",
                                   file=sys.stderr) as bar:
                ready = ing.prepare_folder(bar, seeds, max_bytes, language)
            written = [p for r in ready for p in ing.write(r, seeds, seeds / "schema")]
        else:
            if article_id is None:
                raise click.UsageError("give the article's id with --id")
            meta = ing.Metadata(title=title, publisher=publisher, published=published, url=url,
                                language=language)
            written = ing.ingest(source, article_id, seeds, max_bytes, meta)
    except KGError as err:
        fail(err)
    for path in written:
        click.echo(f"added {path}")
    click.echo("now annotate the .yaml (format: seeds/README.md; `kg review ID` for drafts), then "
               f"`kg check {article_id or 'ID'}`")
