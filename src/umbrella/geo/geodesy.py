"""Distances on the WGS84 ellipsoid (geographiclib), geodesic circles, distance to polygons.

All public functions take and return degrees and kilometres. Geodesics are computed by
GeographicLib (Karney 2013, accurate to about 15 nm); nothing here is a hand-written formula
except the spherical (haversine) pre-filter of `nearest_km`, which only chooses the candidate
boundary points that geographiclib then measures.

Polygons are sequences of ``(k, 2)`` arrays of ``(lon, lat)`` in degrees (GeoJSON order), one
array per ring, as returned by `umbrella.geo.territory`. An array with fewer than three points is
a set of reference points, not an area (`territory.homeland("Guam")`).

`nearest_km(lat, lon, polygons)` is the distance to the nearest point of the set: 0 inside a
polygon (even-odd rule over all rings, so a hole is outside), otherwise the geodesic distance to
the nearest point of the boundary. Boundaries are densified by linear interpolation in lon/lat
(the way a GeoJSON edge is drawn) to at most `STEP_KM` between points, so the distance to the
nearest boundary *vertex* overstates the distance to the boundary by at most
``sqrt(d**2 + (STEP_KM/2)**2) - d``: at most 5 km on the boundary itself, under 0.2 km beyond 60 km.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from geographiclib.geodesic import Geodesic

WGS84 = Geodesic.WGS84
EARTH_MEAN_RADIUS_KM = 6371.0088  # IUGG mean radius R1 of WGS84: the haversine pre-filter only
STEP_KM = 10.0  # densification step of polygon boundaries
CANDIDATES = 4  # boundary points refined with geographiclib per query (nearest by haversine)


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Geodesic distance on the WGS84 ellipsoid, km (GeographicLib inverse problem)."""
    return WGS84.Inverse(float(lat1), float(lon1), float(lat2), float(lon2), Geodesic.DISTANCE)["s12"] / 1000.0


