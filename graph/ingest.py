"""Add new articles to the seeds: the text exactly as received and an annotation to fill in.

An HTML page is stored as the article text trafilatura extracts from it (``<id>.txt``, what every
offset points into) with the page itself beside it (``<id>.html``). Every check runs before
anything is written, and an article's files appear together or not at all: they are written to
temporary files first, then renamed into place.
"""

from __future__ import annotations

import json
import os
import re
import stat
import tempfile
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from graph.drafting import draft_claims
from graph.errors import KGError, SeedError, SeedErrors
from graph.iris import ENTITY_ID, MintError, check_article_id
from graph.seeds import decode_text
from graph.seedyaml import check_schema, read_yaml

HTML_SUFFIXES = (".html", ".htm", ".xhtml")
TEXT_SUFFIXES = (".txt",)
DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?$")
PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")  # written without quotes in YAML
KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISCHR, "a character device"),
         (stat.S_ISBLK, "a block device"), (stat.S_ISFIFO, "a named pipe"),
         (stat.S_ISSOCK, "a socket"))


@dataclass(frozen=True)
class Metadata:
    """What the curator (or the HTML page) says about the article; None: not said."""

    title: str | None = None
    publisher: str | None = None
    published: str | None = None
    published_inferred: str | None = None
    url: str | None = None
    language: str = "en"


@dataclass(frozen=True)
class Ingestion:
    """One article, read and checked, ready to be written."""

    article_id: str
    source: Path
    text: str
    html: bytes | None
    meta: Metadata
    drafts: list[dict[str, Any]]


def find_seeds(seeds_dir: Path, cwd: Path) -> Path:
    """The seeds folder to add to: ``seeds_dir`` if absolute, else under the project that holds
    ``cwd`` (the nearest folder upwards with pyproject.toml and ``seeds_dir``/entities.yaml), so
    that `kg ingest` run from a subfolder adds to the seeds the build reads."""
    if seeds_dir.is_absolute():
        if not (seeds_dir / "entities.yaml").is_file():
            raise SeedError(seeds_dir, None, "not a seeds folder: it has no entities.yaml")
        return seeds_dir
    for folder in (cwd, *cwd.parents):
        seeds = folder / seeds_dir
        if (folder / "pyproject.toml").is_file() and (seeds / "entities.yaml").is_file():
            return seeds
    raise KGError(f"no project here: no pyproject.toml beside {seeds_dir}/entities.yaml in {cwd} "
                  "or any folder above it; run `kg ingest` inside the project, or set KG_SEEDS_DIR")


def check_metadata(meta: Metadata) -> Metadata:
    """The curator's options, checked (a KGError naming the option)."""
    if meta.publisher is not None and not ENTITY_ID.match(meta.publisher):
        raise KGError(f"--publisher {meta.publisher!r}: give the registry id of the publisher, "
                      "e.g. organization/jamnews")
    if meta.published is not None and (problem := _date_problem(meta.published)):
        raise KGError(f"--date {meta.published!r}: {problem}")
    if meta.url is not None:
        parts = urlsplit(meta.url)
        if parts.scheme not in ("http", "https") or not parts.netloc or " " in meta.url:
            raise KGError(f"--url {meta.url!r}: not an http(s) URL")
    if not re.match(r"^[a-z]{2}$", meta.language):
        raise KGError(f"--language {meta.language!r}: give a two-letter code such as en or ru")
    if meta.title is not None and (not meta.title.strip() or "\n" in meta.title):
        raise KGError("--title: give one line of text")
    return meta


def _date_problem(value: str) -> str | None:
    match = DATE.match(value)
    if not match:
        return "not a date (2024-04-17, 2024-04 or 2024)"
    year, month, day = match.groups()
    try:
        date(int(year), int(month or 1), int(day or 1))
    except ValueError as err:
        return f"no such date ({err})"
    return None


