"""The theatre balance in geography: how far US and allied bases lie from China, the DPRK and
Russia, how many of their missiles can reach each base, which parts of the US homeland their
missiles reach, and which bases lie within the radius of China-based aircraft.

Definitions (docs/geography.md has the discussion and the sources):

* distance (base, adversary): geodesic distance (WGS84) from the base to the nearest point of the
  adversary's LAUNCH AREA. ``launch="territory"`` (default): the launch area is the whole
  territory (Natural Earth 110m), the only assumption public sources support. ``"inland"`` or
  ``"inland:KM"``: China's launchers are assumed at least KM km (default 300) behind its border,
  modelled as KM added to the distance to China's territory; an illustrative sensitivity, not a
  sourced figure. It is a lower bound of the distance to a territory shrunk by KM.
* a class is IN RANGE of a point if its range used >= the distance (`missiles.classes`).
* ``missiles_in_range[ADV]``: the missiles of the adversary's theatre ballistic classes
  (SRBM, MRBM, IRBM) in range; ``None`` for an adversary with no such rows (Russia: only its ICBM
  class is bundled). Every class, GLCMs and ICBMs included, is in ``missiles_in_range_by_class``.
* ``homeland_reach[ADV][REGION]``: some class of the adversary that is present (inventory > 0 or
  count not bundled) has range >= the distance from the launch area to the region's nearest
  point. ``homeland[ADV][REGION]["covers_all"]``: a class also reaches the region's farthest
  outline point.
* aircraft: the share of a group's bases, and of Japan's and the ROK's land, within the
  unrefuelled radius of China-based aircraft (~1,000 km, seed F0:L27), measured from China's
  territory (the launch option does not apply to aircraft).

Capability levers: ``compute(..., capability={"PRK": {"ICBM": 0.0}})``. Each entry maps an
adversary and class to a factor >= 0 that multiplies the class's inventory (0 disables the class:
it then counts for nothing and reaches nothing), or to a dict ``{"inventory": factor,
"range_km": km}`` that also replaces the range used. The crisis issue builds its levers on this.

Distances, homeland geometry and land shares are cached (functools.lru_cache), so only the first
call measures anything; later calls only count.
"""

from __future__ import annotations

import functools
import math
import numbers
from dataclasses import dataclass

import numpy as np
import pandas as pd

from umbrella.data import load_table
from umbrella.data.errors import DataError
from umbrella.errors import InputError

from . import geodesy, missiles, territory

ADVERSARIES = ("CHN", "PRK", "RUS")
GROUPS = ("ROK", "Honshu", "Kyushu", "Okinawa", "Guam")
JAPAN_GROUPS = ("Honshu", "Kyushu", "Okinawa")
COUNTED_CLASSES = ("SRBM", "MRBM", "IRBM")  # theatre ballistic classes summed in missiles_in_range
A6_CLASSES = ("SRBM", "MRBM")  # "Chinese conventional ballistic missiles" for the seed check
DEFAULT_YEAR = 2025
INLAND_DEFAULT_KM = 300.0
INLAND_STATES = ("CHN",)
LAND_GRID_DEG = 0.2  # grid for the land shares within the aircraft radius
SEED_A6 = {"rok_honshu_missile_ratio": 5.0, "rok_okinawa_missile_ratio": 2.0, "rok_japan_distance_ratio": 0.5,
           "source": "seed F0:L27 (c. 2020): ROK bases about half as far from the nearest Chinese territory as "
                     "Japan's; in range of about 5x the Chinese conventional ballistic missiles of Honshu bases "
                     "and about 2x Okinawa's"}


# ------------------------------------------------------------------ launch areas

@dataclass(frozen=True)
class Launch:
    """Launch-area assumption: 'territory', or 'inland' with China's offset in km."""

    mode: str
    offset_km: float = 0.0

    def offset(self, adversary: str) -> float:
        return self.offset_km if self.mode == "inland" and adversary in INLAND_STATES else 0.0

    @property
    def label(self) -> str:
        return "territory" if self.mode == "territory" else f"inland:{self.offset_km:g}"


