"""A new article is added the way README.md says, end to end, in a copy of the project: ingest,
review, check, build, `kg examples --check` shows what the new article changes in the examples'
answers, `kg examples --update` writes it, and the check is green again."""

from __future__ import annotations

import shutil

from click.testing import CliRunner

from cli import kg as cli
from tests.conftest import ROOT, select

ARTICLE = "example-2024-06-12-peacekeepers-gone"
TEXT = (
    "Peacekeepers gone\n"
    "The last Russian peacekeepers left Karabakh on 12 June 2024, the ministry said.\n"
    "Menu | Subscribe\n"
)
# The claim the curator writes beside the assistant's draft (plain YAML editing keeps working).
CLAIM = """  - n: 2
    status: draft
    evidence: {start: 48, exact: "left Karabakh on 12 June 2024"}
    mode: Authorial
    facts: |
      withdrawal:russian-peacekeepers-karabakh kg:endDate "2024-06-12"^^xsd:date .
"""
A = "https://w3id.org/karabakh-kg/id/article/" + ARTICLE


def test_ingest_review_check_update_the_examples_and_build_a_sixth_article(tmp_path) -> None:
    project = tmp_path / "project"
    shutil.copytree(ROOT / "seeds", project / "seeds")
    shutil.copytree(ROOT / "queries", project / "queries")
    received = tmp_path / "007_received.txt"
    received.write_text(TEXT, encoding="utf-8")
    env = {
        "KG_SEEDS_DIR": str(project / "seeds"),
        "KG_BUILD_DIR": str(project / "build"),
        "KG_ONTOLOGY_DIR": str(ROOT / "ontology"),
        "KG_QUERIES_DIR": str(project / "queries"),
    }
    runner = CliRunner()

    def kg(*args: str, keys: str | None = None, code: int = 0) -> str:
        result = runner.invoke(cli, list(args), env=env, input=keys)
        assert result.exit_code == code, result.output
        return result.output

    # 1. ingest, with what the curator knows of the article
    kg("ingest", str(received), "--id", ARTICLE, "--title", "Peacekeepers gone", "--date",
       "2024-06-12")
    yml = project / "seeds" / "articles" / f"{ARTICLE}.yaml"
    assert kg("locate", ARTICLE, "left Karabakh on 12 June 2024") == (
        'evidence: {start: 48, exact: "left Karabakh on 12 June 2024"}\n')
    menu = TEXT.index("Menu")
    text = yml.read_text(encoding="utf-8").replace(
        "  boilerplate: []",
        f"  boilerplate:\n    - {{start: {menu}, end: {len(TEXT)}, what: menu}}")
    # the assistant drafted a claim on the sentence: a reported statement, whose speaker ("the
    # ministry") it could not resolve, so it took the wrong one
    drafted = text[text.index("claims:"):]
    assert drafted.startswith(
        "claims:\n  - n: 1\n    status: draft\n    evidence:\n      start: 18\n      exact: The "
        "last Russian peacekeepers left Karabakh on 12 June 2024, the ministry said.\n"
        "    mode: ReportedSpeech\n")
    yml.write_text(text + CLAIM, encoding="utf-8")

    # 2. review: reject the assistant's draft, accept the curator's
    assert kg("review", ARTICLE, keys="r\na\n").splitlines()[-1] == "2 of 2 reviewed"
    reviewed = yml.read_text(encoding="utf-8")
    assert "status: draft" not in reviewed and "ReportedSpeech" not in reviewed

    # 3. check: what the build will say
    assert kg("check", ARTICLE).splitlines()[-1].startswith(
        f"ok: {ARTICLE}: the build accepts the seeds (136 claims;")

    # 4. build; the examples' answers changed where the new article shows
    kg("build")
    diff = kg("examples", "--check", code=1)
    changed = sorted(line.split(": answer differs")[0] for line in diff.splitlines()
                     if ": answer differs" in line)
    examples = project / "queries" / "examples"
    assert changed == [str(examples / name) for name in (
        "01-articles.rq", "04-deployment-timeline.rq", "30-claims-by-extraction-method.rq")]
    added = [line for line in diff.splitlines() if line.startswith("+") and "+++" not in line]
    day = '"2024-06-12"^^<http://www.w3.org/2001/XMLSchema#date>'
    assert added == [
        f'+<{A}>\t"Peacekeepers gone"@en\t\t{day}\t\t1',
        f'+{day}\t{day}\t"2024-06-12"\t<https://w3id.org/karabakh-kg/id/withdrawal/russian-'
        f"peacekeepers-karabakh>\t<https://w3id.org/karabakh-kg/ontology#endDate>\t<{A}>",
        f'+<{A}>\t"manual"@en\t1',
    ]
    assert not [line for line in diff.splitlines() if line.startswith("-") and "---" not in line]

    # 5. update the expected files (the curator reads this diff), and the check is green
    assert kg("examples", "--update").splitlines()[:3] == [
        f"wrote {examples / '01-articles.tsv'}", f"wrote {examples / '04-deployment-timeline.tsv'}",
        f"wrote {examples / '30-claims-by-extraction-method.tsv'}"]
    kg("examples", "--check")

    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(project / "build" / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    rows = select(store, """
        PREFIX kg: <https://w3id.org/karabakh-kg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?end ?article ?method WHERE {
          GRAPH ?claim {
            <https://w3id.org/karabakh-kg/id/withdrawal/russian-peacekeepers-karabakh>
              kg:endDate ?end }
          ?claim prov:wasDerivedFrom ?article ; kg:extractionMethod ?method }""")
    assert rows == [{"end": "2024-06-12", "article": A,
                     "method": "https://w3id.org/karabakh-kg/ontology#Manual"}]
