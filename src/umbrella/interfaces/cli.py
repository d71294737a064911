"""The `umbrella` command line. Bad input exits with status 2 and one message, no traceback."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer
from rich.console import Console
from rich.table import Table

from umbrella.errors import InputError
from umbrella.interfaces.briefing import commands as _briefing
from umbrella.interfaces.console import err, out
from umbrella.interfaces.console import guard as _guard
from umbrella.interfaces.explore_cli import app as _explore_app

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Umbrella: US extended deterrence, allied hedging and proliferation cascades.")
app.add_typer(_explore_app, name="explore")
app.command("plot")(_briefing.plot)
app.command("report")(_briefing.report)
app.command("dashboard")(_briefing.dashboard)


def _write_json(obj, json_path: str | None, **dumps) -> bool:
    """Write `obj` as JSON to PATH, or to stdout for '-'; True when it went to stdout (the
    command then prints nothing else, so the output stays parseable)."""
    if json_path is None:
        return False
    text = json.dumps(obj, **dumps)
    if json_path == "-":
        sys.stdout.write(text + "\n")
        return True
    from umbrella.results.atomic import write_text
    write_text(json_path, text, "--json")    # whole or not at all; an unwritable path exits 2
    return False


@app.command()
@_guard
def run(
    scenario: str = typer.Argument(..., help="preset id or path to a scenario YAML"),
    world: Optional[str] = typer.Option(None, "--world", help="world (parameter set) id or YAML path"),
    worlds_: Optional[str] = typer.Option(None, "--worlds", help="'all' or a comma-separated list: run in each world"),
    runs: Optional[int] = typer.Option(None, "--runs", help="number of runs (default 10,000)"),
    seed: Optional[int] = typer.Option(None, "--seed"),
    batch_size: int = typer.Option(10_000, "--batch-size", help="runs per batch (memory only; results do not change)"),
    start_year: Optional[int] = typer.Option(None, "--start-year"),
    horizon: Optional[int] = typer.Option(None, "--horizon", help="last simulated year"),
    set_: list[str] = typer.Option([], "--set", help="override a scenario field: PATH=VALUE"),
    json_path: Optional[str] = typer.Option(None, "--json", help="write the JSON summary to PATH, or - for stdout"),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="save results, events and manifest to DIR"),
    lang: str = typer.Option("en", "--lang", help="language of the printed tables: en or ja"),
):
    """Run a scenario ensemble and print the headline outcomes with intervals."""
    from umbrella.scenario import load_scenario, load_world

    if batch_size < 1:
        raise InputError("--batch-size", batch_size, "an integer >= 1")
    from umbrella.interfaces.i18n import check_lang
    check_lang(lang)
    if worlds_ is not None:
        if world is not None or out_dir is not None:
            raise InputError("--worlds", worlds_, "--worlds without --world or --out")
        return _run_worlds(scenario, worlds_, runs, seed, start_year, horizon, set_, json_path, batch_size)
    dropped: list = []
    sc = load_scenario(scenario, overrides=set_, fields={
        "world": world, "runs": runs, "seed": seed, "start_year": start_year, "horizon": horizon},
        dropped=dropped)
    for sh in dropped:
        err.print(f"note: shock {sh.get('type')} in {sh.get('year')} lies outside the run "
                  f"({sc.start_year}-{sc.horizon}) and is left out", highlight=False)
    w = load_world(sc.world)
    if sc.mode == "historical":
        return _run_historical(sc, w, json_path)
    import umbrella.engine as engine
    if engine.CACHE_REBUILT:
        err.print("note: compiling the engine's kernels (first run after installing or changing the "
                  "engine; about 1-2 minutes, then cached)", highlight=False)
    quiet = json_path == "-"
    show_bar = not quiet and sc.runs > batch_size and err.is_terminal
    from umbrella.results.stream import summarise_run

    def compute(progress=None):
        if out_dir is None:   # the summary streams: memory is one batch, not the runs
            return summarise_run(sc, w, batch_size=batch_size, progress=progress)
        from umbrella.results import store  # xarray: only for --out (cold start)
        # DIR's lock held: space checked, run, saved whole (docs/reliability.md, "Faults")
        return store.run_to_dir(sc, w, out_dir, batch_size, progress=progress,
                                say=lambda m: err.print(m, highlight=False))

    if show_bar:
        from rich.progress import Progress
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task(f"{sc.id}", total=sc.runs)
            summary = compute(lambda n: bar.advance(task, n))
    else:
        summary = compute()
    if _write_json(summary, json_path, ensure_ascii=False):
        return
    _print_summary(summary, lang)


def world_ids(spec: str) -> list[str]:
    """'all' -> every bundled world; else the comma-separated ids, each a bundled world."""
    from umbrella.analysis.checks import parse_worlds
    from umbrella.scenario.load import list_worlds
    ids, known = parse_worlds(None, spec), list_worlds()
    if any(i not in known for i in ids):
        raise InputError("--worlds", spec, "'all' or a comma-separated list of " + ", ".join(known))
    return ids


def _run_worlds(scenario, spec, runs, seed, start_year, horizon, set_, json_path, batch_size) -> None:
    """One scenario in several worlds, same seed: {"scenario", "worlds": {W: summary}}."""
    from umbrella.results.stream import summarise_run
    from umbrella.scenario import load_scenario, load_world

    summaries = {}
    for wid in world_ids(spec):
        sc = load_scenario(scenario, overrides=set_, fields={
            "world": wid, "runs": runs, "seed": seed, "start_year": start_year, "horizon": horizon})
        if sc.mode == "historical":
            raise InputError("--worlds", spec, "a forward-looking preset (historical mode has one world)")
        summaries[wid] = summarise_run(sc, load_world(wid), batch_size=batch_size)
    first = next(iter(summaries.values()))
    obj = {"scenario": first["scenario"], "runs": first["runs"], "seed": first["seed"], "worlds": summaries}
    if _write_json(obj, json_path, ensure_ascii=False):
        return
    last = str(first["horizon"])
    marks = [y for y in ("2030", "2040", last) if y in first["npt"]["collapse"]]
    t = Table(title=f"{first['scenario']} in {len(summaries)} worlds | {first['runs']:,} runs | seed {first['seed']}",
              caption="share of runs by the year; credibility: median")
    t.add_column("outcome")
    for wid in summaries:
        t.add_column(wid, justify="right")
    rows = [(f"{a} pursue by {y}", lambda s, a=a, y=y: f"{s['status'][a]['pursue'][y]:.1%}")
            for a in ("KOR", "JPN") for y in marks if a in first["status"]]
    rows += [(f"NPT collapsed by {y}", lambda s, y=y: f"{s['npt']['collapse'][y]:.1%}") for y in marks]
    rows += [(f"credibility {c} {y}", lambda s, c=c, y=y: f"{s['credibility'][c]['p50'][y]:.2f}")
             for c in ("KOR", "JPN") for y in marks if c in first["credibility"]]
    rows += [(f"nuclear use by {y}", lambda s, y=y: f"{s['nuclear_use']['any'][y]:.2%}") for y in marks]
    for name, f in rows:
        t.add_row(name, *[f(s) for s in summaries.values()])
    out.print(t)


def _run_historical(sc, w, json_path) -> None:
    """`umbrella run historical`: the backbone over the panel's states (calibrate.historical)."""
    from umbrella.calibrate import historical
    from umbrella.scenario.schema import Levers

    if sc.horizon > historical.LAST:
        raise InputError("--horizon", sc.horizon, f"{historical.LAST} or earlier (the historical panel ends there)")
    if sc.levers != Levers() or sc.shocks:
        raise InputError("historical", "levers/shocks", "none: historical mode takes the record as exogenous paths",
                         problem="sets levers or shocks")
    err.print(f"note: historical mode, {sc.runs:,} runs, states of the panel {sc.start_year}-{sc.horizon}",
              highlight=False)
    h = historical.run(sc.start_year, sc.horizon, runs=sc.runs, seed=sc.seed, world=w)
    summary = historical.summarise(h, sc)
    if _write_json(summary, json_path, ensure_ascii=False):
        return
    t = Table(title=f"historical | {sc.start_year}-{sc.horizon} | {sc.runs:,} runs | seed {sc.seed}",
              caption="states at least at the level: simulated median and 10-90 % range, then the record")
    t.add_column("level", justify="left", no_wrap=True)
    for y in summary["report_years"]:
        t.add_column(str(y), justify="right", no_wrap=True)
    for level, v in summary["counts"].items():
        t.add_row(level, *[f"{v[str(y)]['median']:.0f} [{v[str(y)]['p10']:.0f}-{v[str(y)]['p90']:.0f}]"
                           for y in summary["report_years"]])
        t.add_row("  record", *[str(v[str(y)]["observed"]) for y in summary["report_years"]])
    out.print(t)
    t = Table(title=f"Most likely to start pursuing by {sc.horizon} (states not pursuing in {sc.start_year - 1})")
    for col in ("state", "P(pursue)", "P(arsenal)", "record"):
        t.add_column(col, justify="left" if col in ("state", "record") else "right")
    for st in summary["top_states"]:
        t.add_row(st["state"], f"{st['p_pursue']:.1%}", f"{st['p_arsenal']:.1%}", st["record"])
    out.print(t)
    out.print(f"P(15 or more nuclear-armed states by {sc.horizon}) = {summary['p_armed_ge15']:.1%}", highlight=False)


