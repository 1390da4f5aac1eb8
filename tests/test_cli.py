"""The `kg` command line: exit codes 0/1/2, readable validation reports, query formats."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from cli import kg as cli
from tests.conftest import EXAMPLE_ARTICLE, ROOT

ARTICLE = f"articles/{EXAMPLE_ARTICLE}.yaml"


def env_for(seeds: Path, build: Path) -> dict[str, str]:
    return {
        "KG_SEEDS_DIR": str(seeds),
        "KG_BUILD_DIR": str(build),
        "KG_ONTOLOGY_DIR": str(ROOT / "ontology"),
        "KG_QUERIES_DIR": str(ROOT / "queries"),
    }


def conform_alone(seeds: Path) -> None:
    """The example article alone does not describe every registry entity; keep the one shape
    that needs other articles out of the way, so that the small seeds build."""
    entities = seeds / "entities.yaml"
    entities.write_text(
        entities.read_text().replace(
            "type: kg:Deployment\n    label: Russian peacekeeping presence",
            "type: kg:Event\n    label: Russian peacekeeping presence",
        )
    )


def break_a_shape(seeds: Path) -> int:
    """Make claim 2 give a place as the deployment's host state; return the facts line."""
    path = seeds / ARTICLE
    text = path.read_text(encoding="utf-8")
    text = text.replace("kg:hostState state:azerbaijan ;", "kg:hostState place:karabakh ;", 1)
    path.write_text(text, encoding="utf-8")
    return next(i for i, line in enumerate(text.splitlines(), 1) if "place:karabakh ;" in line)


def test_validate_reports_claim_file_line_shape_and_message(small_seeds: Path, tmp_path) -> None:
    break_a_shape(small_seeds)
    result = CliRunner().invoke(cli, ["validate"], env=env_for(small_seeds, tmp_path / "b"))
    assert result.exit_code == 1, result.output
    claim = f"https://w3id.org/karabakh-kg/id/claim/{EXAMPLE_ARTICLE}/1"
    line = next(
        entry
        for entry in result.output.splitlines()
        if "hostState" in entry and "kg:State" in entry
    )
    assert f"{small_seeds / ARTICLE}:" in line
    assert f"(claim <{claim}>)" in line
    assert "[shape kgs:DeploymentShape / kg:hostState]" in line
    assert "A deployment needs a host state (kg:hostState) that is a kg:State." in line


# Regression: a result on a much-described entity named entities.yaml and "N more" places
# instead of the line that states the offending value.
def test_shacl_result_names_the_line_that_states_the_value(small_seeds: Path, tmp_path) -> None:
    line = break_a_shape(small_seeds)
    result = CliRunner().invoke(cli, ["validate"], env=env_for(small_seeds, tmp_path / "b"))
    claim = f"https://w3id.org/karabakh-kg/id/claim/{EXAMPLE_ARTICLE}/1"
    found = [entry for entry in result.output.splitlines() if "place/karabakh:" in entry]
    assert len(found) == 1 and found[0].startswith(
        f"{small_seeds / ARTICLE}:{line} (claim <{claim}>): Violation "
    ), result.output


def test_build_with_a_shacl_violation_exits_1_and_keeps_the_build(
    small_seeds: Path, tmp_path: Path
) -> None:
    break_a_shape(small_seeds)
    build = tmp_path / "build"
    build.mkdir()
    (build / "kg.nq").write_text("previous\n")
    result = CliRunner().invoke(cli, ["build"], env=env_for(small_seeds, build))
    assert result.exit_code == 1
    assert "SHACL" in result.output and "the build was not written" in result.output
    assert (build / "kg.nq").read_text() == "previous\n"


def test_check_rejects_what_validation_rejects(small_seeds: Path, tmp_path: Path) -> None:
    """Regression: `kg check ID` said ok on an annotation SHACL (and so the build) rejects."""
    conform_alone(small_seeds)
    env = env_for(small_seeds, tmp_path / "b")
    ok = CliRunner().invoke(cli, ["check", EXAMPLE_ARTICLE], env=env)
    assert ok.exit_code == 0, ok.output
    assert ok.output.splitlines()[-1] == (
        f"ok: {EXAMPLE_ARTICLE}: the build accepts the seeds (17 claims; SHACL conforms; "
        "13 checks at zero rows)")
    break_a_shape(small_seeds)
    quick = CliRunner().invoke(cli, ["check", "--quick", EXAMPLE_ARTICLE], env=env)
    assert quick.exit_code == 0 and "--quick: not validated" in quick.output
    result = CliRunner().invoke(cli, ["check", EXAMPLE_ARTICLE], env=env)
    assert result.exit_code == 1, result.output
    assert "A deployment needs a host state (kg:hostState) that is a kg:State." in result.output
    assert "ok:" not in result.output
    assert not (tmp_path / "b").exists()


