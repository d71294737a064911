"""Offline map of the exposure of US and allied bases: one self-contained HTML page (inline SVG)
or a PNG (matplotlib), labelled in English or Japanese.

`render_html(result, lang)` returns the page as a string: inline SVG and CSS only, no script, no
link, no web font, no tile server, no image from anywhere (a Content-Security-Policy meta tag
forbids every fetch, so even a browser cannot go online for it). Tooltips are SVG ``<title>``.
Same input -> byte-identical output (coordinates are rounded to 0.1 px; nothing dated).

`render_png(result, path, lang)` draws the same primitives (`mapscene.build`) with matplotlib's
Agg canvas, imported lazily (the ``plots`` extra); Japanese uses the IPAexGothic font bundled in
matplotlib-fontja, registered without importing that package (its import changes global rc).

`result` is what `umbrella.geo.exposure.compute` returns. The projection, the ring convention
and the colour scale are in `mapscene`.
"""

from __future__ import annotations

import functools
import html
from pathlib import Path

from . import mapscene, maptext
from .mapscene import Line, Mark, Text

FONT_STACK = '"Noto Sans CJK JP", "IPAGothic", "IPAexGothic", sans-serif'


def _check_lang(lang: str) -> None:
    if lang not in maptext.LANGS:
        from umbrella.errors import InputError
        raise InputError("lang", lang, " | ".join(maptext.LANGS))


# ------------------------------------------------------------------ HTML / SVG

def _n(v: float) -> str:
    s = f"{v:.1f}"
    return "0.0" if s == "-0.0" else s


def _e(s: str) -> str:
    return html.escape(s, quote=True)


def _dash(d: tuple) -> str:
    return f' stroke-dasharray="{" ".join(_n(v) for v in d)}"' if d else ""


def _path_d(parts, closed: bool) -> str:
    out = []
    for p in parts:
        pts = [(_n(x), _n(y)) for x, y in p]
        pts = [q for i, q in enumerate(pts) if i == 0 or q != pts[i - 1]]  # drop repeats after rounding
        out.append("M" + "L".join(f"{x} {y}" for x, y in pts) + ("Z" if closed else ""))
    return "".join(out)


def _title(tip: str) -> str:
    return f"<title>{_e(tip)}</title>" if tip else ""


def _svg_item(o) -> str:
    if isinstance(o, mapscene.Path):
        fill = o.fill or "none"
        stroke = f' stroke="{o.stroke}" stroke-width="{_n(o.width)}"' if o.stroke else ""
        cls = f' class="{o.cls}"' if o.cls else ""
        body = _title(o.tip)
        return (f'<path{cls} d="{_path_d(o.parts, o.closed)}" fill="{fill}"{stroke}{_dash(o.dash)}'
                + (f">{body}</path>" if body else "/>"))
    if isinstance(o, Mark):
        cls = f' class="{o.cls}"' if o.cls else ""
        fill = o.fill or "none"
        st = f'fill="{fill}" stroke="{o.stroke}" stroke-width="{_n(o.width)}"'
        if o.shape == "circle":
            el = f'<circle{cls} cx="{_n(o.x)}" cy="{_n(o.y)}" r="{_n(o.size)}" {st}>'
            return el + _title(o.tip) + "</circle>"
        if o.shape == "square":
            s = o.size
            el = f'<rect{cls} x="{_n(o.x - s)}" y="{_n(o.y - s)}" width="{_n(2 * s)}" height="{_n(2 * s)}" {st}>'
            return el + _title(o.tip) + "</rect>"
        s = o.size
        d = (f"M{_n(o.x - s)} {_n(o.y - s)}L{_n(o.x + s)} {_n(o.y + s)}"
             f"M{_n(o.x - s)} {_n(o.y + s)}L{_n(o.x + s)} {_n(o.y - s)}")
        return f'<path{cls} d="{d}" {st}>' + _title(o.tip) + "</path>"
    if isinstance(o, Text):
        classes = " ".join(c for c in (o.cls, "halo" if o.halo else "", "b" if o.bold else "") if c)
        cls = f' class="{classes}"' if classes else ""
        anchor = f' text-anchor="{o.anchor}"' if o.anchor != "start" else ""
        fill = f' fill="{o.colour}"' if o.colour != "#222222" else ""
        return f'<text{cls} x="{_n(o.x)}" y="{_n(o.y)}" font-size="{_n(o.size)}"{anchor}{fill}>{_e(o.s)}</text>'
    if isinstance(o, Line):
        return (f'<line x1="{_n(o.x1)}" y1="{_n(o.y1)}" x2="{_n(o.x2)}" y2="{_n(o.y2)}" stroke="{o.stroke}" '
                f'stroke-width="{_n(o.width)}"{_dash(o.dash)}/>')
    raise TypeError(type(o).__name__)


def _clipped(o) -> bool:
    return isinstance(o, (mapscene.Path, Line)) and o.clip


