"""Benchmark: the query engine (pyoxigraph) against rdflib's on the built dataset.

Reports sizes and ratios, not pass/fail: run it with `make bench` after `kg build`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pyoxigraph as ox
from rdflib import Dataset

QUERIES = {
    "GRAPH per claim (who says so)": """
        PREFIX kg: <https://w3id.org/karabakh-kg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?s ?p ?o ?article WHERE {
          GRAPH ?claim { ?s ?p ?o }
          GRAPH <https://w3id.org/karabakh-kg/graph/provenance> {
            ?claim prov:wasDerivedFrom ?article }
        }""",
    "signing dates by source": (Path("queries/examples/03-signing-dates-by-source.rq")),
    "count by class": """
        SELECT ?c (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s a ?c } } GROUP BY ?c""",
}


def timed(fn, repeat: int = 3) -> tuple[float, int]:
    best, size = float("inf"), 0
    for _ in range(repeat):
        start = time.perf_counter()
        size = fn()
        best = min(best, time.perf_counter() - start)
    return best, size


def main(nq: Path = Path("build/kg.nq")) -> None:
    if not nq.is_file():
        sys.exit(f"{nq}: run `kg build` first")
    store = ox.Store()
    store.bulk_load(path=str(nq), format=ox.RdfFormat.N_QUADS)
    ds = Dataset(default_union=True)
    ds.parse(nq, format="nquads")
    print(
        f"dataset: {nq} {nq.stat().st_size / 1024:.0f} KiB, {len(store)} quads, "
        f"{sum(1 for _ in ds.graphs())} graphs"
    )
    print(f"{'query':34} {'rows':>6} {'pyoxigraph':>12} {'rdflib':>12} {'ratio':>8}")
    for name, query in QUERIES.items():
        text = query.read_text() if isinstance(query, Path) else query
        ox_t, ox_n = timed(
            lambda t=text: len(list(store.query(t, use_default_graph_as_union=True)))
        )
        rd_t, rd_n = timed(lambda t=text: len(list(ds.query(t))), repeat=1)
        flag = "" if ox_n == rd_n else f"  (rdflib: {rd_n} rows)"
        print(
            f"{name:34} {ox_n:>6} {ox_t * 1000:>10.1f}ms {rd_t * 1000:>10.1f}ms "
            f"{rd_t / ox_t:>7.0f}x{flag}"
        )


if __name__ == "__main__":
    main(*(Path(a) for a in sys.argv[1:]))
