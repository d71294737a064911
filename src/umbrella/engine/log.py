"""The event log: a fixed-capacity buffer per run (year, actor, kind, hazard terms)."""

import numba as nb

from umbrella.engine.layout import MAX_EVENTS, N_TERMS


@nb.njit(inline="always", cache=True, error_model="numpy")
def record(r, year, actor, kind, ev_year, ev_actor, ev_kind, ev_terms, ev_n, terms):
    """Append an event to run r's log (`arrays.Log`); `terms`: the hazard terms, or None."""
    k = ev_n[r]
    if k < MAX_EVENTS:
        ev_year[r, k] = year
        ev_actor[r, k] = actor
        ev_kind[r, k] = kind
        if terms is not None:
            for j in range(N_TERMS):
                ev_terms[r, k, j] = terms[j]
    ev_n[r] = k + 1  # counts past capacity too, so an overflow is visible