def _print_summary(s: dict, lang: str = "en") -> None:
    from umbrella.interfaces.summary_table import tables
    for t in tables(s, lang):
        out.print(t)


@app.command()
@_guard
def validate(
    file: str = typer.Argument(..., help="preset id or path to a scenario YAML"),
    set_: list[str] = typer.Option([], "--set", help="override a scenario field: PATH=VALUE"),
    world: Optional[str] = typer.Option(None, "--world", help="world id or YAML path"),
    runs: Optional[int] = typer.Option(None, "--runs"),
    start_year: Optional[int] = typer.Option(None, "--start-year"),
    horizon: Optional[int] = typer.Option(None, "--horizon"),
):
    """Check a scenario file (each file of its `extends` chain, then each override, then the
    merged scenario) and the world it names, and build it as `run` would, without running it."""
    from umbrella.engine.run import preflight
    from umbrella.scenario import load_world, validate_file
    sc = validate_file(file, overrides=set_, fields={
        "world": world, "runs": runs, "start_year": start_year, "horizon": horizon})
    preflight(sc, load_world(sc.world))
    out.print(f"ok: {sc.id} ({sc.start_year}-{sc.horizon}, {sc.runs:,} runs, world {sc.world}, "
              f"{len(sc.shocks)} shocks)")


