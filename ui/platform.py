"""A city on the Mission Platform: its tier with why and where that is written, what it opens and the next step;
its Covenant of Mayors facts as the JRC publishes them; the Mission Cities nearest to it."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import polars as pl
from dash import dcc, html

import vocab
from i18n import N_, number
from i18n import gettext as _
from mission import tiers

FLAG = {True: N_("yes"), False: N_("not a signatory of this initiative"), None: N_("not known")}


def _card(title: str, body, id: str) -> dbc.Card:
    return dbc.Card([dbc.CardHeader(html.H2(title, className="h6 mb-0")), dbc.CardBody(body)], id=id,
                    className="mb-3")


def _source(source_id: str | None, where: str | None = None) -> html.Span:
    if not source_id:
        return html.Span([" · ", _("no source: nothing citable is known")], className="small text-muted")
    text = (_("source: {source} ({where})").format(source=source_id, where=where) if where
            else _("source: {source}").format(source=source_id))
    return html.Span([" · ", text], className="small text-muted")


def tier_card(row: dict, id: str) -> dbc.Card:
    """The city's tier, why (with its source), what it opens and its next step."""
    return _card(_("On the Mission Platform"), [
        html.P([html.Strong(vocab.TIER.label(row["tier"])), html.Br(),
                _("Why: {reason}.").format(reason=row["tier_reason"]), _source(row["tier_source"])],
               className="mb-2"),
        html.P(_("Opens: {supports}.").format(supports=", ".join(tiers.opens(row["tier"]))), className="mb-2"),
        html.P(_("Next step: {step}.").format(step=row["next_step"]), className="mb-0"),
    ], id)


def covenant_card(row: dict, id: str) -> dbc.Card:
    """The city's Covenant of Mayors facts as published (or that it is not a signatory, or that it is not known)."""
    if not row.get("covenant_signatory"):
        text = (_("The Covenant of Mayors file is not loaded: whether the city is a signatory is not known.")
                if row.get("covenant_signatory") is None else
                _("Not among the Covenant of Mayors signatories of the loaded release."))
        return _card(_("Covenant of Mayors"), html.P(text, className="mb-0"), id)
    status = vocab.COVENANT_STATUS.label(row["status"])
    facts = [
        (_("Status"), _("{status}: {note}").format(status=status, note=vocab.COVENANT_STATUS.note(row["status"]))
         if row["status"] == "on_hold" else status),
        (_("Signed"), row["adhesion_date"].isoformat() if row["adhesion_date"] else _("not known")),
        (_("CoM 2050 (climate neutrality by 2050)"), _(FLAG[row["com_2050"]])),
        (_("CoM 2030"), _(FLAG[row["com_2030"]])),
        (_("CoM 2020"), _(FLAG[row["com_2020"]])),
        (_("Group"), row["group_name"] or "—"),
        (_("JRC id"), row["organisation_id"]),
    ]
    return _card(_("Covenant of Mayors"), [
        html.Dl([x for label, value in facts for x in (html.Dt(label, className="col-sm-5 fw-normal text-muted"),
                                                         html.Dd(value, className="col-sm-7 mb-1"))],
                className="row small mb-2"),
        html.P([_("As published by the JRC (GCoM - MyCovenant, df1). A flag that reads '{flag}' says nothing of "
                  "targets the city may have set otherwise.").format(flag=_(FLAG[False])),
                _source(row["covenant_source"], row["covenant_ref"])], className="small text-muted mb-0"),
    ], id)


def nearest_card(row: dict, nearest: pl.DataFrame, id: str) -> dbc.Card:
    """The nearest Mission Cities, for a study visit, with the straight-line distance."""
    if row["placement"] not in vocab.PLACEMENT.codes("usable") or not nearest.height:
        why = (_("Not known: the Covenant file puts the city outside its country.") if row["placement"] == "outside"
               else _("Not known: the city has no point on the map."))
        return _card(_("Nearest Mission Cities"), html.P(why, className="mb-0"), id)
    approx = (" " + _("The city's own point is approximate ({note}): the distances are too.").format(
        note=row["placement_note"]) if row["placement"] == "approximate" else "")
    return _card(_("Nearest Mission Cities"), [
        html.Ol([html.Li([dcc.Link(r["name"], href=f"/city/{r['city_id']}"), f" ({r['country_iso2']}): ",
                          _("{km} km").format(km=number(r["km"]))]) for r in nearest.iter_rows(named=True)],
                className="mb-2"),
        html.P(_("Straight-line distance between the cities' points, in the European equal-area projection "
                 "(ETRS89-LAEA, EPSG:3035).") + approx, className="small text-muted mb-0"),
    ], id)
