"""The plotly.js bundle the pages load (assets/vendor/plotly-traces.min.js, `make plotly-bundle`) draws every
chart the app makes."""

from __future__ import annotations

import ast
import re

import plotly.graph_objects as go
import plotly.offline

from tests.conftest import ROOT

BUNDLE = ROOT / "assets" / "vendor" / "plotly-traces.min.js"


def banner() -> dict[str, str]:
    """'plotly.js v4.1.1 (...), traces: bar,heatmap; outlines: europe_50m; ...' -> its parts."""
    first = BUNDLE.read_text(encoding="utf-8").split("\n", 1)[0]
    return {"version": re.search(r"plotly\.js v([\w.-]+)", first).group(1),
            "traces": re.search(r"traces: ([\w,]+)", first).group(1),
            "outlines": re.search(r"outlines: ([\w,]+)", first).group(1)}


def drawn_trace_types() -> set[str]:
    """Every trace type the read side builds (go.Bar(...) -> 'bar')."""
    found = set()
    for path in (ROOT / "mission").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and isinstance(node.func.value, ast.Name) and node.func.value.id == "go"
                    and node.func.attr != "Figure"):
                found.add(getattr(go, node.func.attr)().type)
    return found


def test_the_bundle_is_the_plotly_js_that_plotly_py_makes_figures_for():
    assert banner()["version"] == plotly.offline.get_plotlyjs_version()


def test_the_bundle_has_every_trace_type_the_app_draws():
    drawn = drawn_trace_types()
    assert {"bar", "scattergeo", "sankey"} <= drawn  # the scan finds them
    assert drawn <= set(banner()["traces"].split(",")), "add the missing types to tools/plotly-bundle/entry.js"


def test_the_bundle_carries_the_country_outlines_the_maps_draw():
    source = (ROOT / "mission" / "charts" / "theme.py").read_text(encoding="utf-8")
    maps = {f"{scope}_{resolution}m" for scope, resolution in
            re.findall(r'"scope": "(\w+)", "resolution": (\d+)', source)}
    assert maps and maps <= set(banner()["outlines"].split(","))
    for name in maps:
        assert f'window.PlotlyGeoAssets.topojson["{name}"]=' in BUNDLE.read_text(encoding="utf-8")
