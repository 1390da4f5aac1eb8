"""Every example query runs and gives the right answers; every check returns zero rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.checks import check_files
from tests.conftest import ROOT, select

EXAMPLES = sorted((ROOT / "queries" / "examples").glob("*.rq"))
ID = "https://w3id.org/karabakh-kg/id/"
A000 = ID + "article/jamnews-2024-04-17-peacekeepers-withdrawal"
A001 = ID + "article/unattributed-2024-04-17-peacekeepers-start-withdrawal"
A002 = ID + "article/unattributed-2024-04-18-tskhinvali-scenario"
A003 = ID + "article/azemedia-2024-04-22-contingent-leaves-karabakh"
A004 = ID + "article/unattributed-2024-04-18-eu-us-react-to-withdrawal"
FIVE = {A000, A001, A002, A003, A004}


def needs_wikidata(path: Path) -> bool:
    return any(line.strip() == "# requires: wikidata" for line in path.read_text().splitlines())


def run(store, name: str) -> list[dict[str, str]]:
    return select(store, (ROOT / "queries" / "examples" / name).read_text(encoding="utf-8"))


def pick(rows: list[dict[str, str]], *keys: str) -> list[tuple[str, ...]]:
    return [tuple(row[k] for k in keys) for row in rows]


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


def test_articles_with_publishers_and_dates(store) -> None:
    rows = [r for r in run(store, "01-articles.rq") if r["article"] in FIVE]
    assert pick(rows, "article", "publisher", "published", "inferred") == [
        (A000, "JAMnews", "2024-04-17", "true"),
        (A001, "", "2024-04-17", "true"),
        (A004, "", "2024-04-18", "true"),
        (A002, "", "2024-04-18", ""),
        (A003, "Aze.Media", "2024-04-22", ""),
    ]


def test_agreement_parties_and_terms(store) -> None:
    rows = run(store, "02-agreement-parties-and-terms.rq")
    assert sorted(r["party"] for r in rows if r["party"]) == ["Armenia", "Azerbaijan", "Russia"]
    terms = [r for r in rows if not r["party"]]
    assert pick(terms, "initialTerm", "renewalTerm", "automaticRenewal", "terminationNotice") == [
        ("P5Y", "P5Y", "true", "P6M")
    ]


def test_both_signing_dates_each_with_its_source(store) -> None:
    rows = run(store, "03-signing-dates-by-source.rq")
    assert pick(rows, "dateSigned", "article") == [
        ("2020-11", A003),
        ("2020-11-09", A002),
        ("2020-11-10", A000),
        ("2020-11-10", A001),
    ]


def test_withdrawal_start_according_to_each_source(store) -> None:
    rows = run(store, "05-withdrawal-start-by-source.rq")
    assert pick(rows, "start", "article") == [("2023-09", A002), ("2024-04-16", A003)]
    assert rows[1]["sentence"].startswith("On April 16, Russia’s peacekeeping units")


def test_deployment_timeline_is_in_date_order(store) -> None:
    rows = run(store, "04-deployment-timeline.rq")
    dates = [r["date"] for r in rows]
    assert dates == sorted(dates)
    assert ("2020-11-09", "https://w3id.org/karabakh-kg/ontology#startDate", A002) in pick(
        rows, "date", "property", "article"
    )
    assert {r["date"] for r in rows if r["property"].endswith("scheduledEnd")} == {
        "2025",
        "2025-11",
    }


def test_every_quotation_of_hajiyev_with_its_article(store) -> None:
    rows = run(store, "06-hajiyev-quotations.rq")
    assert sorted({r["article"] for r in rows}) == sorted([A000, A001, A003, A004])
    assert len(rows) == 6
    assert {r["date"] for r in rows} == {"2024-04-17"}
    texts = " ".join(r["text"] for r in rows)
    assert "has been decided by the leaders of both countries" in texts
    assert {r["via"] for r in rows} >= {"Azertac", "APA"}


def test_advisers_and_spokespersons(store) -> None:
    rows = run(store, "07-advisers-and-spokespersons.rq")
    pairs = {(r["person"], r["relation"], r["principal"]) for r in rows}
    assert ("Hikmet Hajiyev", "adviserTo", "Ilham Aliyev") in pairs
    assert ("Dmitry Peskov", "spokespersonFor", "Vladimir Putin") in pairs
    assert ("Peter Stano", "spokespersonFor", "European Union") in pairs
    assert ("Vedant Patel", "spokespersonFor", "United States Department of State") in pairs


def test_disagreements_list_the_signing_date_conflict_and_hedged_figures(store) -> None:
    rows = run(store, "08-disagreements.rq")
    signing = {(r["value"], r["article"]) for r in rows if "dateSigned" in r["label"]}
    assert {r["kind"] for r in rows if "dateSigned" in r["label"]} == {"conflict"}
    assert ("2020-11-09", A002) in signing and ("2020-11-10", A000) in signing
    strength = {(r["kind"], r["value"]) for r in rows if "strength of" in r["label"]}
    assert strength == {
        ("variance", "Nearly 2000"),
        ("variance", "About 2000"),
        ("variance", "MoreThan 1960"),
    }
    exodus = {r["value"] for r in rows if "displacedCount" in r["label"]}
    assert exodus == {"Exact 120000", "MoreThan 100000"}


def test_articles_reporting_the_leaders_decision(store) -> None:
    rows = run(store, "09-articles-reporting-a-fact.rq")
    assert {r["article"] for r in rows} == {A000, A001, A002, A003, A004}
    assert {r["decidedBy"] for r in rows} >= {"Ilham Aliyev", "Vladimir Putin"}


def test_places_transitively_inside_azerbaijan(store) -> None:
    rows = run(store, "10-places-in-azerbaijan.rq")
    labels = {r["label"]: r["direct"] for r in rows}
    assert labels["Karabakh"] == "true"
    # Only inferred: the monastery is in Kalbajar District, which is in Azerbaijan.
    assert labels["Khudavang monastery"] == "false"
    assert "Khojaly" in labels


def test_troop_numbers_keep_their_hedges(store) -> None:
    rows = run(store, "11-troop-numbers.rq")
    assert pick(rows, "property", "approximation", "value", "minValue", "article") == [
        ("authorizedStrength", "AtMost", "1960", "", A003),
        ("strength", "MoreThan", "", "1960", A003),
        ("strength", "Nearly", "2000", "", A001),
        ("strength", "About", "2000", "", A004),
    ]


def test_actors_of_the_withdrawal_after_reasoning(store) -> None:
    labels = {r["label"] for r in run(store, "12-who-took-part.rq")}
    assert {
        "Azerbaijan",
        "Russia",
        "Ilham Aliyev",
        "Vladimir Putin",
        "Russian peacekeeping contingent in Nagorno-Karabakh",
    } <= labels


def test_exodus_figures_by_source(store) -> None:
    rows = run(store, "13-exodus-figures.rq")
    assert pick(rows, "approximation", "value", "article") == [
        ("MoreThan", "100000", A004),
        ("Exact", "120000", A001),
    ]


def test_quotations_relayed_by_agencies(store) -> None:
    rows = run(store, "14-quotations-by-agency.rq")
    assert {(r["agency"], r["speaker"]) for r in rows} >= {
        ("APA", "Hikmet Hajiyev"),
        ("Azertac", "Hikmet Hajiyev"),
        ("RIA Novosti", "Aleksey Zhuravlev"),
        ("Turan Information Agency", "Peter Stano"),
    }


def test_each_article_words_hajiyevs_post_differently(store) -> None:
    rows = run(store, "15-hajiyev-post-wordings.rq")
    assert pick(rows, "article", "wording") == [
        (A003, "foreign policy advisor to Azerbaijani President Ilham Aliyev"),
        (A000, "assistant to the president of Azerbaijan"),
        (A001, "foreign policy adviser to Azerbaijani President Ilham Aliyev"),
        (A004, "Azerbaijani President Ilham Aliyev’s top foreign policy aide"),
        (A002, "Azerbaijani presidential aide"),
    ]


def test_articles_that_name_an_actor_are_kept_apart_from_those_that_only_refer_to_it(
        store) -> None:
    """Putin decides the withdrawal in four articles; only Aze.Media names him."""
    rows = run(store, "16-named-or-inferred-referents.rq")
    for row in rows:  # GROUP_CONCAT has no order
        row["described"] = " | ".join(sorted(row["described"].split(" | ")))
    assert pick(rows, "person", "article", "named", "described") == [
        ("Ilham Aliyev", A003, "true", "the leaders of both countries"),
        ("Ilham Aliyev", A000, "false",
         "the highest leadership of the two countries | the president of Azerbaijan"),
        ("Ilham Aliyev", A001, "true", "the leaders of both countries"),
        ("Ilham Aliyev", A004, "true", "the leaders of both countries"),
        ("Ilham Aliyev", A002, "false",
         "presidential | the top leadership of Azerbaijan and Russia"),
        ("Vladimir Putin", A003, "true", "the leaders of both countries"),
        ("Vladimir Putin", A000, "false", "the highest leadership of the two countries"),
        ("Vladimir Putin", A001, "false", "the leaders of both countries"),
        ("Vladimir Putin", A004, "false", "the leaders of both countries"),
        ("Vladimir Putin", A002, "false",
         "the Russian President | the top leadership of Azerbaijan and Russia"),
    ]
