"""Load and check the seeds: the entity registry and the article annotations, with line numbers."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.errors import SeedError, SeedErrors
from graph.seedyaml import LineDict, check_schema, read_yaml

# The verified list of Wikidata links, relative to the repository root (the parent of the seeds
# folder), and how a link of the registry was found when the registry does not say.
QIDS_TSV = Path("..") / "shared" / "wikidata-qids.tsv"
VERIFIED_METHOD = f"verified list ({QIDS_TSV.as_posix()})"


@dataclass(frozen=True)
class Entity:
    id: str
    types: tuple[str, ...]
    labels: dict[str, str]
    alt: dict[str, tuple[str, ...]]
    note: str | None
    wikidata: str | None
    wikidata_method: str | None
    wikidata_date: str | None
    wikipedia: str | None
    line: int
    territory_of: str | None = None  # a place that stands for a state's land: that state


@dataclass(frozen=True)
class Span:
    start: int
    exact: str
    line: int

    @property
    def end(self) -> int:
        return self.start + len(self.exact)


@dataclass(frozen=True)
class Quote:
    """The statement a claim quotes (``quote:``) or reports (``statement:``)."""

    speaker: str
    date: str | None
    date_inferred: str | None
    via: str | None
    about: tuple[str, ...]
    speech_act_of: int | None
    line: int
    channel: str | None = None  # a kg:Channels concept, e.g. "ConferenceCall"
    to: str | None = None  # whom it was addressed to (schema:recipient)
    at: str | None = None  # where it was made (sem:hasPlace)


@dataclass(frozen=True)
class Source:
    """One publication a claim's citation names: its publisher and the date the article gives."""

    by: str
    date: str
    see: bool  # "see EDM, ...": pointed to for more (rdfs:seeAlso), not cited as the source
    line: int


@dataclass(frozen=True)
class Referent:
    """An entity the curator resolved for a claim from a description, or that the claim leaves
    implicit: the article does not name it there."""

    entity: str
    kind: str  # "Description" (the words in ``surface`` describe it) or "Implicit"
    surface: Span | None
    line: int


@dataclass(frozen=True)
class Claim:
    n: int
    evidence: Span
    mode: str
    according_to: str | None
    via: tuple[str, ...]
    citation: str | None
    note: str | None
    quote: Quote | None
    facts: str
    facts_line: int
    line: int
    referents: tuple[Referent, ...] = ()
    statement: Quote | None = None
    sources: tuple[Source, ...] = ()
    draft: bool = False  # `status: draft`: drafted by the extractor, not yet reviewed


@dataclass(frozen=True)
class Boilerplate:
    start: int
    end: int
    what: str


@dataclass
class Article:
    id: str
    yaml_path: Path
    text_path: Path
    text: str
    sha256: str
    meta: dict[str, Any]
    meta_lines: dict[str, int]
    boilerplate: list[Boilerplate]
    claims: list[Claim] = field(default_factory=list)


@dataclass
class Seeds:
    root: Path
    entities: dict[str, Entity]
    entities_path: Path
    articles: list[Article]
    input_hashes: dict[str, str]


def _per_language(value: Any, many: bool) -> dict[str, Any]:
    if value is None:
        return {}
    if isinstance(value, dict):
        return {k: tuple(v) if many else v for k, v in value.items()}
    return {"en": tuple(value) if many else value}


def load_entities(path: Path, schema_dir: Path) -> dict[str, Entity]:
    doc = read_yaml(path)
    errors = check_schema(path, doc, schema_dir / "entities.schema.json")
    if errors:
        raise SeedErrors(errors)
    entities: dict[str, Entity] = {}
    link_date = doc.get("wikidata_date")  # the default date of a link (when the list was checked)
    for item in doc["entities"]:
        if item["id"] in entities:
            errors.append(
                SeedError(
                    path,
                    item.line,
                    f"duplicate entity id {item['id']!r} "
                    f"(first at line {entities[item['id']].line})",
                )
            )
            continue
        types = item["type"] if isinstance(item["type"], list) else [item["type"]]
        entities[item["id"]] = Entity(
            id=item["id"],
            types=tuple(types),
            labels=_per_language(item["label"], many=False),
            alt=_per_language(item.get("alt"), many=True),
            note=item.get("note"),
            wikidata=item.get("wikidata"),
            wikidata_method=item.get("wikidata_method"),
            wikidata_date=item.get("wikidata_date")
            or (link_date if item.get("wikidata") else None),
            wikipedia=item.get("wikipedia"),
            line=item.line,
            territory_of=item.get("territory_of"),
        )
    if errors:
        raise SeedErrors(errors)
    return entities


def _many(value: Any) -> tuple[str, ...]:
    """A field that takes one entity id or a list of them."""
    if value is None:
        return ()
    return tuple(value) if isinstance(value, list) else (value,)


def _statement(q: LineDict | None) -> Quote | None:
    if q is None:
        return None
    return Quote(
        speaker=q["speaker"],
        date=q.get("date"),
        date_inferred=q.get("date_inferred"),
        via=q.get("via"),
        about=_many(q.get("about")),
        speech_act_of=q.get("speech_act_of"),
        line=q.line,
        channel=q.get("channel"),
        to=q.get("to"),
        at=q.get("at"),
    )


