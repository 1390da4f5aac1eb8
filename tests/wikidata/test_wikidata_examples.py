"""The Wikidata examples (queries/examples/20-22) give exact answers against the stand-in.

Examples that call SERVICE carry the header line ``# requires: wikidata``; they run here through
our /sparql with https://query.wikidata.org/sparql mapped onto the stand-in. The others read the
cached graph/wikidata and run on the build alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.wikidata.wikidata_helpers import ROOT, rows, select, sparql_json

pytestmark = pytest.mark.wikidata
EXAMPLES = ROOT / "queries" / "examples"
WD = "http://www.wikidata.org/entity/"
ID = "https://w3id.org/karabakh-kg/id/"
MARKER = "# requires: wikidata"


def text(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


def needs_wikidata(path: Path) -> bool:
    return any(line.strip() == MARKER for line in path.read_text(encoding="utf-8").splitlines())


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.rq")), ids=lambda p: p.name)
def test_the_marker_is_on_exactly_the_examples_that_call_service(path: Path) -> None:
    calls_service = "SERVICE" in path.read_text(encoding="utf-8").upper().replace(
        "SERVICE DESCRIPTION", "")
    assert needs_wikidata(path) == calls_service


def test_20_parties_with_capitals_and_russian_names(sparql_client) -> None:
    status, body = sparql_json(sparql_client, text("20-trilateral-parties-capitals.rq"))
    assert status == 200, body
    got = [(r["party"], r["item"], r["nameRu"], r["capital"], r["capitalName"])
           for r in rows(body)]
    assert got == [
        ("Armenia", WD + "Q399", "Армения", WD + "Q1953", "Yerevan"),
        ("Azerbaijan", WD + "Q227", "Азербайджан", WD + "Q9248", "Baku"),
        ("Russia", WD + "Q159", "Россия", WD + "Q649", "Moscow"),
    ]


def test_21_actors_with_wikidata_descriptions_offline(wikidata_build) -> None:
    from graph.seeds import load_entities

    _settings, result = wikidata_build
    found = select(result.store, text("21-actors-wikidata-descriptions.rq"))
    described = [(r["label"], r["item"], r["description"], r["retrieved"])
                 for r in found if r["description"]]
    assert described == [
        ("Armenia", WD + "Q399", "country in the South Caucasus", "2026-11-23"),
        ("Azerbaijan", WD + "Q227", "country in the South Caucasus", "2026-11-23"),
        ("Georgia", WD + "Q230", "country in the South Caucasus", "2026-11-23"),
        ("Nikol Pashinyan", WD + "Q7035479", "Prime Minister of Armenia", "2026-11-23"),
        ("Vladimir Putin", WD + "Q7747", "President of Russia", "2026-11-23"),
    ]
    entities = load_entities(ROOT / "seeds" / "entities.yaml", ROOT / "seeds" / "schema")
    actor_types = ("kg:Person", "kg:State", "kg:Organization", "kg:GovernmentBody",
                   "kg:NewsOrganization", "kg:MilitaryUnit")
    linked = {ID + e.id: WD + e.wikidata for e in entities.values()
              if e.wikidata and set(e.types) & set(actor_types)}
    assert {r["actor"]: r["item"] for r in found} == linked
    assert len(found) == len(linked)  # one English label each, so one row each


def test_22_statements_by_people_with_a_position_held(sparql_client) -> None:
    status, body = sparql_json(sparql_client, text("22-speakers-positions-held.rq"))
    assert status == 200, body
    got = [(r["speaker"], r["claim"], r["date"], r["position"], r["positionName"], r["since"])
           for r in rows(body)]
    assert got == EXPECTED_22


EXPECTED_22 = [
    ("Nikol Pashinyan", ID + "claim/unattributed-2024-04-17-peacekeepers-start-withdrawal/1", "",
     WD + "Q1123764", "Prime Minister of Armenia", "2018-05-08T00:00:00Z"),
]
