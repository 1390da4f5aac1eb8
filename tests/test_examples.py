"""The example queries give their expected answers (queries/examples/NN-name.tsv) on the build,
each in one fixed order; `kg examples --check` says which differ and how, `--update` rewrites."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from cli import kg as cli
from graph import examples as ex
from graph.query import load_store
from tests.conftest import ROOT

EXAMPLES = ex.examples(ROOT / "queries")
OFFLINE = [e for e in EXAMPLES if not e.needs_wikidata]


@pytest.fixture(scope="module")
def build_store(built_nq: Path) -> ox.Store:
    """The written build, loaded as `kg examples` loads it."""
    return load_store(built_nq)


@pytest.mark.parametrize("example", OFFLINE, ids=lambda e: e.name)
def test_every_example_gives_its_expected_answer_on_the_build(build_store, example) -> None:
    assert ex.answer_finding(build_store, example) is None


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.name)
def test_every_example_is_totally_ordered(example) -> None:
    assert ex.untied_order(example.text) == []


def test_expected_files_are_exactly_those_of_the_offline_examples() -> None:
    tsv = sorted((ROOT / "queries" / "examples").glob("*.tsv"))
    assert tsv == [e.expected_path for e in OFFLINE]


SELECT = "SELECT ?minValue ?article WHERE { ?article <urn:p> ?minValue } "


@pytest.mark.parametrize(
    ("query", "untied"),
    [
        # Example 13 as it was: two sources giving the same lower bound tie.
        (SELECT + "ORDER BY ?minValue", ["article"]),
        (SELECT + "ORDER BY DESC(?minValue) ?article", []),
        (SELECT, ["minValue", "article"]),
        # Grouped: the group variables are a key of the rows.
        ("SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?p ?o } GROUP BY ?a ORDER BY ?a", []),
        ("SELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?p ?o } GROUP BY ?a ?p ORDER BY ?a", ["n"]),
        # A subquery's ORDER BY does not order the outer rows.
        ("SELECT ?a ?b WHERE { { SELECT ?a ?b WHERE { ?a <urn:p> ?b } ORDER BY ?a ?b } }",
         ["a", "b"]),
        ("ASK { ?a ?p ?o }", []),
    ],
)
def test_an_order_that_leaves_ties_is_found(query: str, untied: list[str]) -> None:
    assert ex.untied_order(query) == untied


def project_copy(tmp_path: Path) -> Path:
    queries = tmp_path / "queries"
    shutil.copytree(ROOT / "queries", queries)
    return queries


def test_check_prints_a_diff_per_changed_example_and_update_rewrites_it(
    built_nq: Path, tmp_path: Path
) -> None:
    queries = project_copy(tmp_path)
    expected = queries / "examples" / "03-signing-dates-by-source.tsv"
    right = expected.read_text(encoding="utf-8")
    expected.write_text(right.replace('"2020-11-09"', '"2020-11-08"'), encoding="utf-8")
    env = {"KG_QUERIES_DIR": str(queries), "KG_BUILD_DIR": str(built_nq.parent)}
    runner = CliRunner()
    check = runner.invoke(cli, ["examples", "--check"], env=env)
    assert check.exit_code == 1, check.output
    assert f"{queries / 'examples' / '03-signing-dates-by-source.rq'}: answer differs" \
        in check.output
    assert [line[:12] for line in check.output.splitlines() if line[:1] in "+-"] == [
        "--- 03-signi", "+++ 03-signi", '-"2020-11-08', '+"2020-11-09']
    assert f"1 problem(s) in {len(EXAMPLES)} examples" in check.output
    update = runner.invoke(cli, ["examples", "--update"], env=env)
    assert update.exit_code == 0, update.output
    assert update.output.splitlines()[0] == f"wrote {expected}"
    assert expected.read_text(encoding="utf-8") == right
    again = runner.invoke(cli, ["examples", "--check"], env=env)
    assert again.exit_code == 0, again.output


def test_check_fails_on_an_example_whose_order_ties(built_nq: Path, tmp_path: Path) -> None:
    queries = project_copy(tmp_path)
    path = queries / "examples" / "13-exodus-figures.rq"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("ORDER BY ?minValue ?phrase ?approximation ?maxValue ?article",
                                 "ORDER BY ?minValue"), encoding="utf-8")
    env = {"KG_QUERIES_DIR": str(queries), "KG_BUILD_DIR": str(built_nq.parent)}
    result = CliRunner().invoke(cli, ["examples", "--check"], env=env)
    assert result.exit_code == 1
    assert f"{path}: ORDER BY leaves ties" in result.output
    assert "add ?phrase ?approximation ?maxValue ?article" in result.output


def test_an_example_without_an_expected_file_says_how_to_write_one(
    built_nq: Path, tmp_path: Path
) -> None:
    queries = project_copy(tmp_path)
    (queries / "examples" / "01-articles.tsv").unlink()
    env = {"KG_QUERIES_DIR": str(queries), "KG_BUILD_DIR": str(built_nq.parent)}
    result = CliRunner().invoke(cli, ["examples", "--check"], env=env)
    assert result.exit_code == 1
    assert "no expected answer 01-articles.tsv; write it with `kg examples --update`" \
        in result.output


def test_an_example_that_does_not_parse_is_exit_2_naming_it(built_nq, tmp_path) -> None:
    queries = project_copy(tmp_path)
    path = queries / "examples" / "02-agreement-parties-and-terms.rq"
    path.write_text("SELECT ?x WHERE { ?x ?y }", encoding="utf-8")
    env = {"KG_QUERIES_DIR": str(queries), "KG_BUILD_DIR": str(built_nq.parent)}
    result = CliRunner().invoke(cli, ["examples", "--check"], env=env)
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {path}: SPARQL syntax error: ")
    assert "Traceback" not in result.output


def test_examples_needs_a_mode() -> None:
    result = CliRunner().invoke(cli, ["examples"])
    assert result.exit_code == 2 and "give --check or --update" in result.output
