"""The Dash app shell: pages from pages/, navbar and footer from ui/; `server` is what gunicorn serves."""

from __future__ import annotations

import functools
import os
import tempfile
import time
from pathlib import Path

import dash
import diskcache
import flask
import flask_compress
import multiprocess
import werkzeug.exceptions
from dash.exceptions import DependencyException
from dash.fingerprint import check_fingerprint

from mission import db
from ui import shell

# Long work (briefs) runs as background callbacks: jobs and results live in a disk cache that every gunicorn
# worker shares. MISSION_CACHE_DIR names it; one host only (several hosts need Celery + Redis).
CACHE_DIR = Path(os.environ.get("MISSION_CACHE_DIR") or Path(tempfile.gettempdir()) / "cities-mission-cache")
# Jobs start with "spawn", not "fork": polars and DuckDB are not fork-safe (a forked job crashes).
multiprocess.set_start_method("spawn", force=True)
background = dash.DiskcacheManager(diskcache.Cache(str(CACHE_DIR)))

app = dash.Dash(
    __name__,
    use_pages=True,
    background_callback_manager=background,
    title="Cities Mission Dashboard",
    serve_locally=True,
    suppress_callback_exceptions=True,
)
# The renderer asks for the layout and the callback list only once every script has run (about 0.4 s on a repeat
# visit): the page's head asks for both at once, and the renderer takes the answers already there.
PRELOADS = "".join(f'\n        <link rel="preload" href="{app.get_relative_path(path)}" as="fetch" crossorigin>'
                   for path in ("/_dash-layout", "/_dash-dependencies"))
# Pages are in English; screen readers and browsers need to know.
app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1).replace("{%css%}", "{%css%}" + PRELOADS, 1)
app.layout = shell.layout
server = app.server


CALLBACK_ROUTE = "/_dash-update-component"
REFUSED = ("This request cannot be answered: it is not one this dashboard's pages send (a value or a component it "
           "does not know). Reload the page; if it happens again, tell us the address you were on.")


@server.errorhandler(Exception)
def _unexpected(error: Exception):
    """No traceback ever reaches the user. A callback request that makes the app fail carries values the pages
    never send (the pages' own requests are tested in a real browser): it is refused with 400 and a message.
    Anything else is a 500 without detail. Both are logged with the traceback for the operator."""
    if isinstance(error, werkzeug.exceptions.HTTPException):
        return error
    server.logger.exception("unanswerable request %s %s", flask.request.method, flask.request.path)
    if flask.request.path.endswith(CALLBACK_ROUTE):
        return flask.jsonify(error=REFUSED), 400
    return "Internal error: the dashboard could not answer this request. It has been logged.", 500


COMPONENT_FILES = "/_dash-component-suites/"


@server.errorhandler(DependencyException)
@server.errorhandler(FileNotFoundError)
def _no_such_component_file(error: Exception):
    """A component file that no library registered (an encoded '..' included) or whose registered file is not
    installed (two source maps) is a 404 like any missing file: nothing is logged, so nobody can fill the error log."""
    if flask.request.path.startswith(COMPONENT_FILES):
        return "Not found.", 404
    return _unexpected(error)


@server.before_request
def _start_request() -> None:
    flask.g.started = time.perf_counter()
    # Every query of this request reads the same build of the warehouse, even if it is rebuilt meanwhile.
    flask.g.pins = db.begin_pins()


def _frame_ancestors() -> str:
    # Who may show the dashboard in a frame: only its own origin unless MISSION_FRAME_ANCESTORS lists others
    # (e.g. "'self' https://intranet.example.org").
    return os.environ.get("MISSION_FRAME_ANCESTORS") or "'self'"


@functools.cache
def content_security_policy() -> str:
    """Only the app's own origin: scripts from it plus Dash's few inline scripts by hash (no 'unsafe-inline' or
    'unsafe-eval' for scripts); inline styles allowed because plotly.js and AG Grid insert <style> elements."""
    directives = {
        "default-src": "'self'",
        "script-src": " ".join(["'self'", *sorted(set(app.csp_hashes()))]),
        "style-src": "'self' 'unsafe-inline'",
        "img-src": "'self' data: blob:",
        "font-src": "'self' data:",
        "connect-src": "'self'",
        "object-src": "'none'",
        "base-uri": "'self'",
        "form-action": "'self'",
        "frame-ancestors": _frame_ancestors(),
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}