def _claim(item: LineDict) -> Claim:
    ev = item["evidence"]
    quote = _statement(item.get("quote"))
    return Claim(
        n=item["n"],
        evidence=Span(start=ev["start"], exact=ev["exact"], line=ev.line),
        mode=item["mode"],
        according_to=item.get("according_to"),
        via=_many(item.get("via")),
        citation=item.get("citation"),
        note=item.get("note"),
        quote=quote,
        facts=item["facts"],
        # A block scalar's text starts on the line after its indicator.
        facts_line=item.value_lines["facts"] + (1 if item["facts"].endswith("\n") else 0),
        line=item.line,
        referents=tuple(_referent(r) for r in item.get("referents") or ()),
        statement=_statement(item.get("statement")),
        sources=tuple(Source(s["by"], s["date"], bool(s.get("see", False)), s.line)
                      for s in item.get("sources") or ()),
        draft=item.get("status") == "draft",
    )


def _referent(item: LineDict) -> Referent:
    surface = item.get("surface")
    span = Span(surface["start"], surface["exact"], surface.line) if surface else None
    return Referent(item["entity"], item["kind"], span, item.line)


def decode_text(path: Path, raw: bytes) -> str:
    """An article's verbatim text, the string every offset counts code points in: its bytes
    decoded as UTF-8, line ends as they are (never read in text mode, which turns CRLF into LF
    and moves every offset after a line break)."""
    if not raw:
        raise SeedError(path, None, "the article text is empty (0 bytes)")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as err:
        raise SeedError(path, None, f"not UTF-8: {err}") from None


def read_text(path: Path) -> str:
    """``decode_text`` of the file at ``path``."""
    return decode_text(path, path.read_bytes())


def load_article(yaml_path: Path, schema_dir: Path, content: str | None = None) -> Article:
    """One annotation and its text (``content``: the annotation's text before it is written)."""
    doc = read_yaml(yaml_path, content)
    errors = check_schema(yaml_path, doc, schema_dir / "article.schema.json")
    if errors:
        raise SeedErrors(errors)
    meta = doc["article"]
    article_id = meta["id"]
    if yaml_path.stem != article_id:
        raise SeedError(
            yaml_path,
            meta.value_lines["id"],
            f"article id {article_id!r} differs from the file name {yaml_path.name!r}",
        )
    text_path = yaml_path.with_suffix(".txt")
    try:
        raw = text_path.read_bytes()
    except FileNotFoundError:
        raise SeedError(yaml_path, meta.line, f"article text {text_path.name} is missing") from None
    text = decode_text(text_path, raw)
    boiler = [Boilerplate(b["start"], b["end"], b["what"]) for b in meta.get("boilerplate") or []]
    article = Article(
        id=article_id,
        yaml_path=yaml_path,
        text_path=text_path,
        text=text,
        sha256=hashlib.sha256(raw).hexdigest(),
        meta=dict(meta),
        meta_lines=dict(meta.value_lines),
        boilerplate=boiler,
    )
    seen: dict[int, int] = {}
    for item in doc["claims"]:
        if item["n"] in seen:
            errors.append(
                SeedError(
                    yaml_path,
                    item.line,
                    f"duplicate claim n={item['n']} (first at line {seen[item['n']]})",
                )
            )
            continue
        seen[item["n"]] = item.line
        article.claims.append(_claim(item))
    if errors:
        raise SeedErrors(errors)
    return article


def file_hash(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def load_seeds(root: Path, only: set[str] | None = None, drafts: bool = False) -> Seeds:
    """Load entities.yaml and every articles/*.yaml (or just ``only``); collect every error.
    Draft claims (``status: draft``) are checked against the schema, then left out unless
    ``drafts``."""
    schema_dir = root / "schema"
    entities_path = root / "entities.yaml"
    errors: list[SeedError] = []
    entities: dict[str, Entity] = {}
    try:
        entities = load_entities(entities_path, schema_dir)
    except SeedErrors as err:
        errors.extend(err.errors)
    except SeedError as err:
        errors.append(err)
    articles: list[Article] = []
    article_dir = root / "articles"
    for yaml_path in sorted(article_dir.glob("*.yaml")):
        if only is not None and yaml_path.stem not in only:
            continue
        try:
            article = load_article(yaml_path, schema_dir)
            article.claims = [c for c in article.claims if drafts or not c.draft]
            articles.append(article)
        except SeedErrors as err:
            errors.extend(err.errors)
        except SeedError as err:
            errors.append(err)
    for txt in sorted(article_dir.glob("*.txt")):
        if only is None and not txt.with_suffix(".yaml").exists():
            errors.append(
                SeedError(txt, None, f"no annotation file {txt.with_suffix('.yaml').name}")
            )
    if errors:
        raise SeedErrors(errors)
    hashes = {
        str(p.relative_to(root.parent) if root.parent in p.parents else p): file_hash(p)
        for p in sorted([entities_path, *article_dir.glob("*.yaml"), *article_dir.glob("*.txt")])
    }
    return Seeds(
        root=root,
        entities=entities,
        entities_path=entities_path,
        articles=articles,
        input_hashes=hashes,
    )
