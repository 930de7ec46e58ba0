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
from mission import charts, countries, exports, overview, progress, queries
from mission.exports import ChartExport
from mission.pathways import TARGET_WORDS
from mission.words import plural, tonnes

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
Progress = Callable[[int, int, str], None]


class BriefNotPossible(LookupError):
    """The warehouse has no such city or country, or nothing to brief on."""


@dataclass(frozen=True)
class Brief:
    kind: str  # city | country | mission
    key: str  # city_id, ISO code, or the countries of a Mission progress brief ("" for the whole Mission)
    name: str
    facts: list[tuple[str, str]]  # (label, value with its kind in words)
    charts: list[ChartExport]
    lead: ChartExport | None  # drawn full width on page 1

    @property
    def slug(self) -> str:
        return slugify(self.name)


def city_brief(city_id: str) -> Brief:
    city = queries.city(city_id)
    if city is None:
        raise BriefNotPossible(f"the warehouse has no city {city_id!r}")
    if city.baseline is None:
        raise BriefNotPossible(f"{city.name} has no baseline: there is nothing to brief on")
    params = {"city_id": city_id}
    inventory, pathway = charts.build("city-inventory", params), charts.build("city-pathway", params)
    metrics = overview.all_city_metrics().filter(pl.col("city_id") == city_id).row(0, named=True)
    actions = queries.portfolio_by_field(city_id)
    people = city.population
    population = (f"{people.value:,} ({people.year or 'year not stated'}, "
                  f"{vocab.KIND.label(people.kind, 'unknown kind')})" if people else "unknown")
    facts = [
        ("Country", city.country),
        ("Cohort", "Mission City" if city.cohort == "mission" else "newcomer city"),
        ("Contract stage", vocab.STAGE.label(city.stage)
         + (f", wave {city.label.wave}, {city.label.date:%B %Y}" if city.label else "")),
        ("Population", population),
        ("Baseline", f"{tonnes(city.baseline.tco2e)} CO2e in {city.baseline.year} "
                     f"({vocab.KIND.label(city.baseline.kind)})"),
        ("Data quality", f"grade {metrics['grade']}: {metrics['grade_reason']}" if metrics["grade"] else "no grade"),
        ("2030 target", f"{tonnes(metrics['target_tco2e'])} CO2e ({TARGET_WORDS[metrics['target_origin']].brief})"
         if metrics["target_tco2e"] is not None else "not in tonnes"),
        ("Required cut", f"{metrics['required_rate_pct']:.1f}% a year from {metrics['latest_year']} (computed)"
         if metrics["required_rate_pct"] is not None else "see the pathway"),
        ("Actions in the contract", f"{int(actions['actions'].sum())} in {actions.height} fields of action"
         if actions.height else "none transcribed"),
    ]
    return Brief("city", city_id, city.name, facts, [inventory, pathway], None)


def grade_counts(cities: pl.DataFrame) -> str:
    """'A: 5, B: 1, D: 2 (grades of the cities' emissions figures, A best)'."""
    counts = cities.group_by(pl.col("grade").fill_null("none")).len().sort("grade")
    return ", ".join(f"{g}: {n}" if g != "none" else f"no figure: {n}" for g, n in counts.iter_rows()) + \
        " (grades of the cities' emissions figures: A best, D modelled estimate only)"


