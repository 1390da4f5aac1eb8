"""Browsing through the Flask test client: /id/ (kinds with counts), /id/{kind}/ (labelled,
paginated), the home page's tiles, and /conflicts (every conflict and variance set with its
sources), over tests/data/site.trig and the real build."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from graph import settings as settings_mod
from server import browse, create_app
from server.terms import natural

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "data" / "site.trig"
JAMNEWS = "jamnews-2024-04-17-peacekeepers-withdrawal"
TSKHINVALI = "unattributed-2024-04-18-tskhinvali-scenario"


def _client(data: Path):
    return create_app(settings_mod.load_checked(
        environ={}, DATA=str(data), UNION_DEFAULT_GRAPH=True, WORKERS=0,
        QUERIES_DIR=str(ROOT / "queries")), TESTING=True).test_client()


@pytest.fixture(scope="module")
def client():
    return _client(SITE)


def text(response) -> str:
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_data(as_text=True)


def test_id_lists_every_kind_with_its_count_and_classes(client) -> None:
    body = text(client.get("/id/"))
    rows = re.findall(r'<td><a href="/id/([^"]+)/">\1</a></td>\s*<td class="num">(\d+)</td>', body)
    assert rows == [("agreement", "1"), ("article", "4"), ("claim", "7"), ("conflict", "1"),
                    ("deployment", "1"), ("organization", "1"), ("person", "4"),
                    ("quotation", "1"), ("span", "21"), ("speech-act", "1"), ("state", "2"),
                    ("withdrawal", "1")]
    assert ('kg:Article</a> (2), <a href="/ontology#ArticleText" '
            'title="https://w3id.org/karabakh-kg/ontology#ArticleText">kg:ArticleText</a> (2)'
            ) in body


def test_a_kind_lists_its_resources_by_label(client) -> None:
    body = text(client.get("/id/person/"))
    labels = re.findall(r'<td><a href="/id/person/[^"]+">([^<]+)</a></td>', body)
    assert labels == ["Dmitry Peskov", "Hikmet Hajiyev", "Ilham Aliyev", "Vladimir Putin"]
    assert "<p>4 resources.</p>" in body
    assert '<a href="/ontology#Person" title="https://w3id.org/karabakh-kg/ontology#Person">' \
           'person</a>' in body


def test_claims_are_listed_in_numeric_order(client) -> None:
    body = text(client.get("/id/claim/"))
    hrefs = re.findall(r'<td><a href="/id/claim/([^"]+)">', body)
    assert hrefs == [f"{JAMNEWS}/1", f"{TSKHINVALI}/1", f"{TSKHINVALI}/2", f"{JAMNEWS}/3",
                     f"{JAMNEWS}/4", f"{JAMNEWS}/6", f"{JAMNEWS}/10"]


def test_a_long_kind_is_paginated(client, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(browse, "PAGE_SIZE", 8)
    first, last = text(client.get("/id/span/")), text(client.get("/id/span/?page=3"))
    assert "<p>21 resources; 1–8 shown.</p>" in first
    assert '<a rel="next" href="/id/span/?page=2">next ›</a>' in first
    assert "rel=\"prev\"" not in first
    assert "<p>21 resources; 17–21 shown.</p>" in last
    assert '<a rel="prev" href="/id/span/?page=2">‹ previous</a>' in last
    assert len(re.findall(r'<td><a href="/id/span/', last)) == 5


@pytest.mark.parametrize("page", ["0", "2", "x", "-1", "1" * 30])
def test_a_page_out_of_range_is_400(client, page: str) -> None:
    r = client.get("/id/person/", query_string={"page": page})
    assert r.status_code == 400
    assert r.get_data(as_text=True) == (f"Bad page {page[:20]!r}: /id/person/ has pages 1 to 1.\n")


def test_an_unknown_kind_is_404_naming_the_kinds(client) -> None:
    r = client.get("/id/nobody/")
    assert r.status_code == 404
    assert r.get_data(as_text=True).startswith(
        "No resources under /id/nobody/: the kinds are agreement, article, claim, conflict,")


def test_resources_still_dereference_beside_the_lists(client) -> None:
    assert client.get("/id/person/hikmet-hajiyev").status_code == 200
    assert client.get("/id/person/hikmet-hajiyev.ttl").mimetype == "text/turtle"


def test_the_home_page_tiles_link_to_the_lists(client) -> None:
    body = text(client.get("/"))
    assert '<a href="/id/claim/"><strong>7</strong> claims</a>' in body
    assert '<a href="/id/article/"><strong>2</strong> articles</a>' in body
    assert '<a href="/id/"><strong>10</strong> entities</a>' in body
    assert '<a href="/conflicts"><strong>1</strong> conflicts and variances</a>' in body


def test_conflicts_page_shows_each_set_with_values_and_sentences(client) -> None:
    body = text(client.get("/conflicts"))
    assert "1 conflict and 0\nvariances." in body
    section = body[body.index('<div class="disagreement conflict">'):]
    assert section.count('<div class="side">') == 2
    assert ('of <a href="/id/agreement/trilateral-statement-2020" '
            'title="https://w3id.org/karabakh-kg/id/agreement/trilateral-statement-2020">'
            'Trilateral statement of November 2020</a>') in section
    values = re.findall(r'<div class="value"><span class="literal">([^<]+)</span>', section)
    assert values == ["2020-11-10", "2020-11-09"]
    assert "<mark>According to the trilateral statement of November 10, 2020</mark>" in section
    assert "<mark>from the date of the agreement&#39;s signing (9 November 2020)</mark>" in section
    assert f'href="/id/claim/{JAMNEWS}/10"' in section
    assert f'href="/id/claim/{TSKHINVALI}/1"' in section


def test_the_conflicts_graph_sends_browsers_to_the_page_and_stays_rdf(client) -> None:
    r = client.get("/graph/conflicts", headers={"Accept": "text/html"})
    assert r.status_code == 303 and r.headers["Location"] == "/conflicts"
    assert client.get("/graph/conflicts.ttl").mimetype == "text/turtle"
    assert client.get("/graph/conflicts", headers={"Accept": "text/turtle"}).status_code == 200


def test_the_real_build_has_two_conflicts_and_eight_variances(built_nq: Path) -> None:
    body = text(_client(built_nq).get("/conflicts"))
    assert "2 conflicts and 8\nvariances." in body
    assert body.count('<div class="disagreement conflict">') == 2
    assert body.count('<div class="disagreement variance">') == 8
    assert "<mark>" in body and "(value not found)" not in body


def test_natural_order_compares_numbers_as_numbers() -> None:
    assert sorted(["c/10", "c/9", "c/1", "b/2"], key=natural) == ["b/2", "c/1", "c/9", "c/10"]
