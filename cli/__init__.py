"""The `kg` command: one click group holding every command. Settings are loaded and checked here,
once, at the edge; the commands receive them and nothing below reads the environment."""

from __future__ import annotations

import sys
from functools import cached_property
from pathlib import Path
from typing import Any, NoReturn

import click

from graph import settings as settings_mod
from graph.errors import KGError


class Context:
    """What every command gets: the settings, loaded and checked once (``loaded``: before
    checking, for a command whose options override some of them)."""

    def __init__(self, loaded: dict[str, Any]) -> None:
        self.loaded = loaded

    @cached_property
    def settings(self) -> dict[str, Any]:
        return checked(self.loaded)

    def path(self, name: str) -> Path:
        return Path(self.settings[name])


pass_ctx = click.make_pass_decorator(Context)


def checked(values: dict[str, Any]) -> dict[str, Any]:
    """``values`` checked as a whole (a usage error, exit 2, naming the setting if wrong)."""
    try:
        return settings_mod.check(dict(values))
    except settings_mod.SettingError as err:
        raise click.UsageError(str(err)) from None


def fail(err: KGError) -> NoReturn:
    """Print a domain error and exit with its code (1 invalid data, 2 bad input)."""
    click.echo(f"error: {err}" if "\n" not in str(err) else f"error:\n{err}", err=True)
    sys.exit(err.exit_code)


@click.group()
@click.version_option(package_name="karabakh-kg")
@click.pass_context
def kg(ctx: click.Context) -> None:
    """Karabakh KG: build, check, query and serve the knowledge graph."""
    try:
        ctx.obj = Context(settings_mod.load())
    except settings_mod.SettingError as err:
        raise click.UsageError(str(err)) from None


def _register() -> None:
    from cli import build, examples, extract, load, review, serve, wikidata

    for command in (build.locate, build.check, build.build, build.validate, build.query,
                    build.stats, build.ingest, review.review, examples.examples,
                    extract.extract, wikidata.wikidata, wikidata.export, serve.serve, load.load):
        kg.add_command(command)


_register()


def main() -> None:
    """The `kg` entry point."""
    kg()
