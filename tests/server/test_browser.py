"""The site in a real headless Chromium, against a live server on 127.0.0.1: the query UI (the
examples are tabs, running one shows its results table, a share link opens its query, the editor
knows the predeclared prefixes and completes the ontology's terms, result IRIs open here), search
with suggestions, the timeline and its filters, the conflicts page, and an entity page's
neighbourhood picture and timeline.

Needs Debian's chromium and chromium-driver (`.ci/run` installs them) and selenium. Without them the
test skips, saying why, except under CI=true, where a missing browser is a failure.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
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


@contextmanager
def serving(app: Flask) -> Iterator[str]:
    """``app`` on a free local port (its query workers stopped afterwards): its base URL."""
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


@pytest.fixture(scope="module")
def live_server(browser_or_skip: None, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The whole app (SPARQL endpoint with its query workers included) on a free local port."""
    app = create_app(settings_mod.load_checked(
        environ={}, DATA=str(SITE), UNION_DEFAULT_GRAPH=True,
        BUILD_DIR=str(tmp_path_factory.mktemp("build")), QUERIES_DIR=str(ROOT / "queries")))
    with serving(app) as url:
        yield url


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


# -- the site over the real build (its search index included) -------------------------------------

@pytest.fixture(scope="module")
def live_build(browser_or_skip: None, built_nq: Path) -> Iterator[str]:
    """The app over the real build (kg.nq with search.sqlite beside it), on a free local port."""
    app = create_app(settings_mod.load_checked(
        environ={}, DATA=str(built_nq), UNION_DEFAULT_GRAPH=True,
        QUERIES_DIR=str(ROOT / "queries")))
    with serving(app) as url:
        yield url


def test_the_header_search_suggests_as_you_type_and_opens_the_choice(live_build: str,
                                                                     driver) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(live_build + "/")
    box = driver.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
    box.send_keys("Stepan")
    wait = WebDriverWait(driver, TIMEOUT)
    items = wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "ul.suggestions li") or None)
    assert [(i.find_element(By.TAG_NAME, "a").text, i.find_element(By.CSS_SELECTOR, ".match").text,
             i.find_element(By.CSS_SELECTOR, ".type").text) for i in items] == [
        ("Khankendi", "Stepanakert", "settlement")]
    box.send_keys(Keys.ARROW_DOWN, Keys.ENTER)
    wait.until(lambda d: d.current_url.endswith("/id/place/khankendi"))
    assert driver.find_element(By.TAG_NAME, "h1").text == "Khankendi"


def test_the_search_page_ranks_results_with_marked_words(live_build: str, driver) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(live_build + "/")
    box = driver.find_element(By.CSS_SELECTOR, "form.search input[name=q]")
    box.send_keys("highest leadership\n")
    # the results page loads after Enter: wait for it rather than read the page being left
    WebDriverWait(driver, TIMEOUT).until(
        lambda d: d.current_url.endswith("/search?q=highest+leadership"))
    results = WebDriverWait(driver, TIMEOUT).until(
        lambda d: d.find_elements(By.CSS_SELECTOR, "ol.results li"))
    first = results[0]
    assert first.find_element(By.CSS_SELECTOR, "a.result").text == (
        "Claim 4 of jamnews-2024-04-17-peacekeepers-withdrawal")
    assert [m.text for m in first.find_elements(By.TAG_NAME, "mark")] == ["highest",
                                                                          "leadership"]


def test_the_timeline_draws_every_item_and_filters_them(live_build: str, driver) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select, WebDriverWait

    driver.get(live_build + "/timeline")
    wait = WebDriverWait(driver, TIMEOUT)
    box = driver.find_element(By.ID, "timeline")
    every = "64"  # as /timeline/data lists them (test_timeline.py)
    wait.until(lambda d: box.get_attribute("data-shown") == every)
    rows = driver.execute_script(
        "var t = document.getElementById('timeline').kgTimeline;"
        "return t.itemsData.get().filter(function (i) {"
        "  return i.group.indexOf('trilateral-statement-2020|dateSignedWithin') >= 0; }).length")
    assert rows == 4  # the conflicting signing dates share one row
    badge = driver.find_element(By.CSS_SELECTOR, ".group-label.conflict .badge")
    assert badge.get_attribute("textContent") == "sources conflict"
    driver.find_elements(By.CSS_SELECTOR, "input[name=source]")[0].click()
    wait.until(lambda d: box.get_attribute("data-shown") != every)
    assert 0 < int(box.get_attribute("data-shown")) < int(every)
    driver.find_elements(By.CSS_SELECTOR, "input[name=source]")[0].click()
    Select(driver.find_element(By.NAME, "actor")).select_by_visible_text("Hikmet Hajiyev")
    wait.until(lambda d: box.get_attribute("data-shown") == "4")
    assert driver.execute_script(
        "return document.getElementById('timeline').kgTimeline.itemsData.length") == 4
    assert len(driver.find_elements(By.CSS_SELECTOR, "#timeline .vis-item.vis-point")) == 4


