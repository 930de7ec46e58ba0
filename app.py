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
import multiprocess
import werkzeug.exceptions

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
# Pages are in English; screen readers and browsers need to know.
app.index_string = app.index_string.replace("<html>", '<html lang="en">', 1)
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
    # Browsers' developer tools and bench/app_latency.py read the server's own time from this header.
    started = flask.g.get("started")
    if started is not None:
        response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.2f}"
    build = db.pinned_build()
    if build:
        response.headers["X-Warehouse-Build"] = build[:12]  # which build answered (tests, support)
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
