"""A SPARQL tokenizer: enough of the grammar's terminals to find keywords, IRIs and groups.

Strings, comments and IRIs are single tokens, so a keyword found here is a keyword the parser
sees. Used to find SERVICE calls and dataset clauses before a query is evaluated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin

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
_LOCAL_ESCAPE = re.compile(r"\\(.)")


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


class Prologue:
    """BASE and PREFIX declarations seen so far, to expand IRIs and prefixed names."""

    def __init__(self) -> None:
        self.base: str | None = None
        self.prefixes: dict[str, str] = {}
        self.spans: list[tuple[int, int]] = []  # text spans of the declarations

    def feed(self, tokens: list[Token], i: int) -> int:
        """If a declaration starts at ``tokens[i]``, record it and return the next index."""
        tok = tokens[i]
        if tok.is_keyword("BASE") and i + 1 < len(tokens) and tokens[i + 1].kind == "IRI":
            self.base = self.expand(tokens[i + 1])
            self.spans.append((tok.start, tokens[i + 1].end))
            return i + 2
        if (tok.is_keyword("PREFIX") and i + 2 < len(tokens) and tokens[i + 1].kind == "PNAME"
                and tokens[i + 1].text.endswith(":") and tokens[i + 2].kind == "IRI"):
            self.prefixes[tokens[i + 1].text[:-1]] = self.expand(tokens[i + 2]) or ""
            self.spans.append((tok.start, tokens[i + 2].end))
            return i + 3
        return i

    def expand(self, tok: Token) -> str | None:
        """The absolute IRI an IRI or prefixed-name token denotes (None if it cannot be known)."""
        if tok.kind == "IRI":
            iri = _unescape(tok.text[1:-1])
            return urljoin(self.base, iri) if self.base else iri
        if tok.kind == "PNAME":
            prefix, _, local = tok.text.partition(":")
            if prefix not in self.prefixes:
                return None
            return self.prefixes[prefix] + _LOCAL_ESCAPE.sub(r"\1", local)
        return None

    def text(self, query: str) -> str:
        return "\n".join(query[a:b] for a, b in self.spans)


def _unescape(text: str) -> str:
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})",
                  lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


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


def star_variable_order(query: str) -> list[str] | None:
    """For a top-level ``SELECT *``, the variables in order of first appearance; else None."""
    tokens = tokenize(query)
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
    return list(dict.fromkeys(t.text[1:] for t in tokens[i:] if t.kind == "VAR"))


def has_dataset_clause(query: str) -> bool:
    """Whether the query names its own dataset with FROM or FROM NAMED."""
    return any(t.is_keyword("FROM") for t in tokenize(query))
