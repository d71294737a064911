"""What the others know of an actor's nuclear status: one definition for every mechanism that
reacts to it (adversaries' build-up and coercion, crisis onsets, preventive strikes, sanctions).

An actor's programme is known when it is armed, or pursuing overtly, or pursuing covertly and
detected (proliferation.py draws detection)."""

import numba as nb
import numpy as np

from umbrella.engine.layout import ARSENAL, PURSUE, XI_COVERT, XI_DETECTED, XI_STATUS


@nb.njit(inline="always", cache=True, error_model="numpy")
def known(r, a, xi):
    """Run r: actor a is armed, or its programme is overt or detected (kernel form)."""
    s = xi[r, a, XI_STATUS]
    return s == ARSENAL or (s == PURSUE and (xi[r, a, XI_COVERT] == 0 or xi[r, a, XI_DETECTED] == 1))


def known_array(xi: np.ndarray, actors: np.ndarray) -> np.ndarray:
    """(runs, len(actors)) bool, the same test over a batch (for the crisis step)."""
    st = xi[:, actors, XI_STATUS]
    seen = (xi[:, actors, XI_COVERT] == 0) | (xi[:, actors, XI_DETECTED] == 1)
    return (st == ARSENAL) | ((st == PURSUE) & seen)
