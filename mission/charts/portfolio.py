"""Charts of the action portfolios: the cost curve, co-benefits, levers, the Sankey and the gap waterfall."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import plotly.graph_objects as go
import polars as pl

import vocab
from i18n import gettext as _
from i18n import number
from mission import portfolio, queries
from mission.charts import ChartExport, CityParams, UnknownChart, chart, grade_note
from mission.charts.theme import (
    CONTINUOUS_SCALE,
    fill,
    layout,
    plain,
)
from mission.city import City, inventories_by_city
from mission.words import tonnes
from vocab import GREY, OKABE_ITO


def _flag_words(flags: list[str]) -> str:
    return "; ".join(vocab.FLAG.short(f) for f in flags) if flags else ""


def macc_chart(curve: pl.DataFrame) -> go.Figure:
    """Cost-effectiveness curve: actions cheapest first, bar width = annual reduction, height = EUR per tonne.

    Flagged actions are drawn with a hatched pattern and named in the hover."""
    traces = []
    for field, colour in vocab.FIELD.colours().items():
        part = curve.filter(pl.col("field_of_action") == field)
        if not part.height:
            continue
        flagged = (part["flags"].list.len() > 0).to_numpy()
        traces.append(go.Bar(
            x=((part["x0"] + part["x1"]) / 2).to_numpy(), width=part["annual_tco2e"].to_numpy(),
            y=part["cost_per_t"].to_numpy(), name=vocab.FIELD.label(field), marker_color=colour,
            marker_line={"color": "white", "width": 0.5},
            marker_pattern_shape=np.where(flagged, "/", ""),
            # A numpy array: plotly validates nested lists element by element (about 20 ms for 700 actions).
            customdata=np.array([[plain(r["action_name"]), plain(r["city"]), tonnes(r["annual_tco2e"]),
                                  number(r["cost_eur"]), plain(r["source_id"]), plain(r["ref"]),
                                  _flag_words(r["flags"])]
                                 for r in part.iter_rows(named=True)], dtype=object),
            hovertemplate=_("<b>%{customdata[0]}</b> (%{customdata[1]})<br>%{y:,.0f} EUR per t CO2e"
                            "<br>%{customdata[2]} CO2e a year, cost EUR %{customdata[3]}"
                            "<br>%{customdata[6]}<br>source: %{customdata[4]}, %{customdata[5]}<extra></extra>")))
    return go.Figure(traces, layout(
        420, bargap=0, xaxis={"title": {"text": _("cumulative reduction, t CO2e a year")}},
        yaxis={"title": {"text": _("EUR per t CO2e (log scale)")}, "type": "log", "dtick": 1}))


def cobenefit_heatmap(matrix: pl.DataFrame, value: str = "actions") -> go.Figure:
    """Co-benefits (rows) x fields of action (columns): number of actions or their summed annual reduction."""
    rows = sorted(set(matrix["cobenefit"]), key=lambda k: vocab.COBENEFIT.label(k, k))
    cols = [f for f in vocab.FIELD.labels() if f in set(matrix["field_of_action"])]
    cells = {(r["cobenefit"], r["field_of_action"]): r[value] for r in matrix.iter_rows(named=True)}
    z = [[cells.get((r, c)) for c in cols] for r in rows]
    text = [[("" if v is None else (number(v) if value == "actions" else tonnes(v))) for v in line] for line in z]
    unit, hover_unit = (_("actions"), _("actions")) if value == "actions" else (_("t CO2e a year"), _("CO2e a year"))
    return go.Figure(go.Heatmap(
        z=z, x=[vocab.FIELD.label(c) for c in cols], y=[vocab.COBENEFIT.label(r, r) for r in rows], text=text,
        texttemplate="%{text}", colorscale=CONTINUOUS_SCALE, colorbar={"title": {"text": unit}, "thickness": 12},
        hovertemplate=fill(_("%{y} in %{x}: %{text} {unit}<extra></extra>"), unit=hover_unit), xgap=2, ygap=2),
        layout(max(300, 60 + 28 * len(rows)), xaxis={"side": "top"}, yaxis={"autorange": "reversed"},
                margin={"l": 10, "r": 10, "t": 60, "b": 10}))


def sankey(links: pl.DataFrame) -> go.Figure:
    """Field of action -> lever -> co-benefit, each link as wide as the number of actions that make it."""
    words = {"field": vocab.FIELD.labels(), "lever": vocab.LEVER.labels(), "cobenefit": vocab.COBENEFIT.labels()}
    colours = {"field": OKABE_ITO["blue"], "lever": OKABE_ITO["orange"], "cobenefit": OKABE_ITO["bluish_green"]}
    nodes: dict[tuple[str, str], int] = {}
    for kind, key in [*zip(links["source_kind"], links["source"], strict=True),
                      *zip(links["target_kind"], links["target"], strict=True)]:
        nodes.setdefault((kind, key), len(nodes))
    labels = [_("{lever} (lever)").format(lever=words[k].get(key, key)) if k == "lever" else words[k].get(key, key)
              for k, key in nodes]
    return go.Figure(go.Sankey(
        arrangement="snap",
        node={"label": labels, "color": [colours[k] for k, _key in nodes], "pad": 12, "thickness": 14},
        link={"source": [nodes[(k, s)] for k, s in zip(links["source_kind"], links["source"], strict=True)],
              "target": [nodes[(k, t)] for k, t in zip(links["target_kind"], links["target"], strict=True)],
              "value": links["actions"].to_list(), "color": "rgba(140,140,140,0.25)",
              "hovertemplate": _("%{source.label} -> %{target.label}: %{value} actions<extra></extra>")}),
        layout(520))


def waterfall_chart(steps: list, target: float | None, target_label: str) -> go.Figure:
    """Baseline, each field's planned annual reduction, what is left; the 2030 target as a line."""
    fig = go.Figure(go.Waterfall(
        x=[plain(s.label) for s in steps], y=[s.tco2e for s in steps], measure=[s.measure for s in steps],
        decreasing={"marker": {"color": OKABE_ITO["bluish_green"]}},
        increasing={"marker": {"color": OKABE_ITO["vermillion"]}},
        totals={"marker": {"color": OKABE_ITO["blue"]}}, connector={"line": {"color": GREY}},
        text=[tonnes(abs(s.tco2e)) for s in steps], textposition="outside",
        hovertemplate=_("%{x}: %{y:,.0f} t CO2e<extra></extra>")), layout(
        400, yaxis={"title": {"text": _("t CO2e a year")}, "rangemode": "tozero"}, showlegend=False))
    if target is not None:
        fig.add_hline(y=target, line_dash="dash", line_color=OKABE_ITO["black"],
                      annotation_text=target_label, annotation_position="top right")
    return fig


