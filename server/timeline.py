"""/timeline: every dated event and statement on a zoomable timeline (vis-timeline, served from
this host), coloured by source, vague dates as ranges, one row per dated fact so that sources
that disagree sit side by side; /timeline/data is its JSON (``?about=IRI``: one resource's)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, jsonify, render_template, request

from server.dated import about, timeline
from server.errors import HttpError
from server.terms import Namer
from server.vendor import installed

bp = Blueprint("timeline", __name__)
MAX_IRI = 2000


def _data() -> dict:
    store, base = current_app.extensions["kg"].store, current_app.config["KG"]["BASE_IRI"]
    return timeline(store, Namer(store, base))


@bp.get("/timeline")
def page() -> str:
    data = _data()
    return render_template("timeline.html", data=data, ready=installed("vis-timeline"))


@bp.get("/timeline/data")
def data() -> Response:
    data = _data()
    iri = request.args.get("about")
    if iri is not None:
        if len(iri) > MAX_IRI:
            raise HttpError(f"Bad about: an IRI of at most {MAX_IRI} characters.", 400)
        data = about(data, iri)
    return jsonify(data)
