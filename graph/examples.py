"""The example queries and their expected answers, side by side.

Each ``queries/examples/NN-name.rq`` has its exact answer on the build in ``NN-name.tsv`` beside
it, in the SPARQL 1.1 Query Results TSV format (one row a line, every term as written in
N-Triples: IRIs, datatypes and language tags kept), so a change of answer reads as a line diff.
Examples marked ``# requires: wikidata`` call SERVICE and have no expected file here (their
answers depend on the remote endpoint; tests/wikidata checks them against a stand-in).

Every example must be totally ordered, or its rows come out in whatever order the engine meets
them and the expected file flips from one run to the next: its ORDER BY must name every projected
variable or, for a grouped query, every GROUP BY variable.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from pyparsing import ParseBaseException
from rdflib.plugins.sparql.algebra import translateQuery
from rdflib.plugins.sparql.parser import parseQuery
from rdflib.plugins.sparql.parserutils import CompValue

from graph.errors import KGError
from graph.query import as_bytes

REQUIRES_WIKIDATA = "# requires: wikidata"
EXPECTED_SUFFIX = ".tsv"


@dataclass(frozen=True)
class Example:
    path: Path

    @property
    def name(self) -> str:
        return self.path.stem

    @property
    def expected_path(self) -> Path:
        return self.path.with_suffix(EXPECTED_SUFFIX)

    @property
    def text(self) -> str:
        return self.path.read_text(encoding="utf-8")

    @property
    def needs_wikidata(self) -> bool:
        return any(line.strip() == REQUIRES_WIKIDATA for line in self.text.splitlines())


@dataclass(frozen=True)
class Finding:
    """What is wrong with one example: a changed answer (a diff), or an order that ties."""

    example: Example
    problem: str

    def __str__(self) -> str:
        return f"{self.example.path}: {self.problem}"


def examples(queries_dir: Path) -> list[Example]:
    return [Example(p) for p in sorted((queries_dir / "examples").glob("*.rq"))]


def answer(store: ox.Store, example: Example) -> bytes:
    """The example's answer on ``store`` (default graph: the union), as SPARQL TSV results."""
    try:
        results = store.query(example.text, use_default_graph_as_union=True)
    except SyntaxError as err:
        raise KGError(f"{example.path}: SPARQL syntax error: {err}") from None
    if not isinstance(results, ox.QuerySolutions | ox.QueryBoolean):
        raise KGError(f"{example.path}: an example must be a SELECT or ASK query")
    return as_bytes(results.serialize(format=ox.QueryResultsFormat.TSV))


def _outer(top: CompValue) -> dict[str, CompValue]:
    """The outer query's ORDER BY and GROUP BY: down the chain of ``p`` operands from the
    projection, stopping at a subquery's own projection."""
    found: dict[str, CompValue] = {}
    node, projections = top, 0
    while isinstance(node, CompValue):
        projections += node.name == "Project"
        if projections > 1:
            break
        found.setdefault(node.name, node)
        node = node.get("p")
    return found


def untied_order(text: str) -> list[str]:
    """The projected variables the example's ORDER BY leaves out, when they can tie rows
    (empty: totally ordered). An ASK query has no rows to order."""
    algebra = translateQuery(parseQuery(text)).algebra
    if algebra.name != "SelectQuery":
        return []
    outer = _outer(algebra)
    order, group = outer.get("OrderBy"), outer.get("Group")
    ordered = {str(c.expr) if isinstance(c, CompValue) else str(c)
               for c in (order.expr if order is not None else [])}
    if group is not None and group.expr and {str(v) for v in group.expr} <= ordered:
        return []  # one row per group, and the groups are ordered
    return [str(v) for v in algebra["PV"] if str(v) not in ordered]


def order_finding(example: Example) -> Finding | None:
    try:
        missing = untied_order(example.text)
    except ParseBaseException as err:
        raise KGError(f"{example.path}: SPARQL syntax error: {err}") from None
    if not missing:
        return None
    names = " ".join(f"?{v}" for v in missing)
    return Finding(example, f"ORDER BY leaves ties: rows that agree on its keys come out in no "
                            f"fixed order; add {names} (or every GROUP BY variable)")


def answer_finding(store: ox.Store, example: Example) -> Finding | None:
    got = answer(store, example).decode("utf-8")
    path = example.expected_path
    if not path.is_file():
        return Finding(example, f"no expected answer {path.name}; write it with "
                                "`kg examples --update` and review it")
    want = path.read_text(encoding="utf-8")
    if got == want:
        return None
    diff = difflib.unified_diff(want.splitlines(), got.splitlines(), f"{path.name} (expected)",
                                f"{example.name} (on the build)", lineterm="")
    return Finding(example, "answer differs from its expected file:\n" + "\n".join(diff))


def check(store: ox.Store, queries_dir: Path) -> list[Finding]:
    """Every example: totally ordered, and (unless it needs Wikidata) answering as expected."""
    findings = []
    for example in examples(queries_dir):
        findings += [f for f in (order_finding(example),) if f]
        if not example.needs_wikidata:
            findings += [f for f in (answer_finding(store, example),) if f]
    return findings


def update(store: ox.Store, queries_dir: Path) -> list[Path]:
    """Rewrite the expected files whose answer changed; return those written."""
    written = []
    for example in examples(queries_dir):
        if example.needs_wikidata:
            continue
        got = answer(store, example)
        path = example.expected_path
        if not path.is_file() or path.read_bytes() != got:
            tmp = path.with_name(f".{path.name}.tmp")
            tmp.write_bytes(got)
            tmp.replace(path)
            written.append(path)
    return written
