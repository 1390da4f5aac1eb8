"""The linked-data site through the Flask test client: home, /id/... pages in HTML and RDF, the
ontology, the dump and the query UI, over the hand-made fixture tests/data/site.trig."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, SKOS

from graph import settings as settings_mod
from graph.docs import write_ontology_docs
from server import create_app
from server.evidence import in_context
from server.ui import load_examples, yasgui_dir

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "data" / "site.trig"
BASE = "https://w3id.org/karabakh-kg/"
KG = BASE + "ontology#"
HAJIYEV = URIRef(BASE + "id/person/hikmet-hajiyev")
JAMNEWS = "jamnews-2024-04-17-peacekeepers-withdrawal"
QUOTE = ("“The decision to withdraw Russian peacekeepers from Azerbaijani territory was made by "
         "the highest leadership of the two countries,”")
JAMNEWS_TITLE = "Russian peacekeepers begin withdrawal from Karabakh"
FORMATS = {"html": "text/html", "ttl": "text/turtle", "jsonld": "application/ld+json",
           "nt": "application/n-triples"}


def make_app(build_dir: Path, **config: object):
    settings = {"DATA": str(SITE), "UNION_DEFAULT_GRAPH": True, "BUILD_DIR": str(build_dir),
                "WORKERS": 0, "ONTOLOGY_DIR": str(ROOT / "ontology"),
                "QUERIES_DIR": str(ROOT / "queries")}
    settings.update(config)
    return create_app(settings_mod.load_checked(environ={}, **settings), TESTING=True)


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A build folder holding only the ontology docs, as `kg build` writes them."""
    folder = tmp_path_factory.mktemp("build")
    write_ontology_docs(ROOT / "ontology", folder / "ontology.html")
    return folder


@pytest.fixture(scope="module")
def client(build_dir: Path):
    return make_app(build_dir).test_client()


def text(response) -> str:
    return response.get_data(as_text=True)


# -- home ---------------------------------------------------------------------------------------

def test_home_introduces_the_dataset_with_counts_and_articles(client) -> None:
    r = client.get("/")
    assert r.status_code == 200
    assert r.content_type == "text/html; charset=utf-8"
    body = text(r)
    assert re.search(r"<strong>7</strong> claims", body)
    assert re.search(r"<strong>2</strong> articles", body)
    assert re.search(r"<strong>10</strong> entities", body)
    assert f'href="/id/article/{JAMNEWS}">{JAMNEWS_TITLE}' in body
    assert 'href="/id/organization/jamnews">JAMnews</a>' in body
    assert "2024-04-17" in body
    for link in ('href="/query"', 'href="/ontology"', 'href="/dump.nq"', 'href="/dump.trig"',
                 'href="/sparql"'):
        assert link in body


# -- resource pages -----------------------------------------------------------------------------

def test_resource_is_html_for_a_browser_with_link_and_vary(client) -> None:
    r = client.get("/id/person/hikmet-hajiyev",
                   headers={"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"})
    assert r.status_code == 200
    assert r.content_type == "text/html; charset=utf-8"
    assert "<h1>Hikmet Hajiyev</h1>" in text(r)
    assert r.headers["Vary"] == "Accept, Accept-Encoding"
    for suffix, media_type in FORMATS.items():
        link = f'</id/person/hikmet-hajiyev.{suffix}>; rel="alternate"; type="{media_type}"'
        assert link in r.headers["Link"]


def test_resource_without_accept_is_html(client) -> None:
    r = client.get("/id/person/hikmet-hajiyev")
    assert r.status_code == 200
    assert r.content_type == "text/html; charset=utf-8"


