"""The build: seeds + ontology -> load, map, ground, validate, reason, derive, check, write."""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph import __version__
from graph.artifact import sorted_nquads, to_store, write_atomically, write_json
from graph.buildcache import BuildCache, cache_dir
from graph.checks import CheckResult, check_files, run_checks
from graph.derive import derive_conflicts
from graph.disk_store import STORE_DIR, write_store
from graph.docs import write_ontology_docs
from graph.errors import DataInvalid, SeedError
from graph.iris import Minter, skolemize
from graph.mapping import Mapped, map_seeds
from graph.ontology import Ontology, load_ontology
from graph.query import solutions
from graph.reason import materialise
from graph.search_index import INDEX_FILE, write_index
from graph.seeds import Seeds, file_hash, load_seeds
from graph.validate import Validation, validate

Progress = Callable[[str], None]
# A progress bar over a step's items: (items, how many, label) -> a context yielding the items.
Bar = Callable[[Iterable[Any], int, str], AbstractContextManager[Iterable[Any]]]
WIKIDATA_CACHE = "wikidata-cache.nt"


class Step(Enum):
    """The build's steps, declared once, in order. Each command runs a prefix of them:
    `kg check --quick` up to MAP, `kg validate` up to VALIDATE, `kg check` up to CHECK, `kg build`
    all."""

    LOAD = "load ontology and seeds"
    MAP = "map claims and ground evidence"
    VALIDATE = "validate with SHACL"
    REASON = "reason (OWL 2 RL)"
    DERIVE = "derive conflicts"
    ADD = "add ontology and Wikidata cache"
    CHECK = "run quality checks"
    WRITE = "write build"

    @property
    def number(self) -> int:
        return list(Step).index(self) + 1


class Steps:
    """Times the steps of a run that ends with ``last``; reports each as ``[n/total] name``."""

    def __init__(self, progress: Progress, last: Step, bar: Bar | None = None) -> None:
        self.progress, self.total, self.bar = progress, last.number, bar
        self.timings: dict[str, float] = {}

    def items(self, items: Iterable[Any], length: int, label: str
              ) -> AbstractContextManager[Iterable[Any]]:
        """``items``, through a progress bar if the caller gave a way to draw one."""
        return nullcontext(items) if self.bar is None else self.bar(items, length, label)

    @contextmanager
    def timed(self, step: Step) -> Iterator[None]:
        where = f"[{step.number}/{self.total}] {step.value}"
        self.progress(f"{where} ...")
        start = time.perf_counter()
        yield
        took = time.perf_counter() - start
        self.timings[step.value] = round(took, 3)
        self.progress(f"{where}: done in {took:.2f} s")


@dataclass
class Prepared:
    """The seeds and ontology loaded and mapped: what every command starts from."""

    seeds: Seeds
    ontology: Ontology
    mapped: Mapped
    minter: Minter


@dataclass
class BuildResult:
    store: ox.Store
    mapped: Mapped
    validation: Validation
    checks: list[CheckResult]
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


def prepare(settings: dict[str, Any], steps: Steps, only: set[str] | None = None,
            drafts: bool = False, cache: BuildCache | None = None) -> Prepared:
    """Load and map the seeds (only the articles ``only``, if given; draft claims too if
    ``drafts``; an article found in ``cache`` is not mapped again); raise SeedError(s)."""
    minter = Minter(settings["BASE_IRI"])
    with steps.timed(Step.LOAD):
        ontology = load_ontology(Path(settings["ONTOLOGY_DIR"]))
        seeds = load_seeds(Path(settings["SEEDS_DIR"]), only, drafts)
    with steps.timed(Step.MAP), steps.items(seeds.articles, len(seeds.articles),
                                            "mapping articles") as articles:
        inputs = "\n".join([settings["BASE_IRI"], file_hash(seeds.entities_path),
                            *(file_hash(p) for p in ontology.paths)])
        mapped = map_seeds(seeds, ontology, minter, cache, inputs, articles)
    return Prepared(seeds, ontology, mapped, minter)


def open_cache(settings: dict[str, Any], use: bool) -> BuildCache | None:
    """The mapping cache (None if ``use`` is false: a clean build)."""
    return BuildCache(cache_dir(settings), "mapped") if use else None


def run_quick_check(
    settings: dict[str, Any], progress: Progress = lambda _m: None, only: set[str] | None = None
) -> Prepared:
    """Load and map only (for `kg check --quick`): no promise that the build accepts the seeds."""
    return prepare(settings, Steps(progress, Step.MAP), only)


def run_validation(settings: dict[str, Any], progress: Progress = lambda _m: None) -> Validation:
    """Load, map and validate only (for `kg validate`)."""
    steps = Steps(progress, Step.VALIDATE)
    prepared = prepare(settings, steps)
    with steps.timed(Step.VALIDATE):
        return validate(prepared.mapped, prepared.ontology)


def run_check(settings: dict[str, Any], progress: Progress = lambda _m: None,
              only: set[str] | None = None, drafts: bool = False) -> BuildResult:
    """Every step of the build but writing (for `kg check`): returns only if `kg build` would
    accept the seeds; raise SeedError(s)/DataInvalid otherwise. ``only`` names articles that
    must exist. Shapes and checks span articles, so the whole seeds are always checked."""
    articles = Path(settings["SEEDS_DIR"]) / "articles"
    missing = sorted(a for a in only or () if not (articles / f"{a}.yaml").is_file())
    if missing:
        raise SeedError(articles, None, "no such article: " + ", ".join(
            f"{a} (no {a}.yaml)" for a in missing))
    steps = Steps(progress, Step.CHECK)
    prepared = prepare(settings, steps, drafts=drafts)
    with frozen_heap():
        return _accept(settings, steps, prepared)