def lever_heatmap(coverage: pl.DataFrame) -> go.Figure:
    """Fields x levers: actions per cell; a zero is a lever the portfolio leaves unused in that field."""
    fields = [f for f in vocab.FIELD.labels() if f in set(coverage["field_of_action"])]
    levers = list(vocab.LEVER.labels())
    cells = {(r["field_of_action"], r["lever"]): r["actions"] for r in coverage.iter_rows(named=True)}
    z = [[cells.get((f, lever), 0) for lever in levers] for f in fields]
    text = [[_("unused") if v == 0 else number(v) for v in line] for line in z]
    return go.Figure(go.Heatmap(
        z=z, x=[vocab.LEVER.label(lever) for lever in levers], y=[vocab.FIELD.label(f) for f in fields], text=text,
        texttemplate="%{text}", colorscale=[[0, "#F2F2F2"], [0.0001, "#DCEBF5"], [1, OKABE_ITO["blue"]]],
        showscale=False, xgap=2, ygap=2, hovertemplate="%{y} x %{x}: %{text}<extra></extra>"),
        layout(max(220, 80 + 34 * len(fields)), xaxis={"side": "top", "tickangle": -30},
                yaxis={"autorange": "reversed"}, margin={"l": 10, "r": 10, "t": 90, "b": 10}))


@dataclass(frozen=True)
class PortfolioParams:
    """The portfolio page's filters (portfolio.PortfolioFilters.from_query) and the actions they leave."""

    chosen: portfolio.PortfolioFilters
    shown: portfolio.PortfolioView

    @classmethod
    def parse(cls, params: dict) -> PortfolioParams:
        chosen = portfolio.PortfolioFilters.from_query(params)
        return cls(chosen, portfolio.view(chosen))

    @property
    def subject(self) -> str:
        return ", ".join(self.chosen.cities or self.chosen.countries) or "mission"

    @property
    def words(self) -> dict[str, str]:
        chosen = self.chosen
        return {_("cities"): ", ".join(chosen.cities) or _("all"),
                _("countries"): ", ".join(chosen.countries) or _("all"),
                _("fields"): ", ".join(chosen.fields) or _("all"), _("levers"): ", ".join(chosen.levers) or _("all"),
                _("cost method"): chosen.method.describe()}


@dataclass(frozen=True)
class HeatmapParams:
    """The portfolio's filters and what the co-benefit heatmap counts (`heat`: portfolio.HEAT_VALUES)."""

    portfolio: PortfolioParams
    value: str

    @classmethod
    def parse(cls, params: dict) -> HeatmapParams:
        return cls(PortfolioParams.parse(params), portfolio.heat_value(params.get("heat")))


@dataclass(frozen=True)
class GapParams:
    """The portfolio's filters naming exactly one city, which has a baseline."""

    portfolio: PortfolioParams
    city: City

    @classmethod
    def parse(cls, params: dict) -> GapParams:
        chosen = PortfolioParams.parse(params)
        if len(chosen.chosen.cities) != 1:
            raise UnknownChart("the gap view needs exactly one city")
        return cls(chosen, CityParams.parse({"city_id": chosen.chosen.cities[0]}).with_baseline())


