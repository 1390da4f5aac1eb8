"""Shared fixtures: the repository's paths and one real build of the seeds per test session."""

from __future__ import annotations

import gc
import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import settings as settings_mod

ROOT = Path(__file__).resolve().parents[1]
BASE = "https://w3id.org/karabakh-kg/"
EXAMPLE_ARTICLE = "jamnews-2024-04-17-peacekeepers-withdrawal"


def repo_settings(**overrides: object) -> dict:
    """Settings pointing at the repository's seeds, ontology and queries."""
    values = {
        "SEEDS_DIR": str(ROOT / "seeds"),
        "ONTOLOGY_DIR": str(ROOT / "ontology"),
        "QUERIES_DIR": str(ROOT / "queries"),
    }
    values.update(overrides)
    return settings_mod.load(environ={}, **values)


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory):
    """Build the real seeds once into a temporary build directory."""
    from graph.build import run_build

    build_dir = tmp_path_factory.mktemp("build") / "build"
    settings = repo_settings(BUILD_DIR=str(build_dir))
    result = run_build(settings)
    return settings, result, build_dir


@pytest.fixture(scope="session")
def built_nq(built) -> Path:
    """Path of the built N-Quads file (for server tests that want the real data)."""
    return built[2] / "kg.nq"


@pytest.fixture(scope="session")
def store(built) -> ox.Store:
    return built[1].store


@pytest.fixture()
def small_seeds(tmp_path: Path) -> Path:
    """A writable copy of the seeds with only the example article: for bad-input tests."""
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    for path in (seeds / "articles").iterdir():
        if path.stem != EXAMPLE_ARTICLE:
            path.unlink()
    return seeds


def select(store: ox.Store, query: str) -> list[dict[str, str]]:
    """Run a SELECT and return rows of plain string values ('' for unbound)."""
    results = store.query(query, use_default_graph_as_union=True)
    names = [v.value for v in results.variables]
    return [{n: (row[n].value if row[n] is not None else "") for n in names} for row in results]


@pytest.fixture(autouse=True, scope="session")
def no_kg_environment() -> Iterator[None]:
    """Hermetic tests: the caller's KG_* variables never reach the code under test (nor the
    commands and servers the tests start, which inherit this environment)."""
    with pytest.MonkeyPatch.context() as patch:
        for name in [n for n in os.environ if n.startswith("KG_")]:
            patch.delenv(name)
        yield


@pytest.fixture(autouse=True)
def unfrozen_heap() -> Iterator[None]:
    """`kg serve` run in this process (through CliRunner) freezes its heap for its workers'
    sake: undo that after the test, so that no test sees another's frozen objects."""
    yield
    if gc.get_freeze_count():
        gc.unfreeze()
