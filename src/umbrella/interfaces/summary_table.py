"""The tables `umbrella run` prints from a JSON summary, in English or Japanese, with the 90 %
Wilson interval of every share (the summary's `intervals`) and the rare-outcome flag. Drawn by
rich, which counts the width of Japanese characters."""

from __future__ import annotations

from rich.table import Table

from umbrella.interfaces import i18n

ALLIES = ("KOR", "JPN", "TWN", "SAU", "POL", "DEU", "IRN")


def _marks(s: dict) -> list[str]:
    years = list(s["npt"]["collapse"])
    marks = [y for y in years if int(y) in (s["start_year"] + 5, 2030, 2035, 2040, 2050)] or years[-1:]
    return sorted(set(marks + [years[-1]]), key=int)


def _share(v: float, iv: list | None, lang: str, rare: bool = False, digits: int = 1) -> str:
    flag = " ⚑" if rare else ""
    if iv is None:
        return i18n.pct(v, lang, digits) + flag
    lo, hi = i18n.pct(iv[0], lang, digits), i18n.pct(iv[1], lang, digits)
    return f"{i18n.pct(v, lang, digits)}{flag}\n[dim]{lo}–{hi}[/dim]"


def tables(s: dict, lang: str = "en") -> list[Table]:
    marks = _marks(s)
    ivs = s.get("intervals", {})
    rare = set(ivs.get("rare", []))
    last = marks[-1]
    t = Table(title=i18n.t("tab.status.title", lang, scenario=s["scenario"], world=s["world"],
                           runs=i18n.num(s["runs"], lang), seed=s["seed"]),
              caption=i18n.t("tab.status.caption", lang))
    t.add_column(i18n.t("tab.actor", lang))
    t.add_column(i18n.t("tab.level", lang))
    for y in marks:
        t.add_column(y, justify="right")
    for a in ALLIES:
        if a not in s["status"]:
            continue
        for lvl in ("explore", "pursue", "arsenal"):
            vals = [s["status"][a][lvl][y] for y in marks]
            if max(vals) == 0 and lvl != "explore":
                continue
            iv = ivs.get("status", {}).get(a, {}).get(lvl, {})
            t.add_row(i18n.actor(a, lang) if lvl == "explore" else "", i18n.t(f"status.{lvl}", lang),
                      *[_share(v, iv.get(y), lang, rare=(y == last and f"status.{a}.{lvl}" in rare))
                        for v, y in zip(vals, marks, strict=True)])
    t2 = Table(title=i18n.t("tab.other.title", lang))
    t2.add_column(i18n.t("tab.outcome", lang))
    for y in marks:
        t2.add_column(y, justify="right")
    for c in ("KOR", "JPN", "TWN"):
        q = s["credibility"].get(c)
        if q:
            t2.add_row(i18n.t("tab.credibility", lang, actor=i18n.actor(c, lang)),
                       *[f"{q['p50'][y]:.2f}\n[dim]{q['p10'][y]:.2f}–{q['p90'][y]:.2f}[/dim]" for y in marks])
    for a in ("CHN", "PRK"):
        q = s["warheads"].get(a)
        if q:
            t2.add_row(i18n.t("tab.warheads", lang, actor=i18n.actor(a, lang)),
                       *[f"{i18n.num(q['p50'][y], lang)}\n[dim]{i18n.num(q['p10'][y], lang)}–"
                         f"{i18n.num(q['p90'][y], lang)}[/dim]" for y in marks])
    iv = ivs.get("npt_collapse", {})
    t2.add_row(i18n.t("tab.npt_collapsed", lang),
               *[_share(s["npt"]["collapse"][y], iv.get(y), lang, y == last and "npt_collapse" in rare) for y in marks])
    for th, v in s["war"].items():
        iv = ivs.get("war", {}).get(th, {})
        t2.add_row(i18n.t("tab.war", lang, theatre=i18n.theatre(th, lang)),
                   *[_share(v[y], iv.get(y), lang, y == last and f"war.{th}" in rare, 2) for y in marks])
    iv = ivs.get("nuclear_use", {}).get("any", {})
    t2.add_row(i18n.t("tab.nuclear_use", lang),
               *[_share(s["nuclear_use"]["any"][y], iv.get(y), lang, y == last and "nuclear_use.any" in rare, 2)
                 for y in marks])
    return [t, t2]
