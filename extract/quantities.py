"""Figures with their hedge ("nearly 2,000", "more than 100,000", "thousands"), as bounds in the
way the seeds state them (ontology/README.md, "Values with bounds")."""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from typing import Any

# Hedge words and the approximation (a kg:Approximation concept) they give.
HEDGES: dict[str, str] = {
    "nearly": "Nearly",
    "almost": "Nearly",
    "just under": "Nearly",
    "close to": "Nearly",
    "about": "About",
    "around": "About",
    "approximately": "About",
    "roughly": "About",
    "some": "About",
    "an estimated": "About",
    "estimated": "About",
    "more than": "MoreThan",
    "over": "MoreThan",
    "upwards of": "MoreThan",
    "at least": "AtLeast",
    "no fewer than": "AtLeast",
    "no less than": "AtLeast",
    "at most": "AtMost",
    "up to": "AtMost",
    "no more than": "AtMost",
    "limited to": "AtMost",
    "a maximum of": "AtMost",
}
# Counting words: the smallest and largest figure each allows.
VAGUE: dict[str, tuple[int, int]] = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "tens of thousands": (20000, 99999),
    "hundreds of thousands": (200000, 999999),
    "millions": (2000000, 9999999),
}
_WORDS = {
    "a dozen": 12,
    "dozen": 12,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "twenty": 20,
    "fifty": 50,
    "a hundred": 100,
    "a thousand": 1000,
}
_SCALE = {"thousand": 1000, "million": 1000000, "billion": 1000000000}

_HEDGE = "|".join(sorted(map(re.escape, HEDGES), key=len, reverse=True))
_VAGUE = "|".join(sorted(map(re.escape, VAGUE), key=len, reverse=True))
_WORD = "|".join(sorted(map(re.escape, _WORDS), key=len, reverse=True))
_NUMBER = (
    rf"(?P<num>\d{{1,3}}(?:,\d{{3}})+|\d+(?:\.\d+)?(?!\d)|(?i:{_WORD}))"
    r"(?:\s+(?P<scale>thousand|million|billion))?"
)
_FIGURE = re.compile(
    # counting words open sentences too ("Thousands of people ..."): any case
    rf"(?i:\b(?P<hedge>{_HEDGE})\s+)?(?:\b(?P<vague>(?i:{_VAGUE}))\b|\b{_NUMBER}(?P<pct>%)?)"
)
_STOP = frozenset({
    "of", "in", "to", "from", "the", "a", "an", "and", "or", "but", "were", "was", "are", "is",
    "had", "have", "has", "by", "for", "on", "at", "with", "as", "that", "which", "who", "since",
    "between", "per", "around", "about", "over", "near", "across", "into", "through", "within",
    "during", "under", "after", "before"})
_TIME = re.compile(r"^(?:years?|months?|weeks?|days?|hours?|minutes?|seconds?|decades?)\b",
                   re.I)
_UNIT_WORD = re.compile(r"[A-Za-z][A-Za-z'\u2019-]*")


def _unit(text: str, end: int) -> str | None:
    """The noun words right after a figure ("Russian peacekeeping soldiers"), or None."""
    words: list[str] = []
    pos = end
    while len(words) < 3:
        m = re.compile(r"[ \u00a0]*").match(text, pos)
        pos = m.end() if m else pos
        w = _UNIT_WORD.match(text, pos)
        if w and not words and w.group(0).lower() == "of":
            pos = w.end()  # "2,000 of them", "thousands of people": the unit follows "of"
            continue
        word = w.group(0).lower() if w else ""
        if not w or word in _STOP or (words and (
                re.fullmatch(r"never|remain|remained|prior|ago|later|earlier", word)
                or (words[-1].endswith("s") and re.search(r"(?:ing|ed)$", word)))):
            break  # a verb or an adverb after the noun ("Armenians living"): the unit has ended
        words.append(w.group(0))
        pos = w.end()
    return " ".join(words) or None


def _bounds(n: float, approximation: str) -> tuple[float | None, float | None]:
    """Bounds of a hedged count, as ontology/README.md's table gives them."""
    if approximation == "Nearly":
        return math.ceil(0.9 * n), n - 1
    if approximation == "About":
        return math.ceil(0.9 * n), math.floor(1.1 * n)
    if approximation == "MoreThan":
        return n + 1, None
    if approximation == "AtLeast":
        return n, None
    if approximation == "AtMost":
        return None, n
    return n, n


def _number(num: str, scale: str | None) -> float:
    value = _WORDS.get(num.lower()) or float(num.replace(",", ""))
    return value * _SCALE.get((scale or "").lower(), 1)


def _int(x: float | None) -> float | int | None:
    return int(x) if x is not None and float(x).is_integer() else x


def find_quantities(text: str, skip: Sequence[tuple[int, int]] = ()) -> list[dict[str, Any]]:
    """Figures of ``text`` outside the ``skip`` spans (dates), with hedge and bounds."""
    out = []
    for m in _FIGURE.finditer(text):
        core = m.start("vague") if m.group("vague") else m.start("num")
        if any(core < e and s < m.end() for s, e in skip):
            continue
        if m.group("num") and re.fullmatch(r"(?:1[89]|20)\d\d", m.group("num")):
            continue  # a bare year is a date, not a figure
        hedge = (m.group("hedge") or "").lower()
        approximation = HEDGES.get(hedge, "Exact")
        item: dict[str, Any]
        if m.group("vague"):
            lo, hi = VAGUE[m.group("vague").lower()]
            item = {"value": None, "min": lo, "max": hi, "approximation": "About"}
        else:
            n = _number(m.group("num"), m.group("scale"))
            if m.group("num").lower() in ("a dozen", "dozen") and approximation == "Exact":
                approximation = "About"
            low, high = _bounds(n, approximation)
            item = {
                "value": _int(n) if approximation == "Exact" else None,
                "min": _int(low),
                "max": _int(high),
                "approximation": approximation,
            }
        unit = "%" if m.group("pct") else _unit(text, m.end())
        if unit and _TIME.match(unit):
            continue  # "five years": a length of time, an xsd:duration in the seeds, not a figure
        if unit is None and m.group("num") and not hedge and not m.group("vague"):
            continue  # a bare number with nothing counted (a page number, a list item)
        out.append({"start": m.start(), "end": m.end(), "text": m.group(0), **item, "unit": unit})
    return out
