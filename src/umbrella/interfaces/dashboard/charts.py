"""The briefings' figures as Plotly figures for the dashboard: the same data, bands, colours and
labels as `briefing.figures` (which draws them with matplotlib for reports and `umbrella plot`),
but drawn by the browser (plotly.js, served by Dash) and interactive: hover for the numbers,
zoom, PNG download from the toolbar. Built as plain dicts, so nothing here imports plotly, and
the server's share of a run is the summary, not the rendering (PNGs cost 1.6 s a run)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from umbrella.interfaces import i18n
from umbrella.interfaces.briefing import figures as F

FONT = '"Noto Sans CJK JP", "IPAPGothic", "IPAGothic", "DejaVu Sans", sans-serif'
HEIGHT = 380
CONFIG = {"displaylogo": False,
          "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"],
          "toImageButtonOptions": {"format": "png", "scale": 2}}


def _rgba(hex_colour: str, alpha: float) -> str:
    h = hex_colour.lstrip("#")
    r, g, b = (int(h[i:i + 2], 16) for i in (0, 2, 4))
    return f"rgba({r},{g},{b},{alpha})"


def _list(a: np.ndarray) -> list:
    """JSON-ready values: NaN as None (a gap in the line, never 'NaN' in the page)."""
    return [None if not np.isfinite(v) else round(float(v), 6) for v in a]


def _band(x, lo, hi, colour: str, group: str, alpha: float = 0.2) -> list[dict]:
    """A filled band between `lo` and `hi` (two traces: the lower edge, then the upper filled to it)."""
    xs = [int(v) for v in x]
    edge = {"type": "scatter", "mode": "lines", "x": xs, "line": {"width": 0}, "legendgroup": group,
            "showlegend": False, "hoverinfo": "skip"}
    return [{**edge, "y": _list(lo)},
            {**edge, "y": _list(hi), "fill": "tonexty", "fillcolor": _rgba(colour, alpha)}]


def _line(x, y, colour: str, name: str, group: str, fmt: str, dash: str = "solid") -> dict:
    return {"type": "scatter", "mode": "lines", "x": [int(v) for v in x], "y": _list(y), "name": name,
            "legendgroup": group, "line": {"color": colour, "width": 2.5, "dash": dash},
            "hovertemplate": f"%{{x}}: %{{y:{fmt}}}<extra>{name}</extra>"}


def _layout(title: str, y_title: str, summary: Mapping, lang: str, **extra) -> dict:
    out = {"title": {"text": title, "font": {"size": 15}}, "height": HEIGHT,
           "font": {"family": FONT, "size": 12}, "margin": {"l": 60, "r": 20, "t": 45, "b": 40},
           "xaxis": {"showgrid": True, "gridcolor": "#eeeeee"},
           "yaxis": {"title": {"text": y_title}, "showgrid": True, "gridcolor": "#eeeeee", "zeroline": False},
           "legend": {"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0, "font": {"size": 11}},
           "plot_bgcolor": "white", "paper_bgcolor": "white", "hovermode": "x unified"}
    for k, v in extra.items():
        out[k] = {**out.get(k, {}), **v} if isinstance(v, dict) else v
    return out


def status(summary: Mapping, actor: str, lang: str = "en") -> dict:
    """Fan chart: the share of runs in which `actor` has reached each level by each year."""
    runs = int(summary["runs"])
    st = summary["status"][actor]
    data: list[dict] = []
    for lvl in ("explore", "pursue", "arsenal"):
        x, y = F.series(st[lvl])
        lo, hi = F.share_band(y, runs)
        c = F.LEVEL_COLOURS[lvl]
        data += _band(x, lo, hi, c, lvl) + [_line(x, y, c, i18n.t(f"status.{lvl}", lang), lvl, ".1%")]
    return {"data": data, "layout": _layout(i18n.t("fig.status.title", lang, actor=i18n.actor(actor, lang)),
                                            i18n.t("fig.status.y", lang), summary, lang,
                                            yaxis={"range": [0, 1], "tickformat": ".0%"})}


def _bands(block: Mapping, keys, lang: str, fmt: str) -> list[dict]:
    data: list[dict] = []
    for i, k in enumerate(keys):
        c = F.COLOURS[i % len(F.COLOURS)]
        x, p50 = F.series(block[k]["p50"])
        _, p10 = F.series(block[k]["p10"])
        _, p90 = F.series(block[k]["p90"])
        data += _band(x, p10, p90, c, k, 0.15) + [_line(x, p50, c, i18n.actor(k, lang), k, fmt)]
    return data


def credibility(summary: Mapping, lang: str = "en", clients=F.ASIA_CLIENTS) -> dict:
    """The credibility of the US commitment to each client: median and 10-90 % band."""
    cr = {k: v for k, v in summary.get("credibility", {}).items() if clients is None or k in clients}
    return {"data": _bands(cr, list(cr), lang, ".2f"),
            "layout": _layout(i18n.t("fig.credibility.title", lang), i18n.t("fig.credibility.y", lang), summary,
                              lang, yaxis={"range": [0, 1]})}


def warheads(summary: Mapping, lang: str = "en", actors=F.ARMED) -> dict:
    """Warheads: median and 10-90 % band, log scale."""
    wh = summary.get("warheads", {})
    return {"data": _bands(wh, F.armed_keys(wh, actors), lang, ",.0f"),
            "layout": _layout(i18n.t("fig.warheads.title", lang), i18n.t("fig.warheads.y", lang), summary, lang,
                              yaxis={"type": "log", "dtick": 1, "tickformat": ","})}


def crises(summary: Mapping, lang: str = "en") -> dict:
    """War (solid, 90 % band) and nuclear use (dotted) by theatre, cumulative shares of runs."""
    war, use = summary.get("war", {}), summary.get("nuclear_use", {})
    runs = int(summary["runs"])
    data: list[dict] = []
    for i, th in enumerate(t for t in war if t != "any"):
        c = F.COLOURS[i % len(F.COLOURS)]
        x, y = F.series(war[th])
        lo, hi = F.share_band(y, runs)
        name = i18n.theatre(th, lang)
        data += _band(x, lo, hi, c, th, 0.12)
        data.append(_line(x, y, c, f"{name}: {i18n.t('fig.crises.war', lang)}", th, ".1%"))
        if th in use:
            xu, yu = F.series(use[th])
            data.append(_line(xu, yu, c, f"{name}: {i18n.t('fig.crises.use', lang)}", th, ".1%", "dot"))
    return {"data": data, "layout": _layout(i18n.t("fig.crises.title", lang), i18n.t("fig.crises.y", lang),
                                            summary, lang, yaxis={"rangemode": "tozero", "tickformat": ".0%"})}


def cascade(summary: Mapping, lang: str = "en") -> dict:
    """Who is armed after whom: P(row armed by the year | column armed before it)."""
    cc = summary["cascade"]
    actors, m, n_first = F.cascade_matrix(cc)
    names = [i18n.actor(a, lang) for a in actors]
    cols = [f"{nm} (n={n})" for nm, n in zip(names, n_first, strict=True)]
    z = [[None if i == j or not np.isfinite(m[i, j]) else round(float(m[i, j]), 4) for j in range(len(actors))]
         for i in range(len(actors))]
    top = max(0.05, float(np.nanmax(m)) if np.isfinite(m).any() else 1.0)
    lay = _layout(i18n.t("fig.cascade.title", lang, year=cc["year"]), i18n.t("fig.cascade.y", lang), summary, lang,
                  xaxis={"title": {"text": i18n.t("fig.cascade.x", lang)}, "showgrid": False, "tickangle": -35,
                         "automargin": True},
                  yaxis={"autorange": "reversed", "showgrid": False, "automargin": True}, hovermode="closest",
                  height=HEIGHT + 120, margin={"l": 60, "r": 20, "t": 85, "b": 60})
    note = i18n.t("fig.cascade.note", lang, year=cc["year"]).replace("; ", "<br>").replace("。", "<br>")
    lay["annotations"] = [{"text": note, "xref": "paper", "align": "left",
                           "yref": "paper", "x": 0, "y": 1.0, "xanchor": "left", "yanchor": "bottom",
                           "showarrow": False, "font": {"size": 10, "color": "#555555"}}]
    return {"data": [{"type": "heatmap", "x": cols, "y": names, "z": z, "zmin": 0, "zmax": top,
                      "colorscale": "Reds", "texttemplate": "%{z:.0%}", "hoverongaps": False,
                      "colorbar": {"tickformat": ".0%", "thickness": 12},
                      "hovertemplate": "%{y} | %{x}: %{z:.1%}<extra></extra>"}],
            "layout": lay}


FIGURES = ("status-KOR", "status-JPN", "status-TWN", "credibility", "warheads", "crises", "cascade")


def empty(text: str = "") -> dict:
    """A blank figure with a line of text (before a run, or a figure the scenario has no data for)."""
    return {"data": [], "layout": {"height": HEIGHT, "font": {"family": FONT, "size": 13},
                                   "xaxis": {"visible": False}, "yaxis": {"visible": False},
                                   "plot_bgcolor": "white", "paper_bgcolor": "white",
                                   "annotations": [{"text": text, "showarrow": False, "xref": "paper",
                                                    "yref": "paper", "x": 0.5, "y": 0.5}] if text else []}}


def run_figures(summary: Mapping, lang: str = "en") -> list[tuple[str, dict]]:
    """The run tab's figures, one per key of FIGURES: the allies' fan charts, credibility,
    warheads, crises by theatre and the cascade; a blank with a note where the scenario has none
    (no crisis theatre, no actor that can be armed, an ally not modelled)."""
    none = i18n.t("dash.fig.none", lang)
    out = []
    for k in FIGURES:
        if k.startswith("status-"):
            a = k.split("-", 1)[1]
            fig = status(summary, a, lang) if a in summary.get("status", {}) else empty(none)
        elif k == "crises":
            fig = crises(summary, lang) if any(t != "any" for t in summary.get("war", {})) else empty(none)
        elif k == "cascade":
            fig = cascade(summary, lang) if summary.get("cascade", {}).get("actors") else empty(none)
        else:
            fig = credibility(summary, lang) if k == "credibility" else warheads(summary, lang)
        out.append((k, fig))
    return out


def tab_label(key: str, lang: str = "en") -> str:
    """The figure's tab: the ally of a fan chart, else the figure's short name."""
    if key.startswith("status-"):
        return i18n.actor(key.split("-", 1)[1], lang)
    return i18n.t(f"dash.fig.{key}", lang)
