"""`umbrella plot` and `umbrella report` (registered on the main command line by cli.py)."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Optional

import typer

from umbrella.errors import InputError
from umbrella.interfaces.console import err
from umbrella.interfaces.console import guard as _guard

PLOT_KINDS = ("status", "credibility", "warheads", "crises", "rungs", "cascade", "compare", "worlds")
STORE_KINDS = ("sobol", "morris", "prim", "robust")     # SOURCE: an exploration store


def _summary(source: str, runs: Optional[int], seed: Optional[int], world: Optional[str], set_: list[str]) -> dict:
    """A JSON summary: read from a `umbrella run --json` file, or computed for a scenario."""
    if source.endswith(".json"):
        try:
            d = json.loads(Path(source).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise InputError("SOURCE", source, "a readable JSON file written by umbrella run --json or "
                             "umbrella compare --json", problem=f"cannot be read ({exc})") from None
        if not isinstance(d, dict) or not ({"status", "runs"} <= set(d) or "diff" in d or "worlds" in d):
            raise InputError("SOURCE", source, "the JSON of umbrella run --json or umbrella compare --json",
                             problem="is another kind of JSON")
        return d
    from umbrella.results.stream import summarise_run
    from umbrella.scenario import load_scenario, load_world
    sc = load_scenario(source, overrides=set_, fields={"runs": runs, "seed": seed, "world": world})
    return summarise_run(sc, load_world(sc.world))


@_guard
def plot(
    kind: str = typer.Argument(..., help="status, credibility, warheads, crises, rungs, cascade, compare, worlds; "
                               "for an exploration store: sobol, morris, prim, robust"),
    source: str = typer.Argument(..., help="preset id, scenario YAML, the JSON of umbrella run/compare --json, "
                                 "or an exploration store (sobol, morris, prim, robust)"),
    other: Optional[str] = typer.Argument(None, help="compare: scenario B (SOURCE is A)"),
    actor: str = typer.Option("KOR", "--actor", help="status: the state whose statuses are drawn"),
    outcome: Optional[str] = typer.Option(None, "--outcome", help="worlds: a headline name, e.g. KOR.arsenal.2050; "
                                          "a store: an outcome of its spec (default: the first)"),
    threshold: Optional[float] = typer.Option(None, "--threshold", help="prim: the outcome's threshold"),
    below: bool = typer.Option(False, "--below", help="prim: cases of interest lie below the threshold"),
    worlds_: str = typer.Option("all", "--worlds", help="worlds: 'all' or a comma-separated list"),
    lang: str = typer.Option("en", "--lang", help="en or ja"),
    out_file: Path = typer.Option(..., "--out", help="FILE.png, FILE.svg or FILE.pdf"),
    runs: Optional[int] = typer.Option(None, "--runs", help="runs (default: the scenario's)"),
    seed: Optional[int] = typer.Option(None, "--seed"),
    world: Optional[str] = typer.Option(None, "--world", help="world id or YAML path"),
    set_: list[str] = typer.Option([], "--set", help="override a scenario field: PATH=VALUE"),
):
    """A briefing figure (slide size, English or Japanese) as PNG, SVG or PDF."""
    from umbrella.interfaces import i18n
    from umbrella.interfaces.briefing import figures as F

    i18n.check_lang(lang)
    if kind not in PLOT_KINDS + STORE_KINDS:
        raise InputError("KIND", kind, ", ".join(PLOT_KINDS + STORE_KINDS))
    if Path(out_file).suffix.lower().lstrip(".") not in F.FORMATS:
        raise InputError("--out", str(out_file), "a file ending in .png, .svg or .pdf")
    if kind in STORE_KINDS:
        path = _plot_store(kind, source, outcome, threshold, below, lang, out_file)
        err.print(f"wrote {path}", highlight=False)
        return
    if kind == "compare":
        if source.endswith(".json"):
            res = _summary(source, runs, seed, world, set_)
        else:
            if other is None:
                raise InputError("OTHER", None, "compare: a second scenario (B), or SOURCE a compare JSON")
            from umbrella.analysis.compare import compare as run_compare
            res = run_compare(source, other, world=world, runs=runs, seed=seed, overrides=set_)
        fig = F.compare(res, lang)
    elif kind == "worlds":
        from umbrella.interfaces.briefing.report import world_summaries
        from umbrella.interfaces.cli import world_ids
        from umbrella.scenario import load_scenario
        sc = load_scenario(source, overrides=set_, fields={"runs": runs, "seed": seed})
        per = world_summaries(sc, world_ids(worlds_))
        name = outcome or f"KOR.arsenal.{sc.horizon}"
        from umbrella.analysis.headlines import headlines
        known = headlines(next(iter(per.values())))
        if name not in known:
            raise InputError("--outcome", name, "a headline name, e.g. " + ", ".join(list(known)[:6]))
        fig = F.worlds(per, name, lang)
    else:
        s = _summary(source, runs, seed, world, set_)
        fig = F.status(s, actor, lang) if kind == "status" else F.KINDS[kind](s, lang)
    path = F.save(fig, out_file)
    err.print(f"wrote {path}", highlight=False)


def _plot_store(kind: str, store: str, outcome: Optional[str], threshold: Optional[float], below: bool,
                lang: str, out_file: Path) -> Path:
    from umbrella.explore import analyses as A
    from umbrella.interfaces import explore_figures as XF
    _, m = A._store(store)
    scalar = [o["name"] for o in m["outcomes"] if not o["series"]]
    name = outcome or (scalar[0] if scalar else A.outcome_names(m)[0])
    if kind in ("sobol", "morris"):
        df = (A.sobol if kind == "sobol" else A.morris)(store, [name], None)
        first = df["outcome"].iloc[0]
        return (XF.sobol_bars if kind == "sobol" else XF.morris_plot)(df, first, out_file, lang=lang)
    if kind == "prim":
        if threshold is None:
            raise InputError("--threshold", None, "a number: prim needs the outcome's threshold")
        return XF.prim_trajectory(A.prim(store, name, threshold, above=not below), out_file, lang=lang)
    return XF.policy_ranking(A.robustness(store, outcomes=[outcome] if outcome else None).ranking, out_file,
                             lang=lang)


@_guard
def report(
    scenario: str = typer.Argument(..., help="preset id or scenario YAML"),
    compare: Optional[str] = typer.Option(None, "--compare", help="a second scenario: this one minus it, paired"),
    worlds_: Optional[str] = typer.Option(None, "--worlds", help="'all' or a comma-separated list: what holds "
                                          "in every world"),
    lang: str = typer.Option("en", "--lang", help="en or ja"),
    store: Optional[str] = typer.Option(None, "--store", help="an exploration store (umbrella explore run): its "
                                        "sensitivity and policy ranking"),
    fmt: str = typer.Option("html", "--format", help="html, pdf or both"),
    out_dir: Path = typer.Option(Path("reports"), "--out", help="directory for the report files"),
    runs: Optional[int] = typer.Option(None, "--runs", help="runs (default: the scenario's)"),
    seed: Optional[int] = typer.Option(None, "--seed"),
    world: Optional[str] = typer.Option(None, "--world", help="world id or YAML path"),
    set_: list[str] = typer.Option([], "--set", help="override a scenario field: PATH=VALUE"),
):
    """A briefing: question, headline outcomes with intervals, figures, the exposure map, why,
    what holds in every world, assumptions and sources, and how to reproduce it (HTML and/or PDF,
    English or Japanese)."""
    from umbrella.interfaces import i18n
    from umbrella.interfaces.briefing import report as R

    i18n.check_lang(lang)
    formats = R.parse_format(fmt)
    if worlds_ is not None and world is not None:
        raise InputError("--worlds", worlds_, "--worlds without --world")
    from umbrella.scenario import load_scenario
    t = time.perf_counter()
    sc_id = load_scenario(scenario, overrides=list(set_), fields={"world": world, "runs": runs, "seed": seed}).id
    with R.writing(out_dir, sc_id, lang):    # one writer per target; a killed report's temporary files go
        ctx = R.build(scenario, lang=lang, compare=compare, worlds=worlds_, store=store, world=world, runs=runs,
                      seed=seed, overrides=set_, argv=["umbrella", "report", *sys.argv[2:]],
                      progress=lambda m: err.print(m, highlight=False) if err.is_terminal else None)
        written = R.write(ctx, out_dir, formats)
    for p in written:
        err.print(f"wrote {p} ({p.stat().st_size / 1024:,.0f} KB)", highlight=False)
    parts = ", ".join(f"{k} {v:.1f} s" for k, v in ctx["timings"].items())
    err.print(f"report in {time.perf_counter() - t:.1f} s ({parts})", highlight=False)


@_guard
def dashboard(
    port: int = typer.Option(8050, "--port", help="port to listen on"),
    host: str = typer.Option("127.0.0.1", "--host", help="address to bind (default: this machine only)"),
    max_runs: int = typer.Option(20_000, "--max-runs", help="the most runs one request may ask for"),
    max_parallel: int = typer.Option(1, "--max-parallel", help="simulations at once; the rest wait"),
    workers: Optional[int] = typer.Option(None, "--workers", help="worker processes sharing one simulation's "
                                          "runs (0: in the server's process; default: 2 on 2 or more cores)"),
    root: Optional[Path] = typer.Option(None, "--root", help="a directory whose exploration stores the page "
                                        "may open (nothing else on disk is read)"),
):
    """A local web dashboard: build a scenario, run it, read the figures, in English or Japanese
    (offline; bound to 127.0.0.1 unless --host is given)."""
    from umbrella.interfaces.dashboard import app as D
    from umbrella.interfaces.dashboard.service import Limits
    if not 1 <= port <= 65535:
        raise InputError("--port", port, "a port from 1 to 65535")
    if not 100 <= max_runs <= 1_000_000:
        raise InputError("--max-runs", max_runs, "an integer from 100 to 1,000,000")
    if not 1 <= max_parallel <= 8:
        raise InputError("--max-parallel", max_parallel, "an integer from 1 to 8")
    if workers is not None and not 0 <= workers <= 64:
        raise InputError("--workers", workers, "an integer from 0 to 64")
    if root is not None and not Path(root).is_dir():
        raise InputError("--root", str(root), "an existing directory")
    limits = Limits(max_runs=max_runs, max_parallel=max_parallel)
    if workers is not None:
        limits = Limits(max_runs=max_runs, max_parallel=max_parallel, workers=0 if workers == 1 else workers)
    err.print(f"Umbrella dashboard on http://{host}:{port}/ (Ctrl-C to stop)", highlight=False)
    D.serve(host=host, port=port, limits=limits, root=root)
