"""Counter-based random numbers: u = U(seed, run, year, stream, index).

A draw depends only on those five integers, never on batch size, thread count or call order,
so results are reproducible across backends and two scenarios run with the same seed share
their random numbers (common random numbers for `compare`). SplitMix64's finaliser (Steele,
Lea & Flood 2014) is the mixing function.
"""

from __future__ import annotations

import math

import numba as nb
import numpy as np

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_S30 = np.uint64(30)
_S27 = np.uint64(27)
_S31 = np.uint64(31)
_S11 = np.uint64(11)
_S12 = np.uint64(12)
_INV53 = 1.0 / 9007199254740992.0
_INV52 = 1.0 / 4503599627370496.0

# streams: one per kind of draw; every stream number of the package is here
PARAM = 1
ECON = 2
ARSENAL = 3
POLITICS = 4
SIGNAL = 5
OPINION = 6
EXPLORE = 7
PURSUE = 8
PROGRESS = 9
REVERSAL = 10
COVERT = 11
DETECT = 12
PREVENT = 13
TTW = 14
NPT = 15
ALIGN = 16
EVENTS = 17
REACT = 18       # adversaries' responses to allied programmes (coercion draws)
CRISIS = 40      # the crisis layer: onsets and ladders (crisis/ladder.py lays out its indices)


@nb.njit(cache=True, error_model="numpy")
def mix64(z):
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@nb.njit(cache=True, error_model="numpy")
def run_key(seed, run):
    """Key of one run: mixes the seed and the global run index."""
    return mix64(mix64(np.uint64(seed) + _GOLDEN) ^ (np.uint64(run) * _GOLDEN))


@nb.njit(cache=True, error_model="numpy")
def _hash(key, year, stream, index):
    # SplitMix64 output for counter c on the run's key: state = key + c * golden gamma
    c = (np.uint64(year) << np.uint64(32)) | (np.uint64(stream) << np.uint64(16)) | np.uint64(index)
    # a key passed from Python below 2**63 arrives as int64, and int64 + uint64 is float64 in
    # numba: cast, so a caller outside the kernels gets the kernels' numbers
    return mix64(np.uint64(key) + c * _GOLDEN)


@nb.njit(cache=True, error_model="numpy")
def uniform(key, year, stream, index):
    """A uniform in [0, 1) for (run key, calendar year, stream, index)."""
    return float(_hash(key, year, stream, index) >> _S11) * _INV53


@nb.njit(cache=True, error_model="numpy")
def normal(key, year, stream, index):
    """A standard normal by inversion of one counter-based uniform in (0, 1): one draw per
    counter, no rejection, so a normal is as reproducible as a uniform."""
    # 52 bits plus a half: exact in a double and strictly inside (0, 1)
    u = (float(_hash(key, year, stream, index) >> _S12) + 0.5) * _INV52
    return ndtri(u)


# Wichura (1988), Algorithm AS 241, Applied Statistics 37(3): 477-484, its single-precision
# variant PPND7: the normal quantile to about 1e-7 (ample for noise terms, and cheaper than
# PPND16's degree-7 rationals); tests check it against scipy.special.ndtri.
_A = (3.3871327179, 50.434271938, 159.29113202, 59.109374720)
_B = (1.0, 17.895169469, 78.757757664, 67.187563600)
_C = (1.4234372777, 2.7568153900, 1.3067284816, 0.17023821103)
_D = (1.0, 0.73700164250, 0.12021132975, 0.0)
_E = (6.6579051150, 3.0812263860, 0.42868294337, 0.017337203997)
_F = (1.0, 0.24197894225, 0.012258202635, 0.0)


@nb.njit(cache=True, error_model="numpy")
def _ratio(x, num, den):
    n = num[3]
    d = den[3]
    for k in range(2, -1, -1):
        n = n * x + num[k]
        d = d * x + den[k]
    return n / d


@nb.njit(cache=True, error_model="numpy")
def ndtri(p):
    """Normal quantile for p in (0, 1) (AS 241, PPND7)."""
    q = p - 0.5
    if abs(q) <= 0.425:
        return q * _ratio(0.180625 - q * q, _A, _B)
    r = p if q < 0.0 else 1.0 - p
    r = math.sqrt(-math.log(r))
    if r <= 5.0:
        z = _ratio(r - 1.6, _C, _D)
    else:
        z = _ratio(r - 5.0, _E, _F)
    return -z if q < 0.0 else z


@nb.njit(cache=True, error_model="numpy")
def _grid(seed, runs, years, stream, index):
    out = np.empty((runs.shape[0], years.shape[0], index.shape[0]))
    for i in range(runs.shape[0]):
        key = run_key(seed, runs[i])
        for t in range(years.shape[0]):
            for j in range(index.shape[0]):
                out[i, t, j] = uniform(key, years[t], stream, index[j])
    return out


def uniform_grid(seed, runs, years, stream, index) -> np.ndarray:
    """(len(runs), len(years), len(index)) uniforms u(seed, run, year, stream, index), for
    analyses and layers that draw outside the kernel (crisis layer, explain)."""
    return _grid(np.uint64(seed), np.asarray(runs, np.uint64), np.atleast_1d(np.asarray(years, np.uint64)),
                 np.uint64(stream), np.atleast_1d(np.asarray(index, np.uint64)))
