"""Every example query runs and returns rows, and what some must contain whatever the articles
add; every check returns zero rows. Each example's exact answer is in its expected file beside it
(queries/examples/NN-name.tsv), compared by tests/test_examples.py and `kg examples --check`."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.checks import check_files
from tests.conftest import ROOT, select

EXAMPLES = sorted((ROOT / "queries" / "examples").glob("*.rq"))


def needs_wikidata(path: Path) -> bool:
    return any(line.strip() == "# requires: wikidata" for line in path.read_text().splitlines())


def run(store, name: str) -> list[dict[str, str]]:
    return select(store, (ROOT / "queries" / "examples" / name).read_text(encoding="utf-8"))


def test_there_are_at_least_twelve_examples_each_with_title_and_question() -> None:
    assert len(EXAMPLES) >= 12
    for path in EXAMPLES:
        head = path.read_text(encoding="utf-8").splitlines()[:4]
        assert head[0].startswith("# title: "), path
        assert any(line.startswith("# question: ") for line in head), path


@pytest.mark.parametrize(
    "path", [p for p in EXAMPLES if not needs_wikidata(p)], ids=lambda p: p.name
)
def test_every_offline_example_runs_and_returns_rows(store, path: Path) -> None:
    assert select(store, path.read_text(encoding="utf-8")), f"{path.name} returned no rows"


@pytest.mark.parametrize("path", check_files(ROOT / "queries"), ids=lambda p: p.name)
def test_every_check_returns_zero_rows(store, path: Path) -> None:
    assert select(store, path.read_text(encoding="utf-8")) == []


def test_advisers_and_spokespersons(store) -> None:
    rows = run(store, "07-advisers-and-spokespersons.rq")
    pairs = {(r["person"], r["relation"], r["principal"]) for r in rows}
    assert ("Hikmet Hajiyev", "adviserTo", "Ilham Aliyev") in pairs
    assert ("Dmitry Peskov", "spokespersonFor", "Vladimir Putin") in pairs
    assert ("Peter Stano", "spokespersonFor", "European Union") in pairs
    assert ("Vedant Patel", "spokespersonFor", "United States Department of State") in pairs


def test_places_transitively_inside_azerbaijan(store) -> None:
    rows = run(store, "10-places-in-azerbaijan.rq")
    labels = {r["label"]: r["direct"] for r in rows}
    assert labels["Karabakh"] == "true"
    # Only inferred: the monastery is in Kalbajar District, which is in Azerbaijan.
    assert labels["Khudavang monastery"] == "false"
    # Khojaly is not here: no article says where it lies (the claim that put it in Karabakh
    # was outside knowledge and was removed in the 0.2 audit).
    assert "Khojaly" not in labels


def test_actors_of_the_withdrawal_after_reasoning(store) -> None:
    labels = {r["label"] for r in run(store, "12-who-took-part.rq")}
    assert {
        "Azerbaijan",
        "Russia",
        "Ilham Aliyev",
        "Vladimir Putin",
        "Russian peacekeeping contingent in Nagorno-Karabakh",
    } <= labels


def test_quotations_relayed_by_agencies(store) -> None:
    rows = run(store, "14-quotations-by-agency.rq")
    assert {(r["agency"], r["speaker"]) for r in rows} >= {
        ("APA", "Hikmet Hajiyev"),
        ("Azertac", "Hikmet Hajiyev"),
        ("RIA Novosti", "Aleksey Zhuravlev"),
        ("Turan Information Agency", "Peter Stano"),
    }