def test_fact_shows_its_claim_with_the_quote_highlighted_in_context(client) -> None:
    body = text(client.get("/id/withdrawal/russian-peacekeepers-karabakh"))
    assert f"<mark>{QUOTE}</mark>" in body
    # context before and after the quoted words, from the article text
    assert "Astana offers itself for Yerevan-Baku talks. What’s the reason?\n</span><mark>" in body
    assert "</mark><span class=\"context\"> said Hikmet Hajiyev, assistant to the president" in body
    # the article, its publisher and the attribution
    assert f'href="/id/article/{JAMNEWS}">{JAMNEWS_TITLE}</a>' in body
    assert '<span class="mode">Direct quote</span>' in body
    assert re.search(r'according to <a href="/id/person/hikmet-hajiyev"[^>]*>Hikmet Hajiyev</a>',
                     body)
    assert f'href="/id/claim/{JAMNEWS}/4">Claim 4 of {JAMNEWS}</a>' in body
    assert '<span class="mode">Reported speech</span>' in body


def test_facts_from_system_graphs_name_the_graph(client) -> None:
    body = text(client.get("/id/withdrawal/russian-peacekeepers-karabakh"))
    assert '<span class="graph graph-inferred">inferred</span>' in body
    assert '<span class="graph graph-entities">entities</span>' in body


def test_links_go_both_ways_to_local_pages(client) -> None:
    body = text(client.get("/id/person/hikmet-hajiyev"))
    # outgoing: type and Wikipedia page
    assert 'href="https://en.wikipedia.org/wiki/Hikmet_Hajiyev"' in body
    # incoming: the speech act he is the speaker of, the claim made according to him
    assert f'href="/id/speech-act/{JAMNEWS}/4"' in body
    assert f'href="/id/claim/{JAMNEWS}/4"' in body
    assert 'href="/ontology#speaker"' in body


def test_conflicting_values_are_shown_side_by_side(client) -> None:
    body = text(client.get("/id/agreement/trilateral-statement-2020"))
    assert '<div class="disagreement conflict">' in body
    section = body[body.index('<div class="disagreement conflict">'):body.index("<h2>Facts</h2>")]
    assert section.count('<div class="side">') == 2
    assert "2020-11-10" in section and "2020-11-09" in section
    assert "<mark>According to the trilateral statement of November 10, 2020</mark>" in section
    assert "<mark>from the date of the agreement&#39;s signing (9 November 2020)</mark>" in section


def test_claim_page_shows_what_it_states_and_its_evidence(client) -> None:
    body = text(client.get(f"/id/claim/{JAMNEWS}/6"))
    assert "<h2>What this claim states</h2>" in body
    quote = "This information was confirmed by Kremlin spokesperson Dmitry Peskov."
    assert f"<mark>{quote}</mark>" in body
    assert 'href="/id/state/azerbaijan"' in body


def test_article_text_page_shows_the_text(client) -> None:
    body = text(client.get(f"/id/article/{JAMNEWS}/text"))
    assert '<div class="article-text">Russian peacekeepers begin withdrawal from Karabakh' in body


@pytest.mark.parametrize("how", ["accept", "suffix"])
def test_turtle_by_accept_or_suffix_parses_and_holds_the_facts(client, how: str) -> None:
    if how == "accept":
        r = client.get("/id/person/hikmet-hajiyev", headers={"Accept": "text/turtle"})
        assert r.headers["Vary"] == "Accept, Accept-Encoding"
    else:
        r = client.get("/id/person/hikmet-hajiyev.ttl")
        assert r.headers["Vary"] == "Accept-Encoding"  # the format is in the URL
    assert r.status_code == 200
    assert r.content_type == "text/turtle; charset=utf-8"
    assert '</id/person/hikmet-hajiyev.ttl>; rel="alternate"' in r.headers["Link"]
    g = Graph().parse(data=text(r), format="turtle")
    assert (HAJIYEV, SKOS.prefLabel, Literal("Hikmet Hajiyev", lang="en")) in g
    assert (HAJIYEV, RDF.type, URIRef(KG + "Person")) in g


@pytest.mark.parametrize(("suffix", "accept", "rdflib_format"), [
    ("jsonld", "application/ld+json", "json-ld"),
    ("nt", "application/n-triples", "nt"),
])
def test_json_ld_and_n_triples(client, suffix: str, accept: str, rdflib_format: str) -> None:
    for r in (client.get(f"/id/person/hikmet-hajiyev.{suffix}"),
              client.get("/id/person/hikmet-hajiyev", headers={"Accept": accept})):
        assert r.status_code == 200
        assert r.content_type == f"{accept}; charset=utf-8"
        g = Dataset().parse(data=text(r), format=rdflib_format)  # JSON-LD keeps the graphs
        assert any(g.quads((HAJIYEV, SKOS.prefLabel, Literal("Hikmet Hajiyev", lang="en"),
                            None)))


