"""`kg extract`: bad input is one line and exit 2; the output follows its JSON Schema on every
curated article; --evaluate meets the issue's targets (recomputed here, never copied)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from click.testing import CliRunner

from cli import kg as cli
from cli.extract import TARGETS
from extract import extract
from extract.evaluate import evaluate
from extract.lexicon import load_lexicon
from tests.conftest import ROOT

SEEDS = ROOT / "seeds"
SCHEMA = json.loads((SEEDS / "schema" / "extraction.schema.json").read_text())
ARTICLES = sorted((SEEDS / "articles").glob("*.txt"))


def kg(*args: str):
    return CliRunner().invoke(cli, list(args), env={"KG_SEEDS_DIR": str(SEEDS)})


@pytest.mark.parametrize("make,message", [
    (lambda d: d / "missing.txt", "no such file"),
    (lambda d: d, "is a directory"),
    (lambda d: Path("/dev/null"), "not a regular file"),
    (lambda d: _write(d / "empty.txt", b" \n"), "empty"),
    (lambda d: _write(d / "x.bin", b"\x7fELF\x00\x01"), "binary data"),
    (lambda d: _write(d / "latin.txt", "café".encode("latin-1")), "not UTF-8"),
    (lambda d: _write(d / "big.txt", b"a" * 2_000_001), "more than the 2000000"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, make, message):
    result = kg("extract", str(make(tmp_path)))
    assert result.exit_code == 2
    assert message in result.output
    assert result.output.count("\n") == 1 and result.output.startswith("error: ")


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_bad_options_exit_2(tmp_path):
    article = _write(tmp_path / "a.txt", b"Dmitry Peskov confirmed it.")
    assert kg("extract", str(article), "--published", "2024-13-01").exit_code == 2
    assert kg("extract", str(article), "--language", "e1").exit_code == 2
    assert kg("extract").exit_code == 2
    assert kg("extract", str(article), "--evaluate").exit_code == 2


def test_yaml_and_json_say_the_same(tmp_path):
    import yaml

    article = _write(tmp_path / "a.txt", b"Dmitry Peskov confirmed it on Wednesday.\r\n")
    as_json = json.loads(kg("extract", str(article), "--published", "2024-04-17").output)
    as_yaml = yaml.safe_load(kg("extract", str(article), "--published", "2024-04-17",
                                "--format", "yaml").output)
    assert as_json == as_yaml
    assert as_json["statements"][0]["speaker"] == "person/dmitry-peskov"
    assert as_json["dates"][0]["value"] == "2024-04-17"


@pytest.fixture(scope="module")
def lexicon():
    return load_lexicon(SEEDS)


@pytest.mark.parametrize("path", ARTICLES, ids=lambda p: p.stem)
def test_output_follows_the_schema_on_every_curated_article(path, lexicon):
    text = path.read_text(encoding="utf-8")
    out = extract(text, registry=lexicon)
    jsonschema.validate(out, SCHEMA)
    for key in ("mentions", "statements", "dates", "quantities"):
        for item in out[key]:
            assert text[item["start"]:item["end"]] == item["text"]
    for claim in out["claims"]:
        ev = claim["evidence"]
        assert text[ev["start"]:ev["start"] + len(ev["exact"])] == ev["exact"]


@pytest.fixture(scope="module")
def scores(lexicon):
    return evaluate(SEEDS, lexicon)


@pytest.mark.parametrize("key,measure,target", TARGETS)
def test_evaluation_meets_the_targets(scores, key, measure, target):
    assert getattr(scores[key], measure) >= target


def test_the_readme_shows_the_measured_table(scores):
    from extract.evaluate import table

    assert table(scores) in (ROOT / "README.md").read_text(encoding="utf-8")


def test_evaluate_prints_the_table_and_exits_1_on_a_missed_target():
    result = kg("extract", "--evaluate")
    assert result.output.startswith("| finding | gold | found | recall |")
    assert result.exit_code == 0
    assert result.output.count("\nok   ") == len(TARGETS)