_CSS = f"""
body {{ margin: 16px; font-family: {FONT_STACK}; color: #222; background: #fff; }}
h1 {{ font-size: 20px; margin: 0 0 4px; }}
p.sub {{ margin: 0 0 8px; color: #555; font-size: 13px; }}
figure {{ margin: 0; }}
svg {{ display: block; max-width: 100%; height: auto; }}
svg text {{ font-family: {FONT_STACK}; fill: #222; }}
svg text.b {{ font-weight: bold; }}
svg text.halo {{ paint-order: stroke; stroke: #ffffff; stroke-width: 3px; stroke-linejoin: round; }}
svg .base:hover, svg .ring:hover {{ stroke-width: 2.5; }}
figcaption {{ max-width: 1280px; font-size: 12.5px; color: #333; line-height: 1.5; }}
figcaption p {{ margin: 6px 0; }}
""".strip()


def render_html(result: dict, lang: str = "en", year: int | None = None) -> str:
    """The map as one self-contained HTML page (see the module docstring)."""
    _check_lang(lang)
    sc = mapscene.build(result, lang, year)
    fx, fy, fw, fh = sc.frame
    clip = [_svg_item(o) for o in sc.items if _clipped(o)]
    free = [_svg_item(o) for o in sc.items if not _clipped(o)]
    svg = "\n".join([
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_n(sc.width)} {_n(sc.height)}" '
        f'width="{_n(sc.width)}" height="{_n(sc.height)}" role="img" aria-label="{_e(sc.title)}">',
        f"<title>{_e(sc.title)}</title>",
        f'<defs><clipPath id="frame"><rect x="{_n(fx)}" y="{_n(fy)}" width="{_n(fw)}" height="{_n(fh)}"/>'
        "</clipPath></defs>",
        '<g clip-path="url(#frame)">', *clip, "</g>", *free, "</svg>"])
    caption = "\n".join(f"<p>{_e(p)}</p>" for p in sc.caption)
    return "\n".join([
        "<!DOCTYPE html>",
        f'<html lang="{lang}">',
        "<head>",
        '<meta charset="utf-8">',
        # nothing on this page may be fetched: inline styles and data: images only
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "style-src 'unsafe-inline'; img-src data:\">",
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{_e(sc.title)}</title>",
        f"<style>\n{_CSS}\n</style>",
        "</head>",
        "<body>",
        f"<h1>{_e(sc.title)}</h1>",
        f'<p class="sub">{_e(sc.subtitle)}</p>',
        "<figure>",
        svg,
        f"<figcaption>\n{caption}\n</figcaption>",
        "</figure>",
        "</body>",
        "</html>",
        "",
    ])


# ------------------------------------------------------------------ PNG

def _ja_font_path() -> str:
    """Path of IPAexGothic in matplotlib-fontja, found without importing the package."""
    import importlib.util

    spec = importlib.util.find_spec("matplotlib_fontja")
    if spec is None or not spec.submodule_search_locations:
        from umbrella.errors import InputError
        raise InputError("lang", "ja", "install the plots extra for Japanese PNG labels: pip install -e '.[plots]'",
                         problem="needs matplotlib-fontja, which is not installed")
    path = Path(list(spec.submodule_search_locations)[0]) / "fonts" / "ipaexg.ttf"
    if not path.is_file():
        raise FileNotFoundError(f"matplotlib-fontja has no bundled font at {path}")
    return str(path)


@functools.lru_cache(maxsize=1)
def _register_ja_font(font_manager) -> str:
    """Add IPAexGothic to matplotlib's font manager once; its family name."""
    font = _ja_font_path()
    font_manager.fontManager.addfont(font)
    return font_manager.FontProperties(fname=font).get_name()


def font_family(lang: str) -> list[str]:
    """matplotlib's font.family for a language: the bundled IPAexGothic first for Japanese."""
    from matplotlib import font_manager
    return [_register_ja_font(font_manager), "DejaVu Sans"] if lang == "ja" else ["DejaVu Sans"]


def render_png(result: dict, path, lang: str = "en", year: int | None = None) -> Path:
    """Write the map as a PNG to `path` (needs the ``plots`` extra). Returns the path."""
    _check_lang(lang)
    try:
        import matplotlib
        from matplotlib.backends.backend_agg import FigureCanvasAgg
        from matplotlib.figure import Figure
    except ImportError as exc:
        from umbrella.errors import InputError
        raise InputError("--out", str(path), "an .html file, or install the plots extra for PNG: "
                         "pip install -e '.[plots]'", problem="needs matplotlib, which is not installed") from exc
    family = font_family(lang)
    sc = mapscene.build(result, lang, year)
    path = Path(path)
    with matplotlib.rc_context({"font.family": family, "lines.scale_dashes": False}):
        _draw_png(sc, path, Figure, FigureCanvasAgg)
    return path


