"""Summaries that stream: the engine hands batches to an Accumulator and drops them. Shares,
counts and times to weapon equal the full arrays' summary exactly; quantiles from histograms
lie within a bin; the engine's streamed batches are the full run's rows."""

from __future__ import annotations

import numpy as np
import pytest

from umbrella.engine.run import simulate
from umbrella.results.stream import summarise_run
from umbrella.results.summary import HISTOGRAMS, Accumulator, summarise
from umbrella.scenario import load_scenario, load_world


@pytest.fixture(scope="module")
def full():
    sc = load_scenario("status-quo-2025", fields={"runs": 600, "seed": 3})
    w = load_world(sc.world)
    return sc, w, simulate(sc, w, batch_size=250)


def _walk(a, b, path=""):
    """Pairs of leaves (path, x, y) of two summaries with the same structure."""
    assert type(a) is type(b) or (a is None or b is None), path
    if isinstance(a, dict):
        assert set(a) == set(b), path
        for k in a:
            yield from _walk(a[k], b[k], f"{path}.{k}")
    else:
        yield path, a, b


def test_streamed_batches_are_the_full_runs_rows(full):
    sc, w, res = full
    seen = []
    simulate(sc, w, batch_size=250, on_batch=lambda r0, b: seen.append((r0, b)))
    assert [r0 for r0, _ in seen] == [0, 250, 500]
    for r0, b in seen:
        n = b.status.shape[0]
        for name in ("status", "warheads", "credibility", "crisis_rung", "ev_n", "params"):
            np.testing.assert_array_equal(getattr(b, name), getattr(res, name)[r0:r0 + n], err_msg=name)


def test_exact_streaming_equals_the_full_summary(full):
    sc, w, res = full
    s = summarise_run(sc, w, batch_size=250)
    assert s.pop("quantiles") == {"method": "exact"}
    assert s == summarise(res)


def test_histogram_streaming_is_exact_for_shares_and_within_a_bin_for_quantiles(full):
    sc, w, res = full
    exact = summarise(res)
    s = summarise_run(sc, w, batch_size=128, exact=False)
    q = s.pop("quantiles")
    assert q["method"] == "histogram" and sum(q["clipped"].values()) == 0
    width = {"credibility": 1 / 8192, "credibility_other": 1 / 8192, "opinion": 1 / 8192,
             "regional_order": 1 / 8192, "npt": 4 / 8192, "warheads": 1.0}
    n = 0
    for path, x, y in _walk(exact, s):
        top = path.split(".")[1]
        quantile = any(f".{k}." in path for k in ("p10", "p50", "p90", "mean")) and top in width
        if not quantile or x is None:
            assert x == y, path           # shares, counts, times to weapon, metadata: exact
            continue
        tol = width[top] + 1e-6 * max(1.0, abs(x))
        if ".mean." in path:
            tol = 1e-5 * max(1.0, abs(x))
        assert abs(x - y) <= tol, (path, x, y)
        n += 1
    assert n > 1000


def test_accumulators_merge_like_one(full):
    sc, w, res = full
    a, b, whole = (Accumulator(res.inputs, res.theatres) for _ in range(3))
    whole.add(res)
    parts = []
    simulate(sc, w, batch_size=300, on_batch=lambda r0, batch: parts.append(batch))
    a.add(parts[0])
    b.add(parts[1])
    a.merge(b)
    assert a.summary(sc, w) == whole.summary(sc, w)


def test_histogram_ranges_cover_the_model():
    # credibility, opinion and the order are shares; NPT strength is below its reference (~1);
    # the largest arsenal of the data (Russia, about 5,500) is far under 16,384 warheads
    assert HISTOGRAMS["credibility"][:2] == (0.0, 1.0) and HISTOGRAMS["warheads"][1] >= 16384


@pytest.mark.slow
def test_same_seed_same_json_across_threads_and_batches():
    """The summary is byte-identical with one or two Numba threads and any batch size, in the
    exact and the histogram modes."""
    import os
    import subprocess
    import sys

    def run(threads, batch, runs):
        env = dict(os.environ, NUMBA_NUM_THREADS=str(threads))
        r = subprocess.run([sys.executable, "-m", "umbrella", "run", "status-quo-2025", "--runs", str(runs),
                            "--horizon", "2035", "--seed", "9", "--batch-size", str(batch), "--json", "-"],
                           capture_output=True, text=True, env=env, timeout=900)
        assert r.returncode == 0, r.stderr
        return r.stdout

    assert run(1, 10_000, 400) == run(2, 97, 400)
    hist = run(2, 8_000, 20_500)                     # above EXACT_RUNS: histogram quantiles
    assert '"method": "histogram"' in hist and hist == run(1, 5_000, 20_500)


@pytest.mark.parametrize("dtype", [np.float32, np.float64, np.int8, np.int64])
@pytest.mark.parametrize("axis", [0, 1])
def test_nanpercentile_gives_numpys_numbers(dtype, axis):
    """The summary's quantiles: the same numbers and dtype as np.nanpercentile (the fast path
    skips its per-column loop), NaN columns included."""
    import warnings

    from umbrella.results.summary import nanpercentile
    rng = np.random.default_rng(3)
    a = rng.uniform(0, 100, (400, 6, 3)).astype(dtype)
    if a.dtype.kind == "f":
        a[rng.uniform(size=a.shape) < 0.1] = np.nan
        a[:, 2, 1] = np.nan
    for p in (10, 50, 90):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            want = np.nanpercentile(a, p, axis=axis)
        got = nanpercentile(a, p, axis=axis)
        assert got.dtype == want.dtype
        assert np.array_equal(got, want, equal_nan=True)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_selection_quantiles_equal_numpys_for_ties_small_samples_and_extremes(dtype):
    """results.quantile: every percentile (0 and 100 included) of columns of 1, 2, 3, 57 and
    1,001 values, with ties, all-equal, all-NaN and partly NaN columns, equals np.nanpercentile
    in value and dtype."""
    import warnings

    from umbrella.results.quantile import nanpercentiles
    rng = np.random.default_rng(11)
    ps = [0, 5, 10, 33.3, 50, 90, 95, 100]
    for n in (1, 2, 3, 57, 1001):
        a = rng.uniform(-50, 100, (n, 5, 4))
        a[:, 0] = np.round(a[:, 0] / 25)           # ties
        a[:, 1] = 7.0                              # all equal
        a = a.astype(dtype)
        a[:, 2, 0] = np.nan                        # all NaN
        a[rng.uniform(size=a.shape) < 0.3] = np.nan
        got = nanpercentiles(a, ps)
        for p, g in zip(ps, got, strict=True):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                want = np.nanpercentile(a, p, axis=0)
            assert g.dtype == want.dtype
            assert np.array_equal(g, want, equal_nan=True), (n, p)
