"""Add a new article to the seeds: its text byte for byte, and an annotation file to fill in."""

from __future__ import annotations

import shutil
from pathlib import Path

from graph.errors import SeedError
from graph.iris import MintError, check_slug

TEMPLATE = """\
# Annotation of {source} (see seeds/README.md for the format).
article:
  id: {id}
  source_file: {source}
  title: null
  publisher: null
  author: null
  published: null
  genre: news
  url: null
  language: en
  boilerplate: []

# Add one claim per sentence you take facts from; `kg locate {id} "words"` gives offsets.
claims: []
"""


def ingest(source: Path, article_id: str, seeds_dir: Path) -> tuple[Path, Path]:
    """Copy ``source`` to seeds/articles/<id>.txt and write <id>.yaml; refuse to overwrite."""
    try:
        check_slug(article_id)
    except MintError as err:
        raise SeedError(source, None, f"bad article id: {err}") from None
    if not source.is_file():
        raise SeedError(source, None, "file not found")
    raw = source.read_bytes()
    if not raw:
        raise SeedError(source, None, "the file is empty (0 bytes): there is no article to ingest")
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SeedError(source, None, f"not UTF-8 text ({err}); convert it first") from None
    articles = seeds_dir / "articles"
    txt, yml = articles / f"{article_id}.txt", articles / f"{article_id}.yaml"
    for path in (txt, yml):
        if path.exists():
            raise SeedError(path, None, "already exists; choose another article id")
    articles.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(source, txt)
    yml.write_text(TEMPLATE.format(id=article_id, source=source.name), encoding="utf-8")
    return txt, yml
