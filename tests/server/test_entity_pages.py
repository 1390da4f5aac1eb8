"""Resource pages through the Flask test client over tests/data/site.trig: the summary box, facts
only reasoning gives folded away, claims in numeric order, a quote shown once, the article text
with every claim's words marked and linked, and the neighbourhood picture's data."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph import settings as settings_mod
from server import create_app
from server.article_text import pieces
from server.evidence import EvidenceReader
from server.neighbourhood import _short
from server.terms import Namer, Term

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "data" / "site.trig"
BASE = "https://w3id.org/karabakh-kg/"
JAMNEWS = "jamnews-2024-04-17-peacekeepers-withdrawal"


@pytest.fixture(scope="module")
def client():
    return create_app(settings_mod.load_checked(
        environ={}, DATA=str(SITE), UNION_DEFAULT_GRAPH=True, WORKERS=0,
        QUERIES_DIR=str(ROOT / "queries")), TESTING=True).test_client()


def page(client, path: str) -> str:
    r = client.get(path)
    assert r.status_code == 200
    return r.get_data(as_text=True)


def section(body: str, start: str, end: str) -> str:
    return body[body.index(start):body.index(end, body.index(start))]


def test_the_summary_box_comes_first_with_type_labels_and_wikidata(client) -> None:
    body = page(client, "/id/state/azerbaijan")
    box = section(body, '<section class="summary">', "</section>")
    assert body.index('<section class="summary">') < body.index("<h2>Facts</h2>")
    assert '<dd class="types"><a href="/ontology#State"' in box
    assert re.search(r'<span class="lang">en</span>\s*<span class="label preferred">Azerbaijan'
                     r'</span>, <span class="label variant">Republic of Azerbaijan</span>', box)
    assert '<a class="wikidata" href="http://www.wikidata.org/entity/Q227">Q227</a>' in box


def test_key_facts_say_how_many_sources_state_each(client) -> None:
    body = page(client, "/id/withdrawal/russian-peacekeepers-karabakh")
    box = section(body, '<table class="key-facts">', "</table>")
    rows = re.findall(r'<tr><td><a href="/ontology#(\w+)".*?<td>.*?title="[^"]+">([^<]+)</a>'
                      r'.*?<td class="num" title="(\d+) claims?">(\d+) articles?</td>', box, re.S)
    assert rows == [("decidedBy", "Azerbaijan", "1", "1"),
                    ("decidedBy", "Ilham Aliyev", "1", "1"),
                    ("decidedBy", "Russia", "1", "1"),
                    ("decidedBy", "Vladimir Putin", "1", "1"),
                    ("ofDeployment", "Deployment of Russian peacekeepers in Karabakh", "1", "1")]


def test_what_only_reasoning_gives_is_folded_away(client) -> None:
    body = page(client, "/id/withdrawal/russian-peacekeepers-karabakh")
    facts = section(body, "<h2>Facts</h2>", '<details class="inferred">')
    assert "sem:hasActor" not in facts
    folded = section(body, '<details class="inferred">', "</details>")
    assert "<summary>2 more facts by reasoning (OWL 2 RL)</summary>" in folded
    assert folded.count('<span class="graph graph-inferred">inferred</span>') == 2


def test_a_quote_behind_two_facts_is_shown_once(client) -> None:
    body = page(client, "/id/withdrawal/russian-peacekeepers-karabakh")
    facts = section(body, "<h2>Facts</h2>", "</section>")
    quote = "<mark>This information was confirmed by Kremlin spokesperson Dmitry Peskov.</mark>"
    assert facts.count(quote) == 1  # claim 6 states "decided by" Azerbaijan and Russia
    anchor = re.search(r'<div id="(quote-\d+)"><div class="evidence">\s*<blockquote class="quote">'
                       r'[^<]*<span class="context">[^<]*</span>' + re.escape(quote), facts)
    assert anchor is not None
    assert (f'<p class="again"><a href="#{anchor.group(1)}">The same words, quoted above</a> · '
            f'<a class="claim" href="/id/claim/{JAMNEWS}/6">') in facts


def test_claims_come_in_numeric_order() -> None:
    store = ox.Store()
    store.bulk_load(path=str(SITE), format=ox.RdfFormat.TRIG)
    reader = EvidenceReader(store, Namer(store, BASE))
    claims = [BASE + f"id/claim/{JAMNEWS}/{n}" for n in (10, 3, 4, 1)]
    assert [c.rsplit("/", 1)[-1] for c in reader.for_claims(claims)] == ["1", "3", "4", "10"]


def test_article_text_marks_every_claims_words_with_a_link(client) -> None:
    body = page(client, f"/id/article/{JAMNEWS}/text")
    text = section(body, '<div class="article-text">', "</div>")
    refs = re.findall(r'<a class="claim-ref" href="/id/claim/' + JAMNEWS + r'/(\d+)"', text)
    assert refs == ["1", "3", "4", "6", "10"]
    assert ('<mark title="Claim 6 of jamnews-2024-04-17-peacekeepers-withdrawal">This information '
            'was confirmed by Kremlin spokesperson Dmitry Peskov.</mark><a class="claim-ref" '
            f'href="/id/claim/{JAMNEWS}/6" title="Claim 6 of {JAMNEWS}">6</a>') in text
    assert text.startswith('<div class="article-text">Russian peacekeepers begin withdrawal')


def test_overlapping_spans_are_cut_at_every_boundary() -> None:
    a, b = Term("c/2", "iri", "two"), Term("c/10", "iri", "ten")
    cut = pieces("abcdefgh", [(1, 5, a), (3, 7, b), (6, 99, a)])
    assert [(p.text, [c.value for c in p.claims], [c.value for c in p.ending]) for p in cut] == [
        ("a", [], []), ("bc", ["c/2"], []), ("de", ["c/2", "c/10"], ["c/2"]),
        ("fg", ["c/10"], ["c/10"]), ("h", [], [])]  # (6, 99) is past the end: left out


def test_the_neighbourhood_picture_holds_the_links_both_ways(client) -> None:
    body = page(client, "/id/withdrawal/russian-peacekeepers-karabakh")
    raw = section(body, '<script id="neighbourhood-data" type="application/json">', "</script>")
    graph = json.loads(raw[raw.index(">") + 1:])
    centre = BASE + "id/withdrawal/russian-peacekeepers-karabakh"
    rings = {n["id"][len(BASE) + 3:]: n["ring"] for n in graph["nodes"]}
    assert rings == {"withdrawal/russian-peacekeepers-karabakh": 3,
                     "deployment/russian-peacekeepers-karabakh": 2, "state/azerbaijan": 2,
                     "state/russia": 2, "person/ilham-aliyev": 2, "person/vladimir-putin": 2,
                     "speech-act/jamnews-2024-04-17-peacekeepers-withdrawal/4": 1}
    edges = {(e["source"][len(BASE):], e["target"][len(BASE):], e["label"])
             for e in graph["edges"]}
    assert edges == {  # the inferred sem:hasActor links are left out
        ("id/withdrawal/russian-peacekeepers-karabakh", "id/state/azerbaijan", "decided by"),
        ("id/withdrawal/russian-peacekeepers-karabakh", "id/state/russia", "decided by"),
        ("id/withdrawal/russian-peacekeepers-karabakh", "id/person/ilham-aliyev", "decided by"),
        ("id/withdrawal/russian-peacekeepers-karabakh", "id/person/vladimir-putin", "decided by"),
        ("id/withdrawal/russian-peacekeepers-karabakh",
         "id/deployment/russian-peacekeepers-karabakh", "of deployment"),
        ("id/speech-act/jamnews-2024-04-17-peacekeepers-withdrawal/4",
         "id/withdrawal/russian-peacekeepers-karabakh", "kg:about")}
    assert centre in {e["source"] for e in graph["edges"]}
    assert graph["left_out"] == 0
    assert '<script src="/static/vendor/cytoscape/cytoscape.min.js"></script>' in body


def test_a_page_without_links_has_no_picture(client) -> None:
    body = page(client, "/id/person/dmitry-peskov")  # only claims point at him
    assert 'id="neighbourhood"' not in body and "cytoscape" not in body


def test_labels_are_shortened_at_a_word() -> None:
    assert _short("Statement by Hikmet Hajiyev of 2024-04-17 (jamnews)", 30) == \
        "Statement by Hikmet Hajiyev …"
    assert _short("Azerbaijan") == "Azerbaijan"
