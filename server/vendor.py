"""Front-end libraries installed by `npm ci` (package.json), served from this host: never a CDN.
Only the files listed here are served."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, Response, abort, send_from_directory

bp = Blueprint("vendor", __name__)
NODE_MODULES = Path(__file__).resolve().parent.parent / "node_modules"
# library -> (its folder under node_modules, the files a page may load)
LIBRARIES: dict[str, tuple[str, tuple[str, ...]]] = {
    "vis-timeline": ("vis-timeline/standalone/umd", ("vis-timeline-graph2d.min.js",)),
    "vis-timeline-css": ("vis-timeline/styles", ("vis-timeline-graph2d.min.css",)),
    "cytoscape": ("cytoscape/dist", ("cytoscape.min.js",)),
    # the offline map: country outlines (Natural Earth 1:50m as TopoJSON) and their projection
    "world-atlas": ("world-atlas", ("countries-50m.json",)),
    "topojson-client": ("topojson-client/dist", ("topojson-client.min.js",)),
    "d3-array": ("d3-array/dist", ("d3-array.min.js",)),
    "d3-geo": ("d3-geo/dist", ("d3-geo.min.js",)),
}


def installed(library: str) -> bool:
    folder, files = LIBRARIES[library]
    return all((NODE_MODULES / folder / f).is_file() for f in files)


@bp.get("/static/vendor/<library>/<filename>")
def asset(library: str, filename: str) -> Response:
    entry = LIBRARIES.get(library)
    if entry is None or filename not in entry[1]:
        abort(404)
    return send_from_directory(NODE_MODULES / entry[0], filename, max_age=3600)
