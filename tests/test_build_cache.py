"""The build cache: a build that takes unchanged articles from it writes the very bytes a clean
build writes; any change to what an article's mapping reads is a miss; a bad entry is a miss."""

from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.generate import generate
from cli import kg
from cli.build import terminal_bar
from graph.build import Step, Steps, open_cache, prepare, run_build
from graph.buildcache import BuildCache, cache_dir
from graph.search_index import INDEX_FILE
from tests.conftest import ROOT, repo_settings

# ontology.html is not compared: pyLODE orders some lists differently from run to run, with or
# without the cache, and it is made from the ontology files alone.
OUTPUTS = ("kg.nq", INDEX_FILE, "validation-report.ttl")
EXAMPLE = "jamnews-2024-04-17-peacekeepers-withdrawal"


def seeds_copy(tmp_path: Path, kind: str) -> Path:
    """The five curated articles, or a generated set of eight (the five and three synthetic)."""
    seeds = tmp_path / "seeds"
    if kind == "curated":
        shutil.copytree(ROOT / "seeds", seeds)
    else:
        generate(8, seeds)
    return seeds


def build(seeds: Path, out: Path, use_cache: bool, cache: Path) -> tuple[dict, list[str]]:
    """Build ``seeds`` into ``out``: its files' bytes (the manifest without its timings, which
    no two builds share) and the progress lines."""
    lines: list[str] = []
    settings = repo_settings(SEEDS_DIR=str(seeds), BUILD_DIR=str(out),
                             BUILD_CACHE_DIR=str(cache))
    run_build(settings, lines.append, use_cache=use_cache)
    files = {name: (out / name).read_bytes() for name in OUTPUTS}
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert set(manifest.pop("timings_seconds")) == {s.value for s in Step} - {Step.WRITE.value}
    files["manifest.json"] = json.dumps(manifest, indent=2, sort_keys=True).encode()
    return files, lines


def retitle(seeds: Path, article: str) -> None:
    """Change one article's title (its label, headline and the index change with it)."""
    path = seeds / "articles" / f"{article}.yaml"
    text = path.read_text(encoding="utf-8")
    start = text.index("  title: ") + len("  title: ")
    path.write_text(text[:start] + "Edited " + text[start:], encoding="utf-8")


@pytest.mark.parametrize("kind", ["curated", "generated"])
def test_one_changed_article_builds_the_same_bytes_as_a_clean_build(tmp_path: Path,
                                                                     kind: str) -> None:
    seeds, cache = seeds_copy(tmp_path, kind), tmp_path / "cache"
    n = len(list((seeds / "articles").glob("*.yaml")))
    before, lines = build(seeds, tmp_path / "first", True, cache)
    assert f"build cache: 0 of {n} articles mapped before" in lines
    article = EXAMPLE if kind == "curated" else "synthetic-2024-04-18-00001"
    retitle(seeds, article)

    incremental, lines = build(seeds, tmp_path / "incremental", True, cache)
    assert f"build cache: {n - 1} of {n} articles mapped before" in lines
    clean, lines = build(seeds, tmp_path / "clean", False, cache)
    assert not any(line.startswith("build cache:") for line in lines)
    assert incremental["kg.nq"] != before["kg.nq"]  # the change shows in the data
    assert b"Edited " in incremental["kg.nq"]
    for name in clean:
        assert incremental[name] == clean[name], name

    again, lines = build(seeds, tmp_path / "again", True, cache)
    assert f"build cache: {n} of {n} articles mapped before" in lines
    assert again == clean
    # The changed article's old entry is gone: one entry per article.
    assert len([p for p in (cache / "mapped").glob("*/*")]) == n


def mapped_with(settings: dict) -> tuple[object, BuildCache]:
    """Load and map through the cache: the Mapped and the cache, to count its hits."""
    cache = open_cache(settings, True)
    assert cache is not None
    return prepare(settings, Steps(lambda _m: None, Step.MAP), cache=cache).mapped, cache


def summary(mapped) -> tuple:
    """All a build takes from mapping: the quads, the claims and where each node was stated."""
    return (sorted(mapped.dataset.quads()), mapped.claims, mapped.origins, mapped.statements)


@pytest.fixture()
def cached(tmp_path: Path) -> dict:
    """Settings for a copy of the seeds (and their ontology) whose cache holds every article."""
    seeds = seeds_copy(tmp_path, "curated")
    shutil.copytree(ROOT / "ontology", tmp_path / "ontology")
    settings = repo_settings(SEEDS_DIR=str(seeds), ONTOLOGY_DIR=str(tmp_path / "ontology"),
                             BUILD_DIR=str(tmp_path / "build"))
    _mapped, cache = mapped_with(settings)
    assert (cache.hits, cache.misses) == (0, 5)
    return settings


