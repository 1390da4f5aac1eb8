"""Matching keys: text folded so that case, diacritics, curly quotes and common transliteration
variants do not matter, one code point in for one code point out where offsets must survive."""

from __future__ import annotations

import re
import unicodedata

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"',
                         "\u201d": '"', "\u00ab": '"', "\u00bb": '"', "\u2013": "-",
                         "\u2014": "-", "\u00a0": " ", "\u202f": " "})


def fold_char(c: str) -> str:
    """One code point, folded: straight quotes and hyphens, no diacritics, lower case."""
    c = c.translate(_QUOTES)
    base = unicodedata.normalize("NFKD", c)
    # The first code point of the decomposition is the letter; the rest are its marks. A
    # ligature (NFKD "fi") keeps its first letter, so the length never changes.
    kept = base[0] if base else c
    lowered = kept.lower()
    return lowered[0] if lowered else kept


def fold(text: str) -> str:
    """``text`` folded code point by code point (same length: offsets stay valid)."""
    return "".join(fold_char(c) for c in text)


# Romanisations of one name differ in a few regular ways: Pashinyan/Pashinian, Hajiyev/Hajiev,
# Aleksey/Alexei, Dmitry/Dmitriy/Dmitri, Zhuravlyov/Zhuravlev. The key erases those differences.
_TRANSLIT = [(re.compile(r"ks"), "x"), (re.compile(r"y"), "i"), (re.compile(r"io"), "e"),
             (re.compile(r"i+"), "i"), (re.compile(r"'s$"), "")]


def name_key(token: str) -> str:
    """A token's matching key: folded, then the usual romanisation variants merged."""
    key = fold(token)
    for pattern, repl in _TRANSLIT:
        key = pattern.sub(repl, key)
    return key
