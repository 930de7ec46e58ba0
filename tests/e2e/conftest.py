"""Browser tests: the app served on a free local port from the bundled data, driven by Debian's headless Chromium."""

from __future__ import annotations

import io
import os
import shutil
import threading
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Route
from werkzeug.serving import make_server

from etl.load import build
from mission import db as mission_db
from tests.conftest import BUNDLED, CDP_2020, CDP_2021

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
]

# True once the Dash renderer has hydrated the layout and no callback is pending (as dash.testing checks),
# and no component still shows its loading state.
DASH_IDLE = """() => {
    const store = window.store;
    if (!store) return false;
    const state = store.getState();
    return state.appLifecycle === "HYDRATED" && !state.isLoading
        && !document.querySelector('[data-dash-is-loading="true"]');
}"""


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="package")
def served_db(tmp_path_factory) -> Path:
    """The bundled data plus the CDP fixture files (invented totals in CDP's layouts, tests/fixtures/cdp): baselines
    and totals are those of `bundled_db`; a few cities also have totals reported elsewhere to compare."""
    db = tmp_path_factory.mktemp("served") / "mission.duckdb"
    build(BUNDLED, db, with_cdp=[CDP_2021, CDP_2020])
    return db


# Package scope: MISSION_DB is restored as soon as the browser tests are done, so no later test relies on it.
@pytest.fixture(scope="package")
def live_server(served_db: Path) -> Iterator[str]:
    """The app on http://127.0.0.1:PORT, reading the warehouse built from the bundled data and the CDP fixtures."""
    previous = os.environ.get("MISSION_DB")
    os.environ["MISSION_DB"] = str(served_db)
    mission_db.close_all()
    # Imported, never reloaded: tests/integration/test_app.py reloads it, and either order works.
    import app

    server = make_server("127.0.0.1", 0, app.server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()
        mission_db.close_all()
        if previous is None:
            os.environ.pop("MISSION_DB", None)
        else:
            os.environ["MISSION_DB"] = previous


def chromium_path() -> str:
    """MISSION_CHROMIUM if set, else Debian's chromium."""
    explicit = os.environ.get("MISSION_CHROMIUM")
    if explicit:
        if not Path(explicit).is_file():
            pytest.fail(f"MISSION_CHROMIUM={explicit} is not a file", pytrace=False)
        return explicit
    found = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(found).is_file():
        pytest.fail(
            "No Chromium for the browser tests: install Debian's (`apt-get install chromium`) or set "
            "MISSION_CHROMIUM to a Chromium executable (`playwright install` needs internet, which CI lacks).",
            pytrace=False,
        )
    return found


@dataclass
class Visit:
    """One browser tab on the live server, with what went wrong in it."""

    page: Page
    base_url: str
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)

    def url(self, path: str = "/") -> str:
        return self.base_url + path

    def goto(self, path: str = "/") -> Page:
        self.page.goto(self.url(path))
        wait_for_dash(self.page)
        return self.page


@dataclass(frozen=True)
class Brief:
    """A brief as the page's button downloaded it: its file name and its ZIP."""

    filename: str
    archive: zipfile.ZipFile

    @property
    def names(self) -> set[str]:
        return set(self.archive.namelist())

    @property
    def pdf_name(self) -> str:
        (name,) = [n for n in self.names if n.endswith(".pdf")]
        return name

    def pdf(self):
        from pypdf import PdfReader

        return PdfReader(io.BytesIO(self.archive.read(self.pdf_name)))


def download_brief(page: Page, timeout_ms: float = 120_000, meanwhile: Callable[[], None] | None = None) -> Brief:
    """Press the page's "Download brief" button and wait for the file; `meanwhile` runs while the brief is made."""
    with page.expect_download(timeout=timeout_ms) as download:
        page.get_by_role("button", name="Download brief (PDF, PNG, CSV)").click()
        if meanwhile:
            meanwhile()
    return Brief(download.value.suggested_filename,
                 zipfile.ZipFile(io.BytesIO(download.value.path().read_bytes())))


def wait_for_dash(page: Page, timeout_ms: float = 15_000) -> None:
    """Wait until the page has stopped fetching and Dash has rendered and run every callback."""
    page.wait_for_load_state("networkidle", timeout=timeout_ms)
    page.wait_for_function(DASH_IDLE, timeout=timeout_ms)


@pytest.fixture
def page(browser: Browser, live_server: str) -> Iterator[Visit]:
    """A fresh tab; at teardown the test fails if the page logged errors or tried to leave 127.0.0.1."""
    context = browser.new_context(viewport={"width": 1366, "height": 768})
    visit = Visit(context.new_page(), live_server)

    def keep_local(route: Route) -> None:
        if urlsplit(route.request.url).hostname in LOCAL_HOSTS:
            route.continue_()
        else:
            visit.external_requests.append(route.request.url)
            route.abort()

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            where = message.location.get("url")
            visit.console_errors.append(f"{message.text} (at {where})" if where else message.text)

    def on_page_error(error: Error) -> None:
        visit.page_errors.append(f"{error.name}: {error.message}")

    # On the context, not the page, so that tabs the page opens are held to 127.0.0.1 too.
    context.route("**/*", keep_local)
    visit.page.on("console", on_console)
    visit.page.on("pageerror", on_page_error)
    try:
        yield visit
    finally:
        context.close()
    assert not visit.external_requests, f"the page tried to leave 127.0.0.1: {visit.external_requests}"
    assert not visit.page_errors, f"uncaught errors in the page: {visit.page_errors}"
    assert not visit.console_errors, f"errors in the browser console: {visit.console_errors}"
