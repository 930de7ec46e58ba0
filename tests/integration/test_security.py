"""Production defaults and security headers of the served app."""

from __future__ import annotations

import importlib
import json
import re

import pytest


@pytest.fixture
def client(tiny):
    import app

    importlib.reload(app)
    return app.server.test_client()


def test_every_response_carries_the_security_headers(client):
    for path in ("/", "/_dash-layout", "/assets/app.css", "/no/such/page"):
        headers = client.get(path).headers
        policy = dict(d.strip().split(" ", 1) for d in headers["Content-Security-Policy"].split(";"))
        assert policy["default-src"] == "'self'" and policy["connect-src"] == "'self'"
        assert policy["frame-ancestors"] == "'self'" and policy["object-src"] == "'none'"
        scripts = policy["script-src"].split()
        assert scripts[0] == "'self'" and all(re.fullmatch(r"'sha256-[A-Za-z0-9+/=]+'", s) for s in scripts[1:])
        assert "unsafe" not in policy["script-src"]
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["X-Frame-Options"] == "SAMEORIGIN"


def test_every_inline_script_of_the_page_is_allowed_by_its_hash(client):
    import base64
    import hashlib

    response = client.get("/")
    allowed = set(response.headers["Content-Security-Policy"].split("script-src ")[1].split(";")[0].split()[1:])
    html = response.get_data(as_text=True)
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>(.*?)</script>", html, re.S)
    inline = [s for s in inline if "Internet Explorer" not in s]  # inside an IE-only conditional comment
    assert inline
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in allowed


def test_debug_and_dev_tools_are_off_unless_asked_for(client):
    import app

    assert not app.server.debug
    config = re.search(r'<script id="_dash-config" type="application/json">(.*?)</script>',
                       client.get("/").get_data(as_text=True), re.S).group(1)
    assert json.loads(config)["ui"] is False


def test_frame_ancestors_can_name_an_intranet(tiny, monkeypatch):
    import app

    monkeypatch.setenv("MISSION_FRAME_ANCESTORS", "'self' https://intranet.example.org")
    importlib.reload(app)
    headers = app.server.test_client().get("/").headers
    assert "frame-ancestors 'self' https://intranet.example.org" in headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in headers


def test_the_app_is_fully_set_up_before_it_serves(tiny):
    # Dash would finish its setup during the first request; threaded workers could then serve half the callbacks.
    import app

    importlib.reload(app)
    outputs = " ".join(c["output"] for c in app.app._callback_list)
    assert "home-kpis" in outputs
    assert "portfolio-summary" in outputs and "countries-chart" in outputs
