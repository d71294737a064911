"""The briefing an analyst hands to a decision-maker: one scenario's question, headline outcomes
with intervals, key figures, the exposure map, why (the explain attribution), what holds in every
world, assumptions and sources, and the manifest to reproduce it; in English or Japanese; HTML
(self-contained: figures inlined, no external request) and PDF (WeasyPrint, the Japanese font
embedded).

`build(...)` runs the models and returns the report's context (plain data and the figures);
`render_html(ctx)` fills the Jinja2 template; `write(ctx, out_dir, formats)` writes
`report-<scenario>-<lang>.html|pdf` under temporary names, renamed when complete.
"""

from __future__ import annotations

import datetime as dt
import os
import shlex
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from umbrella.errors import InputError
from umbrella.interfaces import i18n
from umbrella.interfaces.briefing import figures as F
from umbrella.results.intervals import rare, share_interval

FORMATS = ("html", "pdf")
ALLIES = ("KOR", "JPN", "TWN")
EXPLAIN_RUNS = 1000    # the attribution re-runs the scenario once per driver (8): a tenth of a 10,000-run report
# the worlds table: a share is "robust" when every world's estimate lies within this many points
# of the others (and a median within this relative spread); otherwise it depends on the theory
ROBUST_SHARE_SPREAD = 0.10
ROBUST_MEDIAN_SPREAD = 0.20

SOURCE_TABLES = ("nuclear_warhead_stockpiles_1945_2025", "nuclear_forces_sipri_2023_2025", "sipri_milex_2005_2024",
                 "missile_classes", "bases_and_reference_points", "us_troops_abroad_selected_1950_2024",
                 "support_polls", "credibility_polls", "proliferation_status_country_year_bleek_owid",
                 "breakout_estimates", "nuclear_latency_nl_v1.2_country_summary", "npt_status",
                 "china_warheads_estimates_projections")


def _check_formats(formats: Sequence[str]) -> tuple[str, ...]:
    out = []
    for f in formats:
        if f not in FORMATS:
            raise InputError("--format", f, "html, pdf or both")
        out.append(f)
    return tuple(dict.fromkeys(out))


def parse_format(spec: str) -> tuple[str, ...]:
    return FORMATS if spec == "both" else _check_formats([spec])


def _source_line(table: str, limit: int = 180) -> str:
    """The first sentence of a bundled table's first comment line (its source), shortened."""
    from umbrella.data import load
    path = Path(load.TABLES_DIR) / f"{table}.csv"
    try:
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("#"):
                    text = line.lstrip("# ").strip()
                    first = text.split(". ")[0].rstrip(".") + "."
                    return first if len(first) <= limit else first[: limit - 1].rstrip() + "…"
    except OSError:
        pass
    return ""


def headline_rows(summary: dict, lang: str) -> list[dict]:
    """The headline outcomes (analysis.headlines) as rows: label, estimate, interval, rare flag."""
    from umbrella.analysis.headlines import headlines
    runs = int(summary["runs"])
    rows = []
    for name, v in headlines(summary).items():
        p = name.split(".")
        if len(p) == 3 and p[1] == "explore":
            continue       # a briefing's table: programmes and arsenals, not explorations
        if p[0] in ("warheads", "credibility"):
            block = summary["warheads"][p[1]] if p[0] == "warheads" else \
                (summary["credibility_other"] if "->" in p[1] else summary["credibility"])[p[1]]
            lo, hi = block["p10"].get(p[2]), block["p90"].get(p[2])
            digits = 0 if p[0] == "warheads" else 2
            rows.append({"name": name, "label": i18n.headline_label(name, lang), "value": i18n.num(v, lang, digits),
                         "interval": f"{i18n.num(lo, lang, digits)} – {i18n.num(hi, lang, digits)}", "rare": False})
        elif p[0] == "ttw":
            if v is None:
                continue
            rows.append({"name": name, "label": i18n.headline_label(name, lang), "value": i18n.num(v, lang, 0),
                         "interval": "", "rare": False})
        else:
            iv = share_interval(v, runs)
            d = 2 if iv is not None and iv[1] < 0.01 else 1     # small shares: a second decimal
            interval = "" if iv is None else f"{i18n.pct(iv[0], lang, d)} – {i18n.pct(iv[1], lang, d)}"
            rows.append({"name": name, "label": i18n.headline_label(name, lang), "value": i18n.pct(v, lang, d),
                         "interval": interval, "rare": rare(v, runs)})
    return rows


