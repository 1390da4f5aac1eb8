"""The RDF of /id/... holds what its page shows: the facts in their graphs, the claims behind
them with their provenance (as TriG, N-Quads or JSON-LD with an @context), merged for Turtle and
N-Triples with a note (server/resource_rdf.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import settings as settings_mod
from server import create_app

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/karabakh-kg/"
KG, OA = BASE + "ontology#", "http://www.w3.org/ns/oa#"
PROV = "http://www.w3.org/ns/prov#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
JAMNEWS = "jamnews-2024-04-17-peacekeepers-withdrawal"
HAJIYEV = BASE + "id/person/hikmet-hajiyev"
CLAIM4 = f"{BASE}id/claim/{JAMNEWS}/4"
SPAN4 = f"{BASE}id/span/{JAMNEWS}/4"
QUOTE = ("“The decision to withdraw Russian peacekeepers from Azerbaijani territory was made by "
         "the highest leadership of the two countries,”")


@pytest.fixture(scope="module")
def client():
    settings = settings_mod.load_checked(
        environ={}, DATA=str(ROOT / "tests" / "data" / "site.trig"), WORKERS=0,
        ONTOLOGY_DIR=str(ROOT / "ontology"), QUERIES_DIR=str(ROOT / "queries"))
    return create_app(settings, TESTING=True).test_client()


def quads(body: bytes, fmt: ox.RdfFormat) -> set[tuple[str, str, str, str]]:
    return {(q.subject.value, q.predicate.value, str(q.object), str(q.graph_name))
            for q in ox.parse(body, format=fmt)}


def has(found: set, s: str, p: str, o: str, g: str) -> bool:
    return (s, p, o, f"<{g}>") in found


@pytest.mark.parametrize("accept, media_type", [
    ("application/trig", "application/trig"),
    ("application/n-quads", "application/n-quads"),
    ("application/n-quads, text/html;q=0.5", "application/n-quads"),
])
def test_dataset_clients_get_the_claims_with_their_provenance(client, accept, media_type):
    r = client.get("/id/person/hikmet-hajiyev", headers={"Accept": accept})
    assert r.status_code == 200
    assert r.mimetype == media_type
    assert r.headers["Vary"] == "Accept, Accept-Encoding"
    found = quads(r.data, ox.RdfFormat.from_media_type(media_type))
    # The page's facts, each in the graph that holds it.
    assert has(found, HAJIYEV, SKOS + "prefLabel", '"Hikmet Hajiyev"@en', BASE + "graph/entities")
    # The link to him, in the claim that states it ...
    act = f"{BASE}id/speech-act/{JAMNEWS}/4"
    assert has(found, act, KG + "speaker", f"<{HAJIYEV}>", CLAIM4)
    # ... and that claim's provenance: its article, its attribution, its evidence and selectors.
    provenance = BASE + "graph/provenance"
    assert has(found, CLAIM4, PROV + "wasDerivedFrom", f"<{BASE}id/article/{JAMNEWS}>",
               provenance)
    assert has(found, CLAIM4, KG + "evidence", f"<{SPAN4}>", provenance)
    assert has(found, SPAN4, OA + "hasSelector", f"<{SPAN4}-quote>", provenance)
    assert has(found, f"{SPAN4}-quote", OA + "exact", json.dumps(QUOTE, ensure_ascii=False),
               provenance)


def test_trig_and_n_quads_hold_the_same_quads(client):
    trig = client.get("/id/person/hikmet-hajiyev.trig")
    nq = client.get("/id/person/hikmet-hajiyev.nq")
    assert quads(trig.data, ox.RdfFormat.TRIG) == quads(nq.data, ox.RdfFormat.N_QUADS)
    assert trig.data.startswith(b"@prefix ")  # TriG with the project's prefixes


def test_triples_only_formats_get_the_graphs_merged_and_a_note(client):
    ttl = client.get("/id/person/hikmet-hajiyev.ttl")
    note = ("# All graphs merged. Which claim states what, and who says so (the named graphs and "
            "their provenance): /id/person/hikmet-hajiyev.trig or /id/person/hikmet-hajiyev.nq\n")
    assert ttl.get_data(as_text=True).startswith(note)
    nt = client.get("/id/person/hikmet-hajiyev.nt")
    assert nt.get_data(as_text=True).startswith(note)
    trig = quads(client.get("/id/person/hikmet-hajiyev.trig").data, ox.RdfFormat.TRIG)
    merged = {(s, p, o, "DEFAULT") for s, p, o, _ in trig}
    assert quads(ttl.data, ox.RdfFormat.TURTLE) == merged
    assert quads(nt.data, ox.RdfFormat.N_TRIPLES) == merged


def test_json_ld_has_a_context_of_the_project_prefixes_and_keeps_the_graphs(client):
    r = client.get("/id/person/hikmet-hajiyev", headers={"Accept": "application/ld+json"})
    assert r.mimetype == "application/ld+json"
    doc = json.loads(r.data)
    assert doc["@context"]["person"] == BASE + "id/person/"
    assert doc["@context"]["skos"] == SKOS
    assert doc["@context"]["kg"] == KG
    entities = next(g for g in doc["@graph"] if g["@id"] == BASE + "graph/entities")
    assert any(node["@id"] == "person:hikmet-hajiyev" for node in entities["@graph"])
    trig = quads(client.get("/id/person/hikmet-hajiyev.trig").data, ox.RdfFormat.TRIG)
    assert quads(r.data, ox.RdfFormat.JSON_LD) == trig  # the same quads, every graph named


def test_a_claim_gives_its_statements_and_provenance(client):
    found = quads(client.get(f"/id/claim/{JAMNEWS}/4.trig").data, ox.RdfFormat.TRIG)
    assert has(found, f"{BASE}id/quotation/{JAMNEWS}/4", "http://schema.org/text",
               json.dumps(QUOTE, ensure_ascii=False), CLAIM4)
    assert has(found, CLAIM4, KG + "evidence", f"<{SPAN4}>", BASE + "graph/provenance")


def test_a_conflict_on_the_resource_comes_with_its_member_claims(client):
    found = quads(client.get("/id/agreement/trilateral-statement-2020.nq").data,
                  ox.RdfFormat.N_QUADS)
    conflict = f"<{BASE}id/conflict/5d1c0e2a9b>"
    conflicts = BASE + "graph/conflicts"
    member = f"{BASE}id/claim/unattributed-2024-04-18-tskhinvali-scenario/1"
    assert has(found, conflict[1:-1], KG + "memberClaim", f"<{member}>", conflicts)
    assert any(s == member and p == PROV + "wasDerivedFrom" for s, p, _, _ in found)
