"""A city on the Mission Platform: its tier with why and where that is written, what it opens and the next step;
its Covenant of Mayors facts as the JRC publishes them; the Mission Cities nearest to it."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import polars as pl
from dash import dcc, html

import vocab
from mission import tiers

FLAG = {True: "yes", False: "not a signatory of this initiative", None: "not known"}


def _card(title: str, body, id: str) -> dbc.Card:
    return dbc.Card([dbc.CardHeader(html.H2(title, className="h6 mb-0")), dbc.CardBody(body)], id=id,
                    className="mb-3")


def _source(source_id: str | None, where: str | None = None) -> html.Span:
    if not source_id:
        return html.Span(" · no source: nothing citable is known", className="small text-muted")
    return html.Span(f" · source: {source_id}" + (f" ({where})" if where else ""), className="small text-muted")


def tier_card(row: dict, id: str) -> dbc.Card:
    """The city's tier, why (with its source), what it opens and its next step."""
    return _card("On the Mission Platform", [
        html.P([html.Strong(vocab.TIER.label(row["tier"])), html.Br(), f"Why: {row['tier_reason']}.",
                _source(row["tier_source"])], className="mb-2"),
        html.P("Opens: " + ", ".join(tiers.opens(row["tier"])) + ".", className="mb-2"),
        html.P(f"Next step: {row['next_step']}.", className="mb-0"),
    ], id)


def covenant_card(row: dict, id: str) -> dbc.Card:
    """The city's Covenant of Mayors facts as published (or that it is not a signatory, or that it is not known)."""
    if not row.get("covenant_signatory"):
        text = ("The Covenant of Mayors file is not loaded: whether the city is a signatory is not known."
                if row.get("covenant_signatory") is None else
                "Not among the Covenant of Mayors signatories of the loaded release.")
        return _card("Covenant of Mayors", html.P(text, className="mb-0"), id)
    facts = [
        ("Status", vocab.COVENANT_STATUS.label(row["status"])
         + (f": {vocab.COVENANT_STATUS.term(row['status']).note}" if row["status"] == "on_hold" else "")),
        ("Signed", row["adhesion_date"].isoformat() if row["adhesion_date"] else "not known"),
        ("CoM 2050 (climate neutrality by 2050)", FLAG[row["com_2050"]]),
        ("CoM 2030", FLAG[row["com_2030"]]),
        ("CoM 2020", FLAG[row["com_2020"]]),
        ("Group", row["group_name"] or "—"),
        ("JRC id", row["organisation_id"]),
    ]
    return _card("Covenant of Mayors", [
        html.Dl([x for label, value in facts for x in (html.Dt(label, className="col-sm-5 fw-normal text-muted"),
                                                         html.Dd(value, className="col-sm-7 mb-1"))],
                className="row small mb-2"),
        html.P(["As published by the JRC (GCoM - MyCovenant, df1). A flag that reads 'not a signatory of this "
                "initiative' says nothing of targets the city may have set otherwise.",
                _source(row["covenant_source"], row["covenant_ref"])], className="small text-muted mb-0"),
    ], id)


def nearest_card(row: dict, nearest: pl.DataFrame, id: str) -> dbc.Card:
    """The nearest Mission Cities, for a study visit, with the straight-line distance."""
    if row["placement"] not in vocab.PLACEMENT.codes("usable") or not nearest.height:
        why = ("the Covenant file puts the city outside its country" if row["placement"] == "outside" else
               "the city has no point on the map")
        return _card("Nearest Mission Cities", html.P(f"Not known: {why}.", className="mb-0"), id)
    approx = (f" The city's own point is approximate ({row['placement_note']}): the distances are too."
              if row["placement"] == "approximate" else "")
    return _card("Nearest Mission Cities", [
        html.Ol([html.Li([dcc.Link(r["name"], href=f"/city/{r['city_id']}"), f" ({r['country_iso2']}): "
                          f"{r['km']:,.0f} km"]) for r in nearest.iter_rows(named=True)], className="mb-2"),
        html.P("Straight-line distance between the cities' points, in the European equal-area projection "
               f"(ETRS89-LAEA, EPSG:3035).{approx}", className="small text-muted mb-0"),
    ], id)
