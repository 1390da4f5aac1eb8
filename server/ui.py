"""The query UI at /query: YASGUI, served from our own host, with every example query as a tab."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_from_directory,
)

from graph.namespaces import ENDPOINT_PREFIXES, VOCABULARY, prefix_map
from graph.query import solutions
from server.terms import Namer

bp = Blueprint("ui", __name__)

REPO = Path(__file__).resolve().parent.parent
# Where the YASGUI build may be: copied into our static folder, or in node_modules after `npm ci`.
YASGUI_DIRS = (
    Path(__file__).resolve().parent / "static" / "vendor" / "yasgui",
    REPO / "node_modules" / "@zazuko" / "yasgui" / "build",
)
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css", "yasgui.min.js.map")
HEADER = re.compile(r"^#\s*(title|question)\s*:\s*(.+?)\s*$")
# The ontology's classes and properties, for the editor's completion (the ontology graph only).
TERMS = """
SELECT DISTINCT ?graph ?term ?kind WHERE {
  GRAPH ?graph { ?term a ?type }
  VALUES (?type ?kind) { (owl:Class "class") (rdfs:Class "class") (owl:ObjectProperty "property")
    (owl:DatatypeProperty "property") (owl:AnnotationProperty "property")
    (rdf:Property "property") }
  FILTER(isIRI(?term))
}"""


@dataclass(frozen=True)
class Example:
    name: str  # the file name without .rq
    title: str
    question: str
    query: str


def load_examples(folder: Path) -> list[Example]:
    """Every ``*.rq`` in ``folder``, by file name; the title and question come from the header
    comments ``# title: ...`` and ``# question: ...``."""
    examples = []
    for path in sorted(Path(folder).glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        fields: dict[str, str] = {}
        for line in text.splitlines():
            if not line.startswith("#"):
                break
            m = HEADER.match(line)
            if m:
                fields.setdefault(m.group(1), m.group(2))
        examples.append(Example(path.stem, fields.get("title", path.stem),
                                fields.get("question", ""), text))
    return examples


def yasgui_dir() -> Path | None:
    configured = current_app.config.get("YASGUI_DIR")
    dirs = (Path(configured),) if configured else YASGUI_DIRS
    return next((d for d in dirs if (d / "yasgui.min.js").is_file()), None)


def vocabulary_terms(store: ox.Store, base: str) -> dict[str, list[str]]:
    """The ontology's classes and properties as prefixed names (those with a project prefix)."""
    names = Namer(store, base)
    graph = ox.NamedNode(base + "graph/ontology")
    found: dict[str, set[str]] = {"class": set(), "property": set()}
    for r in solutions(store, TERMS, prefixes=VOCABULARY,
                       substitutions={ox.Variable("graph"): graph}):
        curie = names.curie(r["term"].value)
        if curie != r["term"].value:
            found[r["kind"].value].add(curie)
    return {"classes": sorted(found["class"]), "properties": sorted(found["property"])}


@bp.get("/query")
def query() -> str:
    settings = current_app.config["KG"]
    folder = Path(settings["QUERIES_DIR"]) / "examples"
    examples = load_examples(folder) if folder.is_dir() else []
    base = settings["BASE_IRI"]
    return render_template(
        "query.html",
        examples=examples,
        ui_config={
            "endpoint": request.script_root + "/sparql",
            "examples": [{"name": e.title, "query": e.query} for e in examples],
            # The editor knows what the endpoint predeclares, and offers the project's prefixes.
            "predeclared": ENDPOINT_PREFIXES,
            "prefixes": prefix_map(base),
            "terms": vocabulary_terms(current_app.extensions["kg"].store, base),
            # Result IRIs under the base open this host's pages.
            "base": base,
            "site": request.script_root + "/",
        },
        yasgui_ready=yasgui_dir() is not None,
    )


@bp.get("/static/vendor/yasgui/<path:filename>")
def yasgui_asset(filename: str) -> Response:
    folder = yasgui_dir()
    if folder is None or filename not in YASGUI_FILES:
        abort(404)
    return send_from_directory(folder, filename, max_age=3600)