def test_rdf_description_includes_labels_of_linked_resources(client) -> None:
    r = client.get("/id/withdrawal/russian-peacekeepers-karabakh.ttl")
    g = Graph().parse(data=text(r), format="turtle")
    putin = URIRef(BASE + "id/person/vladimir-putin")
    assert (URIRef(BASE + "id/withdrawal/russian-peacekeepers-karabakh"), URIRef(KG + "decidedBy"),
            putin) in g
    assert (putin, SKOS.prefLabel, Literal("Vladimir Putin", lang="en")) in g


def test_unknown_id_is_404_with_matching_labels_and_the_query_ui(client) -> None:
    r = client.get("/id/person/hikmet-hajiev")
    assert r.status_code == 404
    assert r.content_type == "text/html; charset=utf-8"
    body = text(r)
    assert '<a href="/id/person/hikmet-hajiyev">Hikmet Hajiyev</a>' in body
    assert 'href="/query"' in body


def test_unknown_id_asked_as_turtle_is_a_plain_404(client) -> None:
    r = client.get("/id/person/nobody-at-all", headers={"Accept": "text/turtle"})
    assert r.status_code == 404
    assert r.content_type == "text/plain; charset=utf-8"
    assert "/query" in text(r)


def test_unacceptable_format_is_406_listing_the_formats(client) -> None:
    r = client.get("/id/person/hikmet-hajiyev", headers={"Accept": "image/png"})
    assert r.status_code == 406
    assert "text/turtle" in text(r)
    assert 'rel="alternate"' in r.headers["Link"]


# -- ontology -----------------------------------------------------------------------------------

