"""The query UI at /query: YASGUI, served from our own host, with every example query as a tab."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    render_template,
    request,
    send_from_directory,
)

bp = Blueprint("ui", __name__)

REPO = Path(__file__).resolve().parent.parent
# Where the YASGUI build may be: copied into our static folder, or in node_modules after `npm ci`.
YASGUI_DIRS = (
    Path(__file__).resolve().parent / "static" / "vendor" / "yasgui",
    REPO / "node_modules" / "@zazuko" / "yasgui" / "build",
)
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css", "yasgui.min.js.map")
HEADER = re.compile(r"^#\s*(title|question)\s*:\s*(.+?)\s*$")


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


@bp.get("/query")
def query() -> str:
    folder = Path(current_app.config["KG"]["QUERIES_DIR"]) / "examples"
    examples = load_examples(folder) if folder.is_dir() else []
    return render_template(
        "query.html",
        examples=examples,
        ui_config={
            "endpoint": request.script_root + "/sparql",
            "examples": [{"name": e.title, "query": e.query} for e in examples],
        },
        yasgui_ready=yasgui_dir() is not None,
    )


@bp.get("/static/vendor/yasgui/<path:filename>")
def yasgui_asset(filename: str) -> Response:
    folder = yasgui_dir()
    if folder is None or filename not in YASGUI_FILES:
        abort(404)
    return send_from_directory(folder, filename, max_age=3600)
