"""Model parameters: their names (the order of the columns of P) and per-run sampling.

A world gives every parameter a value, a range, a distribution and a citation; a scenario's
`uncertain` section may override the distribution of any of them. Parameters whose
distribution is not `fixed` are drawn per run from the PARAM stream, so the draw for run r is
the same whatever the batch size.
"""

from __future__ import annotations

import math
import zlib

import numba as nb
import numpy as np

from umbrella import rng
from umbrella.errors import InputError
from umbrella.scenario import registry

PARAMS: tuple[str, ...] = registry.NAMES
INDEX: dict[str, int] = {n: i for i, n in enumerate(PARAMS)}
N_PARAMS = len(PARAMS)


def _stream_ids(names) -> np.ndarray:
    """Each parameter's random-number index: a 16-bit hash of its name, not its column, so that
    adding a parameter never changes another parameter's draws (checked free of collisions)."""
    ids = np.array([zlib.crc32(n.encode()) & 0xFFFF for n in names], np.int64)
    if len(set(ids.tolist())) != len(ids):
        raise RuntimeError("parameter stream ids collide; rename a parameter")
    return ids


STREAM_ID = _stream_ids(PARAMS)

DIST_CODES = {"fixed": 0, "uniform": 1, "triangular": 2, "normal": 3, "lognormal": 4, "backbone": 5}


def _spec_arrays(world, uncertain) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Distribution code and its three shape numbers (a, b, c) for every parameter."""
    missing = [n for n in PARAMS if n not in world.parameters]
    if missing:
        raise InputError(f"world {world.id}", ", ".join(missing[:5]),
                         "a world that defines every model parameter", problem="is missing")
    extra = sorted(set(world.parameters) - set(PARAMS))
    if extra:
        raise InputError(f"world {world.id}.parameters", extra[0],
                         "one of the model's parameters (docs/parameters.md)",
                         problem="is not a model parameter")
    for name in sorted(registry.STRUCTURAL):
        d = uncertain.get(name)
        dist = d.dist if d is not None else world.parameters[name].dist
        if dist != "fixed":
            where = f"uncertain.{name}.dist" if d is not None else f"world {world.id}.parameters.{name}.dist"
            raise InputError(where, dist, "fixed (one value per ensemble: it shapes the run's structure)",
                             problem="cannot vary per run")
    code = np.zeros(N_PARAMS, np.int64)
    a = np.zeros(N_PARAMS)
    b = np.zeros(N_PARAMS)
    c = np.zeros(N_PARAMS)
    for i, name in enumerate(PARAMS):
        p = world.parameters[name]
        lo, hi = p.range
        d = uncertain.get(name)
        if d is None:
            code[i] = DIST_CODES[p.dist]
            # a world's own distributions live on its range: triangular peaks at the value,
            # normal/lognormal put the range at about +-2 sd
            a[i], b[i], c[i] = {
                "fixed": (p.value, 0.0, 0.0),
                "uniform": (lo, hi, 0.0),
                "triangular": (lo, p.value, hi),
                "normal": (p.value, max((hi - lo) / 4.0, 1e-12), 0.0),
                "lognormal": (p.value, max(math.log(hi / lo) / 4.0, 1e-12) if lo > 0 else 0.25, 0.0),
                "backbone": (p.value, 0.0, 0.0),   # joint normal draw in `sample`
            }[p.dist]
        else:
            code[i] = DIST_CODES[d.dist]
            a[i], b[i], c[i] = {
                "fixed": (d.value, 0.0, 0.0),
                "uniform": (d.low, d.high, 0.0),
                "triangular": (d.low, d.mode, d.high),
                "normal": (d.mean, d.sd, 0.0),
                "lognormal": (d.mean, d.sd, 0.0),
            }[d.dist]
    return code, a, b, c


@nb.njit(cache=True, error_model="numpy")
def _draw(seed, runs, code, a, b, c, sid):
    n = runs.shape[0]
    out = np.empty((n, code.shape[0]))
    for r in range(n):
        key = rng.run_key(seed, runs[r])
        for k in range(code.shape[0]):
            u = rng.uniform(key, 0, rng.PARAM, sid[k])
            m = code[k]
            if m == 0:
                out[r, k] = a[k]
            elif m == 1:
                out[r, k] = a[k] + (b[k] - a[k]) * u
            elif m == 2:  # triangular(low=a, mode=b, high=c) by inverse cdf
                lo, mo, hi = a[k], b[k], c[k]
                if hi <= lo:
                    out[r, k] = lo
                else:
                    f = (mo - lo) / (hi - lo)
                    if u < f:
                        out[r, k] = lo + math.sqrt(u * (hi - lo) * (mo - lo))
                    else:
                        out[r, k] = hi - math.sqrt((1.0 - u) * (hi - lo) * (hi - mo))
            else:
                z = rng.normal(key, 1, rng.PARAM, sid[k])
                if m == 3:
                    out[r, k] = a[k] + b[k] * z
                else:  # lognormal with median a and log-sd b
                    out[r, k] = a[k] * math.exp(b[k] * z)
    return out


@nb.njit(cache=True, error_model="numpy")
def _normals(seed, runs, sid):
    """Standard normals z[run, k], keyed by the global run and the parameter's stream id."""
    n = runs.shape[0]
    out = np.empty((n, sid.shape[0]))
    for r in range(n):
        key = rng.run_key(seed, runs[r])
        for j in range(sid.shape[0]):
            out[r, j] = rng.normal(key, 2, rng.PARAM, sid[j])
    return out


