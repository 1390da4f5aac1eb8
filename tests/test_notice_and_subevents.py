"""Who may give notice under an agreement, and events at two grains (ontology 0.2).

The shapes accept the forms the seeds use and name what is wrong otherwise; and a later article
that dates the first departures lands on the first departures, not on the start of the withdrawal.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph
from rdflib.namespace import SH

from graph.artifact import to_store
from graph.iris import Minter
from graph.mapping import map_seeds
from graph.ontology import load_ontology
from graph.seeds import load_seeds
from tests.conftest import ROOT, select

ONTOLOGY = ROOT / "ontology"

DATA = """
@prefix kg: <https://w3id.org/karabakh-kg/ontology#> .
@prefix id: <https://w3id.org/karabakh-kg/id/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix sem: <http://semanticweb.cs.vu.nl/2009/11/sem/> .
@prefix time: <http://www.w3.org/2006/time#> .

id:state-azerbaijan a kg:State ; skos:prefLabel "Azerbaijan"@en .
id:person-p a kg:Person ; skos:prefLabel "Haji Namazov"@en .
id:place-monastery a kg:Site ; skos:prefLabel "Khudavang monastery"@en .
id:agreement-statement a kg:Agreement ; skos:prefLabel "Trilateral statement"@en ;
    kg:hasProvision id:value-term-a, id:value-term-b .
id:value-term-a a kg:TermProvision ; kg:renewalTerm "P5Y"^^xsd:duration ;
    kg:noticeBy id:state-azerbaijan ; kg:noticeDeadline "2025-04"^^xsd:gYearMonth .
id:value-term-b a kg:TermProvision ; kg:terminationNotice "P6M"^^xsd:duration ;
    kg:noticeBy kg:AnyParty .
id:withdrawal-w a kg:Withdrawal ; skos:prefLabel "Withdrawal"@en .
id:withdrawal-first a kg:Withdrawal ; skos:prefLabel "First departures"@en ;
    sem:subEventOf id:withdrawal-w ; time:before id:speech-act-report .
id:speech-act-report a kg:SpeechAct ; kg:speaker id:state-azerbaijan ;
    kg:date "2024-04-16"^^xsd:date .
"""


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY / "kg.ttl").parse(ONTOLOGY / "imports.ttl")


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(ONTOLOGY / "shapes.ttl")


def messages(data: str, ontology: Graph, shapes: Graph) -> tuple[bool, str]:
    conforms, report, _text = validate(
        Graph().parse(data=data, format="turtle"),
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        allow_warnings=False,
    )
    return bool(conforms), "\n".join(sorted(str(m) for m in report.objects(None, SH.resultMessage)))


def test_notice_terms_and_sub_events_conform(ontology: Graph, shapes: Graph) -> None:
    conforms, text = messages(DATA, ontology, shapes)
    assert conforms, text


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        pytest.param(
            "kg:noticeBy id:state-azerbaijan", "kg:noticeBy id:person-p",
            "kg:noticeBy must be a kg:State the source names", id="notice-by-a-person",
        ),
        pytest.param(
            '"2025-04"^^xsd:gYearMonth', '"by April 2025"',
            "kg:noticeDeadline must be an xsd:date, xsd:gYearMonth or xsd:gYear literal",
            id="deadline-as-words",
        ),
        pytest.param(
            'id:withdrawal-w a kg:Withdrawal ; skos:prefLabel "Withdrawal"@en .',
            'id:withdrawal-w a kg:Withdrawal ; skos:prefLabel "Withdrawal"@en ; '
            'kg:noticeBy id:state-azerbaijan .',
            "Who may give notice (kg:noticeBy) or by when (kg:noticeDeadline) is wrongly stated",
            id="notice-on-an-event",
        ),
        pytest.param(
            "sem:subEventOf id:withdrawal-w", "sem:subEventOf id:place-monastery",
            "What an event is part of (sem:subEventOf) must be a kg:Event", id="part-of-a-place",
        ),
        pytest.param(
            "time:before id:speech-act-report", "time:before id:place-monastery",
            "What an event happened before (time:before) must be a kg:Event", id="before-a-place",
        ),
    ],
)
def test_broken_notice_terms_and_sub_events_are_reported(
    ontology: Graph, shapes: Graph, old: str, new: str, message: str
) -> None:
    assert old in DATA, old
    conforms, text = messages(DATA.replace(old, new, 1), ontology, shapes)
    assert not conforms
    assert message in text, text


A001 = "unattributed-2024-04-17-peacekeepers-start-withdrawal"
LATER = "example-2024-04-20-first-departures-dated"
SENTENCE = "The first peacekeepers left the Khudavang monastery on 13 April 2024"
LATER_TEXT = SENTENCE + ", officials said.\n"
LATER_YAML = f"""article:
  id: {LATER}
  source_file: 009_example.txt
  title: null
  publisher: null
  author: null
  published: {{date: 2024-04-20}}
  genre: news
  url: null
  language: en

claims:
  - n: 1
    evidence: {{start: 0, exact: "{SENTENCE}"}}
    mode: Authorial
    facts: |
      withdrawal:russian-peacekeepers-karabakh-first-departures kg:date "2024-04-13"^^xsd:date ;
          kg:route [ a kg:Route ; kg:from place:khudavang-monastery ] .
"""


def test_a_later_article_dating_the_first_departures_lands_on_them(tmp_path: Path) -> None:
    """A new source gives the first departures an exact date without restating that they are
    part of the withdrawal: example 24 shows it next to article 001's relative date, and the
    withdrawal's start is untouched."""
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    (seeds / "articles" / f"{LATER}.txt").write_text(LATER_TEXT, encoding="utf-8")
    (seeds / "articles" / f"{LATER}.yaml").write_text(LATER_YAML, encoding="utf-8")
    mapped = map_seeds(
        load_seeds(seeds, only={A001, LATER}), load_ontology(ONTOLOGY), Minter()
    )
    store = to_store(mapped.dataset)
    query = (ROOT / "queries" / "examples" / "24-first-departures-and-withdrawal-start.rq")
    rows = select(store, query.read_text(encoding="utf-8"))
    base = "https://w3id.org/karabakh-kg/id/article/"
    assert [(r["grain"], r["article"], r["date"], r["phrase"], r["latest"], r["before"],
             r["from"]) for r in rows] == [
        ("part of the withdrawal", base + LATER, "2024-04-13", "", "", "", "Khudavang monastery"),
        ("part of the withdrawal", base + A001, "", "a few days ago", "2024-04-14", "2024-04-16",
         "Khudavang monastery"),
    ]