def run_build(settings: dict[str, Any], progress: Progress = lambda _m: None,
              drafts: bool = False, use_cache: bool = True, bar: Bar | None = None
              ) -> BuildResult:
    """Build and write ``BUILD_DIR`` (with the draft claims if ``drafts``); raise
    SeedError(s)/DataInvalid and leave it untouched. With ``use_cache``, articles mapped by an
    earlier build of the same inputs are taken from the cache (graph/buildcache.py)."""
    steps = Steps(progress, Step.WRITE, bar)
    cache = open_cache(settings, use_cache)
    prepared = prepare(settings, steps, drafts=drafts, cache=cache)
    if cache is not None:
        progress(f"build cache: {cache.hits} of {len(prepared.seeds.articles)} articles "
                 "mapped before")
        cache.prune()  # every article was asked for: what was not is stale
    with frozen_heap():
        result = _accept(settings, steps, prepared)
        _write(settings, steps, prepared, result)
    return result


def _write(settings: dict[str, Any], steps: Steps, prepared: Prepared,
           result: BuildResult) -> None:
    with steps.timed(Step.WRITE):

        def write(tmp: Path) -> None:
            files: list[tuple[str, Callable[[Path], object]]] = [
                ("kg.nq", lambda p: p.write_bytes(sorted_nquads(result.store))),
                (STORE_DIR, lambda p: write_store(p.parent / "kg.nq", p)),  # after kg.nq
                (INDEX_FILE, lambda p: write_index(result.store, prepared.minter.base, p)),
                ("validation-report.ttl",
                 lambda p: result.validation.report.serialize(p, format="turtle")),
                ("ontology.html",
                 lambda p: write_ontology_docs(Path(settings["ONTOLOGY_DIR"]), p)),
                ("manifest.json", lambda p: write_json(p, manifest(
                    settings, prepared, result.validation, result.checks, result.counts,
                    steps.timings))),
            ]
            with steps.items(files, len(files), "writing files") as each:
                for name, write_file in each:
                    write_file(tmp / name)

        write_atomically(Path(settings["BUILD_DIR"]), write)


@contextmanager
def frozen_heap() -> Iterator[None]:
    """Keep what exists now (the mapped seeds: millions of objects) out of the garbage
    collector's passes until the block ends: each full pass would walk all of it again, which
    cost the later steps about 2 s at 1,000 articles. Nothing is freed later than it would be by
    reference counting; cycles among those objects wait for the end of the block. A process
    that froze objects itself (a server sharing pages with its workers) is left as it is."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _accept(settings: dict[str, Any], steps: Steps, prepared: Prepared) -> BuildResult:
    """Validate, reason, derive and run the checks: what decides whether the build is written."""
    ontology, mapped, minter = prepared.ontology, prepared.mapped, prepared.minter
    ds = mapped.dataset
    with steps.timed(Step.VALIDATE):
        validation = validate(mapped, ontology)
    if not validation.conforms:
        raise DataInvalid(
            f"SHACL: {len(validation.violations)} result(s); the build was not written\n"
            + "\n".join(v.describe() for v in validation.violations)
        )
    with steps.timed(Step.REASON):
        inferred = ds.graph(minter.graph("inferred"))
        inferred += materialise(mapped.triples(), ontology.graph, minter.base + "id/")
    with steps.timed(Step.DERIVE):
        conflicts = ds.graph(minter.graph("conflicts"))
        conflicts += derive_conflicts(mapped, minter)
    with steps.timed(Step.ADD):
        onto = ds.graph(minter.graph("ontology"))
        onto += skolemize(list(ontology.graph), minter.genid)
        cache = Path(settings["SEEDS_DIR"]) / WIKIDATA_CACHE
        if cache.is_file():
            ds.graph(minter.graph("wikidata")).parse(cache, format="nt")
    with steps.timed(Step.CHECK):
        store = to_store(ds)
        queries = Path(settings["QUERIES_DIR"])
        files = check_files(queries)
        with steps.items(files, len(files), "running checks") as each:
            checks = run_checks(store, queries, minter.base, each)
    failed = [c for c in checks if not c.passed]
    if failed:
        raise DataInvalid(
            "quality checks failed; the build was not written\n"
            + "\n".join(f"{c.path}: {len(c.rows)} row(s), e.g. {c.rows[0]}" for c in failed)
        )
    return BuildResult(store, mapped, validation, checks, steps.timings, graph_counts(store))


def graph_counts(store: ox.Store) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in solutions(store, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
        counts[row["g"].value] = int(row["n"].value)
    return dict(sorted(counts.items()))


def manifest(
    settings: dict[str, Any],
    prepared: Prepared,
    validation: Validation,
    checks: list[CheckResult],
    counts: dict[str, int],
    timings: dict[str, float],
) -> dict[str, Any]:
    base, seeds, ontology = settings["BASE_IRI"], prepared.seeds, prepared.ontology
    claims = {g: n for g, n in counts.items() if g.startswith(base + "id/claim/")}
    return {
        "generator": f"karabakh-kg {__version__}",
        "base": base,
        "triples": sum(counts.values()),
        "graphs": {g: n for g, n in counts.items() if g not in claims},
        "claims": {"graphs": len(claims), "triples": sum(claims.values()), "per_graph": claims,
                   "drafts": sum(c.draft for a in seeds.articles for c in a.claims)},
        "inputs": {**seeds.input_hashes, **{str(p): file_hash(p) for p in ontology.paths}},
        "validation": {"conforms": validation.conforms, "results": len(validation.violations)},
        "checks": {c.name: len(c.rows) for c in checks},
        "timings_seconds": timings,
    }


__all__ = ["run_check", "run_quick_check", "run_validation", "run_build", "Step", "Prepared",
           "BuildResult"]