def test_check_of_an_article_that_does_not_exist_is_exit_2(small_seeds: Path) -> None:
    result = CliRunner().invoke(cli, ["check", "nope"], env=env_for(small_seeds, small_seeds))
    assert result.exit_code == 2
    assert result.output == f"error: {small_seeds / 'articles'}: no such article: nope (no " \
        "nope.yaml)\n"


def progress_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("[")]


@pytest.mark.parametrize(
    "command, steps",
    [
        ("check --quick", ["load ontology and seeds", "map claims and ground evidence"]),
        ("validate", ["load ontology and seeds", "map claims and ground evidence",
                      "validate with SHACL"]),
        ("check", ["load ontology and seeds", "map claims and ground evidence",
                   "validate with SHACL", "reason (OWL 2 RL)", "derive conflicts",
                   "add ontology and Wikidata cache", "run quality checks"]),
    ],
)
def test_each_command_numbers_the_steps_it_runs(small_seeds, tmp_path, command, steps) -> None:
    conform_alone(small_seeds)
    result = CliRunner().invoke(cli, command.split(), env=env_for(small_seeds, tmp_path / "b"))
    assert result.exit_code == 0, result.output
    expected = [f"[{n}/{len(steps)}] {name} ..." for n, name in enumerate(steps, 1)]
    got = progress_lines(result.output)
    assert [line for line in got if line.endswith(" ...")] == expected, result.output
    assert [line.split(": done in ")[0] for line in got if ": done in " in line] == [
        line.removesuffix(" ...") for line in expected
    ]