@app.command()
@_guard
def data(actor: str = typer.Argument(..., help="ISO 3166 alpha-3 code, e.g. KOR"),
         year: int = typer.Option(2025, "--year"),
         lang: str = typer.Option("en", "--lang", help="en or ja")):
    """Print what the model knows about an actor, with sources."""
    from umbrella.data.profile import actor_profile, format_profile
    if lang not in ("en", "ja"):
        raise InputError("--lang", lang, "en, ja")
    out.print(format_profile(actor_profile(actor.upper(), year), lang=lang), highlight=False, markup=False)


@app.command()
@_guard
def calibrate(
    json_path: Optional[str] = typer.Option(None, "--json", help="write the results to PATH, or - for stdout"),
    write: bool = typer.Option(False, "--write", help="rewrite the shipped backbone tables from the panel"),
):
    """Re-estimate the published proliferation models from the bundled replication data, compare
    them with the published tables (Jo & Gartzke 2007 Model 1; the onset re-analysis), and fit
    the engine's proliferation backbone on the historical panel (--write ships it)."""
    from umbrella.calibrate import backbone, jg, onsets

    bb = backbone.fit(backbone.history_panel())
    if write:
        for path in backbone.write(bb):
            err.print(f"wrote {path}", highlight=False)

    c = jg.compare()
    ons = onsets.compare()
    result = {
        "jg_model1": {t: {"published": v["published"], "estimated": round(v["estimated"], 6),
                          "se_published": v["se_published"], "se_estimated": round(v["se_estimated"], 6)}
                      for t, v in c.table.items()},
        "jg_pseudo_r2": round(c.pseudo_r2[1], 6), "jg_pseudo_r2_published": c.pseudo_r2[0],
        "jg_loglik": round(c.loglik[1], 4), "jg_loglik_published": c.loglik[0], "jg_n": c.fit.n,
        "onset_models": {st: {k: v for k, v in o.items() if k != "model"} for st, o in ons.items()},
        "onset_rates_observed": {st: o["crude_rate"]["estimated"] for st, o in ons.items()},
        "backbone": {tr: {"events": bb.events[tr], "at_risk": bb.at_risk[tr],
                          "coef": {n: float(c) for n, c in zip(f.names, f.coef, strict=True)},
                          "se": {n: float(s) for n, s in zip(f.names, f.se, strict=True)}}
                     for tr, f in bb.fits.items()},
        "backbone_years": list(bb.years),
    }
    if _write_json(result, json_path):
        return
    t = Table(title=f"Jo & Gartzke (2007) Model 1, re-estimated (N = {c.fit.n:,})")
    for col in ("term", "published", "(SE)", "estimated", "(SE)", "difference / published SE"):
        t.add_column(col, justify="left" if col == "term" else "right")
    for term, v in c.table.items():
        t.add_row(term, f"{v['published']:.4f}", f"{v['se_published']:.3f}", f"{v['estimated']:.4f}",
                  f"{v['se_estimated']:.3f}", f"{v['z']:+.2f}")
    t.add_row("log L", f"{c.loglik[0]:.2f}", "", f"{c.loglik[1]:.2f}", "", "")
    t.add_row("pseudo-R2", f"{c.pseudo_r2[0]:.3f}", "", f"{c.pseudo_r2[1]:.3f}", "", "")
    out.print(t)
    out.print("Count1 is rebuilt as the lag-based non-programme-years counter (docs/calibration.md).",
              highlight=False)
    t = Table(title="Onset hazards, Bleek codings x Jo & Gartzke covariates, 1939-92 (logit, odds ratios)")
    for col in ("", "explore: reference", "estimated", "pursue: reference", "estimated"):
        t.add_column(col, justify="left" if not col else "right")
    e, p = ons["explore"], ons["pursue"]
    t.add_row("events / at risk", f"{e['events']['reference']:.0f} / {e['at_risk']['reference']:.0f}",
              f"{e['events']['estimated']} / {e['at_risk']['estimated']}",
              f"{p['events']['reference']:.0f} / {p['at_risk']['reference']:.0f}",
              f"{p['events']['estimated']} / {p['at_risk']['estimated']}")
    t.add_row("crude annual rate", f"{e['crude_rate']['reference']:.2%}", f"{e['crude_rate']['estimated']:.2%}",
              f"{p['crude_rate']['reference']:.2%}", f"{p['crude_rate']['estimated']:.2%}")
    for term in onsets.REPORTED:
        a, b = e["odds_ratios"][term], p["odds_ratios"][term]
        t.add_row(term, f"{a['reference']:.2f}", f"{a['estimated']:.2f} (p {a['p_value']:.2f})",
                  f"{b['reference']:.2f}", f"{b['estimated']:.2f} (p {b['p_value']:.2f})")
    t.add_row("in-sample AUC", f"{e['auc']['reference']:.2f}", f"{e['auc']['estimated']:.2f}",
              f"{p['auc']['reference']:.2f}", f"{p['auc']['estimated']:.2f}")
    out.print(t)
    t = Table(title=f"Backbone: cloglog hazards on the historical panel {bb.years[0]}-{bb.years[1]} (coefficient, SE)")
    t.add_column("term")
    for tr in bb.fits:
        t.add_column(f"{tr}\n{bb.events[tr]} / {bb.at_risk[tr]:,}", justify="right")
    terms = list(dict.fromkeys(n for f in bb.fits.values() for n in f.names))
    for term in terms:
        cells = []
        for f in bb.fits.values():
            d = f.as_dict()
            cells.append(f"{d[term][0]:+.2f} ({d[term][1]:.2f})" if term in d else "")
        t.add_row(term, *cells)
    out.print(t)
    out.print("Shipped in data/tables/backbone.csv; the engine draws each run's coefficients from their covariance.",
              highlight=False)


