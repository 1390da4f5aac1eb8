"""`kg ingest`: bad input is a one-line error, exit 2, and nothing written; HTML pages, folders
and runs from a subfolder of the project."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import kg as cli
from graph.seeds import load_article
from tests.conftest import ROOT

TEXT = "The last Russian peacekeepers left Karabakh on 12 June 2024, officials said.\n"
PAGE = """<!DOCTYPE html>
<html><head><title>Peacekeepers gone | Example News</title>
<meta property="article:published_time" content="2024-06-13">
<link rel="canonical" href="https://example.org/news/peacekeepers-gone"></head>
<body><nav>Menu | Subscribe | Log in</nav>
<article><h1>Peacekeepers gone</h1>
<p>The last Russian peacekeepers left Karabakh on 12 June 2024, officials said.</p>
<p>The contingent had been deployed under the trilateral statement of November 2020.</p>
</article><footer>Copyright Example News</footer></body></html>
"""


def files(seeds: Path) -> set[str]:
    """Every file under articles/, hidden (temporary) ones included."""
    return {p.name for p in (seeds / "articles").iterdir()}


def ingest(seeds: Path, *args: str, **env: str):
    return CliRunner().invoke(cli, ["ingest", *args], env={"KG_SEEDS_DIR": str(seeds), **env})


def refused(result, message: str) -> None:
    assert result.exit_code == 2, result.output
    assert result.output == f"error: {message}\n"  # one line, no traceback


@pytest.fixture()
def received(tmp_path: Path) -> Path:
    path = tmp_path / "received.txt"
    path.write_text(TEXT, encoding="utf-8")
    return path


def test_a_300_character_id_is_refused_by_the_id_rule(small_seeds, received) -> None:
    """Regression: a valid-looking 300-character slug crashed with OSError: File name too long."""
    before = files(small_seeds)
    result = ingest(small_seeds, str(received), "--id", "a" * 300)
    refused(result, f"{received}: bad article id: 300 characters, more than the 100 an article "
                    "id may have")
    assert files(small_seeds) == before


def test_an_id_of_the_longest_length_is_accepted(small_seeds, received) -> None:
    result = ingest(small_seeds, str(received), "--id", "a" * 100)
    assert result.exit_code == 0, result.output
    assert (small_seeds / "articles" / f"{'a' * 100}.txt").read_text(encoding="utf-8") == TEXT


def test_the_schema_keeps_the_same_id_length() -> None:
    import json

    from graph.iris import ARTICLE_ID_MAX_LENGTH

    schema = json.loads((ROOT / "seeds/schema/article.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["article"]["properties"]["id"]["maxLength"] == \
        ARTICLE_ID_MAX_LENGTH


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda d: d / "missing.txt", "file not found"),
        (lambda d: d, "is a directory, not an article file; give one article file, or the "
                      "folder without --id to ingest each file in it"),
        (lambda d: Path("/dev/null"), "is a character device, not an article file"),
        (lambda d: _write(d / "empty.txt", b""),
         "the file is empty (0 bytes): there is no article to ingest"),
        (lambda d: _write(d / "latin1.txt", "Caf\u00e9".encode("latin-1")),
         "not UTF-8: 'utf-8' codec can't decode byte 0xe9 in position 3: unexpected end of data"),
        (lambda d: _write(d / "big.txt", b"x" * 101),
         "is larger than KG_MAX_ARTICLE_BYTES=100 bytes; is it one news article?"),
    ],
    ids=["missing", "directory", "dev-null", "empty", "not-utf8", "too-large"],
)
def test_bad_sources_are_named_and_nothing_is_written(small_seeds, tmp_path, make, problem):
    source = make(tmp_path)
    before = files(small_seeds)
    result = ingest(small_seeds, str(source), "--id", "new-article", KG_MAX_ARTICLE_BYTES="100")
    refused(result, f"{source}: {problem}")
    assert files(small_seeds) == before


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


@pytest.mark.parametrize(
    ("option", "value", "problem"),
    [
        ("--date", "2024-02-30", "no such date (day is out of range for month)"),
        ("--date", "17 April 2024", "not a date (2024-04-17, 2024-04 or 2024)"),
        ("--publisher", "JAMnews", "give the registry id of the publisher, e.g. "
                                   "organization/jamnews"),
        ("--url", "ftp://example.org/a", "not an http(s) URL"),
        ("--language", "english", "give a two-letter code such as en or ru"),
    ],
)
def test_bad_options_are_named(small_seeds, received, option, value, problem) -> None:
    before = files(small_seeds)
    result = ingest(small_seeds, str(received), "--id", "new-article", option, value)
    refused(result, f"{option} {value!r}: {problem}")
    assert files(small_seeds) == before


def test_metadata_options_go_into_the_annotation(small_seeds, received) -> None:
    result = ingest(small_seeds, str(received), "--id", "example-2024-06-13-gone",
                    "--title", "Peacekeepers gone: the last leave", "--publisher",
                    "organization/jamnews", "--date", "2024-06-13", "--url",
                    "https://example.org/gone", "--language", "en")
    assert result.exit_code == 0, result.output
    yml = small_seeds / "articles" / "example-2024-06-13-gone.yaml"
    meta = load_article(yml, small_seeds / "schema").meta
    assert (meta["title"], meta["publisher"], meta["published"], meta["url"]) == (
        "Peacekeepers gone: the last leave", "organization/jamnews", {"date": "2024-06-13"},
        "https://example.org/gone")
    # the assistant's drafts follow the metadata (their content: tests/test_extract_parts.py)
    assert "\nclaims:\n  - n: 1\n    status: draft\n" in yml.read_text(encoding="utf-8")


def test_html_is_stored_as_its_article_text_with_the_page_beside_it(small_seeds, tmp_path):
    page = tmp_path / "page.html"
    page.write_text(PAGE, encoding="utf-8")
    result = ingest(small_seeds, str(page), "--id", "example-2024-06-13-gone")
    assert result.exit_code == 0, result.output
    articles = small_seeds / "articles"
    assert (articles / "example-2024-06-13-gone.html").read_bytes() == page.read_bytes()
    assert (articles / "example-2024-06-13-gone.txt").read_text(encoding="utf-8") == (
        "Peacekeepers gone\n"
        "The last Russian peacekeepers left Karabakh on 12 June 2024, officials said.\n"
        "The contingent had been deployed under the trilateral statement of November 2020.")
    meta = load_article(articles / "example-2024-06-13-gone.yaml", small_seeds / "schema").meta
    assert meta["title"] == "Peacekeepers gone"  # the site name after "|" left out
    assert meta["url"] == "https://example.org/news/peacekeepers-gone"
    assert meta["published"] == {
        "date": "2024-06-13",
        "inferred": "from the HTML page's metadata (trafilatura): check it against the text"}


def test_html_is_recognised_by_its_content_too(small_seeds, tmp_path) -> None:
    page = tmp_path / "page.txt"
    page.write_text(PAGE, encoding="utf-8")
    assert ingest(small_seeds, str(page), "--id", "x-page").exit_code == 0
    assert (small_seeds / "articles" / "x-page.html").is_file()
    assert "<" not in (small_seeds / "articles" / "x-page.txt").read_text(encoding="utf-8")


def test_a_failure_after_the_text_is_written_leaves_nothing_behind(
    small_seeds, received, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: a failure after the copy left the .txt behind."""
    import graph.ingest

    real = graph.ingest.os.replace

    def replace(src, dst):
        if str(dst).endswith(".yaml"):
            raise OSError(28, "No space left on device")
        real(src, dst)

    monkeypatch.setattr(graph.ingest.os, "replace", replace)
    before = files(small_seeds)
    result = ingest(small_seeds, str(received), "--id", "new-article")
    refused(result, f"{small_seeds / 'articles'}: could not write new-article: [Errno 28] No "
                    "space left on device; nothing was written")
    assert files(small_seeds) == before


