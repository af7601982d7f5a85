"""The review app in a real headless browser (Debian's chromium through chromedriver).

Skips, saying why, where chromium or chromedriver is not installed (scripts/setup.sh installs
them with apt-get when run as root). Set NEWS_WEB_SCREENSHOT_DIR to keep the screenshot
(docs/img/article-view.png is made that way).
"""
from __future__ import annotations

import os
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import quote

import pytest
from conftest import normalised, save_record, web_config
from review_fixtures import HOSTILE_PAGE, HOSTILE_URL

CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage", "--window-size=1400,1500")


def _binary(*names: str) -> str | None:
    return next((path for path in map(shutil.which, names) if path), None)


@pytest.fixture
def browser(tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install -e '.[test]')")
    chromium = _binary("chromium", "chromium-browser")
    driver_path = _binary("chromedriver")
    if not chromium or not driver_path:
        pytest.skip("no chromium/chromedriver on PATH: install Debian's `chromium chromium-driver` "
                    "(scripts/setup.sh does when run as root)")
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=driver_path))
    try:
        yield driver
    finally:
        driver.quit()


@pytest.fixture
def beacon():
    """A local server that counts every request: a remote resource that loaded would hit it."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 (http.server's name)
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/plain")
            self.end_headers()
            self.wfile.write(b"hit")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=10)


def test_demo_german_article_shows_the_cookie_wall_removed_and_a_changed_name(browser, serve, demo_store, tmp_path):
    from selenium.webdriver.common.by import By

    app = serve(web_config(f"sqlite:///{demo_store}", tmp_path))
    browser.get(f"{app.url}/?language=de")
    browser.find_element(By.PARTIAL_LINK_TEXT, "Istanbul").click()
    rows = browser.find_elements(By.CSS_SELECTOR, "tr.removed")
    cookie = next(r for r in rows if r.find_element(By.CSS_SELECTOR, ".reason-code").text == "cookie_wall")
    assert cookie.is_displayed() and "removed: cookie_wall" in cookie.text
    struck = cookie.find_element(By.TAG_NAME, "del")
    assert "line-through" in struck.value_of_css_property("text-decoration")
    mark = browser.find_element(By.CSS_SELECTOR, "mark.name[data-entity='vladimir-medinsky']")
    assert mark.text == "Vladimir Medinsky"
    assert mark.get_attribute("title").startswith("Wladimir Medinski → Vladimir Medinsky (")
    assert "untranslated: no Argos model installed" in browser.find_element(By.CSS_SELECTOR, "table.blocks").text
    out = Path(os.environ.get("NEWS_WEB_SCREENSHOT_DIR") or tmp_path) / "article-view.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    assert browser.save_screenshot(str(out))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out.stat().st_size > 20_000


def test_script_in_text_is_shown_as_text_and_the_raw_page_runs_and_loads_nothing(browser, serve, beacon,
                                                                                  sqlite_store, tmp_path):
    from selenium.common.exceptions import NoAlertPresentException
    from selenium.webdriver.common.by import By

    beacon_url, hits = beacon
    html = HOSTILE_PAGE.format(beacon=beacon_url)
    save_record(sqlite_store, normalised(html, HOSTILE_URL, "hostile"), html.encode("utf-8"))
    app = serve(web_config(f"sqlite:///{sqlite_store.path}", tmp_path))
    browser.get(f"{app.url}/article?url={quote(HOSTILE_URL, safe='')}")
    blocks = browser.find_element(By.CSS_SELECTOR, "table.blocks").text
    assert "<script>alert(1)</script>" in blocks and "<img src=x onerror=alert(2)>" in blocks
    with pytest.raises(NoAlertPresentException):
        browser.switch_to.alert.text  # noqa: B018 (reading it is the check)
    browser.find_element(By.LINK_TEXT, "Raw page as fetched").click()
    frame = browser.find_element(By.CSS_SELECTOR, "iframe.raw")
    assert frame.get_attribute("sandbox") == ""
    browser.switch_to.frame(frame)
    assert "Harbour fees rise" in browser.find_element(By.TAG_NAME, "body").text  # the page is shown
    browser.switch_to.default_content()
    assert browser.title != "pwned" and "pwned" not in browser.find_element(By.TAG_NAME, "body").text
    browser.get(f"{app.url}/health")  # a round trip after the frame loaded: its requests had their chance
    assert hits == [], f"the raw page loaded remote resources: {hits}"