def _backbone_blocks(code, fitted=None):
    """(columns, means, factor) of each backbone transition with at least one parameter drawn
    from the backbone: the coefficients of a transition are drawn jointly from their estimated
    covariance (literature §8.5: parameter uncertainty from the estimates' covariance).
    `fitted` (a calibrate.backbone.Backbone) replaces the shipped fit, e.g. a backtest's fit
    through its origin year."""
    from umbrella.data.backbone import covariance_block, estimate
    blocks = []
    for tr in ("explore", "pursue", "reversal_explore", "reversal_pursue"):
        if fitted is None:
            terms, cov = covariance_block(tr)
            mean = np.array([estimate(f"prolif.{tr}.{t}")[0] for t in terms])
        else:
            f = fitted.fits[tr]
            terms, cov, mean = f.names, f.cov, np.asarray(f.coef, float)
        cols = np.array([INDEX[f"prolif.{tr}.{t}"] for t in terms])
        if (code[cols] == DIST_CODES["backbone"]).any():
            # eigen-clipped square root: a clustered covariance can be barely indefinite
            w, v = np.linalg.eigh(cov)
            blocks.append((cols, mean, v * np.sqrt(np.clip(w, 0.0, None))))
    return blocks


def sample(world, uncertain, seed: int, run0: int, n: int, backbone=None) -> np.ndarray:
    """Per-run parameter matrix P[run, k] for global runs run0 .. run0+n-1. `backbone`: a
    fitted calibrate.backbone.Backbone to use instead of the shipped one."""
    return sample_runs(world, uncertain, seed, np.arange(run0, run0 + n, dtype=np.int64), backbone)


def sample_runs(world, uncertain, seed: int, runs: np.ndarray, backbone=None) -> np.ndarray:
    """P[row, k] for the global run index of each row (`runs`, which may repeat: an explicit
    design's replicates)."""
    runs = np.ascontiguousarray(runs, dtype=np.int64)
    code, a, b, c = _spec_arrays(world, uncertain)
    P = _draw(seed, runs, code, a, b, c, STREAM_ID)
    blocks = _backbone_blocks(code, backbone)
    if blocks:
        z = _normals(seed, runs, STREAM_ID)
        for cols, mean, chol in blocks:
            x = mean + z[:, cols] @ chol.T
            keep = code[cols] == DIST_CODES["backbone"]
            P[:, cols[keep]] = x[:, keep]
    if backbone is not None:
        for tr, v in backbone.exposure_ref.items():
            k = INDEX[f"prolif.{tr}.exposure_ref"]
            if code[k] == DIST_CODES["backbone"]:
                P[:, k] = v
    return P


def check_uncertain(uncertain) -> None:
    for name in uncertain:
        if name not in INDEX:
            raise InputError(f"uncertain.{name}", name, "a model parameter name (docs/parameters.md)",
                             problem="is not a model parameter")


def fixed_value(world, uncertain, name: str) -> float:
    """The one value of a structural parameter (registry.STRUCTURAL) in this world and scenario."""
    d = uncertain.get(name)
    return float(d.value) if d is not None and d.dist == "fixed" else float(world.parameters[name].value)
