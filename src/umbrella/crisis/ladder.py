"""The escalation ladder in micro-steps: quantal-response choices, loss of control, outcomes.

At micro-step tau = 1..T (T = crisis.steps) the side to move, m = C for odd tau (the challenger
moves first) and D for even tau, picks an action a in {concede, hold, escalate} with logit
agent-QRE probabilities (qre.choice_probs, precision lambda = crisis.lambda) on its one-step-ahead
expected utilities at the current rung k (payoffs.py):

    EU(concede)  = concede_m(k)
    EU(hold)     = (1 - rise(k)) V_m(k) + rise(k) V_m(k+1)
    EU(escalate) = (1 - rise(k+1)) V_m(k+1) + rise(k+1) V_m(k+2) - cross_m(k+1) + bonus_m(k)
                   (not available at rung 8, nor from rung 4 up to a side without warheads)

so a mover anticipates the chance that the rung it chooses slips one rung further. Then:

    concede           -> the crisis ends; the mover backs down
    hold / escalate   -> rung k' = k or k + 1; with probability r(k') the rung rises one more
                         (loss of control), else with probability h(k') (DPRK pre-delegated launch)
    rung 8            -> the crisis ends (central war)
    after T steps     -> armistice at the current rung

The first entry into rung >= 6 is the first nuclear use: by the mover if it escalated into 6;
by a loss of control, attributed to the mover if it holds warheads (its alerted forces slipped),
else to the other side; by pre-delegated launch, to the challenger (the DPRK). Use through loss
of control or pre-delegated launch is inadvertent. The first-use rung is the rung after that
micro-step. At an armistice at a war rung (4-7) the war is settled on the battlefield: the
challenger wins with probability p_C(k). A run at rung 8 strikes the US homeland with
probability reach_C (homeland reach times penetration).

Random numbers (umbrella/rng.py, reproducible per run): u(seed, run, year, rng.CRISIS, index) with
index
8192 * substream + 2 tau + {0: choice, 1: rise}; 8192 * substream + 8000 for the armistice
battle, + 8001 for the homeland strike. A run's draws depend only on (seed, run, year), not on
how many runs are simulated. `substream` keeps the onset crisis (1) and the war (0) apart.

`exact` computes the same probabilities without sampling, by propagating the distribution over
rungs (the choice probabilities depend on the rung and the mover only), for one set of inputs.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numba as nb
import numpy as np

from umbrella import rng

from .payoffs import CHALLENGER, DEFENDER, N_RUNG, TOP, Tables

CRISIS = rng.CRISIS  # the crisis layer's stream (umbrella/rng.py)
SUB = 8192           # index block per substream
CONCEDE, HOLD, ESCALATE = 0, 1, 2
# end codes
ARMISTICE, C_CONCEDES, D_CONCEDES, CENTRAL = 0, 1, 2, 3


def draws(seed: int, runs: np.ndarray, year: int, index: np.ndarray) -> np.ndarray:
    """(runs, len(index)) uniforms u(seed, run, year, CRISIS, index)."""
    return rng.uniform_grid(seed, runs, [year], CRISIS, index)[:, 0, :]


def choice_table(T: Tables) -> np.ndarray:
    """(R, 2, 9, 3) probabilities of concede, hold, escalate for each side at each rung, at each
    run's precision T.lam."""
    f = lambda a, dt=np.float64: np.ascontiguousarray(a, dt)   # noqa: E731
    return _choices(f(T.V), f(T.rise), f(T.cross), f(T.bonus), f(T.can_escalate, np.bool_),
                    f(T.concede), f(T.lam))


@nb.njit(cache=True, error_model="numpy")
def _choices(V, rise, cross, bonus, can, concede, lam):
    """The module docstring's expected utilities and their logit QRE (calibrate.qre.choice_probs,
    "logit"): a softmax computed as scipy.special.softmax does (shift by the maximum, exp,
    divide by the sum). Beyond the top rung V stays at V(8), and rise and cross are 0."""
    R = V.shape[0]
    p = np.empty((R, 2, N_RUNG, 3))
    eu = np.empty(3)
    for i in range(R):
        for m in range(2):
            for k in range(N_RUNG):
                k1, k2 = min(k + 1, TOP), min(k + 2, TOP)
                r0 = rise[i, k]
                r1 = rise[i, k + 1] if k + 1 < N_RUNG else 0.0
                c1 = cross[i, m, k + 1] if k + 1 < N_RUNG else 0.0
                eu[0] = concede[i, m, k]
                eu[1] = (1 - r0) * V[i, m, k] + r0 * V[i, m, k1]
                if can[i, m, k]:
                    eu[2] = (1 - r1) * V[i, m, k1] + r1 * V[i, m, k2] - c1 + bonus[i, m, k]
                else:
                    eu[2] = -np.inf
                x0, x1, x2 = lam[i] * eu[0], lam[i] * eu[1], lam[i] * eu[2]
                mx = max(x0, max(x1, x2))
                e0, e1, e2 = np.exp(x0 - mx), np.exp(x1 - mx), np.exp(x2 - mx)
                tot = e0 + e1 + e2
                p[i, m, k, 0] = e0 / tot
                p[i, m, k, 1] = e1 / tot
                p[i, m, k, 2] = e2 / tot
    return p


