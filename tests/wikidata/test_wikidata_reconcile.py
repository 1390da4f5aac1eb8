"""`kg wikidata reconcile`: evidence, the three verdicts, textual --write, clean failures.

The entities added here are TEST-ONLY: they exist in a temporary copy of the registry, and their
items (Q9000000xx) only in the fake fixture of the test stand-in. Nothing is written to seeds/.
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import kg as cli
from graph.seeds import load_entities
from tests.wikidata.wikidata_helpers import ROOT

pytestmark = pytest.mark.wikidata

FAKE_ENTRIES = """
  # --- TEST-ONLY entries (temporary copy; never in seeds/) ---------------------------------
  - id: person/test-only-sitelinked
    type: kg:Person
    label: Test-only Sitelinked Person
    note: >-
      A folded note that spans
      two lines.
    wikipedia: Test-only Sitelinked Person
  - id: person/test-only-namesake
    type: kg:Person
    label: Test-only Namesake
    wikipedia: Test-only Namesake (not a sitelink)
  - id: person/test-only-nobody
    type: kg:Person
    label: Test-only Nobody
    wikipedia: Test-only Nobody

  - id: person/test-only-labelled
    type: kg:Person
    label: Test-only Labelled Person
    wikipedia: Test-only Labelled Person (no sitelink)
  # a comment that must stay where it is
"""
TEST_IDS = ["person/test-only-sitelinked", "person/test-only-namesake", "person/test-only-nobody",
            "person/test-only-labelled"]


@pytest.fixture()
def seeds(tmp_path: Path) -> Path:
    out = tmp_path / "seeds"
    out.mkdir()
    shutil.copytree(ROOT / "seeds" / "schema", out / "schema")
    text = (ROOT / "seeds" / "entities.yaml").read_text(encoding="utf-8")
    (out / "entities.yaml").write_text(text.rstrip("\n") + "\n" + FAKE_ENTRIES, encoding="utf-8")
    return out


def run(seeds: Path, endpoint: str, *args: str):
    return CliRunner().invoke(cli, ["wikidata", "reconcile", *args], env={
        "KG_SEEDS_DIR": str(seeds), "KG_WIKIDATA_ENDPOINT": endpoint, "KG_SERVICE_TIMEOUT": "3"})


def test_candidates_are_printed_with_their_evidence(seeds: Path, fake_standin) -> None:
    result = run(seeds, fake_standin.url, *TEST_IDS)
    assert result.exit_code == 0, result.output
    out = result.output
    assert ('person/test-only-sitelinked  (Wikipedia: Test-only Sitelinked Person)\n'
            '  wd:Q900000001  enwiki sitelink "Test-only Sitelinked Person"; '
            'English label "Test-only Sitelinked Person" with P31 Q5\n'
            '  -> confirmed\n') in out
    assert ("  wd:Q900000002  English label \"Test-only Namesake\" with P31 Q5\n"
            "  wd:Q900000003  English label \"Test-only Namesake\" with P31 Q5\n"
            "  -> ambiguous (2 items)\n") in out
    assert "person/test-only-nobody  (Wikipedia: Test-only Nobody)\n  -> no candidate\n" in out
    # the label alone with the wrong P31 (Q6256 for a person) is no evidence
    assert ("  wd:Q900000004  English label \"Test-only Labelled Person\" with P31 Q5\n"
            "  -> confirmed\n") in out
    assert "Q900000005" not in out
    assert "run again with --write" in out


def test_without_write_nothing_changes(seeds: Path, fake_standin) -> None:
    before = (seeds / "entities.yaml").read_bytes()
    assert run(seeds, fake_standin.url, *TEST_IDS).exit_code == 0
    assert (seeds / "entities.yaml").read_bytes() == before


def test_write_records_only_confirmed_links_textually(seeds: Path, fake_standin) -> None:
    registry = seeds / "entities.yaml"
    before = registry.read_text(encoding="utf-8").splitlines()
    result = run(seeds, fake_standin.url, "--write", "--date", "2026-11-24", *TEST_IDS)
    assert result.exit_code == 0, result.output
    after = registry.read_text(encoding="utf-8").splitlines()
    ops = difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes()
    assert {op[0] for op in ops} == {"equal", "insert"}  # nothing removed or changed
    inserted = [(before[i1 - 1], after[j1:j2]) for tag, i1, _i2, j1, j2 in ops if tag == "insert"]
    assert inserted == [
        ("    wikipedia: Test-only Sitelinked Person", [
            "    wikidata: Q900000001",
            '    wikidata_method: "reconciled: enwiki sitelink \\"Test-only Sitelinked Person\\"; '
            'English label \\"Test-only Sitelinked Person\\" with P31 Q5"',
            "    wikidata_date: 2026-11-24"]),
        ("    wikipedia: Test-only Labelled Person (no sitelink)", [
            "    wikidata: Q900000004",
            '    wikidata_method: "reconciled: English label \\"Test-only Labelled Person\\" '
            'with P31 Q5"',
            "    wikidata_date: 2026-11-24"]),
    ]
    entities = load_entities(registry, seeds / "schema")
    e = entities["person/test-only-sitelinked"]
    assert (e.wikidata, e.wikidata_date) == ("Q900000001", "2026-11-24")
    assert e.wikidata_method and e.wikidata_method.startswith("reconciled: enwiki sitelink")
    assert e.note == "A folded note that spans two lines."
    assert entities["person/test-only-namesake"].wikidata is None
    assert entities["person/test-only-nobody"].wikidata is None


def test_a_second_write_changes_nothing(seeds: Path, fake_standin) -> None:
    assert run(seeds, fake_standin.url, "--write", "--date", "2026-11-24").exit_code == 0
    once = (seeds / "entities.yaml").read_bytes()
    result = run(seeds, fake_standin.url, "--write", "--date", "2026-12-01")
    assert result.exit_code == 0, result.output
    assert (seeds / "entities.yaml").read_bytes() == once


def test_curated_qids_are_never_overwritten(seeds: Path, fake_standin) -> None:
    from graph.wikidata.reconcile import Candidate, Outcome, write_links

    registry = seeds / "entities.yaml"
    russia = load_entities(registry, seeds / "schema")["state/russia"]
    before = registry.read_bytes()
    forged = Outcome(russia, (Candidate("Q900000001", ("forged evidence",)),))
    assert write_links(registry, [forged], "2026-11-24") == []
    assert registry.read_bytes() == before


def test_unknown_entity_is_a_usage_error(seeds: Path, fake_standin) -> None:
    result = run(seeds, fake_standin.url, "person/no-such-person")
    assert result.exit_code == 2
    assert "person/no-such-person not in the registry" in result.output


@pytest.mark.parametrize("which", ["closed_endpoint", "silent_endpoint"])
def test_a_dead_or_slow_endpoint_fails_cleanly(seeds: Path, which: str,
                                               request: pytest.FixtureRequest) -> None:
    endpoint = request.getfixturevalue(which)
    before = (seeds / "entities.yaml").read_bytes()
    result = CliRunner().invoke(cli, ["wikidata", "reconcile", "--write", "--timeout", "0.5",
                                      *TEST_IDS],
                                env={"KG_SEEDS_DIR": str(seeds), "KG_WIKIDATA_ENDPOINT": endpoint})
    assert result.exit_code == 2
    problem = "cannot connect" if which == "closed_endpoint" else "timed out"
    assert f"error: Wikidata endpoint {endpoint}: " in result.output
    assert problem in result.output
    assert (seeds / "entities.yaml").read_bytes() == before