def test_ontology_is_pylode_html_from_the_build(client) -> None:
    r = client.get("/ontology", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.content_type.startswith("text/html")
    assert r.headers["Vary"] == "Accept, Accept-Encoding"
    body = text(r)
    assert "pyLODE" in body
    assert 'id="decidedBy"' in body
    assert '</ontology.ttl>; rel="alternate"; type="text/turtle"' in r.headers["Link"]


@pytest.mark.parametrize("how", ["accept", "suffix"])
def test_ontology_as_turtle(client, how: str) -> None:
    r = (client.get("/ontology", headers={"Accept": "text/turtle"}) if how == "accept"
         else client.get("/ontology.ttl"))
    assert r.status_code == 200
    assert r.content_type == "text/turtle; charset=utf-8"
    g = Graph().parse(data=text(r), format="turtle")
    assert (URIRef(BASE + "ontology"), RDF.type, OWL.Ontology) in g


def test_ontology_html_not_built_yet_is_404_pointing_at_turtle(tmp_path: Path) -> None:
    r = make_app(tmp_path).test_client().get("/ontology")
    assert r.status_code == 404
    assert 'href="/ontology.ttl"' in text(r)


# -- dump ---------------------------------------------------------------------------------------

@pytest.mark.parametrize(("url", "accept", "media_type", "syntax"), [
    ("/dump.nq", None, "application/n-quads", "nquads"),
    ("/dump.trig", None, "application/trig", "trig"),
    ("/dump", None, "application/n-quads", "nquads"),
    ("/dump", "application/trig", "application/trig", "trig"),
])
def test_dump_downloads_the_whole_dataset(client, url: str, accept: str | None, media_type: str,
                                          syntax: str) -> None:
    r = client.get(url, headers={"Accept": accept} if accept else {})
    assert r.status_code == 200
    assert r.content_type == f"{media_type}; charset=utf-8"
    suffix = "trig" if syntax == "trig" else "nq"
    assert r.headers["Content-Disposition"] == f'attachment; filename="karabakh-kg.{suffix}"'
    expected = set(ox.parse(path=str(SITE), format=ox.RdfFormat.TRIG))
    fmt = ox.RdfFormat.TRIG if syntax == "trig" else ox.RdfFormat.N_QUADS
    got = set(ox.parse(r.get_data(), format=fmt))
    assert got == expected
    assert len(got) == 221


def test_dump_of_an_n_quads_build_is_the_file_itself(tmp_path: Path, build_dir: Path) -> None:
    nq = tmp_path / "kg.nq"
    nq.write_text(f"<{BASE}id/a> <{BASE}ontology#p> \"x\" <{BASE}graph/entities> .\n")
    r = make_app(build_dir, DATA=str(nq)).test_client().get("/dump.nq")
    assert r.status_code == 200
    assert r.get_data() == nq.read_bytes()


# -- query UI -----------------------------------------------------------------------------------

def test_query_page_has_every_example_as_a_tab_and_no_external_assets(client) -> None:
    r = client.get("/query")
    assert r.status_code == 200
    body = text(r)
    found = re.search(r'<script id="kg-query-config" type="application/json">(.*?)</script>',
                      body, re.S)
    config = json.loads(found.group(1))
    assert config["endpoint"] == "/sparql"
    titles = [e["name"] for e in config["examples"]]
    files = sorted((ROOT / "queries" / "examples").glob("*.rq"))
    assert len(titles) == len(files) >= 2
    for path, title in zip(files, titles, strict=True):
        header = next(line for line in path.read_text().splitlines() if line.startswith("# title:"))
        assert title == header.removeprefix("# title:").strip()
    sources = re.findall(r'(?:src|href)="([^"]+)"', body)
    assert not [s for s in sources if s.startswith(("http:", "https:", "//"))
                and "/sparql" not in s]


def test_yasgui_is_served_from_our_host(client) -> None:
    with client.application.app_context():
        installed = yasgui_dir() is not None
    if not installed:
        pytest.skip("YASGUI is not installed: run `npm ci` (node_modules/@zazuko/yasgui)")
    body = text(client.get("/query"))
    version = client.application.config["KG_VERSION"][:16]
    assert f'<script src="/static/vendor/yasgui/yasgui.min.js?v={version}"></script>' in body
    for name, media_type in (("yasgui.min.js", "text/javascript"), ("yasgui.min.css", "text/css")):
        r = client.get(f"/static/vendor/yasgui/{name}")
        assert r.status_code == 200
        assert r.content_type.startswith(media_type)
    assert client.get("/static/vendor/yasgui/../package.json").status_code == 404


def test_load_examples_reads_title_and_question(tmp_path: Path) -> None:
    (tmp_path / "02-b.rq").write_text("# title: Second\nSELECT * WHERE { ?s ?p ?o }\n")
    (tmp_path / "01-a.rq").write_text("# title:  First one \n# question: Why?\nASK {}\n")
    examples = load_examples(tmp_path)
    assert [(e.name, e.title, e.question) for e in examples] == [
        ("01-a", "First one", "Why?"), ("02-b", "Second", "")]


def test_context_is_cut_at_word_boundaries() -> None:
    text_ = "alpha beta gamma delta QUOTE epsilon zeta eta theta"
    start = text_.index("QUOTE")
    assert in_context(text_, start, start + 5, width=12) == (
        "gamma delta ", "QUOTE", " epsilon", True, True)
    assert in_context("QUOTE", 0, 5) == ("", "QUOTE", "", False, False)


def test_every_claim_of_the_real_build_shows_its_evidence(built_nq: Path, build_dir: Path) -> None:
    """Over the real build: each claim page resolves and highlights its quoted words."""
    store = ox.Store()
    store.bulk_load(path=str(built_nq), format=ox.RdfFormat.N_QUADS)
    claims = [r["c"].value for r in store.query(
        f"SELECT DISTINCT ?c WHERE {{ GRAPH ?g {{ ?c a <{KG}Claim> }} }} ORDER BY ?c")]
    assert claims
    client = make_app(build_dir, DATA=str(built_nq)).test_client()
    for claim in claims:
        r = client.get("/" + claim.removeprefix(BASE))
        assert r.status_code == 200, claim
        assert "<mark>" in text(r), claim


def test_a_figure_is_summarized_in_words() -> None:
    from server.resources import summarize
    from server.terms import Term

    def iri(v: str) -> Term:
        return Term(v, "iri", v)

    details = [(iri("http://schema.org/minValue"), Term("1960", "literal", "1960")),
               (iri(KG + "approximation"), Term(KG + "MoreThan", "iri", "more than")),
               (iri("http://schema.org/unitText"), Term("troops", "literal", "troops"))]
    assert summarize(details) == "more than 1960 troops"
    assert summarize(details[2:]) == ""


def test_system_graph_iris_dereference_as_html_and_rdf(client) -> None:
    page = client.get("/graph/entities", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.mimetype == "text/html"
    assert "https://w3id.org/karabakh-kg/graph/entities" in page.get_data(as_text=True)
    assert "Vary" in page.headers and 'rel="alternate"' in page.headers["Link"]
    turtle = client.get("/graph/entities.ttl")
    assert turtle.status_code == 200 and turtle.mimetype == "text/turtle"
    graph = Graph().parse(data=turtle.get_data(as_text=True), format="turtle")
    assert (URIRef(BASE + "id/person/hikmet-hajiyev"), SKOS.prefLabel,
            Literal("Hikmet Hajiyev", lang="en")) in graph
    assert client.get("/graph/nonsense").status_code == 404


def test_unknown_graph_and_unknown_suffix_are_404_saying_what_exists(client) -> None:
    r = client.get("/graph/nope")
    assert r.status_code == 404
    assert r.get_data(as_text=True) == (
        "No graph /graph/nope: the system graphs are conflicts, entities, inferred, ontology, "
        "provenance, wikidata.\n")
    r = client.get("/dump.xyz")
    assert r.status_code == 404
    assert r.get_data(as_text=True) == "No format .xyz here: this is available as .nq, .trig.\n"


def test_a_figure_or_a_date_range_is_summarized_in_the_sources_words() -> None:
    from server.resources import summarize
    from server.terms import Term

    def iri(v: str) -> Term:
        return Term(v, "iri", v)

    figure = [(iri("http://schema.org/maxValue"), Term("1999", "literal", "1999")),
              (iri(KG + "phrase"), Term("Nearly 2,000", "literal", "Nearly 2,000"))]
    assert summarize(figure) == "Nearly 2,000"
    days = [(iri(KG + "earliest"), Term("2025-11-01", "literal", "2025-11-01"))]
    assert summarize(days) == "2025-11-01 – …"


def test_resource_and_graph_pages_link_their_rdf_formats(client) -> None:
    """Regression: the format links lost their suffix (empty badges) when the format tables
    became one."""
    html = client.get("/id/state/russia", headers={"Accept": "text/html"}).get_data(as_text=True)
    for key in ("ttl", "jsonld", "nt"):
        assert f'<a class="format" href="/id/state/russia.{key}">{key}</a>' in html
        assert '<link rel="alternate" type=' in html and f'href="/id/state/russia.{key}">' in html
    html = client.get("/graph/entities", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert '<a class="fmt" href="/graph/entities.ttl">ttl</a>' in html


def test_query_page_tells_the_editor_the_prefixes_terms_and_base(client) -> None:
    body = text(client.get("/query"))
    found = re.search(r'<script id="kg-query-config" type="application/json">(.*?)</script>',
                      body, re.S)
    config = json.loads(found.group(1))
    assert config["predeclared"]["kg"] == KG  # as the endpoint predeclares it
    assert config["predeclared"]["wd"] == "http://www.wikidata.org/entity/"
    assert config["prefixes"]["person"] == BASE + "id/person/"
    assert config["terms"] == {"classes": [], "properties": ["kg:decidedBy"]}  # site.trig's
    assert (config["base"], config["site"]) == (BASE, "/")
    for script in ("yasr_plugins.js", "query.js"):  # linked by version: cached as immutable
        assert re.search(rf'<script src="/static/{re.escape(script)}\?v=[0-9a-f]+"></script>',
                         body), script