LAUNCH_ALLOWED = f"territory, inland (= inland:{INLAND_DEFAULT_KM:g}) or inland:KM with 0 <= KM <= 5000"


def parse_launch(spec, key: str = "launch") -> Launch:
    """'territory' | 'inland' | 'inland:KM' -> Launch; anything else: InputError naming `key`."""
    if isinstance(spec, Launch):
        return spec
    s = str(spec).strip().lower()
    if s == "territory":
        return Launch("territory")
    if s == "inland":
        return Launch("inland", INLAND_DEFAULT_KM)
    if s.startswith("inland:"):
        try:
            km = float(s.split(":", 1)[1])
        except ValueError:
            km = math.nan
        if math.isfinite(km) and 0 <= km <= 5000:
            return Launch("inland", km)
    raise InputError(key, spec, LAUNCH_ALLOWED)


# ------------------------------------------------------------------ cached geometry

def points() -> pd.DataFrame:
    """The bundled bases and reference points with their ISO code, actor and theatre group
    (tables ``bases`` and ``base_groups``), in the bases table's order (a copy)."""
    return _points().copy()


@functools.lru_cache(maxsize=1)
def _points() -> pd.DataFrame:
    b = load_table("bases")[["name", "category", "country", "lat", "lon"]]
    g = load_table("base_groups")[["name", "iso3", "actor", "group"]]
    missing = sorted(set(b["name"]) - set(g["name"]))
    if missing:
        raise DataError(f"table 'base_groups': no row for bases {missing}")
    df = b.merge(g, on="name", how="left", validate="one_to_one")
    df["group"] = df["group"].astype(object).where(df["group"].notna(), None)
    df["actor"] = df["actor"].astype(object).where(df["actor"].notna(), None)
    return df


@functools.lru_cache(maxsize=1)
def _point_records() -> tuple[dict, ...]:
    return tuple({"name": r["name"], "iso3": r["iso3"], "actor": r["actor"], "group": r["group"],
                  "category": r["category"], "lat": float(r["lat"]), "lon": float(r["lon"])}
                 for r in _points().to_dict("records"))


@functools.lru_cache(maxsize=1)
def _territory_km() -> np.ndarray:
    """(points, adversaries) geodesic km from each point to each adversary's territory."""
    p = _points()
    out = np.column_stack([geodesy.nearest_km_many(p["lat"], p["lon"], territory.territory_boundary(a))
                           for a in ADVERSARIES])
    out.setflags(write=False)
    return out


@functools.lru_cache(maxsize=None)
def _homeland_km(adversary: str, region: str) -> tuple[float, float]:
    """(nearest km, farthest outline km) between an adversary's territory and a US region."""
    a = territory.territory_boundary(adversary)
    r = territory.homeland_boundary(region)
    return geodesy.set_distance_km(r, a), geodesy.farthest_km(r, a)


@functools.lru_cache(maxsize=None)
def land_share_within(iso3: str, adversary: str, radius_km: float, step_deg: float = LAND_GRID_DEG) -> float:
    """Share of a country's land (Natural Earth 110m) within `radius_km` of the adversary's
    territory: a lon/lat grid of `step_deg` inside the country, weighted by cos(latitude) (equal
    area); haversine distances, with points within 1 % of the radius measured by geographiclib."""
    rings = territory.territory(iso3)
    allpts = np.vstack(rings)
    lon0, lat0 = np.floor(allpts.min(axis=0) / step_deg) * step_deg
    lon1, lat1 = np.ceil(allpts.max(axis=0) / step_deg) * step_deg
    glon, glat = np.meshgrid(np.arange(lon0 + step_deg / 2, lon1, step_deg),
                             np.arange(lat0 + step_deg / 2, lat1, step_deg))
    glon, glat = glon.ravel(), glat.ravel()
    inside = geodesy.contains(rings, glat, glon)
    glon, glat = glon[inside], glat[inside]
    if len(glon) == 0:
        return math.nan
    b = territory.territory_boundary(adversary)
    inside_adv = geodesy.contains(b, glat, glon)
    xyz = geodesy._unit(glat, glon)
    d = geodesy._chord_to_km((xyz @ b.xyz.T).max(axis=1))
    d[inside_adv] = 0.0
    near = np.flatnonzero(np.abs(d - radius_km) <= 0.01 * radius_km)
    for k in near:
        d[k] = geodesy.nearest_km(glat[k], glon[k], b)
    w = np.cos(np.radians(glat))
    return float(w[d <= radius_km].sum() / w.sum())


