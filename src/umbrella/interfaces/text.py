"""Plain-text formatting of analysis results for a policy reader (what the command line prints).

`compare_text(result)`: the table of headline differences of an `umbrella.analysis.compare`
result; `explain_text(result)`: the plain-language explanation of an `umbrella.analysis.explain`
result. The text contains no rich markup, so it prints with `print` or a rich Console alike.
"""

from __future__ import annotations

import functools

from rich.cells import cell_len

from umbrella.analysis.compare import _sign, _years_of, headline_years
from umbrella.analysis.explain import DRIVERS, _name
from umbrella.interfaces import i18n

__all__ = ["compare_text", "explain_text"]

# --------------------------------------------------------------------------------------------
# compare: plain-language table


_TABLE_YEARS = (2035, 2040, 2050)


def _rows(d: dict, lang: str = "en") -> list[tuple[str, str, dict[str, dict]]]:
    """(label, unit, {YEAR: cell}) for the headline outcomes present in a diff."""
    L = functools.partial(i18n.t, lang=lang)     # noqa: N806 - a label of the catalogue
    rows = []
    for a in ("KOR", "JPN", "TWN"):
        if a in d["status"]:
            nm = i18n.actor(a, lang)
            rows.append((L("cmp.pursue", actor=nm), "pp", d["status"][a]["pursue"]))
            rows.append((L("cmp.arsenal", actor=nm), "pp", d["status"][a]["arsenal"]))
    rows.append((L("cmp.npt"), "pp", d["npt_collapse"]))
    for a in ("KOR", "JPN"):
        if a in d["credibility"]:
            rows.append((L("cmp.cred", actor=i18n.actor(a, lang)), "pts", d["credibility"][a]))
    use = d["nuclear_use"]
    rows.append((L("cmp.use"), "pp", use["any"] if "any" in use else use))
    for th in ("korea", "taiwan"):
        if th in d.get("war", {}):
            rows.append((L("cmp.war", theatre=L(f"cmp.theatre.{th}")), "pp", d["war"][th]))
    for a in ("CHN", "PRK"):
        if a in d.get("warheads", {}):
            rows.append((L("cmp.warheads", actor=i18n.actor(a, lang)), "warheads", d["warheads"][a]))
    if "KOR" in d.get("alignment", {}):
        rows.append((L("cmp.accommodates"), "pp", d["alignment"]["KOR"]["accommodating"]))
    if "korea" in d.get("base_access", {}):
        rows.append((L("cmp.base_access"), "pts", d["base_access"]["korea"]))
    return rows


def _table_years(d: dict) -> list[int]:
    ys = _years_of(d)
    chosen = [y for y in _TABLE_YEARS if y in ys]
    return chosen or headline_years(ys)[-3:]


def _pp(x: float | None, unit: str = "pp") -> str:
    """A share (or credibility) as signed points, warheads as a signed count; an exact zero
    shows unsigned."""
    if x is None:
        return "n/a"
    if x == 0:
        return "0" if unit == "warheads" else "0.0"
    if unit == "warheads":
        return f"{'+' if x > 0 else '-'}{abs(x):,.0f}"
    return f"{'+' if x > 0 else '-'}{abs(100 * x):.1f}"


def _cell(c: dict, unit: str = "pp", lang: str = "en") -> str:
    if c["lo"] is None:
        return _pp(c["mean"], unit)
    return f"{_pp(c['mean'], unit)} ({_pp(c['lo'], unit)} {i18n.t('cmp.to', lang)} {_pp(c['hi'], unit)})"


def _short(c: dict, unit: str = "pp") -> str:
    if c["lo"] is None:
        return _pp(c["mean"], unit)
    scale = 1.0 if unit == "warheads" else 100.0
    half = round(scale * (c["hi"] - c["lo"]) / 2, 1) + 0.0
    return f"{_pp(c['mean'], unit)} ±{half:,.0f}" if unit == "warheads" else f"{_pp(c['mean'], unit)} ±{half:.1f}"


def _verdict(cs: list[dict], lang: str = "en") -> str:
    signs = [_sign(c) for c in cs]
    if all(c["mean"] == 0 and c["lo"] == c["hi"] == 0 for c in cs):
        key = "none"
    elif all(s == 1 for s in signs):
        key = "up"
    elif all(s == -1 for s in signs):
        key = "down"
    elif 1 in signs and -1 in signs:
        key = "depends"
    elif any(signs):
        key = "some"
    else:
        key = "noise"
    return i18n.t(f"cmp.v.{key}", lang)