def azimuth_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Initial azimuth of the geodesic from point 1 to point 2, degrees clockwise from north."""
    return WGS84.Inverse(float(lat1), float(lon1), float(lat2), float(lon2), Geodesic.AZIMUTH)["azi1"]


def destination(lat: float, lon: float, azimuth: float, distance: float) -> tuple[float, float]:
    """Point reached from (lat, lon) along the geodesic with initial `azimuth` (deg) after
    `distance` km (GeographicLib direct problem). Longitude in [-180, 180)."""
    g = WGS84.Direct(float(lat), float(lon), float(azimuth), float(distance) * 1000.0,
                     Geodesic.LATITUDE | Geodesic.LONGITUDE)
    return g["lat2"], _wrap(g["lon2"])


def circle(lat: float, lon: float, radius_km: float, n: int = 180, unroll: bool = False
           ) -> tuple[np.ndarray, np.ndarray]:
    """Geodesic circle: the `n` points at geodesic distance `radius_km` from (lat, lon), at
    azimuths 0, 360/n, ... (clockwise from north; direct problem on WGS84).

    The ring is not closed (append the first point to close it). Longitudes are wrapped to
    [-180, 180) unless `unroll`, which keeps them continuous from `lon` (so a ring crossing the
    antimeridian does not jump; values may then leave [-180, 180)). A circle that contains a pole
    has longitudes that span all meridians; plot it with care."""
    if n < 3:
        raise ValueError(f"circle: n={n} must be at least 3")
    if radius_km < 0:
        raise ValueError(f"circle: radius_km={radius_km} must be >= 0")
    mask = Geodesic.LATITUDE | Geodesic.LONGITUDE | (Geodesic.LONG_UNROLL if unroll else 0)
    lats = np.empty(n)
    lons = np.empty(n)
    s12 = float(radius_km) * 1000.0
    for i in range(n):
        g = WGS84.Direct(float(lat), float(lon), 360.0 * i / n, s12, mask)
        lats[i] = g["lat2"]
        lons[i] = g["lon2"] if unroll else _wrap(g["lon2"])
    return lats, lons


def line(lat1: float, lon1: float, lat2: float, lon2: float, n: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """`n` points along the geodesic from point 1 to point 2 (both included), for drawing.
    Longitudes are unrolled (continuous from lon1)."""
    if n < 2:
        raise ValueError(f"line: n={n} must be at least 2")
    gl = WGS84.InverseLine(float(lat1), float(lon1), float(lat2), float(lon2),
                           Geodesic.LATITUDE | Geodesic.LONGITUDE | Geodesic.DISTANCE_IN)
    lats = np.empty(n)
    lons = np.empty(n)
    for i in range(n):
        g = gl.Position(gl.s13 * i / (n - 1), Geodesic.LATITUDE | Geodesic.LONGITUDE | Geodesic.LONG_UNROLL)
        lats[i], lons[i] = g["lat2"], g["lon2"]
    return lats, lons


# ------------------------------------------------------------------ polygons

@dataclass(frozen=True)
class Boundary:
    """Polygons prepared for distance queries: the rings (for the inside test) and their
    densified boundary points with unit vectors (for the haversine pre-filter)."""

    rings: tuple[np.ndarray, ...]  # (k, 2) lon/lat rings with >= 3 points (areas)
    lon: np.ndarray  # densified boundary points and reference points, degrees
    lat: np.ndarray
    xyz: np.ndarray  # (m, 3) unit vectors of (lat, lon) on the sphere

    @property
    def size(self) -> int:
        return len(self.lon)


def boundary(polygons, step_km: float = STEP_KM) -> Boundary:
    """Prepare `polygons` (a sequence of (k, 2) lon/lat arrays, or a Boundary) for queries."""
    if isinstance(polygons, Boundary):
        return polygons
    rings, lons, lats = [], [], []
    for poly in _as_list(polygons):
        a = np.asarray(poly, dtype=float)
        if a.ndim != 2 or a.shape[1] != 2 or len(a) == 0:
            raise ValueError(f"polygon must be a (k, 2) array of (lon, lat); got shape {a.shape}")
        if len(a) < 3:  # reference points
            lons.append(a[:, 0])
            lats.append(a[:, 1])
            continue
        if not np.array_equal(a[0], a[-1]):
            a = np.vstack([a, a[:1]])
        rings.append(a)
        lo, la = _densify(a, step_km)
        lons.append(lo)
        lats.append(la)
    if not lons:
        raise ValueError("no polygon or point given")
    lon = np.concatenate(lons)
    lat = np.concatenate(lats)
    for arr in (lon, lat):
        arr.setflags(write=False)
    xyz = _unit(lat, lon)
    xyz.setflags(write=False)
    return Boundary(tuple(rings), lon, lat, xyz)


def contains(polygons, lat, lon) -> np.ndarray | bool:
    """True where (lat, lon) lies inside the polygons (even-odd rule over all rings, in the
    lon/lat plane in which GeoJSON rings are drawn). Vectorised over points."""
    b = boundary(polygons)
    la = np.atleast_1d(np.asarray(lat, dtype=float))
    lo = np.atleast_1d(np.asarray(lon, dtype=float))
    inside = np.zeros(la.shape, dtype=bool)
    for ring in b.rings:
        inside ^= _in_ring(ring, lo, la)
    return inside if np.ndim(lat) else bool(inside[0])


def nearest_km(lat: float, lon: float, polygons) -> float:
    """Geodesic distance (km) from (lat, lon) to the nearest point of `polygons`; 0 inside.

    The boundary points are ranked by haversine distance (vectorised) and the `CANDIDATES`
    nearest are measured with geographiclib; the smallest of those is returned. On the sphere the
    ranking can differ from the ellipsoid's by at most about 0.5 % of the distance, far less
    than the spacing of the candidates kept."""
    d, _, _ = nearest_point(lat, lon, polygons)
    return d


def nearest_point(lat: float, lon: float, polygons) -> tuple[float, float, float]:
    """(distance km, lat, lon) of the nearest point of `polygons` (the query point itself,
    distance 0, when inside)."""
    b = boundary(polygons)
    if b.rings and contains(b, lat, lon):
        return 0.0, float(lat), float(lon)
    d, i = _refine(b, float(lat), float(lon))
    return d, float(b.lat[i]), float(b.lon[i])


def nearest_km_many(lats, lons, polygons) -> np.ndarray:
    """`nearest_km` for arrays of points."""
    b = boundary(polygons)
    la = np.asarray(lats, dtype=float).ravel()
    lo = np.asarray(lons, dtype=float).ravel()
    out = np.zeros(len(la))
    inside = contains(b, la, lo) if b.rings else np.zeros(len(la), dtype=bool)
    for k in np.flatnonzero(~inside):
        out[k] = _refine(b, la[k], lo[k])[0]
    return out


def set_distance_km(a, b, refine: bool = True) -> float:
    """Geodesic distance (km) between the nearest points of two polygon sets (0 if they touch or
    overlap at a vertex). The boundary points of `a` and `b` are compared by haversine; the
    nearest pairs are then measured with geographiclib when `refine`."""
    ba, bb = boundary(a), boundary(b)
    if ba.rings and contains(ba, bb.lat, bb.lon).any():
        return 0.0
    if bb.rings and contains(bb, ba.lat, ba.lon).any():
        return 0.0
    hav = _min_chord_pairs(ba, bb, CANDIDATES)
    if not refine:
        return float(hav[0][0])
    return min(distance_km(ba.lat[i], ba.lon[i], bb.lat[j], bb.lon[j]) for _, i, j in hav)


def farthest_km(region, polygons) -> float:
    """The largest, over the boundary and reference points of `region`, of the haversine
    distance to the nearest boundary point of `polygons`: how far the least exposed point of the
    region's outline lies from the set (spherical; about 0.5 % accurate, enough to say whether a
    range covers a whole region thousands of km away)."""
    br, bp = boundary(region), boundary(polygons)
    best = np.full(br.size, np.inf)
    for lo in range(0, bp.size, 4096):
        dots = br.xyz @ bp.xyz[lo:lo + 4096].T
        best = np.minimum(best, _chord_to_km(dots.max(axis=1)))
    return float(best.max())


# ------------------------------------------------------------------ helpers

def _as_list(polygons) -> list:
    if isinstance(polygons, np.ndarray):
        return [polygons]
    if not isinstance(polygons, Sequence):
        polygons = list(polygons)
    return list(polygons)


def _wrap(lon: float) -> float:
    return float((lon + 180.0) % 360.0 - 180.0)


def _unit(lat, lon) -> np.ndarray:
    la, lo = np.radians(lat), np.radians(lon)
    c = np.cos(la)
    return np.stack([c * np.cos(lo), c * np.sin(lo), np.sin(la)], axis=-1)


def _chord_to_km(dot) -> np.ndarray:
    return EARTH_MEAN_RADIUS_KM * np.arccos(np.clip(dot, -1.0, 1.0))


def _densify(ring: np.ndarray, step_km: float) -> tuple[np.ndarray, np.ndarray]:
    lo, la = ring[:, 0], ring[:, 1]
    xyz = _unit(la, lo)
    seg = _chord_to_km(np.einsum("ij,ij->i", xyz[:-1], xyz[1:]))
    parts = np.maximum(1, np.ceil(seg / step_km).astype(int))
    t = np.concatenate([np.arange(p) / p for p in parts])
    idx = np.repeat(np.arange(len(parts)), parts)
    lon = lo[idx] + t * (lo[idx + 1] - lo[idx])
    lat = la[idx] + t * (la[idx + 1] - la[idx])
    return lon, lat


def _in_ring(ring: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Even-odd ray casting of points (x, y) against one closed ring, vectorised over points."""
    x0, y0 = ring[:-1, 0][:, None], ring[:-1, 1][:, None]
    x1, y1 = ring[1:, 0][:, None], ring[1:, 1][:, None]
    crosses = (y0 > y) != (y1 > y)
    with np.errstate(divide="ignore", invalid="ignore"):
        xint = x0 + (y - y0) * (x1 - x0) / (y1 - y0)
    return (crosses & (x < xint)).sum(axis=0) % 2 == 1


