"""How the app serves its answers and files: compressed when asked, cached by browsers when versioned, and a 404
for any file that is not there."""

from __future__ import annotations

import gzip
import importlib
import logging
import re
from pathlib import Path

import brotli
import flask_compress.flask_compress
import pytest
from backports import zstd

from bench.dash_client import DashClient

BROWSER = "gzip, deflate, br, zstd"  # what Chromium asks for
DECODE = {"zstd": zstd.decompress, "br": brotli.decompress, "gzip": gzip.decompress}
YEAR = "max-age=31536000"
DASH = Path(importlib.import_module("dash").__file__).parent


@pytest.fixture
def client(tiny):
    import app

    importlib.reload(app)
    return app.server.test_client()


def page_callback(client, path: str = "/") -> dict:
    """The body of the callback that draws page `path`, as the browser sends it."""
    return DashClient("", dependencies=client.get("/_dash-dependencies").get_json()).page_body(path)


def same_answer(a: bytes, b: bytes) -> bool:
    """Equal but for the token Dash writes into each page it serves."""
    token = re.compile(rb'"end_id":"[^"]*"')
    return token.sub(b"", a) == token.sub(b"", b)


def index_sources(client) -> list[str]:
    html = client.get("/").get_data(as_text=True)
    return re.findall(r'<(?:script|link)[^>]+(?:src|href)="(/[^"]+)"', html)


@pytest.mark.parametrize("encoding", ["zstd", "br", "gzip"])
def test_pages_callbacks_and_scripts_are_compressed_in_the_encoding_the_browser_accepts(client, encoding):
    callback = page_callback(client, "/city/klagenfurt")
    script = next(s for s in index_sources(client) if "dash_renderer" in s)
    for name, ask in [("page", lambda h: client.get("/", headers=h)),
                      ("callback", lambda h: client.post("/_dash-update-component", json=callback, headers=h)),
                      ("script", lambda h: client.get(script, headers=h))]:
        plain = ask({})
        packed = ask({"Accept-Encoding": encoding})
        assert plain.status_code == packed.status_code == 200, name
        assert "Content-Encoding" not in plain.headers, name
        assert packed.headers["Content-Encoding"] == encoding, name
        assert "Accept-Encoding" in packed.headers["Vary"], name
        assert len(packed.data) < len(plain.data) / 2, name
        assert same_answer(DECODE[encoding](packed.data), plain.data), name


def test_a_browser_that_accepts_every_encoding_gets_zstd_the_fastest_to_compress(client):
    assert client.get("/", headers={"Accept-Encoding": BROWSER}).headers["Content-Encoding"] == "zstd"


def test_a_static_file_is_compressed_once_whatever_version_is_asked_but_answers_every_time(client, monkeypatch):
    compressed: list[int] = []
    original = flask_compress.flask_compress._compress_data

    def counting(app, data, algorithm):
        compressed.append(len(data))
        return original(app, data, algorithm)

    monkeypatch.setattr(flask_compress.flask_compress, "_compress_data", counting)
    script = next(s for s in index_sources(client) if "dash_renderer" in s)
    made_up = re.sub(r"\.v[\w-]+m[0-9a-f]+\.", ".v0_0_1m12345.", script)
    assert made_up != script
    first = client.get(script, headers={"Accept-Encoding": "zstd"})
    for address in (script, made_up, script):
        assert client.get(address, headers={"Accept-Encoding": "zstd"}).data == first.data
    assert len(compressed) == 1
    callback = page_callback(client)
    for _ in range(2):
        client.post("/_dash-update-component", json=callback, headers={"Accept-Encoding": "zstd"})
    assert len(compressed) == 3, "callback answers are compressed afresh, never cached"


def test_versioned_files_are_kept_by_browsers_for_a_year(client):
    versioned = [s for s in index_sources(client) if "?m=" in s or re.search(r"\.v[\w-]+m[0-9a-f]+\.", s)]
    assert any(s.startswith("/assets/vendor/plotly-traces.min.js?m=") for s in versioned)
    assert any(s.startswith("/_dash-component-suites/") for s in versioned)
    for address in [*versioned, "/_favicon.ico?v=1"]:
        response = client.get(address, headers={"Accept-Encoding": BROWSER})
        assert response.status_code == 200, address
        cache = response.headers["Cache-Control"]
        assert YEAR in cache and "immutable" in cache and "no-cache" not in cache, (address, cache)


def test_unversioned_files_are_revalidated_and_unchanged_ones_answer_304(client):
    for address in ("/assets/topojson/europe_50m.json", "/assets/app.css",
                    "/_dash-component-suites/dash/dcc/async-graph.js"):
        response = client.get(address, headers={"Accept-Encoding": BROWSER})
        assert response.status_code == 200, address
        assert YEAR not in response.headers.get("Cache-Control", ""), address
        again = client.get(address, headers={"Accept-Encoding": BROWSER, "If-None-Match": response.headers["ETag"]})
        assert again.status_code == 304, address


@pytest.mark.parametrize("address", [
    "/_dash-component-suites/dash/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/_dash-component-suites/dash/..%2F..%2F..%2F..%2Fetc%2Fpasswd",
    "/_dash-component-suites/dash/dcc/%2e%2e/%2e%2e/version.py",
    "/_dash-component-suites/dash/dcc/..%252f..%252fversion.py",
    "/_dash-component-suites/dash/dcc/%2e%2e%2f%2e%2e%2fversion.py",
    "/_dash-component-suites/dash/dcc/no-such-chunk.js",
    "/_dash-component-suites/no_such_library/bundle.js",
    "/_dash-component-suites/dash/dash-renderer/build/dash_renderer.min.js.map",  # registered, not installed
    "/assets/..%2fapp.py",
    "/assets/%2e%2e/%2e%2e/etc/passwd",
    "/assets/no-such-file.css",
])
def test_a_file_that_is_not_there_is_a_404_and_nothing_is_logged_as_an_error(client, caplog, address):
    with caplog.at_level(logging.WARNING):
        response = client.get(address, headers={"Accept-Encoding": BROWSER})
    assert response.status_code == 404
    assert b"root:" not in response.data and b"__version__" not in response.data
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


def test_a_registered_file_of_a_library_is_served_as_it_is_installed(client):
    response = client.get("/_dash-component-suites/dash/dcc/async-graph.js")
    assert response.status_code == 200
    assert response.data == (DASH / "dcc" / "async-graph.js").read_bytes()


def test_the_page_asks_for_its_layout_and_callback_list_while_its_scripts_load(client):
    head = client.get("/").get_data(as_text=True).split("</head>")[0]
    for path in ("/_dash-layout", "/_dash-dependencies"):
        assert f'<link rel="preload" href="{path}" as="fetch" crossorigin>' in head
