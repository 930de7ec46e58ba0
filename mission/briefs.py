"""City, country and Mission progress briefs: a ZIP with a PDF (key numbers, main charts, summaries, sources and
kinds of data), every chart as PNG and CSV. The command is `python -m mission brief --country FR --out DIR` (or
`--city`, or `--mission [--country FR]`), also run as `python -m mission.briefs --mission`."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
from slugify import slugify

import vocab
from i18n import date, number, percent, pgettext
from i18n import gettext as _
from mission import charts, countries, exports, overview, progress, queries
from mission.city import day_words
from mission.exports import ChartExport
from mission.pathways import MISSION_DEFAULT_REDUCTION_PCT, TARGET_WORDS
from mission.words import count, tonnes

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
Progress = Callable[[int, int, str], None]


class BriefNotPossible(LookupError):
    """The warehouse has no such city or country, or nothing to brief on (said in the reader's language: the page
    shows it)."""


@dataclass(frozen=True)
class Brief:
    kind: str  # city | country | mission
    key: str  # city_id, ISO code, or the countries of a Mission progress brief ("" for the whole Mission)
    name: str
    facts: list[tuple[str, str]]  # (label, value with its kind in words), in the reader's language
    charts: list[ChartExport]
    lead: ChartExport | None  # drawn full width on page 1
    file_name: str | None = None  # what the files are named after, where `name` is translated (else `name`)

    @property
    def slug(self) -> str:
        """The files' name: the same in every language."""
        return slugify(self.file_name or self.name)


def city_brief(city_id: str) -> Brief:
    city = queries.city(city_id)
    if city is None:
        raise BriefNotPossible(_("the warehouse has no city {city}").format(city=repr(city_id)))
    if city.baseline is None:
        raise BriefNotPossible(_("{city} has no baseline: there is nothing to brief on").format(city=city.name))
    params = {"city_id": city_id}
    inventory, pathway = charts.build("city-inventory", params), charts.build("city-pathway", params)
    metrics = overview.all_city_metrics().filter(pl.col("city_id") == city_id).row(0, named=True)
    actions = queries.portfolio_by_field(city_id)
    people = city.population
    population = (_("{population} ({year}, {kind})").format(
        population=number(people.value), year=people.year or _("year not stated"),
        kind=vocab.KIND.label(people.kind, _("unknown kind"))) if people else _("unknown"))
    stage = vocab.STAGE.label(city.stage)
    target = metrics["target_tco2e"]
    facts = [
        (_("Country"), city.country),
        (_("Cohort"), _("Mission City") if city.cohort == "mission" else _("newcomer city")),
        (_("Contract stage"), _("{stage}, wave {wave}, {month}").format(
            stage=stage, wave=city.label.wave, month=date(city.label.date, "month")) if city.label else stage),
        (_("Population"), population),
        (_("Baseline"), _("{tonnes} CO2e in {year} ({kind})").format(
            tonnes=tonnes(city.baseline.tco2e), year=city.baseline.year, kind=vocab.KIND.label(city.baseline.kind))),
        (_("Data quality"), _("grade {grade}: {reason}").format(grade=metrics["grade"], reason=metrics["grade_reason"])
         if metrics["grade"] else _("no grade")),
        (_("2030 target"), _("{tonnes} CO2e ({whose})").format(
            tonnes=tonnes(target), whose=_(TARGET_WORDS[metrics["target_origin"]].brief).format(
                pct=percent(MISSION_DEFAULT_REDUCTION_PCT))) if target is not None else _("not in tonnes")),
        (_("Required cut"), _("{pct} a year from {year} (computed)").format(
            pct=percent(metrics["required_rate_pct"], 1), year=metrics["latest_year"])
         if metrics["required_rate_pct"] is not None else _("see the pathway")),
        (_("Actions in the contract"), _("{actions} in {fields} fields of action").format(
            actions=number(int(actions["actions"].sum())), fields=number(actions.height))
         if actions.height else _("none transcribed")),
    ]
    return Brief("city", city_id, city.name, facts, [inventory, pathway], None)


