"""Which reading of a name the sentence wants, as newspapers use them: a state named as a place
is its land (the registry keeps the two apart, kg:territoryOf), and a capital that acts or speaks
is its state's government ("Moscow and Baku confirmed")."""

from __future__ import annotations

import re
from typing import Any

from extract.lexicon import Lexicon

# A state's name where a place is meant: after a preposition of place or a verb of motion,
# after a town ("Baku, Azerbaijan"), or owning a place ("Azerbaijan's Kalbajar district").
_PLACE_BEFORE = re.compile(
    r"(?:\b(?:in|from|into|within|across|throughout|inside|territory of|soil of|parts? of)"
    r"\s+(?:the\s+)?|\b(?:leav\w*|left|enter\w*|reach\w*|cross\w*)\s+"
    r"|\b(?:mov\w*|travel\w*|return\w*|fled|flee\w*|went|go|going|deploy\w*|sent|arriv\w*|"
    r"depart\w*|transferr?\w*)\b[^.;:]{0,40}?\bto\s+)$")
# An adjective of a state before a word for land ("Azerbaijani territory", "Georgian region").
_LAND_AFTER = re.compile(r"^\s+(?:territory|territories|soil|lands?|regions?|villages?|"
                         r"settlements?|districts?)\b")
# A capital that acts: before a verb or an auxiliary, joined to another capital that does,
# owning something, or the other side of "with" ("talks with Moscow").
_ACTS_AFTER = re.compile(
    r"^(?:['\u2019]s\b|\s+(?:has|have|had|was|were|is|are|did|does|will|would|can|could|"
    r"also|said|says|confirmed|insisted|blamed|announced|denied|stated|claimed|reported|"
    r"accused|agreed|decided|refused|demanded|warned)\b)")
_ACTS_BEFORE = re.compile(r"\b(?:with|including|gave|give|gives)\s+$")


def _possessive_place(text: str, m: dict[str, Any], after: list[dict[str, Any]]) -> bool:
    """"Azerbaijan's Kalbajar district": the next mention, right after "'s", is a place."""
    if not re.match(r"['\u2019]s\s", text[m["end"]:m["end"] + 3]) or not after:
        return False
    nxt = after[0]
    return nxt["start"] - m["end"] <= 20 and (nxt["entity"] or "").startswith("place/")


def resolve_readings(text: str, mentions: list[dict[str, Any]], lexicon: Lexicon) -> None:
    """Switch each linked mention, in place, to the reading its context asks for."""
    adjectives: dict[str, set[str]] = {n.entity: set() for n in lexicon.names}
    for n in lexicon.names:
        if n.kind == "adjective":
            adjectives[n.entity].add(n.text.lower())
    for i, m in enumerate(mentions):
        entity = m["entity"]
        before, after = text[max(0, m["start"] - 60):m["start"]], text[m["end"]:m["end"] + 40]
        if entity in lexicon.territory:
            adjective = m["text"].lower() in adjectives.get(entity, set())
            town = i > 0 and (mentions[i - 1]["entity"] or "").startswith("place/") and \
                re.fullmatch(r",\s+", text[mentions[i - 1]["end"]:m["start"]]) is not None
            if (adjective and _LAND_AFTER.match(after)) or (not adjective and (
                    _PLACE_BEFORE.search(before) or town
                    or _possessive_place(text, m, mentions[i + 1:]))):
                m["entity"] = lexicon.territory[entity]
        elif entity in lexicon.capital_of:
            joined = re.match(r"\s+and\s+", text[m["end"]:m["end"] + 8])
            partner = mentions[i + 1] if joined and i + 1 < len(mentions) and \
                mentions[i + 1]["start"] == m["end"] + joined.end() else None
            if _ACTS_AFTER.match(after) or _ACTS_BEFORE.search(before) or (
                    partner and partner["entity"] in lexicon.capital_of
                    and _ACTS_AFTER.match(text[partner["end"]:partner["end"] + 40])):
                m["entity"] = lexicon.capital_of[entity]
