"""A SPARQL tokenizer: enough of the grammar's terminals to find keywords, IRIs and groups.

Strings, comments and IRIs are single tokens. Used for what is not a security decision: the
column order of ``SELECT *``, whether a query names its own dataset, and where an update's
WHERE clauses are (to add the protocol's USING clauses). SERVICE and LOAD are found on a real
parse (``server.service_plan``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_PN_CHARS_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS_U = _PN_CHARS_BASE + "_"
_PN_CHARS = _PN_CHARS_U + "\\-0-9\u00b7\u0300-\u036f\u203f-\u2040"
_PN_PREFIX = f"[{_PN_CHARS_BASE}](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_PN_LOCAL = (f"(?:[{_PN_CHARS_U}:0-9]|{_PLX})"
             f"(?:(?:[{_PN_CHARS}.:]|{_PLX})*(?:[{_PN_CHARS}:]|{_PLX}))?")

_TOKENS = [
    ("WS", r"\s+"),
    ("COMMENT", r"#[^\r\n]*"),
    ("STRING", r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
               r'|"(?:[^"\\\r\n]|\\.)*"' r"|'(?:[^'\\\r\n]|\\.)*'"),
    ("IRI", r"<(?:[^<>\"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>"),
    ("VAR", f"[?$][{_PN_CHARS_U}0-9][{_PN_CHARS_U}0-9\u00b7\u0300-\u036f\u203f-\u2040]*"),
    ("PNAME", f"(?:{_PN_PREFIX})?:(?:{_PN_LOCAL})?"),
    ("BNODE", f"_:[{_PN_CHARS_U}0-9](?:[{_PN_CHARS}.]*[{_PN_CHARS}])?"),
    ("LANGTAG", r"@[A-Za-z]+(?:-[A-Za-z0-9]+)*"),
    ("NAME", r"[A-Za-z_][A-Za-z0-9_]*"),
    ("NUMBER", r"[0-9]*\.?[0-9]+(?:[eE][+-]?[0-9]+)?"),
    ("PUNCT", r"\^\^|<=|>=|!=|&&|\|\||[^\s]"),
]
_MASTER = re.compile("|".join(f"(?P<{name}>{pattern})" for name, pattern in _TOKENS), re.DOTALL)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    end: int

    def is_keyword(self, word: str) -> bool:
        return self.kind == "NAME" and self.text.upper() == word


def tokenize(query: str) -> list[Token]:
    """Split a query into tokens, dropping whitespace and comments."""
    tokens = []
    for match in _MASTER.finditer(query):
        kind = match.lastgroup or "PUNCT"
        if kind not in ("WS", "COMMENT"):
            tokens.append(Token(kind, match.group(), match.start(), match.end()))
    return tokens


def group_end(tokens: list[Token], i: int) -> int | None:
    """Index just past the ``{ ... }`` group opening at ``tokens[i]``, or None if unbalanced."""
    if i >= len(tokens) or tokens[i].text != "{":
        return None
    depth = 0
    for j in range(i, len(tokens)):
        if tokens[j].kind == "PUNCT":
            depth += {"{": 1, "}": -1}.get(tokens[j].text, 0)
            if depth == 0:
                return j + 1
    return None


@dataclass(frozen=True)
class Shape:
    """What the endpoint needs to know of a query's text, read once when the request arrives:
    the column order of a top-level ``SELECT *`` (None otherwise) and whether the query names
    its own dataset with FROM / FROM NAMED."""

    star_order: tuple[str, ...] | None
    names_dataset: bool


def analyse(query: str) -> Shape:
    """The shape of ``query`` (one pass of the tokenizer)."""
    tokens = tokenize(query)
    return Shape(_star_order(tokens), any(t.is_keyword("FROM") for t in tokens))


def _star_order(tokens: list[Token]) -> tuple[str, ...] | None:
    """For a top-level ``SELECT *``, the variables in order of first appearance; else None."""
    select = next((i for i, t in enumerate(tokens) if t.kind == "NAME" and t.text.upper() in
                   ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE")), None)
    if select is None or not tokens[select].is_keyword("SELECT"):
        return None
    i = select + 1
    while i < len(tokens) and tokens[i].kind == "NAME" and tokens[i].text.upper() in (
            "DISTINCT", "REDUCED"):
        i += 1
    if i >= len(tokens) or tokens[i].text != "*":
        return None
    return tuple(dict.fromkeys(t.text[1:] for t in tokens[i:] if t.kind == "VAR"))
