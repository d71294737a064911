"""`umbrella explore ...`: experiment files, sweeps into a results store, and their analyses.
Bad input exits 2 with one message; heavy modules are imported inside the commands."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer
from rich.table import Table

from umbrella.errors import InputError
from umbrella.interfaces.console import guard as _guard
from umbrella.interfaces.console import out

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Explore deep uncertainty: designs, a resumable results store, sensitivity, scenario "
                       "discovery, robust policies, signposts (docs/explore.md).")


def _table(df, title: str | None = None, max_rows: int = 40, digits: int = 3) -> Table:
    t = Table(title=title, show_lines=False)
    for c in df.columns:
        t.add_column(str(c), justify="right" if df[c].dtype.kind in "fiu" else "left")
    def cell(v) -> str:
        if v is None or (isinstance(v, float) and v != v):
            return ""
        if isinstance(v, list):
            return ", ".join(map(str, v))
        return f"{v:.{digits}f}" if isinstance(v, float) else str(v)

    for _, row in df.head(max_rows).iterrows():
        t.add_row(*[cell(v) for v in row])
    return t


def _emit(df, json_path: Optional[str]) -> bool:
    if json_path is None:
        return False
    text = df.to_json(orient="records", double_precision=6)
    if json_path == "-":
        sys.stdout.write(text + "\n")
        return True
    from umbrella.results.atomic import write_text
    write_text(json_path, text, "--json")     # whole or not at all; an unwritable path exits 2
    return False


@app.command()
@_guard
def validate(file: Path = typer.Argument(..., help="experiment YAML")):
    """Validate an experiment file and print the size of its design."""
    from umbrella.explore import design as D
    from umbrella.explore.spec import load_spec
    ex = load_spec(file)
    d = D.build(ex)
    out.print(f"{file}: valid experiment {ex.spec.id!r} on {ex.base.id} ({ex.spec.sampler.method}): "
              f"{len(ex.factors)} factors, {len(d.points)} points x {len(d.policy_names)} policies = "
              f"{d.experiments} experiments x {ex.spec.runs} runs = {d.experiments * ex.spec.runs:,} runs in "
              f"{d.units} units; {len(ex.outcomes)} outcomes", highlight=False, soft_wrap=True)


@app.command()
@_guard
def run(
    file: Path = typer.Argument(..., help="experiment YAML"),
    store: Path = typer.Option(..., "--store", help="results directory (created, or resumed)"),
    dask: Optional[str] = typer.Option(None, "--dask", help="run units on Dask: a scheduler address, or local:N"),
    quiet: bool = typer.Option(False, "--quiet", help="no progress bar"),
):
    """Run (or resume) a sweep: only the units missing from the store are computed."""
    from umbrella.explore import sweep
    from umbrella.explore.spec import load_spec
    ex = load_spec(file)
    r = sweep.run(ex, store, dask=dask, progress=not quiet)
    out.print(f"{r.store}: {r.computed} units computed, {r.skipped} already stored, of {r.units}; "
              f"{r.runs:,} runs in {r.seconds:.1f} s ({r.runs_per_second:,.0f} runs/s)",
              highlight=False, soft_wrap=True)


@app.command()
@_guard
def show(store: Path = typer.Argument(..., help="results directory"),
         json_path: Optional[str] = typer.Option(None, "--json", help="write the per-policy means as JSON (- stdout)")):
    """Progress of a store and each policy's mean outcomes."""
    from umbrella.explore.store import Store
    s = Store(store)
    m = s.manifest()
    p = s.progress()
    t = s.table()
    outs = [o["name"] for o in m["outcomes"]]
    means = t.groupby("policy", sort=False)[outs].mean().reset_index() if len(t) else t
    if _emit(means, json_path):
        return
    out.print(f"{store}: experiment {m['spec']['id']!r} on {m['base']}, {m['sampler']['method']} design; "
              f"{p['units_done']}/{p['units']} units, {p['experiments_done']}/{p['experiments']} experiments "
              f"x {m['runs']} runs{' (complete)' if p['complete'] else ''}; code {m['code_version']}, "
              f"spec {m['spec_hash']}", highlight=False, soft_wrap=True)
    if len(t):
        # a time series shows its last year; at most eight columns fit a terminal
        shown = [o["name"] for o in m["outcomes"] if not o["series"] or o["year"] == m["spec_horizon"]][:8]
        out.print(_table(means[["policy", *shown]], title="mean outcome by policy over the finished experiments"))


@app.command()
@_guard
def export(store: Path = typer.Argument(..., help="results directory"),
           parquet: Optional[Path] = typer.Option(None, "--parquet", help="one Parquet file: design and outcomes"),
           netcdf: Optional[Path] = typer.Option(None, "--netcdf", help="an xarray Dataset as netCDF")):
    """Export a store to a single Parquet file and/or an xarray Dataset (netCDF)."""
    from umbrella.explore.store import Store
    if parquet is None and netcdf is None:
        raise InputError("export", "no target", "--parquet FILE and/or --netcdf FILE")
    s = Store(store)
    if parquet is not None:
        s.export_parquet(parquet)
        out.print(f"wrote {parquet}", highlight=False, soft_wrap=True)
    if netcdf is not None:
        from umbrella.results import atomic
        ds = s.to_xarray()
        tmp = atomic.tmp_name(netcdf)
        try:
            ds.to_netcdf(tmp)
            tmp.replace(netcdf)
        except OSError as e:
            raise atomic.os_error("--netcdf", netcdf, e) from None
        finally:
            atomic.discard(tmp)
        out.print(f"wrote {netcdf}", highlight=False, soft_wrap=True)


