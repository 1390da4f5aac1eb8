"""SERVICE policy: only allowlisted endpoints, called through the endpoint map, by us.

pyoxigraph 0.5 evaluates SERVICE itself with its own HTTP client (no allowlist, no timeout
setting, no endpoint map), so no query that reaches it may still contain SERVICE. ``plan`` finds
every SERVICE call before evaluation and refuses variable or non-allowlisted endpoints (403);
``materialize`` (run in a worker) calls each allowed endpoint with requests and replaces the
SERVICE block by an inline ``VALUES`` block of its solutions, which is the federation semantics
(the block is evaluated on its own, then joined). SERVICE SILENT turns a failed or refused call
into one empty solution, ``{}``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from server.lexer import Prologue, Token, group_end, tokenize

_SERVICE_WORD = re.compile(r"service", re.IGNORECASE)
USER_AGENT = "karabakh-kg/0.1 (SPARQL federation; https://w3id.org/karabakh-kg/)"


class ServiceRefused(Exception):
    """A SERVICE call the policy does not allow (HTTP 403), or cannot verify (HTTP 400)."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


class ServiceFailed(Exception):
    """A non-silent SERVICE call failed (HTTP 502)."""


@dataclass(frozen=True)
class ServiceCall:
    """One outermost SERVICE block: its text span, endpoint, SILENT flag and inner group."""

    start: int
    end: int
    endpoint: str
    silent: bool
    allowed: bool
    group: str


@dataclass(frozen=True)
class Plan:
    """The query's SERVICE calls and the prologue to send along with each."""

    query: str
    calls: tuple[ServiceCall, ...]
    prologue: str

    @property
    def skipped(self) -> list[str]:
        return [c.endpoint for c in self.calls if not c.allowed]


def _split_keyword_pnames(tokens: list[Token]) -> list[Token]:
    """``SERVICE:x`` is the keyword SERVICE and the name ``:x`` to the parser; split it so."""
    out: list[Token] = []
    for tok in tokens:
        prefix, colon, _ = tok.text.partition(":")
        if tok.kind == "PNAME" and colon and prefix.upper() in ("SERVICE", "SILENT"):
            cut = tok.start + len(prefix)
            out.append(Token("NAME", prefix, tok.start, cut))
            out.append(Token("PNAME", tok.text[len(prefix):], cut, tok.end))
        else:
            out.append(tok)
    return out


def _rdflib_service_count(query: str) -> int | None:
    """Number of SERVICE patterns rdflib's parser finds, or None if it cannot parse the query."""
    try:
        from rdflib.plugins.sparql.parser import parseQuery
        from rdflib.plugins.sparql.parserutils import CompValue

        found = 0

        def walk(node: object) -> None:
            nonlocal found
            if isinstance(node, CompValue):
                found += node.name == "ServiceGraphPattern"
                for value in node.values():
                    walk(value)
            elif isinstance(node, list | tuple):
                for value in node:
                    walk(value)

        walk(list(parseQuery(query)))
        return found
    except Exception:  # noqa: BLE001 - any parser failure means "cannot verify"
        return None


