"""The briefings' figures, drawn from the JSON summary (`umbrella run --json`), a comparison
(`umbrella compare --json`) or per-world summaries, in English or Japanese.

Each `KIND` function takes plain dicts and a language and returns a matplotlib Figure on an Agg
canvas (no display, no global pyplot state); `save` writes it as PNG, SVG or PDF. Slide size:
8 x 4.8 inches, fonts of 10-13 points, 150 dpi for PNG; the Japanese font is the IPAexGothic of
matplotlib-fontja (registered, not imported: its import changes global settings), embedded as
TrueType in PDF. Probabilities carry 90 % Wilson intervals (the runs are the trials); medians carry
the 10-90 % range of the runs.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np

from umbrella.errors import InputError
from umbrella.interfaces import i18n
from umbrella.results.atomic import write_with
from umbrella.results.intervals import wilson

FIGSIZE = (8.0, 4.8)
TALL = (8.0, 6.4)        # the comparison's rows
DPI = 150
RC: dict[str, Any] = {"font.size": 11, "axes.titlesize": 13, "axes.labelsize": 11, "xtick.labelsize": 10,
                      "ytick.labelsize": 10, "legend.fontsize": 10, "pdf.fonttype": 42, "svg.fonttype": "path",
                      "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
                      "grid.alpha": 0.3}
FORMATS = ("png", "svg", "pdf")
# one colour per series, the same in every figure (colour-blind safe: Okabe and Ito)
COLOURS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]
CASCADE_MIN_RUNS = 20     # cascade columns: at least this many runs with the first state armed
LEVEL_COLOURS = {"explore": "#E69F00", "pursue": "#D55E00", "arsenal": "#7B1E1E"}


@contextmanager
def _style(lang: str):
    try:
        import matplotlib
    except ImportError as exc:
        raise InputError("figure", "matplotlib", "install the report extra: pip install -e '.[report]'",
                         problem="is not installed") from exc
    from umbrella.interfaces.maps.render import font_family
    with matplotlib.rc_context({**RC, "font.family": font_family(i18n.check_lang(lang))}):
        yield


def _figure(lang: str, draw: Callable[[Any], None], size=FIGSIZE):
    """A Figure drawn by `draw(fig)` under the briefing style (rc applies while drawing)."""
    with _style(lang):
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
        fig = Figure(figsize=size, dpi=DPI)
        FigureCanvasAgg(fig)
        draw(fig)
        fig.tight_layout()
    fig._umbrella_lang = lang     # noqa: SLF001 - save() redraws under the same fonts
    return fig


def save(fig, path: str | Path) -> Path:
    """Write `fig` as PNG, SVG or PDF (by the extension), whole or not at all; the parent
    directory is created."""
    path = Path(path)
    fmt = path.suffix.lower().lstrip(".")
    if fmt not in FORMATS:
        raise InputError("--out", str(path), "a file ending in .png, .svg or .pdf")
    with _style(getattr(fig, "_umbrella_lang", "en")):
        write_with(path, lambda tmp: fig.savefig(tmp, format=fmt, dpi=DPI), "--out")
    return path


def data_uri(fig_or_png) -> str:
    """A figure (or PNG bytes) as an inline `data:` URI: the reports and the dashboard embed
    their images so that a page makes no request."""
    import base64
    png = fig_or_png if isinstance(fig_or_png, bytes) else to_bytes(fig_or_png, "png")
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def to_bytes(fig, fmt: str = "png") -> bytes:
    import io
    buf = io.BytesIO()
    with _style(getattr(fig, "_umbrella_lang", "en")):
        fig.savefig(buf, format=fmt, dpi=DPI)
    return buf.getvalue()


def caption_text(summary: Mapping, lang: str) -> str:
    """Scenario, world, runs and seed of a summary, in one line."""
    return i18n.t("fig.caption", lang, scenario=summary["scenario"], world=summary["world"],
                  runs=i18n.num(summary["runs"], lang), seed=summary["seed"])


def _caption(fig, summary: Mapping, lang: str) -> None:
    fig.text(0.99, 0.005, caption_text(summary, lang), ha="right", va="bottom", fontsize=8, color="#555555")


def series(d: Mapping[str, float | None]) -> tuple[np.ndarray, np.ndarray]:
    """(years, values) of a `{year: value}` block, in year order, None as NaN."""
    ys = sorted(d, key=int)
    return np.array([int(y) for y in ys]), np.array([np.nan if d[y] is None else d[y] for y in ys], float)


def share_band(share: np.ndarray, runs: int) -> tuple[np.ndarray, np.ndarray]:
    """90 % Wilson interval of shares of `runs` runs (the share is a count over the runs)."""
    k = np.rint(np.nan_to_num(share) * runs)
    return wilson(k, np.full_like(k, float(runs)))


def _pct_axis(ax) -> None:
    from matplotlib.ticker import PercentFormatter
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))


# --- the kinds ----------------------------------------------------------------------------------

def status(summary: Mapping, actor: str, lang: str = "en"):
    """Fan chart: the probability that `actor` has reached each level by each year."""
    st = summary.get("status", {})
    if actor not in st:
        raise InputError("actor", actor, "an actor of the scenario: " + ", ".join(st))
    runs = int(summary["runs"])

    def draw(fig):
        ax = fig.add_subplot()
        for lvl in ("explore", "pursue", "arsenal"):
            x, y = series(st[actor][lvl])
            lo, hi = share_band(y, runs)
            ax.fill_between(x, lo, hi, color=LEVEL_COLOURS[lvl], alpha=0.2, linewidth=0)
            ax.plot(x, y, color=LEVEL_COLOURS[lvl], linewidth=2, label=i18n.t(f"status.{lvl}", lang))
        ax.set_ylim(0, 1)
        _pct_axis(ax)
        ax.set_xlabel(i18n.t("fig.year", lang))
        ax.set_ylabel(i18n.t("fig.status.y", lang))
        ax.set_title(i18n.t("fig.status.title", lang, actor=i18n.actor(actor, lang)))
        ax.legend(loc="upper left", frameon=False)
        _caption(fig, summary, lang)
    return _figure(lang, draw)


def _bands(ax, block: Mapping, keys, label: Callable[[str], str], log: bool = False) -> None:
    for i, k in enumerate(keys):
        c = COLOURS[i % len(COLOURS)]
        x, p50 = series(block[k]["p50"])
        _, p10 = series(block[k]["p10"])
        _, p90 = series(block[k]["p90"])
        ax.fill_between(x, p10, p90, color=c, alpha=0.15, linewidth=0)
        ax.plot(x, p50, color=c, linewidth=2, label=label(k))
    if log:
        ax.set_yscale("log")


ASIA_CLIENTS = ("KOR", "JPN", "TWN", "AUS", "PHL")
ARMED = ("USA", "RUS", "CHN", "PRK")


def credibility(summary: Mapping, lang: str = "en", clients=ASIA_CLIENTS):
    """The credibility of the US commitment to its clients (default: in Asia and the Pacific):
    median and 10-90 % band."""
    cr = {k: v for k, v in summary.get("credibility", {}).items() if clients is None or k in clients}

    def draw(fig):
        ax = fig.add_subplot()
        _bands(ax, cr, list(cr), lambda a: i18n.actor(a, lang))
        ax.set_ylim(0, 1)
        ax.set_xlabel(i18n.t("fig.year", lang))
        ax.set_ylabel(i18n.t("fig.credibility.y", lang))
        ax.set_title(i18n.t("fig.credibility.title", lang))
        ax.legend(loc="best", frameon=False, ncol=2)
        _caption(fig, summary, lang)
    return _figure(lang, draw)


def armed_keys(wh: Mapping, actors=ARMED) -> list[str]:
    """The actors of a `warheads` block (default: ARMED) whose 90th percentile reaches one warhead
    in some year: a log axis has no place for the others."""
    return [a for a in (actors or wh) if a in wh and np.nanmax(series(wh[a]["p90"])[1]) >= 1.0]


def warheads(summary: Mapping, lang: str = "en", actors=ARMED):
    """Warheads (default: the US, Russia, China and the DPRK): median and 10-90 % band (log scale)."""
    wh = summary.get("warheads", {})
    keys = armed_keys(wh, actors)

    def draw(fig):
        ax = fig.add_subplot()
        _bands(ax, wh, keys, lambda a: i18n.actor(a, lang), log=True)
        ax.set_xlabel(i18n.t("fig.year", lang))
        ax.set_ylabel(i18n.t("fig.warheads.y", lang))
        ax.set_title(i18n.t("fig.warheads.title", lang))
        ax.legend(loc="upper left", frameon=False, ncol=3)
        _caption(fig, summary, lang)
    return _figure(lang, draw)


def crises(summary: Mapping, lang: str = "en"):
    """War and nuclear use by theatre, cumulative shares by year with 90 % intervals."""
    war, use = summary.get("war", {}), summary.get("nuclear_use", {})
    runs = int(summary["runs"])
    ths = [t for t in war if t != "any"]

    def draw(fig):
        ax = fig.add_subplot()
        for i, th in enumerate(ths):
            c = COLOURS[i % len(COLOURS)]
            for block, style, kind in ((war, "-", "war"), (use, ":", "use")):
                if th not in block:
                    continue
                x, y = series(block[th])
                lo, hi = share_band(y, runs)
                if kind == "war":
                    ax.fill_between(x, lo, hi, color=c, alpha=0.12, linewidth=0)
                ax.plot(x, y, style, color=c, linewidth=2,
                        label=f"{i18n.theatre(th, lang)}: {i18n.t('fig.crises.' + kind, lang)}")
        ax.set_ylim(bottom=0)
        _pct_axis(ax)
        ax.set_xlabel(i18n.t("fig.year", lang))
        ax.set_ylabel(i18n.t("fig.crises.y", lang))
        ax.set_title(i18n.t("fig.crises.title", lang))
        ax.legend(loc="upper left", frameon=False, ncol=2, fontsize=9)
        _caption(fig, summary, lang)
    return _figure(lang, draw)


RUNG_COLOURS = ["#FEE8C8", "#FDD49E", "#FDBB84", "#FC8D59", "#EF6548", "#D7301F", "#B30000", "#7F0000"]


def rungs(summary: Mapping, lang: str = "en"):
    """Every crisis of the runs, by theatre, split by the highest rung it reached (1-8)."""
    cr = {th: c for th, c in summary.get("crisis_rungs", {}).items() if sum(c) > 0}
    if not cr:
        raise InputError("crisis_rungs", summary.get("scenario"), "a summary with crises (umbrella run --json of "
                         "this version, crisis onsets on)", problem="has no crisis")

    def draw(fig):
        ax = fig.add_subplot()
        ths = list(cr)
        y = np.arange(len(ths))[::-1]
        left = np.zeros(len(ths))
        for r in range(8):
            share = np.array([cr[th][r] / sum(cr[th]) for th in ths])
            ax.barh(y, share, left=left, color=RUNG_COLOURS[r], edgecolor="white", linewidth=0.5,
                    label=i18n.t(f"rung.{r + 1}", lang))
            left += share
        ax.set_yticks(y, [f"{i18n.theatre(th, lang)}\n{i18n.t('fig.rungs.n', lang, n=i18n.num(sum(cr[th]), lang))}"
                          for th in ths], fontsize=9)
        for yi, th in zip(y, ths, strict=True):      # the wars are thin slivers: their share in words
            war = sum(cr[th][3:]) / sum(cr[th])
            ax.text(1.01, yi, i18n.t("fig.rungs.war", lang, share=i18n.pct(war, lang, 1)), va="center", fontsize=9)
        ax.set_xlim(0, 1)
        from matplotlib.ticker import PercentFormatter
        ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
        ax.set_xlabel(i18n.t("fig.rungs.x", lang))
        ax.set_title(i18n.t("fig.rungs.title", lang, start=summary["start_year"], horizon=summary["horizon"]))
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=4, frameon=False, fontsize=8)
        ax.grid(False)
        _caption(fig, summary, lang)
    return _figure(lang, draw)


def cascade_matrix(cc: Mapping) -> tuple[list[str], np.ndarray, list[int]]:
    """(actors, P(row armed | column armed first) with NaN for none, runs with the column armed
    first) of a summary's `cascade` block, keeping the columns with at least CASCADE_MIN_RUNS
    runs (fewer give noise, not a conditional probability)."""
    keep = [j for j, n in enumerate(cc["n_first"]) if n >= CASCADE_MIN_RUNS] or list(range(len(cc["actors"])))
    m = np.array([[np.nan if cc["p"][i][j] is None else cc["p"][i][j] for j in keep] for i in keep], float)
    return [cc["actors"][j] for j in keep], m, [cc["n_first"][j] for j in keep]


def cascade(summary: Mapping, lang: str = "en"):
    """Who is armed after whom: P(row armed by the horizon | column armed before it)."""
    cc = summary.get("cascade")
    if not cc or not cc.get("actors"):
        raise InputError("cascade", summary.get("scenario"), "a summary with a cascade (umbrella run --json of "
                         "this version, with at least one actor that can be armed in the run)",
                         problem="has no cascade table")
    actors, m, n_first = cascade_matrix(cc)

    def draw(fig):
        from matplotlib.ticker import PercentFormatter
        ax = fig.add_subplot()
        top = max(0.05, float(np.nanmax(m)) if np.isfinite(m).any() else 1.0)
        im = ax.imshow(m, cmap="Reds", vmin=0, vmax=top)
        names = [i18n.actor(a, lang) for a in actors]
        ax.set_xticks(range(len(actors)), [f"{nm} (n={n})" for nm, n in zip(names, n_first, strict=True)],
                      fontsize=9, rotation=35, ha="right")
        ax.set_yticks(range(len(actors)), names, fontsize=9)
        ax.grid(False)
        for i in range(len(actors)):
            for j in range(len(actors)):
                if i != j and np.isfinite(m[i, j]):
                    ax.text(j, i, i18n.pct(m[i, j], lang, 0), ha="center", va="center", fontsize=8,
                            color="white" if m[i, j] > 0.6 * top else "black")
        ax.set_xlabel(i18n.t("fig.cascade.x", lang))
        ax.set_ylabel(i18n.t("fig.cascade.y", lang))
        ax.set_title(i18n.t("fig.cascade.title", lang, year=cc["year"]))
        fig.colorbar(im, ax=ax, fraction=0.04, format=PercentFormatter(1.0, decimals=0))
        fig.text(0.01, 0.005, i18n.t("fig.cascade.note", lang, year=cc["year"]), fontsize=7, color="#555555",
                 ha="left", va="bottom")
    return _figure(lang, draw)


def compare(result: Mapping, lang: str = "en", names: list[str] | None = None):
    """B minus A for the headline outcomes (percentage points, 90 % intervals)."""
    from umbrella.analysis.compare import outcomes
    diff = result.get("diff")
    if diff is None:
        raise InputError("compare", result.get("b"), "a comparison in one world (compare without --worlds)")
    cells = dict(outcomes(diff))
    names = names or compare_names(diff)
    rows = [(n, cells[n]) for n in names if n in cells and cells[n]["mean"] is not None]

    def draw(fig):
        ax = fig.add_subplot()
        y = np.arange(len(rows))[::-1]
        mean = np.array([c["mean"] for _, c in rows]) * 100
        lo = np.array([c["lo"] if c["lo"] is not None else c["mean"] for _, c in rows]) * 100
        hi = np.array([c["hi"] if c["hi"] is not None else c["mean"] for _, c in rows]) * 100
        colours = [COLOURS[1] if m > 0 else COLOURS[0] if m < 0 else "#888888" for m in mean]
        ax.errorbar(mean, y, xerr=[mean - lo, hi - mean], fmt="none", ecolor="#444444", capsize=3)
        ax.scatter(mean, y, color=colours, zorder=3)
        ax.axvline(0, color="black", linewidth=0.8)
        ax.set_yticks(y, [_wrap(compare_label(n, lang), 38 if lang == "en" else 22) for n, _ in rows], fontsize=8)
        ax.set_xlabel(i18n.t("fig.compare.x", lang))
        ax.set_title(_wrap(i18n.t("fig.compare.title", lang, a=result["a"], b=result["b"]), 60), fontsize=11)
    return _figure(lang, draw, TALL)


def _wrap(text: str, width: int) -> str:
    """Break a label into lines of about `width` characters (at spaces when there are any)."""
    import textwrap
    if " " in text:
        return "\n".join(textwrap.wrap(text, width))
    return "\n".join(text[i:i + width] for i in range(0, len(text), width))


def compare_names(diff: Mapping) -> list[str]:
    """The headline rows of a comparison: allies' pursuit and arsenals and credibility in 2035
    and the last year, nuclear use in any theatre, NPT collapse."""
    from umbrella.analysis.compare import _years_of, headline_years
    ys = [y for y in headline_years(_years_of(diff)) if y in (2035, max(_years_of(diff)))]
    out = []
    for y in ys:
        for a in ("KOR", "JPN", "TWN"):
            out += [f"status.{a}.pursue.{y}", f"status.{a}.arsenal.{y}"]
        out += [f"nuclear_use.any.{y}", f"npt_collapse.{y}"]
    return out


def compare_label(name: str, lang: str) -> str:
    """The label of a compare outcome name (status.KOR.pursue.2050, credibility.KOR.2035, ...)."""
    p = name.split(".")
    if p[0] == "status":
        return i18n.headline_label(".".join(p[1:]), lang)
    if p[0] == "alignment":
        return i18n.headline_label(f"{p[2]}.{p[1]}.{p[3]}", lang) if p[2] == "accommodating" \
            else f"{i18n.actor(p[1], lang)} {i18n.t('posture.' + p[2], lang)} {p[3]}"
    return i18n.headline_label(name, lang)


def worlds(per_world: Mapping[str, Mapping], name: str, lang: str = "en"):
    """One headline outcome (`analysis.headlines` name) in each world, with its interval."""
    from umbrella.analysis.headlines import headlines

    vals = []
    for w, s in per_world.items():
        v = headlines(s).get(name)
        vals.append((w, v, int(s["runs"])))
    share = not name.startswith(("warheads.", "credibility.", "ttw."))

    def draw(fig):
        ax = fig.add_subplot()
        y = np.arange(len(vals))[::-1]
        x = np.array([np.nan if v is None else v for _, v, _ in vals], float)
        if share:
            lo, hi = share_band(x, vals[0][2])
            ax.errorbar(x, y, xerr=[x - lo, hi - x], fmt="none", ecolor="#444444", capsize=3)
            from matplotlib.ticker import PercentFormatter
            ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))
            ax.set_xlim(left=0)
        ax.scatter(x, y, color=COLOURS[0], zorder=3)
        ax.set_yticks(y, [w for w, _, _ in vals])
        ax.set_xlabel(i18n.t("fig.worlds.x", lang) if share else i18n.headline_label(name, lang))
        ax.set_title(i18n.t("fig.worlds.title", lang, outcome=i18n.headline_label(name, lang)), fontsize=11)
    return _figure(lang, draw)


KINDS = {"status": status, "credibility": credibility, "warheads": warheads, "crises": crises, "rungs": rungs,
         "cascade": cascade, "compare": compare, "worlds": worlds}
