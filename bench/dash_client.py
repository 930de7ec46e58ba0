"""A small HTTP client that calls a running Dash app's page routing and callbacks like the browser does."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]

PAGES_OUTPUT = ".._pages_content.children..._pages_store.data.."


@dataclass(frozen=True)
class Timed:
    status: int
    client_ms: float
    server_ms: float | None
    size: int
    wire: int  # bytes of the body as sent (compressed if the server compressed it)


def _props(spec: str) -> list[dict]:
    """'..a.children...b.figure..' -> [{'id': 'a', 'property': 'children'}, ...]."""
    parts = spec.strip(".").split("...") if spec.startswith("..") else [spec]
    return [{"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]} for p in parts if "." in p]


class DashClient:
    """Calls by output id: `client.callback("home-kpis", {"home-country.value": ["FR"]})`."""

    def __init__(self, base: str, session: requests.Session | None = None, dependencies: list[dict] | None = None):
        self.base = base.rstrip("/")
        self.session = session or requests.Session()
        self.dependencies = dependencies or self.session.get(f"{self.base}/_dash-dependencies", timeout=30).json()

    def _dependency(self, output_id: str) -> dict:
        """The callback that outputs `output_id` ("id", or "id.property" where one id has several callbacks)."""
        for dep in self.dependencies:
            if any(p["id"] == output_id or f"{p['id']}.{p['property']}" == output_id for p in _props(dep["output"])):
                return dep
        raise KeyError(f"no callback outputs {output_id!r}")

    def body(self, output_id: str, values: dict[str, object], changed: str | None = None) -> dict:
        dep = self._dependency(output_id)
        outputs = _props(dep["output"])

        def fill(items: list[dict]) -> list:
            # A pattern-matching input (ALL) takes every matching component: `values["<type>.<property>"]` is
            # their list of {"id": {...}, "property": ..., "value": ...}.
            return [values.get(f"{json.loads(i['id'])['type']}.{i['property']}", []) if i["id"].startswith("{")
                    else {**i, "value": values.get(f"{i['id']}.{i['property']}")} for i in items]

        inputs = fill(dep["inputs"])
        first = inputs[0][0] if isinstance(inputs[0], list) and inputs[0] else inputs[0]
        name = first["id"] if isinstance(first["id"], str) else json.dumps(first["id"], sort_keys=True,
                                                                          separators=(",", ":"))
        return {"output": dep["output"], "outputs": outputs if len(outputs) > 1 else outputs[0],
                "inputs": inputs, "state": fill(dep.get("state", [])),
                "changedPropIds": [changed or f"{name}.{first['property']}"]}

    def post(self, body: dict) -> Timed:
        started = time.perf_counter()
        response = self.session.post(f"{self.base}/_dash-update-component", json=body, timeout=30)
        client_ms = (time.perf_counter() - started) * 1000
        timing = response.headers.get("Server-Timing", "")
        server_ms = float(timing.split("dur=")[1]) if "dur=" in timing else None
        wire = int(response.headers.get("Content-Length") or len(response.content))
        return Timed(response.status_code, client_ms, server_ms, len(response.content), wire)

    def page_body(self, url: str) -> dict:
        """The routing callback the browser calls for a page address such as '/scenarios?city=oslo'."""
        path, _, query = url.partition("?")
        search = "?" + query if query else ""
        return self.body("_pages_content", {"_pages_location.pathname": path, "_pages_location.search": search},
                         changed="_pages_location.pathname")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_gunicorn(db: Path, workers: int, *extra: str, env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """gunicorn serving app:server on a free loopback port, reading `db`; returns the process and its base URL once
    it answers."""
    port = free_port()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
         "--log-level", "warning", *extra, "app:server"], cwd=ROOT,
        env={**os.environ, **(env or {}), "MISSION_DB": str(db)})
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{base}/_dash-layout", timeout=2).status_code == 200:
                return process, base
        except requests.ConnectionError:
            time.sleep(0.2)
    process.terminate()
    raise RuntimeError("gunicorn did not start within 60 s")
