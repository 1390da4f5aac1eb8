"""The timeline through the Flask test client over the real build: /timeline/data (every dated
fact, vague dates as ranges, one row per fact, disagreements marked, filters' data), ?about=, and
the /timeline page with its library served from this host."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph import settings as settings_mod
from server import create_app
from server.dated import _next_day

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://w3id.org/karabakh-kg/"
TRILATERAL = BASE + "id/agreement/trilateral-statement-2020"


@pytest.fixture(scope="module")
def client(built_nq: Path):
    return create_app(settings_mod.load_checked(
        environ={}, DATA=str(built_nq), UNION_DEFAULT_GRAPH=True, WORKERS=0,
        QUERIES_DIR=str(ROOT / "queries")), TESTING=True).test_client()


@pytest.fixture(scope="module")
def data(client) -> dict:
    r = client.get("/timeline/data")
    assert r.status_code == 200 and r.content_type == "application/json"
    return r.get_json()


def claim(article: str, n: int) -> str:
    return f"{BASE}id/claim/{article}/{n}"


def test_disagreeing_dates_share_one_row_marked_as_a_conflict(data: dict) -> None:
    group = TRILATERAL + "|dateSignedWithin"
    row = next(g for g in data["groups"] if g["id"] == group)
    assert row["content"] == "Trilateral statement of November 2020 · signed"
    assert row["disagreement"] == "conflict"
    items = sorted((i["claim"], i["start"], i["end"], i["content"])
                   for i in data["items"] if i["group"] == group)
    assert items == [
        (claim("azemedia-2024-04-22-contingent-leaves-karabakh", 2), "2020-11-01", "2020-12-01",
         "2020-11"),
        (claim("jamnews-2024-04-17-peacekeepers-withdrawal", 10), "2020-11-10", None,
         "2020-11-10"),
        (claim("unattributed-2024-04-17-peacekeepers-start-withdrawal", 20), "2020-11-10", None,
         "2020-11-10"),
        (claim("unattributed-2024-04-18-tskhinvali-scenario", 12), "2020-11-09", None,
         "2020-11-09"),
    ]


def test_a_vague_date_is_a_range_over_every_day_it_may_fall_on(data: dict) -> None:
    item = next(i for i in data["items"]
                if i["claim"] == claim("unattributed-2024-04-17-peacekeepers-start-withdrawal", 17)
                and i["subject"].endswith("/russian-peacekeepers-karabakh-first-departures"))
    assert (item["start"], item["end"], item["open"], item["content"]) == (
        "2024-04-07", "2024-04-15", "", "a few days ago")  # end: the day after 14 April
    assert item["subject_href"] == ("/id/withdrawal/"
                                    "russian-peacekeepers-karabakh-first-departures")


def test_an_open_bound_stays_open(data: dict) -> None:
    opened = sorted((i["content"], i["open"]) for i in data["items"] if i["open"])
    assert opened == [("Not long ago", "start"), ("at least until November 2025", "end")]


def test_every_item_names_its_source_and_the_sources_have_colours(data: dict) -> None:
    # 64: Aze.Media claim 15 dates the withdrawal's start a second time (a range, 18 months
    # before November 2025), in the row of the withdrawal's start, which already exists
    assert len(data["items"]) == 64 and len(data["groups"]) == 44
    assert len({i["id"] for i in data["items"]}) == 64
    classes = {s["iri"]: s["class"] for s in data["sources"]}
    assert sorted(classes.values()) == ["src-0", "src-1", "src-2", "src-3", "src-4"]
    assert {i["source"] for i in data["items"]} == set(classes)
    assert all(i["claim_href"].startswith("/id/claim/") for i in data["items"])
    orders = [g["order"] for g in data["groups"]]
    assert orders == list(range(len(orders)))


def test_who_took_part_filters_the_timeline(data: dict, client) -> None:
    hajiyev = BASE + "id/person/hikmet-hajiyev"
    assert hajiyev in [p["iri"] for p in data["participants"]]
    mine = client.get("/timeline/data", query_string={"about": hajiyev}).get_json()
    assert len(mine["items"]) == 4
    assert {i["content"] for i in mine["items"]} == {"2024-04-17"}
    assert all(hajiyev in i["participants"] for i in mine["items"])
    assert {g["id"] for g in mine["groups"]} == {i["group"] for i in mine["items"]}
    none = client.get("/timeline/data", query_string={"about": "nothing"}).get_json()
    assert none["items"] == [] and none["groups"] == []
    assert client.get("/timeline/data", query_string={"about": "x" * 2001}).status_code == 400


def test_the_page_has_the_filters_and_the_library_from_this_host(client, data: dict) -> None:
    body = client.get("/timeline").get_data(as_text=True)
    for s in data["sources"]:
        assert f'<input type="checkbox" name="source" value="{s["iri"]}" checked>' in body
    assert '<option value="https://w3id.org/karabakh-kg/id/person/hikmet-hajiyev">' \
           'Hikmet Hajiyev</option>' in body
    assert '<script src="/static/vendor/vis-timeline/vis-timeline-graph2d.min.js"></script>' in body
    assert "https://" not in "".join(line for line in body.splitlines() if "<script src" in line)
    js = client.get("/static/vendor/vis-timeline/vis-timeline-graph2d.min.js")
    assert js.status_code == 200 and b"Timeline" in js.data
    js.close()
    assert client.get("/static/vendor/vis-timeline/package.json").status_code == 404
    assert client.get("/static/vendor/nothing/x.js").status_code == 404


def test_entity_pages_carry_their_own_timeline(client) -> None:
    body = client.get("/id/person/hikmet-hajiyev").get_data(as_text=True)
    assert ('data-src="/timeline/data?about=https://w3id.org/karabakh-kg/id/person/hikmet-hajiyev"'
            in body)
    assert '<section class="entity-timeline" hidden>' in body


def test_the_day_after() -> None:
    assert _next_day("2024-02-28") == "2024-02-29"
    assert _next_day("2024-12-31") == "2025-01-01"