@app.command()
@_guard
def backtest(
    json_path: Optional[str] = typer.Option(None, "--json", help="write the results to PATH, or - for stdout"),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="write the reliability plot (PNG) and the JSON to DIR"),
    runs: int = typer.Option(500, "--runs", help="simulated histories per origin"),
    seed: int = typer.Option(1939, "--seed"),
    world: Optional[str] = typer.Option(None, "--world", help="world (parameter set) id or YAML path"),
):
    """Backtest the proliferation backbone on history: onset rates, funnel, lags, odds ratios,
    rolling-origin forecast scores and runaway checks (VALIDATION H1-H11)."""
    from umbrella.calibrate import backtest as bt
    from umbrella.calibrate import granovetter, jg, scores
    from umbrella.scenario import load_world

    if runs < 10:
        raise InputError("--runs", runs, "an integer >= 10")
    w = load_world(world or "consensus")
    import umbrella.engine as engine
    if engine.CACHE_REBUILT:
        err.print("note: compiling the engine's kernels (first run after installing or changing the "
                  "engine; about 1-2 minutes, then cached)", highlight=False)
    res = bt.backtest(runs=runs, seed=seed, world=w)
    c = jg.compare()
    res["jg_model1"] = {t: {"published": v["published"], "estimated": round(v["estimated"], 6),
                            "se_published": v["se_published"]} for t, v in c.table.items()}
    res["jg_pseudo_r2"] = round(c.pseudo_r2[1], 6)
    res["granovetter_critical_sigma"] = granovetter.critical_sigma().sigma
    rel = res.pop("_reliability")
    res["reliability"] = rel.to_dict(orient="records")
    res = _nan_to_null(res)
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
        scores.reliability_png({"rolling origins, pursues within 10 years": rel}, out_dir / "reliability.png",
                               title="Umbrella backtest: reliability of 10-year pursuit forecasts")
        from umbrella.results.atomic import write_text
        write_text(out_dir / "backtest.json", json.dumps(res, default=_jsonable, indent=1, allow_nan=False), "--out")
    if _write_json(res, json_path, default=_jsonable, allow_nan=False):
        return
    _print_backtest(res)


def _jsonable(x):
    import numpy as np
    if isinstance(x, (np.integer,)):
        return int(x)
    if isinstance(x, (np.floating,)):
        return float(x)
    raise TypeError(f"not JSON serialisable: {type(x).__name__}")


def _nan_to_null(x):
    """Strict JSON: an undefined score (NaN) becomes null."""
    import math
    if isinstance(x, dict):
        return {k: _nan_to_null(v) for k, v in x.items()}
    if isinstance(x, (list, tuple)):
        return [_nan_to_null(v) for v in x]
    if isinstance(x, float) and math.isnan(x):
        return None
    return x


