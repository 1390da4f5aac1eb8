"""The one table of settings: name, default, help. Each is overridable by its ``KG_*`` variable."""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class SettingError(ValueError):
    """A setting has a value of the wrong type or form."""


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    kind: type | None = None  # the value's type, when the default (None) does not tell it

    @property
    def env(self) -> str:
        return f"KG_{self.name}"

    def parse(self, raw: str) -> Any:
        """Convert an environment string to the type of the default."""
        kind = self.kind or type(self.default)
        try:
            if kind is bool:
                lowered = raw.strip().lower()
                if lowered in {"1", "true", "yes", "on"}:
                    return True
                if lowered in {"0", "false", "no", "off"}:
                    return False
                raise ValueError("expected true or false")
            if kind is int:
                return int(raw)
            if kind is float:
                return float(raw)
            if kind in (list, dict):
                value = json.loads(raw)
                if not isinstance(value, kind):
                    raise ValueError(f"expected a JSON {kind.__name__}")
                return value
            return raw
        except ValueError as err:
            raise SettingError(f"{self.env}={raw!r}: {err}") from None


WIKIDATA_SPARQL = "https://query.wikidata.org/sparql"

SETTINGS: tuple[Setting, ...] = (
    Setting("BASE_IRI", "https://w3id.org/karabakh-kg/", "Base of every IRI the build mints."),
    Setting("SEEDS_DIR", "seeds", "Folder holding entities.yaml and articles/."),
    Setting("ONTOLOGY_DIR", "ontology", "Folder holding the ontology, its imports and the shapes."),
    Setting("BUILD_DIR", "build", "Where `kg build` writes kg.nq, manifest.json and the report."),
    Setting("BUILD_CACHE_DIR", "", "Where `kg build` keeps what it mapped per article, to map "
            "only changed articles next time (empty: .kg-cache beside BUILD_DIR)."),
    Setting("QUERIES_DIR", "queries", "Folder of example queries and *-violation.rq checks."),
    Setting("MAX_ARTICLE_BYTES", 1_000_000, "Largest article file `kg ingest` accepts, in bytes."),
    Setting("DATA", "", "RDF file the server loads instead of the build (any RDF syntax)."),
    Setting("UNION_DEFAULT_GRAPH", None, "Default graph of queries is the union of all graphs "
            "(unset: on for the build, off for DATA).", kind=bool),
    Setting("STORE", "", "SPARQL 1.1 endpoint queries run on instead of the embedded store, e.g. "
            "http://127.0.0.1:7878 (Oxigraph server; loaded by `kg load --store`); empty: the "
            "embedded pyoxigraph store. The server never writes to it."),
    Setting("STORE_QUERY_PATH", "/query", "Path of STORE's SPARQL query service."),
    Setting("STORE_DATA_PATH", "/store", "Path of STORE's Graph Store Protocol service (used by "
            "`kg load` only)."),
    Setting("WRITABLE", False, "Accept SPARQL Update at /sparql: only for scratch copies such as "
            "test-suite runs; the built dataset is never written."),
    Setting("HOST", "127.0.0.1", "Interface `kg serve` listens on."),
    Setting("PORT", 8000, "Port `kg serve` listens on."),
    Setting("WORKERS", 2, "Query worker processes; a query past QUERY_TIMEOUT is killed with its "
            "worker, which is replaced (0: run queries in the web process, without time limit)."),
    Setting("THREADS", 8, "HTTP threads of the WSGI server."),
    Setting("CONNECTION_LIMIT", 1000, "Most open HTTP connections; past it new ones wait in the "
            "listen backlog until idle ones are dropped."),
    Setting("IDLE_TIMEOUT", 10, "Seconds an HTTP connection may stay idle, take to send a whole "
            "request, or leave its answer unread, before it is dropped."),
    Setting("MAX_QUERY_BYTES", 100_000, "Largest accepted query or request body, in bytes (413)."),
    Setting(
        "MAX_ROWS", 10_000, "Most result rows or triples a query may return; a larger result "
        "is refused (HTTP 400 naming MAX_ROWS), never silently cut."
    ),
    Setting("QUERY_TIMEOUT", 10.0, "Seconds a query may take (waiting for a worker included) "
            "before it is stopped with HTTP 503."),
    Setting("QUERY_MEMORY", 1024, "MiB of memory one query may use in its worker above the "
            "loaded data; a query past it is stopped with HTTP 503, its worker replaced "
            "(0: no limit)."),
    Setting("WORKER_MEMORY", 128, "MiB of memory the query workers may hold of their own, all "
            "together (pages of the shared store their queries copied, what they left "
            "allocated); past it, the one holding most is replaced by a fresh fork once idle "
            "(0: never)."),
    Setting("MAX_RESPONSE_BYTES", 20_000_000, "Largest query result, in bytes once serialised; a "
            "larger one is refused (HTTP 400 naming MAX_RESPONSE_BYTES), never cut."),
    Setting("RESULT_CACHE_BYTES", 64_000_000, "Bytes of query answers kept to answer the same "
            "query again without evaluating it (exact: the served data never changes); 0 keeps "
            "none. Not used when WRITABLE."),
    Setting("SERVICE_ALLOWLIST", [WIKIDATA_SPARQL], "JSON list of endpoints SERVICE may call; "
            "any other is refused with HTTP 403 (SERVICE SILENT: skipped)."),
    Setting("SERVICE_MAP", {}, "JSON object mapping a SERVICE endpoint IRI to the URL to call."),
    Setting("SERVICE_TIMEOUT", 10.0, "Seconds one remote SERVICE call may take."),
    Setting("CACHE_MAX_AGE", 300, "Seconds browsers and caches may reuse a page or query answer "
            "without asking again (Cache-Control max-age); they revalidate by ETag after."),
    Setting("WIKIDATA_ENDPOINT", WIKIDATA_SPARQL, "Wikidata SPARQL endpoint for reconcile/fetch."),
)

