"""Slide-size PNG figures of the exploration analyses (sensitivity, PRIM, policy robustness).

Each function draws one figure from the plain tables of `umbrella.analysis` (sensitivity,
discovery, robust), writes it as a PNG at ``path`` and returns the path. The figures use
matplotlib's Agg canvas directly (no display, no global pyplot state) at 8 x 5 inches and 150 dpi
with fonts of at least 10 points, readable when pasted on a slide. matplotlib is imported only
when a figure is drawn (the ``plots`` or ``explore`` extra).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from umbrella.analysis.discovery import PrimResult
from umbrella.errors import InputError
from umbrella.interfaces import i18n
from umbrella.results.atomic import write_with

FIGSIZE = (8.0, 5.0)
DPI = 150
RC: Any = {"font.size": 11, "axes.titlesize": 12, "axes.labelsize": 11, "xtick.labelsize": 10, "ytick.labelsize": 10,
      "legend.fontsize": 10}


@contextmanager
def _canvas(path: str | Path, lang: str = "en") -> Iterator:
    """A Figure on an Agg canvas, drawn under slide-size fonts and written at `path` on exit (PNG,
    or SVG or PDF by the extension); Japanese labels in the bundled IPAexGothic."""
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        raise InputError("figure", "matplotlib", "install the plots extra: pip install -e '.[plots]'",
                         problem="is not installed") from exc
    rc = dict(RC)
    if i18n.check_lang(lang) == "ja":
        from umbrella.interfaces.maps.render import font_family
        rc["font.family"] = font_family(lang)
    with matplotlib.rc_context(rc):
        fig = Figure(figsize=FIGSIZE, dpi=DPI)
        FigureCanvasAgg(fig)
        yield fig
        out = Path(path)
        fig.tight_layout()
        fmt = out.suffix.lower().lstrip(".")
        write_with(out, lambda tmp: fig.savefig(tmp, format=fmt if fmt in ("svg", "pdf") else "png", dpi=DPI),
                   "--png")


def _rows_for(df: pd.DataFrame, outcome: str, needed: list[str]) -> pd.DataFrame:
    """The rows of a sensitivity table for one outcome, checking its columns."""
    missing = [c for c in ["outcome", "parameter", *needed] if c not in df.columns]
    if missing:
        raise InputError("df", f"missing columns {missing}", f"a table with columns outcome, parameter, {needed}")
    rows = df[df["outcome"] == outcome]
    if rows.empty:
        known = list(dict.fromkeys(df["outcome"]))
        raise InputError("outcome", outcome, f"an outcome of the table: {known[:10]}"
                         + (" ..." if len(known) > 10 else ""), problem="is not in the table")
    return rows


def sobol_bars(df: pd.DataFrame, outcome: str, path: str | Path, top: int = 15, lang: str = "en") -> Path:
    """Horizontal bars of S1 and ST (with confidence half-widths) for one outcome's `top` parameters by ST.

    Horizontal, most influential at the top, so that long parameter names stay readable."""
    rows = _rows_for(df, outcome, ["S1", "S1_conf", "ST", "ST_conf"])
    rows = rows.sort_values("ST", ascending=False, kind="stable").head(max(int(top), 1)).iloc[::-1]
    with _canvas(path, lang) as fig:
        ax = fig.add_subplot(1, 1, 1)
        y = np.arange(len(rows))
        h = 0.4
        ax.barh(y + h / 2, rows["ST"], h, xerr=rows["ST_conf"], capsize=3, label=i18n.t("xfig.sobol.st", lang),
                color="#DD8452")
        ax.barh(y - h / 2, rows["S1"], h, xerr=rows["S1_conf"], capsize=3, label=i18n.t("xfig.sobol.s1", lang),
                color="#4C72B0")
        ax.set_yticks(y)
        ax.set_yticklabels(rows["parameter"].astype(str))
        ax.axvline(0.0, color="0.3", linewidth=0.8)
        ax.set_xlabel(i18n.t("xfig.sobol.x", lang))
        ax.set_title(i18n.t("xfig.sobol.title", lang, outcome=outcome))
        ax.legend(loc="lower right")
    return Path(path)


def morris_plot(df: pd.DataFrame, outcome: str, path: str | Path, lang: str = "en") -> Path:
    """Morris mu* (influence) against sigma (non-linearity/interaction), one labelled point per parameter."""
    rows = _rows_for(df, outcome, ["mu_star", "sigma"])
    with _canvas(path, lang) as fig:
        ax = fig.add_subplot(1, 1, 1)
        ax.scatter(rows["mu_star"], rows["sigma"], s=40, color="#4C72B0", zorder=3)
        for _, r in rows.iterrows():
            ax.annotate(str(r["parameter"]), (r["mu_star"], r["sigma"]), textcoords="offset points", xytext=(5, 4),
                        fontsize=10)
        top = float(max(rows["mu_star"].max(), rows["sigma"].max(), 1e-12)) * 1.1
        ax.plot([0, top], [0, top], color="0.6", linestyle="--", linewidth=1, label="sigma = mu*")
        ax.set_xlim(0, top)
        ax.set_ylim(0, top)
        ax.set_xlabel(i18n.t("xfig.morris.x", lang))
        ax.set_ylabel(i18n.t("xfig.morris.y", lang))
        ax.set_title(i18n.t("xfig.morris.title", lang, outcome=outcome))
        ax.legend(loc="upper left")
    return Path(path)


def prim_trajectory(result: PrimResult, path: str | Path, lang: str = "en") -> Path:
    """PRIM's peeling trajectory: coverage against density, coloured by restricted dimensions, chosen box marked."""
    t = getattr(result, "trajectory", None)
    if not isinstance(t, pd.DataFrame) or t.empty:
        raise InputError("result", type(result).__name__, "a PrimResult from umbrella.analysis.discovery.prim")
    with _canvas(path, lang) as fig:
        ax = fig.add_subplot(1, 1, 1)
        palette = ["#4C72B0", "#DD8452", "#55A868", "#C44E52", "#8172B3", "#937860", "#DA8BC3", "#8C8C8C"]
        for i, k in enumerate(sorted(set(int(v) for v in t["res_dim"]))):
            sel = t["res_dim"] == k
            ax.scatter(t.loc[sel, "coverage"], t.loc[sel, "density"], s=30, color=palette[i % len(palette)],
                       zorder=3, label=i18n.t("xfig.prim.dims", lang, k=k))
        c = t.iloc[result.chosen]
        ax.scatter([c["coverage"]], [c["density"]], s=180, facecolors="none", edgecolors="red", linewidths=2,
                   zorder=4, label=i18n.t("xfig.prim.chosen", lang, box=int(c["box"])))
        ax.axhline(result.threshold, color="0.5", linestyle=":", linewidth=1,
                   label=i18n.t("xfig.prim.threshold", lang, v=f"{result.threshold:g}"))
        ax.set_xlabel(i18n.t("xfig.prim.x", lang))
        ax.set_ylabel(i18n.t("xfig.prim.y", lang))
        ax.set_xlim(0, 1.02)
        ax.set_ylim(0, 1.02)
        ax.set_title(i18n.t("xfig.prim.title", lang))
        ax.legend(loc="lower left")
    return Path(path)