def _print_backtest(res: dict) -> None:
    t = Table(title=f"Backtest on history ({res['runs']} simulated histories, seed {res['seed']})")
    for col in ("check", "simulated", "record / target"):
        t.add_column(col, justify="left" if col == "check" else "right")
    for k, v in res["onset_rates"].items():
        t.add_row(f"onset rate {k}, 1939-92 (H3)", f"{v:.2%}", f"{res['onset_rates_observed'][k]:.2%}")
    for k, v in res["funnel"].items():
        t.add_row(f"funnel {k}, 1939-2017 (H4)", f"{v['mean']:.1f} [{v['p10']:.0f}-{v['p90']:.0f}]", str(v["observed"]))
    t.add_row("pursuit -> arsenal lag, median (H5)", f"{res['lag_median_years']:.1f}", "10 (target 7-13)")
    targets = {"pact_explore": "0.40 [0.25-0.75]", "pact_pursue": "0.43 [0.2-1.0]", "rival_explore": "6.8 [3-8]",
               "rival_pursue": "1.38 [0.7-1.6]", "npt": "0.22-0.27 [0.15-0.45]"}
    for k, v in res["odds_ratios"].items():
        if k in targets:
            t.add_row(f"odds ratio {k} (H7-H9)", f"{v:.2f}", targets[k])
    p = res["pooled"]
    t.add_row("rolling origins, pooled: AUC (H6)", f"{p['auc']:.2f}", ">= 0.80")
    t.add_row("  calibration slope", f"{p['calibration_slope']:.2f}", "0.7-1.3")
    t.add_row("  Brier skill vs base rate", f"{p['brier_skill_base']:+.3f}", "> 0")
    t.add_row("  Brier skill vs persistence", f"{p['brier_skill_persistence']:+.3f}", "> 0")
    r = res["runaway"]
    t.add_row("from 1963: P(>= 15 armed by 1975) (H10)", f"{r['from_1963']['p_ge15_by_1975']:.1%}", "< 5%")
    t.add_row("from 1963: median armed 1975", f"{r['from_1963']['median_1975']:.0f}", "5-8")
    t.add_row("from 2005: median new arsenals by 2015", f"{r['from_2005']['median_new_by_2015']:.0f}", "<= 1.5")
    t.add_row("Granovetter critical sigma (H11)", f"{res['granovetter_critical_sigma']:.3f}", "0.09-0.13")
    out.print(t)
    t = Table(title="Rolling origins: 'pursues within 10 years'")
    for col in ("fit through", "states", "events", "AUC", "Brier", "skill vs base", "skill vs persistence", "slope"):
        t.add_column(col, justify="right")
    for o in res["origins"]:
        def f(x, spec):
            return "n/a" if x is None else format(x, spec)
        t.add_row(str(o["fit_through"]), str(o["states"]), str(o["events"]), f(o["auc"], ".2f"), f(o["brier"], ".4f"),
                  f(o["brier_skill_base"], "+.3f"), f(o["brier_skill_persistence"], "+.3f"),
                  f(o["calibration_slope"], ".2f"))
    out.print(t)


@app.command()
@_guard
def exposure(
    year: Optional[int] = typer.Option(None, "--year",
                                       help="year of the missile data (default 2025, or the scenario's start year)"),
    scenario: Optional[str] = typer.Option(None, "--scenario",
                                           help="preset id or scenario YAML: sets the year (its start_year)"),
    launch: str = typer.Option("territory", "--launch",
                               help="launch area: territory, inland (= inland:300) or inland:KM"),
    json_path: Optional[str] = typer.Option(None, "--json", help="write the JSON to PATH, or - for stdout"),
):
    """Distances of US and allied bases to China, the DPRK and Russia, missiles in range, homeland reach."""
    from umbrella.geo import exposure as ex
    from umbrella.geo import missiles

    launch_spec = ex.parse_launch(launch, key="--launch")
    if year is not None:
        missiles.check_year(year, key="--year")
    if scenario is not None:
        from umbrella.scenario import load_scenario
        sc = load_scenario(scenario)
        if year is None and not missiles.year_range()[0] <= sc.start_year <= missiles.year_range()[1]:
            lo, hi = missiles.year_range()
            raise InputError("--scenario", scenario, f"a scenario starting in {lo}-{hi} (the years of the bundled "
                             "missile table), or give --year",
                             problem=f"starts in {sc.start_year}, outside the data's range")
        res = ex.compute(year=year, scenario=sc, launch=launch_spec)
    else:
        res = ex.compute(year=year, launch=launch_spec)
    if _write_json(res, json_path, ensure_ascii=False):
        return
    _print_exposure(res)