@server.after_request
def _security_headers(response: flask.Response) -> flask.Response:
    response.headers["Content-Security-Policy"] = content_security_policy()
    response.headers.update(SECURITY_HEADERS)
    if _frame_ancestors() == "'self'":
        response.headers["X-Frame-Options"] = "SAMEORIGIN"  # for browsers without frame-ancestors
    return response


@server.after_request
def _server_timing(response: flask.Response) -> flask.Response:
    # Browsers' developer tools and bench/app_latency.py read the server's own time from this header. Registered
    # before the compression below, so it runs after it (Flask runs these hooks last registered first): the time
    # includes compressing the answer.
    started = flask.g.get("started")
    if started is not None:
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
    build = db.pinned_build()
    if build:
        response.headers["X-Warehouse-Build"] = build[:12]  # which build answered (tests, support)
    return response


# Answers are compressed for browsers that ask (3-9x smaller: the plotly.js bundle 1.8 MB -> 0.6 MB, the portfolio
# table's 1.1 MB of rows -> 0.12 MB). zstd first, for its speed: level 3 compresses those rows in about 1.4 ms where
# brotli 4 takes 5 ms and gzip 6 13 ms (bench/app_latency.py prints what compressing adds to each answer);
# browsers without zstd get brotli, then gzip.
YEAR_S = 365 * 24 * 3600


def _static_file_key(request: flask.Request) -> str:
    """Which file a request for a static file asks for, versions and fingerprints stripped so that made-up
    addresses cannot grow the cache; "" for any other request (never cached)."""
    if request.method != "GET":
        return ""
    if request.path.startswith(COMPONENT_FILES):
        return check_fingerprint(request.path)[0]
    if request.path.startswith("/assets/") or request.path == "/_favicon.ico":
        return request.path
    return ""


class CompressedStaticFiles:
    """flask-compress's cache: each static file is compressed once per worker and encoding (about 1.5 MB in all
    for each encoding); answers of callbacks and pages, keyed "", are compressed afresh and never kept. Static files
    change only with a deployment, which restarts the workers."""

    def __init__(self) -> None:
        self._compressed: dict[str, bytes] = {}

    def get(self, key: str) -> bytes | None:
        return self._compressed.get(key)

    def set(self, key: str, value: bytes) -> None:
        if key.partition(";")[2]:  # flask-compress's key is "<encoding>;<_static_file_key>"
            self._compressed[key] = value


server.config.update(
    COMPRESS_ALGORITHM=["zstd", "br", "gzip"],
    COMPRESS_CACHE_KEY=_static_file_key,
    COMPRESS_CACHE_BACKEND=CompressedStaticFiles,
)
flask_compress.Compress(server)


@server.after_request
def _static_files(response: flask.Response) -> flask.Response:
    """Versioned static files (assets with their `?m=` modification time, component files with their fingerprint,
    the favicon with its `?v=`) may be kept by browsers for a year without asking again: a new version has a new
    address. Unversioned ones (chunks that scripts load by name, the map outlines) are revalidated by ETag."""
    if response.status_code != 200 or not _static_file_key(flask.request):
        return response
    if response.direct_passthrough:
        # Flask streams files from disk; held in memory instead, they are compressed once (see above), not on
        # every request.
        response.direct_passthrough = False
        response.get_data()
    versioned = {"/assets/": "m", "/_favicon.ico": "v"}
    path = flask.request.path
    if (path.startswith(COMPONENT_FILES) and check_fingerprint(path)[1]) or any(
        path.startswith(prefix) and name in flask.request.args for prefix, name in versioned.items()
    ):
        response.cache_control.public = True
        response.cache_control.max_age = YEAR_S
        response.cache_control.immutable = True
        response.cache_control.no_cache = None
    return response


@server.teardown_request
def _end_request(_error) -> None:
    token = flask.g.pop("pins", None)
    if token is not None:
        db.end_pins(token)


if __name__ == "__main__":  # development server; `python app.py` (dev tools register hooks when it starts)
    debug = os.environ.get("MISSION_DEBUG", "").lower() in {"1", "true", "yes"}
    app.run(host="127.0.0.1", port=int(os.environ.get("PORT", "8050")), debug=debug, dev_tools_ui=debug)
else:
    # Dash finishes its setup (the pages' callbacks, scripts) in the first request but marks it finished before it
    # is: with threaded workers a request arriving meanwhile would get half the callbacks. Finish it now, before
    # any worker serves (after every hook above: Flask takes no hook once it has answered a request).
    server.test_client().get("/_dash-dependencies")