def policy_ranking(df: pd.DataFrame, path: str | Path, lang: str = "en") -> Path:
    """Horizontal bars of each policy's satisficing share (from `RobustResult.ranking` or `.satisficing`).

    A policy that holds in every world (column `holds_in_every_world`, when present) is drawn darker."""
    for c in ("policy", "share"):
        if c not in df.columns:
            raise InputError("df", f"missing column {c!r}", "a ranking or satisficing table (robustness() run with "
                             "thresholds) with columns policy and share")
    if df.empty:
        raise InputError("df", "0 rows", "at least one policy", problem="is empty")
    # the best policy at the top: by rank when the table has one (ties in share then follow regret)
    rows = df.sort_values("rank" if "rank" in df.columns else "share", ascending="rank" in df.columns,
                          kind="stable").iloc[::-1]
    if "holds_in_every_world" in rows.columns:
        holds = rows["holds_in_every_world"].astype(bool)
    else:
        holds = pd.Series(False, index=rows.index)
    with _canvas(path, lang) as fig:
        ax = fig.add_subplot(1, 1, 1)
        colours = ["#1B5E20" if h else "#81A1C1" for h in holds]
        y = np.arange(len(rows))
        ax.barh(y, rows["share"], color=colours)
        for yi, s in zip(y, rows["share"], strict=True):
            ax.text(float(s) + 0.01, yi, f"{float(s):.0%}", va="center", fontsize=10)
        ax.set_yticks(y)
        ax.set_yticklabels(rows["policy"].astype(str))
        ax.set_xlim(0, 1.1)
        ax.set_xticks(np.linspace(0.0, 1.0, 6))
        ax.set_xlabel(i18n.t("xfig.robust.x", lang))
        title = i18n.t("xfig.robust.title", lang)
        if holds.any():
            title += i18n.t("xfig.robust.dark", lang)
        ax.set_title(title)
    return Path(path)
