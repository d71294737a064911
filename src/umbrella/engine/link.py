"""The log-odds link, written once for every mechanism: logit and its inverse.

The clip keeps a probability of exactly 0 or 1 finite; each caller names its bound (opinion
shares at 1e-4 of the poll scale, credibilities at 1e-6).
"""

import math

import numba as nb
import numpy as np

EPS_OPINION = 1e-4   # shares of public support (polls report whole percents)
EPS_CRED = 1e-6      # credibilities of commitments


@nb.njit(cache=True, error_model="numpy")
def logit(p, eps):
    p = min(max(p, eps), 1.0 - eps)
    return math.log(p / (1.0 - p))


@nb.njit(cache=True, error_model="numpy")
def sigmoid(x):
    return 1.0 / (1.0 + math.exp(-x))


@nb.njit(cache=True, error_model="numpy")
def logit_array(p, eps):
    """`logit` of each element (a 1-d array), for callers outside the kernels."""
    out = np.empty(p.shape[0])
    for i in range(p.shape[0]):
        out[i] = logit(p[i], eps)
    return out
