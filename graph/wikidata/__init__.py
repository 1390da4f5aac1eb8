"""Wikidata: links, reconciliation, the offline cache, the Wikibase-shaped export, a stand-in.

Only QIDs from the verified list (``../shared/wikidata-qids.tsv``) or from ``kg wikidata
reconcile`` are ever written; nothing here guesses.
"""

from __future__ import annotations

import csv
from pathlib import Path

from graph.namespaces import WD, WDT, WIKIBASE
from graph.namespaces import WD_P as P
from graph.namespaces import WD_PQ as PQ
from graph.namespaces import WD_PR as PR
from graph.namespaces import WD_PS as PS
from graph.seeds import QIDS_TSV, VERIFIED_METHOD
from graph.settings import WIKIDATA_SPARQL

__all__ = ["WD", "WDT", "P", "PS", "PQ", "PR", "WIKIBASE", "WIKIDATA_SPARQL", "QIDS_TSV",
           "VERIFIED_METHOD"]
ENWIKI = "https://en.wikipedia.org/"

VERIFIED_STATUSES = ("verified", "verified-1src")
LABEL_LANGUAGES = ("en", "ru", "az", "hy")


def qids_tsv(seeds_dir: Path) -> Path:
    """The repository's snapshot of the verified list (a test keeps it equal to the shared one)."""
    return Path(seeds_dir) / "wikidata-qids.tsv"


def shared_qids_tsv(seeds_dir: Path) -> Path:
    """Where the shared verified list lies, beside the repository, when it is there."""
    return (Path(seeds_dir).resolve().parent / QIDS_TSV).resolve()


def verified_qids(tsv: Path) -> dict[str, str]:
    """QID -> status of every row of the verified list (a cell may hold 'Q1 / Q2')."""
    out: dict[str, str] = {}
    with tsv.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            for qid in row["qid"].split("/"):
                out[qid.strip()] = row["status"].strip()
    return out


def sparql_string(text: str) -> str:
    """``text`` as a SPARQL string literal (quotes, backslashes and line breaks escaped)."""
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"')
               .replace("\n", "\\n").replace("\r", "\\r"))
    return f'"{escaped}"'
