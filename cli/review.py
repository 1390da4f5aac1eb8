"""`kg review ID`: go through an article's draft claims in the terminal."""

from __future__ import annotations

import click

from cli import Context, fail, pass_ctx
from graph.errors import KGError

CHOICES = ["a", "r", "e", "s", "q"]
PROMPT = "[a]ccept, [r]eject, [e]dit in $EDITOR, [s]kip, [q]uit"


@click.command()
@click.argument("article_id")
@pass_ctx
def review(ctx: Context, article_id: str) -> None:
    """Accept, reject or edit each draft claim of an article, its sentence highlighted.

    Every decision is written at once (the file is replaced whole, never half-written) and the
    file must still load as a seed; quit at any time and run it again for the rest. Editing the
    YAML by hand works as well: a draft is a claim with `status: draft`.
    """
    from graph import review as rv
    from graph.seeds import read_text

    seeds = ctx.path("SEEDS_DIR")
    path, schema = seeds / "articles" / f"{article_id}.yaml", seeds / "schema"
    if not path.is_file():
        raise click.BadParameter(f"{path} not found", param_hint="ARTICLE_ID")
    try:
        article = rv.load(path, schema)
        text = read_text(article.text_path)
        todo = [c.n for c in rv.drafts(article)]
        if not todo:
            click.echo(f"{article_id}: no draft claims to review")
            return
        done = 0
        for n in todo:
            while True:
                claim = next(c for c in article.claims if c.n == n)
                _show(text, claim, done, len(todo))
                choice = click.prompt(PROMPT, type=click.Choice(CHOICES), show_choices=False)
                if choice == "q":
                    _summary(done, len(todo))
                    return
                if choice == "s":
                    break
                with open(path, encoding="utf-8", newline="") as f:
                    yaml_text = f.read()
                if choice == "e":
                    edited = click.edit(rv.claim_text(yaml_text, article, n), extension=".yaml")
                    if edited is None:
                        click.echo("unchanged")
                        continue
                    new = rv.replace_claim(yaml_text, article, n, edited)
                elif choice == "a":
                    new = rv.accept(yaml_text, article, n)
                else:
                    new = rv.reject(yaml_text, article, n)
                try:
                    article = rv.write(path, schema, new)
                except KGError as err:
                    click.echo(click.style(f"not written: {err}", fg="red"), err=True)
                    continue
                if choice == "e" and any(c.n == n and c.draft for c in article.claims):
                    continue  # still a draft: show it again as edited
                done += 1
                break
    except KGError as err:
        fail(err)
    _summary(done, len(todo))


def _show(text: str, claim, done: int, total: int) -> None:
    from graph.review import sentence

    start, end = claim.evidence.start, claim.evidence.end
    left, right = sentence(text, start, end)
    click.echo("")
    click.echo(click.style(f"{done} of {total} reviewed", fg="cyan")
               + f" — claim {claim.n} ({claim.mode}), characters {start}-{end}:")
    click.echo("  " + text[left:start] + click.style(text[start:end], fg="yellow", bold=True,
                                                     underline=True) + text[end:right])
    who = f"  according to {claim.according_to}\n" if claim.according_to else ""
    click.echo(who + "  facts:\n" + "".join(f"    {line}\n" for line in claim.facts.splitlines()))


def _summary(done: int, total: int) -> None:
    click.echo(f"{done} of {total} reviewed" + ("" if done == total else
               f"; {total - done} still drafts (run `kg review` again, or edit the YAML)"))
