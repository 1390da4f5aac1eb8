"""Find a query's SERVICE calls on a real parse (rdflib's SPARQL grammar), never on a lexer.

pyoxigraph 0.5 evaluates SERVICE itself with its own HTTP client (no allowlist, no endpoint map,
no timeout of ours), so no query that reaches it may still hold a SERVICE clause. A query whose
text, after ``\\uXXXX`` unescaping, never spells "service" (in any case) cannot hold one and goes
straight through. Any other query is parsed here; every SERVICE clause the parse finds is checked
against the allowlist; the outermost ones are later replaced by their remote solutions
(``server.federation``) and the rewritten text is parsed again to prove that none is left.
What the engine then runs is exactly that rewritten, re-checked text. A query the checker cannot
parse is refused (400) with the parser's reason, never passed on.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import pyparsing as pp
from pyparsing import CaselessKeyword as Keyword
from rdflib.plugins.sparql import parser as sparql_grammar
from rdflib.plugins.sparql.parserutils import Comp, CompValue, Param, ParamValue
from rdflib.term import Variable

from graph.namespaces import ENDPOINT_PREFIXES
from server.errors import HttpError

_SERVICE_WORD = re.compile("service", re.IGNORECASE)  # also matches U+017F, U+212A folds
_ABSOLUTE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
# pyparsing recurses a few dozen frames per nested group or list element: give it room (this
# runs in a query worker, whose crash costs only that worker).
_RECURSION_LIMIT = 20_000


class ServiceRefused(HttpError):
    """A SERVICE call the policy does not allow (HTTP 403), or cannot verify (HTTP 400)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message, status)


@dataclass(frozen=True)
class ServiceCall:
    """One outermost SERVICE clause: its span in the unescaped text and what to send where."""

    start: int
    end: int
    endpoint: str
    silent: bool
    allowed: bool
    remote_query: str  # the clause's group as a SELECT, with the prologue it needs


@dataclass(frozen=True)
class Plan:
    """The query as the engine will read it (escapes expanded) and its outermost SERVICE calls."""

    text: str
    calls: tuple[ServiceCall, ...] = ()

    @property
    def skipped(self) -> list[str]:
        return [c.endpoint for c in self.calls if not c.allowed]


def unescape(query: str) -> str:
    """Expand SPARQL's codepoint escapes, which apply before parsing (SPARQL 1.1, 19.2)."""
    def expand(match: re.Match[str]) -> str:
        code = int(match.group(1) or match.group(2), 16)
        if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            raise ServiceRefused(400, f"invalid codepoint escape {match.group(0)!r} at offset "
                                      f"{match.start()}")
        return chr(code)

    return _ESCAPE.sub(expand, query)


def mentions_service(query: str, word: re.Pattern[str] = _SERVICE_WORD) -> bool:
    """Whether the query could hold a SERVICE clause: its unescaped text spells "service".

    Escapes are expanded until none is left, so that an escaped escape (``\\u005Cu0053``)
    counts even for a reader that would expand twice.
    """
    text = query
    try:
        for _ in range(len(query)):
            if word.search(text):
                return True
            expanded = unescape(text)
            if expanded == text:
                return False
            text = expanded
    except ServiceRefused:
        pass
    return True  # let plan() report the bad escape


class _ServiceClause(Comp):
    """rdflib's SERVICE clause, recording where it and its group start and where it ends.

    rdflib's own ``Comp.postParse`` searches the whole query again for the clause's text, which
    recurses without end on a nested SERVICE; the text is not needed here, so it is skipped.
    """

    def postParse(self, instring: str, loc: int, tokenList: pp.ParseResults) -> CompValue:  # noqa: N802, N803
        value = CompValue(self.name)
        for tok in tokenList:
            if isinstance(tok, ParamValue):
                value[tok.name] = tok.tokenList
        value["_end"] = loc  # pyparsing passes the end of the match here
        return value


def _mark_start(_text: str, loc: int, tokens: pp.ParseResults) -> None:
    tokens[0]["_start"] = loc  # pyparsing passes the start of the match to parse actions


_grammar = sparql_grammar
_grammar.ServiceGraphPattern.__class__ = _ServiceClause
# An empty marker before the group records where the group starts; the grammar is unchanged.
_grammar.ServiceGraphPattern.expr = (
    Keyword("SERVICE") + _grammar._Silent + Param("term", _grammar.VarOrIri)
    + Param("_group", pp.Empty().set_parse_action(lambda _s, loc, _t: loc))
    + Param("graph", _grammar.GroupGraphPattern))
_grammar.ServiceGraphPattern.add_parse_action(_mark_start)


def _parse(text: str, unit: pp.ParserElement | None = None) -> list[Any]:
    """rdflib's parse tree of a query (or of an update, with ``unit``); ServiceRefused(400)
    naming why it cannot be read."""
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(max(limit, _RECURSION_LIMIT))
    try:
        return list((unit or _grammar.Query).parse_string(text, parse_all=True))
    except pp.ParseBaseException as err:
        raise ServiceRefused(400, "cannot check the SERVICE calls of this query: the checker's "
                                  f"SPARQL parser stops at line {err.lineno}, column {err.col} "
                                  f"({err.msg}); a query that mentions SERVICE must be plain "
                                  "SPARQL 1.1 (keywords separated by spaces)") from None
    except RecursionError:
        raise ServiceRefused(400, "query too long or nested too deeply to check its SERVICE "
                                  "calls; split it into smaller queries") from None
    finally:
        sys.setrecursionlimit(limit)