def _print_exposure(r: dict) -> None:
    advs = r["adversaries"]
    miss = [a for a in advs if any(b["missiles_in_range"][a] is not None for b in r["bases"].values())]

    def n(x):
        return "-" if x is None else f"{x:,.0f}"

    t = Table(title=f"Bases | {r['year']} | launch area: {r['launch']}",
              caption="km to the nearest point of the launch area; "
                      "theatre ballistic missiles (SRBM+MRBM+IRBM) in range")
    for col in ("base", "group", *[f"km {a}" for a in advs], *[f"missiles {a}" for a in miss], "<= aircraft radius"):
        t.add_column(col, justify="left" if col in ("base", "group") else "right")
    for name, b in r["bases"].items():
        t.add_row(name, b["group"], *[f"{b['distance_km'][a]:,.0f}" for a in advs],
                  *[n(b["missiles_in_range"][a]) for a in miss],
                  ", ".join(a for a, v in b["within_aircraft_radius"].items() if v) or "-")
    out.print(t)
    t = Table(title="Group means",
              caption="share: bases within the unrefuelled radius of aircraft based on the state's territory")
    for col in ("group", *[f"km {a}" for a in advs], *[f"missiles {a}" for a in miss],
                *[f"share <= {km:,.0f} km ({a})" for a, km in r["aircraft"]["radius_km"].items()]):
        t.add_column(col, justify="left" if col == "group" else "right")
    for g, v in r["groups"].items():
        t.add_row(g, *[f"{v['mean_distance_km'][a]:,.0f}" for a in advs],
                  *[n(v["mean_missiles_in_range"][a]) for a in miss],
                  *[f"{v['share_within_aircraft_radius'][a]:.0%}" for a in r["aircraft"]["radius_km"]])
    out.print(t)
    regions = list(next(iter(r["homeland_reach"].values())))
    t = Table(title="US homeland reach",
              caption="yes = some present class has range >= the distance (km) to the region's nearest point")
    for col in ("adversary", *regions):
        t.add_column(col, justify="left" if col == "adversary" else "right")
    for a, v in r["homeland_reach"].items():
        t.add_row(a, *[f"{'yes' if v[reg] else 'no'} ({r['homeland'][a][reg]['distance_km']:,.0f})" for reg in regions])
    out.print(t)
    a6 = r["a6"]

    def ratio(x):
        return "n/a" if x is None else f"{x:.2f}"
    out.print(f"A6 (Chinese SRBM+MRBM in range): ROK/Honshu {ratio(a6['rok_honshu_missile_ratio'])} (seed ~5), "
              f"ROK/Okinawa {ratio(a6['rok_okinawa_missile_ratio'])} (seed ~2); mean distance ROK/Japan "
              f"{ratio(a6['rok_japan_distance_ratio'])} (seed ~0.5). See docs/geography.md.", highlight=False)
    for line in r["assumptions"]:
        out.print(f"- {line}", highlight=False, style="dim")


@app.command("map")
@_guard
def map_(
    year: Optional[int] = typer.Option(None, "--year",
                                       help="year of the missile data (default 2025, or the scenario's start year)"),
    scenario: Optional[str] = typer.Option(None, "--scenario", help="preset id or scenario YAML: sets the year"),
    out_file: Path = typer.Option(Path("umbrella-map.html"), "--out",
                                  help="FILE.html (self-contained, offline) or FILE.png"),
    lang: str = typer.Option("en", "--lang", help="label language: en or ja"),
):
    """An offline map of the bases, missile range rings and exposure (no tile server, no CDN)."""
    from umbrella.interfaces.maps.mapcmd import map_command

    path = map_command(year, out_file, lang=lang, scenario=scenario)
    err.print(f"wrote {path}", highlight=False)


@app.command()
@_guard
def crisis(
    theatre: str = typer.Argument(..., help="korea, taiwan, east-china-sea or europe"),
    scenario: str = typer.Argument("status-quo-2025", help="preset id or path to a scenario YAML"),
    runs: Optional[int] = typer.Option(None, "--runs", help="number of runs (default: the scenario's)"),
    seed: Optional[int] = typer.Option(None, "--seed"),
    set_: list[str] = typer.Option([], "--set", help="override a scenario field: PATH=VALUE"),
    world: Optional[str] = typer.Option(None, "--world", help="world id or YAML path (default: the scenario's)"),
    json_path: Optional[str] = typer.Option(None, "--json", help="write the JSON summary to PATH, or - for stdout"),
):
    """Run a crisis conditional on war breaking out (rung 4) in the scenario's world, in the year
    of its war or crisis shock in the theatre, else its start year."""
    from umbrella.analysis.crisis import crisis as run_crisis

    summary, extras = run_crisis(theatre, scenario, runs=runs, seed=seed, overrides=set_, world=world)
    if _write_json(summary, json_path, ensure_ascii=False):
        return
    _print_crisis(summary, extras)


@app.command()
@_guard
def explain(
    scenario: str = typer.Argument(..., help="preset id or path to a scenario YAML"),
    actor: str = typer.Option(..., "--actor", help="the state whose event is explained, e.g. KOR"),
    event: str = typer.Option(..., "--event", help="explore, pursue or arsenal"),
    by: Optional[int] = typer.Option(None, "--by", help="by this year (default: the horizon)"),
    runs: Optional[int] = typer.Option(None, "--runs", help="runs (default 2,000)"),
    seed: Optional[int] = typer.Option(None, "--seed"),
    world: Optional[str] = typer.Option(None, "--world", help="world id or YAML path"),
    set_: list[str] = typer.Option([], "--set", help="override a scenario field: PATH=VALUE"),
    json_path: Optional[str] = typer.Option(None, "--json", help="write the JSON to PATH, or - for stdout"),
):
    """Why ACTOR reached LEVEL: the chains before it, the hazard terms at onset, and what share of
    the events each driver accounts for (counterfactual re-runs on the same random numbers)."""
    from umbrella.analysis.explain import explain as run_explain
    from umbrella.interfaces.text import explain_text

    kw = {"runs": runs} if runs is not None else {}
    res = run_explain(scenario, actor, event, by, seed=seed, world=world, overrides=set_, **kw)
    if _write_json(res, json_path, ensure_ascii=False):
        return
    out.print(explain_text(res), highlight=False, markup=False)


