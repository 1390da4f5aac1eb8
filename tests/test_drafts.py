"""Draft claims (`status: draft`) stay out of the build unless asked for; with --include-drafts
every claim says how it came to be: kg:extractionMethod kg:Automatic (drafts) or kg:Manual."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cli import kg as cli
from graph.query import load_store
from tests.conftest import EXAMPLE_ARTICLE, ROOT, select
from tests.test_cli import conform_alone, env_for

DRAFT = """
  - n: 18
    status: draft
    evidence: {start: 88, exact: "Russian peacekeeping contingent leaves Azerbaijan."}
    mode: Authorial
    facts: |
      withdrawal:russian-peacekeepers-karabakh
          kg:ofDeployment deployment:russian-peacekeepers-karabakh .
"""
EXAMPLE = ROOT / "queries" / "examples" / "30-claims-by-extraction-method.rq"
CLAIM = f"https://w3id.org/karabakh-kg/id/claim/{EXAMPLE_ARTICLE}/"


def with_draft(seeds: Path, draft: str = DRAFT) -> None:
    conform_alone(seeds)
    path = seeds / "articles" / f"{EXAMPLE_ARTICLE}.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + draft,
                    encoding="utf-8")


def build(seeds: Path, build_dir: Path, *options: str):
    return CliRunner().invoke(cli, ["build", *options], env=env_for(seeds, build_dir))


def methods(build_dir: Path) -> dict[str, str]:
    rows = select(load_store(build_dir / "kg.nq"), """
        PREFIX kg: <https://w3id.org/karabakh-kg/ontology#>
        SELECT ?claim ?m { ?claim a kg:Claim ; kg:extractionMethod ?m }""")
    return {r["claim"].removeprefix(CLAIM): r["m"].split("#")[1] for r in rows}


def test_a_build_leaves_drafts_out_and_marks_every_claim_manual(small_seeds, tmp_path) -> None:
    with_draft(small_seeds)
    result = build(small_seeds, tmp_path / "build")
    assert result.exit_code == 0, result.output
    assert "17 claims;" in result.output
    assert methods(tmp_path / "build") == {str(n): "Manual" for n in range(1, 18)}


def test_include_drafts_puts_them_in_marked_automatic(small_seeds, tmp_path) -> None:
    with_draft(small_seeds)
    result = build(small_seeds, tmp_path / "build", "--include-drafts")
    assert result.exit_code == 0, result.output
    assert "18 claims (1 drafts);" in result.output
    assert methods(tmp_path / "build") == {**{str(n): "Manual" for n in range(1, 18)},
                                          "18": "Automatic"}
    rows = select(load_store(tmp_path / "build" / "kg.nq"), EXAMPLE.read_text(encoding="utf-8"))
    article = f"https://w3id.org/karabakh-kg/id/article/{EXAMPLE_ARTICLE}"
    assert rows == [{"article": article, "method": "automatic", "claims": "1"},
                    {"article": article, "method": "manual", "claims": "17"}]


def test_a_broken_draft_does_not_break_the_build_until_it_is_included(
    small_seeds, tmp_path
) -> None:
    with_draft(small_seeds, DRAFT.replace("kg:ofDeployment", "kg:ofDeploymnet"))
    assert build(small_seeds, tmp_path / "build").exit_code == 0
    env = env_for(small_seeds, tmp_path / "build")
    assert CliRunner().invoke(cli, ["check", EXAMPLE_ARTICLE], env=env).exit_code == 0
    with_drafts = CliRunner().invoke(cli, ["check", "--include-drafts"], env=env)
    assert with_drafts.exit_code == 2
    assert "kg:ofDeploymnet" in with_drafts.output


def test_a_draft_must_still_fit_the_schema(small_seeds, tmp_path) -> None:
    with_draft(small_seeds, DRAFT.replace("status: draft", "status: maybe"))
    result = build(small_seeds, tmp_path / "build")
    assert result.exit_code == 2
    assert "claims/17/status: 'maybe' is not one of ['draft']" in result.output
