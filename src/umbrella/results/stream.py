"""A scenario's JSON summary with memory bounded by the batch: the engine hands each batch to an
Accumulator and drops it (`umbrella run --json`, `--worlds`, `headlines`). Up to EXACT_RUNS runs
the quantiles are exact (the batches' quantile series are kept: identical to `summarise` on full
arrays); beyond, they come from fixed histograms (summary.HISTOGRAMS) and the summary says so."""

from __future__ import annotations

from collections.abc import Callable

from umbrella.results.summary import HISTOGRAMS, Accumulator

# exact quantiles keep about 5 KB per run (warheads, opinion, credibility by year): 100 MB here
EXACT_RUNS = 20_000


def accumulate(scenario, world, *, batch_size: int = 10_000, progress: Callable[[int], None] | None = None,
               exact: bool | None = None, span: tuple[int, int] | None = None,
               on_year: Callable[[float], None] | None = None) -> Accumulator:
    """Run `scenario` under `world` (only the global runs of `span`, if given) into an
    Accumulator, dropping each batch. Accumulators of consecutive spans merge (in run order)
    into the accumulator of all the runs: the dashboard runs the halves in two processes."""
    from umbrella.engine.run import simulate
    from umbrella.results.limits import check_memory
    check_memory(scenario, world, batch_size)       # a batch that cannot fit: refused before it starts
    keep = scenario.runs <= EXACT_RUNS if exact is None else bool(exact)
    box: dict = {}

    def add(r0, batch):
        if "acc" not in box:
            box["acc"] = Accumulator(batch.inputs, batch.theatres, exact=keep)
        box["acc"].add(batch)

    simulate(scenario, world, batch_size=batch_size, progress=progress, on_batch=add, span=span, on_year=on_year)
    return box["acc"]


def finish(acc: Accumulator, scenario, world) -> dict:
    """The JSON summary of an accumulator of all the scenario's runs."""
    s = acc.summary(scenario, world)
    s["quantiles"] = {"method": "exact"} if acc.exact else {
        "method": "histogram", "clipped": {k: int(v) for k, v in acc.clipped.items()},
        "bin_width": {k: (hi - lo) / nb for k, (lo, hi, nb) in HISTOGRAMS.items()}}
    return s


def summarise_run(scenario, world, *, batch_size: int = 10_000, progress: Callable[[int], None] | None = None,
                  exact: bool | None = None) -> dict:
    """Run `scenario` under `world` and return its JSON summary without keeping the runs.
    `exact`: keep exact quantiles (default: when the runs are at most EXACT_RUNS)."""
    return finish(accumulate(scenario, world, batch_size=batch_size, progress=progress, exact=exact),
                  scenario, world)
