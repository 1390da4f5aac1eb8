"""Bad input is one clear error naming the file, the line and the problem; exit 2; build/ kept."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import kg as cli
from tests.conftest import EXAMPLE_ARTICLE, ROOT

ARTICLE = f"articles/{EXAMPLE_ARTICLE}.yaml"


def line_of(path: Path, needle: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def run_build(seeds: Path, tmp_path: Path):
    build = tmp_path / "build"
    build.mkdir(exist_ok=True)
    (build / "kg.nq").write_text("previous build\n")
    env = {
        "KG_SEEDS_DIR": str(seeds),
        "KG_BUILD_DIR": str(build),
        "KG_ONTOLOGY_DIR": str(ROOT / "ontology"),
        "KG_QUERIES_DIR": str(ROOT / "queries"),
    }
    result = CliRunner().invoke(cli, ["build"], env=env)
    # The previous build is untouched and no temporary directory is left behind.
    assert (build / "kg.nq").read_text() == "previous build\n"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".build")) == []
    return result


def assert_error(result, path: Path, line: int | None, *fragments: str) -> None:
    assert result.exit_code == 2, result.output
    where = f"{path}:{line}:" if line else f"{path}:"
    assert where in result.output, result.output
    for fragment in fragments:
        assert fragment in result.output, result.output


def test_yaml_syntax_error_names_file_and_line(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, "  genre: news\n", "  genre: news\n   bad: [unclosed\n")
    result = run_build(small_seeds, tmp_path)
    assert result.exit_code == 2
    assert re.search(rf"{re.escape(str(path))}:\d+: YAML syntax error", result.output), (
        result.output
    )


def test_unknown_curie_names_the_term_and_line(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, 'kg:dateSigned "2020-11-10"', 'kg:dateSinged "2020-11-10"')
    result = run_build(small_seeds, tmp_path)
    assert_error(
        result,
        path,
        line_of(path, "kg:dateSinged"),
        "unknown term kg:dateSinged",
        "not declared in the ontology",
    )


def test_unknown_entity_id_names_the_id_and_line(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, "person:hikmet-hajiyev kg:adviserTo", "person:hikmet-hajiev kg:adviserTo")
    result = run_build(small_seeds, tmp_path)
    assert_error(
        result,
        path,
        line_of(path, "person:hikmet-hajiev kg:adviserTo"),
        "unknown entity id 'person/hikmet-hajiev'",
    )


def test_unknown_entity_in_metadata(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, "according_to: person/hikmet-hajiyev", "according_to: person/nobody")
    result = run_build(small_seeds, tmp_path)
    assert_error(result, path, None, "unknown entity id 'person/nobody'")


def test_evidence_not_in_text(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(
        path,
        "Russian peacekeeping contingent leaves Azerbaijan.",
        "Russian peacekeeping contingent left Azerbaijan.",
    )
    result = run_build(small_seeds, tmp_path)
    assert_error(
        result,
        path,
        line_of(path, "contingent left Azerbaijan"),
        'evidence "Russian peacekeeping contingent left Azerbaijan." not found in '
        f"{EXAMPLE_ARTICLE}.txt",
    )


def test_evidence_at_other_offsets_says_where_it_stands(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, "{start: 88, exact:", "{start: 90, exact:")
    result = run_build(small_seeds, tmp_path)
    assert_error(
        result, path, line_of(path, "{start: 90, exact:"), "is not at offset 90", "it stands at 88"
    )


def test_evidence_in_boilerplate_is_refused(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(
        path,
        '{start: 88, exact: "Russian peacekeeping contingent leaves Azerbaijan."}',
        '{start: 448, exact: "- Protest against"}',
    )
    result = run_build(small_seeds, tmp_path)
    assert_error(
        result,
        path,
        line_of(path, '{start: 448, exact: "- Protest against"}'),
        "lies in site boilerplate",
    )


def test_duplicate_claim_number(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, "  - n: 3\n", "  - n: 2\n")
    result = run_build(small_seeds, tmp_path)
    lines = path.read_text(encoding="utf-8").splitlines()
    second = [i for i, line in enumerate(lines, 1) if line == "  - n: 2"][1]
    assert_error(result, path, second, "duplicate claim n=2", "(first at line")


def test_duplicate_entity_id(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / "entities.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text + "\n  - id: state/russia\n    type: kg:State\n    label: Russia again\n")
    result = run_build(small_seeds, tmp_path)
    line = len(path.read_text().splitlines()) - 2
    assert_error(result, path, line, "duplicate entity id 'state/russia'", "first at line")


def test_wrong_datatype(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, '"2020-11-10"^^xsd:date', '"2020-13-10"^^xsd:date')
    result = run_build(small_seeds, tmp_path)
    assert_error(
        result,
        path,
        line_of(path, '"2020-13-10"^^xsd:date'),
        "is not a valid http://www.w3.org/2001/XMLSchema#date",
    )


def test_untyped_date(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, '"2020-11-10"^^xsd:date', '"2020-11-10"')
    result = run_build(small_seeds, tmp_path)
    assert_error(result, path, line_of(path, 'kg:dateSigned "2020-11-10"'), "needs a datatype")


def test_schema_violation_names_the_field(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, "  genre: news\n", "  genre: gossip\n")
    result = run_build(small_seeds, tmp_path)
    assert_error(result, path, line_of(path, "genre: gossip"), "article/genre", "'gossip'")


def test_turtle_error_in_facts_names_the_line(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(
        path,
        "kg:ratificationBody organization:national-assembly-of-azerbaijan .",
        "kg:ratificationBody organization:national-assembly-of-azerbaijan",
    )
    result = run_build(small_seeds, tmp_path)
    assert result.exit_code == 2
    assert "Turtle error in facts" in result.output, result.output
    assert str(path) in result.output


def test_missing_article_text(small_seeds: Path, tmp_path: Path) -> None:
    (small_seeds / "articles" / f"{EXAMPLE_ARTICLE}.txt").unlink()
    result = run_build(small_seeds, tmp_path)
    assert_error(
        result, small_seeds / ARTICLE, None, f"article text {EXAMPLE_ARTICLE}.txt is missing"
    )


def test_article_text_without_annotation(small_seeds: Path, tmp_path: Path) -> None:
    stray = small_seeds / "articles" / "stray-article.txt"
    stray.write_text("Some text.\n")
    result = run_build(small_seeds, tmp_path)
    assert_error(result, stray, None, "no annotation file stray-article.yaml")


@pytest.mark.parametrize("article_id", ["Bad Id", "x_y", "-lead"])
def test_ingest_refuses_bad_ids(small_seeds: Path, tmp_path: Path, article_id: str) -> None:
    source = tmp_path / "new.txt"
    source.write_text("An article.\n")
    result = CliRunner().invoke(
        cli, ["ingest", str(source), "--id", article_id], env={"KG_SEEDS_DIR": str(small_seeds)}
    )
    assert result.exit_code == 2
    assert "bad article id" in result.output


def test_unknown_class_in_the_registry(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / "entities.yaml"
    edit(path, "  - id: state/russia\n    type: kg:State\n",
         "  - id: state/russia\n    type: kg:Stat\n")
    result = run_build(small_seeds, tmp_path)
    assert_error(result, path, line_of(path, "id: state/russia"),
                 "state/russia: unknown class kg:Stat")


# Regression: a literal where an entity belongs named entities.yaml and "69 more" places.
def test_literal_where_an_entity_belongs_names_the_edited_line(
    small_seeds: Path, tmp_path: Path
) -> None:
    path = small_seeds / ARTICLE
    edit(path, "kg:hostState state:azerbaijan ;", 'kg:hostState "Azerbaijan" ;')
    result = run_build(small_seeds, tmp_path)
    line = line_of(path, 'kg:hostState "Azerbaijan"')
    assert result.exit_code == 2, result.output
    assert (
        f"error: {path}:{line}: claim 1: kg:hostState needs an entity (an IRI such as "
        'state:azerbaijan), not the literal "Azerbaijan"\n'
    ) in result.output
    assert "entities.yaml" not in result.output and "more" not in result.output


# Regression: 2024-02-30 printed rdflib's traceback and SHACL results on the wrong lines.
def test_date_that_does_not_exist_names_its_line(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, "    date: 2024-04-17\n", "    date: 2024-02-30\n")
    result = run_build(small_seeds, tmp_path)
    assert result.exit_code == 2, result.output
    assert (
        f"error: {path}:{line_of(path, 'date: 2024-02-30')}: "
        "date 2024-02-30 does not exist (February 2024 has 29 days)\n"
    ) in result.output
    assert "Traceback" not in result.output


def test_date_that_does_not_exist_in_facts_names_its_line(small_seeds: Path, tmp_path: Path):
    path = small_seeds / ARTICLE
    edit(path, '"2025-11-01"^^xsd:date', '"2024-02-30"^^xsd:date')
    result = run_build(small_seeds, tmp_path)
    assert_error(
        result,
        path,
        line_of(path, '"2024-02-30"^^xsd:date'),
        'claim 3: "2024-02-30"^^xsd:date is not a valid http://www.w3.org/2001/XMLSchema#date: '
        "date 2024-02-30 does not exist (February 2024 has 29 days)",
    )
    assert "Traceback" not in result.output


# Regression: an unclosed quote was reported where the parser stopped, lines after the edit.
def test_unclosed_quote_names_where_it_opened_and_where_the_parser_stopped(
    small_seeds: Path, tmp_path: Path
) -> None:
    path = small_seeds / ARTICLE
    edit(path, "  title: Russian peacekeepers", '  title: "Russian peacekeepers')
    result = run_build(small_seeds, tmp_path)
    assert result.exit_code == 2, result.output
    opened, stopped = line_of(path, 'title: "Russian'), line_of(path, 'says "the Azerbaijani')
    assert stopped > opened
    assert (
        f"error: {path}:{opened}: YAML syntax error: unclosed quote opened here "
        f"(parser stopped at line {stopped}: expected <block end>, but found '<scalar>')\n"
    ) in result.output


def test_unclosed_quote_at_the_end_of_the_file(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    path.write_text(path.read_text(encoding="utf-8") + '\nextra: "never closed\n')
    result = run_build(small_seeds, tmp_path)
    last = len(path.read_text(encoding="utf-8").splitlines())
    assert_error(
        result,
        path,
        line_of(path, 'extra: "never closed'),
        f"YAML syntax error: unclosed quote opened here (parser stopped at line {last + 1}: "
        "found unexpected end of stream)",
    )


# Regression: an empty article text was never named (the error spoke of its boilerplate).
def test_empty_article_text_names_the_file(small_seeds: Path, tmp_path: Path) -> None:
    text = small_seeds / "articles" / f"{EXAMPLE_ARTICLE}.txt"
    text.write_bytes(b"")
    result = run_build(small_seeds, tmp_path)
    assert result.exit_code == 2, result.output
    assert f"error: {text}: the article text is empty (0 bytes)\n" in result.output


def test_ingest_refuses_an_empty_file(small_seeds: Path, tmp_path: Path) -> None:
    source = tmp_path / "empty.txt"
    source.write_bytes(b"")
    env = {"KG_SEEDS_DIR": str(small_seeds)}
    result = CliRunner().invoke(cli, ["ingest", str(source), "--id", "empty-article"], env=env)
    assert result.exit_code == 2
    assert f"{source}: the file is empty (0 bytes): there is no article to ingest" in result.output
    assert not (small_seeds / "articles" / "empty-article.txt").exists()


def test_referent_not_in_the_claim_names_its_line(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, '      - {entity: person/vladimir-putin, kind: Description, surface: {start: 663,',
         '      - {entity: person/dmitry-peskov, kind: Description, surface: {start: 663,')
    result = run_build(small_seeds, tmp_path)
    assert_error(result, path, line_of(path, "entity: person/dmitry-peskov, kind: Description"),
                 "claim 4: referent 'person/dmitry-peskov' is not in the claim's facts, "
                 "according_to or statement")


def test_referent_words_not_at_their_offset_name_their_line(
        small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, '{start: 663, exact: "the highest leadership of the two countries"}',
         '{start: 660, exact: "the highest leadership of the two countries"}')
    result = run_build(small_seeds, tmp_path)
    assert_error(result, path, line_of(path, "start: 660"),
                 'evidence "the highest leadership of the two countries" is not at offset 660',
                 "it stands at 663")


def test_a_description_needs_its_words(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    edit(path, '{entity: person/vladimir-putin, kind: Implicit}',
         '{entity: person/vladimir-putin, kind: Description}')
    result = run_build(small_seeds, tmp_path)
    assert result.exit_code == 2, result.output
    line = line_of(path, "entity: person/vladimir-putin, kind: Description}")
    assert f"{path}:{line}:" in result.output
    assert "'surface' is a required property" in result.output


def test_a_continued_statement_is_described_only_where_it_starts(
        small_seeds: Path, tmp_path: Path) -> None:
    """What a continuation says of the statement would be dropped: refused, naming where it goes."""
    path = small_seeds / ARTICLE
    edit(path, "      speech_act_of: 8\n", "      channel: MediaRemarks\n      speech_act_of: 8\n")
    result = run_build(small_seeds, tmp_path)
    assert_error(result, path, line_of(path, "channel: MediaRemarks") - 1,
                 "claim 9 continues the statement of claim 8 (speech_act_of): give its channel "
                 "in claim 8's block")
