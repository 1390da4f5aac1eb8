"""Ontology publishing (server/publish.py): the ontology at its IRI and version IRI, the import
module, RDF/XML for Protégé, the SHACL shapes as a page and as Turtle; the pyLODE title."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markupsafe import escape
from rdflib import Graph, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import OWL, SH

from graph import settings as settings_mod
from graph.docs import write_ontology_docs
from server import create_app

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology"
BASE = "https://w3id.org/karabakh-kg/"
# What Protégé sends when it follows an owl:imports.
PROTEGE = ("application/rdf+xml, application/xml; q=0.7, text/xml; q=0.6, text/plain; q=0.1, "
           "*/*; q=0.09")


@pytest.fixture(scope="module")
def build_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("build")
    write_ontology_docs(ONTOLOGY, folder / "ontology.html")
    return folder


@pytest.fixture(scope="module")
def client(build_dir: Path):
    settings = settings_mod.load_checked(
        environ={}, DATA=str(ROOT / "tests" / "data" / "site.trig"), WORKERS=0,
        BUILD_DIR=str(build_dir), ONTOLOGY_DIR=str(ONTOLOGY), QUERIES_DIR=str(ROOT / "queries"))
    return create_app(settings, TESTING=True).test_client()


def version_path(file: str) -> str:
    """The path on this host of the version IRI the file declares."""
    graph = Graph().parse(ONTOLOGY / file)
    (version,) = set(graph.objects(None, OWL.versionIRI))
    assert str(version).startswith(BASE)
    return "/" + str(version)[len(BASE):]


def test_the_pylode_page_has_the_title_and_iri_of_the_ontology(build_dir: Path) -> None:
    page = (build_dir / "ontology.html").read_text(encoding="utf-8")
    assert re.findall(r"<title>(.*?)</title>", page) == ["Karabakh KG ontology"]
    assert "<h1>Karabakh KG ontology</h1>" in page
    assert f"<code>{BASE}ontology</code>" in page
    assert "#Channels</code>" not in page and "transport modes</h1>" not in page


def test_the_version_iri_resolves_to_the_ontology(client) -> None:
    path = version_path("kg.ttl")
    assert path == "/ontology/0.2.0"
    r = client.get(path, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.content_type == "text/turtle; charset=utf-8"
    assert r.data == (ONTOLOGY / "kg.ttl").read_bytes()
    page = client.get(path, headers={"Accept": "text/html"})
    assert page.content_type.startswith("text/html")
    assert "<title>Karabakh KG ontology</title>" in page.get_data(as_text=True)


@pytest.mark.parametrize("path", ["/ontology/imports", version_path("imports.ttl")])
def test_the_imports_iri_resolves_to_the_import_module(client, path: str) -> None:
    r = client.get(path, headers={"Accept": "text/turtle"})
    assert r.status_code == 200
    assert r.data == (ONTOLOGY / "imports.ttl").read_bytes()
    assert client.get(path + ".html").status_code == 404  # no page: RDF only


@pytest.mark.parametrize("path, file", [("/ontology", "kg.ttl"), ("/ontology/imports",
                                                                  "imports.ttl")])
def test_protege_gets_rdf_xml_of_the_same_graph(client, path: str, file: str) -> None:
    r = client.get(path, headers={"Accept": PROTEGE})
    assert r.status_code == 200
    assert r.content_type == "application/rdf+xml; charset=utf-8"
    assert r.headers["Vary"] == "Accept, Accept-Encoding"
    assert isomorphic(Graph().parse(data=r.data, format="xml"), Graph().parse(ONTOLOGY / file))
    assert client.get(path + ".rdfxml").data == r.data


def test_an_unknown_version_is_404_naming_the_published_ones(client) -> None:
    r = client.get("/ontology/0.1.0")
    assert r.status_code == 404
    assert r.get_data(as_text=True) == (
        "No ontology document /ontology/0.1.0: published here are /ontology, /ontology/0.2.0, "
        "/ontology/imports, /ontology/imports/0.2.0, /shapes.\n")


def test_shapes_as_turtle_are_the_file(client) -> None:
    r = client.get("/shapes.ttl")
    assert r.status_code == 200
    assert r.data == (ONTOLOGY / "shapes.ttl").read_bytes()
    assert client.get("/shapes", headers={"Accept": "text/turtle"}).data == r.data


def test_the_shapes_page_lists_every_shape_target_and_message(client) -> None:
    r = client.get("/shapes", headers={"Accept": "text/html"})
    assert r.status_code == 200
    page = r.get_data(as_text=True)
    assert "<h1>Karabakh KG shapes <small>0.2.0</small></h1>" in page
    shapes = Graph().parse(ONTOLOGY / "shapes.ttl")
    named = [s for kind in (SH.NodeShape, SH.PropertyShape)
             for s in shapes.subjects(None, kind) if isinstance(s, URIRef)]
    assert len(named) == 79  # kg:aim's and kg:extractionMethod's in; the https one is a check
    for shape in named:
        assert f'<tr id="{str(shape).rsplit("#", 1)[1]}">' in page
    for message in shapes.objects(None, SH.message):
        assert str(escape(str(message))) in page, message
    row = page[page.index('<tr id="DateValueShape">'):]
    row = row[:row.index('\n<tr id="', 1)]
    assert '<p class="checks">subjects of kg:date</p>' in row
    assert "<code>or ( [ datatype xsd:date ] [ datatype xsd:gYearMonth ] " \
           "[ datatype xsd:gYear ] )</code>" in row
