"""Search through the Flask test client: /search (HTML and JSON) and /search/suggest over an index
made from tests/data/site.trig the way `kg build` makes it; hostile and odd search text."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from graph import settings as settings_mod
from graph.search_index import INDEX_FILE, match_expression, terms, write_index
from server import create_app
from server.search import SearchIndex, SearchIndexError, split_snippet
from server.store import DataError

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "data" / "site.trig"
BASE = "https://w3id.org/karabakh-kg/"
HAJIYEV = BASE + "id/person/hikmet-hajiyev"
AZERBAIJAN = BASE + "id/state/azerbaijan"
QUOTATION = BASE + "id/quotation/jamnews-2024-04-17-peacekeepers-withdrawal/4"
CLAIM_4 = BASE + "id/claim/jamnews-2024-04-17-peacekeepers-withdrawal/4"


def _app(data: Path):
    return create_app(settings_mod.load_checked(
        environ={}, DATA=str(data), UNION_DEFAULT_GRAPH=True, WORKERS=0,
        BUILD_DIR=str(data.parent), QUERIES_DIR=str(ROOT / "queries")), TESTING=True)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """site.trig with its index beside it."""
    folder = tmp_path_factory.mktemp("search")
    shutil.copy(SITE, folder / "site.trig")
    store = ox.Store()
    store.bulk_load(path=str(SITE), format=ox.RdfFormat.TRIG)
    write_index(store, BASE, folder / INDEX_FILE)
    return folder / "site.trig"


@pytest.fixture(scope="module")
def client(data: Path):
    return _app(data).test_client()


def _json(client, url: str, **params: str) -> dict:
    r = client.get(url, query_string=params)
    assert r.status_code == 200, r.get_data(as_text=True)
    assert r.content_type == "application/json"
    return r.get_json()


def test_a_spelling_variant_finds_the_entity_with_its_label_and_type(client) -> None:
    body = _json(client, "/search", q="Republic of Azerbaijan", format="json")
    first = body["results"][0]
    assert {k: first[k] for k in ("iri", "label", "type", "snippet", "href")} == {
        "iri": AZERBAIJAN, "label": "Azerbaijan", "type": "State",
        "snippet": "Republic of Azerbaijan", "href": "/id/state/azerbaijan"}
    assert first["score"] > 0
    assert body["every_word"] is True


def test_evidence_sentences_and_quotations_are_found_by_their_words(client) -> None:
    body = _json(client, "/search", q="highest leadership", format="json")
    assert [r["iri"] for r in body["results"]] == sorted([CLAIM_4, QUOTATION])
    claim = next(r for r in body["results"] if r["iri"] == CLAIM_4)
    assert claim["label"] == "Claim 4 of jamnews-2024-04-17-peacekeepers-withdrawal"
    assert claim["type"] == "Claim"
    assert "made by the highest leadership of the two countries" in claim["snippet"]
    quote = next(r for r in body["results"] if r["iri"] == QUOTATION)
    assert quote["label"] == ("“The decision to withdraw Russian peacekeepers from Azerbaijani "
                              "territory was made by the …")


def test_results_are_ranked_labels_before_passages(client) -> None:
    body = _json(client, "/search", q="Hajiyev", format="json")
    iris = [r["iri"] for r in body["results"]]
    assert iris[0] == HAJIYEV
    assert BASE + "id/speech-act/jamnews-2024-04-17-peacekeepers-withdrawal/4" in iris
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_words_are_stemmed_and_diacritics_folded(client) -> None:
    iris = [r["iri"] for r in _json(client, "/search", q="withdrawals", format="json")["results"]]
    assert BASE + "id/withdrawal/russian-peacekeepers-karabakh" in iris
    folded = _json(client, "/search", q="Hajíyev", format="json")["results"]
    assert folded[0]["iri"] == HAJIYEV


def test_accept_json_gives_json_and_html_is_the_default(client) -> None:
    r = client.get("/search?q=Putin", headers={"Accept": "application/json"})
    assert r.content_type == "application/json"
    assert [x["iri"] for x in r.get_json()["results"]] == [BASE + "id/person/vladimir-putin"]
    assert "Accept" in r.headers["Vary"]
    r = client.get("/search?q=Putin", headers={"Accept": "text/html,*/*;q=0.8"})
    assert r.content_type == "text/html; charset=utf-8"
    body = r.get_data(as_text=True)
    assert '<a class="result" href="/id/person/vladimir-putin">Vladimir Putin</a>' in body
    assert '<mark>Putin</mark>' in body
    assert "1 result." in body


def test_when_no_resource_holds_every_word_those_with_some_are_shown(client) -> None:
    body = _json(client, "/search", q="Putin Hajiyev", format="json")
    assert body["every_word"] is False
    iris = [r["iri"] for r in body["results"]]
    assert iris[:2] in ([HAJIYEV, BASE + "id/person/vladimir-putin"],
                        [BASE + "id/person/vladimir-putin", HAJIYEV])
    html = client.get("/search?q=Putin+Hajiyev").get_data(as_text=True)
    assert "Nothing holds every word of “Putin Hajiyev”; these hold some of them." in html


def test_the_limit_bounds_the_results(client) -> None:
    assert len(_json(client, "/search", q="Russian", format="json", limit="2")["results"]) == 2
    for bad in ("0", "101", "x", "-1"):
        r = client.get("/search", query_string={"q": "Russian", "limit": bad})
        assert r.status_code == 400
        assert "a whole number from 1 to 100" in r.get_data(as_text=True)


@pytest.mark.parametrize("q", ['"', "AND", "Putin OR", "NEAR(a b)", "Putin*", "label:Putin",
                               "{label}: x", "^Putin", "a - b", "'; DROP TABLE docs; --",
                               "\x00", "\ud7ff", "😀"])
def test_query_syntax_in_the_text_is_taken_as_words(client, q: str) -> None:
    r = client.get("/search", query_string={"q": q, "format": "json"})
    assert r.status_code == 200
    firsts = [x["iri"] for x in r.get_json()["results"]][:1]
    assert firsts == ([BASE + "id/person/vladimir-putin"] if "Putin" in q else [])
    assert client.get("/search/suggest", query_string={"q": q}).status_code == 200


def test_empty_text_is_an_empty_result_and_a_prompt(client) -> None:
    assert _json(client, "/search", q="", format="json")["results"] == []
    assert _json(client, "/search", q="  ,;  ", format="json")["results"] == []
    assert _json(client, "/search/suggest", q="")["suggestions"] == []
    assert "Search the labels and spelling variants" in client.get("/search").get_data(
        as_text=True)
    assert "No words to search for in “,;”" in client.get("/search?q=,;").get_data(as_text=True)


def test_overlong_text_and_bad_format_are_400_saying_why(client) -> None:
    r = client.get("/search", query_string={"q": "x" * 201})
    assert r.status_code == 400
    assert r.get_data(as_text=True) == ("Bad q: The search text is 201 characters long; the "
                                        "most is 200.\n")
    r = client.get("/search/suggest", query_string={"q": " ".join("ab" for _ in range(13))})
    assert r.status_code == 400
    assert "13 words; the most is 12" in r.get_data(as_text=True)
    r = client.get("/search", query_string={"q": "x", "format": "xml"})
    assert r.status_code == 400
    assert r.get_data(as_text=True) == "Bad format 'xml': html or json.\n"


def test_suggestions_complete_the_last_word_of_a_label(client) -> None:
    body = _json(client, "/search/suggest", q="hikm")
    assert body["suggestions"][0] == {"iri": HAJIYEV, "label": "Hikmet Hajiyev",
                                      "match": "Hikmet Hajiyev", "type": "person",
                                      "href": "/id/person/hikmet-hajiyev"}
    assert [s["type"] for s in body["suggestions"]] == ["person", "SpeechAct"]
    variant = _json(client, "/search/suggest", q="Jam N")["suggestions"]
    assert [(s["label"], s["match"]) for s in variant] == [("JAMnews", "Jam News")]
    assert _json(client, "/search/suggest", q="leadership")["suggestions"] == []  # not a label


def test_the_header_of_every_page_has_the_search_box(client) -> None:
    for url in ("/", "/id/person/hikmet-hajiyev", "/query", "/search?q=x"):
        body = client.get(url).get_data(as_text=True)
        assert '<form class="search" role="search" action="/search" method="get"' in body
        assert 'data-suggest="/search/suggest"' in body
        assert re.search(r'<script src="/static/search.js\?v=[0-9a-f]+" defer></script>', body)
    assert client.get("/static/search.js").status_code == 200


def test_without_an_index_search_is_503_saying_how_to_make_one(tmp_path: Path) -> None:
    shutil.copy(SITE, tmp_path / "site.trig")
    client = _app(tmp_path / "site.trig").test_client()
    r = client.get("/search?q=Putin")
    assert r.status_code == 503
    assert "`kg build` makes it" in r.get_data(as_text=True)
    assert client.get("/").status_code == 200


def test_a_broken_index_stops_the_server_from_starting(tmp_path: Path) -> None:
    shutil.copy(SITE, tmp_path / "site.trig")
    (tmp_path / INDEX_FILE).write_bytes(b"not a database")
    with pytest.raises(DataError, match="not a search index made by `kg build`"):
        _app(tmp_path / "site.trig")
    assert issubclass(SearchIndexError, DataError)


def test_the_index_is_read_only_and_copied_at_start(data: Path) -> None:
    index = SearchIndex(data.parent / INDEX_FILE)
    before = index.search(["Putin"], 5)
    with pytest.raises(sqlite3.OperationalError):
        sqlite3.connect((data.parent / INDEX_FILE).as_uri() + "?mode=ro", uri=True).execute(
            "DELETE FROM things")
    assert index.search(["Putin"], 5) == before


def test_the_build_writes_the_index_beside_kg_nq(built) -> None:
    _settings, _result, build_dir = built
    index = SearchIndex(build_dir / INDEX_FILE)
    hits, _ = index.search(["Stepanakert"], 5)
    assert hits[0].iri == BASE + "id/place/khankendi"
    assert hits[0].label == "Khankendi"
    assert [s.iri for s in index.suggest(["Nikol", "Pash"], 5)] == [
        BASE + "id/person/nikol-pashinyan"]


def test_match_expressions_quote_every_word() -> None:
    assert terms('Putin "OR" NEAR(x*') == ["Putin", "OR", "NEAR", "x"]
    assert match_expression(["a", "OR"]) == '"a" AND "OR"'
    assert match_expression(["a", "b"], any_word=True) == '"a" OR "b"'
    assert match_expression(["kha"], prefix_last=True, column="label") == '{label} : ("kha" *)'


def test_snippets_split_at_the_marks() -> None:
    assert split_snippet("a \x02b\x03 c \x02d\x03") == [("a ", False), ("b", True), (" c ", False),
                                                        ("d", True)]
    assert split_snippet("plain") == [("plain", False)]


@settings(max_examples=300, deadline=None)
@given(text=st.text(max_size=230))
def test_any_text_is_answered_never_a_server_error(client, text: str) -> None:
    for url in ("/search", "/search/suggest"):
        r = client.get(url, query_string={"q": text, "format": "json"})
        assert r.status_code in (200, 400), (text, r.get_data(as_text=True))
        if len(text) > 200:
            assert r.status_code == 400
