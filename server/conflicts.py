"""/conflicts: every conflict set (values that cannot both be true) and variance set (compatible
values hedged differently) the build derived, each with its values side by side, the sources and
their sentences highlighted."""

from __future__ import annotations

from flask import Blueprint, current_app, render_template

from server.resources import Describer

bp = Blueprint("conflicts", __name__)


@bp.get("/conflicts")
def conflicts() -> str:
    describer = Describer(current_app.extensions["kg"].store, current_app.config["KG"]["BASE_IRI"])
    found = describer.disagreements()
    return render_template("conflicts.html", sets=found,
                           conflicts=sum(d.kind == "conflict" for d in found),
                           variances=sum(d.kind == "variance" for d in found))
