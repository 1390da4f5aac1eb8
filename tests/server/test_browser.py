"""The query UI in a real headless Chromium, against a live server on 127.0.0.1: the examples are
tabs, and running one shows its results table.

Needs Debian's chromium and chromium-driver (`.ci/run` installs them) and selenium. Without them the
test skips, saying why, except under CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from graph import settings as settings_mod
from server import create_app
from server.ui import load_examples

ROOT = Path(__file__).resolve().parents[2]
SITE = ROOT / "tests" / "data" / "site.trig"
CHROMIUM = "/usr/bin/chromium"
CHROMEDRIVER = "/usr/bin/chromedriver"
# The example run in the browser, and the rows it must show over tests/data/site.trig.
EXAMPLE = ROOT / "queries" / "examples" / "01-articles.rq"
EXPECTED_ROWS = (
    "Russian peacekeepers begin withdrawal from Karabakh",
    "Untitled article unattributed-2024-04-18-tskhinvali-scenario",
)
TIMEOUT = 30

pytestmark = [pytest.mark.live, pytest.mark.browser]


def _missing() -> str | None:
    """Why the browser test cannot run here, or None."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    for path, package in ((CHROMIUM, "chromium"), (CHROMEDRIVER, "chromium-driver")):
        if not (Path(path).is_file() and os.access(path, os.X_OK)):
            return f"{path} not found: apt-get install -y {package}"
    if not (ROOT / "node_modules" / "@zazuko" / "yasgui" / "build" / "yasgui.min.js").is_file():
        return "YASGUI is not installed: run `npm ci`"
    return None


@pytest.fixture(scope="module")
def browser_or_skip() -> None:
    reason = _missing()
    if reason is None:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and the browser test cannot run: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def live_server(browser_or_skip: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The whole app (SPARQL endpoint with its query workers included) on a free local port."""
    app = create_app(settings_mod.load_checked(
        environ={}, DATA=str(SITE), UNION_DEFAULT_GRAPH=True,
        BUILD_DIR=str(tmp_path_factory.mktemp("build")), QUERIES_DIR=str(ROOT / "queries")))
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        pool = app.extensions.get("kg_workers")
        if pool is not None:
            pool.close()


@pytest.fixture()
def driver(browser_or_skip: None, tmp_path: Path):
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1400,1000"):
        options.add_argument(flag)
    chrome = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    chrome.set_page_load_timeout(TIMEOUT)
    try:
        yield chrome
    finally:
        chrome.quit()
        shutil.rmtree(tmp_path / "profile", ignore_errors=True)


def test_query_ui_runs_an_example_and_shows_the_results_table(live_server: str, driver) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    examples = load_examples(ROOT / "queries" / "examples")
    driver.get(live_server + "/query")
    wait = WebDriverWait(driver, TIMEOUT)

    tabs = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, ".tabsList .tab"))
    names = [t.find_element(By.CSS_SELECTOR, "a > span").text.strip() for t in tabs]
    assert names == [e.title for e in examples]

    example = next(e for e in examples if e.name == EXAMPLE.stem)
    tabs[names.index(example.title)].find_element(By.TAG_NAME, "a").click()
    panel = wait.until(lambda d: next((p for p in d.find_elements(By.CSS_SELECTOR, ".tabPanel")
                                       if p.is_displayed()), None))
    endpoint = driver.execute_script("return window.kgYasgui.getTab().getEndpoint()")
    assert endpoint == live_server + "/sparql"
    panel.find_element(By.CSS_SELECTOR, ".yasqe_queryButton").click()

    rows = wait.until(lambda d: [r for r in panel.find_elements(
        By.CSS_SELECTOR, ".yasr table.dataTable tbody tr") if r.text.strip()] or None)
    texts = [r.text for r in rows]
    assert len(texts) == len(EXPECTED_ROWS), texts
    for expected in EXPECTED_ROWS:
        assert sum(expected in t for t in texts) == 1, (expected, texts)
    assert "JAMnews" in next(t for t in texts if EXPECTED_ROWS[0] in t)