def grade_counts(cities: pl.DataFrame) -> str:
    """'A: 5, B: 1, D: 2 (grades of the cities' emissions figures, A best)'."""
    counts = cities.group_by(pl.col("grade").fill_null("none")).len().sort("grade")
    listed = ", ".join(f"{g}: {number(n)}" if g != "none" else _("no figure: {n}").format(n=number(n))
                       for g, n in counts.iter_rows())
    return _("{counts} (grades of the cities' emissions figures: A best, D modelled estimate only)").format(
        counts=listed)


def country_brief(iso2: str) -> Brief:
    code = iso2.upper() if isinstance(iso2, str) else ""
    found = queries.countries().filter(pl.col("country_iso2") == code)
    if not found.height:
        raise BriefNotPossible(_("the warehouse has no country {country}").format(country=repr(iso2)))
    name = found["name"][0]
    mine = countries.cities_with_coverage().filter(pl.col("country_iso2") == code)
    if not mine.height:
        raise BriefNotPossible(_("the warehouse has no city in {country}").format(country=name))
    k = overview.kpis(mine)
    params = {"iso2": code}
    facts = [
        (_("Mission Cities"), number(k.mission_cities)),
        (_("With the Mission Label"), _("{labelled} ({in_review} in preparation or review; official "
                                        "announcements)").format(labelled=number(k.labelled),
                                                                 in_review=number(k.in_review))),
        (_("Newcomer cities"), number(k.newcomers)),
        (_("Summed baselines"), _("{tonnes} CO2e: {reported} reported by the cities, {modelled} modelled "
                                  "estimates").format(tonnes=tonnes(k.baseline_tco2e),
                                                      reported=percent(k.share("reported") * 100),
                                                      modelled=percent(k.share("modelled_estimate") * 100))),
        (_("Data quality"), grade_counts(mine)),
    ]
    lead = charts.build("overview-map", {"country": code, "metric": "per_capita"})
    rest = [charts.build("country-national", params),
            charts.build("country-strip", {**params, "measure": "per_capita_t"}),
            charts.build("country-strip", {**params, "measure": "required_rate_pct"}),
            charts.build("country-pipeline", params)]
    return Brief("country", code, name, facts, rest, lead)


PROGRESS_CHARTS = ("progress-road", "progress-gap", "progress-countries", "progress-fields", "progress-pace",
                   "progress-money")


