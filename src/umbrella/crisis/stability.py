"""Annual rates implied by the onset hazard and the ladder, and the stability-instability check.

A crisis starts at rung 1 with the theatre's annual onset rate (crisis.<theatre>.onset) and is
played on the same ladder (ladder.exact, start = 1, its own T micro-steps); a war is a crisis
that reaches rung 4. A war is then played from rung 4 (the `umbrella crisis` game). So

    P(war per year)          = onset * P(rung >= 4 | crisis from rung 1)
    P(nuclear use per year)  = onset * P(war | crisis) * P(use | war)
    P(low-level conflict)    = onset * P(the crisis tops out at rungs 1-3)

Stability-instability (VALIDATION H15; literature §2.6): the same theatre, jointly nuclear (the
scenario's challenger arsenal) against one-sided (the challenger without warheads, so its theatre
force, homeland reach and base-access threat vanish; the patron keeps its own). The ratios
joint / one-sided of the annual war rate (rungs >= 4) and of the low-level rate (crises that top
out at rungs 1-3) are the H15 measures: war ratio in [0.1, 1.0] and low-level ratio >= 1. The
onset rate is the same for both dyads, so the ratios are ratios of the ladder's probabilities:
in a jointly nuclear dyad the nuclear shadow (crisis.shadow_*) makes war costlier, so crises
more often stop at the clash rungs.

Both computations are exact (no sampling), on the first run's inputs and parameters
(`umbrella crisis` passes the world's values, crisis.params.point).
"""

from __future__ import annotations

from . import ladder, payoffs
from .inputs import CrisisInputs
from .params import Params
from .theatres import Theatre


def rates(theatre: Theatre, x: CrisisInputs, P: Params) -> dict:
    """Annual onset, P(war | crisis), P(use | war) and the implied annual rates (exact)."""
    x, P = _first(x), P.take(slice(0, 1))
    T = payoffs.tables(theatre, x, P)
    steps = P.one("crisis.steps")
    crisis = ladder.exact(T, steps, start=1)
    war = ladder.exact(T, steps, start=4)
    onset = P.one(f"crisis.{theatre.id}.onset")
    p_war = float(crisis.reached[0, 4])
    p_use = float(war.first_use[0].sum())
    return {"onset": onset, "p_war_given_crisis": p_war, "p_use_given_war": p_use,
            "annual_war": onset * p_war, "annual_nuclear_use": onset * p_war * p_use,
            "annual_low_level": onset * float(crisis.final[0, 1:4].sum())}


def stability_instability(theatre: Theatre, x: CrisisInputs, P: Params) -> dict:
    """H15: annual war, high-rung (>= 5) and low-level rates, jointly nuclear vs one-sided."""
    x, P = _first(x), P.take(slice(0, 1))
    one_sided = x.with_(w_challenger=0.0, w_challenger_theatre=0.0, home_decoupling=0.0, host_risk=0.0,
                        reach=0.0)
    out = {}
    for name, xi in (("joint", x), ("one_sided", one_sided)):
        e = ladder.exact(payoffs.tables(theatre, xi, P), P.one("crisis.steps"), start=1)
        onset = P.one(f"crisis.{theatre.id}.onset")
        out[name] = {"war": onset * float(e.reached[0, 4]), "high_rung": onset * float(e.reached[0, 5]),
                     "low_level": onset * float(e.final[0, 1:4].sum())}
    j, o = out["joint"], out["one_sided"]
    ratio = lambda a, b: a / b if b > 0 else float("nan")  # noqa: E731
    out["war_ratio"] = ratio(j["war"], o["war"])
    out["high_rung_ratio"] = ratio(j["high_rung"], o["high_rung"])
    out["low_level_ratio"] = ratio(j["low_level"], o["low_level"])
    return out


def _first(x: CrisisInputs) -> CrisisInputs:
    """The first run's inputs as a one-run set."""
    return x.take(slice(0, 1))
