"""A small SPARQL-over-HTTP client for a Wikidata endpoint: one timeout, clear errors."""

from __future__ import annotations

from typing import Any

import requests

from graph.errors import KGError

USER_AGENT = "karabakh-kg/0.1 (Wikidata reconcile/fetch; https://w3id.org/karabakh-kg/)"
Binding = dict[str, dict[str, str]]


class EndpointError(KGError):
    """The endpoint could not answer: down, too slow, an HTTP error or not SPARQL JSON (exit 2)."""

    def __init__(self, endpoint: str, problem: str) -> None:
        self.endpoint = endpoint
        self.problem = problem
        super().__init__(f"Wikidata endpoint {endpoint}: {problem}")


class SparqlClient:
    """Sends SELECT queries to ``endpoint`` and returns SPARQL JSON bindings."""

    def __init__(self, endpoint: str, timeout: float = 10.0) -> None:
        self.endpoint = endpoint
        self.timeout = timeout

    def select(self, query: str) -> list[Binding]:
        """The solutions of a SELECT query; raises EndpointError when the endpoint fails."""
        return self._results(query).get("results", {}).get("bindings", [])

    def ask(self, query: str) -> bool:
        return bool(self._results(query).get("boolean"))

    def _results(self, query: str) -> dict[str, Any]:
        try:
            response = requests.post(
                self.endpoint, data={"query": query}, timeout=self.timeout,
                allow_redirects=False,
                headers={"Accept": "application/sparql-results+json", "User-Agent": USER_AGENT})
        except requests.Timeout:
            raise EndpointError(self.endpoint, f"no answer within {self.timeout:g} s "
                                               "(timed out)") from None
        except requests.ConnectionError as err:
            raise EndpointError(self.endpoint, f"cannot connect ({_reason(err)})") from None
        except requests.RequestException as err:
            raise EndpointError(self.endpoint, f"request failed ({err})") from None
        if response.status_code != 200:
            body = " ".join(response.text.split())[:200]
            raise EndpointError(self.endpoint, f"HTTP {response.status_code}: {body}")
        try:
            doc = response.json()
        except ValueError:
            kind = response.headers.get("Content-Type", "?")
            raise EndpointError(self.endpoint, f"the answer is not SPARQL JSON ({kind})") from None
        if not isinstance(doc, dict) or not ("results" in doc or "boolean" in doc):
            raise EndpointError(self.endpoint, "the answer is not SPARQL JSON results")
        return doc


def _reason(err: Exception) -> str:
    text = str(err)
    for marker in ("Connection refused", "Name or service not known", "timed out"):
        if marker in text:
            return marker.lower()
    return text[:200]


def value(binding: Binding, name: str) -> str | None:
    """The lexical value of ``name`` in one solution, or None when unbound."""
    term = binding.get(name)
    return term["value"] if term else None
