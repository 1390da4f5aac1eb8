"""The one place IRIs are minted: deterministically from seed ids, never from order or time."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable

from rdflib import BNode, URIRef

from graph.namespaces import DEFAULT_BASE, ENTITY_TYPES

SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ENTITY_ID = re.compile(r"^(" + "|".join(ENTITY_TYPES) + r")/([a-z0-9]+(?:-[a-z0-9]+)*)$")
SYSTEM_GRAPHS = ("entities", "provenance", "ontology", "inferred", "conflicts", "wikidata")


class MintError(ValueError):
    """An id cannot be turned into an IRI."""


class Minter:
    """Mints the IRIs of one dataset under ``base``."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        if not base.endswith("/"):
            raise MintError(f"base IRI must end with '/': {base!r}")
        self.base = base

    def _id(self, *parts: str) -> URIRef:
        return URIRef(self.base + "id/" + "/".join(parts))

    def entity(self, entity_id: str) -> URIRef:
        """``person/hikmet-hajiyev`` -> ``{base}id/person/hikmet-hajiyev``."""
        if not ENTITY_ID.match(entity_id):
            raise MintError(
                f"entity id {entity_id!r} is not '<type>/<slug>' with type one of "
                + ", ".join(ENTITY_TYPES)
            )
        return self._id(entity_id)

    def article(self, article_id: str) -> URIRef:
        return self._id("article", check_slug(article_id))

    def article_text(self, article_id: str) -> URIRef:
        return self._id("article", check_slug(article_id), "text")

    def claim(self, article_id: str, n: int) -> URIRef:
        return self._id("claim", check_slug(article_id), str(int(n)))

    def span(self, article_id: str, n: int | str) -> URIRef:
        """Claim ``n``'s evidence span; ``"{n}-referent-{k}"``: the words of a referent."""
        return self._id("span", check_slug(article_id), _part(n))

    def selector(self, article_id: str, n: int | str, kind: str) -> URIRef:
        return self._id("span", check_slug(article_id), f"{_part(n)}-{kind}")

    def referent(self, article_id: str, n: int, k: int) -> URIRef:
        """The k-th referent the curator resolved for claim ``n`` (see kg:ReferentResolution)."""
        return self._id("claim", check_slug(article_id), str(int(n)), "referent", str(int(k)))

    def quotation(self, article_id: str, n: int) -> URIRef:
        return self._id("quotation", check_slug(article_id), str(int(n)))

    def speech_act(self, article_id: str, n: int) -> URIRef:
        return self._id("speech-act", check_slug(article_id), str(int(n)))

    def cited_source(self, publisher_id: str, date: str) -> URIRef:
        """A publication an article cites, named by its publisher and date (``TASS, December 2,
        2020`` -> ``{base}id/source/tass-2020-12-02``): every claim citing it shares it."""
        slug = self.entity(publisher_id)[len(self.base) + 3 :].split("/", 1)[1]
        if not re.match(r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$", date):
            raise MintError(f"{date!r} is not a date (2020, 2020-12 or 2020-12-02)")
        return self._id("source", f"{slug}-{date}")

    def value(self, article_id: str, n: int, digest: str) -> URIRef:
        """A node described inside claim ``n`` (a figure, a route, a role) named by its content."""
        return self._id("value", check_slug(article_id), f"{int(n)}-{digest}")

    def conflict(self, kind: str, key: str) -> URIRef:
        return self._id(kind, digest(key))

    def link(self, entity_id: str) -> URIRef:
        """The record of how an entity's Wikidata link was established."""
        return self._id("link", *self.entity(entity_id)[len(self.base) + 3 :].split("/"))

    def graph(self, name: str) -> URIRef:
        if name not in SYSTEM_GRAPHS:
            raise MintError(f"unknown system graph {name!r}")
        return URIRef(self.base + "graph/" + name)

    def ontology(self) -> URIRef:
        return URIRef(self.base + "ontology")

    def genid(self, digest_: str) -> URIRef:
        """A blank node of the ontology (a list, a restriction) named by its content."""
        return URIRef(self.base + "ontology/genid/" + digest_)


def _part(n: int | str) -> str:
    """A claim number, or a claim number with a suffix of slug characters."""
    return str(int(n)) if isinstance(n, int) else check_slug(n)


# An article id names files (<id>.txt, .yaml, .html; a file name holds at most 255 bytes) and IRIs;
# the longest of the first five is 53 characters.
ARTICLE_ID_MAX_LENGTH = 100


def check_article_id(article_id: str) -> str:
    """A readable article id: a slug of at most ARTICLE_ID_MAX_LENGTH characters."""
    check_slug(article_id)
    if len(article_id) > ARTICLE_ID_MAX_LENGTH:
        raise MintError(f"{len(article_id)} characters, more than the {ARTICLE_ID_MAX_LENGTH} "
                        "an article id may have")
    return article_id


def check_slug(slug: str) -> str:
    if not SLUG.match(slug):
        raise MintError(f"{slug!r} is not a slug (lower-case letters, digits and single hyphens)")
    return slug


def digest(text: str, length: int = 10) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:length]


def skolemize(triples: list[tuple], mint: Callable[[str], URIRef]) -> list[tuple]:
    """Name each blank node by a digest of its description: same content, same IRI."""
    out: dict = {}
    for s, p, o in triples:
        out.setdefault(s, []).append((p, o))

    memo: dict[BNode, str] = {}

    def describe(node: BNode, seen: frozenset) -> str:
        # Only a description made from the node itself is remembered: one made inside another's
        # (where a cycle back to it reads "cycle") depends on where the walk began, and the walk
        # order follows the parser's random blank node labels.
        if not seen and node in memo:
            return memo[node]
        if node in seen:
            return "cycle"
        parts = sorted(
            f"{p.n3()} {describe(o, seen | {node}) if isinstance(o, BNode) else o.n3()}"
            for p, o in out.get(node, [])
        )
        described = digest("\n".join(parts))
        if not seen:
            memo[node] = described
        return described

    def name(node):
        return mint(describe(node, frozenset())) if isinstance(node, BNode) else node

    return [(name(s), p, name(o)) for s, p, o in triples]
