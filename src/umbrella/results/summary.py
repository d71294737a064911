"""The JSON summary: the contract scripts rely on. Years are string keys; shares lie in [0, 1]."""

from __future__ import annotations

import math
import warnings

import numba as nb
import numpy as np

from umbrella.crisis.payoffs import TOP, WAR
from umbrella.engine import layout as L
from umbrella.results.intervals import LEVEL, RARE, wilson
from umbrella.results.quantile import nanpercentiles

LEVELS = {"explore": L.EXPLORE, "pursue": L.PURSUE, "arsenal": L.ARSENAL}
QUANTILES = {"p10": 10, "p50": 50, "p90": 90}


def round6(x) -> float | None:
    """A JSON number: rounded to 6 decimals; None for None or NaN; -0.0 as 0.0 (so that a
    difference and its opposite print alike). Every JSON writer of results uses it."""
    if x is None:
        return None
    x = float(x)
    return None if math.isnan(x) else round(x, 6) + 0.0


_r = round6


def _series(values, years) -> dict[str, float]:
    return {str(int(y)): _r(v) for y, v in zip(years, values, strict=False)}


def ever(x: np.ndarray) -> np.ndarray:
    """(run, year, ...) bool -> happened at least once from the start year to each year."""
    return np.logical_or.accumulate(x, axis=1)


def nuclear_use_any(res) -> np.ndarray:
    """(run, year) bool: a nuclear detonation in any theatre at least once by the year."""
    R, Y = res.npt_collapsed.shape
    if not res.theatres or res.crisis_first_user is None:
        return np.zeros((R, Y), np.bool_)
    return ever((res.crisis_first_user >= 0).any(axis=2))


def war_ever(res) -> np.ndarray:
    """(run, year, theatre) bool: a war (rung >= 4) in the theatre at least once by the year."""
    return ever(res.crisis_rung >= WAR)


def nuclear_use_ever(res) -> np.ndarray:
    """(run, year, theatre) bool: a nuclear detonation in the theatre at least once by the year."""
    return ever(res.crisis_first_user >= 0)


def _quantiles(arr, years) -> dict[str, dict[str, float]]:
    """arr: (run, year) -> {p10, p50, p90, mean}[year]."""
    out = {q: _series(nanpercentile(arr, p), years) for q, p in QUANTILES.items()}
    out["mean"] = _series(np.nanmean(arr, axis=0), years)
    return out