def test_an_unchanged_rebuild_maps_nothing_and_gets_the_same_data(cached: dict) -> None:
    mapped, cache = mapped_with(cached)
    assert (cache.hits, cache.misses) == (5, 0)
    clean = prepare(cached, Steps(lambda _m: None, Step.MAP)).mapped
    assert summary(mapped) == summary(clean)


@pytest.mark.parametrize("changed", ["seeds/entities.yaml", "ontology/shapes.ttl",
                                     "ontology/kg.ttl"])
def test_a_change_to_the_registry_or_ontology_maps_every_article_again(
        cached: dict, changed: str) -> None:
    path = Path(cached["SEEDS_DIR"]).parent / changed
    with path.open("a", encoding="utf-8") as f:
        f.write("\n# edited\n")
    _mapped, cache = mapped_with(cached)
    assert (cache.hits, cache.misses) == (0, 5)


def test_another_base_iri_maps_every_article_again(cached: dict) -> None:
    _mapped, cache = mapped_with({**cached, "BASE_IRI": "https://example.org/kg/"})
    assert (cache.hits, cache.misses) == (0, 5)


@pytest.mark.parametrize("damage", [b"", b"garbage", None])
def test_a_corrupt_entry_is_mapped_again(cached: dict, damage: bytes | None) -> None:
    entries = sorted(p for p in (cache_dir(cached) / "mapped").rglob("*") if p.is_file())
    assert len(entries) == 5
    if damage is None:  # cut short, as by a full disk
        entries[2].write_bytes(entries[2].read_bytes()[:200])
    else:
        entries[2].write_bytes(damage)
    mapped, cache = mapped_with(cached)
    assert (cache.hits, cache.misses) == (4, 1)
    assert summary(mapped) == summary(prepare(cached, Steps(lambda _m: None, Step.MAP)).mapped)
    _again, cache = mapped_with(cached)  # and written back whole
    assert (cache.hits, cache.misses) == (5, 0)


def test_the_cache_is_beside_the_build_unless_a_setting_says_where(tmp_path: Path) -> None:
    settings = repo_settings(BUILD_DIR=str(tmp_path / "out" / "build"))
    assert cache_dir(settings) == tmp_path / "out" / ".kg-cache"
    settings = repo_settings(BUILD_DIR="build", BUILD_CACHE_DIR=str(tmp_path / "c"))
    assert cache_dir(settings) == tmp_path / "c"


def test_kg_build_no_cache_neither_reads_nor_writes_it(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KG_SEEDS_DIR", str(ROOT / "seeds"))
    monkeypatch.setenv("KG_BUILD_DIR", str(tmp_path / "build"))
    result = CliRunner().invoke(kg, ["build", "--no-cache"])
    assert result.exit_code == 0, result.output
    assert not (tmp_path / ".kg-cache").exists()
    assert "build cache:" not in result.output
    result = CliRunner().invoke(kg, ["build"])
    assert result.exit_code == 0, result.output
    assert "build cache: 0 of 5 articles mapped before" in result.output
    assert (tmp_path / ".kg-cache" / "mapped").is_dir()


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bars_are_drawn_on_a_terminal_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stderr", io.StringIO())
    with terminal_bar(iter("abc"), 3, "mapping articles") as items:
        assert list(items) == ["a", "b", "c"]
    assert sys.stderr.getvalue() == ""  # a log or captured output gets no bar
    terminal = Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    with terminal_bar(iter("abc"), 3, "mapping articles") as items:
        assert list(items) == ["a", "b", "c"]
    assert "mapping articles" in terminal.getvalue()
    assert "3/3" in terminal.getvalue()


def test_the_long_steps_hand_their_items_to_the_progress_bar(tmp_path: Path) -> None:
    drawn: list[tuple[str, int, int]] = []

    def bar(items, length, label):
        from contextlib import contextmanager

        @contextmanager
        def counting():
            seen = list(items)
            yield seen
            drawn.append((label, length, len(seen)))
        return counting()

    result = run_build(repo_settings(BUILD_DIR=str(tmp_path / "build")), bar=bar)
    assert drawn == [("mapping articles", 5, 5),
                     ("running checks", len(result.checks), len(result.checks)),
                     ("writing files", 6, 6)]  # kg.nq, store/, index, report, docs, manifest


def test_the_heap_is_frozen_during_the_whole_data_steps_only(monkeypatch) -> None:
    import gc

    from graph.build import frozen_heap

    assert gc.get_freeze_count() == 0
    with frozen_heap():
        assert gc.get_freeze_count() > 0
    assert gc.get_freeze_count() == 0
    with pytest.raises(RuntimeError), frozen_heap():
        raise RuntimeError("a failed step")
    assert gc.get_freeze_count() == 0
    gc.freeze()  # someone else's freeze is neither added to nor undone
    try:
        # Counted by calls, not by get_freeze_count(): a frozen object may still be freed.
        calls: list[str] = []
        monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
        monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
        with frozen_heap():
            assert gc.get_freeze_count() > 0
        assert calls == []
    finally:
        monkeypatch.undo()
        gc.unfreeze()