def _walk(node: Any, name: str, inside: bool = False) -> list[tuple[CompValue, bool]]:
    """Every CompValue called ``name`` under ``node``, with whether it is nested in another."""
    found: list[tuple[CompValue, bool]] = []
    if isinstance(node, CompValue):
        if node.name == name:
            found.append((node, inside))
            inside = True
        for value in node.values():
            found.extend(_walk(value, name, inside))
    elif isinstance(node, list | tuple | pp.ParseResults):
        for value in node:
            found.extend(_walk(value, name, inside))
    return found


class _Prologue:
    """The query's BASE and PREFIX declarations, on top of the predeclared prefixes."""

    def __init__(self, tree: list[Any], base_iri: str | None) -> None:
        self.base = base_iri
        self.declared_base = False
        self.prefixes = dict(ENDPOINT_PREFIXES)
        for decl in tree[0] if tree else ():
            if decl.name == "Base":
                self.base, self.declared_base = self.resolve(str(decl["iri"])), True
            elif decl.name == "PrefixDecl":
                self.prefixes[decl.get("prefix") or ""] = self.resolve(str(decl["iri"]))

    def resolve(self, iri: str) -> str:
        # urljoin would also drop an empty fragment ("...rdf-schema#"): only relative IRIs.
        if _ABSOLUTE.match(iri) or not self.base:
            return iri
        try:
            return urljoin(self.base, iri)
        except ValueError as err:  # a base such as <http://[x/> that is no URL at all
            raise ServiceRefused(400, f"cannot resolve <{iri}> against the base <{self.base}>: "
                                      f"{err}") from None

    def endpoint(self, term: Any) -> str:
        if isinstance(term, CompValue) and term.name == "pname":
            prefix = term.get("prefix") or ""
            if prefix not in self.prefixes:
                raise ServiceRefused(400, f"SERVICE {prefix}:{term.get('localname') or ''}: "
                                          f"undeclared prefix {prefix!r}")
            return self.prefixes[prefix] + (term.get("localname") or "")
        if isinstance(term, Variable):
            raise ServiceRefused(403, f"SERVICE ?{term}: a variable endpoint cannot be "
                                      "checked against SERVICE_ALLOWLIST; name the endpoint")
        return self.resolve(str(term))

    def text(self) -> str:
        lines = [f"BASE <{self.base}>"] if self.declared_base else []
        lines += [f"PREFIX {p}: <{ns}>" for p, ns in self.prefixes.items()]
        return "\n".join(lines)


def plan(query: str, allowlist: list[str], base_iri: str | None = None) -> Plan:
    """The query's SERVICE calls, each checked against ``allowlist`` before anything runs.

    Raises ServiceRefused: 403 for an endpoint not allowed (unless SILENT, which is skipped) or a
    variable endpoint; 400 for a query the checker cannot read.
    """
    text = unescape(query)
    if not mentions_service(query):
        return Plan(text)
    if _ESCAPE.search(text):  # an escape that spells an escape: read once here, twice by others
        raise ServiceRefused(400, "an escaped codepoint escape (\\u005C...) in a query that "
                                  "mentions SERVICE cannot be checked; write the character")
    tree = _parse(text)
    prologue = _Prologue(tree, base_iri)
    calls = []
    for clause, nested in _walk(tree, "ServiceGraphPattern"):
        endpoint = prologue.endpoint(clause["term"])
        allowed = endpoint in allowlist
        silent = "silent" in clause
        if not allowed and not silent:
            raise ServiceRefused(403, f"SERVICE <{endpoint}> is not allowed: this endpoint only "
                                      f"calls {', '.join(allowlist) or 'no endpoints'} "
                                      "(SERVICE_ALLOWLIST)")
        if not nested:
            start, group, end = clause["_start"], clause["_group"], clause["_end"]
            remote = f"{prologue.text()}\nSELECT * WHERE {text[group:end]}"
            calls.append(ServiceCall(start, end, endpoint, silent, allowed, remote))
    return Plan(text, tuple(sorted(calls, key=lambda c: c.start)))


def update_operations(update: str, names: tuple[str, ...], word: re.Pattern[str]) -> list[str]:
    """Which of ``names`` (rdflib parse-tree names such as "Load") the update holds, on a real
    parse, when its unescaped text matches ``word``; ServiceRefused(400) if it cannot be read."""
    if not mentions_service(update, word):
        return []
    text = unescape(update)
    if _ESCAPE.search(text):
        raise ServiceRefused(400, "an escaped codepoint escape (\\u005C...) cannot be checked; "
                                  "write the character")
    tree = _parse(text, _grammar.UpdateUnit)
    return [name for name in names if _walk(tree, name)]


def check_rewritten(text: str) -> None:
    """Prove that a rewritten query holds no SERVICE clause (ServiceRefused 400 otherwise)."""
    if not _SERVICE_WORD.search(text):
        return
    if _walk(_parse(text), "ServiceGraphPattern"):
        raise ServiceRefused(400, "a SERVICE clause is left in the query after rewriting")
