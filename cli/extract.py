"""`kg extract FILE` (the extraction assistant's findings) and `kg extract --evaluate`."""

from __future__ import annotations

import datetime as dt
import json
import stat
import sys
from pathlib import Path
from typing import Any

import click

from cli import Context, fail, pass_ctx
from graph.errors import KGError

# The largest article the assistant reads (news articles are a few tens of kilobytes).
MAX_ARTICLE_BYTES = 2_000_000

# The targets of issue 10, checked by --evaluate and by tests/test_extract_evaluate.py.
TARGETS = (("statements", "recall", 0.9), ("entities", "precision", 0.95),
           ("entities", "recall", 0.8), ("dates", "recall", 0.85))


class BadArticle(KGError):
    """The file given to `kg extract` is not an article it can read (exit 2)."""


def read_article(path: Path, limit: int = MAX_ARTICLE_BYTES) -> str:
    """The exact text of ``path`` (UTF-8, line ends kept), or a BadArticle saying why not."""
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        raise BadArticle(f"{path}: no such file") from None
    except OSError as err:
        raise BadArticle(f"{path}: cannot read ({err.strerror})") from None
    if stat.S_ISDIR(mode):
        raise BadArticle(f"{path}: is a directory, not an article")
    if not stat.S_ISREG(mode):
        raise BadArticle(f"{path}: not a regular file")
    size = path.stat().st_size
    if size > limit:
        raise BadArticle(f"{path}: {size} bytes, more than the {limit} an article may have")
    data = path.read_bytes()
    nul = data.find(b"\x00")
    if nul >= 0:
        raise BadArticle(f"{path}: binary data (a NUL byte at {nul}), not text")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as err:
        raise BadArticle(f"{path}: not UTF-8 text (byte {err.start})") from None
    if not text.strip():
        raise BadArticle(f"{path}: empty, no text to read")
    return text


def _published(value: str | None) -> str | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date YYYY-MM-DD",
                                 param_hint="--published") from None


def _print(out: dict[str, Any], fmt: str) -> None:
    if fmt == "yaml":
        import yaml

        click.echo(yaml.safe_dump(out, allow_unicode=True, sort_keys=False, width=100), nl=False)
    else:
        click.echo(json.dumps(out, ensure_ascii=False, indent=1))


@click.command()
@click.argument("file", required=False, type=click.Path(path_type=Path))
@click.option("--published", help="Publication date YYYY-MM-DD (relative dates count from it).")
@click.option("--language", help="ISO 639-1 code of the text's language (default: detected).")
@click.option("--format", "fmt", type=click.Choice(["json", "yaml"]), default="json",
              show_default=True)
@click.option("--evaluate", is_flag=True,
              help="Run on the curated articles and score against their annotations.")
@pass_ctx
def extract(ctx: Context, file: Path | None, published: str | None, language: str | None,
            fmt: str, evaluate: bool) -> None:
    """Print what the extraction assistant finds in an article (plain text or HTML): sentences,
    mentions of registry entities, statements with their speaker, dates, figures and draft
    claims, each with its code-point span in the exact text."""
    from extract.lexicon import load_lexicon

    seeds = ctx.path("SEEDS_DIR")
    try:
        if evaluate:
            if file is not None:
                raise click.UsageError("--evaluate takes no FILE (it reads the curated articles)")
            _evaluate(seeds, load_lexicon(seeds))
            return
        if file is None:
            raise click.UsageError("missing FILE (or --evaluate)")
        when = _published(published)
        if language is not None and not (language.isalpha() and 2 <= len(language) <= 3):
            raise click.BadParameter(f"{language!r} is not a language code such as en",
                                     param_hint="--language")
        text = read_article(file)
        from extract import extract as run

        _print(run(text, published=when, language=language and language.lower(),
                   registry=load_lexicon(seeds)), fmt)
    except KGError as err:
        fail(err)


def _evaluate(seeds: Path, lexicon: Any) -> None:
    from extract.evaluate import LABELS, evaluate, table

    scores = evaluate(seeds, lexicon)
    click.echo(table(scores))
    missed = 0
    for key, measure, target in TARGETS:
        got = getattr(scores[key], measure)
        ok = got >= target
        missed += not ok
        click.echo(f"{'ok  ' if ok else 'MISS'} {LABELS[key]} {measure} {got:.2f} "
                   f"(target {target:.2f})")
    sys.exit(1 if missed else 0)