def _print_crisis(s: dict, x: dict) -> None:
    t = Table(title=f"crisis {s['theatre']} | {x['scenario']} {x['year']} | world {x['world']} | "
                    f"{s['runs']:,} runs | seed {s['seed']}",
              caption="conditional on war (rung 4); docs/crisis.md")
    t.add_column("outcome")
    t.add_column("value", justify="right")
    t.add_row("P(nuclear use | war)", f"{s['p_nuclear_use']:.1%}")
    for a, v in s["first_use"].items():
        t.add_row(f"  first use by {a}", f"{v:.1%}")
    p50 = s["first_use_rung"]["p50"]
    t.add_row("  first-use rung, median", "-" if p50 is None else str(p50))
    t.add_row("  inadvertent (loss of control, pre-delegated launch)", f"{s['p_inadvertent']:.1%}")
    t.add_row("strategic exchange (rung 8)", f"{s['p_strategic_exchange']:.2%}")
    t.add_row("strike on the US homeland", f"{s['p_homeland_strike']:.2%}")
    t.add_row("coercion success (the patron backs down)", f"{s['p_coercion_success']:.1%}")
    if s["p_invasion_success"] is not None:
        t.add_row("invasion success", f"{s['p_invasion_success']:.1%}")
    t.add_row("rung reached 5 / 6 / 7 / 8", " / ".join(f"{s['rung_reached'][r]:.1%}" for r in "5678"))
    for c, v in s["decoupling"].items():
        t.add_row(f"decoupling index {c}", f"{v:.2f}")
    for c, v in s["credibility_shift"].items():
        t.add_row(f"credibility shift {c} (log-odds)", f"{v:+.3f}")
    out.print(t)
    r, h = x["rates"], x["stability_instability"]
    out.print(f"annual (exact): onset {r['onset']:.3f}, P(war | crisis) {r['p_war_given_crisis']:.2%}, "
              f"P(use | war) {r['p_use_given_war']:.1%} -> nuclear use {r['annual_nuclear_use']:.4%}/yr; "
              f"stability-instability: war ratio {h['war_ratio']:.2f}, low-level ratio {h['low_level_ratio']:.3f} "
              "(jointly nuclear / one-sided)", highlight=False)


@app.command()
@_guard
def presets(json_flag: bool = typer.Option(False, "--json", help="print the list as JSON")):
    """List the scenario presets (the articles' scenarios, seeds/EXTRACTION.md §10)."""
    from umbrella.scenario import catalog
    items = catalog.presets()
    if json_flag:
        sys.stdout.write(json.dumps(items, ensure_ascii=False) + "\n")
        return
    t = Table(title=f"{len(items)} presets (`umbrella run ID`)")
    for col in ("id", "title", "title_ja", "sources"):
        t.add_column(col)
    for p in items:
        t.add_row(p["id"], p["title"], p["title_ja"],
                  ", ".join(p["sources"][:4]) + (" ..." if len(p["sources"]) > 4 else ""))
    out.print(t)


@app.command()
@_guard
def headlines(
    ids: list[str] = typer.Argument(None, help="preset ids (default: every annual preset)"),
    runs: int = typer.Option(2000, "--runs", help="runs per preset"),
    seed: Optional[int] = typer.Option(None, "--seed", help="one seed for all (default: each preset's)"),
    world: Optional[str] = typer.Option(None, "--world", help="world id or YAML path (default: each preset's)"),
    json_path: Optional[str] = typer.Option(None, "--json", help="write every headline to PATH, or - for stdout"),
):
    """Every preset's headline outcomes side by side: allies' statuses, warheads, credibility,
    postures, war and nuclear use by theatre, the NPT (analysis/headlines.py)."""
    from umbrella.analysis import headlines as H

    rows = H.run(ids or None, runs=runs, seed=seed, world=world)
    if _write_json(rows, json_path):
        return
    title = f"headline outcomes | {runs:,} runs | % of runs by the year (H: the horizon) unless a count or a median"
    if len(rows) <= 6:       # outcomes down, presets across: fits a terminal
        header, *body = H.table(rows)
        t = Table(title=title)
        for j, name in enumerate(header):
            t.add_column(name, justify="right" if j else "left")
        for row in body:
            t.add_row(*row)
        out.print(t)
        return
    t = Table(title=title)
    t.add_column("preset")
    for c in H.COLUMNS:
        t.add_column(c.replace("credibility", "cred").replace("warheads", "W").replace("accommodating", "acc")
                     .replace("nuclear_use", "nuc").replace("npt_collapse", "NPT"), justify="right")
    for pid, h in rows.items():
        t.add_row(pid, *(H.fmt(*H.column(h, c)) for c in H.COLUMNS))
    Console(width=max(out.width, 230)).print(t)