@app.command()
@_guard
def analyze(
    store: Path = typer.Argument(..., help="results directory"),
    method: str = typer.Argument(..., help="sobol, morris, prim or robust"),
    outcome: list[str] = typer.Option([], "--outcome", help="outcome name (a time series: every year); repeatable"),
    policy: Optional[str] = typer.Option(None, "--policy", help="the policy analysed (sobol, morris, prim)"),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="prim: the outcome's threshold"),
    below: bool = typer.Option(False, "--below", help="prim: cases of interest lie below the threshold"),
    density: float = typer.Option(0.8, "--density", help="prim: the box's required density"),
    pick: str = typer.Option("first", "--pick", help="prim: first (highest coverage) or last (densest) box "
                             "that reaches the density"),
    png: Optional[Path] = typer.Option(None, "--png", help="write the method's figure"),
    json_path: Optional[str] = typer.Option(None, "--json", help="write the table as JSON (- for stdout)"),
):
    """Sobol indices, Morris screening, PRIM scenario discovery, or policy robustness."""
    from umbrella.explore import analyses as A
    if method in ("sobol", "morris"):
        df = (A.sobol if method == "sobol" else A.morris)(store, outcome or None, policy)
        if png is not None:
            from umbrella.interfaces import explore_figures as fig
            first = df["outcome"].iloc[0]
            (fig.sobol_bars if method == "sobol" else fig.morris_plot)(df, first, png)
        if _emit(df, json_path):
            return
        cols = ["outcome", "parameter", "S1", "S1_conf", "ST", "ST_conf", "rank"] if method == "sobol" else \
            ["outcome", "parameter", "mu_star", "mu_star_conf", "sigma", "rank"]
        out.print(_table(df[cols], title=f"{method} indices ({df['policy'].iloc[0]}), ranked"))
    elif method == "prim":
        if len(outcome) != 1 or threshold is None:
            raise InputError("--outcome/--threshold", outcome, "one --outcome and a --threshold for prim")
        r = A.prim(store, outcome[0], threshold, above=not below, policy=policy, density=density, pick=pick)
        if png is not None:
            from umbrella.interfaces import explore_figures as fig
            fig.prim_trajectory(r, png)
        if _emit(r.limits, json_path):
            return
        out.print(f"box {r.chosen}: coverage {r.coverage:.2f}, density {r.density:.2f}, mass {r.mass:.2f} "
                  f"({'meets' if r.meets_threshold else 'misses'} the density {density})",
                  highlight=False, soft_wrap=True)
        out.print(_table(r.limits, title=f"where {outcome[0]} {'<' if below else '>'} {threshold}"))
    elif method == "robust":
        r = A.robustness(store, outcomes=outcome or None)
        if png is not None:
            from umbrella.interfaces import explore_figures as fig
            fig.policy_ranking(r.ranking, png)
        if _emit(r.ranking, json_path):
            return
        out.print(_table(r.stats, title="each policy over every experiment"))
        out.print(_table(r.ranking, title="ranking"))
        if len(r.conclusions):
            out.print(_table(r.conclusions, title="what holds in every world"))
    else:
        raise InputError("method", method, "sobol, morris, prim or robust")


@app.command()
@_guard
def signposts(
    scenario: str = typer.Argument(..., help="preset id or scenario YAML"),
    outcome: str = typer.Option(..., "--outcome", help="a dated event outcome, e.g. status.KOR.arsenal.2040"),
    year: int = typer.Option(..., "--year", help="the year the observables are read"),
    world: Optional[str] = typer.Option(None, "--world"),
    runs: int = typer.Option(4000, "--runs", min=100, max=200_000),
    json_path: Optional[str] = typer.Option(None, "--json"),
):
    """Which early observables best separate the runs in which the outcome happens."""
    from umbrella.explore import analyses as A
    df = A.run_signposts(scenario, outcome, year, world=world, runs=runs)
    if _emit(df, json_path):
        return
    out.print(_table(df.drop(columns=["outcome", "year"]),
                     title=f"signposts in {year} of {outcome} (information gained, bits)"))


@app.command()
@_guard
def search(
    file: Path = typer.Argument(..., help="experiment YAML with policies.sampled.levers"),
    objective: list[str] = typer.Option(..., "--objective", help="a dated outcome with a direction; repeatable"),
    pop_size: int = typer.Option(12, "--pop-size", min=2, max=500),
    generations: int = typer.Option(4, "--generations", min=1, max=200),
    points: Optional[int] = typer.Option(None, "--points", help="use the first N uncertainty points"),
    seed: int = typer.Option(0, "--seed"),
    json_path: Optional[str] = typer.Option(None, "--json"),
):
    """A many-objective search (NSGA-II) over the spec's levers, each population run as one batch."""
    from umbrella.explore import analyses as A
    from umbrella.explore.spec import load_spec
    ex = load_spec(file)
    df = A.policy_search(ex, objective, pop_size=pop_size, n_gen=generations, seed=seed, points=points)
    if _emit(df, json_path):
        return
    out.print(_table(df, title="non-dominated policies found"))

