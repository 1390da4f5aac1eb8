"""SERVICE calls: allowlisted endpoints only, called by us through the endpoint map.

``server.service_plan`` finds and checks the calls on a real parse (in the query worker). The web
process makes the HTTP calls (``fetch``: query workers have no network), bounded in time and
bytes; the worker then reads each answer as SPARQL results (pyoxigraph's parser validates every
term) and puts its solutions in place of the SERVICE clause as an inline ``VALUES`` block written
by pyoxigraph's own term serialiser (``rewrite``), which is the federation semantics: the block is
evaluated on its own, then joined. SERVICE SILENT turns a failed or refused call into ``{}``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyoxigraph as ox

from server.errors import HttpError
from server.service_plan import Plan, check_rewritten

USER_AGENT = "karabakh-kg/0.1 (SPARQL federation; https://w3id.org/karabakh-kg/)"
RESULTS_JSON = "application/sparql-results+json"


class ServiceFailed(HttpError):
    """A non-silent SERVICE call failed (HTTP 502)."""

    status = 502


@dataclass(frozen=True)
class Request:
    """One remote call to make: the endpoint as named in the query, and the query to send."""

    endpoint: str
    query: str


@dataclass(frozen=True)
class Reply:
    """A remote call's outcome: the SPARQL JSON body, or a one-line reason it failed."""

    body: bytes = b""
    failure: str = ""


Fetcher = Callable[[list[Request]], list[Reply]]


def requests_of(plan: Plan) -> list[Request]:
    """The remote calls a plan needs (allowed calls only; skipped ones are never made)."""
    return [Request(c.endpoint, c.remote_query) for c in plan.calls if c.allowed]


def fetch(calls: list[Request], endpoint_map: dict[str, str], timeout: float,
          max_bytes: int) -> list[Reply]:
    """Make each call (POST, SPARQL JSON) within ``timeout`` seconds and ``max_bytes`` bytes."""
    return [_fetch_one(c, endpoint_map.get(c.endpoint, c.endpoint), timeout, max_bytes)
            for c in calls]


def _reason(err: Exception) -> str:
    """What a failed call is called in a message (not the exception's class name)."""
    import requests.exceptions as rex

    if isinstance(err, rex.InvalidURL | rex.InvalidSchema | rex.MissingSchema):
        return "not a valid URL"
    if isinstance(err, rex.ChunkedEncodingError):
        return "the answer broke off"
    if isinstance(err, rex.ContentDecodingError):
        return "the answer could not be decoded"
    if isinstance(err, rex.TooManyRedirects):
        return "too many redirects"
    return "no answer"


MAX_REASON = 200  # characters of a remote or parser message kept in a one-line reason


def one_line(text: str) -> str:
    """A reason as one short line: its first line, at most MAX_REASON characters."""
    first = text.strip().splitlines()[0] if text.strip() else "no reason given"
    return first if len(first) <= MAX_REASON else first[:MAX_REASON - 1] + "…"


def _fetch_one(call: Request, url: str, timeout: float, max_bytes: int) -> Reply:
    import requests

    if not url.lower().startswith(("http://", "https://")):
        return Reply(failure=f"{url!r} is not an http(s) URL (SERVICE_MAP)")
    try:
        with requests.post(url, data={"query": call.query}, timeout=timeout, stream=True,
                           allow_redirects=False,
                           headers={"Accept": RESULTS_JSON, "User-Agent": USER_AGENT}) as r:
            if r.status_code != 200:
                return Reply(failure=f"HTTP {r.status_code} from {url}")
            body = bytearray()
            for chunk in r.iter_content(65536):
                body += chunk
                if len(body) > max_bytes:
                    return Reply(failure=f"the answer from {url} is larger than {max_bytes} "
                                         "bytes (MAX_RESPONSE_BYTES)")
            return Reply(bytes(body))
    except requests.Timeout:
        return Reply(failure=f"{url} timed out after {timeout:g} s (SERVICE_TIMEOUT)")
    except requests.ConnectionError:
        return Reply(failure=f"cannot connect to {url}")
    except requests.RequestException as err:
        return Reply(failure=f"the call to {url} failed: {_reason(err)}")


def values_group(body: bytes) -> str:
    """A group holding SPARQL JSON solutions as an inline VALUES block (ValueError if invalid)."""
    try:  # pyoxigraph parses lazily: terms are read (and validated) while iterating
        results = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        if isinstance(results, ox.QueryBoolean):
            raise ValueError("the answer is a boolean, not solutions")
        variables = list(results.variables)
        rows = [[_term(row[v]) for v in variables] for row in results]
    except SyntaxError as err:
        raise ValueError(f"the answer is not SPARQL JSON results: {err}") from None
    if not variables:
        return "{}" if rows else "{ FILTER(false) }"
    head = " ".join(str(v) for v in variables)
    body_text = " ".join("(" + " ".join(rows[i]) + ")" for i in range(len(rows)))
    return f"{{ VALUES ({head}) {{ {body_text} }} }}"


def _term(term: object) -> str:
    """A term as pyoxigraph writes it (N-Triples syntax, which SPARQL reads the same)."""
    if term is None:
        return "UNDEF"
    if isinstance(term, ox.BlankNode):
        # VALUES cannot hold blank nodes: keep them distinct, as skolem IRIs of this call.
        return str(ox.NamedNode(f"urn:x-kg-service-bnode:{term.value}"))
    if isinstance(term, ox.NamedNode | ox.Literal):
        return str(term)
    raise ValueError(f"unsupported term in a SERVICE answer: {type(term).__name__}")


def rewrite(plan: Plan, fetcher: Fetcher) -> str:
    """The query with each SERVICE clause replaced by its remote solutions (``{}`` if silent)."""
    if not plan.calls:
        return plan.text
    replies = iter(fetcher(requests_of(plan)))
    parts, last = [], 0
    for c in plan.calls:
        replacement = "{}"
        if c.allowed:
            reply = next(replies)
            try:
                if reply.failure:
                    raise ValueError(reply.failure)
                replacement = values_group(reply.body)
            except ValueError as err:
                if not c.silent:
                    raise ServiceFailed(f"SERVICE <{c.endpoint}> failed: {one_line(str(err))}"
                                        ) from None
                replacement = "{}"
        parts += [plan.text[last:c.start], replacement, " "]
        last = c.end
    parts.append(plan.text[last:])
    rewritten = "".join(parts)
    check_rewritten(rewritten)
    return rewritten
