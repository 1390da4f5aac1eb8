"""Draft claims for a newly ingested article: the one place `kg ingest` asks for them.

The extractor (`kg extract`, issue 10 section 1) is not here yet. When it lands, this function
returns its draft claims (``extract(text, published=..., language=...)["claims"]``: claims in the
seeds YAML shape, each with ``status: draft``) and `kg ingest` writes them into the annotation
unchanged. Until then there are none: the annotation starts with ``claims: []`` and the curator
writes the claims, or `kg review` later turns drafts into curated claims.
"""

from __future__ import annotations

from typing import Any


def draft_claims(text: str, *, published: str | None, language: str | None) -> list[dict[str, Any]]:
    """The draft claims for ``text`` (an article's exact text), each with ``status: draft``."""
    del text, published, language  # read by the extractor once it exists
    return []