def mission_brief(countries_csv: str = "") -> Brief:
    """The Mission's progress (or the progress of some countries' Mission Cities: "FR,BE"): the road so far, the gap
    to 2030, the pace achieved against the pace required and the money."""
    scope = progress.Scope.from_query({"country": countries_csv or ""})
    if countries_csv and not scope.countries:
        raise BriefNotPossible(_("no country code in {countries}").format(countries=repr(countries_csv)))
    p = progress.of(scope)
    if not p.gap.cities.height:
        raise BriefNotPossible(_("the warehouse has no Mission City in {who}").format(who=p.who))
    g = p.gap
    latest = p.road.filter(pl.col("fact") == "labels_cumulative")
    label_fact = (_("{labelled} labelled Mission Cities in the warehouse; published: {published} by {day} (official "
                    "announcement, whole Mission; Eindhoven & Helmond counted as two)").format(
        labelled=number(p.labelled), published=number(latest["published"][-1]), day=day_words(latest["as_of"][-1]))
        if latest.height else
        _("{labelled} labelled Mission Cities in the warehouse").format(labelled=number(p.labelled)))
    facts = [
        (_("Scope"), _("{who}: {cities}").format(who=p.who, cities=count(g.cities.height, "{n} Mission City",
                                                                          "{n} Mission Cities"))),
        (_("Mission Labels"), label_fact),
        (_("Summed baselines"), _("{baseline} CO2e a year ({reported} reported by the cities, {modelled} modelled "
                                  "estimates; base years {first}–{last})").format(
            baseline=tonnes(g.baseline), reported=tonnes(g.baseline_reported), modelled=tonnes(g.baseline_modelled),
            first=g.baseline_years[0], last=g.baseline_years[1]) if g.baseline_years else pgettext("brief", "none")),
        (_("Summed 2030 targets"), _("{target} ({own} the cities' own, {default} the Mission's default; "
                                     "computed)").format(target=tonnes(g.target), own=tonnes(g.target_own),
                                                         default=tonnes(g.target_default))),
        (_("Planned cuts"), _("{planned} a year that can be added up (reported in the contracts)").format(
            planned=tonnes(g.planned + g.removal))),
        (_("Still to cut"), _("{shortfall} a year (computed)").format(shortfall=tonnes(g.shortfall))),
        (_("Coverage"), " ".join(progress.coverage_words(g))),
        (_("Pace"), progress.pace_summary(p.pace, p.who)),
    ]
    built = [charts.build(name, scope.to_query()) for name in PROGRESS_CHARTS]
    # The files keep their English name in every language (the countries' names are the warehouse's).
    if scope.whole:
        name, file_name = _("Mission progress"), "Mission progress"
    else:
        name, file_name = _("Mission progress: {who}").format(who=p.who), f"Mission progress: {p.who}"
    return Brief("mission", ",".join(scope.countries), name, facts, built[1:], built[0], file_name)


def _font_path(style: str) -> Path:
    name = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}[style]
    for folder in FONT_DIRS:
        if (folder / name).is_file():
            return folder / name
    raise FileNotFoundError(f"{name} not found in {', '.join(map(str, FONT_DIRS))}: install Debian's "
                            "fonts-dejavu-core (the PDF needs a Unicode font for names such as Tauragė)")


