"""`kg examples`: compare the example queries' answers on the build with their expected files."""

from __future__ import annotations

import sys

import click

from cli import Context, fail, pass_ctx
from graph.errors import KGError


@click.command()
@click.option("--check", "mode", flag_value="check",
              help="Run every example on the build; print a diff per changed answer (exit 1).")
@click.option("--update", "mode", flag_value="update",
              help="Rewrite the expected files whose answer changed (then review the diff).")
@pass_ctx
def examples(ctx: Context, mode: str | None) -> None:
    """The example queries' expected answers (queries/examples/NN-name.tsv, beside each query).

    Both modes also check that every example is totally ordered (its ORDER BY names every
    projected variable, or every GROUP BY variable), so that its answer has one order.
    """
    from graph import examples as ex
    from graph import query as q

    if mode is None:
        raise click.UsageError("give --check or --update")
    queries = ctx.path("QUERIES_DIR")
    try:
        store = q.load_store(ctx.path("BUILD_DIR") / "kg.nq")
        if mode == "update":
            for path in ex.update(store, queries):
                click.echo(f"wrote {path}")
            findings = [f for e in ex.examples(queries) if (f := ex.order_finding(e))]
        else:
            findings = ex.check(store, queries)
    except KGError as err:
        fail(err)
    for finding in findings:
        click.echo(str(finding))
    every = ex.examples(queries)
    skipped = [e.name for e in every if e.needs_wikidata]
    note = f" ({len(skipped)} needing Wikidata: order only)" if skipped else ""
    if findings:
        click.echo(f"{len(findings)} problem(s) in {len(every)} examples{note}", err=True)
        sys.exit(1)
    click.echo(f"{len(every)} examples: every answer as expected, every order total{note}"
               if mode == "check" else f"{len(every)} examples: expected files up to date{note}")
