"""Review draft claims: accept, reject or rewrite each in an annotation file.

The file is edited as text, claim by claim, so that everything else in it (comments, layout, the
curated claims) stays as the curator wrote it; after each change the whole file must still load
as a seed, and it is written to a temporary file and renamed into place.
"""

from __future__ import annotations

import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from graph.errors import SeedError
from graph.seeds import Article, Claim, load_article

STATUS_LINE = re.compile(r"^\s+status:\s*draft\s*(#.*)?$")
SENTENCE_END = ".!?\n"


@dataclass(frozen=True)
class Block:
    """Where one claim stands in the file: lines [first, last), 0-based."""

    first: int
    last: int


def load(yaml_path: Path, schema_dir: Path) -> Article:
    """The article with all its claims, drafts included (SeedError(s) if the file is broken)."""
    return load_article(yaml_path, schema_dir)


def drafts(article: Article) -> list[Claim]:
    return [c for c in article.claims if c.draft]


def block(lines: list[str], article: Article, n: int) -> Block:
    """The lines of claim ``n``: from its ``- n:`` line to its last indented line (blank lines
    and comments before the next claim stay outside)."""
    starts = sorted(c.line - 1 for c in article.claims)
    first = next(c.line - 1 for c in article.claims if c.n == n)
    following = [s for s in starts if s > first]
    end = following[0] if following else len(lines)
    dash = len(lines[first]) - len(lines[first].lstrip())
    last = first + 1
    for i in range(first + 1, end):
        if lines[i].strip() and len(lines[i]) - len(lines[i].lstrip()) > dash:
            last = i + 1
    return Block(first, last)


def accept(text: str, article: Article, n: int) -> str:
    """``text`` with claim ``n``'s ``status: draft`` line removed: a curated claim."""
    lines = text.splitlines(keepends=True)
    where = block(lines, article, n)
    found = [i for i in range(where.first, where.last) if STATUS_LINE.match(lines[i])]
    if len(found) != 1:
        raise SeedError(article.yaml_path, where.first + 1,
                        f"claim {n}: no line 'status: draft' of its own; edit the file by hand")
    del lines[found[0]]
    return "".join(lines)


def reject(text: str, article: Article, n: int) -> str:
    """``text`` without claim ``n``."""
    lines = text.splitlines(keepends=True)
    where = block(lines, article, n)
    del lines[where.first : where.last]
    return "".join(lines)


def claim_text(text: str, article: Article, n: int) -> str:
    """Claim ``n`` as it is written in the file (what an editor is given)."""
    lines = text.splitlines(keepends=True)
    where = block(lines, article, n)
    return "".join(lines[where.first : where.last])


def replace_claim(text: str, article: Article, n: int, new: str) -> str:
    """``text`` with claim ``n`` written as ``new`` (as an editor returned it)."""
    lines = text.splitlines(keepends=True)
    where = block(lines, article, n)
    lines[where.first : where.last] = [new if new.endswith("\n") else new + "\n"]
    return "".join(lines)


def sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the sentence (or line) around ``start``-``end``: what a reviewer reads."""
    left = max(text.rfind(c, 0, start) for c in SENTENCE_END) + 1
    while left < start and text[left].isspace():
        left += 1
    # From the evidence's last character: a quote may end with its sentence's full stop.
    ends = [i for i in (text.find(c, max(start, end - 1)) for c in SENTENCE_END) if i != -1]
    right = min(ends) + 1 if ends else len(text)
    if right > 0 and text[right - 1] == "\n":
        right -= 1
    return left, max(right, end)


def write(yaml_path: Path, schema_dir: Path, text: str) -> Article:
    """Write ``text`` as the annotation if it loads as a seed (else SeedError(s), nothing
    written); return the article as loaded."""
    article = load_article(yaml_path, schema_dir, text)
    fd, name = tempfile.mkstemp(dir=yaml_path.parent, prefix=f".{yaml_path.stem}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(name, yaml_path)
    finally:
        Path(name).unlink(missing_ok=True)
    return article
