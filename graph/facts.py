"""A claim's facts: parse their Turtle, check every term and literal, and say on which line."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD
from rdflib.term import Node

from graph.errors import SeedError
from graph.iris import Minter, skolemize
from graph.namespaces import KG, bind_all, prefix_map
from graph.ontology import Ontology
from graph.seeds import Article, Claim
from graph.seedyaml import date_problem

DATE_PROPERTIES = (
    KG.date,
    KG.startDate,
    KG.endDate,
    KG.dateSigned,
    KG.dateEffective,
    KG.scheduledEnd,
    KG.noticeDeadline,
)
Triple = tuple[Node, Node, Node]


@contextmanager
def _quiet_rdflib() -> Iterator[None]:
    """rdflib logs a traceback for each ill-typed literal; the checks below report it instead."""
    logger = logging.getLogger("rdflib.term")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _local(node: Node) -> str:
    """The part of an IRI a curator writes after the prefix (``azerbaijan`` of state:azerbaijan)."""
    return re.split(r"[/#:]", str(node))[-1]


class Facts:
    """Reads the facts of claims against the ontology and the entity registry."""

    def __init__(self, ontology: Ontology, minter: Minter, entity_iris: set[URIRef]) -> None:
        self.ontology, self.mint, self.entity_iris = ontology, minter, entity_iris
        self.names = bind_all(Graph(), minter.base).namespace_manager
        self.header = "".join(
            f"@prefix {p}: <{ns}> .\n" for p, ns in prefix_map(minter.base).items()
        )
        # act:N is the statement that claim N of the same article quotes or reports: another
        # sentence may say how, where or when it was made (one more header line per article).
        self.header_lines = self.header.count("\n") + 1

    def _act_prefix(self, article: Article) -> str:
        return f"@prefix act: <{self.mint.base}id/speech-act/{article.id}/> .\n"

    def parse(self, article: Article, claim: Claim) -> list[tuple[Triple, int]]:
        """The claim's triples, blank nodes named, each with the facts line that states it."""
        path = str(article.yaml_path)
        g = Graph(bind_namespaces="none")  # rdflib's default prefixes: a cost per claim, unused
        try:
            with _quiet_rdflib():
                g.parse(data=self.header + self._act_prefix(article) + claim.facts,
                        format="turtle")
        except Exception as err:  # rdflib's Turtle parser raises assorted types
            msg = str(err)
            m = re.search(r"line (\d+)", msg)
            line = claim.facts_line + int(m.group(1)) - 1 - self.header_lines if m else claim.line
            msg = re.sub(r"\s+", " ", msg.split("\n")[-1] if "\n" in msg else msg).strip()
            raise SeedError(path, line, f"claim {claim.n}: Turtle error in facts: {msg}") from None
        if len(g) == 0:
            raise SeedError(path, claim.facts_line, f"claim {claim.n}: facts state no triple")
        triples = list(g)
        for s, p, o in triples:
            self._check_term(p, path, claim, predicate=True)
            for node in (s, o):
                if isinstance(node, URIRef):
                    self._check_term(node, path, claim, predicate=p == RDF.type and node is o,
                                     article=article)
            if isinstance(o, Literal):
                self._check_literal(p, o, path, claim)
        lines = [self.line_of(claim, p, o) for _s, p, o in triples]
        named = skolemize(triples, lambda d: self.mint.value(article.id, claim.n, d))
        return list(zip(named, lines, strict=True))

    def _check_literal(self, p: Node, o: Literal, path: str, claim: Claim) -> None:
        line, n = self.line_of(claim, p, o), claim.n
        if o.ill_typed:
            why = date_problem(str(o)) if o.datatype == XSD.date else None
            raise SeedError(
                path,
                line,
                f"claim {n}: {o.n3(self.names)} is not a valid {o.datatype}"
                + (f": date {o} does not exist ({why})" if why else ""),
            )
        if self.ontology.is_object_property(p):
            raise SeedError(
                path,
                line,
                f"claim {n}: {self._curie(p)} needs an entity (an IRI "
                f'such as state:azerbaijan), not the literal "{o}"',
            )
        if o.datatype is None and o.language is None and p in DATE_PROPERTIES:
            raise SeedError(
                path,
                line,
                f"claim {n}: date {str(o)!r} needs a datatype "
                "(^^xsd:date, ^^xsd:gYearMonth or ^^xsd:gYear)",
            )

    def _check_term(self, term: Node, path: str, claim: Claim, predicate: bool,
                    article: Article | None = None) -> None:
        s, id_base = str(term), self.mint.base + "id/"
        acts = f"{id_base}speech-act/{article.id}/" if article is not None else None
        if acts is not None and article is not None and s.startswith(acts):
            n = s[len(acts):]
            owners = {c.n for c in article.claims
                      for b in (c.quote or c.statement,) if b is not None and not b.speech_act_of}
            if not (n.isdigit() and int(n) in owners):
                raise SeedError(
                    path,
                    _find(claim, f"act:{n}") or claim.line,
                    f"claim {claim.n}: act:{n} is not a statement of this article (claim {n} "
                    "would need a quote: or statement: block of its own, without speech_act_of)",
                )
            return
        if s.startswith(id_base):
            if term not in self.entity_iris:
                local = s[len(id_base) :]
                raise SeedError(
                    path,
                    _find(claim, _local(term)) or claim.line,
                    f"claim {claim.n}: unknown entity id {local!r} (not in entities.yaml)",
                )
            return
        if (predicate or s.startswith(str(KG))) and not self.ontology.is_declared(term):
            raise SeedError(
                path,
                _find(claim, _local(term)) or claim.line,
                f"claim {claim.n}: unknown term {self._curie(term)} (not declared in the ontology)",
            )

    def _curie(self, term: Node) -> str:
        return self.names.curie(str(term), generate=False) if ":" in str(term) else str(term)

    @staticmethod
    def line_of(claim: Claim, p: Node, o: Node) -> int:
        """The facts line stating ``p o``: naming both, else the object, else the predicate."""
        value = None if isinstance(o, BNode) else str(o) if isinstance(o, Literal) else _local(o)
        candidates = [(_local(p), value), (value,), (_local(p),)] if value else [(_local(p),)]
        for needles in candidates:
            line = _find(claim, *needles)
            if line:
                return line
        return claim.line


def _find(claim: Claim, *needles: str) -> int | None:
    """The first facts line naming every needle as a whole word (``russia``, not ``russian``)."""
    patterns = [re.compile(rf"(?<![\w-]){re.escape(n)}(?![\w-])") for n in needles]
    for i, line in enumerate(claim.facts.splitlines()):
        if all(p.search(line) for p in patterns):
            return claim.facts_line + i
    return None
