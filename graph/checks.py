"""Run the quality checks: queries/checks/*-violation.rq must return zero rows on the build."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from graph.namespaces import DEFAULT_BASE
from graph.query import solutions


@dataclass(frozen=True)
class CheckResult:
    name: str
    path: Path
    rows: list[dict[str, str]]

    @property
    def passed(self) -> bool:
        return not self.rows


def check_files(queries_dir: Path) -> list[Path]:
    return sorted((queries_dir / "checks").glob("*-violation.rq"))


def run_checks(store: ox.Store, queries_dir: Path, base: str = DEFAULT_BASE,
               files: Iterable[Path] | None = None) -> list[CheckResult]:
    """Run every check (or the ``files`` of ``check_files``, as they come: a progress bar may
    hand them out); the files name things and graphs under the default base IRI, read as under
    the dataset's ``base`` (the ontology's namespace does not move with it)."""
    results = []
    for path in check_files(queries_dir) if files is None else files:
        text = path.read_text(encoding="utf-8")
        for part in ("id/", "graph/"):
            text = text.replace(DEFAULT_BASE + part, base + part)
        found = solutions(store, text, union=True)
        names = [v.value for v in found.variables]
        rows = [
            {n: (str(s[n].value) if s[n] is not None else "") for n in names} for s in found
        ]
        results.append(CheckResult(path.stem, path, rows))
    return results