def nanpercentile(arr: np.ndarray, p: float, axis: int = 0) -> np.ndarray:
    """np.nanpercentile(arr, p, axis) with the same numbers, faster: float arrays by the selection
    kernel (results.quantile); others with the columns without NaN through np.percentile at once
    (nanpercentile loops over every column in Python)."""
    a = np.asarray(arr)
    if a.dtype in (np.float32, np.float64):
        return nanpercentiles(a, [p], axis)[0]
    a = np.moveaxis(a, axis, 0)
    bad = np.isnan(a).any(axis=0)
    if not bad.any():
        return np.percentile(a, p, axis=0)
    good = np.percentile(a[:, ~bad], p, axis=0)        # in the dtype nanpercentile would give
    out = np.empty(a.shape[1:], good.dtype)
    out[~bad] = good
    with np.errstate(all="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)     # an all-NaN column is NaN, as before
        out[bad] = np.nanpercentile(a[:, bad], p, axis=0)
    return out


MAX_LAG = 512   # years from a programme's onset to its first weapon (the panel's onsets start in 1939)


@nb.njit(cache=True)
def _lag_counts(ev_n, ev_actor, ev_kind, ev_year, reached, status0, start0, y0, n_actors):
    """(actor, lag) counts of the years from the onset of the programme that produced each
    arsenal to its first weapon, over the runs given (the event log read in order)."""
    out = np.zeros((n_actors, MAX_LAG), np.int64)
    onset = np.empty(n_actors, np.int64)
    for r in range(ev_n.shape[0]):
        onset[:] = -1
        for k in range(min(ev_n[r], ev_kind.shape[1])):
            a, kind, yr = ev_actor[r, k], ev_kind[r, k], ev_year[r, k]
            if kind == L.EV_PURSUE or (kind == L.EV_FORCED and reached[r, yr - y0, a] >= L.PURSUE):
                if onset[a] < 0:
                    onset[a] = yr
            elif kind == L.EV_ABANDON_PURSUE or kind == L.EV_PREVENTIVE or kind == L.EV_ABANDON_EXPLORE:
                onset[a] = -1
            elif kind == L.EV_ACQUIRE:
                start = onset[a]
                if start < 0:
                    start = start0[a] if status0[a] == L.PURSUE else yr
                out[a, min(max(yr - start + 1, 0), MAX_LAG - 1)] += 1
    return out


def _lags(res) -> np.ndarray:
    """(actor, lag) counts of the runs of `res` (a whole ensemble or one batch)."""
    inp = res.inputs
    y0 = int(inp.years[0])
    return _lag_counts(res.ev_n, res.ev_actor, res.ev_kind, res.ev_year, res.reached,
                       inp.xi0[:, L.XI_STATUS].astype(np.int64),
                       (y0 - inp.xi0[:, L.XI_YEARS]).astype(np.int64), y0, len(inp.actors))


def _ttw(actors, lags: np.ndarray) -> dict[str, dict]:
    """{actor: {p50, n}} from (actor, lag) counts; the median is exact."""
    out = {}
    for i, a in enumerate(actors):
        v = np.repeat(np.arange(MAX_LAG), lags[i])
        out[a] = {"p50": _r(float(np.median(v))) if v.size else None, "n": int(v.size)}
    return out


# the quantile series and their histograms when streaming: (low, high, bins); a value outside
# [low, high) counts in the edge bin (`Accumulator.clipped` says how often)
HISTOGRAMS = {"credibility": (0.0, 1.0, 8192), "opinion": (0.0, 1.0, 8192), "order": (0.0, 1.0, 8192),
              "npt_strength": (0.0, 4.0, 8192), "warheads": (0.0, 16384.0, 16384)}


@nb.njit(cache=True)
def _hist_add(hist, x, lo, scale):
    """hist[year, series, bin] += 1 for each non-NaN x[run, year, series]; returns the values
    outside the range (counted in the edge bins)."""
    nb_ = hist.shape[2]
    clipped = 0
    for r in range(x.shape[0]):
        for t in range(x.shape[1]):
            for j in range(x.shape[2]):
                v = x[r, t, j]
                if v != v:
                    continue
                b = int(np.floor((v - lo) * scale))
                if b < 0:
                    b, clipped = 0, clipped + 1
                elif b >= nb_:
                    b, clipped = nb_ - 1, clipped + 1
                hist[t, j, b] += 1
    return clipped


class Accumulator:
    """Everything the JSON summary reports, reduced from batches of runs and mergeable. Shares,
    counts and times to weapon are exact sums; means are float64 sums; the p10/p50/p90 are exact
    with `exact=True` (the batches' values are kept: `summarise`) and otherwise read from fixed
    histograms (HISTOGRAMS: within one bin, 1/8192 of [0, 1] for credibility, opinion and the
    order, 1/2048 for NPT strength, one warhead), so memory does not grow with the runs."""

    def __init__(self, inputs, theatres, exact: bool = False):
        self.inputs, self.theatres, self.exact = inputs, tuple(theatres), exact
        Y, A, NP, K = len(inputs.years), len(inputs.actors), len(inputs.pairs), len(self.theatres)
        self.n = 0
        self.reached = {lvl: np.zeros((Y, A), np.int64) for lvl in LEVELS}
        self.covert = np.zeros((Y, A), np.int64)
        self.posture = np.zeros((len(L.POSTURE_NAMES), Y, A), np.int64)
        self.modelled = np.zeros(A, bool)       # alignment modelled (posture >= 0 somewhere)
        self.polled = np.zeros(A, bool)         # opinion not all NaN
        self.collapse = np.zeros(Y, np.int64)
        self.admin = np.zeros(Y, np.int64)
        self.use = np.zeros((Y, K), np.int64)
        self.use_any = np.zeros(Y, np.int64)
        self.war = np.zeros((Y, K), np.int64)
        self.central = np.zeros(Y, np.int64)
        self.rungs = np.zeros((K, TOP + 1), np.int64)   # crises by the highest rung reached, all years
        self.overflow = 0
        self.lags = np.zeros((A, MAX_LAG), np.int64)
        self.armed0 = np.zeros(A, bool)          # armed at the start in some run: not in the cascade
        self.first_n = np.zeros(A, np.int64)     # runs with the actor armed by the horizon
        self.after = np.zeros((A, A), np.int64)  # [i, j]: runs with j armed, then i in a later year
        width = {"credibility": NP, "opinion": A, "order": 1, "npt_strength": 1, "warheads": A}
        self.kept: dict[str, list[np.ndarray]] = {k: [] for k in width}
        self.total = {k: np.zeros((Y, w)) for k, w in width.items()}
        self.count = {k: np.zeros((Y, w), np.int64) for k, w in width.items()}
        # int32 counts: up to 2**31 runs per cell, well above the 10,000,000 runs a scenario allows
        self.hist = {} if exact else {k: np.zeros((Y, w, HISTOGRAMS[k][2]), np.int32) for k, w in width.items()}
        self.clipped = {k: 0 for k in width}
        self._exact_q: dict[str, dict[str, np.ndarray]] = {}   # read-time cache, cleared by add()

    @staticmethod
    def _series_arrays(res) -> dict[str, np.ndarray]:
        """(run, year, series) float arrays of the quantile series."""
        return {"credibility": res.credibility, "opinion": res.opinion, "order": res.order[:, :, None],
                "npt_strength": res.npt_strength[:, :, None], "warheads": res.warheads}

    def add(self, res) -> None:
        """Reduce a batch (or a whole ensemble) of runs."""
        self.n += res.status.shape[0]
        self._exact_q.clear()
        for lvl, code in LEVELS.items():
            self.reached[lvl] += (res.reached >= code).sum(axis=0)
        self.covert += res.covert.sum(axis=0)
        for code in range(len(L.POSTURE_NAMES)):
            self.posture[code] += (res.posture == code).sum(axis=0)
        self.modelled |= (res.posture >= 0).any(axis=(0, 1))
        self.polled |= ~np.isnan(res.opinion).all(axis=(0, 1))
        self.collapse += res.npt_collapsed.sum(axis=0)
        self.admin += res.us_admin.astype(np.int64).sum(axis=0)
        if self.theatres:
            self.use += nuclear_use_ever(res).sum(axis=0)
            self.use_any += nuclear_use_any(res).sum(axis=0)
            self.war += war_ever(res).sum(axis=0)
            self.central += ever((res.crisis_rung >= TOP).any(axis=2)).sum(axis=0)
            for k in range(len(self.theatres)):
                self.rungs[k] += np.bincount(res.crisis_rung[:, :, k].ravel().astype(np.int64), minlength=TOP + 1)
        self.overflow += int((res.ev_n > L.MAX_EVENTS).sum())
        self.lags += _lags(res)
        self._add_cascade(res)
        for k, x in self._series_arrays(res).items():
            ok = ~np.isnan(x)
            self.total[k] += np.where(ok, x, 0.0).sum(axis=0, dtype=np.float64)
            self.count[k] += ok.sum(axis=0)
            if self.exact:
                self.kept[k].append(x)
            else:
                lo, hi, nb_ = HISTOGRAMS[k]
                self.clipped[k] += int(_hist_add(self.hist[k], np.ascontiguousarray(x), lo, nb_ / (hi - lo)))

    def merge(self, other: "Accumulator") -> None:
        """Add another accumulator's runs (e.g. another process's batches). Exact accumulators
        keep their runs: `other`'s must follow this one's (the quantiles are order-free, but a
        merge in run order gives the same arrays as one process)."""
        if self.exact != other.exact:
            raise ValueError("merge: an exact accumulator with a streaming one")
        self.n += other.n
        self._exact_q.clear()
        if self.exact:
            for k in self.kept:
                self.kept[k].extend(other.kept[k])
        for lvl in LEVELS:
            self.reached[lvl] += other.reached[lvl]
        for name in ("covert", "posture", "collapse", "admin", "use", "use_any", "war", "central", "rungs"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.modelled |= other.modelled
        self.polled |= other.polled
        self.overflow += other.overflow
        self.lags += other.lags
        self.armed0 |= other.armed0
        self.first_n += other.first_n
        self.after += other.after
        for k in self.total:
            self.total[k] += other.total[k]
            self.count[k] += other.count[k]
            self.clipped[k] += other.clipped[k]
        for k in self.hist:
            self.hist[k] += other.hist[k]

    def _add_cascade(self, res) -> None:
        """Counts of who is armed after whom (the year of each actor's first arsenal)."""
        armed = res.reached >= L.ARSENAL                          # (run, year, actor)
        Y = armed.shape[1]
        first = np.where(armed.any(axis=1), armed.argmax(axis=1), Y)   # (run, actor); Y: never
        self.armed0 |= (first == 0).any(axis=0)
        ever_ = first < Y
        self.first_n += ever_.sum(axis=0)
        self.after += (ever_[:, None, :] & ever_[:, :, None] & (first[:, :, None] > first[:, None, :])).sum(axis=0)

    def cascade(self) -> dict:
        """`cascade`: for the actors armed by the horizon in some run but at the start in none,
        p[i][j] = P(i armed by the horizon, in a later year than j | j armed by the horizon)
        (None where j is never armed), with the counts behind it."""
        keep = [i for i in range(len(self.inputs.actors)) if not self.armed0[i] and self.first_n[i] > 0]
        p = [[None if self.first_n[j] == 0 or i == j else round(float(self.after[i, j] / self.first_n[j]), 6)
              for j in keep] for i in keep]
        return {"year": int(self.inputs.years[-1]), "actors": [self.inputs.actors[i] for i in keep], "p": p,
                "after": [[int(self.after[i, j]) for j in keep] for i in keep],
                "n_first": [int(self.first_n[j]) for j in keep]}

    # -- reading ------------------------------------------------------------------------------

    def _share(self, counts) -> np.ndarray:
        return counts / self.n

    def _hist_quantile(self, k: str, p: float) -> np.ndarray:
        """(year, series) p-th percentile from the histogram, as numpy's linear interpolation
        between order statistics, each order statistic at the midpoint of its bin."""
        lo, hi, nb = HISTOGRAMS[k]
        h = self.hist[k]
        cnt = h.sum(axis=2, dtype=np.int64)
        cum = np.cumsum(h, axis=2, dtype=np.int64)
        mid = lo + (np.arange(nb) + 0.5) * (hi - lo) / nb
        pos = (cnt - 1) * p / 100.0
        j0, frac = np.floor(pos).astype(np.int64), pos - np.floor(pos)

        def order_stat(j):   # value of the j-th (0-based) order statistic
            b = np.argmax(cum > j[..., None], axis=2)
            return mid[b]

        v0, v1 = order_stat(j0), order_stat(np.minimum(j0 + 1, np.maximum(cnt - 1, 0)))
        out = v0 + frac * (v1 - v0)
        return np.where(cnt > 0, out, np.nan)

    def _exact_quantiles(self, k: str) -> dict[str, np.ndarray]:
        """{p10, p50, p90, mean}: (year, series) arrays of quantity k over the kept runs, every
        series at once (computed once per quantity, not once per series)."""
        if k not in self._exact_q:
            arr = np.concatenate(self.kept[k], axis=0)
            # every percentile in one pass (each with numpy's single-percentile numbers)
            q = dict(zip(QUANTILES, nanpercentiles(arr, list(QUANTILES.values())), strict=True))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)       # an all-NaN series is NaN
                q["mean"] = np.nanmean(arr, axis=0)
            self._exact_q[k] = q
        return self._exact_q[k]

    def quantiles(self, k: str, j: int) -> dict[str, dict[str, float]]:
        """{p10, p50, p90, mean}[year] of series j of quantity k."""
        years = self.inputs.years
        if self.exact:
            q = self._exact_quantiles(k)
            return {name: _series(v[:, j], years) for name, v in q.items()}
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(self.count[k][:, j] > 0, self.total[k][:, j] / self.count[k][:, j], np.nan)
        out = {q: _series(self._hist_quantile(k, p)[:, j], years) for q, p in QUANTILES.items()}
        out["mean"] = _series(mean, years)
        return out

    def crisis_series(self) -> dict:
        """Shares of runs by YEAR (cumulative: at least once from the start year to YEAR) with a
        nuclear detonation (`nuclear_use[THEATRE or "any"]`), a war at rung >= 4 (`war[THEATRE]`)
        and a central war at rung 8 (`strategic_exchange["any"]`), from the crisis layer."""
        years = self.inputs.years
        Y = len(years)
        if not self.theatres:
            zero = _series(np.zeros(Y), years)
            return {"nuclear_use": {"any": zero}, "war": {}, "strategic_exchange": {"any": zero}, "crisis_rungs": {}}
        nuclear = {th: _series(self._share(self.use[:, k]), years) for k, th in enumerate(self.theatres)}
        nuclear["any"] = _series(self._share(self.use_any), years)
        return {"nuclear_use": nuclear,
                "war": {th: _series(self._share(self.war[:, k]), years) for k, th in enumerate(self.theatres)},
                "strategic_exchange": {"any": _series(self._share(self.central), years)},
                # every crisis of every run and year, by the highest rung it reached (1..8)
                "crisis_rungs": {th: [int(c) for c in self.rungs[k, 1:]] for k, th in enumerate(self.theatres)}}

    def intervals(self) -> dict:
        """`intervals`: the 90 % Wilson interval [lo, hi] of every share of runs, by YEAR, under the
        same paths as the shares (status, alignment, npt_collapse, war, nuclear_use,
        strategic_exchange, us_america_first), and `rare`: the paths, at the last year, of the
        shares with 1 to `intervals.RARE` - 1 runs on one side (read the interval, not the point:
        a paired normal interval would be too narrow there; never and always are exact counts)."""
        years = self.inputs.years
        n = self.n
        rare_paths: list[str] = []

        def iv(counts, path: str) -> dict[str, list[float]]:
            lo, hi = wilson(counts, np.full(len(counts), float(n)))
            k_last = int(counts[-1])
            if 0 < min(k_last, n - k_last) < RARE:
                rare_paths.append(path)
            return {str(int(y)): [_r(a), _r(b)] for y, a, b in zip(years, lo, hi, strict=False)}

        actors = list(self.inputs.actors)
        status = {a: {**{lvl: iv(self.reached[lvl][:, i], f"status.{a}.{lvl}") for lvl in LEVELS},
                      "covert": iv(self.covert[:, i], f"status.{a}.covert")} for i, a in enumerate(actors)}
        alignment = {a: {name: iv(self.posture[code][:, i], f"alignment.{a}.{name}")
                         for code, name in enumerate(L.POSTURE_NAMES)}
                     for i, a in enumerate(actors) if self.modelled[i]}
        out = {"method": "wilson", "level": LEVEL, "status": status, "alignment": alignment,
               "npt_collapse": iv(self.collapse, "npt_collapse"),
               "us_america_first": iv(self.admin, "us_america_first")}
        if self.theatres:
            out["war"] = {th: iv(self.war[:, k], f"war.{th}") for k, th in enumerate(self.theatres)}
            out["nuclear_use"] = {th: iv(self.use[:, k], f"nuclear_use.{th}") for k, th in enumerate(self.theatres)}
            out["nuclear_use"]["any"] = iv(self.use_any, "nuclear_use.any")
            out["strategic_exchange"] = {"any": iv(self.central, "strategic_exchange.any")}
        out["rare"] = rare_paths
        return out

    def summary(self, scenario, world) -> dict:
        """The JSON summary (the scripts' contract)."""
        inp = self.inputs
        years = inp.years
        actors = list(inp.actors)
        status = {}
        for i, a in enumerate(actors):
            d = {lvl: _series(self._share(self.reached[lvl][:, i]), years) for lvl in LEVELS}
            d["covert"] = _series(self._share(self.covert[:, i]), years)
            status[a] = d
        credibility, other = {}, {}
        for p, (pat, cli) in enumerate(inp.pairs):
            if pat == "USA":
                credibility[cli] = self.quantiles("credibility", p)
            else:   # France, the UK, China and Russia as patrons: "PATRON->CLIENT"
                other[f"{pat}->{cli}"] = self.quantiles("credibility", p)
        alignment = {a: {name: _series(self._share(self.posture[code][:, i]), years)
                         for code, name in enumerate(L.POSTURE_NAMES)}
                     for i, a in enumerate(actors) if self.modelled[i]}   # -1: alignment not modelled
        opinion = {a: self.quantiles("opinion", i) for i, a in enumerate(actors) if self.polled[i]}
        warheads = {a: self.quantiles("warheads", i) for i, a in enumerate(actors)}
        nptq = self.quantiles("npt_strength", 0)
        return {
            "scenario": scenario.id, "world": world.id, "runs": int(self.n), "seed": int(scenario.seed),
            "start_year": int(scenario.start_year), "horizon": int(scenario.horizon), "actors": actors,
            "status": status,
            "npt": {"collapse": _series(self._share(self.collapse), years),
                    "strength": {q: nptq[q] for q in QUANTILES}},
            "credibility": credibility,
            "credibility_other": other,
            "alignment": alignment,
            "opinion": opinion,
            "warheads": warheads,
            "time_to_weapon": _ttw(actors, self.lags),
            "us_america_first": _series(self._share(self.admin), years),
            "regional_order": self.quantiles("order", 0),
            **self.crisis_series(),
            "cascade": self.cascade(),
            "intervals": self.intervals(),
            "events_overflow_runs": int(self.overflow),
        }


def summarise(res) -> dict:
    """The JSON summary of a whole ensemble (exact quantiles)."""
    acc = Accumulator(res.inputs, res.theatres, exact=True)
    acc.add(res)
    return acc.summary(res.scenario, res.world)
