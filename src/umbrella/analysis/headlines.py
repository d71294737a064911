"""Headline outcomes of a scenario, read off its JSON summary: what a regional specialist looks
at first (statuses of the allies by 2035 and the horizon, adversary and US warheads, the
allies' credibility of the US commitment, postures, war and nuclear use by theatre, the NPT).

`headlines(summary)` flattens one summary into {name: value}; `table(rows)` lays several side by
side. The function reads only the summary's JSON contract (results/summary.py), so summaries
written by earlier versions can be compared with today's (the before/after of a model change)."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

ALLIES = ("KOR", "JPN", "TWN")
ARMED = ("CHN", "PRK", "RUS", "USA")
LEVELS = ("explore", "pursue", "arsenal")


def _years(summary: Mapping) -> tuple[str, ...]:
    """The headline years: 2035 (if inside the window) and the horizon."""
    y0, y1 = int(summary["start_year"]), int(summary["horizon"])
    return tuple(str(y) for y in sorted({y for y in (2035, y1) if y0 <= y <= y1}))


def headlines(summary: Mapping) -> dict[str, float | None]:
    """{name: value}: shares in [0, 1], warheads and credibility as medians. Names read
    `KOR.pursue.2050`, `warheads.PRK.2035`, `credibility.KOR.2035`, `accommodating.KOR.2050`,
    `war.korea.2050`, `nuclear_use.any.2050`, `npt_collapse.2050`, `ttw.KOR`."""
    out: dict[str, float | None] = {}
    years = _years(summary)
    status = summary.get("status", {})
    for a in ALLIES:
        for lvl in LEVELS:
            for y in years:
                if a in status:
                    out[f"{a}.{lvl}.{y}"] = status[a][lvl].get(y)
    mid = tuple(y for y in ("2030",) if y in summary.get("npt", {}).get("collapse", {})) + years
    for a in ARMED:
        w = summary.get("warheads", {}).get(a)
        for y in years:
            if w is not None:
                out[f"warheads.{a}.{y}"] = w["p50"].get(y)
    for a in ALLIES:
        c = summary.get("credibility", {}).get(a)
        for y in mid:
            if c is not None:
                out[f"credibility.{a}.{y}"] = c["p50"].get(y)
    for pair in ("FRA->POL", "FRA->DEU"):          # the European umbrella (absent from older summaries)
        c = summary.get("credibility_other", {}).get(pair)
        for y in mid:
            if c is not None:
                out[f"credibility.{pair}.{y}"] = c["p50"].get(y)
    for a in ("KOR", "JPN"):
        al = summary.get("alignment", {}).get(a)
        for y in years:
            if al is not None:
                out[f"accommodating.{a}.{y}"] = al["accommodating"].get(y)
    last = years[-1] if years else None
    if last is not None:
        for th, series in summary.get("war", {}).items():
            out[f"war.{th}.{last}"] = series.get(last)
        for th, series in summary.get("nuclear_use", {}).items():
            out[f"nuclear_use.{th}.{last}"] = series.get(last)
        out[f"npt_collapse.{last}"] = summary.get("npt", {}).get("collapse", {}).get(last)
    for a in ("KOR", "JPN", "TWN"):
        t = summary.get("time_to_weapon", {}).get(a)
        if t is not None:
            out[f"ttw.{a}"] = t.get("p50")
    return out


def fmt(name: str, v: float | None) -> str:
    """A cell: warheads and times as numbers, credibility to 2 decimals, shares in percent."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if name.startswith(("warheads.", "ttw.")):
        return f"{v:,.0f}"
    if name.startswith("credibility."):
        return f"{v:.2f}"
    return f"{100 * v:.1f}"


def table(rows: Mapping[str, Mapping[str, float | None]], names: Iterable[str] | None = None) -> list[list[str]]:
    """rows: {label: headlines}. A header row then one row per headline name: name, then each
    label's cell (shares in percent)."""
    labels = list(rows)
    if names is None:
        seen: dict[str, None] = {}
        for h in rows.values():
            seen.update(dict.fromkeys(h))
        names = list(seen)
    out = [["outcome", *labels]]
    for n in names:
        out.append([n, *(fmt(n, rows[lab].get(n)) for lab in labels)])
    return out


# the columns of the printed table (`umbrella headlines`): one per outcome, presets as rows
COLUMNS = ("KOR.pursue.H", "KOR.arsenal.H", "JPN.pursue.H", "JPN.arsenal.H", "TWN.pursue.H",
           "warheads.CHN.H", "warheads.PRK.2035", "warheads.RUS.H", "credibility.KOR.2035",
           "credibility.JPN.2035", "accommodating.KOR.H", "accommodating.JPN.H", "war.korea.H",
           "war.taiwan.H", "nuclear_use.any.H", "npt_collapse.H")


def column(h: Mapping[str, float | None], col: str) -> tuple[str, float | None]:
    """(name, value) of a table column in one preset's headlines; `H` is its horizon."""
    if col.endswith(".H"):
        stem = col[:-2]
        names = [n for n in h if n.rsplit(".", 1)[0] == stem]
        if not names:
            return col, None
        name = max(names, key=lambda n: n.rsplit(".", 1)[1])
        return name, h[name]
    return col, h.get(col)


def run(presets: Iterable[str] | None = None, runs: int = 2000, seed: int | None = None,
        world: str | None = None) -> dict[str, dict[str, float | None]]:
    """{preset: headlines} for the annual presets (default: every one), each with its own seed
    unless `seed` is given, and its own world unless `world` is."""
    from umbrella.engine.run import simulate
    from umbrella.results.summary import summarise
    from umbrella.scenario import load_scenario, load_world
    from umbrella.scenario.load import list_presets

    from .checks import check_runs, check_seed

    runs = check_runs(runs)
    seed = check_seed(seed)
    ids = list(presets) if presets else sorted(list_presets())
    out: dict[str, dict[str, float | None]] = {}
    for pid in ids:
        sc = load_scenario(pid, fields={"runs": runs, "seed": seed, "world": world})
        if sc.mode != "annual":
            continue
        out[pid] = headlines(summarise(simulate(sc, load_world(sc.world))))
    return out