@dataclass(frozen=True)
class Outcome:
    """Per-run outcomes (run axis first)."""

    final_rung: np.ndarray        # int: the highest (= last) rung
    end: np.ndarray               # int: ARMISTICE, C_CONCEDES, D_CONCEDES, CENTRAL
    first_user: np.ndarray        # int: -1 none, 0 challenger, 1 defender side (the patron)
    first_use_rung: np.ndarray    # int: -1 none
    first_use_step: np.ndarray    # int: micro-step of first use, -1 none
    inadvertent: np.ndarray       # bool: first use by loss of control or pre-delegated launch
    challenger_wins: np.ndarray   # bool: D conceded, or C won the battle at an armistice at rungs 4-7
    homeland_strike: np.ndarray   # bool
    steps: np.ndarray             # int: micro-steps played

    def take(self, idx) -> "Outcome":
        """The outcomes of a subset of rows."""
        return Outcome(**{f.name: getattr(self, f.name)[idx] for f in fields(self)})

    @staticmethod
    def concat(parts: "list[Outcome]") -> "Outcome":
        """Several outcome sets as one, rows in order."""
        return Outcome(**{f.name: np.concatenate([getattr(o, f.name) for o in parts]) for f in fields(Outcome)})


def draw_index(n_steps: int, substream: int) -> np.ndarray:
    """The CRISIS-stream indices one ladder uses: 2 per micro-step, then battle and strike."""
    base = SUB * int(substream)
    return np.concatenate([base + np.arange(2 * (n_steps + 1)), [base + 8000, base + 8001]])


def stack(tables: list[Tables]) -> Tables:
    """Several theatres' tables as one (rows concatenated), to play them in one `simulate`:
    every row's play depends on its own row only, so the outcomes are those of separate calls."""
    return Tables(**{f.name: np.concatenate([getattr(t, f.name) for t in tables], axis=0)
                     for f in fields(Tables)})


def simulate(T: Tables, n_steps: int, seed: int, runs: np.ndarray, year: int, start=4,
             substream: int = 0, U: np.ndarray | None = None) -> Outcome:
    """Monte Carlo of the ladder from rung `start` (one rung, or one per row) for the global run
    indices `runs`, `n_steps` micro-steps (crisis.steps). `U`: the rows' draws when the caller
    stacks several ladders (`draw_index`)."""
    runs = np.asarray(runs, np.int64)
    R = runs.shape[0]
    n_steps = int(n_steps)
    if U is None:
        U = draws(seed, runs, year, draw_index(n_steps, substream))
    probs = choice_table(T)
    k = np.ascontiguousarray(np.broadcast_to(np.asarray(start, np.int64), (R,)))
    out = _play(n_steps, probs, np.ascontiguousarray(U, np.float64), k,
                np.ascontiguousarray(T.r, np.float64), np.ascontiguousarray(T.h, np.float64),
                np.ascontiguousarray(T.nuclear, np.bool_), np.ascontiguousarray(T.p_c, np.float64),
                np.ascontiguousarray(np.broadcast_to(np.asarray(T.reach, np.float64), (R,))))
    final, end, first_user, first_rung, first_step, inadvertent, c_wins, home, steps = out
    return Outcome(final_rung=final, end=end, first_user=first_user, first_use_rung=first_rung,
                   first_use_step=first_step, inadvertent=inadvertent, challenger_wins=c_wins,
                   homeland_strike=home, steps=steps)