def plan(query: str, allowlist: list[str]) -> Plan:
    """Find the query's SERVICE calls; refuse what the policy forbids before anything runs."""
    if not _SERVICE_WORD.search(query):
        return Plan(query, (), "")
    tokens = _split_keyword_pnames(tokenize(query))
    prologue = Prologue()
    calls: list[ServiceCall] = []
    seen = 0
    i = 0
    while i < len(tokens):
        nxt = prologue.feed(tokens, i)
        if nxt != i:
            i = nxt
            continue
        tok = tokens[i]
        if not tok.is_keyword("SERVICE"):
            i += 1
            continue
        j = i + 1
        silent = j < len(tokens) and tokens[j].is_keyword("SILENT")
        j += silent
        ref = tokens[j] if j < len(tokens) else None
        end = group_end(tokens, j + 1)
        if ref is None or end is None or ref.kind not in ("IRI", "PNAME", "VAR"):
            if tok.text.isalpha() and tok.end < len(query) and query[tok.end] == ":":
                i += 1  # a prefixed name such as service:p, not the keyword
                continue
            raise ServiceRefused(400, f"cannot read the SERVICE clause at offset {tok.start}: "
                                      "expected SERVICE [SILENT] <endpoint> { ... }")
        if ref.kind == "VAR":
            raise ServiceRefused(403, f"SERVICE {ref.text}: a variable endpoint cannot be checked "
                                      f"against SERVICE_ALLOWLIST; name the endpoint")
        endpoint = prologue.expand(ref)
        if endpoint is None:
            raise ServiceRefused(400, f"SERVICE {ref.text}: undeclared prefix")
        seen += 1
        allowed = endpoint in allowlist
        if not allowed and not silent:
            raise ServiceRefused(403, f"SERVICE <{endpoint}> is not allowed: this endpoint only "
                                      f"calls {', '.join(allowlist) or 'no endpoints'} "
                                      "(SERVICE_ALLOWLIST)")
        if not calls or tok.start >= calls[-1].end:  # outermost blocks only
            group = query[tokens[j + 1].start:tokens[end - 1].end]
            calls.append(ServiceCall(tok.start, tokens[end - 1].end, endpoint, silent,
                                     allowed, group))
        i = j + 1
    # '<' may be the less-than operator and hide a quote; let a real parser recount.
    if any(t.kind == "IRI" and "'" in t.text for t in tokens) and \
            _rdflib_service_count(query) != seen:
        raise ServiceRefused(400, "cannot verify the SERVICE endpoints of this query; "
                                  "write comparisons with spaces around '<'")
    return Plan(query, tuple(calls), prologue.text(query))


def _term(value: dict) -> str:
    kind = value.get("type")
    if kind == "uri":
        iri = value["value"]
        if re.search(r'[<>"{}|^`\\\x00-\x20]', iri):
            raise ValueError(f"IRI {iri!r} cannot be written in a query")
        return f"<{iri}>"
    if kind == "bnode":
        # VALUES cannot hold blank nodes: keep them distinct, as skolem IRIs of this call.
        return f"<urn:x-kg-service-bnode:{re.sub(r'[^A-Za-z0-9_.-]', '_', value['value'])}>"
    if kind in ("literal", "typed-literal"):
        text = json.dumps(value["value"], ensure_ascii=False)
        if "xml:lang" in value:
            return f"{text}@{value['xml:lang']}"
        if "datatype" in value:
            return f"{text}^^{_term({'type': 'uri', 'value': value['datatype']})}"
        return text
    raise ValueError(f"unsupported term type {kind!r}")


def values_block(results: dict) -> str:
    """A group holding the SPARQL JSON solutions as an inline VALUES block."""
    variables = results.get("head", {}).get("vars", [])
    rows = results.get("results", {}).get("bindings", [])
    if not variables:
        return "{}" if rows else "{ FILTER(false) }"
    head = " ".join(f"?{v}" for v in variables)
    body = " ".join("(" + " ".join(_term(r[v]) if v in r else "UNDEF" for v in variables) + ")"
                    for r in rows)
    return f"{{ VALUES ({head}) {{ {body} }} }}"


def call(url: str, query: str, timeout: float) -> dict:
    """Send a SELECT to a remote endpoint and return its SPARQL JSON results."""
    import requests

    response = requests.post(url, data={"query": query}, timeout=timeout, allow_redirects=False,
                             headers={"Accept": "application/sparql-results+json",
                                      "User-Agent": USER_AGENT})
    if response.status_code != 200:
        raise ServiceFailed(f"HTTP {response.status_code}: {response.text[:300]}")
    return response.json()


def materialize(plan_: Plan, endpoint_map: dict[str, str], timeout: float) -> str:
    """The query with each SERVICE block replaced by its remote solutions (or ``{}`` if silent)."""
    if not plan_.calls:
        return plan_.query
    parts, last = [], 0
    for c in plan_.calls:
        replacement = "{}"
        if c.allowed:
            url = endpoint_map.get(c.endpoint, c.endpoint)
            remote = f"{plan_.prologue}\nSELECT * WHERE {c.group}"
            try:
                replacement = values_block(call(url, remote, timeout))
            except Exception as err:  # noqa: BLE001 - network, HTTP, JSON or term errors
                if not c.silent:
                    raise ServiceFailed(f"SERVICE <{c.endpoint}> failed: {err}") from None
        parts.append(plan_.query[last:c.start])
        parts.append(replacement)
        last = c.end
    parts.append(plan_.query[last:])
    rewritten = "".join(parts)
    if plan(rewritten, []).calls:
        raise ServiceRefused(400, "SERVICE left in the query after rewriting")
    return rewritten