def pdf_bytes(brief: Brief, pngs: dict[str, bytes], day: dt.date) -> bytes:
    """Two A4 pages: title, key numbers, the lead chart and the summaries; then the other charts and the sources."""
    from fpdf import FPDF

    pdf = FPDF(format="A4", unit="mm")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("DejaVu", "", str(_font_path("")))
    pdf.add_font("DejaVu", "B", str(_font_path("B")))
    title = _("{name}: Cities Mission brief").format(name=brief.name)
    pdf.set_title(title)
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 17)
    pdf.cell(0, 9, title, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("DejaVu", "", 9)
    built = queries.build_info()["loaded_at"]
    pdf.cell(0, 5, _("Cities Mission Dashboard, {day}; warehouse built {built}").format(
        day=day_words(day), built=f"{built:%Y-%m-%d}"), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(3)
    for label, value in brief.facts:
        pdf.set_font("DejaVu", "B", 9)
        pdf.cell(45, 5.5, label)
        pdf.set_font("DejaVu", "", 9)
        pdf.multi_cell(0, 5.5, value, new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(2)
    first = [brief.lead] if brief.lead else brief.charts[:2]
    later = brief.charts if brief.lead else brief.charts[2:]
    _images(pdf, first, pngs, full=bool(brief.lead))
    pdf.set_font("DejaVu", "", 8.5)
    for chart in [*first, *later]:
        pdf.multi_cell(0, 4.4, _("{title}: {summary}").format(title=chart.title, summary=chart.summary),
                       new_x="LMARGIN", new_y="NEXT", align="L")
        pdf.ln(0.8)
    if later:
        pdf.add_page()
        _images(pdf, later, pngs, full=False)
    _sources(pdf, brief)
    return bytes(pdf.output())


def _png_ratio(png: bytes) -> float:
    """Height / width of a PNG, from its header."""
    return int.from_bytes(png[20:24], "big") / int.from_bytes(png[16:20], "big")


def _images(pdf, chart_list: list[ChartExport], pngs: dict[str, bytes], full: bool) -> None:
    """Charts full width one under the other, or two side by side per row."""
    width, gap = (186, 0) if full else (92, 2)
    per_row = 1 if full else 2
    for start in range(0, len(chart_list), per_row):
        row = chart_list[start:start + per_row]
        top, tallest = pdf.get_y(), 0.0
        for i, chart in enumerate(row):
            png = pngs[chart_file(chart, "png")]
            pdf.image(io.BytesIO(png), x=pdf.l_margin + i * (width + gap), y=top, w=width)
            tallest = max(tallest, width * _png_ratio(png))
        pdf.set_xy(pdf.l_margin, top + tallest + 2)


def _sources(pdf, brief: Brief) -> None:
    pdf.ln(2)
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(0, 5, _("Kinds of data"), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("DejaVu", "", 7.5)
    kinds = sorted({k for c in brief.charts + ([brief.lead] if brief.lead else []) for k in
                    c.data["kind"].drop_nulls().to_list()} & set(vocab.KIND.codes("export")))
    for kind in kinds:
        pdf.multi_cell(0, 3.6, f"{kind}: {vocab.KIND.note(kind)}", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(1)
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(0, 5, _("Sources and licences"), new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("DejaVu", "", 7)
    ids: set[str] = set()
    for chart in brief.charts + ([brief.lead] if brief.lead else []):
        # A comparison with all Mission Cities cites only this brief's own cities here; the CSV cites them all.
        rows = chart.data.filter(pl.col("highlighted")) if "highlighted" in chart.data.columns else chart.data
        ids |= set(rows["source_id"].drop_nulls().to_list())
    for r in queries.sources().filter(pl.col("source_id").is_in(sorted(ids))).iter_rows(named=True):
        pdf.multi_cell(0, 3.4, _("{source}. Licence: {licence}. {url}").format(
            source=r["citation"] or r["title"], licence=r["licence"] or _("not stated"),
            url=(r["url"] or "").split(" ; ")[0]), new_x="LMARGIN", new_y="NEXT", align="L")


def chart_file(chart: ChartExport, extension: str) -> str:
    return f"{slugify(chart.name, separator='_')}.{extension}"


def zip_bytes(brief: Brief, day: dt.date | None = None, progress: Progress | None = None) -> bytes:
    """The brief as a ZIP: <name>_brief_<day>.pdf, and every chart as PNG and CSV."""
    day = day or dt.date.today()
    every = [brief.lead, *brief.charts] if brief.lead else brief.charts
    steps = len(every) + 1
    pngs: dict[str, bytes] = {}
    for i, chart in enumerate(every):
        if progress:
            progress(i, steps, _("drawing {chart}").format(chart=chart.title))
        pngs[chart_file(chart, "png")] = exports.png_bytes(chart, day)
    if progress:
        progress(steps - 1, steps, _("writing the PDF"))
    buffer = io.BytesIO()
    files = {f"{brief.slug}_brief_{day:%Y-%m-%d}.pdf": pdf_bytes(brief, pngs, day)}
    for chart in every:
        files[chart_file(chart, "png")] = pngs[chart_file(chart, "png")]
        files[chart_file(chart, "csv")] = exports.csv_bytes(chart, day)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            entry = zipfile.ZipInfo(name, date_time=(day.year, day.month, day.day, 0, 0, 0))
            entry.external_attr = 0o644 << 16  # readable by all once unpacked
            entry.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(entry, content)
    if progress:
        progress(steps, steps, pgettext("brief", "done"))
    return buffer.getvalue()


def zip_name(brief: Brief, day: dt.date | None = None) -> str:
    return f"{brief.slug}_brief_{(day or dt.date.today()):%Y-%m-%d}.zip"


if __name__ == "__main__":  # `python -m mission.briefs --mission`: the command line's `brief` command
    from mission.cli import brief_main

    brief_main()
