"""SPARQL 1.1 Update at /sparql, only in writable scratch mode (WRITABLE): never LOAD or SERVICE.

pyoxigraph would fetch a ``LOAD`` IRI and call a ``SERVICE`` endpoint with its own HTTP client,
so an update holding either is refused (403) before it reaches the store; the check is made on
a real parse (``server.service_plan``). The protocol dataset (``using-graph-uri``,
``using-named-graph-uri``) is applied by rewriting each operation with a WHERE clause into the
same operation with USING clauses.
"""

from __future__ import annotations

import re

from graph.namespaces import ENDPOINT_PREFIXES
from server import service_plan, syntax
from server.errors import HttpError
from server.lexer import group_end, tokenize
from server.protocol import ProtocolError, UpdateRequest
from server.store import KGStore

_FORBIDDEN_WORDS = re.compile("load|service", re.IGNORECASE)


def check(update: str) -> None:
    """Refuse (403) an update that could make the server fetch anything: LOAD or SERVICE.

    Decided on a real parse (rdflib's SPARQL Update grammar) of every update whose text spells
    either word; one the checker cannot read is refused (400), never passed on.
    """
    try:
        found = service_plan.update_operations(update, ("Load", "ServiceGraphPattern"),
                                               _FORBIDDEN_WORDS)
    except service_plan.ServiceRefused as err:
        raise ProtocolError(err.status,
                            f"cannot check this update for LOAD and SERVICE: {err}") from None
    if found:
        word = "LOAD" if "Load" in found else "SERVICE"
        raise ProtocolError(403, f"{word} is not allowed: this endpoint never fetches "
                                 "anything, not even in writable mode")


def with_dataset(update: str, using: list[str], using_named: list[str]) -> str:
    """The update with the protocol dataset as USING / USING NAMED on every WHERE clause.

    ``DELETE WHERE { P }`` becomes ``DELETE { P } USING ... WHERE { P }``. An update that
    names its own dataset (WITH, USING) conflicts with the protocol dataset: 400.
    """
    if not using and not using_named:
        return update
    clause = " ".join([f"USING <{g}>" for g in using] +
                      [f"USING NAMED <{g}>" for g in using_named]) + " "
    tokens = tokenize(update)
    inserts: list[tuple[int, str]] = []
    depth = 0
    for i, tok in enumerate(tokens):
        if tok.kind == "PUNCT" and tok.text in "{}":
            depth += 1 if tok.text == "{" else -1
        elif depth == 0 and (tok.is_keyword("WITH") or tok.is_keyword("USING")):
            raise ProtocolError(400, f"the update has its own {tok.text.upper()} clause: do not "
                                     "also give using-graph-uri / using-named-graph-uri")
        elif depth == 0 and tok.is_keyword("WHERE"):
            if i and tokens[i - 1].is_keyword("DELETE"):
                end = group_end(tokens, i + 1)
                if end is None:
                    return update  # not well-formed: the parser reports it
                template = update[tokens[i + 1].start:tokens[end - 1].end]
                inserts.append((tok.start, f"{template} {clause}"))
            else:
                inserts.append((tok.start, clause))
    for at, text in reversed(inserts):
        update = update[:at] + text + update[at:]
    return update


def execute(kg: KGStore, request: UpdateRequest, base_iri: str) -> None:
    """Run the update on the in-memory store; HttpError (400, 403, 500) if it is refused."""
    text = with_dataset(request.update, request.using_graphs, request.using_named_graphs)
    check(text)
    try:
        kg.update(text, base_iri=base_iri, prefixes=dict(ENDPOINT_PREFIXES))
    except SyntaxError as err:
        raise HttpError(syntax.message(text, err, "update", ENDPOINT_PREFIXES), 400) from None
    except RuntimeError as err:  # e.g. CREATE of an existing graph, DROP of a missing one
        raise HttpError(f"update failed, nothing was changed: {err}", 400) from None
    except OSError as err:
        raise HttpError(f"internal error: the store failed: {err}", 500) from None
