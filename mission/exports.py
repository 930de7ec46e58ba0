"""Self-describing exports of a chart: CSV of exactly the data behind it, PNG at print quality, file names."""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import threading
from pathlib import Path

import plotly
import plotly.graph_objects as go
import polars as pl
from slugify import slugify

from i18n import gettext as _
from i18n import number
from mission import queries
from mission.charts import ChartExport
from mission.charts.theme import plain
from mission.city import day_words

# A spreadsheet runs a cell that starts with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PNG_SCALE = 2  # twice the on-screen size: sharp in print
PNG_WIDTH = 1000
TOPOJSON_DIR = Path(__file__).resolve().parent.parent / "assets" / "topojson"

_kaleido_lock = threading.Lock()
_kaleido_started = False


def safe_cell(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe; everything else is unchanged.

    Negative numbers stay numbers: only text is escaped."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def filename(chart: ChartExport, extension: str, day: dt.date | None = None) -> str:
    """'klagenfurt_pathway_2026-11-24.png': whose chart, which chart, the day of the export."""
    day = day or dt.date.today()
    return f"{slugify(chart.subject, separator='-')}_{slugify(chart.name, separator='_')}_{day:%Y-%m-%d}.{extension}"


def sources_of(chart: ChartExport) -> pl.DataFrame:
    """The sources behind the chart's data rows (columns source_id and *_source_id), with licence and citation."""
    columns = [c for c in chart.data.columns if c == "source_id" or c.endswith("_source_id")]
    # A row summing several documents names them all, space-separated.
    ids = sorted({s for c in columns for v in chart.data[c].drop_nulls().to_list() for s in str(v).split()})
    return queries.sources().filter(pl.col("source_id").is_in(ids))


def metadata_lines(chart: ChartExport, built: dt.datetime, day: dt.date) -> list[str]:
    """The lines that describe the chart: title, unit, summary, filters, build, export day and every source, in the
    reader's language (the data's columns stay the same in every language)."""
    lines = [_("title: {title}").format(title=chart.title), _("unit: {unit}").format(unit=chart.unit),
             _("summary: {summary}").format(summary=chart.summary)]
    lines += [_("note: {note}").format(note=note) for note in chart.notes]
    lines += [_("filter {name}: {value}").format(name=k, value=v) for k, v in chart.filters.items()]
    lines += [_("warehouse built: {built} UTC").format(built=f"{built:%Y-%m-%d %H:%M}"),
              _("exported: {day}").format(day=f"{day:%Y-%m-%d}"), _("dashboard: Cities Mission Dashboard")]
    for r in sources_of(chart).iter_rows(named=True):
        values = {"source": r["source_id"], "citation": r["citation"] or r["title"],
                  "licence": r["licence"] or _("not stated"), "url": r["url"]}
        lines.append((_("source {source}: {citation}; licence: {licence}; {url}") if r["url"] else
                      _("source {source}: {citation}; licence: {licence}")).format(**values))
    return lines


def csv_bytes(chart: ChartExport, day: dt.date | None = None) -> bytes:
    """UTF-8 CSV: '# ' metadata lines first (read them with comment='#'), then the data with a header row.
    Text cells that a spreadsheet would run as formulas are escaped (`safe_cell`)."""
    day = day or dt.date.today()
    out = io.StringIO()
    for line in metadata_lines(chart, queries.build_info()["loaded_at"], day):
        out.write("# " + " ".join(line.splitlines()) + "\n")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(chart.data.columns)
    for row in chart.data.iter_rows():
        writer.writerow(["" if v is None else safe_cell(v) for v in row])
    return out.getvalue().encode("utf-8")


def source_line(chart: ChartExport, day: dt.date) -> str:
    """'Source: A; B; C and 97 more (listed in the CSV). Cities Mission Dashboard, 24 November 2026.'"""
    names = sorted({r["producer"] or r["title"] for r in sources_of(chart).iter_rows(named=True)})
    if len(names) > 3:
        text = _("Source: {sources} and {more} more (listed in the CSV). Cities Mission Dashboard, {day}.")
    elif names:
        text = _("Source: {sources}. Cities Mission Dashboard, {day}.")
    else:
        text = _("Source: see the dashboard. Cities Mission Dashboard, {day}.")
    return text.format(sources="; ".join(names[:3]), more=number(len(names) - 3), day=day_words(day))


def _start_kaleido() -> None:
    """One headless Chromium per process, started at the first PNG: the system's chromium (nothing is
    downloaded), plotly.js from the installed plotly package, no MathJax (kaleido's default is a CDN)."""
    global _kaleido_started
    with _kaleido_lock:
        if _kaleido_started:
            return
        import kaleido

        plotly_js = Path(plotly.__file__).parent / "package_data" / "plotly.min.js"
        kaleido.start_sync_server(plotlyjs=plotly_js.as_uri(), mathjax=False, silence_warnings=True)
        _kaleido_started = True


def print_figure(chart: ChartExport, day: dt.date | None = None) -> go.Figure:
    """The chart as it is printed: its title and unit on top, the summary and the source line underneath."""
    day = day or dt.date.today()
    fig = copy.deepcopy(chart.figure)
    note = _wrap(chart.summary, 150) + "<br>" + _wrap(source_line(chart, day), 150)
    # The note goes below the x axis: its tick labels, slanted ones and its title need room above the note.
    axis = fig.layout.xaxis
    below_axis = 30 + (110 if axis.tickangle else 0) + (28 if axis.title and axis.title.text else 0)
    bottom = 10 + below_axis + 18 * (note.count("<br>") + 1)
    height = (fig.layout.height or 400) + 100 + bottom
    fig.update_layout(
        title={"text": f"<b>{plain(chart.title)}</b><br><span style='font-size:13px'>{plain(chart.unit)}</span>",
               "x": 0.01,
               "xanchor": "left", "y": 0.99, "yref": "container", "yanchor": "top", "pad": {"t": 24}},
        height=height, width=PNG_WIDTH, margin={"t": 130, "b": bottom, "l": 60, "r": 30}, paper_bgcolor="white")
    fig.add_annotation(text=note, xref="paper", yref="paper", x=0, y=0, yshift=-below_axis, xanchor="left",
                       yanchor="top",
                       showarrow=False, align="left", font={"size": 11, "color": "#444444"})
    return fig


def _wrap(text: str, width: int) -> str:
    """`text` in lines of at most `width` characters, each escaped for plotly, joined with <br>."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(plain(x) for x in [*lines, line])


def png_bytes(chart: ChartExport, day: dt.date | None = None) -> bytes:
    """PNG at PNG_SCALE x, with title, unit, summary, source line and date in the image."""
    import kaleido

    _start_kaleido()
    fig = print_figure(chart, day)
    options = {"format": "png", "width": PNG_WIDTH, "height": fig.layout.height, "scale": PNG_SCALE}
    with _kaleido_lock:  # one render at a time per process: the browser is shared
        return kaleido.calc_fig_sync(fig.to_plotly_json(), opts=options, topojson=TOPOJSON_DIR.as_uri() + "/")
