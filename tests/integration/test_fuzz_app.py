"""Property-based tests of the served app: random URL paths, query strings and callback payloads never give a
5xx or a traceback; a request the app cannot answer gets a 4xx with a message."""

from __future__ import annotations

import importlib
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# Bounded for CI; MISSION_FUZZ_EXAMPLES raises it for a longer local run.
EXAMPLES = settings(max_examples=3 * int(os.environ.get("MISSION_FUZZ_EXAMPLES", "20")), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture])

JSON = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-10**12, max_value=10**12)
    | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8)
# Values a user's browser could plausibly send, plus hostile ones.
TEXT = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)


@pytest.fixture(scope="module")
def app_client(tiny_cdp_db):
    from mission import db as mission_db

    previous = os.environ.get("MISSION_DB")
    os.environ["MISSION_DB"] = str(tiny_cdp_db)
    mission_db.close_all()
    import app

    importlib.reload(app)
    client = app.server.test_client()
    # Clientside callbacks run in the browser; the brief's background callback starts a process per call.
    client.dependencies = [d for d in client.get("/_dash-dependencies").get_json()
                           if not d.get("clientside_function") and "brief-download" not in d["output"]]
    yield client
    mission_db.close_all()
    if previous is None:
        os.environ.pop("MISSION_DB", None)
    else:
        os.environ["MISSION_DB"] = previous


def _answered_without_traceback(response) -> None:
    body = response.get_data(as_text=True)
    assert response.status_code < 500, body[:500]
    assert "Traceback" not in body and 'File "/' not in body
    if response.status_code >= 400:
        assert body.strip(), "a refused request says why"


def _split(spec: str) -> list[tuple[object, str]]:
    """'..a.children...b.figure..' or 'a.children' -> [(id, property)]; ids of pattern-matching callbacks are
    JSON objects."""
    parts = spec[2:-2].split("...") if spec.startswith("..") else [spec]
    out = []
    for part in parts:
        ident, _, prop = part.rpartition(".")
        out.append((json.loads(ident) if ident.startswith("{") else ident, prop))
    return out


def _concrete(ident: object, draw) -> object:
    """A pattern-matching id with its wildcards replaced by values a page might hold."""
    if not isinstance(ident, dict):
        return ident
    return {k: (draw(st.text(max_size=6) | st.integers(-3, 3)) if isinstance(v, list) else v)
            for k, v in ident.items()}


def _wildcard(ident: object) -> str | None:
    if isinstance(ident, dict):
        for v in ident.values():
            if isinstance(v, list) and v:
                return v[0]
    return None


@st.composite
def callback_payload(draw, dependencies: list[dict]) -> dict:
    dep = draw(st.sampled_from(dependencies))

    def item(ident, prop, with_value: bool):
        kind = _wildcard(ident)
        one = lambda: {"id": _concrete(ident, draw), "property": prop,  # noqa: E731
                       **({"value": draw(JSON)} if with_value else {})}
        if kind in ("ALL", "ALLSMALLER"):
            return [one() for _ in range(draw(st.integers(0, 3)))]
        return one()

    outputs = [item(i, p, False) for i, p in _split(dep["output"])]
    inputs = [item(i["id"] if not str(i["id"]).startswith("{") else json.loads(i["id"]), i["property"], True)
              for i in dep["inputs"]]
    state = [item(i["id"] if not str(i["id"]).startswith("{") else json.loads(i["id"]), i["property"], True)
             for i in dep.get("state", [])]
    changed = [f"{json.dumps(x['id']) if isinstance(x['id'], dict) else x['id']}.{x['property']}"
               for x in inputs if isinstance(x, dict)][:1]
    return {"output": dep["output"], "outputs": outputs if len(outputs) > 1 else outputs[0], "inputs": inputs,
            "state": state, "changedPropIds": changed}