BY_NAME: dict[str, Setting] = {s.name: s for s in SETTINGS}
# Settings that must be a whole number of at least 1 (0 is allowed where the help says so).
POSITIVE = ("MAX_ARTICLE_BYTES",
            "PORT", "THREADS", "CONNECTION_LIMIT", "IDLE_TIMEOUT", "MAX_QUERY_BYTES", "MAX_ROWS",
            "MAX_RESPONSE_BYTES", "QUERY_TIMEOUT", "SERVICE_TIMEOUT")
NOT_NEGATIVE = ("WORKERS", "QUERY_MEMORY", "WORKER_MEMORY", "CACHE_MAX_AGE", "RESULT_CACHE_BYTES")


def load(environ: Mapping[str, str] | None = None, **overrides: Any) -> dict[str, Any]:
    """Defaults, then ``KG_*`` environment variables, then explicit overrides."""
    environ = os.environ if environ is None else environ
    values = {s.name: s.default for s in SETTINGS}
    for setting in SETTINGS:
        if setting.env in environ:
            values[setting.name] = setting.parse(environ[setting.env])
    for name, value in overrides.items():
        if name not in BY_NAME:
            raise SettingError(f"unknown setting {name!r}")
        if value is not None:
            values[name] = value
    return values


def check(values: dict[str, Any]) -> dict[str, Any]:
    """Validate loaded settings (SettingError naming the setting) and resolve derived ones."""
    from pyoxigraph import NamedNode

    from graph.iris import Minter, MintError

    for name in POSITIVE:
        if values[name] <= 0:
            raise SettingError(f"KG_{name}={values[name]!r}: must be more than 0")
    for name in NOT_NEGATIVE:
        if values[name] < 0:
            raise SettingError(f"KG_{name}={values[name]!r}: must be 0 or more")
    try:
        NamedNode(values["BASE_IRI"])
        Minter(values["BASE_IRI"])
    except (MintError, ValueError) as err:
        raise SettingError(f"KG_BASE_IRI={values['BASE_IRI']!r} is not a base IRI: {err}") from None
    if values["STORE"]:
        _check_store(values)
    if values["UNION_DEFAULT_GRAPH"] is None:  # the build is a dataset of claim graphs
        values["UNION_DEFAULT_GRAPH"] = not values["DATA"]
    if values["WRITABLE"] and not values["DATA"]:
        raise SettingError("KG_WRITABLE needs KG_DATA (or --data FILE), a scratch copy: the "
                           "build is only ever served read-only, never modified")
    if values["WRITABLE"]:
        values["WORKERS"] = 0  # queries must see the updates: one store, in process
    return values


def _check_store(values: dict[str, Any]) -> None:
    """A remote store: an http(s) URL, read only, its default graph the union of its graphs."""
    from urllib.parse import urlsplit

    url = urlsplit(values["STORE"])
    if url.scheme not in ("http", "https") or not url.netloc or url.query or url.fragment:
        raise SettingError(f"KG_STORE={values['STORE']!r}: expected an http(s) URL such as "
                           "http://127.0.0.1:7878")
    for name in ("STORE_QUERY_PATH", "STORE_DATA_PATH"):
        if not values[name].startswith("/"):
            raise SettingError(f"KG_{name}={values[name]!r}: expected a path starting with /")
    if values["WRITABLE"]:
        raise SettingError("KG_WRITABLE cannot be used with KG_STORE: the server never writes "
                           "to the store, which holds an immutable build")
    if values["UNION_DEFAULT_GRAPH"] is False:
        raise SettingError("KG_UNION_DEFAULT_GRAPH=false cannot be used with KG_STORE: the "
                           "store's own configuration makes its default graph the union")
    values["UNION_DEFAULT_GRAPH"] = True
    values["WORKERS"] = 0  # queries run in the store, stopped by the HTTP timeout


def load_checked(environ: Mapping[str, str] | None = None, **overrides: Any) -> dict[str, Any]:
    """``load`` and ``check``: the settings a command or the server runs with."""
    return check(load(environ, **overrides))