def _main_outcome(summary: dict) -> tuple[str, str] | None:
    """The ally and level the attribution explains: the highest level that a US ally (KOR, JPN,
    TWN, in that order) reaches by the horizon in at least 5 % of the runs without holding it at
    the start."""
    y0, y1 = str(summary["start_year"]), str(summary["horizon"])
    for lvl in ("arsenal", "pursue", "explore"):
        for a in ALLIES:
            s = summary["status"].get(a, {}).get(lvl, {})
            if s and (s.get(y0) or 0) == 0 and (s.get(y1) or 0) >= 0.05:
                return a, lvl
    return None


def _why(sc, world, summary: dict, lang: str) -> dict | None:
    from umbrella.analysis.explain import explain
    main = _main_outcome(summary)
    if main is None:
        return None
    actor, level = main
    try:
        ex = explain(sc, actor, level, runs=min(EXPLAIN_RUNS, int(summary["runs"])), world=world)
    except InputError:
        return None
    label = i18n.headline_label(f"{actor}.{level}.{summary['horizon']}", lang)
    drivers = sorted((d for d in ex["drivers"] if d["in_scenario"] and d["share_attributable"] > 0),
                     key=lambda d: -d["share_attributable"])
    return {"outcome": label, "p": i18n.pct(ex["p_event"], lang), "runs": i18n.num(ex["runs"], lang),
            "drivers": [{"label": i18n.t(f"driver.{d['driver']}", lang),
                         "share": i18n.pct(d["share_attributable"], lang)} for d in drivers]}


def _levers(sc, lang: str) -> list[dict]:
    out = []
    for name, v in sc.levers.model_dump(exclude_none=True).items():
        if v in ({}, []):
            continue
        out.append({"label": i18n.t(f"lever.{name}", lang), "code": name, "value": _value(v, lang)})
    return out


def _value(v, lang: str = "en") -> str:
    if isinstance(v, dict):
        return ", ".join(f"{k}: {_value(x, lang)}" for k, x in v.items())
    if isinstance(v, list):
        return ", ".join(_value(x, lang) for x in v)
    if isinstance(v, bool):
        return i18n.t("rep.yes" if v else "rep.no", lang)
    return str(v)


def world_summaries(sc, ids: list[str], batch_size: int = 10_000) -> dict[str, dict]:
    """The scenario's JSON summary in each world `ids` (same runs and seed)."""
    from umbrella.results.stream import summarise_run
    from umbrella.scenario import load_world
    per = {}
    for wid in ids:
        w = load_world(wid)
        per[wid] = summarise_run(sc.model_copy(update={"world": w.id}), w, batch_size=batch_size)
    return per


def _worlds(sc, ids: list[str], lang: str, batch_size: int) -> tuple[dict, dict]:
    """Per-world summaries of the scenario and the table of what holds in every world."""
    from umbrella.analysis.headlines import headlines
    per = world_summaries(sc, ids, batch_size)
    heads = {w: headlines(s) for w, s in per.items()}
    # a briefing's rows: programmes, arsenals, warheads, credibility in 2035 and later, crises
    names = [n for n in next(iter(heads.values()))
             if not n.startswith("ttw.") and ".explore." not in n and not n.endswith(".2030")]
    rows = []
    for n in names:
        vals = [heads[w].get(n) for w in ids]
        if any(v is None for v in vals):
            continue
        median = n.startswith(("warheads.", "credibility."))
        lo, hi = min(vals), max(vals)
        if median:
            robust = (hi - lo) <= ROBUST_MEDIAN_SPREAD * max(abs(hi), 1e-9)
            digits = 0 if n.startswith("warheads.") else 2
            cells = [i18n.num(v, lang, digits) for v in vals]
        else:
            robust = (hi - lo) <= ROBUST_SHARE_SPREAD
            cells = [i18n.pct(v, lang) for v in vals]
        rows.append({"label": i18n.headline_label(n, lang), "cells": cells, "robust": robust,
                     "verdict": i18n.t("rep.worlds.robust" if robust else "rep.worlds.depends", lang)})
    return per, {"ids": ids, "rows": rows}


