"""How the dashboard's server answers around Dash's own routes: one warehouse build per request, no traceback ever
shown, security headers, compressed answers, cache lifetimes for files, a 404 for any file that is not there, and
a page head that asks early for what the renderer needs. app.py calls `install(app)` once."""

from __future__ import annotations

import functools
import os
import time
import urllib.parse

import dash
import flask
import flask_compress
import werkzeug.exceptions
from dash.exceptions import DependencyException
from dash.fingerprint import check_fingerprint

import i18n
from mission import db

CALLBACK_ROUTE = "/_dash-update-component"
COMPONENT_FILES = "/_dash-component-suites/"
REFUSED = ("This request cannot be answered: it is not one this dashboard's pages send (a value or a component it "
           "does not know). Reload the page; if it happens again, tell us the address you were on.")
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=()",
}
YEAR_S = 365 * 24 * 3600


def install(app: dash.Dash) -> None:
    """Set up everything below on `app`'s server (before it answers its first request)."""
    server = app.server
    # The secret that signs the handles of background jobs for the page that started them: every host must use the
    # same one (ui/jobs.py requires it with several hosts; on one host, Dash keeps one in the host's disk cache).
    if os.environ.get("MISSION_SECRET_KEY"):
        server.secret_key = os.environ["MISSION_SECRET_KEY"]
    app.index_string = page_head(app)
    english_index = app.interpolate_index

    def localized_index(**parts) -> str:
        # <html lang> is the reader's language; whether they chose it is kept for assets/i18n.js.
        return english_index(**parts).replace(
            '<html lang="en">', f'<html lang="{i18n.current()}" data-lang-chosen="{int(i18n.chosen())}">', 1)

    app.interpolate_index = localized_index
    server.register_error_handler(Exception, unexpected)
    server.register_error_handler(DependencyException, no_such_component_file)
    server.register_error_handler(FileNotFoundError, no_such_component_file)
    server.before_request(start_request)
    policy = functools.cache(lambda: content_security_policy(app))

    def security_headers(response: flask.Response) -> flask.Response:
        return with_security_headers(response, policy())

    server.after_request(security_headers)
    # Flask runs these hooks last registered first. The timing is registered before the compression, so its time
    # includes compressing the answer; the static-file hook after it, so that files arrive at it held in memory.
    server.after_request(server_timing)
    server.config.update(COMPRESS_ALGORITHM=["zstd", "br", "gzip"], COMPRESS_CACHE_KEY=static_file_key,
                         COMPRESS_CACHE_BACKEND=CompressedStaticFiles)
    flask_compress.Compress(server)
    server.after_request(static_files)
    server.after_request(remember_language)
    server.teardown_request(end_request)


def page_head(app: dash.Dash) -> str:
    """The page in English (screen readers and browsers need to know), and the layout and the callback list asked
    for at once: the renderer asks only once every script has run (about 0.4 s on a repeat visit) and takes the
    answers already there."""
    preloads = "".join(f'\n        <link rel="preload" href="{app.get_relative_path(path)}" as="fetch" crossorigin>'
                       for path in ("/_dash-layout", "/_dash-dependencies"))
    return app.index_string.replace("<html>", '<html lang="en">', 1).replace("{%css%}", "{%css%}" + preloads, 1)


def unexpected(error: Exception):
    """No traceback ever reaches the user. A callback request that makes the app fail carries values the pages
    never send (the pages' own requests are tested in a real browser): it is refused with 400 and a message.
    Anything else is a 500 without detail. Both are logged with the traceback for the operator."""
    if isinstance(error, werkzeug.exceptions.HTTPException):
        return error
    flask.current_app.logger.exception("unanswerable request %s %s", flask.request.method, flask.request.path)
    if flask.request.path.endswith(CALLBACK_ROUTE):
        return flask.jsonify(error=REFUSED), 400
    return "Internal error: the dashboard could not answer this request. It has been logged.", 500


def no_such_component_file(error: Exception):
    """A component file that no library registered (an encoded '..' included) or whose registered file is not
    installed (two source maps) is a 404 like any missing file: nothing is logged, so nobody can fill the error log."""
    if flask.request.path.startswith(COMPONENT_FILES):
        return "Not found.", 404
    return unexpected(error)


def start_request() -> None:
    flask.g.started = time.perf_counter()
    # Every query of this request reads the same build of the warehouse, even if it is rebuilt meanwhile.
    flask.g.pins = db.begin_pins()
    flask.g.language = i18n.set_language(*request_language(flask.request))


def end_request(_error) -> None:
    token = flask.g.pop("pins", None)
    if token is not None:
        db.end_pins(token)
    language = flask.g.pop("language", None)
    if language is not None:
        i18n.reset(language)


LANGUAGE_COOKIE = "lang"


def request_language(request: flask.Request) -> tuple[str, bool]:
    """The language of a request, and whether the reader chose it: the address's `?lang=` (a page, an export); for
    the requests a page sends (its layout, its callbacks), the `?lang=` of the page's own address, which browsers
    send as the Referer (same origin: the policy is same-origin); the reader's last choice (a cookie); else the
    browser's Accept-Language; else English."""
    asked = i18n.normal(request.args.get("lang"))
    if asked:
        return asked, True
    if request.referrer:
        referred = urllib.parse.parse_qs(urllib.parse.urlsplit(request.referrer).query).get("lang", [None])[0]
        if i18n.normal(referred):
            return i18n.normal(referred), True
    remembered = i18n.normal(request.cookies.get(LANGUAGE_COOKIE))
    if remembered:
        return remembered, True
    return i18n.best_match(request.headers.get("Accept-Language")) or i18n.DEFAULT, False


def remember_language(response: flask.Response) -> flask.Response:
    """A language chosen in the address is remembered (a year), so a link that leaves it out keeps it."""
    asked = i18n.normal(flask.request.args.get("lang"))
    if asked and flask.request.cookies.get(LANGUAGE_COOKIE) != asked:
        response.set_cookie(LANGUAGE_COOKIE, asked, max_age=YEAR_S, samesite="Lax", httponly=True)
    return response


def frame_ancestors() -> str:
    # Who may show the dashboard in a frame: only its own origin unless MISSION_FRAME_ANCESTORS lists others
    # (e.g. "'self' https://intranet.example.org").
    return os.environ.get("MISSION_FRAME_ANCESTORS") or "'self'"


def content_security_policy(app: dash.Dash) -> str:
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
        "frame-ancestors": frame_ancestors(),
    }
    return "; ".join(f"{k} {v}" for k, v in directives.items())


def with_security_headers(response: flask.Response, policy: str) -> flask.Response:
    response.headers["Content-Security-Policy"] = policy
    response.headers.update(SECURITY_HEADERS)
    if frame_ancestors() == "'self'":
        response.headers["X-Frame-Options"] = "SAMEORIGIN"  # for browsers without frame-ancestors
    return response


def server_timing(response: flask.Response) -> flask.Response:
    # Browsers' developer tools and bench/app_latency.py read the server's own time from this header.
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
def static_file_key(request: flask.Request) -> str:
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
        if key.partition(";")[2]:  # flask-compress's key is "<encoding>;<static_file_key>"
            self._compressed[key] = value


def static_files(response: flask.Response) -> flask.Response:
    """Versioned static files (assets with their `?m=` modification time, component files with their fingerprint,
    the favicon with its `?v=`) may be kept by browsers for a year without asking again: a new version has a new
    address. Unversioned ones (chunks that scripts load by name, the map outlines) are revalidated by ETag."""
    if response.status_code != 200 or not static_file_key(flask.request):
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
