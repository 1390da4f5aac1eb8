"""The benchmark's synthetic seeds: in the seeds' own format, deterministic, and built cleanly."""

from __future__ import annotations

import filecmp
from pathlib import Path

import pytest

from bench.generate import generate
from graph.build import run_build
from tests.conftest import repo_settings


def test_the_same_size_and_seed_write_the_same_files(tmp_path: Path) -> None:
    generate(9, tmp_path / "a")
    generate(9, tmp_path / "b")
    names = sorted(p.name for p in (tmp_path / "a" / "articles").iterdir())
    assert len(names) == 18  # 9 texts, 9 annotations: the five curated and four synthetic
    match, mismatch, errors = filecmp.cmpfiles(tmp_path / "a" / "articles",
                                               tmp_path / "b" / "articles", names, shallow=False)
    assert (mismatch, errors) == ([], [])
    assert filecmp.cmp(tmp_path / "a" / "entities.yaml", tmp_path / "b" / "entities.yaml",
                       shallow=False)


def test_fewer_articles_than_the_curated_ones_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least 5 articles"):
        generate(4, tmp_path / "seeds")


def test_synthetic_seeds_build_with_every_check_at_zero(tmp_path: Path) -> None:
    """Every synthetic claim's evidence stands at its offset and its facts pass SHACL; the
    disagreeing start dates and hedged figures join the curated conflict and variance sets."""
    generate(8, tmp_path / "seeds")
    settings = repo_settings(SEEDS_DIR=str(tmp_path / "seeds"), BUILD_DIR=str(tmp_path / "build"))
    result = run_build(settings)
    assert result.validation.conforms
    assert [c.name for c in result.checks if c.rows] == []
    assert len(result.mapped.claims) == 135 + 3 * 5
    members = result.store.query(
        "SELECT (COUNT(?claim) AS ?n) WHERE { GRAPH ?g { ?set a kg:ConflictSet ; "
        "kg:onProperty kg:startDateWithin ; kg:memberClaim ?claim } }",
        prefixes={"kg": "https://w3id.org/karabakh-kg/ontology#"},
    )
    assert int(next(iter(members))["n"].value) == 3 + 3
