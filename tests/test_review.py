"""`kg review ID`: each draft claim shown with its sentence highlighted; accept, reject or edit
it; progress; the annotation rewritten whole after each decision, still a valid seed."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import kg as cli
from graph.seeds import load_article
from tests.conftest import EXAMPLE_ARTICLE
from tests.test_drafts import DRAFT

DRAFTS = DRAFT + """
  # a comment the curator wrote, kept whatever happens to the claims around it
  - n: 19
    status: draft
    evidence: {start: 96, exact: "peacekeeping"}
    mode: Authorial
    facts: |
      unit:russian-peacekeeping-contingent a kg:MilitaryUnit .
"""


@pytest.fixture()
def annotation(small_seeds: Path) -> Path:
    path = small_seeds / "articles" / f"{EXAMPLE_ARTICLE}.yaml"
    path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + "\n" + DRAFTS,
                    encoding="utf-8")
    return path


def review(seeds: Path, keys: str, **kwargs):
    return CliRunner().invoke(cli, ["review", EXAMPLE_ARTICLE], input=keys,
                              env={"KG_SEEDS_DIR": str(seeds)}, **kwargs)


def claims(path: Path) -> dict[int, bool]:
    """Claim number -> still a draft."""
    article = load_article(path, path.parent.parent / "schema")
    return {c.n: c.draft for c in article.claims if c.n > 16}


def test_accept_one_and_reject_the_other(small_seeds: Path, annotation: Path) -> None:
    before = annotation.read_text(encoding="utf-8")
    result = review(small_seeds, "a\nr\n")
    assert result.exit_code == 0, result.output
    assert "0 of 2 reviewed — claim 18 (Authorial), characters 88-138:" in result.output
    assert "1 of 2 reviewed — claim 19 (Authorial), characters 96-108:" in result.output
    assert result.output.splitlines()[-1] == "2 of 2 reviewed"
    assert claims(annotation) == {17: False, 18: False}
    after = annotation.read_text(encoding="utf-8")
    # Only the status line of 18 and the lines of 19 went; the rest is as it was.
    assert after == before.replace("    status: draft\n", "", 1).split("  - n: 19\n")[0]
    assert "# a comment the curator wrote" in after


def test_the_sentence_is_shown_with_the_evidence_highlighted(small_seeds, annotation) -> None:
    result = review(small_seeds, "q\n", color=True)
    highlighted = "\x1b[33m\x1b[1m\x1b[4mRussian peacekeeping contingent leaves Azerbaijan.\x1b[0m"
    assert highlighted in result.output
    assert "kg:ofDeployment deployment:russian-peacekeepers-karabakh ." in result.output


def test_skip_and_quit_leave_the_drafts(small_seeds: Path, annotation: Path) -> None:
    before = annotation.read_text(encoding="utf-8")
    result = review(small_seeds, "s\nq\n")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == ("0 of 2 reviewed; 2 still drafts (run `kg review` "
                                              "again, or edit the YAML)")
    assert annotation.read_text(encoding="utf-8") == before


def test_edit_in_the_editor_then_accept(small_seeds, annotation, monkeypatch) -> None:
    seen = []

    def editor(text: str, extension: str) -> str:
        seen.append(text)
        return text.replace("a kg:MilitaryUnit", "a kg:MilitaryUnit ;\n"
                            "          skos:altLabel \"Russian peacekeepers\"@en")

    monkeypatch.setattr("cli.review.click.edit", editor)
    result = review(small_seeds, "s\ne\na\n")
    assert result.exit_code == 0, result.output
    assert seen == [DRAFTS[DRAFTS.index("  - n: 19"):]]  # the claim as written, and only it
    article = load_article(annotation, small_seeds / "schema")
    edited = next(c for c in article.claims if c.n == 19)
    assert not edited.draft and 'skos:altLabel "Russian peacekeepers"@en' in edited.facts
    assert result.output.splitlines()[-1].startswith("1 of 2 reviewed; 1 still drafts")


def test_an_edit_that_breaks_the_file_is_not_written(small_seeds, annotation, monkeypatch):
    monkeypatch.setattr("cli.review.click.edit",
                        lambda text, extension: text.replace("mode: Authorial", "mode: Guess"))
    before = annotation.read_text(encoding="utf-8")
    result = review(small_seeds, "e\nq\n")
    assert "not written:" in result.output and "'Guess' is not one of" in result.output
    assert annotation.read_text(encoding="utf-8") == before


def test_an_article_without_drafts_says_so(small_seeds: Path) -> None:
    result = review(small_seeds, "")
    assert result.exit_code == 0
    assert result.output == f"{EXAMPLE_ARTICLE}: no draft claims to review\n"


@pytest.mark.parametrize(
    ("words", "sentence"),
    [
        ("left", "The peacekeepers left on Monday, he said."),
        ("First one.", "First one."),  # a quote ending with its full stop
        ("Next", "Next"),  # the last sentence, without a full stop
    ],
)
def test_the_sentence_around_a_quote(words: str, sentence: str) -> None:
    from graph.review import sentence as around

    text = "First one. The peacekeepers left on Monday, he said.\nNext"
    start = text.index(words)
    left, right = around(text, start, start + len(words))
    assert text[left:right] == sentence