# Regression: DocsError was not a KGError, so a pyLODE failure in `kg build` was a traceback.
def test_a_pylode_failure_exits_2_with_its_message_and_writes_nothing(
    small_seeds: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Failing:
        def __init__(self, ontology: str) -> None:
            pass

        def make_html(self) -> str:
            raise KeyError("title")

    monkeypatch.setattr("graph.docs._pylode_ontpub", lambda: Failing)
    conform_alone(small_seeds)
    build = tmp_path / "build"
    result = CliRunner().invoke(cli, ["build"], env=env_for(small_seeds, build))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    source = ROOT / "ontology" / "kg.ttl"
    assert f"error: {source}: pyLODE could not document it: 'title'" in result.output
    assert progress_lines(result.output)[-1] == "[8/8] write build ..."
    assert not build.exists()


def built_env(built) -> dict[str, str]:
    return {"KG_BUILD_DIR": str(built[2])}


def test_query_as_table_json_and_csv(built) -> None:
    """Each format gives the example's expected answer (its file beside the query)."""
    path = ROOT / "queries/examples/03-signing-dates-by-source.rq"
    expected = ox.parse_query_results(path.with_suffix(".tsv").read_bytes(),
                                      format=ox.QueryResultsFormat.TSV)
    names = [v.value for v in expected.variables]
    want = [[row[n] for n in names] for row in expected]
    assert len(want) >= 2
    runner = CliRunner()
    table = runner.invoke(cli, ["query", path.read_text()], env=built_env(built))
    assert table.exit_code == 0
    assert table.output.splitlines()[0].split() == names
    assert f"({len(want)} rows)" in table.output
    js = runner.invoke(cli, ["query", path.read_text(), "--format", "json"], env=built_env(built))
    got = ox.parse_query_results(js.output.encode(), format=ox.QueryResultsFormat.JSON)
    assert [[row[n] for n in names] for row in got] == want  # datatypes and tags kept
    out = runner.invoke(cli, ["query", "-f", str(path), "--format", "csv"], env=built_env(built))
    rows = list(csv.DictReader(io.StringIO(out.output)))
    assert [[r[n] for n in names] for r in rows] == [
        [term.value if term is not None else "" for term in row] for row in want]


def test_query_syntax_error_exits_2_with_the_parsers_message(built) -> None:
    result = CliRunner().invoke(cli, ["query", "SELECT ?x WHERE { ?x ?y }"], env=built_env(built))
    assert result.exit_code == 2
    assert "SPARQL syntax error" in result.output


def test_query_without_a_build_says_to_build(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["query", "ASK {}"], env={"KG_BUILD_DIR": str(tmp_path)})
    assert result.exit_code == 2
    assert "run `kg build` first" in result.output


def test_ask_and_construct_formats(built) -> None:
    runner = CliRunner()
    ask = runner.invoke(
        cli,
        ["query", "ASK { ?s a <https://w3id.org/karabakh-kg/ontology#Claim> }"],
        env=built_env(built),
    )
    assert ask.output.strip() == "yes"
    construct = runner.invoke(
        cli,
        [
            "query",
            "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH <https://w3id.org/karabakh-kg/id/claim/"
            f"{EXAMPLE_ARTICLE}/3> {{ ?s ?p ?o FILTER(?p = kg:phrase) }} }}",
            "--format",
            "nt",
        ],
        env=built_env(built),
    )
    assert construct.output.strip() == (
        f"<https://w3id.org/karabakh-kg/id/value/{EXAMPLE_ARTICLE}/3-a062c92875> "
        "<https://w3id.org/karabakh-kg/ontology#phrase> "
        '"at least until November 2025"@en .'
    )


def test_stats_counts_classes_graphs_and_articles(built) -> None:
    result = CliRunner().invoke(cli, ["stats"], env=built_env(built))
    assert result.exit_code == 0
    assert "by class" in result.output and "by graph" in result.output
    claims_line = next(
        line for line in result.output.splitlines() if line.strip().startswith("claims")
    )
    assert claims_line.split()[1] == str(len(built[1].mapped.claims))
    assert f"https://w3id.org/karabakh-kg/id/article/{EXAMPLE_ARTICLE}  17" in result.output


def test_ingest_copies_the_text_verbatim_and_starts_an_annotation(
    small_seeds: Path, tmp_path: Path
) -> None:
    source = tmp_path / "received.txt"
    source.write_bytes("A new article\u00a0with a no-break space.\r\n".encode())
    result = CliRunner().invoke(
        cli,
        ["ingest", str(source), "--id", "new-2024-05-01-article"],
        env={"KG_SEEDS_DIR": str(small_seeds)},
    )
    assert result.exit_code == 0, result.output
    txt = small_seeds / "articles" / "new-2024-05-01-article.txt"
    assert txt.read_bytes() == source.read_bytes()
    yml = (small_seeds / "articles" / "new-2024-05-01-article.yaml").read_text()
    assert "source_file: received.txt" in yml
    again = CliRunner().invoke(
        cli,
        ["ingest", str(source), "--id", "new-2024-05-01-article"],
        env={"KG_SEEDS_DIR": str(small_seeds)},
    )
    assert again.exit_code == 2 and "already exists" in again.output


def test_locate_prints_an_evidence_line() -> None:
    result = CliRunner().invoke(
        cli,
        ["locate", EXAMPLE_ARTICLE, "Russian   peacekeeping contingent leaves"],
        env={"KG_SEEDS_DIR": str(ROOT / "seeds")},
    )
    assert result.output.strip() == (
        'evidence: {start: 88, exact: "Russian peacekeeping contingent leaves"}'
    )


def test_a_failed_quality_check_exits_1_naming_the_check(small_seeds: Path, tmp_path: Path) -> None:
    path = small_seeds / ARTICLE
    text = path.read_text(encoding="utf-8")
    # One sentence stating two signing dates is a curation error (sources may disagree; one
    # sentence does not): the per-claim cardinality check catches it.
    text = text.replace(
        'kg:dateSigned "2020-11-10"^^xsd:date .',
        'kg:dateSigned "2020-11-10"^^xsd:date, "2020-11-09"^^xsd:date .',
        1,
    )
    path.write_text(text, encoding="utf-8")
    conform_alone(small_seeds)
    build = tmp_path / "build"
    checked = CliRunner().invoke(cli, ["check", EXAMPLE_ARTICLE], env=env_for(small_seeds, build))
    assert checked.exit_code == 1 and "claim-cardinality-violation.rq" in checked.output
    result = CliRunner().invoke(cli, ["build"], env=env_for(small_seeds, build))
    assert result.exit_code == 1, result.output
    assert "quality checks failed" in result.output
    # Two rows: the dates as written and the date ranges the build derives from them.
    assert "claim-cardinality-violation.rq: 2 row(s)" in result.output
    assert f"{EXAMPLE_ARTICLE}/10" in result.output
    assert not build.exists()


@pytest.mark.parametrize("base", ["https://example.org/kg", "not an iri/", "http://x y/"])
def test_bad_base_iri_setting_is_exit_2_naming_the_setting(base):
    """Regression: a bad KG_BASE_IRI ended in a MintError traceback with exit 1."""
    result = CliRunner().invoke(cli, ["check"], env={"KG_BASE_IRI": base})
    assert result.exit_code == 2
    assert f"Error: KG_BASE_IRI={base!r} is not a base IRI" in result.output
    assert "Traceback" not in result.output


def test_every_command_is_in_the_one_group_whatever_was_imported():
    """Regression: the docs test saw `kg serve` only if another test imported server.cli."""
    assert {"build", "check", "validate", "stats", "query", "locate", "ingest", "review",
            "examples", "extract", "wikidata", "export", "serve", "load"} == set(cli.commands)