def test_the_conflicts_page_shows_every_set_with_its_sentences(live_build: str,
                                                               driver) -> None:
    from selenium.webdriver.common.by import By

    driver.get(live_build + "/conflicts")
    sets = driver.find_elements(By.CSS_SELECTOR, ".disagreement")
    assert len(sets) == 10
    assert len(driver.find_elements(By.CSS_SELECTOR, ".disagreement.conflict")) == 2
    for s in sets:
        assert len(s.find_elements(By.CSS_SELECTOR, ".side")) >= 2
        assert all(m.is_displayed() for m in s.find_elements(By.CSS_SELECTOR, "mark"))


def test_an_entity_page_draws_its_neighbourhood_and_timeline(live_build: str, driver) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(live_build + "/id/person/hikmet-hajiyev")
    wait = WebDriverWait(driver, TIMEOUT)
    nodes = wait.until(lambda d: d.execute_script(
        "var b = document.getElementById('neighbourhood'); return b && b.kgCy &&"
        " b.kgCy.nodes().map(function (n) { return n.data('label'); })"))
    assert "Hikmet Hajiyev" in nodes and "Ilham Aliyev" in nodes
    assert driver.find_element(By.CSS_SELECTOR, "#neighbourhood canvas").is_displayed()
    section = driver.find_element(By.CSS_SELECTOR, "section.entity-timeline")
    wait.until(lambda d: section.is_displayed())
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR,
                                             "#entity-timeline .vis-item.vis-point")) == 4)
    driver.execute_script("document.getElementById('neighbourhood').kgCy.$('node')"
                          ".filter(function (n) { return n.data('label') === 'Ilham Aliyev'; })"
                          ".emit('tap')")
    wait.until(lambda d: d.current_url.endswith("/id/person/ilham-aliyev"))


def test_a_share_link_opens_the_shared_query(live_build: str, driver) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    examples = load_examples(ROOT / "queries" / "examples")
    third = examples[2]
    driver.get(live_build + "/query")
    wait = WebDriverWait(driver, TIMEOUT)
    wait.until(lambda d: d.execute_script("return !!window.kgYasgui"))
    link = driver.execute_script(
        "var title = arguments[0], g = window.kgYasgui, tab = Object.keys(g._tabs).map("
        "  function (i) { return g.getTab(i); }).filter(function (t) {"
        "    return t.getName() === title; })[0];"
        "g.selectTabId(tab.getId()); var y = g.getTab().getYasqe();"
        "return y.config.createShareableLink(y);", third.title)
    assert link.startswith(live_build + "/query#query=")
    driver.get("about:blank")
    driver.get(link)
    wait.until(lambda d: d.execute_script("return !!window.kgYasgui"))
    name, value = driver.execute_script(
        "var t = window.kgYasgui.getTab(); return [t.getName(), t.getYasqe().getValue()]")
    assert (name, value) == (third.title, third.query)


def test_the_editor_knows_the_predeclared_prefixes_and_links_results_here(
        live_build: str, driver) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(live_build + "/query")
    wait = WebDriverWait(driver, TIMEOUT)
    wait.until(lambda d: d.execute_script("return !!window.kgYasgui"))
    valid = driver.execute_script(
        "var y = window.kgYasgui.getTab().getYasqe();"
        "y.setValue('SELECT ?c WHERE { ?c a kg:Claim ; schema:x wd:Q1 } LIMIT 2');"
        "var ok = y.queryValid; y.setValue('SELECT ?c WHERE { ?c a nope:Claim }');"
        "return [ok, y.queryValid];")
    assert valid == [True, False]
    driver.execute_script(
        "var y = window.kgYasgui.getTab().getYasqe(); y.setValue('SELECT * { ?s a kg:Agre');"
        "y.focus(); y.setCursor({line: 0, ch: 99}); y.autocomplete();")
    hints = wait.until(lambda d: d.execute_script(
        "return Array.from(document.querySelectorAll('.CodeMirror-hint'))"
        ".map(function (e) { return e.textContent; });") or None)
    assert hints == ["kg:Agreement"]
    driver.execute_script(
        "var y = window.kgYasgui.getTab().getYasqe();"
        "y.setValue('SELECT ?c WHERE { ?c a kg:Claim } ORDER BY ?c LIMIT 2'); y.query();")
    links = wait.until(lambda d: d.execute_script(
        "return Array.from(document.querySelectorAll('.tabPanel.active .yasr td a'))"
        ".map(function (a) { return a.href; })") or None)
    assert links and all(h.startswith(live_build + "/id/claim/") for h in links), links