def read_source(source: Path, max_bytes: int) -> bytes:
    """The file's bytes; a SeedError saying what is wrong with it (missing, not a regular file,
    empty, larger than ``max_bytes``)."""
    try:
        mode = source.stat().st_mode
    except FileNotFoundError:
        raise SeedError(source, None, "file not found") from None
    except OSError as err:
        raise SeedError(source, None, f"cannot be read: {err.strerror}") from None
    for test, kind in KINDS:
        if test(mode):
            hint = ("; give one article file, or the folder without --id to ingest each file in it"
                    if kind == "a directory" else "")
            raise SeedError(source, None, f"is {kind}, not an article file{hint}")
    try:
        with source.open("rb") as f:
            raw = f.read(max_bytes + 1)  # never more than the limit into memory
    except OSError as err:
        raise SeedError(source, None, f"cannot be read: {err.strerror}") from None
    if not raw:
        raise SeedError(source, None, "the file is empty (0 bytes): there is no article to ingest")
    if len(raw) > max_bytes:
        raise SeedError(source, None, f"is larger than KG_MAX_ARTICLE_BYTES={max_bytes} bytes; "
                                      "is it one news article?")
    return raw


def is_html(source: Path, raw: bytes) -> bool:
    if source.suffix.lower() in HTML_SUFFIXES:
        return True
    head = raw[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def from_html(source: Path, raw: bytes) -> tuple[str, Metadata]:
    """The article text of an HTML page and what its metadata says (title, date, URL)."""
    import trafilatura

    text = trafilatura.extract(raw, include_comments=False, include_tables=False)
    if not text or not text.strip():
        raise SeedError(source, None, "no article text found in this HTML page")
    found = trafilatura.extract_metadata(raw)
    title = found.title if found and found.title else None
    day = found.date if found and found.date and not _date_problem(found.date) else None
    url = found.url if found and (found.url or "").startswith(("http://", "https://")) else None
    return text, Metadata(title=title, published=day, url=url, published_inferred=(
        "from the HTML page's metadata (trafilatura): check it against the text" if day else None))


def prepare(source: Path, article_id: str, seeds_dir: Path, max_bytes: int,
            meta: Metadata = Metadata()) -> Ingestion:
    """Read and check one article; write nothing."""
    try:
        check_article_id(article_id)
    except MintError as err:
        raise SeedError(source, None, f"bad article id: {err}") from None
    meta = check_metadata(meta)
    raw = read_source(source, max_bytes)
    html: bytes | None = None
    if is_html(source, raw):
        html = raw
        text, found = from_html(source, raw)
        meta = replace(meta, title=meta.title or found.title, url=meta.url or found.url)
        if meta.published is None:
            meta = replace(meta, published=found.published,
                           published_inferred=found.published_inferred)
    else:
        text = decode_text(source, raw)
    articles = seeds_dir / "articles"
    for suffix in (".txt", ".yaml", ".html"):
        if (articles / f"{article_id}{suffix}").exists():
            raise SeedError(articles / f"{article_id}{suffix}", None,
                            "already exists; choose another article id")
    drafts = draft_claims(text, published=meta.published, language=meta.language,
                          seeds_dir=seeds_dir)
    return Ingestion(article_id, source, text, html, meta, drafts)


def folder_sources(folder: Path) -> list[Path]:
    """The article files of a folder: .txt and .html pages, hidden files left out."""
    try:
        return sorted(p for p in folder.iterdir() if not p.name.startswith(".")
                      and p.suffix.lower() in TEXT_SUFFIXES + HTML_SUFFIXES)
    except OSError as err:
        raise SeedError(folder, None, f"cannot be read: {err.strerror}") from None


def id_from_name(path: Path) -> str:
    """An article id from a file name: lower-case letters and digits joined by hyphens."""
    return "-".join(re.findall(r"[a-z0-9]+", path.stem.lower()))


def prepare_folder(sources: Iterable[Path], seeds_dir: Path, max_bytes: int, language: str,
                   ) -> list[Ingestion]:
    """Read and check every file; a SeedErrors listing every problem, or all ready to write."""
    ready: list[Ingestion] = []
    errors: list[SeedError] = []
    taken: dict[str, Path] = {}
    for source in sources:
        article_id = id_from_name(source)
        try:
            if article_id in taken:
                raise SeedError(source, None, f"gives the same article id {article_id!r} as "
                                              f"{taken[article_id].name}")
            taken[article_id] = source
            ready.append(prepare(source, article_id, seeds_dir, max_bytes,
                                 Metadata(language=language)))
        except SeedError as err:
            errors.append(err)
    if errors:
        raise SeedErrors(errors)
    return ready


def annotation(ingestion: Ingestion) -> str:
    """The annotation file: the metadata, and the drafted claims (none yet: ``claims: []``)."""
    meta, aid = ingestion.meta, ingestion.article_id
    published = "null"
    if meta.published is not None:
        inferred = (f", inferred: {_scalar(meta.published_inferred)}"
                    if meta.published_inferred else "")
        published = f"{{date: {meta.published}{inferred}}}"
    claims = "claims: []\n"
    if ingestion.drafts:
        dumped = yaml.dump(ingestion.drafts, Dumper=_Dumper, allow_unicode=True,
                           sort_keys=False, width=100, indent=2)
        claims = "claims:\n" + textwrap.indent(dumped, "  ")  # as the curated files are laid out
    return (
        f"# Annotation of {ingestion.source.name} (see seeds/README.md for the format).\n"
        "article:\n"
        f"  id: {aid}\n"
        f"  source_file: {_scalar(ingestion.source.name)}\n"
        f"  title: {_scalar(meta.title)}\n"
        f"  publisher: {_scalar(meta.publisher)}\n"
        "  author: null\n"
        f"  published: {published}\n"
        "  genre: news\n"
        f"  url: {_scalar(meta.url)}\n"
        f"  language: {meta.language}\n"
        "  boilerplate: []\n"
        "\n"
        "# Add one claim per sentence you take facts from; "
        f'`kg locate {aid} "words"` gives offsets.\n'
        + claims
    )


def _scalar(value: str | None) -> str:
    if value is None:
        return "null"
    return value if PLAIN.match(value) else json.dumps(value, ensure_ascii=False)


class _Dumper(yaml.SafeDumper):
    """Draft claims as a curator writes them: multi-line facts as literal blocks."""


_Dumper.add_representer(str, lambda dumper, value: dumper.represent_scalar(
    "tag:yaml.org,2002:str", value, style="|" if "\n" in value else None))


def write(ingestion: Ingestion, seeds_dir: Path, schema_dir: Path) -> list[Path]:
    """Write the article's files (text, page, annotation) together, or none of them."""
    articles = seeds_dir / "articles"
    aid = ingestion.article_id
    contents = {articles / f"{aid}.txt": ingestion.text.encode("utf-8")}
    if ingestion.html is not None:
        contents[articles / f"{aid}.html"] = ingestion.html
    contents[articles / f"{aid}.yaml"] = annotation(ingestion).encode("utf-8")
    articles.mkdir(parents=True, exist_ok=True)
    temps: dict[Path, Path] = {}
    placed: list[Path] = []
    try:
        for final, data in contents.items():
            fd, name = tempfile.mkstemp(dir=articles, prefix=f".{final.name}.", suffix=".tmp")
            temps[final] = Path(name)
            with os.fdopen(fd, "wb") as f:
                f.write(data)
        _check_annotation(temps[articles / f"{aid}.yaml"], schema_dir)
        for final, tmp in temps.items():
            if final.exists():
                raise SeedError(final, None, "already exists; choose another article id")
            os.replace(tmp, final)
            placed.append(final)
    except (OSError, KGError) as err:
        for path in [*placed, *temps.values()]:
            path.unlink(missing_ok=True)
        if isinstance(err, KGError):
            raise
        raise SeedError(articles, None, f"could not write {aid}: {err}; nothing was written") \
            from None
    return list(contents)


def _check_annotation(path: Path, schema_dir: Path) -> None:
    """The written annotation must load as a seed (a guard on this module and on the drafts)."""
    errors = check_schema(path, read_yaml(path), schema_dir / "article.schema.json")
    if errors:
        raise SeedErrors(errors)


def ingest(source: Path, article_id: str, seeds_dir: Path, max_bytes: int,
           meta: Metadata = Metadata()) -> list[Path]:
    """Add one article (see :func:`prepare` and :func:`write`); return the files written."""
    return write(prepare(source, article_id, seeds_dir, max_bytes, meta), seeds_dir,
                 seeds_dir / "schema")