def _store_section(store: str, lang: str) -> dict:
    """The exploration store's results: the sensitivity of the first scalar outcome (Sobol or
    Morris designs) and the policies' ranking (more than one policy), each a table and a figure."""
    from umbrella.explore import analyses as A
    from umbrella.explore.store import Store
    from umbrella.interfaces import explore_figures as XF
    st = Store(store)
    m = st.manifest()          # a directory without a manifest is refused here (InputError)
    method = m["sampler"]["method"]
    out: dict = {"text": i18n.t("rep.store.text", lang, store=Path(store).name, experiments=i18n.num(m["points"] * len(
        m["policies"]), lang), runs=i18n.num(m["runs"], lang), method=method), "sens": None, "rank": None}
    scalar = [o["name"] for o in m["outcomes"] if not o["series"]]
    with tempfile.TemporaryDirectory() as d:
        if method in ("sobol", "morris") and scalar:
            df = (A.sobol if method == "sobol" else A.morris)(store, [scalar[0]], None)
            key = "ST" if method == "sobol" else "mu_star"
            top = df.sort_values(key, ascending=False).head(10)
            png = Path(d) / "sens.png"
            (XF.sobol_bars if method == "sobol" else XF.morris_plot)(df, scalar[0], png, lang=lang)
            out["sens"] = {"title": i18n.t("rep.store.sens", lang, outcome=scalar[0]), "key": key,
                           "rows": [{"parameter": r["parameter"], "value": i18n.num(float(r[key]), lang, 2)}
                                    for _, r in top.iterrows()],
                           "image": F.data_uri(png.read_bytes())}
        if len(m["policies"]) > 1:
            r = A.robustness(store)
            png = Path(d) / "rank.png"
            XF.policy_ranking(r.ranking, png, lang=lang)
            out["rank"] = {"rows": [{"policy": row["policy"], "share": i18n.pct(float(row["share"]), lang)}
                                    for _, row in r.ranking.iterrows()],
                           "image": F.data_uri(png.read_bytes())}
    return out


def _manifest(sc, summary: dict, argv: Sequence[str] | None) -> dict:
    import umbrella
    from umbrella.data import load
    from umbrella.data.digest import files_digest
    tables = Path(load.TABLES_DIR)
    return {"scenario": sc.id, "world": summary["world"], "seed": summary["seed"], "runs": summary["runs"],
            "years": f"{summary['start_year']}–{summary['horizon']}",
            "code": getattr(umbrella, "__version__", "?"),
            "data": files_digest(tables.glob("*.csv"), tables)[:16],
            "command": " ".join(shlex.quote(a) for a in (argv or ["umbrella", "report", sc.id]))}


