"""The build: seeds + ontology -> load, map, ground, validate, reason, derive, check, write."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Graph, URIRef

from graph import __version__
from graph.artifact import sorted_nquads, to_store, write_atomically, write_json
from graph.checks import CheckResult, run_checks
from graph.errors import DataInvalid
from graph.iris import Minter, skolemize
from graph.mapping import Mapped, map_seeds
from graph.namespaces import bind_all
from graph.ontology import Ontology, load_ontology
from graph.query import solutions
from graph.reason import materialise
from graph.seeds import Seeds, file_hash, load_seeds
from graph.validate import Validation, asserted_union, validate

Progress = Callable[[str], None]
WIKIDATA_CACHE = "wikidata-cache.nt"


@dataclass
class BuildResult:
    store: ox.Store
    mapped: Mapped
    validation: Validation
    checks: list[CheckResult]
    timings: dict[str, float] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


class Steps:
    """Times each step and reports it through ``progress``."""

    def __init__(self, progress: Progress, total: int) -> None:
        self.progress, self.total, self.n = progress, total, 0
        self.timings: dict[str, float] = {}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        self.n += 1
        self.progress(f"[{self.n}/{self.total}] {name} ...")
        start = time.perf_counter()
        yield
        took = time.perf_counter() - start
        self.timings[name] = round(took, 3)
        self.progress(f"[{self.n}/{self.total}] {name}: done in {took:.2f} s")


def prepare(
    settings: dict[str, Any], steps: Steps, only: set[str] | None = None
) -> tuple[Seeds, Ontology, Mapped, Minter]:
    minter = Minter(settings["BASE_IRI"])
    with steps.step("load ontology and seeds"):
        ontology = load_ontology(Path(settings["ONTOLOGY_DIR"]))
        seeds = load_seeds(Path(settings["SEEDS_DIR"]), only)
    with steps.step("map claims and ground evidence"):
        mapped = map_seeds(seeds, ontology, minter)
    return seeds, ontology, mapped, minter


def system_graphs(minter: Minter, *names: str) -> set[URIRef]:
    return {minter.graph(n) for n in names}


def run_validation(settings: dict[str, Any], progress: Progress = lambda _m: None) -> Validation:
    """Load, map and validate only (for `kg validate`)."""
    steps = Steps(progress, 3)
    _seeds, ontology, mapped, minter = prepare(settings, steps)
    with steps.step("validate with SHACL"):
        return validate(
            mapped, ontology, system_graphs(minter, "ontology", "inferred", "conflicts", "wikidata")
        )


def run_build(settings: dict[str, Any], progress: Progress = lambda _m: None) -> BuildResult:
    """Build and write ``BUILD_DIR``; raise SeedError(s)/DataInvalid and leave it untouched."""
    steps = Steps(progress, 8)
    seeds, ontology, mapped, minter = prepare(settings, steps)
    ds = mapped.dataset
    with steps.step("validate with SHACL"):
        validation = validate(mapped, ontology, set())
    if not validation.conforms:
        raise DataInvalid(
            f"SHACL: {len(validation.violations)} result(s); the build was not written\n"
            + "\n".join(v.describe() for v in validation.violations)
        )
    claim_graphs = sorted(mapped.claims)
    with steps.step("reason (OWL 2 RL)"):
        asserted = asserted_union(ds, set())
        inferred = materialise(asserted, ontology.graph, minter.base + "id/")
        _copy(inferred, ds.graph(minter.graph("inferred")))
    with steps.step("derive conflicts"):
        from graph.derive import derive_conflicts

        _copy(derive_conflicts(ds, claim_graphs, minter), ds.graph(minter.graph("conflicts")))
    with steps.step("add ontology and Wikidata cache"):
        onto = ds.graph(minter.graph("ontology"))
        for t in skolemize(list(ontology.graph), minter.genid):
            onto.add(t)
        cache = Path(settings["SEEDS_DIR"]) / WIKIDATA_CACHE
        if cache.is_file():
            ds.graph(minter.graph("wikidata")).parse(cache, format="nt")
    with steps.step("run quality checks"):
        store = to_store(ds)
        checks = run_checks(store, Path(settings["QUERIES_DIR"]), minter.base)
    failed = [c for c in checks if not c.passed]
    if failed:
        raise DataInvalid(
            "quality checks failed; the build was not written\n"
            + "\n".join(f"{c.path}: {len(c.rows)} row(s), e.g. {c.rows[0]}" for c in failed)
        )
    counts = graph_counts(store)
    with steps.step("write build"):

        def write(tmp: Path) -> None:
            (tmp / "kg.nq").write_bytes(sorted_nquads(store))
            validation.report.serialize(tmp / "validation-report.ttl", format="turtle")
            _write_docs(Path(settings["ONTOLOGY_DIR"]), tmp / "ontology.html")
            write_json(
                tmp / "manifest.json",
                manifest(settings, seeds, ontology, validation, checks, counts, steps.timings),
            )

        write_atomically(Path(settings["BUILD_DIR"]), write)
    return BuildResult(store, mapped, validation, checks, steps.timings, counts)


def _copy(src: Graph, dst: Graph) -> None:
    for t in src:
        dst.add(t)


def _write_docs(ontology_dir: Path, out: Path) -> None:
    try:
        from graph.docs import write_ontology_docs
    except ImportError:  # docs are optional until pyLODE is wired in
        return
    write_ontology_docs(ontology_dir, out)


def graph_counts(store: ox.Store) -> dict[str, int]:
    counts: dict[str, int] = {}
    for row in solutions(store, "SELECT ?g (COUNT(*) AS ?n) { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
        counts[row["g"].value] = int(row["n"].value)
    return dict(sorted(counts.items()))


def manifest(settings, seeds, ontology, validation, checks, counts, timings) -> dict[str, Any]:
    base = settings["BASE_IRI"]
    claims = {g: n for g, n in counts.items() if g.startswith(base + "id/claim/")}
    return {
        "generator": f"karabakh-kg {__version__}",
        "base": base,
        "triples": sum(counts.values()),
        "graphs": {g: n for g, n in counts.items() if g not in claims},
        "claims": {"graphs": len(claims), "triples": sum(claims.values()), "per_graph": claims},
        "inputs": {**seeds.input_hashes, **{str(p): file_hash(p) for p in ontology.paths}},
        "validation": {"conforms": validation.conforms, "results": len(validation.violations)},
        "checks": {c.name: len(c.rows) for c in checks},
        "timings_seconds": timings,
    }


__all__ = ["run_build", "run_validation", "BuildResult", "bind_all"]