# ------------------------------------------------------------------ counting

def count_in_range(distance_km, range_km, inventory) -> np.ndarray:
    """Missiles in range of each point: sum over classes of inventory where range >= distance.
    distance_km (P,), range_km (C,), inventory (C,) -> (P,). NaN inventories count as 0."""
    d = np.asarray(distance_km, dtype=float).reshape(-1)
    r = np.asarray(range_km, dtype=float).reshape(-1)
    inv = np.nan_to_num(np.asarray(inventory, dtype=float).reshape(-1), nan=0.0)
    return (r[None, :] >= d[:, None]).astype(float) @ inv


def apply_capability(cls: pd.DataFrame, capability: dict | None, key: str = "capability") -> pd.DataFrame:
    """Classes with the capability levers applied: columns ``factor``, ``inventory_used``,
    ``range_used`` and ``present`` (the class exists: factor > 0 and inventory > 0 or not bundled)."""
    out = cls.copy()
    out["factor"] = 1.0
    out["range_used"] = out["range_km"].astype(float)
    for adv, by_cls in (capability or {}).items():
        if adv not in ADVERSARIES:
            raise InputError(f"{key}", adv, ", ".join(ADVERSARIES), problem="is not an adversary")
        if not isinstance(by_cls, dict):
            raise InputError(f"{key}.{adv}", by_cls, "a mapping of class to factor or {inventory, range_km}")
        have = list(out.loc[out["state"] == adv, "cls"])
        for c, v in by_cls.items():
            path = f"{key}.{adv}.{c}"
            if c not in have:
                raise InputError(f"{key}.{adv}", c, ", ".join(have) or "(none)", problem="is not a class of this state")
            spec = {"inventory": v} if not isinstance(v, dict) else dict(v)
            unknown = set(spec) - {"inventory", "range_km"}
            if unknown:
                raise InputError(path, sorted(unknown)[0], "inventory, range_km", problem="is not a capability field")
            row = (out["state"] == adv) & (out["cls"] == c)
            if "inventory" in spec:
                f = spec["inventory"]
                if isinstance(f, bool) or not isinstance(f, numbers.Real) or not math.isfinite(f) or f < 0:
                    raise InputError(f"{path}.inventory" if isinstance(v, dict) else path, f,
                                     "a number >= 0 (a factor on the inventory; 0 disables the class)")
                out.loc[row, "factor"] = float(f)
            if "range_km" in spec:
                r = spec["range_km"]
                if isinstance(r, bool) or not isinstance(r, numbers.Real) or not math.isfinite(r) or r < 0:
                    raise InputError(f"{path}.range_km", r, "a range in km >= 0")
                out.loc[row, "range_used"] = float(r)
    out["inventory_used"] = out["inventory"] * out["factor"]
    out["present"] = (out["factor"] > 0) & (out["inventory"].isna() | (out["inventory_used"] > 0))
    return out


# ------------------------------------------------------------------ compute

