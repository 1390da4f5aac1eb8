"""The baseline the benchmark compares with: a bare Flask + pyoxigraph SPARQL endpoint on waitress.

    python bench/bare.py DATA.nq PORT

No limits, no workers, no SERVICE policy: what the safety layers cost is measured against this.
Not for use anywhere but 127.0.0.1 in a benchmark.
"""

from __future__ import annotations

import sys

import pyoxigraph as ox
import waitress
from flask import Flask, Response, request

RESULTS = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}


def create_app(path: str) -> Flask:
    store = ox.Store()
    store.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)
    app = Flask(__name__)

    @app.route("/sparql", methods=["GET", "POST"])
    def sparql() -> Response:
        text = request.values.get("query", "")
        found = store.query(text, use_default_graph_as_union=True)
        if isinstance(found, ox.QueryTriples):
            return Response(found.serialize(format=ox.RdfFormat.N_TRIPLES),
                            mimetype="application/n-triples")
        accept = request.headers.get("Accept", "")
        mime = next((m for m in RESULTS if m in accept), "application/sparql-results+json")
        return Response(found.serialize(format=RESULTS[mime]), mimetype=mime)

    return app


if __name__ == "__main__":
    waitress.serve(create_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), threads=8)
