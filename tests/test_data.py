"""Data tests over the real build: every fact's evidence is found in its article, every quotation
of the five articles is in the graph, and the artifact is deterministic and well described."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml

from graph.build import run_build
from tests.conftest import ROOT, repo_settings, select

ARTICLES = ROOT / "seeds" / "articles"
SHARED_SEEDS = ROOT.parent / "shared" / "seeds"
# Curly-quoted phrases that are names or the author's scare quotes, not anybody's words.
NOT_QUOTATIONS = {"“Russian Railways”", "“Karabakh card”"}

EVIDENCE = """
PREFIX kg: <https://w3id.org/karabakh-kg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT ?claim ?article ?exact ?start ?end WHERE {
  ?claim a kg:Claim ; prov:wasDerivedFrom ?article ; kg:evidence ?span .
  ?span oa:hasSelector ?q, ?p .
  ?q oa:exact ?exact . ?p oa:start ?start ; oa:end ?end .
}
"""

QUOTATION_SPANS = """
PREFIX kg: <https://w3id.org/karabakh-kg/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX schema: <http://schema.org/>
SELECT ?article ?start ?end WHERE {
  ?quotation a kg:Quotation ; schema:isPartOf ?article ; kg:evidence ?span ; kg:quotes ?act .
  ?act kg:speaker ?speaker .
  ?span oa:hasSelector ?p . ?p oa:start ?start ; oa:end ?end .
}
"""


def article_texts() -> dict[str, str]:
    return {p.stem: p.read_text(encoding="utf-8") for p in sorted(ARTICLES.glob("*.txt"))}


def test_the_five_source_articles_are_there_and_annotated() -> None:
    assert len(article_texts()) >= 5  # more may be added, the same way
    assert all(p.with_suffix(".yaml").is_file() for p in ARTICLES.glob("*.txt"))


@pytest.mark.skipif(not SHARED_SEEDS.is_dir(), reason="../shared/seeds is not beside the repo")
def test_article_texts_are_byte_identical_to_the_originals() -> None:
    for yml in sorted(ARTICLES.glob("*.yaml")):
        source = yaml.safe_load(yml.read_text(encoding="utf-8"))["article"]["source_file"]
        original = (SHARED_SEEDS / source).read_bytes()
        assert yml.with_suffix(".txt").read_bytes() == original, yml.name


def test_every_claims_evidence_stands_in_its_article_at_its_offsets(store) -> None:
    texts = article_texts()
    rows = select(store, EVIDENCE)
    assert len(rows) == len({r["claim"] for r in rows}) >= 130
    for row in rows:
        text = texts[row["article"].rsplit("/", 1)[-1]]
        start, end = int(row["start"]), int(row["end"])
        assert text[start:end] == row["exact"], row["claim"]


def quoted_spans(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group(0)) for m in re.finditer(r"“[^”]*”", text)]


def test_every_quotation_in_the_articles_is_a_kg_quotation(store) -> None:
    covered: dict[str, list[tuple[int, int]]] = {}
    for row in select(store, QUOTATION_SPANS):
        covered.setdefault(row["article"].rsplit("/", 1)[-1], []).append(
            (int(row["start"]), int(row["end"]))
        )
    missing = []
    for article_id, text in article_texts().items():
        meta = yaml.safe_load((ARTICLES / f"{article_id}.yaml").read_text(encoding="utf-8"))
        boiler = [(b["start"], b["end"]) for b in meta["article"].get("boilerplate") or []]
        for start, end, quote in quoted_spans(text):
            if quote in NOT_QUOTATIONS or any(s <= start < e for s, e in boiler):
                continue
            if not any(s < end and start < e for s, e in covered.get(article_id, [])):
                missing.append(f"{article_id}@{start}: {quote[:60]}")
    assert missing == []


def test_quotations_per_article(store) -> None:
    rows = select(store, QUOTATION_SPANS)
    per_article: dict[str, int] = {}
    for row in rows:
        key = row["article"].rsplit("/", 1)[-1].split("-")[0]
        per_article[key] = per_article.get(key, 0) + 1
    assert per_article["jamnews"] >= 10 and per_article["azemedia"] == 3
    assert per_article["unattributed"] >= 9


def test_manifest_describes_the_build(built) -> None:
    _settings, result, build_dir = built
    manifest = json.loads((build_dir / "manifest.json").read_text())
    assert manifest["validation"] == {"conforms": True, "results": 0}
    assert set(manifest["checks"].values()) == {0}
    assert manifest["claims"]["graphs"] == len(result.mapped.claims)
    nq = (build_dir / "kg.nq").read_bytes()
    assert manifest["triples"] == len(nq.splitlines())
    for name in ("entities", "provenance", "ontology", "inferred", "conflicts"):
        assert manifest["graphs"][f"https://w3id.org/karabakh-kg/graph/{name}"] > 0
    text = ARTICLES / "jamnews-2024-04-17-peacekeepers-withdrawal.txt"
    assert (
        manifest["inputs"][str(text.relative_to(ROOT))]
        == hashlib.sha256(text.read_bytes()).hexdigest()
    )
    assert set(manifest["timings_seconds"]) >= {"validate with SHACL", "reason (OWL 2 RL)"}


def test_artifact_is_sorted_has_no_blank_nodes_and_is_byte_identical_across_builds(
    built, tmp_path: Path
) -> None:
    first = (built[2] / "kg.nq").read_bytes()
    lines = first.decode("utf-8").splitlines()
    assert lines == sorted(lines)
    assert not any(" _:" in line or line.startswith("_:") for line in lines)
    run_build(repo_settings(BUILD_DIR=str(tmp_path / "again")))
    assert (tmp_path / "again" / "kg.nq").read_bytes() == first
    index = (built[2] / "search.sqlite").read_bytes()  # the search index too
    assert (tmp_path / "again" / "search.sqlite").read_bytes() == index


def test_validation_report_is_written_and_conforms(built) -> None:
    report = (built[2] / "validation-report.ttl").read_text()
    assert "sh:conforms true" in report


def test_a_build_under_another_base_iri_conforms_and_mints_only_under_it(tmp_path: Path) -> None:
    base = "https://example.org/kg/"
    result = run_build(repo_settings(BUILD_DIR=str(tmp_path / "b"), BASE_IRI=base))
    assert result.validation.conforms and all(c.passed for c in result.checks)
    nq = (tmp_path / "b" / "kg.nq").read_text(encoding="utf-8")
    assert "<https://w3id.org/karabakh-kg/id/" not in nq
    assert "<https://w3id.org/karabakh-kg/graph/" not in nq
    assert f"<{base}id/claim/jamnews-2024-04-17-peacekeepers-withdrawal/1>" in nq