def _resolve_year(year, scenario) -> tuple[int, str]:
    if scenario is not None:
        from umbrella.scenario import Scenario, load_scenario

        sc = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
        if year is None:
            lo, hi = missiles.year_range()
            if not lo <= sc.start_year <= hi:
                raise InputError("scenario", sc.id, f"a scenario starting in {lo}-{hi} (the years of the bundled "
                                 "missile table)", problem=f"starts in {sc.start_year}, outside the data's range")
            return sc.start_year, f"scenario {sc.id} (start_year)"
        return missiles.check_year(year), f"argument (overrides scenario {sc.id})"
    if year is None:
        return DEFAULT_YEAR, "default"
    return missiles.check_year(year), "argument"


def _num(x: float, nd: int = 1):
    """JSON number: int when integral, else rounded; None for NaN."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return None
    x = float(x)
    return int(round(x)) if abs(x - round(x)) < 1e-9 else round(x, nd)


def _ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return round(a / b, 3)


def compute(year: int | None = None, scenario=None, launch="territory", capability: dict | None = None) -> dict:
    """Exposure of the bundled bases and of the US homeland; see the module docstring.

    year: default 2025, or the scenario's start_year when `scenario` (a Scenario or a preset
    id/path) is given; an explicit year wins. launch: 'territory' | 'inland' | 'inland:KM'.
    capability: levers on the adversaries' classes (module docstring). Returns the JSON contract:
    ``bases``, ``groups``, ``homeland_reach`` and the extras listed in docs/geography.md."""
    y, year_source = _resolve_year(year, scenario)
    L = parse_launch(launch)
    cls = apply_capability(missiles.classes(y), capability)
    crec = cls.to_dict("records")
    pts = _point_records()
    d_terr = _territory_km()
    offsets = np.array([L.offset(a) for a in ADVERSARIES])
    dist = d_terr + offsets[None, :]

    # per adversary: (P, C) in-range matrix, counts per class, theatre total (None: no theatre rows)
    names: dict[str, list[str]] = {}
    reach_pc: dict[str, np.ndarray] = {}
    by_class: dict[str, dict[str, np.ndarray]] = {}
    total: dict[str, np.ndarray | None] = {}
    for j, adv in enumerate(ADVERSARIES):
        rows = [r for r in crec if r["state"] == adv]
        names[adv] = [r["cls"] for r in rows]
        rng = np.array([r["range_used"] for r in rows], dtype=float)
        present = np.array([r["present"] for r in rows], dtype=bool)
        inv = np.array([r["inventory_used"] if r["present"] else 0.0 for r in rows], dtype=float)
        ok = (rng[None, :] >= dist[:, j:j + 1]) & present[None, :]
        reach_pc[adv] = ok
        # NaN inventory (present, count not bundled) stays NaN where in range: reported as null
        by_class[adv] = {c: np.where(ok[:, k], inv[k], 0.0) for k, c in enumerate(names[adv])}
        counted = [c for c in names[adv] if c in COUNTED_CLASSES]
        total[adv] = sum(by_class[adv][c] for c in counted) if counted else None

    aircraft = load_table("aircraft_radius")
    air = aircraft[(aircraft["use"] == "exposure") & aircraft["state"].isin(ADVERSARIES)]
    radius = {r.state: float(r.radius_km) for r in air.itertuples()}
    within = {adv: d_terr[:, ADVERSARIES.index(adv)] <= rad for adv, rad in radius.items()}

    def record(i: int) -> dict:
        p = pts[i]
        rec = {
            "country": p["iso3"], "actor": p["actor"], "group": p["group"], "category": p["category"],
            "lat": p["lat"], "lon": p["lon"],
            "distance_km": {a: round(float(dist[i, j]), 1) for j, a in enumerate(ADVERSARIES)},
            "missiles_in_range": {a: (None if total[a] is None else _num(total[a][i])) for a in ADVERSARIES},
            "missiles_in_range_by_class": {a: {c: _num(v[i]) for c, v in by_class[a].items()} for a in ADVERSARIES},
            "classes_in_range": {a: [c for k, c in enumerate(names[a]) if reach_pc[a][i, k]] for a in ADVERSARIES},
            "within_aircraft_radius": {a: bool(w[i]) for a, w in within.items()},
        }
        if L.mode != "territory":
            rec["territory_distance_km"] = {a: round(float(d_terr[i, j]), 1) for j, a in enumerate(ADVERSARIES)}
        return rec

    bases, other = {}, {}
    group_idx = {g: np.array([i for i, p in enumerate(pts) if p["group"] == g], dtype=int) for g in GROUPS}
    for g in GROUPS:
        for i in group_idx[g]:
            bases[pts[i]["name"]] = record(i)
    for i, p in enumerate(pts):
        if p["group"] is None:
            other[p["name"]] = record(i)

    def mean(v: np.ndarray, idx: np.ndarray):
        m = float(np.mean(v[idx]))
        return None if math.isnan(m) else round(m, 1)

    groups = {}
    for g in GROUPS:
        idx = group_idx[g]
        groups[g] = {
            "bases": [pts[i]["name"] for i in idx],
            "mean_distance_km": {a: round(float(dist[idx, j].mean()), 1) for j, a in enumerate(ADVERSARIES)},
            "mean_missiles_in_range": {a: (None if total[a] is None else mean(total[a], idx)) for a in ADVERSARIES},
            "mean_missiles_in_range_by_class": {a: {c: mean(v, idx) for c, v in by_class[a].items()}
                                                for a in ADVERSARIES},
            "share_within_aircraft_radius": {a: round(float(w[idx].mean()), 3) for a, w in within.items()},
        }

    homeland, reach = {}, {}
    for j, adv in enumerate(ADVERSARIES):
        rows = [r for r in crec if r["state"] == adv and r["present"]]
        homeland[adv], reach[adv] = {}, {}
        for region in territory.HOMELAND_REGIONS:
            near, far = _homeland_km(adv, region)
            near, far = float(near + offsets[j]), float(far + offsets[j])
            reaching = [r["cls"] for r in rows if r["range_used"] >= near]
            reach[adv][region] = bool(reaching)
            homeland[adv][region] = {
                "distance_km": round(near, 1), "farthest_km": round(far, 1), "classes_reaching": reaching,
                "covers_all": any(r["range_used"] >= far for r in rows),
            }

    land = {adv: {iso: round(land_share_within(iso, adv, rad), 3) for iso in ("JPN", "KOR")}
            for adv, rad in radius.items()}

    return {
        "year": y,
        "year_source": year_source,
        "launch": L.label,
        "launch_offset_km": {a: float(o) for a, o in zip(ADVERSARIES, offsets, strict=True)},
        "adversaries": list(ADVERSARIES),
        "counted_classes": list(COUNTED_CLASSES),
        "capability": _capability_echo(crec),
        "bases": bases,
        "groups": groups,
        "homeland_reach": reach,
        "homeland": homeland,
        "other_points": other,
        "aircraft": {
            "radius_km": radius,
            "rows": [{"state": r.state, "aircraft": r.aircraft, "radius_km": float(r.radius_km), "use": r.use,
                      "source": r.source, "confidence": r.confidence} for r in aircraft.itertuples()],
            "land_share_within_radius": land,
        },
        "a6": _a6(groups, bases),
        "classes": _classes_echo(crec),
        "assumptions": assumptions(L),
    }


def _a6(groups: dict, bases: dict) -> dict:
    """The seed check (VALIDATION A6): ratios of mean Chinese conventional ballistic missiles
    in range and of mean distances to the launch area, ROK over Japan's groups."""
    def mean_of(g, classes):
        by = groups[g]["mean_missiles_in_range_by_class"]["CHN"]
        return sum(by.get(c) or 0.0 for c in classes)

    def block(classes):
        rok = mean_of("ROK", classes)
        return {
            "classes": list(classes),
            "mean_in_range": {g: round(mean_of(g, classes), 1) for g in GROUPS},
            "rok_honshu_missile_ratio": _ratio(rok, mean_of("Honshu", classes)),
            "rok_okinawa_missile_ratio": _ratio(rok, mean_of("Okinawa", classes)),
        }

    japan = [n for n, b in bases.items() if b["group"] in JAPAN_GROUPS]
    d_japan = float(np.mean([bases[n]["distance_km"]["CHN"] for n in japan]))
    d_rok = groups["ROK"]["mean_distance_km"]["CHN"]
    out = block(A6_CLASSES)
    out.update({
        "irbm_counted": False,
        "with_irbm": block(A6_CLASSES + ("IRBM",)),
        "mean_distance_km": {"ROK": d_rok, "Japan": round(d_japan, 1),
                             **{g: groups[g]["mean_distance_km"]["CHN"] for g in JAPAN_GROUPS}},
        "rok_japan_distance_ratio": _ratio(d_rok, d_japan),
        "rok_honshu_distance_ratio": _ratio(d_rok, groups["Honshu"]["mean_distance_km"]["CHN"]),
        "rok_okinawa_distance_ratio": _ratio(d_rok, groups["Okinawa"]["mean_distance_km"]["CHN"]),
        "seed": SEED_A6,
    })
    return out


