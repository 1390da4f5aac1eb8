"""The names the assistant can link: the registry's labels and variants in every language, the
labels the Wikidata cache holds for linked items, and the adjectives of the registry's states."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graph.seeds import Entity

# Adjectives a newspaper uses for a state ("Azerbaijani President", "Armenian forces"): the
# registry names the states, this table gives their usual English adjectives.
DEMONYMS: dict[str, tuple[str, ...]] = {
    "Armenia": ("Armenian",),
    "Azerbaijan": ("Azerbaijani",),
    "Russia": ("Russian",),
    "Georgia": ("Georgian",),
    "Ukraine": ("Ukrainian",),
    "France": ("French",),
    "Türkiye": ("Turkish",),
    "United States of America": ("American", "US", "U.S."),
    "Soviet Union": ("Soviet",),
    "Abkhazia": ("Abkhazian", "Abkhaz"),
    "South Ossetia": ("South Ossetian", "Ossetian"),
    "Iran": ("Iranian",),
}

# A capital names its state's government when it speaks ("Moscow and Baku confirmed").
CAPITALS: dict[str, str] = {
    "Moscow": "Russia", "Baku": "Azerbaijan", "Yerevan": "Armenia", "Tbilisi": "Georgia",
    "Kyiv": "Ukraine", "Paris": "France", "Ankara": "Türkiye",
    "Washington": "United States of America",
}

_CACHE_LABEL = re.compile(
    r'^<http://www\.wikidata\.org/entity/(Q\d+)> <http://www\.w3\.org/2000/01/rdf-schema#label> '
    r'"((?:[^"\\]|\\.)*)"@([a-z-]+) \.$')


@dataclass(frozen=True)
class Name:
    """One way of writing an entity: its words, language, and how it was found."""

    entity: str
    text: str
    language: str
    kind: str  # "label", "alt", "wikidata", "surname" or "adjective"


@dataclass
class Lexicon:
    """Every name of every entity, and the entities' types (the id's first part)."""

    names: list[Name] = field(default_factory=list)
    types: dict[str, str] = field(default_factory=dict)
    capital_of: dict[str, str] = field(default_factory=dict)  # place id -> state id
    territory: dict[str, str] = field(default_factory=dict)  # state id -> its land (a place)
    # What is built from the names once (the matchers), kept with them so it never goes stale.
    cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def in_language(self, language: str) -> list[Name]:
        """The names to match in a text of ``language``; when neither the registry nor the
        Wikidata cache has any in it, the registry's own labels and variants (names are often
        written as in English)."""
        names = [n for n in self.names if n.language == language]
        return names or [n for n in self.names if n.kind in ("label", "alt")]

    def kind_of(self, entity: str) -> str:
        return self.types.get(entity, entity.split("/", 1)[0])


def _unescape(value: str) -> str:
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\(.)",
                  lambda m: chr(int(m.group(1), 16)) if m.group(1) else
                  {"n": "\n", "t": "\t", "r": "\r"}.get(m.group(2), m.group(2)), value)


def cache_labels(path: Path) -> dict[str, list[tuple[str, str]]]:
    """QID -> [(label, language)] read from the Wikidata cache (N-Triples), if it exists."""
    labels: dict[str, list[tuple[str, str]]] = {}
    if not path.is_file():
        return labels
    with path.open(encoding="utf-8") as lines:
        for line in lines:
            m = _CACHE_LABEL.match(line.strip())
            if m:
                labels.setdefault(m.group(1), []).append((_unescape(m.group(2)), m.group(3)))
    return labels


def build_lexicon(entities: Mapping[str, Entity],
                  wikidata: Mapping[str, Iterable[tuple[str, str]]] | None = None) -> Lexicon:
    """The lexicon of a registry (``graph.seeds.load_entities``) and optional cached labels."""
    lex = Lexicon()
    for e in entities.values():
        lex.types[e.id] = e.id.split("/", 1)[0]
        for lang, label in e.labels.items():
            lex.names.append(Name(e.id, label, lang, "label"))
        for lang, alts in e.alt.items():
            lex.names.extend(Name(e.id, a, lang, "alt") for a in alts)
        if e.id.startswith("state/"):
            for adjective in DEMONYMS.get(e.labels.get("en", ""), ()):
                lex.names.append(Name(e.id, adjective, "en", "adjective"))
        if e.id.startswith("person/"):
            # After the first mention a newspaper names a person by surname ("Hajiyev said").
            for full in (e.labels.get("en"), *e.alt.get("en", ())):
                if full and " " in full and re.fullmatch(r"[A-Z][\w.'-]*( [A-Z][\w.'-]*)+", full):
                    lex.names.append(Name(e.id, full.split()[-1], "en", "surname"))
        for label, lang in (wikidata or {}).get(e.wikidata or "", ()):
            lex.names.append(Name(e.id, label, lang, "wikidata"))
    for e in entities.values():
        if e.territory_of:
            lex.territory[e.territory_of] = e.id
    by_label = {e.labels.get("en"): e.id for e in entities.values()}
    for city, state in CAPITALS.items():
        if by_label.get(city, "").startswith("place/") and state in by_label:
            lex.capital_of[by_label[city]] = by_label[state]
    return lex


def load_lexicon(seeds_dir: Path) -> Lexicon:
    """The lexicon of ``seeds_dir``: entities.yaml and, if present, wikidata-cache.nt."""
    from graph.seeds import load_entities

    entities = load_entities(seeds_dir / "entities.yaml", seeds_dir / "schema")
    return build_lexicon(entities, cache_labels(seeds_dir / "wikidata-cache.nt"))
