"""Country shapes from the bundled Natural Earth 1:110m admin-0 GeoJSON, and US homeland regions.

`countries()` reads ``umbrella/data/geo/ne_110m_countries.geojson`` (a verbatim copy; see the
README beside it) once and caches it. Polygons are ``(k, 2)`` float arrays of ``(lon, lat)`` in
degrees, one per ring, read-only. Five features carry ``-99`` instead of an ISO code in this
Natural Earth version; they get a code from their name here (`FIXED_CODES`).

Taiwan is its own feature (TWN), so ``territory("CHN")`` is the PRC's mainland and Hainan only.
At 1:110m small islands are missing: Guam, the Northern Marianas, the Aleutian chain west of the
Alaska Peninsula and most Japanese outlying islands are absent, and coastlines are generalised
(a few km to tens of km). `homeland("Guam")` therefore returns reference points from the bundled
bases table instead of a shape.
"""

from __future__ import annotations

import copy
import functools
import json
from pathlib import Path

import numpy as np

from umbrella.errors import InputError

from . import geodesy

GEOJSON = Path(__file__).resolve().parent.parent / "data" / "geo" / "ne_110m_countries.geojson"

# Natural Earth gives these five features iso_a3 = -99. Norway and France get their ISO codes;
# the three without an ISO 3166 code get Natural Earth's own adm0_a3 code.
FIXED_CODES = {"Norway": "NOR", "France": "FRA", "N. Cyprus": "CYN", "Somaliland": "SOL", "Kosovo": "KOS"}

HOMELAND_REGIONS = ("CONUS", "Alaska", "Hawaii", "Guam")


def _read_only(a: np.ndarray) -> np.ndarray:
    a = np.ascontiguousarray(a, dtype=float)
    a.setflags(write=False)
    return a


@functools.lru_cache(maxsize=1)
def _load() -> tuple[dict, ...]:
    doc = json.loads(GEOJSON.read_text(encoding="utf-8"))
    out = []
    for f in doc["features"]:
        name = f["properties"]["name"]
        iso3 = f["properties"].get("iso_a3") or f.get("id")
        if iso3 == "-99":
            iso3 = FIXED_CODES[name]
        g = f["geometry"]
        polys = g["coordinates"] if g["type"] == "MultiPolygon" else [g["coordinates"]]
        out.append({
            "iso3": iso3,
            "name": name,
            "continent": f["properties"].get("continent"),
            "polygons": [_read_only(p[0]) for p in polys],
            "holes": [_read_only(r) for p in polys for r in p[1:]],
        })
    return tuple(out)


def countries() -> list[dict]:
    """Every country of the bundled Natural Earth 110m map: dicts with ``iso3``, ``name``,
    ``continent``, ``polygons`` (exterior rings, (k, 2) lon/lat arrays) and ``holes`` (interior
    rings; only South Africa has one, Lesotho). The list and dicts are fresh copies; the arrays
    are shared and read-only."""
    return [dict(c) for c in _load()]


def geojson() -> dict:
    """The bundled FeatureCollection with the five `-99` ids replaced (`FIXED_CODES`), as a fresh
    dict: for map back-ends that take GeoJSON with ``featureidkey="id"``."""
    doc = copy.deepcopy(_raw_geojson())
    for f in doc["features"]:
        if f.get("id") == "-99" or f["properties"].get("iso_a3") == "-99":
            f["id"] = f["properties"]["iso_a3"] = FIXED_CODES[f["properties"]["name"]]
    return doc


@functools.lru_cache(maxsize=1)
def _raw_geojson() -> dict:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def iso3_codes() -> list[str]:
    return sorted(c["iso3"] for c in _load())


def territory(iso3: str) -> list[np.ndarray]:
    """The rings of a country: exterior rings, then holes (use the even-odd rule, as
    `geodesy.contains` does). Unknown code: InputError naming the codes available."""
    for c in _load():
        if c["iso3"] == iso3:
            return list(c["polygons"]) + list(c["holes"])
    raise InputError("iso3", iso3, "an ISO 3166-1 alpha-3 code of the Natural Earth 110m map, e.g. "
                     + ", ".join(iso3_codes()[:12]) + ", ...", problem="is not a country of the bundled map")


@functools.lru_cache(maxsize=None)
def territory_boundary(iso3: str) -> geodesy.Boundary:
    """`territory(iso3)` prepared for distance queries (cached)."""
    return geodesy.boundary(territory(iso3))


# ------------------------------------------------------------------ US homeland regions

def _bbox_in(p: np.ndarray, lon: tuple[float, float], lat: tuple[float, float]) -> bool:
    return bool(p[:, 0].min() >= lon[0] and p[:, 0].max() <= lon[1]
                and p[:, 1].min() >= lat[0] and p[:, 1].max() <= lat[1])


# Which of Natural Earth's USA rings belong to each region (by bounding box).
_REGION_BOXES = {
    "CONUS": ((-126.0, -66.0), (24.0, 50.0)),
    "Alaska": ((-180.0, -129.0), (50.0, 72.0)),
    "Hawaii": ((-161.0, -154.0), (18.0, 23.0)),
}
GUAM_POINTS = ("Andersen Air Force Base", "Naval Base Guam (Apra Harbor)")


@functools.lru_cache(maxsize=None)
def _homeland(region: str) -> tuple[tuple[np.ndarray, ...], str, str]:
    if region in _REGION_BOXES:
        lon, lat = _REGION_BOXES[region]
        rings = tuple(p for p in territory("USA") if _bbox_in(p, lon, lat))
        note = {
            "CONUS": "Natural Earth 110m USA: the contiguous-states ring",
            "Alaska": "Natural Earth 110m USA: Alaska mainland, Kodiak, Nunivak and St Lawrence islands "
                      "(the Aleutian chain is absent at 1:110m)",
            "Hawaii": "Natural Earth 110m USA: the five main Hawaiian islands",
        }[region]
        return rings, "polygons", note
    if region == "Guam":
        from umbrella.data import load_table

        b = load_table("bases").set_index("name")
        pts = np.array([[b.at[n, "lon"], b.at[n, "lat"]] for n in GUAM_POINTS])
        return (_read_only(pts),), "points", ("reference points (Natural Earth 110m has no Guam): "
                                             + " and ".join(GUAM_POINTS) + " from the bundled bases table")
    raise InputError("region", region, ", ".join(HOMELAND_REGIONS), problem="is not a US homeland region")


def homeland(region: str) -> list[np.ndarray]:
    """US homeland region as rings of (lon, lat), or, for Guam, one (2, 2) array of reference
    points (Andersen AFB and Apra Harbor: Natural Earth 110m has no Guam). `geodesy` treats an
    array of fewer than three points as points. Regions: CONUS, Alaska, Hawaii, Guam."""
    return list(_homeland(region)[0])


def homeland_info(region: str) -> dict:
    """{"region", "kind": "polygons" | "points", "source"}: what `homeland(region)` is made of."""
    _, kind, note = _homeland(region)
    return {"region": region, "kind": kind, "source": note}


@functools.lru_cache(maxsize=None)
def homeland_boundary(region: str) -> geodesy.Boundary:
    return geodesy.boundary(homeland(region))