def _capability_echo(crec: list[dict]) -> dict:
    out: dict = {}
    for r in crec:
        if r["factor"] != 1.0 or r["range_used"] != r["range_km"]:
            out.setdefault(r["state"], {})[r["cls"]] = {"inventory": float(r["factor"]),
                                                       "range_km": float(r["range_used"])}
    return out


def _classes_echo(crec: list[dict]) -> list[dict]:
    def f(x):
        return None if x is None or (isinstance(x, float) and math.isnan(x)) else float(x)
    return [{"state": r["state"], "cls": r["cls"], "systems": r["systems"], "kind": r["kind"], "role": r["role"],
             "range_km": float(r["range_used"]), "range_min_km": float(r["range_min_km"]),
             "range_max_km": f(r["range_max_km"]), "inventory": _num(r["inventory_used"]),
             "inventory_basis": r["inventory_basis"], "nuclear": r["nuclear"], "present": bool(r["present"]),
             "confidence": r["confidence"]} for r in crec]


def assumptions(launch: Launch | str = "territory") -> list[str]:
    L = parse_launch(launch)
    out = [
        "Distances are WGS84 geodesics (geographiclib) to the nearest point of the launch area; shapes are "
        "Natural Earth 1:110m (coastlines generalised by up to a few tens of km; boundaries densified to 10 km).",
        "Launch area: public sources give none; missiles are assumed launchable from anywhere on the state's "
        "territory (China = mainland + Hainan; Taiwan is not included).",
        "A class is in range of a point if its range used >= the distance. Range used = the upper value of "
        "the class's stated range (missile_classes.csv header); Russia's ICBM row uses the 5,500 km class floor.",
        "missiles_in_range counts theatre ballistic classes (SRBM, MRBM, IRBM); GLCMs and ICBMs are shown by class. "
        "Russia has no bundled theatre rows, so its missiles_in_range is null.",
        "Inventories are missiles (not launchers) as reported; 'not public' DPRK counts use the low end of the "
        "source's bracket (low confidence); Russia's ICBM count is not bundled (presence only).",
        "Guam is absent from Natural Earth 110m: its homeland 'region' is the Andersen AFB and Apra Harbor points.",
        "Aircraft: China-based aircraft reach ~1,000 km unrefuelled (seed F0:L27), measured from China's territory.",
    ]
    if L.mode == "inland":
        out.append(f"Inland sensitivity: China's launch area is taken as {L.offset_km:g} km behind its border, "
                   "modelled as that offset added to every distance from China (an illustrative assumption, not a "
                   "sourced figure; a lower bound of the distance to a territory shrunk by the offset).")
    return out