def build(scenario: str, *, lang: str = "en", compare: str | None = None, worlds: str | None = None,
          store: str | None = None,
          world: str | None = None, runs: int | None = None, seed: int | None = None,
          overrides: Sequence[str] = (), batch_size: int = 10_000, argv: Sequence[str] | None = None,
          progress: Callable[[str], None] | None = None) -> dict:
    """Run what the report needs and return its context (see the module docstring)."""
    from umbrella.results.stream import summarise_run
    from umbrella.scenario import load_scenario, load_world

    i18n.check_lang(lang)
    say = progress or (lambda _m: None)
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    sc = load_scenario(scenario, overrides=list(overrides),
                       fields={"world": world, "runs": runs, "seed": seed})
    if sc.mode == "historical":
        raise InputError("scenario", sc.id, "a forward scenario (preset or file)",
                         problem="runs in historical mode, which the report does not support")
    world_ids = None
    if worlds is not None:
        from umbrella.interfaces.cli import world_ids as _ids
        world_ids = _ids(worlds)
    if compare is not None:
        load_scenario(compare)      # a bad --compare fails before anything runs
    if store is not None:
        from umbrella.explore.store import Store
        Store(store).manifest()     # and a directory that is not a store
    w = load_world(sc.world)
    say(f"running {sc.id} ({sc.runs:,} runs)")
    summary = summarise_run(sc, w, batch_size=batch_size)
    timings["run"] = time.perf_counter() - t0

    t = time.perf_counter()
    figs = []
    for a in ALLIES:
        if a in summary["status"]:
            figs.append(F.status(summary, a, lang))
    figs.append(F.credibility(summary, lang))
    figs.append(F.warheads(summary, lang))
    if summary.get("war"):
        figs.append(F.crises(summary, lang))
    if any(sum(c) for c in summary.get("crisis_rungs", {}).values()):
        figs.append(F.rungs(summary, lang))
    if summary.get("cascade", {}).get("actors"):
        figs.append(F.cascade(summary, lang))
    images = [F.data_uri(f) for f in figs]
    timings["figures"] = time.perf_counter() - t

    t = time.perf_counter()
    say("drawing the exposure map")
    map_png = _map(sc, lang)
    timings["map"] = time.perf_counter() - t

    t = time.perf_counter()
    say("attributing the main outcome (explain)")
    why = _why(sc, w, summary, lang)
    timings["why"] = time.perf_counter() - t

    cmp = None
    if compare is not None:
        t = time.perf_counter()
        from umbrella.analysis.compare import compare as run_compare
        from umbrella.analysis.compare import outcomes
        say(f"comparing with {compare}")
        res = run_compare(compare, sc, runs=sc.runs, seed=sc.seed, world=None if world_ids else sc.world,
                          worlds=",".join(world_ids) if world_ids else None, batch_size=batch_size)
        one = res if "diff" in res else {**res, "diff": next(iter(res["worlds"].values()))["diff"]}
        cells = dict(outcomes(one["diff"]))
        rows = []
        for n in F.compare_names(one["diff"]):
            c = cells.get(n)
            if c is None or c["mean"] is None:
                continue
            rows.append({"label": F.compare_label(n, lang), "diff": _pp(c["mean"], lang),
                         "interval": f"{_pp(c['lo'], lang)} – {_pp(c['hi'], lang)}",
                         "robust": (n in res.get("robust", [])) if world_ids else None})
        cmp = {"other": compare, "rows": rows, "runs": i18n.num(res["runs"], lang),
               "image": F.data_uri(F.compare(one, lang))}
        timings["compare"] = time.perf_counter() - t

    wd = None
    if world_ids:
        t = time.perf_counter()
        say(f"running {sc.id} in {len(world_ids)} worlds")
        per, wd = _worlds(sc, world_ids, lang, batch_size)
        main = _main_outcome(summary)
        name = f"{main[0]}.{main[1]}.{summary['horizon']}" if main else f"nuclear_use.any.{summary['horizon']}"
        wd["image"] = F.data_uri(F.worlds(per, name, lang))
        timings["worlds"] = time.perf_counter() - t

    xs = None
    if store is not None:
        t = time.perf_counter()
        say(f"reading the exploration store {store}")
        xs = _store_section(store, lang)
        timings["store"] = time.perf_counter() - t

    sources = [{"table": tb, "source": _source_line(tb)} for tb in SOURCE_TABLES]
    shocks = [{"year": s.get("year"), "type": i18n.t(f"shock.{s.get('type')}", lang),
               # the scenario's free-text notes are English: left out of the Japanese report
               "detail": _value({k: v for k, v in s.items() if k not in ("year", "type") and v is not None
                                 and not (k == "note" and lang != "en")}, lang)}
              for s in (sc.model_dump().get("shocks") or [])]
    import umbrella
    return {
        "lang": lang, "scenario": sc.id, "title": (sc.title_ja if lang == "ja" else sc.title) or sc.title or sc.id,
        "description": (sc.description or "").strip() if lang == "en" else "",
        "summary": summary, "runs_fmt": i18n.num(summary["runs"], lang), "headline": headline_rows(summary, lang),
        "images": images, "map": map_png,
        "why": why, "compare": cmp, "worlds": wd, "store": xs, "levers": _levers(sc, lang), "shocks": shocks,
        "sources": sources, "manifest": _manifest(sc, summary, argv),
        "date": i18n.date(dt.date.today(), lang), "version": getattr(umbrella, "__version__", "?"),
        "timings": timings,
    }


def _pp(x: float | None, lang: str) -> str:
    if x is None:
        return "–"
    return f"{x * 100:+.1f} pp" if lang == "en" else f"{x * 100:+.1f}ポイント"


def _map(sc, lang: str) -> str:
    """The exposure map of the start year as an inline PNG (in the disk cache: it depends on
    the year, the language and the bundled data only)."""
    from umbrella.data import diskcache, load
    year = int(sc.start_year)
    png = diskcache.memo("report-map", (year, lang, "v1"), str(Path(load.TABLES_DIR).resolve()),
                         lambda: _map_png(year, lang))
    return F.data_uri(png)


def _map_png(year: int, lang: str) -> bytes:
    from umbrella.geo import exposure
    from umbrella.interfaces.maps import render
    result = dict(exposure.compute(year=year))
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "map.png"
        render.render_png(result, p, lang)
        return p.read_bytes()