def _grid(header: list[str], body: list[list[str]], left: int = 1) -> list[str]:
    """Fixed-width columns; the first `left` columns left-aligned, the rest right-aligned."""
    # widths in terminal cells (rich's count: a Japanese character takes two), not characters
    widths = [max(cell_len(r[j]) for r in [header, *body]) for j in range(len(header))]

    def pad(v: str, w: int, right: bool) -> str:
        fill = " " * (w - cell_len(v))
        return fill + v if right else v + fill

    def line(r: list[str]) -> str:
        return "  ".join(pad(v, w, j >= left) for j, (v, w) in enumerate(zip(r, widths, strict=False))).rstrip()

    return [line(header), "  ".join("-" * w for w in widths), *[line(r) for r in body]]


def compare_text(result: dict, lang: str = "en") -> str:
    """A plain-text table of the headline differences of a `compare` result, for a policy
    reader (English or Japanese): South Korea, Japan and Taiwan starting a weapons programme and
    having weapons, NPT collapse, US credibility as seen by South Korea and Japan, and nuclear
    use, by 2035, 2040 and 2050 (or the last headline years of a shorter run). Differences are B
    minus A in percentage points (credibility: points on a 0-100 scale). One world: each cell is
    the mean difference and its 90% interval. Several worlds: each cell is mean ± half-width, and
    the last column says whether the effect is robust across the worlds' theories.

    The text contains no rich markup (square brackets are avoided), so it can be printed with
    `print` or a rich Console alike; columns are measured in terminal cells."""
    L = functools.partial(i18n.t, lang=lang)     # noqa: N806 - a label of the catalogue

    def unit_of(u: str) -> str:
        return L(f"cmp.unit.{u}")

    a, b = result["a"], result["b"]
    lines = [L("cmp.head", b=b, a=a, runs=f"{result['runs']:,}", seed=result["seed"])]
    if "worlds" in result:
        ws = list(result["worlds"])
        diffs = [result["worlds"][w]["diff"] for w in ws]
        years = _table_years(diffs[0])
        lines.append(L("cmp.worlds", worlds=", ".join(ws)))
        lines.append(L("cmp.legend.worlds"))
        lines.append("")
        header = [L("cmp.outcome"), L("cmp.by"), *ws, L("cmp.across")]
        body = []
        per = [_rows(d, lang) for d in diffs]
        for k, (label, unit, _) in enumerate(per[0]):
            for y in years:
                cs = [p[k][2][str(y)] for p in per]
                body.append([f"{label} ({unit_of(unit)})", str(y), *[_short(c, unit) for c in cs],
                             _verdict(cs, lang)])
        lines += _grid(header, body, left=2)
        lines.append("")
        lines.append(L("cmp.explain"))
    else:
        d = result["diff"]
        years = _table_years(d)
        lines.append(L("cmp.world", world=result["world"]))
        lines.append(L("cmp.legend.one"))
        lines.append("")
        header = [L("cmp.outcome"), *[L("cmp.by_year", year=y) for y in years]]
        body = [[f"{label} ({unit_of(unit)})", *[_cell(series[str(y)], unit, lang) for y in years]]
                for label, unit, series in _rows(d, lang)]
        lines += _grid(header, body)
    for n in result.get("notes", []):
        lines.append(L("cmp.note", note=n))
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Plain language


_REACHED = {"explore": "was exploring nuclear weapons (or further)",
            "pursue": "was pursuing nuclear weapons (or had them)",
            "arsenal": "had nuclear weapons"}
_TITLE = {"explore": "explore nuclear weapons", "pursue": "pursue nuclear weapons",
          "arsenal": "have nuclear weapons"}
_ONSET = {"explore": "began exploring", "pursue": "began pursuing", "arsenal": "acquired them"}
_TERM_TEXT = {
    "latency": "its technical capacity (latency)", "conventional_threat": "the conventional threat",
    "rival_programme": "a rival's weapons programme", "umbrella": "the US umbrella",
    "npt": "the NPT", "power_status": "its regional-power status",
    "public_opinion": "public opinion", "sanctions": "US acceptance (sanctions lifted)",
    "cascade": "neighbours' programmes (cascade)", "red_line": "an adversary's declared red line",
}


def _context_text(result: dict, name: str) -> list[str]:
    """The runs with the event against those without it, by the year (explain's `outcomes`)."""
    c = result.get("outcomes") or {}
    w, wo = c.get("with_event"), c.get("without_event")
    if not w or not wo:
        return []
    by = result["by"]
    lines = ["", f"By {by}, the runs in which it happened against those in which it did not:"]
    for code, label in (("CHN", "China's warheads"), ("PRK", "North Korea's warheads"), ("RUS", "Russia's warheads")):
        if code in w["warheads_p50"]:
            lines.append(f"  {label} (median): {w['warheads_p50'][code]:,.0f} against {wo['warheads_p50'][code]:,.0f}")
    if "credibility_p50" in w:
        lines.append(f"  {name}'s belief in the US commitment (median): {w['credibility_p50']:.2f} against "
                     f"{wo['credibility_p50']:.2f}")
    if "posture" in w:
        lines.append(f"  {name} accommodates China: {_pct(w['posture']['accommodating'])} against "
                     f"{_pct(wo['posture']['accommodating'])}")
    for th, v in w["war"].items():
        lines.append(f"  a war in the {th} theatre: {_pct(v)} against {_pct(wo['war'][th])}; nuclear use "
                     f"{_pct(w['nuclear_use'][th])} against {_pct(wo['nuclear_use'][th])}")
    return lines


