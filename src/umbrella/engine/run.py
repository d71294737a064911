"""Run a scenario ensemble: batches of runs through the kernel, results gathered in order.

Batching bounds memory; it never changes a result, because each run's random numbers are keyed
by its global index (see `rng`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from umbrella.engine import crises, init, params
from umbrella.engine import layout as L
from umbrella.engine.arrays import Log, Out, State, Static
from umbrella.engine.step import simulate as _kernel
from umbrella.errors import InputError


def _check_state(out: dict, sl: slice, inp, r0: int) -> None:
    """NaN never reaches an output: a NaN in the engine's state (e.g. from a parameter set to 0
    where it divides) is an error naming the actor, the field and the year."""
    # (the order index is NaN by design without China or every aligner, model.md §2.4)
    for name, per in (("warheads", "actor"), ("credibility", "pair"), ("npt_strength", None)):
        bad = np.isnan(out[name][sl])
        if bad.any():
            idx = np.argwhere(bad)[0]
            run, year = r0 + int(idx[0]), int(inp.years[int(idx[1])])
            who = "" if per is None else (inp.actors[int(idx[2])] if per == "actor"
                                          else "->".join(inp.pairs[int(idx[2])]))
            raise InputError("scenario", name, "inputs for which the state stays finite (check `uncertain` "
                             "values that divide, e.g. a parameter set to 0)",
                             problem=f"became NaN for {who or 'the system'} in {year} (run {run})")
    op = out["opinion"][sl]
    polled = ~np.isnan(op[:, 0, :]).all(axis=0)
    bad = np.isnan(op[:, :, polled])
    if bad.any():
        idx = np.argwhere(bad)[0]
        a = inp.actors[int(np.nonzero(polled)[0][int(idx[2])])]
        raise InputError("scenario", "opinion", "inputs for which the state stays finite",
                         problem=f"became NaN for {a} in {int(inp.years[int(idx[1])])} (run {r0 + int(idx[0])})")


_OUT = ("status", "reached", "covert", "warheads", "opinion", "posture", "credibility", "npt_strength",
        "npt_collapsed", "us_admin", "rok_camp", "order")   # the order of arrays.Out


@dataclass(frozen=True)
class Design:
    """An explicit design (the exploration layer's experiments): `values[i, j]` is parameter
    `names[j]` at point i, for every run of the point; parameters not named keep their per-run
    distribution. Each point is run `replicates` times, replicate k with the random numbers of
    global run k, so every point replays the same draws (common random numbers). Rows of the
    results are point-major: row = point * replicates + replicate."""

    names: tuple[str, ...]
    values: np.ndarray        # (point, len(names)) float64
    replicates: int

    def __post_init__(self):
        v = np.asarray(self.values, np.float64)
        object.__setattr__(self, "values", v.reshape(len(v), len(self.names)) if v.size else
                           np.zeros((len(v), len(self.names))))
        for j, name in enumerate(self.names):
            if name not in params.INDEX:
                raise InputError("design", name, "a model parameter name (docs/parameters.md)",
                                 problem="is not a model parameter")
            if name in params.registry.STRUCTURAL:
                raise InputError("design", name, "a per-run parameter (a structural one is set per "
                                 "ensemble, through the scenario's `uncertain` with dist: fixed)",
                                 problem="cannot vary per run")
            bad = ~np.isfinite(self.values[:, j])
            if bad.any():
                raise InputError(f"design.{name}", float(self.values[bad, j][0]), "a finite number")
        if int(self.replicates) < 1:
            raise InputError("design.replicates", self.replicates, "an integer >= 1")
        if len(self.values) < 1:
            raise InputError("design", "no points", "at least one design point")

    @property
    def rows(self) -> int:
        return len(self.values) * int(self.replicates)

    def runs(self, sl: slice) -> np.ndarray:
        """The random-number key (replicate index) of rows sl."""
        return np.arange(sl.start, sl.stop, dtype=np.int64) % int(self.replicates)

    def fill(self, P: np.ndarray, sl: slice) -> None:
        """Overwrite the named columns of P (rows sl) with their points' values."""
        point = np.arange(sl.start, sl.stop) // int(self.replicates)
        for j, name in enumerate(self.names):
            P[:, params.INDEX[name]] = self.values[point, j]


@dataclass
class Results:
    """Raw outputs, run axis first (see `umbrella.results.dataset` for the labelled form)."""

    scenario: object
    world: object
    inputs: init.Inputs
    status: np.ndarray        # (run, year, actor) int8, status at the end of the year
    reached: np.ndarray       # (run, year, actor) int8, highest status reached so far
    covert: np.ndarray        # (run, year, actor) bool, has run a covert programme
    warheads: np.ndarray      # (run, year, actor) float32
    opinion: np.ndarray       # (run, year, actor) float32 share, NaN where not polled
    posture: np.ndarray       # (run, year, actor) int8, -1 where not modelled
    credibility: np.ndarray   # (run, year, pair) float32
    npt_strength: np.ndarray  # (run, year) float32
    npt_collapsed: np.ndarray # (run, year) bool
    us_admin: np.ndarray      # (run, year) int8
    rok_camp: np.ndarray      # (run, year) int8
    order: np.ndarray         # (run, year) float32
    params: np.ndarray        # (run, param) float64
    ev_year: np.ndarray       # (run, event) int16
    ev_actor: np.ndarray      # (run, event) int8 (-1: system)
    ev_kind: np.ndarray       # (run, event) int8
    ev_terms: np.ndarray      # (run, event, term) float32
    ev_n: np.ndarray          # (run,) int32, events recorded (may exceed capacity)
    theatres: tuple = ()      # crisis theatres modelled (engine/crises.py), the last axis below
    crisis_rung: np.ndarray | None = None        # (run, year, theatre) int8, 0: no crisis
    crisis_end: np.ndarray | None = None         # (run, year, theatre) int8, -1: none
    crisis_first_user: np.ndarray | None = None  # (run, year, theatre) int8, -1: no nuclear use
    extra: dict = field(default_factory=dict)


def _alloc(R: int, Y: int, A: int, NP: int, K: int) -> dict[str, np.ndarray]:
    """The output arrays of R runs (run axis first)."""
    out = dict(
        status=np.zeros((R, Y, A), np.int8), reached=np.zeros((R, Y, A), np.int8),
        covert=np.zeros((R, Y, A), np.bool_), warheads=np.zeros((R, Y, A), np.float32),
        opinion=np.zeros((R, Y, A), np.float32), posture=np.zeros((R, Y, A), np.int8),
        credibility=np.zeros((R, Y, NP), np.float32), npt_strength=np.zeros((R, Y), np.float32),
        npt_collapsed=np.zeros((R, Y), np.bool_), us_admin=np.zeros((R, Y), np.int8),
        rok_camp=np.zeros((R, Y), np.int8), order=np.zeros((R, Y), np.float32),
        params=np.zeros((R, params.N_PARAMS)),
        ev_year=np.zeros((R, L.MAX_EVENTS), np.int16), ev_actor=np.zeros((R, L.MAX_EVENTS), np.int8),
        ev_kind=np.zeros((R, L.MAX_EVENTS), np.int8),
        ev_terms=np.zeros((R, L.MAX_EVENTS, L.N_TERMS), np.float32),
        ev_n=np.zeros(R, np.int32),
    )
    out.update(crises.empty(R, Y, K))
    return out


def bytes_per_run(years: int, actors: int, pairs: int, theatres: int) -> int:
    """Memory of one run's output arrays (what `simulate` keeps per run without streaming)."""
    return sum(a.nbytes for a in _alloc(1, years, actors, pairs, theatres).values())


def preflight(scenario, world) -> None:
    """Every check `simulate` makes before it runs, without running: the scenario in this world
    builds (start-year data, schedule, crisis plan, parameter distributions). `umbrella validate`
    and `explore validate` call it, so they refuse what `run` would refuse before its first run
    (a NaN reached during a run is still refused by the run: it depends on the draws)."""
    if scenario.mode != "annual":
        return
    params.check_uncertain(scenario.uncertain)
    inp = init.build(scenario, world)
    crises.plan(scenario, world, inp)
    params._spec_arrays(world, scenario.uncertain)


def simulate(scenario, world, *, batch_size: int = 10_000,
             progress: Callable[[int], None] | None = None,
             capture: tuple[str, int] | None = None, design: Design | None = None,
             on_batch: Callable[[int, "Results"], None] | None = None,
             span: tuple[int, int] | None = None,
             on_year: Callable[[float], None] | None = None) -> Results:
    """The ensemble of `scenario` under `world`, in batches of `batch_size` runs. `capture`
    (theatre id, year): keep that theatre's crises of that year, each batch's (global runs,
    crisis inputs, parameters, outcomes), in `Results.extra["crises"]` (`umbrella crisis`).
    `design`: run an explicit design (its points x replicates rows) instead of `scenario.runs`
    runs with their own parameter draws. `on_batch(r0, batch)`: stream; each batch's Results
    (global runs r0 .. r0 + n - 1) goes to on_batch and is not kept, so memory is one batch,
    and the Results returned hold no runs. `span` (a, b): only the global runs a .. b - 1 of the
    scenario's runs (with on_batch: another process may run the rest; each run's numbers depend
    on its global index only). `on_year(done)`: called after each simulated year with the runs of
    the span done so far (the current batch's counted in proportion to its years): a progress
    signal that moves forward across batches."""
    if scenario.mode != "annual":
        raise InputError("mode", scenario.mode, "annual (historical mode runs through "
                         "umbrella.calibrate.historical: `umbrella run historical`)",
                         problem="is not the annual model")
    params.check_uncertain(scenario.uncertain)
    inp = init.build(scenario, world)
    R = design.rows if design is not None else scenario.runs
    first, stop = (0, R) if span is None else (int(span[0]), int(span[1]))
    if not 0 <= first <= stop <= R:
        raise ValueError(f"simulate: span {span} outside the {R} runs")
    Y = len(inp.years)
    plan = crises.plan(scenario, world, inp)
    K = len(plan.theatres) if plan else 0
    batch_size = max(1, int(batch_size))
    # streaming: each batch's arrays are handed to on_batch and dropped; memory is one batch
    out = _alloc(0 if on_batch is not None else stop - first, Y, len(inp.actors), len(inp.pairs), K)
    if capture is not None:
        th, year = capture
        if plan is None or th not in plan.ids or not int(inp.years[0]) <= int(year) <= int(inp.years[-1]):
            raise InputError("theatre", th, f"a theatre the scenario plays ({', '.join(plan.ids) if plan else 'none'}) "
                             f"and a year in {int(inp.years[0])}-{int(inp.years[-1])}")
        plan.capture = {"k": plan.ids.index(th), "t": int(year) - int(inp.years[0]), "parts": []}
    for r0 in range(first, stop, batch_size):
        n = min(batch_size, stop - r0)
        gsl = slice(r0, r0 + n)                       # the batch's global rows
        if on_batch is not None:
            bout, sl = _alloc(n, Y, len(inp.actors), len(inp.pairs), K), slice(0, n)
        else:
            bout, sl = out, slice(r0 - first, r0 - first + n)
        runs = design.runs(gsl) if design is not None else np.arange(r0, r0 + n, dtype=np.int64)
        P = params.sample_runs(world, scenario.uncertain, scenario.seed, runs)
        if design is not None:
            design.fill(P, gsl)
        bout["params"][sl] = P
        xf = np.broadcast_to(inp.xf0, (n, *inp.xf0.shape)).copy()
        xi = np.broadcast_to(inp.xi0, (n, *inp.xi0.shape)).copy()
        pf = np.broadcast_to(inp.pf0, (n, *inp.pf0.shape)).copy()
        sf = np.broadcast_to(inp.sf0, (n, *inp.sf0.shape)).copy()
        si = np.broadcast_to(inp.si0, (n, *inp.si0.shape)).copy()
        state = State(xf, xi, pf, sf, si)
        static = Static(P, inp.D, inp.G, inp.GW, inp.SCH, inp.SCG, inp.pair_pat, inp.pair_cli,
                        inp.pair_kind, inp.align_idx, inp.SCP)
        res = Out(*(bout[k][sl] for k in _OUT))
        ev = Log(bout["ev_year"][sl], bout["ev_actor"][sl], bout["ev_kind"][sl], bout["ev_terms"][sl],
                 bout["ev_n"][sl])

        # bind this batch's values (years() is only called within the iteration that defines it)
        def years(t0, t1, runs=runs, state=state, static=static, res=res, ev=ev):
            _kernel(scenario.seed, runs, int(inp.years[0]), t0, t1, state, static, res, ev)

        if plan is None:
            years(0, Y)
            if on_year is not None:
                on_year(r0 - first + n)
        else:
            # the crisis layer closes each year (DESIGN.md §5 item 9), between kernel calls
            cout = {k: bout[k][sl] for k in ("crisis_rung", "crisis_end", "crisis_first_user")}
            Pc = crises.params_of(P)
            for t in range(Y):
                years(t, t + 1)
                crises.step(plan, t, int(inp.years[t]), scenario.seed, runs, xf, xi, pf, si, Pc, cout, ev)
                if on_year is not None:
                    on_year(r0 - first + n * (t + 1) / Y)
        _check_state(bout, sl, inp, r0)
        if on_batch is not None:
            on_batch(r0, Results(scenario=scenario, world=world, inputs=inp, theatres=plan.ids if plan else (),
                                 **bout))
        if progress is not None:
            progress(n)
    extra = {"crises": plan.capture["parts"]} if capture is not None and plan is not None else {}
    return Results(scenario=scenario, world=world, inputs=inp,
                   theatres=plan.ids if plan else (), extra=extra, **out)
