"""Mentions: the registry's names found in the text (a spaCy PhraseMatcher on matching keys), and
names the registry lacks proposed as new entities with a type."""

from __future__ import annotations

import re
from typing import Any

from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from extract.fold import name_key
from extract.lexicon import Lexicon, Name
from extract.nlp import pipeline
from extract.readings import resolve_readings

# Which name wins when two entities share one: a preferred label over a variant, a variant over
# a cached Wikidata label, any name over a state's adjective.
_RANK = {"label": 0, "alt": 1, "wikidata": 2, "surname": 3, "adjective": 4}
_ACRONYM = re.compile(r"^[A-Z][A-Z.]{1,5}$")

# Words that make a run of capitalised words an organisation, or, before or after it, a person.
ORG_WORDS = frozenset({
    "ministry", "agency", "center", "centre", "university", "committee", "department", "council",
    "service", "foundation", "bank", "party", "assembly", "news", "railways", "company", "office",
    "commission", "institute", "parliament", "court", "government", "corporation", "union",
    "army", "forces", "guard", "police", "media", "press", "tv", "radio"})
ROLE_WORDS = frozenset({
    "spokesman", "spokeswoman", "spokesperson", "adviser", "advisor", "aide", "president",
    "minister", "analyst", "chairman", "chairwoman", "secretary", "deputy", "head", "leader",
    "expert", "mayor", "oligarch", "ambassador", "envoy", "governor", "premier", "general",
    "commander", "official", "director", "lecturer", "fellow", "professor", "dr.", "mr.", "mrs.",
    "ms.", "journalist", "correspondent", "editor"})
# Calendar words are capitalised but name no one ("News May 19").
_CALENDAR = frozenset({
    "january", "february", "march", "april", "may", "june", "july", "august", "september",
    "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday",
    "saturday", "sunday"})
_LINKERS = frozenset({"of", "for", "and", "the", "de", "al", "on"})


class Matcher:
    """A PhraseMatcher over the names of one language, built once per lexicon and language."""

    def __init__(self, lexicon: Lexicon, language: str) -> None:
        nlp = pipeline()
        self.matcher = PhraseMatcher(nlp.vocab, attr="NORM")
        self.names: dict[str, list[Name]] = {}
        for name in lexicon.in_language(language):
            doc = nlp.make_doc(name.text)
            for token in doc:
                token.norm_ = name_key(token.text)
            key = " ".join(t.norm_ for t in doc)
            if key.strip():
                if key not in self.names:
                    self.matcher.add(key, [doc])
                self.names.setdefault(key, []).append(name)

    def entity_of(self, span: Span) -> str | None:
        """The entity a matched span names, or None when its names disagree."""
        key = " ".join(t.norm_ for t in span)
        names = [n for n in self.names.get(key, []) if _case_fits(n.text, span.text)]
        if not names:
            return None
        best = min(_RANK[n.kind] for n in names)
        entities = {n.entity for n in names if _RANK[n.kind] == best}
        return entities.pop() if len(entities) == 1 else None

    def spans(self, doc: Doc) -> list[Span]:
        found = [doc[s:e] for _id, s, e in self.matcher(doc)]
        return filter_spans([s for s in found if self.entity_of(s)])


def _case_fits(name: str, surface: str) -> bool:
    """Acronyms match only as written ("US" is not "us"), a surname only capitalised; other
    names in any case."""
    if _ACRONYM.match(name):
        return surface.replace("\u2019", "'") == name
    return surface[:1].isupper() or not name[:1].isupper() or " " in name


def matcher_for(lexicon: Lexicon, language: str) -> Matcher:
    """The lexicon's matcher for ``language``, built on first use and kept with the lexicon."""
    key = f"matcher:{language}"
    if key not in lexicon.cache:
        lexicon.cache[key] = Matcher(lexicon, language)
    matcher: Matcher = lexicon.cache[key]
    return matcher


def _capitalised(token: Any) -> bool:
    text = token.text
    if text.lower() in _CALENDAR:
        return False
    return bool(text[:1].isupper()) and text.isalpha() or bool(re.match(r"^[A-Z][a-z]+\.$", text))


def _proposed_type(run: Span) -> str | None:
    """The type a newspaper's wording gives an unknown name, or None when it gives none."""
    words = {t.text.lower() for t in run}
    if words & ORG_WORDS:
        return "organization"
    doc, start, end = run.doc, run.start, run.end
    before = {t.text.lower() for t in doc[max(start - 3, run.sent.start) : start]}
    after = [t.text.lower() for t in doc[end : min(end + 3, len(doc))]]
    if before & ROLE_WORDS or (after[:1] == [","] and set(after[1:]) & ROLE_WORDS):
        return "person"
    return None


def _runs(doc: Doc, taken: set[int]) -> list[Span]:
    """Runs of capitalised words (linked by "of", "for", ...), outside registry matches."""
    runs, i = [], 0
    while i < len(doc):
        if i in taken or not _capitalised(doc[i]):
            i += 1
            continue
        j = i + 1
        while (
            j < len(doc)
            and j not in taken
            and doc[j].sent.start == doc[i].sent.start
            and (
                _capitalised(doc[j])
                or (
                    doc[j].lower_ in _LINKERS
                    and j + 1 < len(doc)
                    and _capitalised(doc[j + 1])
                    and j + 1 not in taken
                )
            )
        ):
            j += 1
        while j > i + 1 and doc[j - 1].lower_ in _LINKERS:
            j -= 1
        runs.append(doc[i:j])
        i = j
    return runs


def find_mentions(
    doc: Doc, lexicon: Lexicon | None, language: str, propose: bool = True
) -> list[dict[str, Any]]:
    """Registry names (with their entity) and, if ``propose``, typed unknown names."""
    out: list[dict[str, Any]] = []
    taken: set[int] = set()
    if lexicon is not None:
        m = matcher_for(lexicon, language)
        for span in m.spans(doc):
            taken.update(range(span.start, span.end))
            entity = m.entity_of(span)
            out.append(
                {
                    "start": span.start_char,
                    "end": span.end_char,
                    "text": span.text,
                    "entity": entity,
                    "proposed": None,
                }
            )
        resolve_readings(doc.text, out, lexicon)
    if propose:
        for run in _runs(doc, taken):
            words = [t for t in run if t.text.lower() not in ROLE_WORDS]
            if not words or (len(run) == 1 and run.start == run.sent.start):
                continue
            kind = _proposed_type(run)
            if len(words) < 2:
                continue  # one capitalised word ("News", "Railways") is too little to go on
            if kind:
                span = doc[words[0].i : words[-1].i + 1] if kind == "person" else run
                out.append(
                    {
                        "start": span.start_char,
                        "end": span.end_char,
                        "text": span.text,
                        "entity": None,
                        "proposed": {"type": kind, "label": span.text},
                    }
                )
    return sorted(out, key=lambda m: (m["start"], m["end"]))
