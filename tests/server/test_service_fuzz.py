"""Differential fuzz of the SERVICE policy: written every way an attacker would write it, a
SERVICE clause to an endpoint not on the allowlist never reaches it through our endpoint, while
the bare engine, given the same text, does call it (so the generator makes real attacks)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.server.test_sparql_federation import Canary


@pytest.fixture(scope="module")
def canaries() -> Iterator[tuple[Canary, Canary]]:
    """One canary for our endpoint (must never be hit) and one for the bare engine."""
    ours, bare = Canary(), Canary()
    yield ours, bare
    ours.close()
    bare.close()


def _escape(char: str) -> str:
    return f"\\u{ord(char):04X}" if char.isupper() else f"\\u{ord(char):04x}"


@st.composite
def spelled(draw: st.DrawFn, word: str) -> str:
    """A keyword in any case, some letters as codepoint escapes."""
    out = []
    for char in word:
        char = draw(st.sampled_from([char.upper(), char.lower()]))
        out.append(_escape(char) if draw(st.integers(0, 11)) == 0 else char)
    return "".join(out)


GAPS = st.sampled_from(["", " ", "\n", "\t", " # SERVICE <x:y>\n", "#}\n", "\r\n  "])


def _endpoint(kind: str, url: str) -> tuple[str, str]:
    """(prologue, endpoint) naming ``url``sparql in the way ``kind`` says."""
    if kind == "iri":
        return "", f"<{url}sparql>"
    if kind == "pname":
        return f"PREFIX c: <{url}> ", "c:sparql"
    if kind == "default":
        return f"PREFIX : <{url}> ", ":sparql"
    if kind == "relative":
        return f"BASE <{url}x/> ", "<../sparql>"
    return "", "<" + "".join(_escape(c) if c in "/:" else c for c in url + "sparql") + ">"


@st.composite
def service_query(draw: st.DrawFn) -> str:
    """A query with a SERVICE clause to ``{url}sparql`` hidden in one of many ways, as a
    template: ``.replace("URL", url)`` names the endpoint (written as ``kind`` says)."""
    endpoint_kind = draw(st.sampled_from(["iri", "pname", "default", "relative", "escaped"]))
    prologue, endpoint = f"<<PROLOGUE:{endpoint_kind}>>", "<<ENDPOINT>>"
    keyword = draw(spelled("SERVICE"))
    silent = draw(spelled("SILENT")) + draw(GAPS) if draw(st.booleans()) else ""
    clause = (keyword + draw(GAPS) + silent + endpoint + draw(GAPS) +
              draw(st.sampled_from(["{ ?s ?p ?o }", "{}", "{?s ?p ?o}", "{ BIND(1 AS ?z) }"])))
    wrapper = draw(st.sampled_from([
        "{0}", "OPTIONAL {{ {0} }}", "{{ SELECT * WHERE {{ {0} }} }}", "FILTER EXISTS {{ {0} }}",
        "{{ ?a ?b ?c }} UNION {{ {0} }}", "?a ?b ?c MINUS {{ {0} }}", "GRAPH ?g {{ {0} }}",
        "BIND(1 AS ?x) FILTER(?x <'>') {0} FILTER('x' = \"'\")",
        "{{ SELECT * WHERE {{ OPTIONAL {{ {0} }} }} LIMIT 1 }}",
    ]))
    form = draw(st.sampled_from(["SELECT * WHERE {{ {0} }}", "ASK {{ {0} }}",
                                 "CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {0} }}",
                                 "select*{{{0}}}"]))
    return prologue + form.format(wrapper.format(clause))


def build(template: str, url: str) -> str:
    """The query of a template from ``service_query``, calling ``url``."""
    head, _, rest = template.partition(">>")
    kind = head.removeprefix("<<PROLOGUE:")
    prologue, endpoint = _endpoint(kind, url)
    return prologue + rest.replace("<<ENDPOINT>>", endpoint)


def _bare_engine_calls(query: str) -> bool | None:
    """Whether pyoxigraph, given the text, fetches the URL (None if it cannot parse it)."""
    try:
        result = ox.Store().query(query)
        if isinstance(result, ox.QuerySolutions | ox.QueryTriples):
            list(result)
    except SyntaxError:
        return None
    except (OSError, RuntimeError, ValueError):
        pass  # the canary's answer is not SPARQL results: it was called all the same
    return True


def test_service_to_a_canary_is_never_called_through_our_endpoint(make_app, canaries):
    ours, bare = canaries
    # In process (WORKERS=0): only the policy stands between the query and the engine here.
    client = make_app(WORKERS=0).test_client()
    seen: Counter[str] = Counter()

    @settings(max_examples=250, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow])
    @given(data=st.data())
    def attack(data: st.DataObject) -> None:
        template = data.draw(service_query())
        query = build(template, ours.url)
        before = len(bare.hits)
        if _bare_engine_calls(build(template, bare.url)) is None:
            seen["engine cannot parse"] += 1
        elif len(bare.hits) > before:
            seen["engine calls it"] += 1
        r = client.get("/sparql", query_string={"query": query})
        assert r.status_code in (200, 400, 403), (query, r.status_code, r.data)
        if r.status_code == 200:
            seen["answered without it"] += 1
        assert ours.hits == [], query

    attack()
    # The generator must make real attacks: the bare engine calls the canary for many of them.
    assert seen["engine calls it"] >= 60, seen
