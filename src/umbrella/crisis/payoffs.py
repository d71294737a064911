"""One-step utilities of the crisis ladder: what each side gets at each rung (docs/crisis.md §3).

Side 0 is the challenger C, side 1 the defender side D (the patron decides; the local defender's
payoff enters with weight omega = crisis.coalition_weight). Rungs k = 0..8 (literature §8.4g):
0 peacetime, 1 rhetoric, 2 shows of force, 3 clashes, 4 conventional war, 5 nuclear threats and
alerts, 6 nuclear demonstration, 7 limited theatre nuclear use, 8 central war.

Win probabilities (the challenger's; the defender's is 1 - p_C):

    p_C(k) = 1 - p_def                                  k <= 4
    p_C(5) = 1 - p_def (1 - host_dependence * denial)   denial = host_denial B (1 - coord_cut coord_high)
    p_C(6) = (1 - theta_6) p_C(5) + theta_6 b_T          b_T = W_C,T / (W_C,T + W_D,T)
    p_C(7) = (1 - theta_7) p_C(5) + theta_7 b_T
    p_C(8) = (1 - theta_8) p_C(5) + theta_8 b_S          b_S = W_C / (W_C + W_patron)

The challenger values the rungs at its reading of p_def, p_def (C / C0)^belief_credibility (capped
at 1; C / C0: the local ally's credibility of the US commitment over its start value, the
challenger reading the commitment as the ally does); the defender side and the battle at an
armistice use p_def itself.

(B: the host's base-access decoupling: MRBM coercion of Japan over base access, F3:L40.)

Values, costs and concession (w: stake, L: cost of defeat, a: audience cost per rung):

    V_i(k)    = p_i(k) w_i - cost_i(k)
    cost_i(k) = 0                                              k <= 3
              = c_i + s_k N_i + (1 - p_i(k)) L_i               k = 4, 5, 6   (s_k: nuclear shadow)
              = c_i + N_i + (1 - p_i(k)) L_i                   k = 7
              = c_i + N_i + S_i + (1 - p_i(k)) L_i             k = 8
    concede_i(k) = -w_i - a_i k - 1{k >= 4} chi_i L_i         (chi: regime fragility, F2:L18)

    w_C = stake_challenger, w_D = stake_patron rho + omega stake_local, a_D = a_dem (1 + omega)
          rho = patron_resolve: the tripwire (US troops there) and the administration (inputs.py)
    N_C = nuclear_damage (1 - exp(-W_D,T / damage_half)) (1 - dl + 2 dl (1 - b_T))   (0 against a
    N_D = nuclear_damage (1 - exp(-W_C,T / damage_half)) (1 - dl + 2 dl b_T)          non-nuclear side)
          dl = theatre_dl: own theatre forces limit the damage (at parity the factor is 1)
    S_C = strategic_damage 1{W_patron > 0}
    S_D = strategic_damage (H (1 + AD) / 2 + omega 1{W_C > 0}),  AD = 1 - exp(-phi_C W_C / assured_destruction)

H is the local defender's homeland decoupling index (the challenger's homeland reach): the
patron's homeland is at risk at rung 8 only as far as the challenger reaches it (the first
cities decide: Bundy's "one city"); AD scales how much it loses with the challenger's surviving
warheads (phi_C W_C, below), against McNamara's assured-destruction yardstick.

Crossing costs, paid by the side that escalates into rung k by choice:

    into 4: threshold_war                       (Kahn's named threshold)
    into 6: taboo + decl                        (first nuclear use; Sagan & Valentino: modest)
    decl  = mr_cost * cred * (1 if massive_retaliation else ambiguous_share)   (the DPRK only)
    cred  = 1 - decl_decoupling * H             (declaratory credibility falls with homeland reach)

Bonus for escalating from rung k >= 4 (use or lose, literature §4.3), for a nuclear-armed side:

    UL_i(k) = dl_gain pi_i(k) (1 - phi_i),  phi_i = 1 - exp(-W_i / surv_half)
    pi_C(k) = min(1, (pi_4 + pi_step (k - 4)) * decap_pi_factor^decap * nsa_pi_factor^nsa)
    pi_D(k) = min(1, pi_4 + pi_step (k - 4))     (the patron's stockpile makes phi_D ~ 1)
    D also gains decap_gain * decap * (1 - pd_cut * pd) * (1 - phi_C) (allied decapitation payoff,
    lowered by DPRK pre-delegation) and, from rung 7, counterforce_gain (1 - phi_C).

Involuntary rise at rung k (Powell's loss of control; pre-delegated launch for the DPRK):

    r(k) = r_top exp(-r_slope (7 - k))  (1 <= k <= 6; r(0) = r(8) = 0)
    r(7) = r_top (1 - fs_stability phi_C phi_D)   (first-strike stability: the slide into central
           war is the reciprocal fear of surprise attack, Schelling; Kent & Thaler 1989; C4.13)
    h(k) = pd * pd_hazard * pi_C(k)      (5 <= k <= 7; 0 for a challenger without warheads)
    rise(k) = r(k) + (1 - r(k)) h(k)
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .inputs import CrisisInputs
from .theatres import Theatre

N_RUNG = 9
WAR = 4          # conventional war: the first rung of a war
TOP = 8
CHALLENGER, DEFENDER = 0, 1


@dataclass(frozen=True)
class Tables:
    """Per-run payoff tables (run axis first); rung index last."""

    V: np.ndarray          # (R, 2, 9) value of each rung
    concede: np.ndarray    # (R, 2, 9)
    cross: np.ndarray      # (R, 2, 9) cost of escalating INTO rung k by choice
    bonus: np.ndarray      # (R, 2, 9) bonus for escalating FROM rung k
    can_escalate: np.ndarray  # (R, 2, 9) bool
    r: np.ndarray          # (R, 9) loss of control
    h: np.ndarray          # (R, 9) pre-delegated launch hazard
    rise: np.ndarray       # (R, 9) r + (1 - r) h
    p_c: np.ndarray        # (R, 9) challenger's win probability
    nuclear: np.ndarray    # (R, 2) bool: the side has warheads
    reach: np.ndarray      # (R,) chance that a strike at rung 8 reaches the US homeland
    lam: np.ndarray        # (R,) QRE precision crisis.lambda of each run


def loss_of_control(P) -> np.ndarray:
    """r(k) for k = 0..8, per run: (R, 9)."""
    k = np.arange(N_RUNG, dtype=float)
    r = P["crisis.r_top"][:, None] * np.exp(-P["crisis.r_slope"][:, None] * (7.0 - k))
    r[:, 0] = 0.0
    r[:, TOP] = 0.0
    return r


def pi_base(P) -> np.ndarray:
    """pi_4 + pi_step (k - 4) for k >= 4, 0 below, per run: (R, 9)."""
    k = np.arange(N_RUNG, dtype=float)
    return np.where(k >= 4, P["crisis.pi_4"][:, None] + P["crisis.pi_step"][:, None] * (k - 4.0), 0.0)


def tables(theatre: Theatre, x: CrisisInputs, P) -> Tables:
    """The payoff tables of R runs: `x` the runs' inputs, `P` their parameters (crisis.params.Params
    of R runs, or of one run for every row)."""
    t = f"crisis.{theatre.id}."
    R = x.runs
    if P.runs == 1 and R != 1:
        P = P.take(np.zeros(R, np.int64))     # one run's parameters for every row
    if P.runs != R:
        raise ValueError(f"payoffs.tables: parameters of {P.runs} runs for inputs of {R} runs")
    col = lambda a: np.asarray(a, float).reshape(R, 1)   # noqa: E731  (run column)
    omega = P["crisis.coalition_weight"]
    k = np.arange(N_RUNG)

    # win probabilities: the battle's (true) and the challenger's reading of them, whose
    # conventional balance follows the local ally's credibility of the US commitment
    p_def = P[t + "p_defender"]
    denial = P["crisis.host_denial"] * x.host_risk * (1.0 - P["crisis.coord_cut"] * x.coord_high)
    wct, wdt = x.w_challenger_theatre, x.w_defender_theatre
    b_t = np.divide(wct, wct + wdt, out=np.zeros(R), where=(wct + wdt) > 0)
    b_s = np.divide(x.w_challenger, x.w_challenger + x.w_patron, out=np.zeros(R),
                    where=(x.w_challenger + x.w_patron) > 0)

    def win(pd):
        pc5 = 1.0 - pd * (1.0 - P["crisis.host_dependence"] * denial)
        out = np.empty((R, N_RUNG))
        out[:, :5] = (1.0 - pd)[:, None]
        out[:, 5] = pc5
        out[:, 6] = (1 - P["crisis.theta_6"]) * pc5 + P["crisis.theta_6"] * b_t
        out[:, 7] = (1 - P["crisis.theta_7"]) * pc5 + P["crisis.theta_7"] * b_t
        out[:, 8] = (1 - P["crisis.theta_8"]) * pc5 + P["crisis.theta_8"] * b_s
        return out

    p_c = win(p_def)
    ratio = np.broadcast_to(np.asarray(x.cred_ratio, float), (R,))
    p_c_read = win(np.minimum(1.0, p_def * ratio ** P["crisis.belief_credibility"]))
    p = np.stack([p_c_read, 1.0 - p_c], axis=1)                  # (R, 2, 9): each side's reading

    nuclear = np.stack([x.w_challenger > 0, (x.w_patron > 0) | (x.w_local > 0)], axis=1)
    resolve = np.broadcast_to(np.asarray(x.patron_resolve, float), (R,))
    w = np.stack([P[t + "stake_challenger"],
                  P[t + "stake_patron"] * resolve + omega * P[t + "stake_local"]], axis=1)
    L = np.stack([P[t + "defeat_challenger"], P[t + "defeat_defender"]], axis=1)
    chi = np.stack([P[t + "fragility"], np.zeros(R)], axis=1)
    a_c = P["crisis.audience_democracy"] if theatre.democracy_challenger else P["crisis.audience_autocracy"]
    a = np.stack([a_c, P["crisis.audience_democracy"] * (1 + omega)], axis=1)
    c = np.stack([P["crisis.war_cost_challenger"], P["crisis.war_cost_defender"]], axis=1)
    # theatre nuclear damage: saturating in the opponent's theatre warheads, and larger the larger
    # the opponent's share of the theatre forces (own theatre forces limit damage)
    dl = P["crisis.theatre_dl"]
    dmg = lambda W, share: P["crisis.nuclear_damage"] * (1.0 - np.exp(-W / P["crisis.damage_half"])) \
        * ((1.0 - dl) + dl * 2.0 * share)  # noqa: E731
    N = np.stack([dmg(wdt, 1.0 - b_t), dmg(wct, b_t)], axis=1)
    phi_c = 1.0 - np.exp(-x.w_challenger / P["crisis.surv_half"])
    phi_d = 1.0 - np.exp(-x.w_patron / P["crisis.surv_half"])
    # the patron's homeland: whether it is at risk at all is H (the first cities decide, Bundy);
    # how much it loses scales with the challenger's surviving warheads (assured destruction)
    ad = 1.0 - np.exp(-phi_c * x.w_challenger / P["crisis.assured_destruction"])
    S = np.stack([P["crisis.strategic_damage"] * (x.w_patron > 0),
                  P["crisis.strategic_damage"] * (x.home_decoupling * 0.5 * (1.0 + ad)
                                                  + omega * (x.w_challenger > 0))], axis=1)

    shadow = np.zeros((R, 1, N_RUNG))
    shadow[:, 0, 4], shadow[:, 0, 5], shadow[:, 0, 6] = P["crisis.shadow_4"], P["crisis.shadow_5"], P["crisis.shadow_6"]
    shadow[:, 0, 7] = shadow[:, 0, 8] = 1.0
    war = (k >= 4).astype(float)
    cost = war * (c[..., None] + shadow * N[..., None] + (1.0 - p) * L[..., None])
    cost[..., 8] += S
    V = p * w[..., None] - cost
    concede = -w[..., None] - a[..., None] * k - war * (chi * L)[..., None]

    # crossing costs into 4 (war) and 6 (first nuclear use)
    cred = 1.0 - P["crisis.decl_decoupling"] * x.home_decoupling
    decl = P["crisis.mr_cost"] * cred * np.where(x.massive_retaliation > 0, 1.0, P["crisis.ambiguous_share"])
    decl = decl * (theatre.challenger == "PRK")
    cross = np.zeros((R, 2, N_RUNG))
    cross[:, :, 4] = P["crisis.threshold_war"][:, None]
    cross[:, 0, 6] = P["crisis.taboo"] + decl
    cross[:, 1, 6] = P["crisis.taboo"]

    # use or lose, decapitation, counterforce
    base = pi_base(P)
    pi_c = np.minimum(1.0, base * np.where(col(x.decapitation) > 0, col(P["crisis.decap_pi_factor"]), 1.0)
                      * np.where(col(x.nsa) > 0, col(P["crisis.nsa_pi_factor"]), 1.0))
    pi_d = np.minimum(1.0, base)
    bonus = np.zeros((R, 2, N_RUNG))
    bonus[:, 0] = col(P["crisis.dl_gain"]) * pi_c * col(1.0 - phi_c)
    bonus[:, 1] = col(P["crisis.dl_gain"]) * pi_d * col(1.0 - phi_d)
    bonus[:, 1] += (k >= 4) * col(P["crisis.decap_gain"] * x.decapitation
                                  * (1.0 - P["crisis.pd_cut"] * x.predelegation) * (1.0 - phi_c))
    bonus[:, 1] += (k >= 7) * col(P["crisis.counterforce_gain"] * (1.0 - phi_c) * (x.w_challenger > 0))
    bonus *= nuclear[..., None]

    can = np.broadcast_to(k < TOP, (R, 2, N_RUNG)) & ((k < 4) | nuclear[..., None])

    r = loss_of_control(P)
    # the slide from limited use into central war is driven by the reciprocal fear of surprise
    # attack, which fades when both strategic forces are survivable (first-strike stability)
    r[:, 7] *= 1.0 - P["crisis.fs_stability"] * phi_c * phi_d
    h = np.where((k >= 5) & (k < TOP), col(P["crisis.pd_hazard"]) * pi_c, 0.0) * col(x.predelegation * nuclear[:, 0])
    rise = r + (1.0 - r) * h
    return Tables(V=V, concede=concede, cross=cross, bonus=bonus, can_escalate=np.ascontiguousarray(can),
                  r=r, h=h, rise=rise, p_c=p_c, nuclear=nuclear,
                  reach=np.asarray(x.reach, float), lam=np.asarray(P["crisis.lambda"], float).copy())
