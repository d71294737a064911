"""Initial state and static inputs of a run: bundled facts for the start year, overridden by the
scenario's levers, plus the scenario's shocks resolved into per-year schedules."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from umbrella.data import calendar as C
from umbrella.data import facts as F
from umbrella.data.relations import reaction_matrices
from umbrella.engine import layout as L
from umbrella.engine import link
from umbrella.engine.params import INDEX, fixed_value
from umbrella.errors import InputError
from umbrella.scenario import schedule as S
from umbrella.scenario.schema import Scenario

ALIGNERS = tuple(n.split(".")[-1] for n in INDEX if n.startswith("align.bal."))


@dataclass(frozen=True)
class Inputs:
    """Everything the kernel needs besides the per-run parameters."""

    actors: tuple[str, ...]
    years: np.ndarray            # output years (state at the end of each)
    pairs: tuple[tuple[str, str], ...]
    xf0: np.ndarray
    xi0: np.ndarray
    pf0: np.ndarray
    sf0: np.ndarray
    si0: np.ndarray
    D: np.ndarray
    RIV: np.ndarray
    NB: np.ndarray
    G: np.ndarray                # (actor, G_*, k) adjacency lists, -1 padded (see graph())
    GW: np.ndarray               # (actor, k) neighbour weights aligned with G[:, G_NB]
    SCH: np.ndarray
    SCG: np.ndarray
    SCP: np.ndarray              # (year, pair, SP_*): non-US patrons' arrangements (schedule.per_pair)
    pair_pat: np.ndarray
    pair_cli: np.ndarray
    pair_kind: np.ndarray
    align_idx: np.ndarray        # (A, 3) P columns of align.bal.<a>, align.acc.<a>, align.power.<a> (aligners)
    sources: dict
    schedule: S.Schedule         # the scenario's one resolution into schedules (scenario/schedule.py)


def resolve_actors(scenario: Scenario) -> tuple[str, ...]:
    actors = list(scenario.actors or F.DEFAULT_ACTORS)
    actors.remove("USA")
    return ("USA", *actors)  # the kernel assumes the patron USA is actor 0


def _logit(p: float) -> float:
    return float(link.logit(float(p), link.EPS_OPINION))


def theatre_locals(actors) -> tuple[str, ...]:
    """Local defenders of the crisis theatres that run with these actors (challenger, first local
    defender and the USA modelled: engine/crises.plan)."""
    from umbrella.crisis.theatres import THEATRES
    have = set(actors)
    return tuple(a for t in THEATRES.values() if {t.challenger, t.local[0], "USA"} <= have
                 for a in t.local if a in have)


def _geography(actors, year, capability: dict | None) -> dict:
    from umbrella.geo.engine_inputs import engine_inputs
    return engine_inputs(tuple(actors), int(year), capability)


def build(scenario: Scenario, world) -> Inputs:
    actors = resolve_actors(scenario)
    idx = {a: i for i, a in enumerate(actors)}
    A = len(actors)
    y0, y1 = scenario.start_year, scenario.horizon
    years = np.arange(y0, y1 + 1)
    fx = F.start_facts(actors, y0)
    wv = {k: p.value for k, p in world.parameters.items()}

    pairs = [p for p in F.patron_pairs(actors, y0)]
    NP = len(pairs)

    # --- static data
    D = np.zeros((A, L.N_D))
    D[:, L.D_LATENCY] = fx.latency
    D[:, L.D_ENR] = fx.enr
    D[:, L.D_SEP_PU] = fx.sep_pu_t
    D[:, L.D_ELEC] = fx.nuclear_elec_share
    D[:, L.D_MAJOR] = fx.major_power
    D[:, L.D_REGIONAL] = fx.regional_power
    D[:, L.D_NWS] = fx.npt_nws
    D[:, L.D_GROWTH] = fx.gdp_growth
    D[:, L.D_BURDEN0] = fx.milex_share
    # geography: homeland reach of each armed actor, theatre exposure of each client
    # a DPRK deal's missile caps act like the capability levers (F3:L42-44, C3.12)
    sched = S.resolve(scenario, actors, fx, fixed_value(world, scenario.uncertain, "crisis.deal_cap_factor"))
    geo = _geography(actors, y0, sched.capability)
    D[:, L.D_HOME_REACH] = geo["home_reach"]
    D[:, L.D_HOME_REACH0] = _geography(actors, y0, None)["home_reach"]
    D[:, L.D_EXPO_CHN] = geo["expo"]["CHN"]
    D[:, L.D_EXPO_PRK] = geo["expo"]["PRK"]
    D[:, L.D_EXPO_RUS] = geo["expo"]["RUS"]
    for p in pairs:
        if p.patron == "USA":
            D[idx[p.client], L.D_US_CLIENT] = 1.0
    polled = ~np.isnan(fx.support_own_weapons)
    D[:, L.D_POLLED] = polled
    D[:, L.D_OPINION0] = [(_logit(v) if ok else 0.0) for v, ok in zip(fx.support_own_weapons, polled, strict=True)]
    key_states = C.npt_key_states()
    for a in actors:
        D[idx[a], L.D_KEY_NPT] = a in key_states
        D[idx[a], L.D_ALIGNER] = a in ALIGNERS
    # theatre allies: a programme is struck in a war of its theatre (engine/crises.py), elsewhere
    # at the flat prolif.prevent_rate (proliferation.py)
    if scenario.levers.crisis_onsets:
        for a in theatre_locals(actors):
            D[idx[a], L.D_THEATRE] = 1.0
    for code, col in (("PRK", L.D_IS_PRK), ("CHN", L.D_IS_CHN), ("KOR", L.D_IS_KOR), ("RUS", L.D_IS_RUS)):
        if code in idx:
            D[idx[code], col] = 1.0
    if "PRK" in idx:
        D[:, L.D_FACES_PRK] = np.asarray(fx.rival, float)[:, idx["PRK"]] > 0
    if "CHN" in idx:
        D[:, L.D_LOGPOW0] = np.log(fx.gdp_usd_bn[idx["CHN"]] / fx.gdp_usd_bn)

    # --- per-actor state
    xf0 = np.zeros((A, L.N_XF))
    xi0 = np.zeros((A, L.N_XI), np.int64)
    xf0[:, L.XF_GDP] = fx.gdp_usd_bn
    xf0[:, L.XF_BURDEN] = fx.milex_share
    xf0[:, L.XF_MILEX] = fx.gdp_usd_bn * fx.milex_share
    xf0[:, L.XF_WARHEADS] = fx.warheads
    D[:, L.D_W0] = fx.warheads
    D[:, L.D_TTW_PUB] = fx.ttw_pub
    D[:, L.D_TTW_SD] = fx.ttw_pub_sd
    D[:, L.D_RED_LINE] = fx.red_line
    # alliance systems renumbered 0..k-1 among the run's actors (k <= A: a scratch row per system)
    D[:, L.D_SYSTEM] = np.unique(fx.alliance_system, return_inverse=True)[1]
    xf0[:, L.XF_OPINION] = np.where(polled, D[:, L.D_OPINION0], np.nan)
    xf0[:, L.XF_TTW] = -1.0
    xf0[:, L.XF_TROOPS] = sched.start["troops"]  # troop levers act as a start-year change (schedule)
    status = sched.status0
    xi0[:, L.XI_STATUS] = status
    xi0[:, L.XI_REACHED] = status
    xi0[:, L.XI_YEARS] = fx.years_in_status
    xi0[:, L.XI_NPT] = fx.npt_member & ~((status == L.PURSUE) | (status == L.ARSENAL)) | fx.npt_nws
    xi0[:, L.XI_SANCTIONED] = (status == L.PURSUE)
    # arrangements in force in the start year (data); levers that differ act in the first year
    xi0[:, L.XI_CONSULT] = sched.start["consult"]
    xi0[:, L.XI_SHARING] = sched.start["sharing"]
    xi0[:, L.XI_FORWARD] = sched.start["forward"]
    xi0[:, L.XI_PERMIT] = sched.start["permit"]

    # start postures: the most attractive posture under start conditions (no inertia)
    align_idx = np.zeros((A, 3), np.int64)
    camp0 = sched.camp0
    for a in ALIGNERS:
        if a not in idx:
            continue
        i = idx[a]
        align_idx[i] = (INDEX[f"align.bal.{a}"], INDEX[f"align.acc.{a}"], INDEX[f"align.power.{a}"])
        ub, ua = wv[f"align.bal.{a}"], wv[f"align.acc.{a}"]
        if a == "KOR":
            ub += wv["align.camp"] * (camp0 == S.CONSERVATIVE)
            ua += wv["align.camp"] * (camp0 == S.PROGRESSIVE)
        xi0[i, L.XI_POSTURE] = int(np.argmax([ub, 0.0, ua]))

    # --- pairs
    pf0 = np.zeros((NP, L.N_PF))
    pair_pat = np.array([idx[p.patron] for p in pairs], np.int64)
    pair_cli = np.array([idx[p.client] for p in pairs], np.int64)
    pair_kind = np.array([1 if p.kind == "treaty" else 0 for p in pairs], np.int64)
    pf0[:, L.PF_CRED] = [p.cred0 for p in pairs]

    sf0 = np.zeros(L.N_SF)
    si0 = np.zeros(L.N_SI, np.int64)
    si0[L.SI_ADMIN] = sched.admin0
    si0[L.SI_CAMP] = camp0

    _check_finite(actors, y0, xf0, D, fx.sources)
    SCH, SCG, SCP = pack(sched)
    if sched.pairs != tuple((p.patron, p.client) for p in pairs):
        raise AssertionError("the schedule's pairs are not the engine's (patron_pairs order)")
    sources = dict(fx.sources)
    sources.update(sched.notes["arrangements"])
    sources["pairs"] = {f"{p.patron}->{p.client}": p.cred0_source for p in pairs}
    RIV = np.asarray(fx.rival, float)
    NB = np.asarray(fx.neighbour, float)
    UP, CO = reaction_matrices(actors)
    G, GW = graph(RIV, NB, UP, CO)
    return Inputs(actors, years, tuple((p.patron, p.client) for p in pairs), xf0, xi0, pf0, sf0,
                  si0, D, RIV, NB, G, GW, SCH, SCG, SCP, pair_pat, pair_cli, pair_kind, align_idx,
                  sources, sched)


# start values that must be numbers for every actor (opinion is NaN where an actor is not polled)
_FINITE_XF = {"gdp_usd_bn": L.XF_GDP, "milex_share": L.XF_BURDEN, "milex": L.XF_MILEX, "warheads": L.XF_WARHEADS,
              "us_troops": L.XF_TROOPS}
_FINITE_D = {"latency": L.D_LATENCY, "gdp_growth": L.D_GROWTH, "milex_share": L.D_BURDEN0,
             "home_reach": L.D_HOME_REACH, "expo_CHN": L.D_EXPO_CHN, "expo_PRK": L.D_EXPO_PRK}


def _check_finite(actors, year: int, xf0: np.ndarray, D: np.ndarray, sources: dict) -> None:
    """A missing fact (NaN) would silently switch mechanisms off (a NaN threat index makes every
    hazard comparison false): refuse the start year, naming the actor, the field and the year."""
    for table, cols in ((xf0, _FINITE_XF), (D, _FINITE_D)):
        for field, col in cols.items():
            bad = ~np.isfinite(table[:, col])
            if bad.any():
                a = actors[int(np.argmax(bad))]
                src = (sources.get(field) or {}).get(a, "") if isinstance(sources.get(field), dict) else ""
                raise InputError("start_year", int(year),
                                 f"a start year for which every modelled actor has {field} (or leave {a} out "
                                 "of `actors`)",
                                 problem=f"has no {field} for {a} in the bundled data"
                                 + (f" ({src})" if src else ""))


def graph(RIV: np.ndarray, NB: np.ndarray, UP: np.ndarray | None = None,
          CO: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Adjacency lists of the sparse relation matrices, so the kernels loop over an actor's few
    relations rather than every actor: G[a, G_RIV] rivals (self excluded), G[a, G_NB] neighbours
    (weights in GW), G[a, G_RIV_NB] either, G[a, G_BUILDUP] / G[a, G_COERCE] the allies whose
    programme or arsenal a answers (adversary_reactions.csv); -1 ends a list."""
    A = RIV.shape[0]
    UP = np.zeros((A, A)) if UP is None else UP
    CO = np.zeros((A, A)) if CO is None else CO
    lists = []
    for a in range(A):
        riv = [b for b in range(A) if RIV[a, b] > 0 and b != a]
        nb = [b for b in range(A) if NB[a, b] > 0]
        either = [b for b in range(A) if (RIV[a, b] > 0 or NB[a, b] > 0) and b != a]
        up = [b for b in range(A) if UP[a, b] > 0 and b != a]
        co = [b for b in range(A) if CO[a, b] > 0 and b != a]
        lists.append((riv, nb, either, up, co))
    K = max(1, max(len(x) for row in lists for x in row)) + 1  # room for the -1 end mark
    G = np.full((A, L.N_G, K), -1, np.int64)
    GW = np.zeros((A, K))
    for a, (riv, nb, either, up, co) in enumerate(lists):
        G[a, L.G_RIV, :len(riv)] = riv
        G[a, L.G_NB, :len(nb)] = nb
        G[a, L.G_RIV_NB, :len(either)] = either
        G[a, L.G_BUILDUP, :len(up)] = up
        G[a, L.G_COERCE, :len(co)] = co
        GW[a, :len(nb)] = NB[a, nb]
    return G, GW


