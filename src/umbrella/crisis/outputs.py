"""The crisis JSON (issue 5 item 7) from per-run outcomes, and the credibility signal.

    p_nuclear_use        share of runs with a nuclear detonation (rung >= 6 entered)
    first_use[ACTOR]     share of runs in which ACTOR used first (challenger, and the patron for
                         the defender side)
    first_use_rung       {"p50": median rung after the micro-step of first use}, among runs with
                         use (an observed rung: the inverted-cdf median); null without use
    p_inadvertent        share of runs whose first use came by loss of control or pre-delegated launch
    rung_reached[R]      share of runs whose highest rung is >= R, R = 0..8
    p_homeland_strike    share of runs at rung 8 whose strike reaches the US homeland (reach_C)
    p_strategic_exchange share of runs at rung 8
    p_invasion_success   taiwan only (null elsewhere): the challenger prevails at rungs 4-7, by the
                         defender side's concession or by winning the battle at an armistice
    p_coercion_success   share of runs in which the defender side (the patron) backs down
    decoupling[CLIENT]   mean decoupling index (inputs.py): homeland for the local defender(s),
                         base access for the host
    credibility_shift[CLIENT]
                         mean log-odds credibility signal the patron's conduct sends each US
                         client for the next year (good news > 0): s = -cred.lr_crisis if the
                         patron backed down, +0.5 cred.lr_crisis if it stood firm or fought, 0
                         for a stand-off below war, times min(1, rung / crisis.signal_rung) (the
                         annual model's crisis signal, engine/crises.py, with the opposite sign); the
                         local defender(s) receive s, every other US client cred.spillover * s
                         (the interdependence of commitments, literature §8.4g)
"""

from __future__ import annotations

import numpy as np

from .inputs import CrisisInputs
from .ladder import C_CONCEDES, D_CONCEDES, Outcome
from .payoffs import N_RUNG, TOP, WAR
from .theatres import Theatre


def credibility_signal(outcome: Outcome, lr_crisis, signal_rung: float, x: CrisisInputs | None = None) -> np.ndarray:
    """(runs,) log-odds signal for the local defender (good news > 0): -lr if the patron backed
    down; +lr/2 if it stood firm (the challenger conceded) or fought (rung >= 4); 0 for a
    stand-off below war. Times min(1, highest rung / signal_rung): a confrontation settled low
    says less about resolve than a war (crisis.signal_rung). Good news is discounted by the
    local defenders' own share of the defender side's theatre force (`x`): a crisis their own
    arsenal won says less about the patron's resolve."""
    lr = np.asarray(lr_crisis, float)
    firm = (outcome.end == C_CONCEDES) | (outcome.final_rung >= WAR)
    good = 0.5 * lr
    if x is not None:
        wdt = np.asarray(x.w_defender_theatre, float)
        own = np.divide(np.asarray(x.w_local, float), wdt, out=np.zeros_like(wdt), where=wdt > 0)
        good = good * (1.0 - np.clip(own, 0.0, 1.0))
    s = np.where(outcome.end == D_CONCEDES, -lr, np.where(firm, good, 0.0))
    return s * np.minimum(1.0, outcome.final_rung / np.asarray(signal_rung, float))


def credibility_shift(theatre: Theatre, x: CrisisInputs, outcome: Outcome, P) -> dict[str, float]:
    """Mean signal per US client: in full for the theatre's allies, times cred.spillover for the
    others of their alliance system and cred.spillover x cred.spillover_far beyond it (each run's
    own parameters; actors.csv alliance_system)."""
    from umbrella.data.actors import actor_table
    s = credibility_signal(outcome, P["cred.lr_crisis"], P["crisis.signal_rung"], x)
    system = actor_table()["alliance_system"]
    home = system.get(theatre.local[0])
    local = float(s.mean())
    near = float((P["cred.spillover"] * s).mean())
    far = float((P["cred.spillover"] * P["cred.spillover_far"] * s).mean())
    clients = list(dict.fromkeys([*theatre.local, *x.us_clients]))
    return {c: (local if c in theatre.local else near if system.get(c) == home else far) for c in clients}


def _median_rung(r: np.ndarray):
    if r.size == 0:
        return None
    return int(np.quantile(r, 0.5, method="inverted_cdf"))


def summarise(theatre: Theatre, x: CrisisInputs, o: Outcome, P, seed: int) -> dict:
    """The crisis JSON contract (module docstring)."""
    n = int(o.final_rung.shape[0])
    used = o.first_user >= 0
    mean = lambda b: float(np.mean(b)) if n else 0.0  # noqa: E731
    war = (o.final_rung >= 4) & (o.final_rung < TOP)
    return {
        "theatre": theatre.id,
        "runs": n,
        "seed": int(seed),
        "p_nuclear_use": mean(used),
        "first_use": {theatre.challenger: mean(o.first_user == 0), theatre.patron: mean(o.first_user == 1)},
        "first_use_rung": {"p50": _median_rung(o.first_use_rung[used])},
        "p_inadvertent": mean(used & o.inadvertent),
        "rung_reached": {str(r): mean(o.final_rung >= r) for r in range(N_RUNG)},
        "p_homeland_strike": mean(o.homeland_strike),
        "p_strategic_exchange": mean(o.final_rung >= TOP),
        "p_invasion_success": mean(o.challenger_wins & war) if theatre.id == "taiwan" else None,
        "p_coercion_success": mean(o.end == D_CONCEDES),
        "decoupling": {c: float(np.mean(v)) for c, v in x.decoupling.items()},
        "credibility_shift": credibility_shift(theatre, x, o, P),
    }