def _pct(x: float | None) -> str:
    if x is None:
        return "n/a"
    if 0 < abs(x) < 0.005:
        return "<1%"
    return f"{100 * x:.0f}%"


def explain_text(result: dict) -> str:
    """A plain-language explanation of an `explain` result for a policy reader: how often the
    event happened, what usually preceded it, which factors pushed hardest at the moment of
    decision, and how much of it each driver accounts for (by re-running the same futures
    without it). No rich markup (square brackets are avoided)."""
    code, ev, by = result["actor"], result["event"], result["by"]
    name = _name(code)
    n = result["runs_with_event"]
    lines = [f"Why {name} ({code}) came to {_TITLE[ev]} by {by}: "
             f"scenario {result['scenario']}, world {result['world']}, "
             f"{result['runs']:,} simulated futures (seed {result['seed']}).", ""]
    lines.append(f"In {_pct(result['p_event'])} of runs {name} {_REACHED[ev]} by {by}"
                 + (f"; in half of them it {_ONSET[ev]} by {result['median_onset_year']}." if n else "."))
    if not n:
        lines.append("Nothing to explain: the event did not happen in any run.")
        return "\n".join(lines)
    seqs = result["chains"]["sequences"]
    if seqs and seqs[0]["chain"]:
        s = seqs[0]
        lines.append(f"Most often this followed: {' -> '.join(s['chain'])} "
                     f"({_pct(s['share'])} of these runs).")
    lines += ["", "Before it happened, in the runs where it did:"]
    for d in sorted(result["chains"]["antecedents"], key=lambda d: -(d["share"] or 0)):
        if d["share"]:
            lines.append(f"  {_pct(d['share']):>5}  {d['label']}")
            if d["id"] == "neighbour_programme":
                for nb_ in result["chains"]["neighbours"]:
                    if nb_["share"]:
                        lines.append(f"  {_pct(nb_['share']):>5}    {_name(nb_['actor'])} pursued first")
    if len(seqs) > 1:
        lines += ["", "The most common sequences:"]
        for s in seqs:
            lines.append(f"  {_pct(s['share']):>5}  {s['label']}")
    rows = [t for t in result["terms"] if t["term"] != "baseline" and t["mean"]]
    if rows:
        up = [t for t in rows if t["mean"] > 0][:3]
        down = [t for t in rows if t["mean"] < 0][:3]
        def listed(ts):
            return ", ".join(f"{_TERM_TEXT.get(t['term'], t['term'])} ({t['mean']:+.2f})"
                             for t in ts) or "none"

        which = " (the programme that produced the weapon)" if ev == "arsenal" else ""
        lines += ["", f"At the moment {name} {_ONSET[ev if ev != 'arsenal' else 'pursue']}{which}, "
                  f"the factors that raised the annual chance most were {listed(up)}; those "
                  f"holding it down most were {listed(down)} (contributions to the log of the "
                  "hazard; the baseline is the historical rate)."]
    o = result["onset"]
    notes = []
    if o["forced_by_scenario"]:
        notes.append(f"{o['forced_by_scenario']} onsets were imposed by the scenario")
    if o["began_before_start"]:
        notes.append(f"{o['began_before_start']} programmes began before the start year")
    if notes:
        lines.append("(" + "; ".join(notes) + ".)")
    lines += ["", "What would have happened without each driver (the same futures re-run with "
              "one cause removed):"]
    for d in result["drivers"]:
        phrase = DRIVERS[d["driver"]].phrase
        sa = d["share_attributable"]
        change = f"{_pct(result['p_event'])} -> {_pct(d['p_without'])} of runs"
        if not d["in_scenario"]:
            lines.append(f"  - {phrase[0].upper()}{phrase[1:]}: not part of this scenario, "
                         "nothing to remove.")
        elif sa is None or sa == 0:
            lines.append(f"  - Removing {phrase} would have changed nothing on net ({change}).")
        elif sa > 0:
            lines.append(f"  - Removing {phrase} would have prevented {_pct(sa)} of these "
                         f"({change}).")
        else:
            lines.append(f"  - Removing {phrase} would have added {_pct(-sa)} more ({change}): "
                         "it held them back.")
    lines += _context_text(result, name)
    lines += ["", "Shares are net: events prevented minus events that happen only once the driver "
              "is removed. Drivers overlap (an America-first administration also sends signals), "
              "so the shares do not add up to 100%."]
    return "\n".join(lines)
