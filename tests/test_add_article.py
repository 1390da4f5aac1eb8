"""A new article is added the way the first five were: ingest, locate, annotate, build."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from cli import kg as cli
from tests.conftest import ROOT, select

TEXT = (
    "Peacekeepers gone\n"
    "The last Russian peacekeepers left Karabakh on 12 June 2024, the ministry said.\n"
    "Menu | Subscribe\n"
)


def test_ingest_annotate_and_build_a_sixth_article(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(ROOT / "seeds", seeds)
    received = tmp_path / "007_received.txt"
    received.write_text(TEXT, encoding="utf-8")
    env = {
        "KG_SEEDS_DIR": str(seeds),
        "KG_BUILD_DIR": str(tmp_path / "build"),
        "KG_ONTOLOGY_DIR": str(ROOT / "ontology"),
        "KG_QUERIES_DIR": str(ROOT / "queries"),
    }
    runner = CliRunner()
    article = "example-2024-06-12-peacekeepers-gone"
    assert runner.invoke(cli, ["ingest", str(received), "--id", article], env=env).exit_code == 0

    located = runner.invoke(cli, ["locate", article, "left Karabakh on 12 June 2024"], env=env)
    assert located.output.strip() == (
        'evidence: {start: 48, exact: "left Karabakh on 12 June 2024"}'
    )
    menu = TEXT.index("Menu")
    yml = seeds / "articles" / f"{article}.yaml"
    text = yml.read_text(encoding="utf-8")
    text = text.replace("  title: null", "  title: Peacekeepers gone")
    text = text.replace(
        "  boilerplate: []",
        f"  boilerplate:\n    - {{start: {menu}, end: {len(TEXT)}, what: menu}}",
    )
    text = text.replace(
        "claims: []",
        """claims:
  - n: 1
    evidence: {start: 48, exact: "left Karabakh on 12 June 2024"}
    mode: Authorial
    facts: |
      withdrawal:russian-peacekeepers-karabakh kg:endDate "2024-06-12"^^xsd:date .
""",
    )
    yml.write_text(text, encoding="utf-8")

    assert runner.invoke(cli, ["check", article], env=env).exit_code == 0
    built = runner.invoke(cli, ["build"], env=env)
    assert built.exit_code == 0, built.output

    import pyoxigraph as ox

    store = ox.Store()
    store.bulk_load(path=str(tmp_path / "build" / "kg.nq"), format=ox.RdfFormat.N_QUADS)
    rows = select(
        store,
        """
        PREFIX kg: <https://w3id.org/karabakh-kg/ontology#>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        SELECT ?end ?article WHERE {
          GRAPH ?claim {
            <https://w3id.org/karabakh-kg/id/withdrawal/russian-peacekeepers-karabakh>
              kg:endDate ?end }
          ?claim prov:wasDerivedFrom ?article }""",
    )
    assert rows == [
        {"end": "2024-06-12", "article": f"https://w3id.org/karabakh-kg/id/article/{article}"}
    ]