def _refine(b: Boundary, lat: float, lon: float) -> tuple[float, int]:
    dots = b.xyz @ _unit(lat, lon)
    k = min(CANDIDATES, b.size)
    cand = np.argpartition(-dots, k - 1)[:k] if k < b.size else np.arange(b.size)
    best, arg = np.inf, -1
    for i in cand[np.argsort(-dots[cand])]:
        d = distance_km(lat, lon, b.lat[i], b.lon[i])
        if d < best:
            best, arg = d, int(i)
    return best, arg


def _min_chord_pairs(ba: Boundary, bb: Boundary, k: int) -> list[tuple[float, int, int]]:
    """The k (haversine km, i, j) nearest pairs between two boundaries, nearest first (one
    best partner per point of `ba`)."""
    best = np.full(ba.size, -2.0)
    arg = np.zeros(ba.size, dtype=int)
    for lo in range(0, bb.size, 4096):
        dots = ba.xyz @ bb.xyz[lo:lo + 4096].T
        j = dots.argmax(axis=1)
        v = dots[np.arange(ba.size), j]
        better = v > best
        best[better] = v[better]
        arg[better] = j[better] + lo
    order = np.argsort(-best)[:k]
    return [(float(_chord_to_km(best[i])), int(i), int(arg[i])) for i in order]
