"""Validate the asserted data with pySHACL and say, for each result, which claim and seed line."""

from __future__ import annotations

from dataclasses import dataclass

import pyshacl
from rdflib import Graph, URIRef
from rdflib.namespace import SH

from graph.mapping import Mapped, Origin
from graph.ontology import Ontology


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str | None
    value: str | None
    shape: str
    message: str
    severity: str
    origins: tuple[Origin, ...]

    def describe(self) -> str:
        where = (
            "; ".join(
                f"{o.path}:{o.line}" + (f" (claim <{o.claim}>)" if o.claim else "")
                for o in self.origins[:3]
            )
            or "(no seed line)"
        )
        if len(self.origins) > 3:
            where += f" and {len(self.origins) - 3} more"
        prop = f" {self.path}" if self.path else ""
        val = f" = {self.value}" if self.value else ""
        return (
            f"{where}: {self.severity} <{self.focus}>{prop}{val}: {self.message} "
            f"[shape {self.shape}]"
        )


@dataclass
class Validation:
    conforms: bool
    report: Graph
    violations: list[Violation]


def validate(mapped: Mapped, ontology: Ontology) -> Validation:
    """Validate the asserted data against the shapes (the ontology alongside, not merged in)."""
    data = mapped.asserted()
    conforms, report, _text = pyshacl.validate(
        data,
        shacl_graph=ontology.shapes,
        ont_graph=ontology.graph,
        inference="none",
        advanced=True,
        allow_warnings=True,
        # ``data`` is a new graph no one else holds: the ontology is mixed into it rather than
        # into a copy (two copies of every triple, ~2 s at 1,000 articles). The shapes have no
        # rules, so advanced mode writes nothing else into it.
        inplace=True,
    )
    violations = []
    for result in report.subjects(SH.resultSeverity, None):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        shape = _shape_name(ontology.shapes, report.value(result, SH.sourceShape))
        message = report.value(result, SH.resultMessage)
        severity = report.value(result, SH.resultSeverity)
        origins = tuple(dict.fromkeys(_origins(mapped, focus, path, value)))
        violations.append(
            Violation(
                focus=str(focus),
                path=_short(path),
                value=_short(value),
                shape=shape,
                message=str(message) if message else "(no message)",
                severity=_short(severity) or "?",
                origins=origins,
            )
        )
    violations.sort(key=lambda v: (v.origins[0].path, v.origins[0].line) if v.origins else ("~", 0))
    return Validation(conforms=bool(conforms), report=report, violations=violations)


def _origins(mapped: Mapped, focus, path, value) -> list[Origin]:
    """Where the offending value was stated, if the result names one; else where focus was."""
    stated = mapped.statements.get((focus, path, value), []) if value is not None else []
    claim = [mapped.claims[focus]] if focus in mapped.claims else []
    return stated or mapped.origins.get(focus, []) or claim


def _shape_name(shapes: Graph, shape) -> str:
    """A property shape is often a blank node: name it by its node shape and path."""
    if isinstance(shape, URIRef):
        return shapes.namespace_manager.normalizeUri(shape)
    parent = shapes.value(None, SH.property, shape)
    path = shapes.value(shape, SH.path)
    parts = [shapes.namespace_manager.normalizeUri(parent) if isinstance(parent, URIRef) else "?"]
    if isinstance(path, URIRef):
        parts.append(shapes.namespace_manager.normalizeUri(path))
    return " / ".join(parts)


def _short(node) -> str | None:
    if node is None:
        return None
    s = str(node)
    for sep in ("#", "/"):
        if sep in s and s.startswith("http"):
            return s.rsplit(sep, 1)[-1] if sep == "#" else s
    return s