@nb.njit(cache=True, error_model="numpy")
def _play(n_steps, probs, U, start, r, h, nuclear, p_c, reach):
    """The ladder's micro-steps, one row at a time (the module docstring's rules). Comparisons
    only, no arithmetic beyond r + (1 - r) h, so the outcomes are those of the former numpy
    loop bit for bit; rows are independent, so a row's outcome depends on its own inputs only."""
    R = start.shape[0]
    final = np.empty(R, np.int64)
    end = np.empty(R, np.int64)
    first_user = np.full(R, -1, np.int64)
    first_rung = np.full(R, -1, np.int64)
    first_step = np.full(R, -1, np.int64)
    inadvertent = np.zeros(R, np.bool_)
    c_wins = np.zeros(R, np.bool_)
    home = np.zeros(R, np.bool_)
    steps = np.zeros(R, np.int64)
    for i in range(R):
        k = start[i]
        e = ARMISTICE if k < TOP else CENTRAL
        active = k < TOP
        tau = 1
        while active and tau <= n_steps:
            m = CHALLENGER if tau % 2 == 1 else DEFENDER
            u = U[i, 2 * tau]
            steps[i] = tau
            if u < probs[i, m, k, 0]:
                e = C_CONCEDES if m == CHALLENGER else D_CONCEDES
                break
            k1 = k if u < probs[i, m, k, 0] + probs[i, m, k, 1] else k + 1   # the cumulative sum
            deliberate = k < 6 and k1 >= 6
            # involuntary rise: loss of control, else pre-delegated launch (one uniform)
            v = U[i, 2 * tau + 1]
            kk = min(k1, TOP)
            ri, hi = r[i, kk], h[i, kk]
            loc = k1 < TOP and v < ri
            pdl = k1 < TOP and not loc and v < ri + (1 - ri) * hi
            k2 = k1 + 1 if (loc or pdl) else k1
            if k < 6 and k2 >= 6 and first_user[i] < 0:
                if deliberate:
                    first_user[i] = m
                elif pdl:
                    first_user[i] = CHALLENGER
                elif nuclear[i, m]:
                    first_user[i] = m
                else:
                    first_user[i] = 1 - m
                first_rung[i] = k2
                first_step[i] = tau
                inadvertent[i] = not deliberate
            k = k2
            if k >= TOP:
                e = CENTRAL
                active = False
            tau += 1
        final[i] = k
        end[i] = e
        battle = U[i, U.shape[1] - 2] < p_c[i, min(k, TOP)]
        c_wins[i] = e == D_CONCEDES or (e == ARMISTICE and k >= 4 and k < TOP and battle)
        home[i] = k >= TOP and U[i, U.shape[1] - 1] < reach[i]
    return final, end, first_user, first_rung, first_step, inadvertent, c_wins, home, steps


@dataclass(frozen=True)
class Exact:
    """Probabilities of the outcomes for each input row (shape (R, ...))."""

    final: np.ndarray          # (R, 9) P(final rung = k)
    conceded: np.ndarray       # (R, 2, 9) P(side concedes at rung k)
    armistice: np.ndarray      # (R, 9) P(armistice at rung k)
    first_use: np.ndarray      # (R, 2) P(side uses first)
    inadvertent: np.ndarray    # (R,) P(first use inadvertent)
    first_rung: np.ndarray     # (R, 9) P(first use and the rung after that step = k)

    @property
    def reached(self) -> np.ndarray:
        """(R, 9) P(highest rung >= k)."""
        return np.cumsum(self.final[:, ::-1], axis=1)[:, ::-1]


def exact(T: Tables, n_steps: int, start: int = 4) -> Exact:
    """The outcome probabilities of `simulate`, without sampling (module docstring)."""
    R = T.V.shape[0]
    n_steps = int(n_steps)
    probs = choice_table(T)
    dist = np.zeros((R, N_RUNG))
    dist[:, start] = 1.0
    conceded = np.zeros((R, 2, N_RUNG))
    central = np.zeros(R)
    if start >= TOP:
        central[:] = 1.0
        dist[:] = 0.0
    first_use = np.zeros((R, 2))
    inadvertent = np.zeros(R)
    first_rung = np.zeros((R, N_RUNG))
    for tau in range(1, n_steps + 1):
        m = CHALLENGER if tau % 2 == 1 else DEFENDER
        p = probs[:, m]                                      # (R, 9, 3)
        conceded[:, m] += dist * p[..., CONCEDE]
        after = dist * p[..., HOLD]                          # mass at k' (before the rise)
        esc = dist * p[..., ESCALATE]
        after[:, 1:] += esc[:, :-1]
        # deliberate first use: escalation from 5 into 6, then possibly a rise to 7
        d = esc[:, 5]
        first_use[:, m] += d
        first_rung[:, 6] += d * (1 - T.rise[:, 6])
        first_rung[:, 7] += d * T.rise[:, 6]
        # involuntary rises (mass already at 8 stays)
        r, h = T.r, T.h
        up_loc = after * r
        up_pd = after * (1 - r) * h
        up = up_loc + up_pd
        new = after - up
        new[:, 1:] += up[:, :-1]
        # first use by a rise from 5 (mass that reached 5 this step, by hold or escalation)
        loc5, pd5 = up_loc[:, 5], up_pd[:, 5]
        mover_nuclear = T.nuclear[:, m]
        first_use[:, m] += np.where(mover_nuclear, loc5, 0.0)
        first_use[:, 1 - m] += np.where(mover_nuclear, 0.0, loc5)
        first_use[:, CHALLENGER] += pd5
        inadvertent += loc5 + pd5
        first_rung[:, 6] += loc5 + pd5
        central += new[:, TOP]
        new[:, TOP] = 0.0
        dist = new
    final = dist.copy()
    final[:, TOP] += central
    final += conceded.sum(axis=1)
    return Exact(final=final, conceded=conceded, armistice=dist, first_use=first_use,
                 inadvertent=inadvertent, first_rung=first_rung)