@chart("portfolio-actions", PortfolioParams.parse)
def portfolio_actions(chosen: PortfolioParams) -> ChartExport:
    """The actions table of the portfolio page (as transcribed, with the dashboard's cost per tonne and flags)."""
    shown = chosen.shown
    data = portfolio.table(shown.actions).with_columns(
        pl.lit(_("t CO2e; EUR; EUR per t")).alias("unit"), pl.lit("reported").alias("kind"),
        shown.actions["source_id"])
    return ChartExport("actions", chosen.subject, _("Actions of the Climate City Contracts"),
                       _("reduction in t CO2e (basis as stated), cost in EUR, cost per tonne in EUR (computed)"),
                       macc_chart(shown.curve), data, shown.summary, chosen.words)


@chart("portfolio-macc", PortfolioParams.parse)
def portfolio_macc(chosen: PortfolioParams) -> ChartExport:
    shown = chosen.shown
    data = shown.curve.select("action_id", "action_name", "city", "field_of_action", "annual_tco2e", "cost_eur",
                        "cost_per_t", "x0", "x1", pl.col("flags").list.join("; "),
                        pl.lit(_("t CO2e a year; EUR; EUR per t")).alias("unit"),
                        pl.lit("computed").alias("kind"), "source_id", "ref")
    return ChartExport("macc", chosen.subject, _("Cost-effectiveness of the actions (MACC)"),
                       _("EUR per t CO2e against cumulative t CO2e a year"), macc_chart(shown.curve), data,
                       shown.macc_summary, chosen.words)


@chart("portfolio-heatmap", HeatmapParams.parse)
def portfolio_heatmap(heat: HeatmapParams) -> ChartExport:
    chosen = heat.portfolio
    shown = chosen.shown
    sources = (shown.actions.select("action_id", "field_of_action", "cobenefits", "source_id").explode("cobenefits")
               .group_by(pl.col("cobenefits").alias("cobenefit"), "field_of_action")
               .agg(pl.col("source_id").unique().sort().str.join(" ").alias("source_id")))
    data = shown.matrix.join(sources, on=["cobenefit", "field_of_action"], how="left").with_columns(
        pl.lit(_("actions; t CO2e a year")).alias("unit"), pl.lit("computed").alias("kind"))
    return ChartExport("cobenefits", chosen.subject, _("Co-benefits by field of action"),
                       _("number of actions or summed annual reduction"),
                       cobenefit_heatmap(shown.matrix, heat.value), data,
                       shown.cobenefit_summary, chosen.words)


@chart("portfolio-levers", PortfolioParams.parse)
def portfolio_levers(chosen: PortfolioParams) -> ChartExport:
    shown = chosen.shown
    data = shown.coverage.with_columns(pl.lit(_("actions")).alias("unit"), pl.lit("computed").alias("kind"),
                                 pl.lit(None, pl.Utf8).alias("source_id"))
    return ChartExport("levers", chosen.subject, _("Levers used per field of action"), _("actions"),
                       lever_heatmap(shown.coverage), data, shown.lever_summary, chosen.words)


@chart("portfolio-sankey", PortfolioParams.parse)
def portfolio_sankey(chosen: PortfolioParams) -> ChartExport:
    shown = chosen.shown
    data = shown.links.with_columns(
        pl.lit(_("actions")).alias("unit"), pl.lit("computed").alias("kind"),
        pl.lit(None, pl.Utf8).alias("source_id"))
    return ChartExport("sankey", chosen.subject, _("From fields of action through levers to co-benefits"),
                       _("actions"), sankey(shown.links), data, shown.sankey_summary, chosen.words)


@chart("portfolio-gap", GapParams.parse)
def portfolio_gap(gap: GapParams) -> ChartExport:
    """The portfolio-vs-gap waterfall of one city."""
    city, shown = gap.city, gap.portfolio.shown
    baseline = city.baseline
    target = city.target(inventories_by_city(queries.city_totals()).get(city.city_id, {}))
    view = portfolio.waterfall(city.name, baseline.tco2e, baseline.year, target.tco2e, shown.actions)
    label = target.label
    rows = [{"step": s.label, "tco2e": s.tco2e, "measure": s.measure,
             "kind": baseline.kind if i == 0 else "computed",
             "source_id": baseline.source_id if i == 0 else None} for i, s in enumerate(view.steps)]
    if target.tco2e is not None:
        rows.append({"step": label, "tco2e": target.tco2e, "measure": "target", "kind": "computed",
                     "source_id": target.source_id})
    data = pl.DataFrame(rows, schema={"step": pl.Utf8, "tco2e": pl.Float64, "measure": pl.Utf8, "kind": pl.Utf8,
                                      "source_id": pl.Utf8}).with_columns(pl.lit(_("t CO2e a year")).alias("unit"))
    return ChartExport("portfolio_gap", city.name, _("{city}: portfolio against the 2030 gap").format(city=city.name),
                       _("t CO2e a year"), waterfall_chart(view.steps, target.tco2e, label), data,
                       _("{sentence} Target: {basis}.").format(sentence=view.sentence, basis=target.basis),
                       gap.portfolio.words, notes=grade_note(city.city_id), left_out=view.left_out)