def test_results_show_as_a_timeline_and_a_chart(live_build: str, driver) -> None:
    from selenium.webdriver.support.ui import WebDriverWait

    examples = {e.name: e for e in load_examples(ROOT / "queries" / "examples")}
    driver.get(live_build + "/query")
    wait = WebDriverWait(driver, TIMEOUT)
    wait.until(lambda d: d.execute_script("return !!window.kgYasgui"))

    def run(name: str, plugin: str) -> None:
        driver.execute_script(
            "var y = window.kgYasgui.getTab().getYasqe(); y.setValue(arguments[0]); y.query();",
            examples[name].query)
        wait.until(lambda d: d.execute_script(
            "var r = window.kgYasgui.getTab().getYasr().results;"
            "return !!(r && r.getBindings && r.getBindings().length)"))
        driver.execute_script("window.kgYasgui.getTab().getYasr().selectPlugin(arguments[0])",
                              plugin)

    run("03-signing-dates-by-source", "timeline")
    dates = wait.until(lambda d: d.execute_script(
        "return Array.from(document.querySelectorAll('.tabPanel.active .kg-result-timeline "
        ".vis-item.vis-box, .tabPanel.active .kg-result-timeline .vis-item.vis-range'))"
        ".length") or None)
    assert dates == 4  # one per source, as the query's ?dateSigned column gives them
    run("01-articles", "chart")
    bars = wait.until(lambda d: d.execute_script(
        "return Array.from(document.querySelectorAll('.tabPanel.active svg.kg-result-chart rect'))"
        ".map(function (r) { return Number(r.getAttribute('width')) > 0; })") or None)
    assert bars == [True] * 5  # the five articles, by their number of claims


@pytest.fixture(scope="module")
def live_places(browser_or_skip: None) -> Iterator[str]:
    """The app over tests/data/places.trig (places with Wikidata coordinates)."""
    app = create_app(settings_mod.load_checked(
        environ={}, DATA=str(ROOT / "tests" / "data" / "places.trig"), UNION_DEFAULT_GRAPH=True,
        WORKERS=0))
    with serving(app) as url:
        yield url


def test_a_place_page_draws_its_map_offline(live_places: str, driver) -> None:
    """Country outlines and points from this host only; the centre drawn apart; a point opens its
    page; Azerbaijan's point lies east and north of Khankendi's."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    driver.get(live_places + "/id/place/khankendi")
    wait = WebDriverWait(driver, TIMEOUT)
    svg = driver.find_element(By.ID, "place-map")
    wait.until(lambda d: svg.get_attribute("data-drawn") == "2")
    assert svg.get_attribute("data-outlines-failed") is None
    assert len(driver.find_elements(By.CSS_SELECTOR, "#place-map path.country")) > 20
    centre = driver.find_element(By.CSS_SELECTOR, "#place-map circle.place.centre")
    other = driver.find_element(By.CSS_SELECTOR, "#place-map circle.place:not(.centre)")
    assert float(other.get_attribute("cx")) > float(centre.get_attribute("cx"))  # east
    assert float(other.get_attribute("cy")) < float(centre.get_attribute("cy"))  # north
    labels = [t.text for t in driver.find_elements(By.CSS_SELECTOR, "#place-map .place-label")]
    assert labels == ["Khankendi", "Azerbaijan"]
    requested = driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })")
    assert requested and all(url.startswith(live_places) for url in requested)
    driver.find_element(By.CSS_SELECTOR, "#place-map a circle.place:not(.centre)").click()
    wait.until(lambda d: d.current_url.endswith("/id/state/azerbaijan"))