def _env():
    try:
        import jinja2
    except ImportError as exc:
        raise InputError("report", "jinja2", "install the report extra: pip install -e '.[report]'",
                         problem="is not installed") from exc
    return jinja2.Environment(loader=jinja2.PackageLoader("umbrella.interfaces.briefing", "templates"),
                              autoescape=jinja2.select_autoescape(["html", "j2"]), undefined=jinja2.StrictUndefined)


def render_html(ctx: dict, pdf: bool = False) -> str:
    """The report's HTML. `pdf`: the print variant (the bundled Japanese font named by file for
    WeasyPrint, which embeds it)."""
    lang = ctx["lang"]
    font = None
    if pdf:
        from umbrella.interfaces.maps.render import _ja_font_path
        font = Path(_ja_font_path()).as_uri()
    return _env().get_template("report.html.j2").render(
        c=ctx, t=lambda key, **kw: i18n.t(key, lang, **kw), font_uri=font, pdf=pdf)


def write_pdf(html: str, path: Path) -> None:
    try:
        import weasyprint
    except (ImportError, OSError) as exc:
        raise InputError("--format", "pdf", "html, or install the report extra and Pango (Debian: libpango-1.0-0 "
                         "libpangoft2-1.0-0): pip install -e '.[report]'",
                         problem=f"needs WeasyPrint, which cannot load ({exc})") from exc

    from weasyprint.urls import URLFetcher
    # data: (the figures) and file: (the bundled font) only: the report makes no network request
    fetcher = URLFetcher(allowed_protocols={"data", "file"}, fail_on_errors=True)
    weasyprint.HTML(string=html, url_fetcher=fetcher).write_pdf(str(path))


def target(out_dir: str | Path, scenario_id: str, lang: str) -> Path:
    """The report's path without its suffix: `out_dir/report-<scenario>-<lang>` (its lock is
    `.report-<scenario>-<lang>.lock` beside it)."""
    return Path(out_dir) / f"report-{scenario_id}-{lang}"


@contextmanager
def writing(out_dir: str | Path, scenario_id: str, lang: str) -> Iterator[Path]:
    """Hold the lock of one report target while it is built and written: a second `umbrella
    report` of the same scenario and language into the same directory is refused (InputError
    naming the target and the holder's pid); temporary files left by a killed report are removed."""
    from umbrella.results import atomic
    t = target(out_dir, scenario_id, lang)
    created = not Path(out_dir).exists()
    try:
        Path(out_dir).mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise atomic.os_error("--out", out_dir, exc, "creating the directory") from None
    with atomic.lock(t, "--out"):
        for fmt in FORMATS:
            for p in atomic.stale(t.with_name(f"{t.name}.{fmt}")):
                atomic.discard(p)
        try:
            yield t
        except BaseException:
            if created:      # a failed first report leaves no directory behind (the lock still held)
                atomic.discard(atomic.lock_path(t))
                try:
                    Path(out_dir).rmdir()
                except OSError:
                    pass
            raise


def write(ctx: dict, out_dir: str | Path, formats: Sequence[str] = ("html",)) -> list[Path]:
    """Write the report in each format to `out_dir`; each file appears complete or not at all:
    every format is rendered to a temporary name first (fsynced), then all are renamed, so an
    HTML and a PDF of one report are never from two different runs unless a kill falls between
    two renames. A full disk or an unwritable directory is an InputError naming the path."""
    from umbrella.results import atomic
    formats = _check_formats(formats)
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError("--out", str(out), "a directory that can be created and written",
                         problem=f"cannot be created ({exc.strerror})") from None
    t = target(out, ctx["scenario"], ctx["lang"])
    done: list[tuple[Path, Path]] = []
    try:
        for fmt in formats:
            path = t.with_name(f"{t.name}.{fmt}")
            tmp = atomic.tmp_name(path)
            done.append((tmp, path))
            try:
                if fmt == "html":
                    tmp.write_text(render_html(ctx), encoding="utf-8")
                else:
                    write_pdf(render_html(ctx, pdf=True), tmp)
                os.chmod(tmp, 0o644)
                atomic.fsync_file(tmp)
            except OSError as exc:
                raise atomic.os_error("--out", path, exc) from None
        for tmp, path in done:
            try:
                os.replace(tmp, path)
            except OSError as exc:
                raise atomic.os_error("--out", path, exc, "renaming it into place") from None
        atomic.fsync_dir(out)
    finally:
        for tmp, _ in done:
            atomic.discard(tmp)
    return [path for _, path in done]