def country_brief(iso2: str) -> Brief:
    code = iso2.upper() if isinstance(iso2, str) else ""
    found = queries.countries().filter(pl.col("country_iso2") == code)
    if not found.height:
        raise BriefNotPossible(f"the warehouse has no country {iso2!r}")
    name = found["name"][0]
    mine = countries.cities_with_coverage().filter(pl.col("country_iso2") == code)
    if not mine.height:
        raise BriefNotPossible(f"the warehouse has no city in {name}")
    k = overview.kpis(mine)
    params = {"iso2": code}
    facts = [
        ("Mission Cities", str(k.mission_cities)),
        ("With the Mission Label", f"{k.labelled} ({k.in_review} in preparation or review; official announcements)"),
        ("Newcomer cities", str(k.newcomers)),
        ("Summed baselines", f"{tonnes(k.baseline_tco2e)} CO2e: {k.share('reported') * 100:.0f}% reported by the "
                             f"cities, {k.share('modelled_estimate') * 100:.0f}% modelled estimates"),
        ("Data quality", grade_counts(mine)),
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
        raise BriefNotPossible(f"no country code in {countries_csv!r}")
    p = progress.of(scope)
    if not p.gap.cities.height:
        raise BriefNotPossible(f"the warehouse has no Mission City in {p.who}")
    g = p.gap
    latest = p.road.filter(pl.col("fact") == "labels_cumulative")
    label_fact = (f"{p.labelled} labelled Mission Cities in the warehouse"
                  + (f"; published: {latest['published'][-1]:,.0f} by {latest['as_of'][-1]:%d %B %Y} (official "
                     "announcement, whole Mission; Eindhoven & Helmond counted as two)" if latest.height else ""))
    facts = [
        ("Scope", f"{p.who}: {plural(g.cities.height, 'Mission City', 'Mission Cities')}"),
        ("Mission Labels", label_fact),
        ("Summed baselines", f"{tonnes(g.baseline)} CO2e a year ({tonnes(g.baseline_reported)} reported by the cities, "
                             f"{tonnes(g.baseline_modelled)} modelled estimates; base years "
                             f"{g.baseline_years[0]}–{g.baseline_years[1]})" if g.baseline_years else "none"),
        ("Summed 2030 targets", f"{tonnes(g.target)} ({tonnes(g.target_own)} the cities' own, "
                                f"{tonnes(g.target_default)} the Mission's default; computed)"),
        ("Planned cuts", f"{tonnes(g.planned + g.removal)} a year that can be added up (reported in the contracts)"),
        ("Still to cut", f"{tonnes(g.shortfall)} a year (computed)"),
        ("Coverage", " ".join(progress.coverage_words(g))),
        ("Pace", progress.pace_summary(p.pace, p.who)),
    ]
    built = [charts.build(name, scope.to_query()) for name in PROGRESS_CHARTS]
    return Brief("mission", ",".join(scope.countries), f"Mission progress: {p.who}"
                 if not scope.whole else "Mission progress", facts, built[1:], built[0])


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
    pdf.set_title(f"{brief.name}: Cities Mission brief")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 17)
    pdf.cell(0, 9, f"{brief.name}: Cities Mission brief", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("DejaVu", "", 9)
    built = queries.build_info()["loaded_at"]
    pdf.cell(0, 5, f"Cities Mission Dashboard, {day:%d %B %Y}; warehouse built {built:%Y-%m-%d}",
             new_x="LMARGIN", new_y="NEXT", align="L")
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
        pdf.multi_cell(0, 4.4, f"{chart.title}: {chart.summary}", new_x="LMARGIN", new_y="NEXT", align="L")
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
    pdf.cell(0, 5, "Kinds of data", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("DejaVu", "", 7.5)
    kinds = sorted({k for c in brief.charts + ([brief.lead] if brief.lead else []) for k in
                    c.data["kind"].drop_nulls().to_list()} & set(vocab.KIND.codes("export")))
    for kind in kinds:
        pdf.multi_cell(0, 3.6, f"{kind}: {vocab.KIND.term(kind).note}", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.ln(1)
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(0, 5, "Sources and licences", new_x="LMARGIN", new_y="NEXT", align="L")
    pdf.set_font("DejaVu", "", 7)
    ids: set[str] = set()
    for chart in brief.charts + ([brief.lead] if brief.lead else []):
        # A comparison with all Mission Cities cites only this brief's own cities here; the CSV cites them all.
        rows = chart.data.filter(pl.col("highlighted")) if "highlighted" in chart.data.columns else chart.data
        ids |= set(rows["source_id"].drop_nulls().to_list())
    for r in queries.sources().filter(pl.col("source_id").is_in(sorted(ids))).iter_rows(named=True):
        pdf.multi_cell(0, 3.4, f"{r['citation'] or r['title']}. Licence: {r['licence'] or 'not stated'}. "
                               f"{(r['url'] or '').split(' ; ')[0]}", new_x="LMARGIN", new_y="NEXT", align="L")


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
            progress(i, steps, f"drawing {chart.title}")
        pngs[chart_file(chart, "png")] = exports.png_bytes(chart, day)
    if progress:
        progress(steps - 1, steps, "writing the PDF")
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
        progress(steps, steps, "done")
    return buffer.getvalue()


def zip_name(brief: Brief, day: dt.date | None = None) -> str:
    return f"{brief.slug}_brief_{(day or dt.date.today()):%Y-%m-%d}.zip"


if __name__ == "__main__":  # `python -m mission.briefs --mission`: the command line's `brief` command
    from mission.cli import brief_main

    brief_main()
