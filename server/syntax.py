"""The parser's syntax errors in words: an undeclared prefix is named where it is used, and the
grammar's list of expected characters (hundreds of Unicode ranges) is left out of the message."""

from __future__ import annotations

import re
from collections.abc import Iterable

from server.lexer import tokenize

# pyoxigraph: "error at 3:12: expected one of ...". Columns count characters or bytes; both only
# serve as a bound here.
_POSITION = re.compile(r"^error at (\d+):(\d+): (.*)$", re.DOTALL)
# An item of an "expected one of" list: a quoted token, a character class ['0' ..= '9' | ...]
# (left out of messages), or a name.
_ITEM = re.compile(r'"(?:[^"\\]|\\.)*"|\[(?:\'(?:[^\'\\]|\\.)*\'|[^\]\'])*\]|[^,\s][^,]*')
MAX_MESSAGE = 300


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _offset(text: str, line: int, col: int) -> int:
    """The character offset of 1-based ``line``:``col`` (past the end if beyond it)."""
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    if line > len(starts):
        return len(text)
    return starts[line - 1] + col - 1


def undeclared_prefix(text: str, predeclared: Iterable[str] = ()) -> tuple[str, int] | None:
    """The first prefixed name whose prefix no PREFIX before it declares, and its offset."""
    declared = set(predeclared)
    tokens = tokenize(text)
    for i, token in enumerate(tokens):
        if token.kind != "PNAME":
            continue
        prefix = token.text.split(":", 1)[0]
        before = tokens[i - 1] if i > 0 else None
        if before is not None and before.text == "<" and before.end == token.start:
            continue  # an IRI left open (<http://x ...): not a prefixed name
        if before is not None and before.is_keyword("PREFIX"):
            declared.add(prefix)
        elif prefix not in declared:
            return prefix, token.start
    return None


def message(text: str, err: SyntaxError, what: str = "query",
            predeclared: Iterable[str] = ()) -> str:
    """One line (or a few) saying what is wrong in ``text`` and where."""
    raw = str(err)
    match = _POSITION.match(raw)
    line, col, detail = (int(match[1]), int(match[2]), match[3]) if match else (0, 0, raw)
    predeclared = sorted(predeclared)
    found = undeclared_prefix(text, predeclared)
    if found is not None and (not match or found[1] < _offset(text, line, col)):
        prefix, offset = found
        at_line, at_col = _line_col(text, offset)
        known = f" (predeclared here: {', '.join(predeclared)})" if predeclared else ""
        return (f"{what} syntax error: undeclared prefix '{prefix}:' at line {at_line}, column "
                f"{at_col}; declare it with PREFIX {prefix}: <...>{known}")
    head, one_of, rest = detail.partition("expected one of ")
    if one_of:
        items = _ITEM.findall(rest)
        kept = [item.strip() for item in items if not item.startswith("[")]
        detail = head + one_of + ", ".join(kept) + (" (or another character)"
                                                     if len(kept) < len(items) else "")
    detail = re.sub(r"\s+", " ", detail).strip()
    if len(detail) > MAX_MESSAGE:
        detail = detail[:MAX_MESSAGE].rsplit(",", 1)[0] + ", …"
    where = f" at line {line}, column {col}" if match else ""
    return f"{what} syntax error{where}: {detail}"