@EXAMPLES
@given(data=st.data())
def test_random_callback_payloads_never_give_a_5xx(app_client, data):
    body = data.draw(callback_payload(app_client.dependencies))
    _answered_without_traceback(app_client.post("/_dash-update-component", json=body))


@EXAMPLES
@given(body=JSON | TEXT)
def test_malformed_callback_requests_are_refused_with_a_4xx(app_client, body):
    response = app_client.post("/_dash-update-component", data=json.dumps(body) if not isinstance(body, str)
                               else body, content_type="application/json")
    _answered_without_traceback(response)


@EXAMPLES
@given(path=TEXT, query=st.dictionaries(TEXT, TEXT, max_size=4))
def test_random_page_addresses_and_query_strings_never_give_a_5xx(app_client, path, query):
    from urllib.parse import quote, urlencode

    # (A leading "//" would make the test client read a host name: paths start with one slash.)
    _answered_without_traceback(app_client.get("/" + quote(path.lstrip("/")), query_string=query))
    # The page itself is drawn by Dash's routing callback from the address and its query string.
    routing = next(d for d in app_client.dependencies if "_pages_content" in d["output"])
    body = {"output": routing["output"], "outputs": [{"id": i, "property": p} for i, p in _split(routing["output"])],
            "inputs": [{**i, "value": ("/" + path) if i["property"] == "pathname" else "?" + urlencode(query)}
                       for i in routing["inputs"]],
            "state": [{**s, "value": None} for s in routing.get("state", [])],
            "changedPropIds": ["_pages_location.pathname"]}
    _answered_without_traceback(app_client.post("/_dash-update-component", json=body))


@pytest.mark.parametrize("path", ["/city/klagenfurt", "/country/AT", "/portfolio", "/scenarios", "/newcomers",
                                  "/data-quality", "/sources", "/countries", "/"])
def test_known_pages_with_hostile_query_values_are_drawn(app_client, path):
    routing = next(d for d in app_client.dependencies if "_pages_content" in d["output"])
    hostile = "?city=<script>&country=../../etc&metric=%00&cohort[]=x&a=mobility:1e309,energy_systems:-5&heat=NaN"
    body = {"output": routing["output"], "outputs": [{"id": i, "property": p} for i, p in _split(routing["output"])],
            "inputs": [{**i, "value": path if i["property"] == "pathname" else hostile} for i in routing["inputs"]],
            "state": [{**s, "value": None} for s in routing.get("state", [])],
            "changedPropIds": ["_pages_location.pathname"]}
    response = app_client.post("/_dash-update-component", json=body)
    assert response.status_code == 200


# A value of the wrong type for a control (a list where a dropdown holds one value, text in a number box...) is
# not an error: the callback leaves the page as it is or falls back to its default.
WRONG_TYPES = [None, "", "x", ["x"], [], 0, -1, 1.5, True, {"points": "x"}, {"a": [1]}]


@pytest.mark.parametrize("value", WRONG_TYPES, ids=repr)
def test_controls_holding_values_of_the_wrong_type_leave_the_page_as_it_is(app_client, value):
    for dep in app_client.dependencies:
        if "_pages_content" in dep["output"] or any(p.startswith("{") for p in dep["output"].split("...")):
            continue  # routing (Dash's own: the address is always text) and pattern-matching outputs
        outputs = [{"id": i, "property": p} for i, p in _split(dep["output"])]
        fill = lambda items: [{"id": i["id"], "property": i["property"], "value": value}  # noqa: E731
                              if not i["id"].startswith("{") else [] for i in items]
        inputs = fill(dep["inputs"])
        body = {"output": dep["output"], "outputs": outputs if len(outputs) > 1 else outputs[0], "inputs": inputs,
                "state": fill(dep.get("state", [])), "changedPropIds": [
                    f"{i['id']}.{i['property']}" for i in dep["inputs"] if not i["id"].startswith("{")][:1]}
        response = app_client.post("/_dash-update-component", json=body)
        assert response.status_code in (200, 204), (dep["output"], response.get_data(as_text=True)[:300])