# the kernel's schedule columns (layout.SC_* / SG_*) of the schedule's named arrays
_SC = {"troops": L.SC_TROOPS, "consult": L.SC_CONSULT, "sharing": L.SC_SHARING, "forward": L.SC_FORWARD,
       "permit": L.SC_PERMIT, "programme": L.SC_PROGRAMME, "covert": L.SC_COVERT,
       "npt_withdraw": L.SC_NPT_WITHDRAW, "coercion": L.SC_COERCION, "rhetoric": L.SC_RHETORIC,
       "hns": L.SC_HNS, "burden_target": L.SC_BURDEN_TARGET, "doctrine": L.SC_DOCTRINE, "deal": L.SC_DEAL}
_SG = {"admin": L.SG_ADMIN, "camp": L.SG_CAMP, "crisis_outcome": L.SG_CRISIS, "test": L.SG_TEST,
       "election_us": L.SG_ELECTION_US, "election_kor": L.SG_ELECTION_KOR, "revcon": L.SG_REVCON,
       "moratorium": L.SG_MORATORIUM, "hns_mode": L.SG_HNS_MODE, "theatre": L.SG_THEATRE}
assert len(_SC) == L.N_SC and len(_SG) == L.N_SG
assert (S.AMERICA_FIRST, S.CONSERVATIVE) == (L.AMERICA_FIRST, L.CONSERVATIVE)


def pack(sched: S.Schedule) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The schedule as the kernel's SCH (year, actor, SC_*), SCG (year, SG_*) and SCP (year,
    pair, SP_*) arrays (pairs in the order of sched.pairs)."""
    Y, A = sched.per_actor["troops"].shape
    SCH = np.full((Y, A, L.N_SC), np.nan)
    SCG = np.full((Y, L.N_SG), np.nan)
    SCP = np.full((Y, len(sched.pairs), L.N_SP), np.nan)
    for name, col in _SC.items():
        SCH[:, :, col] = sched.per_actor[name]
    for name, col in _SG.items():
        SCG[:, col] = sched.per_year[name]
    for name, col in (("consult", L.SP_CONSULT), ("forward", L.SP_FORWARD)):
        if name in sched.per_pair:
            SCP[:, :, col] = sched.per_pair[name]
    return SCH, SCG, SCP
