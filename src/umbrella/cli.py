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

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Umbrella: US extended deterrence, allied hedging and proliferation cascades.")
err = Console(stderr=True)
out = Console()


def _fail(msg: str) -> None:
    err.print(f"[bold red]error:[/] {msg}", highlight=False, markup=True)
    raise typer.Exit(2)


def _guard(fn):
    """Turn input errors into one message and exit status 2."""
    import functools

    @functools.wraps(fn)
    def wrapper(*a, **k):
        from umbrella.data.errors import UnknownActorError
        try:
            return fn(*a, **k)
        except (InputError, UnknownActorError) as e:
            _fail(str(e).strip("'\""))
    return wrapper


@app.command()
@_guard
def run(
    scenario: str = typer.Argument(..., help="preset id or path to a scenario YAML"),
    world: Optional[str] = typer.Option(None, "--world", help="world (parameter set) id or YAML path"),
    runs: Optional[int] = typer.Option(None, "--runs", help="number of runs (default 10,000)"),
    seed: Optional[int] = typer.Option(None, "--seed"),
    batch_size: int = typer.Option(10_000, "--batch-size", help="runs per batch (memory only; results do not change)"),
    start_year: Optional[int] = typer.Option(None, "--start-year"),
    horizon: Optional[int] = typer.Option(None, "--horizon", help="last simulated year"),
    set_: list[str] = typer.Option([], "--set", help="override a scenario field: PATH=VALUE"),
    json_path: Optional[str] = typer.Option(None, "--json", help="write the JSON summary to PATH, or - for stdout"),
    out_dir: Optional[Path] = typer.Option(None, "--out", help="save results, events and manifest to DIR"),
):
    """Run a scenario ensemble and print the headline outcomes with intervals."""
    from umbrella.engine.run import simulate
    from umbrella.results import store
    from umbrella.results.summary import summarise
    from umbrella.scenario import load_scenario, load_world, scenario_hash

    if batch_size < 1:
        raise InputError("--batch-size", batch_size, "an integer >= 1")
    dropped: list = []
    sc = load_scenario(scenario, overrides=set_, fields={
        "world": world, "runs": runs, "seed": seed, "start_year": start_year, "horizon": horizon},
        dropped=dropped)
    for sh in dropped:
        err.print(f"note: shock {sh.get('type')} in {sh.get('year')} lies outside the run "
                  f"({sc.start_year}-{sc.horizon}) and is left out", highlight=False)
    w = load_world(sc.world)
    import umbrella.engine as engine
    if engine.CACHE_REBUILT:
        err.print("note: compiling the engine's kernels (first run after installing or changing the "
                  "engine; about 1-2 minutes, then cached)", highlight=False)
    quiet = json_path == "-"
    show_bar = not quiet and sc.runs > batch_size and err.is_terminal
    if show_bar:
        from rich.progress import Progress
        with Progress(console=err, transient=True) as bar:
            task = bar.add_task(f"{sc.id}", total=sc.runs)
            res = simulate(sc, w, batch_size=batch_size, progress=lambda n: bar.advance(task, n))
    else:
        res = simulate(sc, w, batch_size=batch_size)
    summary = summarise(res)
    if out_dir is not None:
        store.save(res, out_dir, summary, store.manifest(res, scenario_hash(sc), batch_size))
    if json_path is not None:
        text = json.dumps(summary, ensure_ascii=False)
        if json_path == "-":
            sys.stdout.write(text + "\n")
            return
        Path(json_path).write_text(text)
    _print_summary(summary, res)


def _print_summary(s: dict, res) -> None:
    years = [str(y) for y in res.inputs.years]
    marks = [y for y in years if int(y) in (s["start_year"] + 5, 2030, 2035, 2040, 2050)] or years[-1:]
    marks = sorted(set(marks + [years[-1]]), key=int)
    t = Table(title=f"{s['scenario']} | world {s['world']} | {s['runs']:,} runs | seed {s['seed']}",
              caption="share of runs in which the state has reached at least the level by the year")
    t.add_column("actor")
    t.add_column("level")
    for y in marks:
        t.add_column(y, justify="right")
    for a in ("KOR", "JPN", "TWN", "SAU", "POL", "DEU", "IRN"):
        if a not in s["status"]:
            continue
        for lvl in ("explore", "pursue", "arsenal"):
            vals = [s["status"][a][lvl][y] for y in marks]
            if max(vals) == 0 and lvl != "explore":
                continue
            t.add_row(a if lvl == "explore" else "", lvl, *[f"{v:.1%}" for v in vals])
    out.print(t)
    t2 = Table(title="Credibility of the US commitment, median (p10-p90), and the NPT")
    t2.add_column("outcome")
    for y in marks:
        t2.add_column(y, justify="right")
    for c in ("KOR", "JPN", "TWN"):
        q = s["credibility"].get(c)
        if q:
            t2.add_row(f"credibility {c}", *[f"{q['p50'][y]:.2f} [{q['p10'][y]:.2f}-{q['p90'][y]:.2f}]" for y in marks])
    t2.add_row("NPT collapsed", *[f"{s['npt']['collapse'][y]:.1%}" for y in marks])
    for a in ("CHN", "PRK"):
        q = s["warheads"].get(a)
        if q:
            t2.add_row(f"warheads {a}", *[f"{q['p50'][y]:.0f} [{q['p10'][y]:.0f}-{q['p90'][y]:.0f}]" for y in marks])
    out.print(t2)


@app.command()
@_guard
def validate(file: Path = typer.Argument(..., help="scenario YAML")):
    """Check a scenario file (and the world it names) without running it."""
    from umbrella.scenario import validate_file
    sc = validate_file(file)
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
):
    """Re-estimate the published proliferation models from the bundled replication data and
    compare them with the published tables (today: Jo & Gartzke 2007, Model 1)."""
    from umbrella.calibrate import jg, onsets

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
    }
    if json_path is not None:
        text = json.dumps(result)
        if json_path == "-":
            sys.stdout.write(text + "\n")
            return
        Path(json_path).write_text(text)
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


@app.command()
def presets():
    """List the scenario presets."""
    from umbrella.scenario import list_presets, load_scenario
    for pid in list_presets():
        s = load_scenario(pid)
        out.print(f"{pid}: {s.title} / {s.title_ja}", highlight=False)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
