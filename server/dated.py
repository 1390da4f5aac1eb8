"""Everything the claims date, as timeline items: one per (thing, date property, claim), with the
days it may fall on (kg:earliest .. kg:latest of its kg:DateRange; a vague date is a range, an
open bound stays open), the source that says so, and the actors and places of the thing."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.namespaces import VOCABULARY
from graph.query import Substitutions, solutions
from server.terms import Namer, natural

# Every range a claim gives (the build gives each calendar date its range too).
DATES = """
SELECT ?claim ?s ?p ?earliest ?latest ?phrase ?rlabel ?article WHERE {
  VALUES ?p { kg:dateWithin kg:startDateWithin kg:endDateWithin kg:scheduledEndWithin
              kg:dateSignedWithin }
  GRAPH ?claim { ?s ?p ?r }
  ?claim a kg:Claim ; prov:wasDerivedFrom ?article .
  OPTIONAL { ?r kg:earliest ?earliest } OPTIONAL { ?r kg:latest ?latest }
  OPTIONAL { ?r kg:phrase ?phrase } OPTIONAL { ?r rdfs:label ?rlabel }
}"""
# Who took part and where (after reasoning: kg:speaker, kg:decidedBy, ... are sem:hasActor).
TAKING_PART = """
SELECT DISTINCT ?s ?x WHERE { { ?s sem:hasActor ?x } UNION { ?s sem:hasPlace ?x } }"""
# The thing a nameless value (an event inside one claim) belongs to, for its label.
OWNERS = """
SELECT DISTINCT ?prefix ?s ?owner WHERE {
  ?owner ?op ?s FILTER(isIRI(?s) && STRSTARTS(STR(?s), ?prefix) && isIRI(?owner))
}"""
SETS = """
SELECT DISTINCT ?s ?p ?kind WHERE {
  ?set kg:onSubject ?s ; kg:onProperty ?p ; a ?kind
  FILTER(?kind IN (kg:ConflictSet, kg:VarianceSet))
}"""
# What the date properties mean, in words.
SOURCE_COLOURS = 8  # the stylesheet colours src-0 .. src-7
WHAT = {"dateWithin": "date", "startDateWithin": "start", "endDateWithin": "end",
        "scheduledEndWithin": "scheduled end", "dateSignedWithin": "signed"}


@dataclass
class Item:
    id: str
    group: str
    start: str  # first possible day
    end: str | None  # the day after the last possible day (None: a single day or open)
    open: str  # "", "start" (no earliest) or "end" (no latest)
    content: str  # the source's words, or the date as written
    title: str
    source: str  # the article's IRI
    claim: str
    claim_href: str | None
    subject: str
    subject_href: str | None
    participants: list[str] = field(default_factory=list)


@dataclass
class Group:
    id: str
    content: str
    subject: str
    href: str | None
    disagreement: str  # "", "conflict" or "variance"
    order: int = 0


def _local(iri: str) -> str:
    return iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _next_day(day: str) -> str:
    return (dt.date.fromisoformat(day) + dt.timedelta(days=1)).isoformat()


def _rows(store: ox.Store, query: str, subs: Substitutions | None = None
          ) -> list[ox.QuerySolution]:
    return list(solutions(store, query, union=True, prefixes=VOCABULARY, substitutions=subs))


def timeline(store: ox.Store, names: Namer) -> dict[str, Any]:
    """{"items", "groups", "sources", "participants"} for vis-timeline, all sorted."""
    rows = _rows(store, DATES)
    taking_part: dict[str, set[str]] = defaultdict(set)
    for r in _rows(store, TAKING_PART):
        taking_part[r["s"].value].add(r["x"].value)
    values: Substitutions = {ox.Variable("prefix"): ox.Literal(names.base + "id/value/")}
    owners = {r["s"].value: r["owner"].value for r in _rows(store, OWNERS, values)}
    disputed = {(r["s"].value, _local(r["p"].value)): "conflict" if r["kind"].value.endswith(
        "ConflictSet") else "variance" for r in _rows(store, SETS)}
    names.load_labels({r[v].value for r in rows for v in ("s", "claim", "article")}
                      | set(owners.values())
                      | {x for xs in taking_part.values() for x in xs})

    def subject_label(s: str, claim: str) -> str:
        label = names.label(s)
        if label != names.fallback_label(s):
            return label
        owner = owners.get(s)
        if owner is not None and names.label(owner) != names.fallback_label(owner):
            return f"an event of {names.label(owner)}"
        return f"an unnamed event ({names.label(claim)})"

    items: list[Item] = []
    groups: dict[str, Group] = {}
    seen: dict[str, int] = {}
    for r in sorted(rows, key=lambda r: (r["s"].value, r["p"].value, natural(r["claim"].value))):
        earliest = r["earliest"].value if r["earliest"] is not None else None
        latest = r["latest"].value if r["latest"] is not None else None
        if earliest is None and latest is None:
            continue  # no day at all: nothing to draw
        s, prop, claim = r["s"].value, _local(r["p"].value), r["claim"].value
        what = WHAT.get(prop, prop)
        group_id = f"{s}|{prop}"
        # The date as the source wrote it; a base-property date is labelled with itself.
        written = r["phrase"] if r["phrase"] is not None else r["rlabel"]
        words = written.value if written is not None else ""
        start = earliest or latest or ""
        end = _next_day(latest) if earliest and latest and latest != earliest else None
        open_ = "start" if earliest is None else "end" if latest is None else ""
        bounds = f"{earliest or '…'} – {latest or '…'}"
        label = subject_label(s, claim)
        if group_id not in groups:
            groups[group_id] = Group(group_id, f"{label} · {what}", s, names.href(s),
                                     disputed.get((s, prop), ""))
        key = f"{claim}|{s}|{prop}"
        seen[key] = seen.get(key, 0) + 1  # one claim may give one fact two ranges: draw both
        item_id = key if seen[key] == 1 else f"{key}|{seen[key]}"
        items.append(Item(
            id=item_id, group=group_id, start=start, end=end, open=open_,
            content=words or bounds,
            title=f"{label}, {what}: {words + ' = ' if words else ''}{bounds}. "
                  f"{names.label(r['article'].value)} ({names.label(claim)})",
            source=r["article"].value, claim=claim, claim_href=names.href(claim),
            subject=s, subject_href=names.href(s),
            participants=sorted(taking_part.get(s, set()) | {s})))
    firsts: dict[str, str] = {}
    for item in items:
        firsts[item.group] = min(firsts.get(item.group, item.start), item.start)
    ordered = sorted(groups.values(), key=lambda g: (firsts[g.id], g.content.lower()))
    for i, g in enumerate(ordered):
        g.order = i
    sources = sorted({i.source for i in items}, key=lambda a: names.label(a).lower())
    participants = sorted({p for i in items for p in i.participants if p != i.subject}
                          | {i.subject for i in items if not i.subject.startswith(
                              names.base + "id/value/")},
                          key=lambda p: names.label(p).lower())
    return {
        "items": [asdict(i) for i in items],
        "groups": [asdict(g) for g in ordered],
        "sources": [{"iri": a, "label": names.label(a), "href": names.href(a),
                     "class": f"src-{n % SOURCE_COLOURS}"} for n, a in enumerate(sources)],
        "participants": [{"iri": p, "label": names.label(p)} for p in participants],
    }


def about(data: dict[str, Any], iri: str) -> dict[str, Any]:
    """The part of ``data`` about ``iri``: its own dates and those of what it took part in."""
    items = [i for i in data["items"] if iri in i["participants"]]
    used = {i["group"] for i in items}
    return {**data, "items": items, "groups": [g for g in data["groups"] if g["id"] in used]}
