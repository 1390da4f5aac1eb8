"""The documentation keeps in step with the code: every setting and command is in the README."""

from __future__ import annotations

import re

from cli import kg as cli
from graph.settings import SETTINGS
from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_setting_is_documented_in_the_readme() -> None:
    missing = [s.env for s in SETTINGS if f"`{s.env}`" not in README]
    assert missing == []


def test_the_readme_names_no_setting_that_does_not_exist() -> None:
    known = {s.env for s in SETTINGS}
    assert set(re.findall(r"KG_[A-Z_]+", README)) <= known


def test_every_cli_command_is_in_the_readme() -> None:
    missing = [name for name in cli.commands if f"kg {name}" not in README]
    assert missing == []


def test_readme_gives_the_two_commands() -> None:
    assert "make serve" in README and "make test" in README


def test_every_ontology_file_is_described() -> None:
    for name in ("kg.ttl", "imports.ttl", "shapes.ttl"):
        assert name in README
