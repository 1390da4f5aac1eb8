"""Draft claims for a newly ingested article: the one place `kg ingest` asks for them.

They come from the extraction assistant (``extract``): claims in the seeds YAML shape, each with
``status: draft``, which `kg ingest` writes into the annotation unchanged and `kg review` turns
into curated claims (or drops). The build leaves drafts out unless asked (`--include-drafts`).
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from extract import extract
from extract.lexicon import Lexicon, load_lexicon


@lru_cache(maxsize=4)
def _lexicon(seeds_dir: Path) -> Lexicon:
    """The registry's names, read once per seeds folder (`kg ingest DIR` drafts many articles)."""
    return load_lexicon(seeds_dir)


def draft_claims(text: str, *, published: str | None, language: str | None,
                 seeds_dir: Path) -> list[dict[str, Any]]:
    """The draft claims for ``text`` (an article's exact text), each with ``status: draft``."""
    found = extract(text, published=published, language=language, registry=_lexicon(seeds_dir))
    return list(found["claims"])