def _wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns; a CJK character takes two columns. Latin text breaks at
    spaces; Japanese, which has none, anywhere (as Japanese typesetting does)."""
    if not any(ord(ch) >= 0x2E80 for ch in text):
        import textwrap
        return textwrap.wrap(text, width=width, break_on_hyphens=False) or [""]
    lines, cur, used = [], "", 0
    for ch in text:
        w = 2 if ord(ch) >= 0x2E80 else 1
        if used + w > width:
            lines.append(cur)
            cur, used = "", 0
        cur += ch
        used += w
    return lines + [cur] if cur else lines


def _draw_png(sc, path: Path, Figure, FigureCanvasAgg) -> None:
    from matplotlib import patheffects
    from matplotlib.patches import Circle, PathPatch, Rectangle
    from matplotlib.path import Path as MPath

    dpi = 100.0
    pt = 72.0 / dpi  # points per pixel: 1 scene px = 1 output px
    chars = 190  # columns of the caption (a CJK character counts two)
    lines = [ln for p in sc.caption for ln in _wrap(p, chars)]
    top, bottom = 64.0, 16.0 * len(lines) + 20.0
    W, H = sc.width, sc.height + top + bottom
    fig = Figure(figsize=(W / dpi, H / dpi), dpi=dpi)
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor("white")
    ax = fig.add_axes((0, bottom / H, 1, sc.height / H))
    ax.set_xlim(0, sc.width)
    ax.set_ylim(sc.height, 0)
    ax.set_axis_off()
    fx, fy, fw, fh = sc.frame
    clip = Rectangle((fx, fy), fw, fh, transform=ax.transData)
    halo = [patheffects.withStroke(linewidth=3 * pt, foreground="white")]

    def dashes(d, w):
        return (0, tuple(v * pt for v in d)) if d else "solid"

    for o in sc.items:
        if isinstance(o, mapscene.Path):
            if o.closed or o.fill:
                verts, codes = [], []
                for p in o.parts:
                    verts.extend(p.tolist() + [p[0].tolist()])
                    codes.extend([MPath.MOVETO] + [MPath.LINETO] * (len(p) - 1) + [MPath.CLOSEPOLY])
                patch = PathPatch(MPath(verts, codes), facecolor=o.fill or "none", edgecolor=o.stroke or "none",
                                  linewidth=o.width * pt, linestyle=dashes(o.dash, o.width))
                ax.add_patch(patch)
                if o.clip:
                    patch.set_clip_path(clip)
            else:
                for p in o.parts:
                    (ln,) = ax.plot(p[:, 0], p[:, 1], color=o.stroke, linewidth=o.width * pt,
                                    linestyle=dashes(o.dash, o.width))
                    if o.clip:
                        ln.set_clip_path(clip)
        elif isinstance(o, Line):
            (ln,) = ax.plot([o.x1, o.x2], [o.y1, o.y2], color=o.stroke, linewidth=o.width * pt,
                            linestyle=dashes(o.dash, o.width))
            if o.clip:
                ln.set_clip_path(clip)
        elif isinstance(o, Mark):
            kw = dict(facecolor=o.fill or "none", edgecolor=o.stroke, linewidth=o.width * pt, zorder=3)
            if o.shape == "circle":
                ax.add_patch(Circle((o.x, o.y), o.size, **kw))
            elif o.shape == "square":
                ax.add_patch(Rectangle((o.x - o.size, o.y - o.size), 2 * o.size, 2 * o.size, **kw))
            else:
                s = o.size
                ax.plot([o.x - s, o.x + s], [o.y - s, o.y + s], color=o.stroke, linewidth=o.width * pt, zorder=3)
                ax.plot([o.x - s, o.x + s], [o.y + s, o.y - s], color=o.stroke, linewidth=o.width * pt, zorder=3)
        elif isinstance(o, Text):
            ha = {"start": "left", "middle": "center", "end": "right"}[o.anchor]
            ax.text(o.x, o.y, o.s, fontsize=o.size * pt, ha=ha, va="baseline", color=o.colour,
                    fontweight="bold" if o.bold and sc.lang != "ja" else "normal",
                    path_effects=halo if o.halo else None, zorder=4)
    # IPAexGothic has no bold face: Japanese titles stay regular rather than warn
    fig.text(16 / W, 1 - 30 / H, sc.title, fontsize=17 * pt, va="baseline",
             fontweight="normal" if sc.lang == "ja" else "bold")
    fig.text(16 / W, 1 - 52 / H, sc.subtitle, fontsize=12.5 * pt, color="#555555", va="baseline")
    for i, ln in enumerate(lines):
        fig.text(16 / W, (bottom - 18 - 16 * i) / H, ln, fontsize=11.5 * pt, color="#333333", va="baseline")
    fig.savefig(path, format="png", dpi=dpi, metadata={"Software": None})


def png_size(path) -> tuple[int, int]:
    """(width, height) of a PNG from its IHDR chunk (tests; no imaging library needed)."""
    data = Path(path).read_bytes()[:24]
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


__all__ = ["render_html", "render_png", "FONT_STACK", "png_size"]
