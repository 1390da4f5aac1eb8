"""`kg serve`: builds first when the build is stale, refuses bad data files with exit code 2."""

from __future__ import annotations

import os
import time

from click.testing import CliRunner

from cli import kg, main
from cli.serve import stale_reason
from graph import settings as settings_mod


def settings_for(tmp_path) -> dict:
    (tmp_path / "seeds").mkdir()
    (tmp_path / "ontology").mkdir()
    (tmp_path / "seeds" / "entities.yaml").write_text("x: 1\n")
    return settings_mod.load(environ={}, SEEDS_DIR=str(tmp_path / "seeds"),
                             ONTOLOGY_DIR=str(tmp_path / "ontology"),
                             BUILD_DIR=str(tmp_path / "build"))


def test_missing_build_must_be_built(tmp_path):
    assert stale_reason(settings_for(tmp_path)).endswith("kg.nq is missing")


def test_build_older_than_a_seed_must_be_rebuilt(tmp_path):
    settings = settings_for(tmp_path)
    artifact = tmp_path / "build" / "kg.nq"
    artifact.parent.mkdir()
    artifact.write_text("")
    assert stale_reason(settings).endswith("search.sqlite is missing")  # an older build
    (tmp_path / "build" / "search.sqlite").write_text("")
    assert stale_reason(settings) is None
    old = time.time() - 100
    os.utime(artifact, (old, old))
    assert "is older than" in stale_reason(settings)
    assert "entities.yaml" in stale_reason(settings)


def test_serve_with_an_unknown_file_type_exits_2(tmp_path):
    bad = tmp_path / "data.xyz"
    bad.write_text("nothing")
    result = CliRunner().invoke(kg, ["serve", "--data", str(bad)])
    assert result.exit_code == 2
    assert "unknown RDF format" in result.output


def test_kg_entry_point_has_build_and_serve_commands():
    assert {"serve", "build"} <= set(kg.commands)
    assert callable(main)
