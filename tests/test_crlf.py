"""Offsets are code points into the exact text, CRs included: on a CRLF article `kg locate` and
`kg check` agree (regression: locate read the text in text mode and was one short per line)."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from cli import kg as cli
from tests.test_cli import conform_alone, env_for

ARTICLE = "example-2024-06-12-crlf-text"
TEXT = ("Peacekeepers gone\r\n\r\n"
        "The last Russian peacekeepers left Karabakh on 12 June 2024, officials said.\r\n")
YAML = """article:
  id: {id}
  source_file: received.txt
  title: Peacekeepers gone
  publisher: null
  author: null
  published: {{date: 2024-06-13}}
  genre: news
  url: null
  language: en

claims:
  - n: 1
    {evidence}
    mode: Authorial
    facts: |
      withdrawal:russian-peacekeepers-karabakh kg:endDate "2024-06-12"^^xsd:date .
"""


def test_locate_and_check_agree_on_a_crlf_article(small_seeds: Path, tmp_path: Path) -> None:
    conform_alone(small_seeds)
    (small_seeds / "articles" / f"{ARTICLE}.txt").write_bytes(TEXT.encode("utf-8"))
    env = env_for(small_seeds, tmp_path / "build")
    runner = CliRunner()
    # Across the blank line: the quote's white space matches the CRLFs, which stay in it.
    located = runner.invoke(cli, ["locate", ARTICLE, "gone The last Russian peacekeepers"],
                            env=env)
    assert located.exit_code == 0, located.output
    assert located.output == (
        'evidence: {start: 13, exact: "gone\\r\\n\\r\\nThe last Russian peacekeepers"}\n')
    later = runner.invoke(cli, ["locate", ARTICLE, "left Karabakh on 12 June 2024"], env=env)
    start = TEXT.index("left Karabakh")
    assert start != TEXT.replace("\r\n", "\n").index("left Karabakh")  # CRs counted
    assert later.output == (
        f'evidence: {{start: {start}, exact: "left Karabakh on 12 June 2024"}}\n')
    for evidence in (located.output.strip(), later.output.strip()):
        (small_seeds / "articles" / f"{ARTICLE}.yaml").write_text(
            YAML.format(id=ARTICLE, evidence=evidence), encoding="utf-8")
        checked = runner.invoke(cli, ["check", ARTICLE], env=env)
        assert checked.exit_code == 0, checked.output
        assert checked.output.splitlines()[-1].startswith(f"ok: {ARTICLE}: the build accepts")
    # One short, as text mode counted it: refused, naming where the words really stand.
    (small_seeds / "articles" / f"{ARTICLE}.yaml").write_text(YAML.format(
        id=ARTICLE, evidence=later.output.strip().replace(str(start), str(start - 2))),
        encoding="utf-8")
    wrong = runner.invoke(cli, ["check", "--quick", ARTICLE], env=env)
    assert wrong.exit_code == 2
    assert f"is not at offset {start - 2} in {ARTICLE}.txt; it stands at {start}" in wrong.output