@app.command()
@_guard
def anchors(
    runs: int = typer.Option(4000, "--runs", help="runs per world"),
    seed: Optional[int] = typer.Option(None, "--seed", help="default: the status quo's"),
    json_path: Optional[str] = typer.Option(None, "--json", help="write the rows to PATH, or - for stdout"),
    markdown: bool = typer.Option(False, "--markdown", help="print docs/validation.md's table"),
):
    """The status quo against expert surveys and forecasting crowds (validation_targets.csv):
    anchors to read the model against, not targets (analysis/anchors.py)."""
    from umbrella.analysis import anchors as A

    if runs < 100:
        raise InputError("--runs", runs, "an integer >= 100")
    rows = A.measure(runs=runs, seed=seed)
    if _write_json(rows, json_path):
        return
    if markdown:
        sys.stdout.write(A.markdown(rows, runs))
        return
    t = Table(title=f"status-quo-2025 against experts and crowds | {runs:,} runs per world | 90 % intervals")
    for col in ("anchor", "figure", "model outcome", "relation", "consensus", "worlds", "verdict"):
        t.add_column(col)
    pct = lambda x: f"{100 * x:.2f} %"  # noqa: E731
    for r in rows:
        t.add_row(f"{r['anchor']} ({r['id']})", pct(r["anchor_value"]), r["outcome"], A.RELATIONS[r["relation"]],
                  f"{pct(r['model'])} ({pct(r['lo'])}-{pct(r['hi'])})",
                  f"{pct(r['worlds_min'])}-{pct(r['worlds_max'])}", r["verdict"])
    out.print(t)
    for row, why in A.NOT_COMPARED.items():
        out.print(f"not compared: {row}...: {why}")


@app.command()
@_guard
def worlds(json_flag: bool = typer.Option(False, "--json", help="print the list as JSON")):
    """List the worlds: the consensus and one per article's theory (docs/worlds.md)."""
    from umbrella.scenario import load_world
    from umbrella.scenario.load import list_worlds
    consensus = load_world("consensus")
    items = []
    for wid in list_worlds():
        w = load_world(wid)
        changed = sorted(k for k, p in w.parameters.items()
                         if k not in consensus.parameters or p.value != consensus.parameters[k].value)
        items.append({"id": wid, "title": w.title, "title_ja": w.title_ja, "changed": changed})
    if json_flag:
        sys.stdout.write(json.dumps(items, ensure_ascii=False) + "\n")
        return
    t = Table(title="worlds (`--world ID`, `--worlds all`)")
    for col in ("id", "title", "parameters changed from consensus"):
        t.add_column(col)
    for w in items:
        t.add_row(w["id"], w["title"], ", ".join(w["changed"]) or "-")
    out.print(t)


@app.command()
@_guard
def parameters(
    world: str = typer.Option("consensus", "--world", help="world id or YAML path"),
    markdown: bool = typer.Option(False, "--markdown",
                                  help="print docs/parameters.md (consensus) or the world's table"),
    json_flag: bool = typer.Option(False, "--json", help="print the parameters as JSON"),
):
    """The one parameter registry: every parameter with its value, range, per-run distribution,
    unit and source in a world (docs/parameters.md)."""
    from umbrella.scenario import load_world, registry
    w = load_world(world)
    if markdown:
        text = registry.document() if w.id == "consensus" else registry.markdown_table(w)
        sys.stdout.write(text)
        return
    if json_flag:
        items = [{"name": n, **w.parameters[n].model_dump(exclude_none=True)} for n in registry.NAMES]
        sys.stdout.write(json.dumps(items, ensure_ascii=False) + "\n")
        return
    t = Table(title=f"{len(registry.NAMES)} parameters | world {w.id} (docs/parameters.md)")
    for col in ("parameter", "value", "range", "per run", "unit"):
        t.add_column(col)
    for n in registry.NAMES:
        p = w.parameters[n]
        t.add_row(n, f"{p.value:g}", f"{p.range[0]:g} - {p.range[1]:g}", p.dist, p.unit)
    out.print(t)


@app.command()
@_guard
def compare(
    a: str = typer.Argument(..., help="scenario A: preset id or YAML path"),
    b: str = typer.Argument(..., help="scenario B: preset id or YAML path"),
    world: Optional[str] = typer.Option(None, "--world", help="world id or YAML path (default: A's)"),
    worlds_: Optional[str] = typer.Option(None, "--worlds", help="'all' or a comma-separated list of world ids"),
    runs: Optional[int] = typer.Option(None, "--runs", help="runs per scenario (default 2,000)"),
    seed: Optional[int] = typer.Option(None, "--seed", help="seed shared by both (default: A's)"),
    set_: list[str] = typer.Option([], "--set", help="override a field of both scenarios: PATH=VALUE"),
    json_path: Optional[str] = typer.Option(None, "--json", help="write the JSON to PATH, or - for stdout"),
    lang: str = typer.Option("en", "--lang", help="language of the printed table: en or ja"),
):
    """B minus A on common random numbers, with 90 % intervals; across worlds, which differences
    keep their sign (robust)."""
    from umbrella.analysis.compare import compare as run_compare
    from umbrella.interfaces.i18n import check_lang
    from umbrella.interfaces.text import compare_text

    check_lang(lang)
    res = run_compare(a, b, world=world, worlds=worlds_, runs=runs, seed=seed, overrides=set_)
    if _write_json(res, json_path, ensure_ascii=False):
        return
    out.print(compare_text(res, lang), highlight=False, markup=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