def project_copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    project.mkdir()
    shutil.copy(ROOT / "pyproject.toml", project)
    shutil.copytree(ROOT / "seeds", project / "seeds")
    return project


def test_run_from_a_subfolder_it_adds_to_the_projects_seeds(
    tmp_path, received, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Regression: run from a subfolder, it wrote to ./seeds/ there, which no build reads."""
    project = project_copy(tmp_path)
    (project / "notes" / "drafts").mkdir(parents=True)
    monkeypatch.chdir(project / "notes" / "drafts")
    result = CliRunner().invoke(cli, ["ingest", str(received), "--id", "new-article"])
    assert result.exit_code == 0, result.output
    assert (project / "seeds" / "articles" / "new-article.txt").read_text() == TEXT
    assert not (project / "notes" / "drafts" / "seeds").exists()


def test_outside_any_project_it_refuses(tmp_path, received, monkeypatch) -> None:
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    result = CliRunner().invoke(cli, ["ingest", str(received), "--id", "new-article"])
    refused(result, f"no project here: no pyproject.toml beside seeds/entities.yaml in "
                    f"{tmp_path / 'elsewhere'} or any folder above it; run `kg ingest` inside "
                    "the project, or set KG_SEEDS_DIR")
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_a_folder_is_ingested_file_by_file_with_a_progress_bar(small_seeds, tmp_path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "007 Received.txt").write_text(TEXT, encoding="utf-8")
    (folder / "page.html").write_text(PAGE, encoding="utf-8")
    (folder / "notes.md").write_text("not an article", encoding="utf-8")
    result = ingest(small_seeds, str(folder))
    assert result.exit_code == 0, result.output
    assert "reading 2 files" in result.output
    assert files(small_seeds) - {p.name for p in (ROOT / "seeds" / "articles").iterdir()} == {
        "007-received.txt", "007-received.yaml", "page.txt", "page.yaml", "page.html"}


def test_a_folder_with_a_bad_file_writes_nothing_and_names_each(small_seeds, tmp_path) -> None:
    folder = tmp_path / "inbox"
    folder.mkdir()
    (folder / "good.txt").write_text(TEXT, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "Good.html").write_text(PAGE, encoding="utf-8")
    before = files(small_seeds)
    result = ingest(small_seeds, str(folder))
    assert result.exit_code == 2
    assert result.output.splitlines()[-2:] == [
        f"{folder / 'empty.txt'}: the file is empty (0 bytes): there is no article to ingest",
        f"{folder / 'good.txt'}: gives the same article id 'good' as Good.html",
    ]
    assert files(small_seeds) == before


def test_drafted_claims_go_into_the_annotation_as_drafts(
    small_seeds, received, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The one place drafts come in (graph/drafting.py, from the extractor): what it returns is
    written as it is, multi-line facts as literal blocks, and must load as a seed."""
    draft = {"n": 1, "status": "draft",
             "evidence": {"start": 0, "exact": "The last Russian peacekeepers left Karabakh"},
             "mode": "Authorial",
             "facts": 'withdrawal:russian-peacekeepers-karabakh\n    kg:endDate '
                      '"2024-06-12"^^xsd:date .\n'}
    asked = []
    monkeypatch.setattr("graph.ingest.draft_claims",
                        lambda text, **kw: asked.append((text, kw)) or [draft])
    result = ingest(small_seeds, str(received), "--id", "new-article", "--date", "2024-06-13")
    assert result.exit_code == 0, result.output
    assert asked == [(TEXT, {"published": "2024-06-13", "language": "en",
                             "seeds_dir": small_seeds})]
    yml = small_seeds / "articles" / "new-article.yaml"
    assert yml.read_text(encoding="utf-8").endswith(
        "claims:\n  - n: 1\n    status: draft\n    evidence:\n      start: 0\n"
        "      exact: The last Russian peacekeepers left Karabakh\n    mode: Authorial\n"
        "    facts: |\n      withdrawal:russian-peacekeepers-karabakh\n"
        '          kg:endDate "2024-06-12"^^xsd:date .\n')
    claim = load_article(yml, small_seeds / "schema").claims[0]
    assert claim.draft and claim.facts == draft["facts"]


def test_a_draft_that_does_not_fit_the_schema_writes_nothing(
    small_seeds, received, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("graph.ingest.draft_claims", lambda text, **kw: [{"n": 1}])
    before = files(small_seeds)
    result = ingest(small_seeds, str(received), "--id", "new-article")
    assert result.exit_code == 2
    assert "'evidence' is a required property" in result.output
    assert files(small_seeds) == before
