"""Map the seeds to RDF: entities, one named graph per claim, and the provenance of each claim."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, PROV, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from graph.bounds import add_date_ranges
from graph.errors import SeedError, SeedErrors
from graph.facts import Facts
from graph.ground import Grounded, check_boilerplate, ground
from graph.iris import Minter
from graph.namespaces import KG, NIF, OA, PREFIXES, SCHEMA, SEM, WD, bind_all
from graph.ontology import Ontology
from graph.seeds import VERIFIED_METHOD, Article, Claim, Entity, Seeds

DATE_TYPES = {4: XSD.gYear, 7: XSD.gYearMonth, 10: XSD.date}
CURIE = re.compile(r"^([a-z][a-z0-9]*):([A-Za-z][A-Za-z0-9_-]*)$")


@dataclass(frozen=True)
class Origin:
    """Where a resource was stated: the seed file and line, and the claim if any."""

    path: str
    line: int
    claim: URIRef | None = None


@dataclass
class Mapped:
    """The asserted data: one named graph per claim, the entities graph, the provenance graph."""

    dataset: Dataset
    entities: Graph
    provenance: Graph
    claims: dict[URIRef, Origin] = field(default_factory=dict)
    origins: dict[URIRef, list[Origin]] = field(default_factory=dict)
    statements: dict[tuple[Node, Node, Node], list[Origin]] = field(default_factory=dict)

    def asserted(self) -> Graph:
        """Every asserted triple (claims, entities, provenance) in one new graph: what is
        validated, reasoned over and compared for conflicts."""
        union = Graph()
        for claim in self.claims:
            union += self.dataset.graph(claim)
        union += self.entities
        union += self.provenance
        return union

    def triples(self) -> Iterator[tuple[Node, Node, Node]]:
        """The triples of ``asserted()`` without making a graph of them (a triple stated in
        two graphs comes twice)."""
        for claim in self.claims:
            yield from self.dataset.graph(claim)
        yield from self.entities
        yield from self.provenance

    def note(self, node: URIRef, origin: Origin) -> None:
        self.origins.setdefault(node, []).append(origin)

    def state(self, triple: tuple[Node, Node, Node], origin: Origin) -> None:
        """Record the facts line of a claim that states ``triple``."""
        self.statements.setdefault(triple, []).append(origin)


def date_literal(value: str) -> Literal:
    """A date string whose form carries its precision: 2020, 2020-11 or 2020-11-10."""
    return Literal(value, datatype=DATE_TYPES[len(value)])


def expand(curie: str) -> URIRef | None:
    m = CURIE.match(curie)
    if not m or m.group(1) not in PREFIXES:
        return None
    # By string, not by attribute: the closed kg: namespace would raise for an unknown term,
    # and the caller reports that as an undeclared term with its line.
    return URIRef(str(PREFIXES[m.group(1)]) + m.group(2))


class Mapper:
    def __init__(self, seeds: Seeds, ontology: Ontology, minter: Minter) -> None:
        self.seeds = seeds
        self.ontology = ontology
        self.mint = minter
        self.dataset = bind_all(Dataset(), minter.base)
        self.errors: list[SeedError] = []
        self.mapped = Mapped(
            self.dataset,
            entities=self.dataset.graph(minter.graph("entities")),
            provenance=self.dataset.graph(minter.graph("provenance")),
        )
        self.entities_graph, self.prov = self.mapped.entities, self.mapped.provenance
        self.entity_iris = {minter.entity(e) for e in seeds.entities}
        self.facts = Facts(ontology, minter, self.entity_iris)

    # -- entities ----------------------------------------------------------------------------
    def map_entities(self) -> None:
        path = str(self.seeds.entities_path)
        for entity in self.seeds.entities.values():
            self._map_entity(entity, path)

    def _map_entity(self, e: Entity, path: str) -> None:
        g, iri = self.entities_graph, self.mint.entity(e.id)
        self.mapped.note(iri, Origin(path, e.line))
        for curie in e.types:
            cls = expand(curie)
            if cls is None or not self.ontology.is_declared(cls):
                self.errors.append(SeedError(path, e.line, f"{e.id}: unknown class {curie}"))
                continue
            g.add((iri, RDF.type, cls))
        for lang, label in e.labels.items():
            g.add((iri, SKOS.prefLabel, Literal(label, lang=lang)))
            g.add((iri, RDFS.label, Literal(label, lang=lang)))
        for lang, labels in e.alt.items():
            for label in labels:
                g.add((iri, SKOS.altLabel, Literal(label, lang=lang)))
        if e.note:
            g.add((iri, SKOS.note, Literal(e.note, lang="en")))
        if e.territory_of:
            if e.territory_of not in self.seeds.entities:
                self.errors.append(SeedError(path, e.line, f"{e.id}: territory_of "
                                             f"{e.territory_of!r} is not in entities.yaml"))
            else:
                g.add((iri, KG.territoryOf, self.mint.entity(e.territory_of)))
        if e.wikidata:
            g.add((iri, SKOS.exactMatch, WD[e.wikidata]))
            self._map_link(e, e.wikidata, iri, path)
        if e.wikipedia:
            page = URIRef("https://en.wikipedia.org/wiki/" + e.wikipedia.replace(" ", "_"))
            g.add((iri, FOAF.isPrimaryTopicOf, page))
            g.add((iri, SCHEMA.sameAs, page))

    def _map_link(self, e: Entity, qid: str, iri: URIRef, path: str) -> None:
        """The provenance of a Wikidata link: which item, how it was found, on what day."""
        if not e.wikidata_date:
            self.errors.append(SeedError(path, e.line, f"{e.id}: wikidata {qid} has no "
                                         "wikidata_date and the registry sets no default"))
            return
        link, p = self.mint.link(e.id), self.prov
        p.add((link, RDF.type, KG.WikidataLink))
        p.add((link, KG.linkSubject, iri))
        p.add((link, KG.linkTarget, WD[qid]))
        p.add((link, KG.linkMethod, Literal(e.wikidata_method or VERIFIED_METHOD)))
        p.add((link, DCTERMS.date, Literal(e.wikidata_date, datatype=XSD.date)))
        p.add((link, RDFS.label, Literal(f"Wikidata link of {e.id}", lang="en")))
        self.mapped.note(link, Origin(path, e.line))

    # -- articles ------------------------------------------------------------------------------
    def map_article(self, article: Article) -> None:
        try:
            check_boilerplate(article)
        except SeedError as err:
            self.errors.append(err)
            return
        a, text = self.mint.article(article.id), self.mint.article_text(article.id)
        meta, lines, path = article.meta, article.meta_lines, str(article.yaml_path)
        self.mapped.note(a, Origin(path, 1))
        p = self.prov
        p.add((a, RDF.type, KG.Article))
        p.add((a, KG.sourceFile, Literal(meta["source_file"])))
        p.add((a, KG.genre, Literal(meta["genre"])))
        p.add((a, SCHEMA.inLanguage, Literal(meta["language"])))
        p.add((a, KG.text, text))
        label = meta["title"] or f"Untitled article {article.id}"
        p.add((a, SKOS.prefLabel, Literal(label, lang=meta["language"])))
        p.add((a, RDFS.label, Literal(label, lang=meta["language"])))
        if meta["title"]:
            p.add((a, SCHEMA.headline, Literal(meta["title"], lang=meta["language"])))
        for key, prop in (("publisher", SCHEMA.publisher), ("author", SCHEMA.author)):
            if meta.get(key):
                self.mapped.note(a, Origin(path, lines[key]))
                p.add((a, prop, self._entity_ref(meta[key], path, lines[key])))
        if meta.get("publisher_inferred"):
            p.add((a, KG.publisherBasis, Literal(meta["publisher_inferred"])))
        published = meta.get("published")
        if published:
            p.add((a, SCHEMA.datePublished, date_literal(published["date"])))
            if published.get("inferred"):
                p.add((a, KG.dateInferred, Literal(True)))
                p.add((a, KG.dateBasis, Literal(published["inferred"])))
        if meta.get("url"):
            p.add((a, SCHEMA.url, URIRef(meta["url"])))
        p.add((text, RDF.type, KG.ArticleText))
        p.add((text, NIF.isString, Literal(article.text)))
        p.add((text, KG.sha256, Literal(article.sha256)))
        p.add((text, SCHEMA.isPartOf, a))
        # The claims that quote or report a statement, by number (speech_act_of points at one).
        quotes = {c.n: c for c in article.claims if c.quote or c.statement}
        for claim in article.claims:
            try:
                self._map_claim(article, claim, quotes)
            except SeedError as err:
                self.errors.append(err)

    def _entity_ref(self, entity_id: str, path: str, line: int) -> URIRef:
        if entity_id not in self.seeds.entities:
            raise SeedError(path, line, f"unknown entity id {entity_id!r} (not in entities.yaml)")
        return self.mint.entity(entity_id)

    def _map_claim(self, article: Article, claim: Claim, quotes: dict[int, Claim]) -> None:
        path, aid, n = str(article.yaml_path), article.id, claim.n
        c = self.mint.claim(aid, n)
        origin = Origin(path, claim.line, c)
        self.mapped.claims[c] = origin
        grounded = ground(article, claim.evidence)
        facts = self.facts.parse(article, claim)
        # The claim's graph is made apart, then added to the dataset: a lookup in a dataset's
        # graph scans every graph's triples, which made mapping quadratic in the claims.
        g = Graph()
        for (s, pr, o), line in facts:
            g.add((s, pr, o))
            self.mapped.state((s, pr, o), Origin(path, line, c))
            if isinstance(s, URIRef):
                self.mapped.note(s, origin)
        span = self._map_span(aid, n, grounded)
        self.mapped.note(span, Origin(path, claim.evidence.line, c))
        self.mapped.note(c, origin)
        p = self.prov
        p.add((c, RDF.type, KG.Claim))
        p.add((c, PROV.wasDerivedFrom, self.mint.article(aid)))
        p.add((c, PROV.wasAttributedTo, self.mint.article(aid)))
        p.add((c, KG.attributionMode, KG[claim.mode]))
        p.add((c, KG.extractionMethod, KG.Automatic if claim.draft else KG.Manual))
        p.add((c, KG.evidence, span))
        p.add((c, RDFS.label, Literal(f"Claim {n} of {aid}", lang="en")))
        if claim.according_to:
            p.add((c, KG.accordingTo, self._entity_ref(claim.according_to, path, claim.line)))
        for via in claim.via:
            p.add((c, KG.viaSource, self._entity_ref(via, path, claim.line)))
        if claim.citation:
            p.add((c, KG.citation, Literal(claim.citation)))
        self._map_sources(article, claim)
        if claim.note:
            p.add((c, SKOS.note, Literal(claim.note, lang="en")))
        if claim.quote:
            self._map_quote(article, claim, quotes, g, span)
        elif claim.mode == "DirectQuote":
            raise SeedError(path, claim.line, f"claim {n}: mode DirectQuote needs a quote: block")
        if claim.statement:
            self._map_statement(article, claim, quotes, g)
        # Every calendar date of the claim (facts, quote, statement) gets its range of days.
        for node in add_date_ranges(g, lambda d: self.mint.value(aid, n, d)):
            self.mapped.note(node, origin)
        target = self.dataset.graph(c)
        for triple in g:
            target.add(triple)
        self._map_referents(article, claim, facts)

    def _entities(self, *ids: str | None) -> set[URIRef]:
        return {self.mint.entity(e) for e in ids if e and e in self.seeds.entities}

    def _map_referents(self, article: Article, claim: Claim, facts: list) -> None:
        """The claim's unnamed referents in provenance; the article's names and refersTo."""
        path, aid, n = str(article.yaml_path), article.id, claim.n
        mentioned = {node for (s, _p, o), _line in facts for node in (s, o)}
        said = [block for block in (claim.quote, claim.statement) if block is not None]
        mentioned |= self._entities(claim.according_to, *(b.speaker for b in said))
        # What a statement is about, or whom it was made to or where, may be resolved too; it
        # does not enter the mention index (the sentence is rarely about it by name).
        allowed = mentioned | self._entities(*(e for b in said for e in b.about),
                                             *(b.to for b in said), *(b.at for b in said))
        mentioned &= self.entity_iris
        unnamed = set()
        for k, ref in enumerate(claim.referents, start=1):
            entity = self._entity_ref(ref.entity, path, ref.line)
            if entity not in allowed:
                raise SeedError(path, ref.line, f"claim {n}: referent {ref.entity!r} is not in "
                                                "the claim's facts, according_to or statement")
            node = self.mint.referent(aid, n, k)
            p = self.prov
            p.add((self.mint.claim(aid, n), KG.resolvedReferent, node))
            p.add((node, RDF.type, KG.ReferentResolution))
            p.add((node, OA.motivatedBy, OA.identifying))
            p.add((node, OA.hasBody, entity))
            p.add((node, KG.referenceKind, KG[ref.kind]))
            if ref.surface is not None:
                span = self._map_span(aid, f"{n}-referent-{k}", ground(article, ref.surface))
                p.add((node, OA.hasTarget, span))
            self.mapped.note(node, Origin(path, ref.line, self.mint.claim(aid, n)))
            unnamed.add(entity)
        article_iri = self.mint.article(aid)
        for entity in mentioned:
            self.prov.add((article_iri, KG.refersTo, entity))
            if entity not in unnamed:
                self.prov.add((article_iri, KG.names, entity))

    def _map_span(self, aid: str, n: int | str, gr: Grounded) -> URIRef:
        p = self.prov
        span = self.mint.span(aid, n)
        tq, tp = self.mint.selector(aid, n, "quote"), self.mint.selector(aid, n, "position")
        p.add((span, RDF.type, KG.EvidenceSpan))
        p.add((span, OA.hasSource, self.mint.article_text(aid)))
        p.add((span, OA.hasSelector, tq))
        p.add((span, OA.hasSelector, tp))
        p.add((tq, RDF.type, OA.TextQuoteSelector))
        p.add((tq, OA.exact, Literal(gr.exact)))
        p.add((tq, OA.prefix, Literal(gr.prefix)))
        p.add((tq, OA.suffix, Literal(gr.suffix)))
        p.add((tp, RDF.type, OA.TextPositionSelector))
        p.add((tp, OA.start, Literal(gr.start, datatype=XSD.nonNegativeInteger)))
        p.add((tp, OA.end, Literal(gr.end, datatype=XSD.nonNegativeInteger)))
        return span

    def _map_sources(self, article: Article, claim: Claim) -> None:
        """The publications the claim's citation names: one kg:CitedSource per publisher and
        date, cited (kg:cites) or only pointed to (rdfs:seeAlso, "see EDM, ...")."""
        path, c = str(article.yaml_path), self.mint.claim(article.id, claim.n)
        for src in claim.sources:
            publisher = self._entity_ref(src.by, path, src.line)
            node, p = self.mint.cited_source(src.by, src.date), self.prov
            p.add((c, RDFS.seeAlso if src.see else KG.cites, node))
            p.add((node, RDF.type, KG.CitedSource))
            p.add((node, SCHEMA.publisher, publisher))
            p.add((node, SCHEMA.datePublished, date_literal(src.date)))
            name = self.seeds.entities[src.by].labels.get("en", src.by)
            p.add((node, SKOS.prefLabel, Literal(f"{name}, {src.date}", lang="en")))
            p.add((node, RDFS.label, Literal(f"{name}, {src.date}", lang="en")))
            self.mapped.note(node, Origin(path, src.line, c))

    def _act_of(self, article: Article, claim: Claim, q, quotes: dict[int, Claim]) -> int:
        """The claim whose block describes the statement ``q`` belongs to (this claim, or the
        one its speech_act_of names, which must describe it itself)."""
        path, act_n = str(article.yaml_path), q.speech_act_of or claim.n
        target = quotes.get(act_n)
        if target is None:
            raise SeedError(path, q.line,
                            f"speech_act_of: claim {act_n} has no quote: or statement: block")
        block = target.quote or target.statement
        described = [name for name in ("date", "date_inferred", "about", "channel", "to", "at")
                     if getattr(q, name)]
        if act_n != claim.n and described:
            # A continuation shares the statement of claim act_n; what it said of the statement
            # would be silently dropped, so the curator is told where it belongs.
            raise SeedError(path, q.line, f"claim {claim.n} continues the statement of claim "
                                          f"{act_n} (speech_act_of): give its "
                                          f"{', '.join(described)} in claim {act_n}'s block")
        if act_n != claim.n and block is not None and block.speech_act_of:
            raise SeedError(path, q.line, f"speech_act_of: claim {act_n} continues claim "
                                          f"{block.speech_act_of}; point at {block.speech_act_of}")
        return act_n

    def _map_statement(self, article: Article, claim: Claim, quotes: dict[int, Claim],
                       g: Graph) -> None:
        """A reported statement: the speech act, which asserts the claim (no quotation)."""
        q, path, aid = claim.statement, str(article.yaml_path), article.id
        assert q is not None
        if claim.mode != "ReportedSpeech":
            raise SeedError(path, q.line, f"claim {claim.n}: a statement: block belongs to a "
                            f"ReportedSpeech claim (this one is {claim.mode}); quote words "
                            "with a quote: block")
        if q.via:
            raise SeedError(path, q.line, f"claim {claim.n}: statement: has no via:; say who "
                            "relayed the claim with the claim's own via:")
        act_n = self._act_of(article, claim, q, quotes)
        act = self.mint.speech_act(aid, act_n)
        speaker = self._entity_ref(q.speaker, path, q.line)
        g.add((act, KG.asserts, self.mint.claim(aid, claim.n)))
        if act_n == claim.n:
            self._describe_speech_act(act, q, aid, speaker, g, path)
        self.mapped.note(act, Origin(path, q.line, self.mint.claim(aid, claim.n)))

    def _map_quote(
        self, article: Article, claim: Claim, quotes: dict[int, Claim], g: Graph, span: URIRef
    ) -> None:
        q, path, aid = claim.quote, str(article.yaml_path), article.id
        assert q is not None
        act_n = self._act_of(article, claim, q, quotes)
        quotation, act = self.mint.quotation(aid, claim.n), self.mint.speech_act(aid, act_n)
        speaker = self._entity_ref(q.speaker, path, q.line)
        g.add((quotation, RDF.type, KG.Quotation))
        g.add((quotation, SCHEMA.text, Literal(claim.evidence.exact)))
        g.add((quotation, KG.quotes, act))
        g.add((quotation, SCHEMA.isPartOf, self.mint.article(aid)))
        g.add((quotation, KG.evidence, span))
        if q.via:
            g.add((quotation, KG.viaSource, self._entity_ref(q.via, path, q.line)))
        g.add((act, KG.asserts, self.mint.claim(aid, claim.n)))
        if act_n == claim.n:  # the first quote of a statement describes the speech act
            self._describe_speech_act(act, q, aid, speaker, g, path)
        self.mapped.note(quotation, Origin(path, claim.line, self.mint.claim(aid, claim.n)))
        self.mapped.note(act, Origin(path, q.line, self.mint.claim(aid, claim.n)))

    def _describe_speech_act(self, act: URIRef, q, aid: str, speaker: URIRef, g: Graph,
                             path: str) -> None:
        g.add((act, RDF.type, KG.SpeechAct))
        g.add((act, KG.speaker, speaker))
        name = self.seeds.entities[q.speaker].labels.get("en", q.speaker)
        when = f" of {q.date}" if q.date else ""
        g.add((act, SKOS.prefLabel, Literal(f"Statement by {name}{when} ({aid})", lang="en")))
        if q.date:
            g.add((act, KG.date, date_literal(q.date)))
        if q.date_inferred:
            g.add((act, KG.dateInferred, Literal(True)))
            g.add((act, KG.dateBasis, Literal(q.date_inferred)))
        for about in q.about:
            g.add((act, KG.about, self._entity_ref(about, path, q.line)))
        if q.channel:
            g.add((act, KG.channel, KG[q.channel]))
        if q.to:
            g.add((act, SCHEMA.recipient, self._entity_ref(q.to, path, q.line)))
        if q.at:
            g.add((act, SEM.hasPlace, self._entity_ref(q.at, path, q.line)))


@dataclass
class Part:
    """What mapping one article added, in the order it was added: replayed into the whole
    (``_merge``), it leaves the same state as mapping the article there."""

    provenance: list[tuple[Node, Node, Node]]
    graphs: list[tuple[URIRef, list[tuple[Node, Node, Node]]]]
    claims: list[tuple[URIRef, Origin]]
    notes: list[tuple[URIRef, list[Origin]]]
    statements: list[tuple[tuple[Node, Node, Node], list[Origin]]]


def _map_part(mapper: Mapper, article: Article) -> tuple[Part, list[SeedError]]:
    """Map one article apart from the others: its part and its errors."""
    sink = Mapped(Dataset(), entities=Graph(), provenance=Graph())
    whole = mapper.mapped, mapper.dataset, mapper.prov, mapper.errors
    mapper.mapped, mapper.dataset, mapper.prov, mapper.errors = (
        sink, sink.dataset, sink.provenance, [])
    try:
        mapper.map_article(article)
        errors = mapper.errors
    finally:
        mapper.mapped, mapper.dataset, mapper.prov, mapper.errors = whole
    part = Part(
        provenance=list(sink.provenance),
        graphs=[(c, list(sink.dataset.graph(c))) for c in sink.claims],
        claims=list(sink.claims.items()),
        notes=list(sink.origins.items()),
        statements=list(sink.statements.items()),
    )
    return part, errors


def _merge(mapper: Mapper, part: Part) -> None:
    mapped = mapper.mapped
    for triple in part.provenance:
        mapper.prov.add(triple)
    for claim, triples in part.graphs:
        target = mapper.dataset.graph(claim)
        for triple in triples:
            target.add(triple)
    mapped.claims.update(part.claims)
    for node, origins in part.notes:
        mapped.origins.setdefault(node, []).extend(origins)
    for triple, origins in part.statements:
        mapped.statements.setdefault(triple, []).extend(origins)


def part_key(seeds: Seeds, article: Article, inputs: str) -> str:
    """The cache key of an article's part: its files' hashes and paths, with ``inputs`` (the
    hashes of what every article's mapping reads: the registry, the ontology, the base IRI)."""
    from graph import buildcache

    texts = (seeds.input_hashes[_name(seeds, p)] for p in (article.yaml_path, article.text_path))
    return buildcache.key("mapped-article", inputs, str(article.yaml_path),
                          str(article.text_path), *texts, article.sha256,
                          ",".join(str(c.n) for c in article.claims))


def _name(seeds: Seeds, path) -> str:
    root = seeds.root
    return str(path.relative_to(root.parent) if root.parent in path.parents else path)


def map_seeds(seeds: Seeds, ontology: Ontology, minter: Minter, cache=None, inputs: str = "",
              articles=None) -> Mapped:
    """Map every seed; collect every error, raise them together. With ``cache`` (a
    graph.buildcache.BuildCache), an article whose key (``part_key`` over ``inputs``) is found
    is not mapped again. ``articles`` iterates ``seeds.articles`` (a progress bar may wrap it)."""
    mapper = Mapper(seeds, ontology, minter)
    mapper.map_entities()
    for article in seeds.articles if articles is None else articles:
        if cache is None:
            mapper.map_article(article)
            continue
        entry = part_key(seeds, article, inputs)
        part = cache.get(entry)
        if part is None:
            part, errors = _map_part(mapper, article)
            mapper.errors.extend(errors)
            if not errors:  # an article in error is mapped again until it is mended
                cache.put(entry, part)
        _merge(mapper, part)
    if mapper.errors:
        raise SeedErrors(mapper.errors)
    return mapper.mapped
