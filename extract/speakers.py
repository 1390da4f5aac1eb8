"""Speakers: who the words of a region name as speaking (the first person, else organisation,
unit or state; a pronoun, a role or an institution noun standing for the last one), and which
agency relayed them."""

from __future__ import annotations

import re
from typing import Any

from extract.lexicon import Lexicon

QUOTED_AS = re.compile(r"\b(?P<relay>it|they|[A-Z][\w.-]*(?:\s+[A-Z][\w.-]*)*)\s+quoted\s+"
                        r"(?P<who>.+?)\s+as\s+saying\b")
_RELAY = re.compile(r"\b(?:as\s+)?(?:quoted|cited|reported)\s+by\s+(?P<agent>[^,.;()]+)")
_UNNAMED = re.compile(r"\bthe\s+(?:head|chief|director|leader|spokesman|spokeswoman|"
                      r"spokesperson|chairman|representative)\s+of\s+[^,.;()]+?(?=\s+[a-z]+ed\b|,|$)")
_PRONOUN = re.compile(r"^\s*(?:he|she|they)\b", re.I)
_ROLE = re.compile(r"\b(?:the|this|that)\s+(?:[\w-]+\s+){0,3}?(?:adviser|advisor|aide|spokesman|"
                   r"spokeswoman|spokesperson|minister|president|official|analyst|expert|"
                   r"diplomat|envoy|ambassador|chairman|secretary)\b", re.I)
_ORG_NOUN = re.compile(r"\b(?:the|this)\s+(?:[\w-]+\s+){0,2}?(?:ministry|agency|government|"
                       r"office|committee|department|service|administration)\b", re.I)
_BOUNDARY = re.compile(r"\b(?:which|who|whom|whose|that|while|but|when|after|because)\b|[;:]")
_PRIORITY = {"person": 0, "organization": 1, "unit": 2, "state": 3}


class Attributor:
    """Finds speakers among the text's mentions, remembering the last one (for "he said")."""

    def __init__(self, text: str, mentions: list[dict[str, Any]], lexicon: Lexicon | None):
        self.text, self.lexicon = text, lexicon
        self.agents = []
        self.things = [m for m in mentions if self._kind(m) not in _PRIORITY]
        for m in mentions:
            kind = self._kind(m)
            if kind in _PRIORITY:
                self.agents.append({**m, "kind": kind, "entity": self._speaking(m)})
        self.last_speaker: dict[str, Any] | None = None

    def _kind(self, m: dict[str, Any]) -> str | None:
        if m["entity"] is None:
            return m["proposed"]["type"] if m["proposed"] else None
        if self.lexicon and m["entity"] in self.lexicon.capital_of:
            return "state"
        return self.lexicon.kind_of(m["entity"]) if self.lexicon else m["entity"].split("/")[0]

    def _speaking(self, m: dict[str, Any]) -> str | None:
        if self.lexicon and m["entity"] in self.lexicon.capital_of:
            return self.lexicon.capital_of[m["entity"]]
        return m["entity"]

    def in_region(self, start: int, end: int) -> list[dict[str, Any]]:
        return [a for a in self.agents if start <= a["start"] and a["end"] <= end]

    def subject(self, start: int, end: int) -> list[dict[str, Any]]:
        """The speakers a region names: its first agent of the highest kind (and any joined to
        it by "and"), or whom a pronoun, a role or an institution noun stands for."""
        region = self.text[start:end]
        cut = [m.end() for m in _BOUNDARY.finditer(region)]
        for c in reversed(cut):
            if self.in_region(start + c, end):
                start, region = start + c, self.text[start + c:end]
                break
        unnamed = _UNNAMED.search(region)
        if unnamed:
            # "the head of the agency announced": a person the text does not name.
            words = unnamed.group(0).rstrip()
            return [{"start": start + unnamed.start(), "end": start + unnamed.start() + len(words),
                     "text": words, "kind": "person", "entity": None}]
        found = self.in_region(start, end)
        if found and all(a["kind"] == "state" for a in found) and _ROLE.search(region):
            # "the Azerbaijani adviser": a person described by role, the adjective is not him.
            found = []
        if found:
            best = min(_PRIORITY[a["kind"]] for a in found)
            first = next(a for a in found if _PRIORITY[a["kind"]] == best)
            group = [first]
            for a in found:
                between = self.text[group[-1]["end"]:a["start"]]
                if a["start"] > group[-1]["start"] and re.fullmatch(r"\s*(?:,|and|, and)\s*",
                                                                    between):
                    group.append(a)
            return [a for a in group if a["kind"] == first["kind"]] or [first]
        if _PRONOUN.match(region) or _ROLE.search(region):
            return self.recent(start, "person")
        if _ORG_NOUN.search(region) or re.match(r"^\s*it\b", region):
            return self.recent(start, "organization")
        return []

    def recent(self, before: int, kind: str) -> list[dict[str, Any]]:
        """The last speaker of that kind, else the last agent of that kind before ``before``."""
        if self.last_speaker and self.last_speaker["kind"] == kind:
            return [self.last_speaker]
        earlier = [a for a in self.agents if a["end"] <= before and a["kind"] == kind]
        return earlier[-1:]

    def relay(self, start: int, end: int) -> str | None:
        """The agency a region says relayed the words ("as quoted by ... Turan")."""
        for pattern in (_RELAY, QUOTED_AS):
            m = pattern.search(self.text, start, end)
            if m:
                g = "agent" if "agent" in pattern.groupindex else "relay"
                orgs = [a for a in self.in_region(m.start(g), m.end(g))
                        if a["kind"] == "organization"]
                if orgs:
                    return orgs[0]["entity"]
                if m.group(g) in ("it", "they"):
                    got = self.recent(m.start(g), "organization")
                    return got[0]["entity"] if got else None
        return None
