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
_INV53 = 1.0 / 9007199254740992.0

# streams: one per kind of draw
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


@nb.njit(inline="always", cache=True)
def mix64(z):
    z = (z ^ (z >> _S30)) * _M1
    z = (z ^ (z >> _S27)) * _M2
    return z ^ (z >> _S31)


@nb.njit(inline="always", cache=True)
def run_key(seed, run):
    """Key of one run: mixes the seed and the global run index."""
    return mix64(mix64(np.uint64(seed) + _GOLDEN) ^ (np.uint64(run) * _GOLDEN))


@nb.njit(inline="always", cache=True)
def uniform(key, year, stream, index):
    """A uniform in [0, 1) for (run key, calendar year, stream, index)."""
    c = (np.uint64(year) << np.uint64(32)) | (np.uint64(stream) << np.uint64(16)) | np.uint64(index)
    h = mix64(key ^ mix64(c + _GOLDEN))
    return float(h >> _S11) * _INV53


@nb.njit(inline="always", cache=True)
def normal(key, year, stream, index):
    """A standard normal by Box-Muller from two counter-based uniforms."""
    u1 = uniform(key, year, stream, 2 * index)
    u2 = uniform(key, year, stream, 2 * index + 1)
    return math.sqrt(-2.0 * math.log(1.0 - u1)) * math.cos(2.0 * math.pi * u2)
