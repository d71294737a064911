"""The map of `umbrella map` as a list of drawing primitives in pixels, shared by the SVG (HTML)
and matplotlib (PNG) writers in `render`, so that both outputs show the same map.

Projection: spherical Mercator over 110-160E, 10-50N (`EXTENT`), y pointing down. Country
shapes come from `territory.countries()`; rings are WGS84 geodesic circles
(`geodesy.circle`) projected point by point.

Ring convention (policy level): one reference launch point per state, the point of its territory
nearest to the mean (lat, lon) of the bases shown (`geodesy.nearest_point`). Each present class
of China and the DPRK gets a circle of its range used (minus the inland offset of the result's
launch option, if any). The base shading, from `exposure.compute`, measures from the nearest
point of the whole territory instead; the caption says so.

Everything here is deterministic: same result -> same primitives, in the same order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from . import maptext

EXTENT = (110.0, 160.0, 10.0, 50.0)  # lon_min, lon_max, lat_min, lat_max
MAP_W = 900.0  # px width of the map frame
MARGIN = 34.0  # px around the frame (graticule labels)
PANEL_W = 350.0  # px of the legend panel right of the map
STATES = ("CHN", "PRK")  # adversaries whose rings are drawn
GROUP_ORDER = ("ROK", "Honshu", "Kyushu", "Okinawa", "Guam")

# Exposure bins (Chinese theatre ballistic missiles in range), fixed so that maps of different
# years and scenarios share one scale; colours: ColorBrewer YlOrRd, 5 classes.
BINS = (0, 1, 1000, 2000, 3000)
BIN_COLOURS = ("#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026")

SEA, LAND, LAND_ADV, BORDER = "#e4eef6", "#efede6", "#f2e2dc", "#9c9a90"
RING_COLOURS = {"CHN": "#1f5fa8", "PRK": "#2b8a4b"}
RING_DASH = {"SRBM": (3, 3), "GLCM": (1, 3), "MRBM": (9, 4), "IRBM": (16, 4, 3, 4), "ICBM": ()}
RING_LABEL_AZIMUTH = {"CHN": 150.0, "PRK": 60.0}  # where on its ring a label goes (deg from north)

# Label anchors: fixed layout choices (lon, lat) for country names, px offsets for the rest.
COUNTRY_LABELS = {"CHN": (114.5, 33.0), "PRK": (126.7, 40.7), "KOR": (129.0, 36.2), "JPN": (137.6, 37.3),
                  "RUS": (134.0, 48.0), "MNG": (114.0, 46.6), "TWN": (121.0, 23.55), "PHL": (122.3, 16.0)}
GROUP_OFFSETS = {"ROK": (-62, 40), "Honshu": (55, 70), "Kyushu": (-55, 45), "Okinawa": (45, 40), "Guam": (38, -30)}
CAPITAL_OFFSETS = {"Seoul (capital)": (-8, -6), "Pyongyang (capital)": (-8, -6)}


# ------------------------------------------------------------------ primitives

@dataclass(frozen=True)
class Path:
    parts: tuple  # (k, 2) px arrays
    closed: bool
    fill: str | None
    stroke: str | None
    width: float = 1.0
    dash: tuple = ()
    cls: str = ""
    tip: str = ""
    clip: bool = True


@dataclass(frozen=True)
class Mark:
    shape: str  # circle | square | cross
    x: float
    y: float
    size: float  # radius (circle), half side (square, cross)
    fill: str | None
    stroke: str
    width: float = 1.0
    cls: str = ""
    tip: str = ""


@dataclass(frozen=True)
class Text:
    x: float
    y: float  # baseline
    s: str
    size: float = 12.0
    anchor: str = "start"  # start | middle | end
    colour: str = "#222222"
    bold: bool = False
    halo: bool = False
    cls: str = ""


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    stroke: str = "#555555"
    width: float = 1.0
    dash: tuple = ()
    clip: bool = False


@dataclass
class Scene:
    width: float
    height: float
    frame: tuple  # x, y, w, h of the map frame
    lang: str
    title: str
    subtitle: str
    caption: list
    items: list = field(default_factory=list)


# ------------------------------------------------------------------ projection

def _merc(lat):
    lat = np.clip(np.asarray(lat, dtype=float), -85.0, 85.0)
    return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(lat) / 2)))


SCALE = MAP_W / (EXTENT[1] - EXTENT[0])  # px per degree of longitude
MAP_H = float(round((_merc(EXTENT[3]) - _merc(EXTENT[2])) * SCALE))
_Y_TOP = float(_merc(EXTENT[3]))


def project(lon, lat) -> tuple[np.ndarray, np.ndarray]:
    """(lon, lat) degrees -> (x, y) px of the whole picture (frame offset included)."""
    x = MARGIN + (np.asarray(lon, dtype=float) - EXTENT[0]) * SCALE
    y = MARGIN + (_Y_TOP - _merc(lat)) * SCALE
    return x, y


def _inside(x, y, inset: float = 0.0):
    return ((x >= MARGIN + inset) & (x <= MARGIN + MAP_W - inset)
            & (y >= MARGIN + inset) & (y <= MARGIN + MAP_H - inset))


def bin_of(n) -> int:
    """Index into BINS/BIN_COLOURS of a count (None counts as 0)."""
    n = 0 if n is None else n
    return max(i for i, lo in enumerate(BINS) if n >= lo)


def bin_labels() -> list[str]:
    out = []
    for i, lo in enumerate(BINS):
        if i == 0:
            out.append("0")
        elif i + 1 < len(BINS):
            out.append(f"{lo:,}\u2013{BINS[i + 1] - 1:,}")
        else:
            out.append(f"\u2265 {lo:,}")
    return out


# ------------------------------------------------------------------ the scene

def build(result: dict, lang: str = "en", year: int | None = None) -> Scene:
    """Primitives of the map of an `exposure.compute` result, labelled in `lang`."""
    from umbrella.geo import geodesy, territory

    T = maptext.TEXT[lang]
    year = int(year if year is not None else result.get("year", 2025))
    bases = _ordered_bases(result)
    centres = {}
    mlat = float(np.mean([b["lat"] for _, b in bases]))
    mlon = float(np.mean([b["lon"] for _, b in bases]))
    for s in STATES:
        _, la, lo = geodesy.nearest_point(mlat, mlon, territory.territory_boundary(s))
        centres[s] = (la, lo)

    width = MARGIN + MAP_W + 24 + PANEL_W
    height = MARGIN + MAP_H + 24
    launch = maptext.launch_label(result.get("launch", "territory"), lang)
    sc = result.get("scenario_id")
    subtitle = T["subtitle"].format(year=year, launch=launch, scenario=T["scenario"].format(id=sc) if sc else "")
    offsets = result.get("launch_offset_km", {})
    inland = offsets.get("CHN", 0.0) or 0.0
    caption = [p.format(chn=_fmt_ll(*centres["CHN"], lang), prk=_fmt_ll(*centres["PRK"], lang),
                        inland=T["inland"].format(km=inland) if inland else "") for p in T["caption"]]
    scene = Scene(width, height, (MARGIN, MARGIN, MAP_W, MAP_H), lang, T["title"].format(year=year), subtitle, caption)
    it = scene.items

    # sea, land, graticule
    it.append(Path((np.array([[MARGIN, MARGIN], [MARGIN + MAP_W, MARGIN], [MARGIN + MAP_W, MARGIN + MAP_H],
                              [MARGIN, MARGIN + MAP_H]]),), True, SEA, None, 0, cls="sea"))
    names = {}
    for c in sorted(territory.countries(), key=lambda c: c["iso3"]):
        parts = [p for p in c["polygons"] if _bbox_hits(p)]
        if not parts:
            continue
        names[c["iso3"]] = c["name"]
        xy = tuple(np.column_stack(project(p[:, 0], p[:, 1])) for p in parts)
        fill = LAND_ADV if c["iso3"] in STATES else LAND
        it.append(Path(xy, True, fill, BORDER, 0.6, cls="country",
                       tip=maptext.place("country", c["iso3"], lang, c["name"])))
    _graticule(it, T)
    for iso, (lon, lat) in COUNTRY_LABELS.items():
        if iso in names:
            x, y = project(lon, lat)
            it.append(Text(float(x), float(y), maptext.place("country", iso, lang, names[iso]), 12.5, "middle",
                           "#6d6a60", halo=True, cls="country-label"))

    rings = _rings(result, centres, offsets, T)
    for r in rings:
        if r["path"] is not None:
            it.append(r["path"])
    for s in STATES:
        x, y = project(centres[s][1], centres[s][0])
        it.append(Mark("cross", float(x), float(y), 5, None, RING_COLOURS[s], 2.0, cls="ring-centre",
                       tip=T["tip_centre"].format(state=T[s], lat=centres[s][0], lon=centres[s][1])))

    _capitals(it, result, lang)
    _bases(it, bases, T, lang)
    _ring_labels(it, rings, T)  # last: placed where no other label or marker is
    _panel(it, bases, rings, T, lang)
    return scene


def _ordered_bases(result: dict) -> list[tuple[str, dict]]:
    def key(item):
        g = item[1].get("group")
        return (GROUP_ORDER.index(g) if g in GROUP_ORDER else len(GROUP_ORDER), str(g))
    items = list(result["bases"].items())
    return sorted(items, key=key)  # stable: keeps the result's order within a group


def _fmt_ll(lat: float, lon: float, lang: str) -> str:
    return f"北緯{lat:.2f}\u00b0 東経{lon:.2f}\u00b0" if lang == "ja" else f"{lat:.2f}\u00b0N {lon:.2f}\u00b0E"


def _bbox_hits(p: np.ndarray, pad: float = 3.0) -> bool:
    return bool(p[:, 0].max() >= EXTENT[0] - pad and p[:, 0].min() <= EXTENT[1] + pad
                and p[:, 1].max() >= EXTENT[2] - pad and p[:, 1].min() <= EXTENT[3] + pad)


def _graticule(it: list, T: dict) -> None:
    for lon in range(int(EXTENT[0]), int(EXTENT[1]) + 1, 10):
        x, _ = project(lon, 0)
        x = float(x)
        it.append(Line(x, MARGIN, x, MARGIN + MAP_H, "#c3d3df", 0.6, clip=True))
        it.append(Text(x, MARGIN - 8, T["lon"].format(v=lon), 10.5, "middle", "#555555"))
    for lat in range(int(EXTENT[2]), int(EXTENT[3]) + 1, 10):
        _, y = project(EXTENT[0], lat)
        y = float(y)
        it.append(Line(MARGIN, y, MARGIN + MAP_W, y, "#c3d3df", 0.6, clip=True))
        if EXTENT[2] < lat < EXTENT[3]:  # inside the frame's left edge: fits any language
            it.append(Text(MARGIN + 3, y - 3, T["lat"].format(v=lat), 10.5, "start", "#555555", halo=True))
    it.append(Path((np.array([[MARGIN, MARGIN], [MARGIN + MAP_W, MARGIN], [MARGIN + MAP_W, MARGIN + MAP_H],
                              [MARGIN, MARGIN + MAP_H]]),), True, None, "#777777", 0.8, cls="frame", clip=False))


def _inv_text(inv, T) -> str:
    return T["ring_inv_na"] if inv is None else T["ring_inv"].format(n=int(inv))


def _rings(result: dict, centres: dict, offsets: dict, T: dict) -> list[dict]:
    """One dict per present class of STATES: the ring Path (None when it misses the frame), with the
    projected ring points kept for placing its label."""
    from umbrella.geo import geodesy

    rows = [c for c in result.get("classes", []) if c["state"] in STATES and c.get("present", True)]
    rows.sort(key=lambda c: (STATES.index(c["state"]), c["range_km"], c["cls"]))
    out = []
    for c in rows:
        s = c["state"]
        km = max(float(c["range_km"]) - float(offsets.get(s, 0.0) or 0.0), 0.0)
        lat0, lon0 = centres[s]
        lats, lons = geodesy.circle(lat0, lon0, km, n=240, unroll=True)
        x, y = project(lons, lats)
        tip = T["tip_ring"].format(state=T[s], cls=c["cls"], systems=c.get("systems", ""), km=int(round(km)),
                                   inv=_inv_text(c.get("inventory"), T))
        rec = {"state": s, "cls": c["cls"], "km": int(round(km)), "inventory": c.get("inventory"),
               "drawn": bool(_inside(x, y).any()), "path": None, "x": x, "y": y}
        if rec["drawn"]:
            closed = abs(lons[-1] - lons[0]) < 180  # a ring around a pole does not close in lon/lat
            rec["path"] = Path((np.column_stack([x, y]),), closed, None, RING_COLOURS[s], 1.5,
                               RING_DASH.get(c["cls"], ()), cls=f"ring ring-{s}", tip=tip)
        out.append(rec)
    return out


def text_width(s: str, size: float) -> float:
    """Rough width in px of a label (CJK characters are square, Latin ones about 0.6 em)."""
    return sum(size * (1.0 if ord(ch) >= 0x2E80 else 0.6) for ch in s)


def _box(t: Text) -> tuple[float, float, float, float]:
    w = text_width(t.s, t.size)
    x0 = t.x - {"start": 0.0, "middle": w / 2, "end": w}[t.anchor]
    return (x0 - 2, t.y - t.size * 0.9, x0 + w + 2, t.y + t.size * 0.3)


def _ring_labels(it: list, rings: list, T: dict) -> None:
    """Label each drawn ring at the point nearest its state's preferred azimuth where the label fits in
    the frame and covers no other label or marker (none found: the legend still lists the ring)."""
    boxes = [_box(o) for o in it if isinstance(o, Text)]
    boxes += [(o.x - o.size - 2, o.y - o.size - 2, o.x + o.size + 2, o.y + o.size + 2)
              for o in it if isinstance(o, Mark)]
    fx0, fy0, fx1, fy1 = MARGIN + 4, MARGIN + 4, MARGIN + MAP_W - 4, MARGIN + MAP_H - 4
    for r in rings:
        if not r["drawn"]:
            continue
        x, y = r["x"], r["y"]
        az = np.arange(len(x)) * 360.0 / len(x)  # geodesy.circle: azimuths 0, 360/n, ...
        diff = np.abs((az - RING_LABEL_AZIMUTH[r["state"]] + 180.0) % 360.0 - 180.0)
        label = T["ring_label"].format(state=T[r["state"]], cls=r["cls"], km=r["km"])
        tries = ((float(x[k]) + dx, float(y[k]) - 4, a) for k in np.argsort(diff, kind="stable")
                 for dx, a in ((4, "start"), (-4, "end")))  # right of the ring point, else left of it
        for tx, ty, anchor in tries:
            t = Text(tx, ty, label, 11, anchor, RING_COLOURS[r["state"]], bold=True, halo=True, cls="ring-label")
            b = _box(t)
            if b[0] < fx0 or b[1] < fy0 or b[2] > fx1 or b[3] > fy1:
                continue
            if any(b[0] < c[2] and c[0] < b[2] and b[1] < c[3] and c[1] < b[3] for c in boxes):
                continue
            it.append(t)
            boxes.append(b)
            break


def _capitals(it: list, result: dict, lang: str) -> None:
    pts = result.get("other_points", {})
    for name, p in pts.items():
        if p.get("category") != "capital":
            continue
        x, y = project(p["lon"], p["lat"])
        x, y = float(x), float(y)
        if not _inside(np.array(x), np.array(y)):
            continue
        label = maptext.place("capital", name, lang)
        it.append(Mark("square", x, y, 3.5, "#111111", "#ffffff", 0.8, cls="capital", tip=label))
        dx, dy = CAPITAL_OFFSETS.get(name, (8, -6))
        it.append(Text(x + dx, y + dy, label, 12, "end" if dx < 0 else "start", "#111111", halo=True,
                       cls="capital-label"))


def _classes_in(b: dict, s: str, T: dict) -> str:
    cl = (b.get("classes_in_range") or {}).get(s) or []
    return ", ".join(cl) if cl else T["none"]


def _count(n) -> str:
    return "\u2013" if n is None else f"{int(n):,}"


def _bases(it: list, bases: list, T: dict, lang: str) -> None:
    groups: dict[str, list] = {}
    for name, b in bases:
        x, y = project(b["lon"], b["lat"])
        x, y = float(x), float(y)
        groups.setdefault(b.get("group"), []).append((x, y))
        n = b["missiles_in_range"].get("CHN")
        label = maptext.place("base", name, lang)
        tip = T["tip_base"].format(
            name=label, group=maptext.place("group", str(b.get("group")), lang),
            dc=b["distance_km"]["CHN"], nc=_count(n), cc=_classes_in(b, "CHN", T),
            dp=b["distance_km"]["PRK"], np=_count(b["missiles_in_range"].get("PRK")), cp=_classes_in(b, "PRK", T))
        it.append(Mark("circle", x, y, 6.0, BIN_COLOURS[bin_of(n)], "#222222", 1.0, cls="base", tip=tip))
    for g, xy in groups.items():
        cx = float(np.mean([p[0] for p in xy]))
        cy = float(np.mean([p[1] for p in xy]))
        dx, dy = GROUP_OFFSETS.get(g, (40, -30))
        it.append(Line(cx, cy, cx + dx * 0.85, cy + dy * 0.85 - 4, "#444444", 0.8))
        it.append(Text(cx + dx, cy + dy, maptext.place("group", str(g), lang), 14, "end" if dx < 0 else "start",
                       "#222222", bold=True, halo=True, cls="group-label"))


def _panel(it: list, bases: list, rings: list, T: dict, lang: str) -> None:
    """The legend right of the map: colour scale, rings, symbols, and the list of bases."""
    x0 = MARGIN + MAP_W + 24
    right = x0 + PANEL_W - 8
    y = MARGIN + 10
    it.append(Text(x0, y, T["legend_bases"], 12.5, bold=True, cls="legend"))
    y += 15
    it.append(Text(x0, y, T["legend_bases2"], 11.5, cls="legend"))
    y += 8
    for colour, label in zip(BIN_COLOURS, bin_labels(), strict=False):
        y += 17
        it.append(Mark("circle", x0 + 8, y - 4, 6.0, colour, "#222222", 1.0, cls="legend-swatch"))
        it.append(Text(x0 + 22, y, label, 11.5, cls="legend"))
    y += 26
    it.append(Text(x0, y, T["legend_rings"], 12.5, bold=True, cls="legend"))
    for s in STATES:
        rs = [r for r in rings if r["state"] == s]
        if not rs:
            continue
        y += 17
        it.append(Text(x0, y, T[s], 11.5, colour=RING_COLOURS[s], bold=True, cls="legend"))
        for r in rs:
            y += 15
            it.append(Line(x0 + 2, y - 4, x0 + 30, y - 4, RING_COLOURS[s], 1.6, RING_DASH.get(r["cls"], ())))
            text = T["ring_row"].format(cls=r["cls"], km=r["km"], inv=_inv_text(r["inventory"], T))
            it.append(Text(x0 + 38, y, text + ("" if r["drawn"] else T["ring_off"]), 11, cls="legend"))
    y += 24
    it.append(Mark("circle", x0 + 8, y - 4, 6.0, "#ffffff", "#222222", 1.0, cls="legend-swatch"))
    it.append(Text(x0 + 22, y, T["sym_base"], 11.5, cls="legend"))
    y += 17
    it.append(Mark("square", x0 + 8, y - 4, 3.5, "#111111", "#ffffff", 0.8, cls="legend-swatch"))
    it.append(Text(x0 + 22, y, T["sym_capital"], 11.5, cls="legend"))
    y += 17
    it.append(Mark("cross", x0 + 8, y - 4, 5, None, "#555555", 2.0, cls="legend-swatch"))
    it.append(Text(x0 + 22, y, T["sym_centre"], 11.5, cls="legend"))
    y += 26
    it.append(Text(x0, y, T["legend_list"], 12.5, bold=True, cls="legend"))
    group = object()
    for name, b in bases:
        if b.get("group") != group:
            group = b.get("group")
            y += 17
            it.append(Text(x0, y, maptext.place("group", str(group), lang), 11.5, bold=True, cls="legend"))
        y += 14.5
        n = b["missiles_in_range"].get("CHN")
        it.append(Mark("circle", x0 + 8, y - 4, 4.5, BIN_COLOURS[bin_of(n)], "#222222", 0.8, cls="legend-swatch"))
        it.append(Text(x0 + 20, y, maptext.place("base", name, lang), 11, cls="legend"))
        it.append(Text(right, y, f"{_count(n)} / {_count(b['missiles_in_range'].get('PRK'))}", 11, "end",
                       cls="legend"))
    if y > MARGIN + MAP_H + 10:  # the panel outgrew the map: a layout bug a test catches
        raise RuntimeError(f"map legend overflows ({y:.0f} px > {MARGIN + MAP_H:.0f} px)")


def is_finite_scene(scene: Scene) -> bool:
    """True when every coordinate is finite (a test guard against a NaN reaching the SVG)."""
    for o in scene.items:
        if isinstance(o, Path):
            if not all(np.isfinite(p).all() for p in o.parts):
                return False
        elif isinstance(o, (Mark, Text)):
            if not (math.isfinite(o.x) and math.isfinite(o.y)):
                return False
    return True
