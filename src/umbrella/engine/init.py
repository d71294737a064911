"""Initial state and static inputs of a run: bundled facts for the start year, overridden by the
scenario's levers, plus the scenario's shocks resolved into per-year schedules."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from umbrella.data import facts as F, relations
from umbrella.engine import calendar as C, layout as L
from umbrella.engine.params import INDEX
from umbrella.scenario.schema import CONSULTATION_LEVELS, SHARING_LEVELS, STATUS_LEVELS, Scenario

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
    pair_pat: np.ndarray
    pair_cli: np.ndarray
    pair_kind: np.ndarray
    bal_idx: np.ndarray
    acc_idx: np.ndarray
    sources: dict


def resolve_actors(scenario: Scenario) -> tuple[str, ...]:
    actors = list(scenario.actors or F.DEFAULT_ACTORS)
    actors.remove("USA")
    return ("USA", *actors)  # the kernel assumes the patron USA is actor 0


def _logit(p: float) -> float:
    p = min(max(p, 1e-4), 1 - 1e-4)
    return math.log(p / (1 - p))


def _geography(actors, year, levers, deal_cap_factor: float | None = None) -> dict:
    from umbrella.geo.engine_inputs import engine_inputs, scenario_capability
    cap = None if levers is None else scenario_capability(levers, deal_cap_factor)
    return engine_inputs(tuple(actors), int(year), cap)


def build(scenario: Scenario, world) -> Inputs:
    actors = resolve_actors(scenario)
    idx = {a: i for i, a in enumerate(actors)}
    A = len(actors)
    y0, y1 = scenario.start_year, scenario.horizon
    years = np.arange(y0, y1 + 1)
    Y = len(years)
    fx = F.start_facts(actors, y0)
    lv = scenario.levers
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
    from umbrella.crisis.params import values as crisis_values
    geo = _geography(actors, y0, scenario.levers, crisis_values(world)["crisis.deal_cap_factor"])
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
    D[:, L.D_OPINION0] = [(_logit(v) if ok else 0.0) for v, ok in zip(fx.support_own_weapons, polled)]
    key_states = C.npt_key_states()
    for a in actors:
        D[idx[a], L.D_KEY_NPT] = a in key_states
        D[idx[a], L.D_ALIGNER] = a in ALIGNERS
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
    xf0[:, L.XF_OPINION] = np.where(polled, D[:, L.D_OPINION0], np.nan)
    xf0[:, L.XF_TTW] = -1.0
    xf0[:, L.XF_TROOPS] = fx.us_troops  # troop levers act as a start-year change (see _schedules)
    status = np.asarray(fx.status, np.int64).copy()
    for a, s in lv.status.items():
        if a in idx:
            status[idx[a]] = STATUS_LEVELS.index(s)
    xi0[:, L.XI_STATUS] = status
    xi0[:, L.XI_REACHED] = status
    xi0[:, L.XI_YEARS] = fx.years_in_status
    xi0[:, L.XI_NPT] = fx.npt_member & ~((status == L.PURSUE) | (status == L.ARSENAL)) | fx.npt_nws
    xi0[:, L.XI_SANCTIONED] = (status == L.PURSUE)
    # arrangements in force in the start year (data); levers that differ act in the first year
    arr = relations.arrangement_levels(actors, y0)
    xi0[:, L.XI_CONSULT] = arr["consultation"][0]
    xi0[:, L.XI_SHARING] = arr["nuclear_sharing"][0]
    xi0[:, L.XI_FORWARD] = arr["forward_weapons"][0]
    for a, v in lv.us_permits_nuclear.items():
        if a in idx:
            xi0[idx[a], L.XI_PERMIT] = int(v)

    # start postures: the most attractive posture under start conditions (no inertia)
    bal_idx = np.zeros(A, np.int64)
    acc_idx = np.zeros(A, np.int64)
    camp0 = _start_camp(scenario)
    for a in ALIGNERS:
        if a not in idx:
            continue
        i = idx[a]
        bal_idx[i] = INDEX[f"align.bal.{a}"]
        acc_idx[i] = INDEX[f"align.acc.{a}"]
        ub, ua = wv[f"align.bal.{a}"], wv[f"align.acc.{a}"]
        if a == "KOR":
            ub += wv["align.camp"] * (camp0 == L.CONSERVATIVE)
            ua += wv["align.camp"] * (camp0 == L.PROGRESSIVE)
        xi0[i, L.XI_POSTURE] = int(np.argmax([ub, 0.0, ua]))

    # --- pairs
    pf0 = np.zeros((NP, L.N_PF))
    pair_pat = np.array([idx[p.patron] for p in pairs], np.int64)
    pair_cli = np.array([idx[p.client] for p in pairs], np.int64)
    pair_kind = np.array([1 if p.kind == "treaty" else 0 for p in pairs], np.int64)
    pf0[:, L.PF_CRED] = [p.cred0 for p in pairs]

    sf0 = np.zeros(L.N_SF)
    si0 = np.zeros(L.N_SI, np.int64)
    si0[L.SI_ADMIN] = _start_admin(scenario)
    si0[L.SI_CAMP] = camp0

    SCH, SCG = _schedules(scenario, actors, idx, years, fx, xi0)
    sources = dict(fx.sources)
    for name, (_, src) in arr.items():
        sources[name] = dict(zip(actors, src))
    sources["pairs"] = {f"{p.patron}->{p.client}": p.cred0_source for p in pairs}
    RIV = np.asarray(fx.rival, float)
    NB = np.asarray(fx.neighbour, float)
    G, GW = graph(RIV, NB)
    return Inputs(actors, years, tuple((p.patron, p.client) for p in pairs), xf0, xi0, pf0, sf0,
                  si0, D, RIV, NB, G, GW, SCH, SCG, pair_pat, pair_cli, pair_kind, bal_idx,
                  acc_idx, sources)


def graph(RIV: np.ndarray, NB: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Adjacency lists of the sparse rivalry and neighbour matrices, so the kernels loop over
    an actor's few rivals rather than every actor: G[a, G_RIV] rivals (self excluded),
    G[a, G_NB] neighbours (weights in GW), G[a, G_RIV_NB] either; -1 ends a list."""
    A = RIV.shape[0]
    lists = []
    for a in range(A):
        riv = [b for b in range(A) if RIV[a, b] > 0 and b != a]
        nb = [b for b in range(A) if NB[a, b] > 0]
        either = [b for b in range(A) if (RIV[a, b] > 0 or NB[a, b] > 0) and b != a]
        lists.append((riv, nb, either))
    K = max(1, max(len(x) for row in lists for x in row)) + 1  # room for the -1 end mark
    G = np.full((A, L.N_G, K), -1, np.int64)
    GW = np.zeros((A, K))
    for a, (riv, nb, either) in enumerate(lists):
        G[a, L.G_RIV, :len(riv)] = riv
        G[a, L.G_NB, :len(nb)] = nb
        G[a, L.G_RIV_NB, :len(either)] = either
        GW[a, :len(nb)] = NB[a, nb]
    return G, GW


def _start_admin(s: Scenario) -> int:
    if s.levers.us_administration is not None:
        return L.AMERICA_FIRST if s.levers.us_administration == "america_first" else L.ENGAGED
    return L.AMERICA_FIRST if C.us_administration_type(s.start_year) == "america_first" else L.ENGAGED


def _start_camp(s: Scenario) -> int:
    camp = s.levers.rok_camp or C.rok_camp(s.start_year)
    return L.CONSERVATIVE if camp == "conservative" else L.PROGRESSIVE


def _schedules(s: Scenario, actors, idx, years, fx, xi0):
    Y, A = len(years), len(actors)
    SCH = np.full((Y, A, L.N_SC), np.nan)
    SCG = np.full((Y, L.N_SG), np.nan)
    SCH[:, :, L.SC_RHETORIC] = 0.0
    SCG[:, L.SG_ELECTION_US] = 0.0
    SCG[:, L.SG_ELECTION_KOR] = 0.0
    SCG[:, L.SG_REVCON] = 0.0
    SCG[:, L.SG_MORATORIUM] = 1.0 if s.levers.dprk_test_moratorium else 0.0
    SCG[:, L.SG_HNS_MODE] = 1.0 if s.levers.burden_sharing == "hns_transfer" else 0.0
    SCG[:, L.SG_TEST] = 0.0
    y0 = int(years[0])
    # elections: a new US administration takes office the year after the vote
    for y in C.election_years("USA", y0, int(years[-1])):
        if y0 < y + 1 <= years[-1]:
            SCG[y + 1 - y0, L.SG_ELECTION_US] = 1.0
    for y in C.election_years("KOR", y0, int(years[-1])):
        if y0 < y <= years[-1]:
            SCG[y - y0, L.SG_ELECTION_KOR] = 1.0
    for y in F.revcon_years(y0, int(years[-1])):
        SCG[y - y0, L.SG_REVCON] = 1.0
    # defence-burden targets: linear path from the start value to the target year, then held
    for a, tgt in s.levers.defence_target.items():
        if a not in idx:
            continue
        b0 = fx.milex_share[idx[a]]
        for t, y in enumerate(years):
            f = 1.0 if y >= tgt.by else (y - y0 + 1) / max(tgt.by - y0 + 1, 1)
            SCH[t, idx[a], L.SC_BURDEN_TARGET] = b0 + f * (tgt.share - b0)
    # doctrine path: China per DoD CMPR (optionally rescaled to a 2035 target)
    if "CHN" in idx:
        path = F.doctrine_path("CHN", years)[:, 1]
        # before the first DoD projection point the path is the recorded stockpile (FAS), so a
        # run started in the past follows history rather than the 2024 level (VALIDATION H12)
        first = F.doctrine_first_year("CHN")
        for t, y in enumerate(years):
            if y < first:
                path[t] = F.warheads("CHN", int(y))[0]
        tgt = s.levers.china_warheads_target_2035
        if tgt is not None:
            base = float(fx.warheads[idx["CHN"]])
            p35 = float(F.doctrine_path("CHN", np.array([2035]))[0, 1])
            scale = (tgt - base) / (p35 - base) if p35 != base else 1.0
            path = base + (path - base) * scale
        SCH[:, idx["CHN"], L.SC_DOCTRINE] = path
    # a troop lever departs from the data: a change in the first year, seen as a signal and
    # moving the anchor (calibrated on the data's level), so standing levers are not cancelled
    for a, n in s.levers.us_troops.items():
        if a in idx:
            SCH[0, idx[a], L.SC_TROOPS] = n
    # likewise arrangement levers, against the arrangements table's start-year levels
    for field, col, xcol, levels in (
            ("consultation", L.SC_CONSULT, L.XI_CONSULT, CONSULTATION_LEVELS),
            ("nuclear_sharing", L.SC_SHARING, L.XI_SHARING, SHARING_LEVELS),
            ("forward_weapons", L.SC_FORWARD, L.XI_FORWARD, None)):
        for a, v in getattr(s.levers, field).items():
            if a not in idx:
                continue
            level = int(v) if levels is None else levels.index(v)
            if level != xi0[idx[a], xcol]:
                SCH[0, idx[a], col] = level
    for sh in s.shocks:
        t = sh.year - y0
        kind = sh.type
        if kind == "troops" and sh.target in idx:
            SCH[t, idx[sh.target], L.SC_TROOPS] = sh.value
        elif kind == "hns_ultimatum" and sh.target in idx:
            SCH[t, idx[sh.target], L.SC_HNS] = 1.0
        elif kind == "rhetoric":
            tone = 1.0 if sh.tone == "positive" else -1.0
            targets = actors if sh.target == "all" else [sh.target] if sh.target in idx else []
            for a in targets:
                SCH[t, idx[a], L.SC_RHETORIC] += tone
        elif kind == "consultation" and sh.target in idx:
            SCH[t, idx[sh.target], L.SC_CONSULT] = CONSULTATION_LEVELS.index(sh.value)
        elif kind == "nuclear_sharing" and sh.target in idx:
            SCH[t, idx[sh.target], L.SC_SHARING] = SHARING_LEVELS.index(sh.value)
        elif kind == "forward_weapons" and sh.target in idx:
            SCH[t, idx[sh.target], L.SC_FORWARD] = float(sh.value)
        elif kind == "permit_nuclear" and sh.target in idx:
            SCH[t, idx[sh.target], L.SC_PERMIT] = float(sh.value)
        elif kind == "administration":
            SCG[t, L.SG_ADMIN] = L.AMERICA_FIRST if sh.value == "america_first" else L.ENGAGED
        elif kind == "rok_camp":
            SCG[t, L.SG_CAMP] = L.CONSERVATIVE if sh.value == "conservative" else L.PROGRESSIVE
        elif kind == "programme" and sh.target in idx:
            SCH[t, idx[sh.target], L.SC_PROGRAMME] = 1.0 if sh.level == "explore" else 2.0
            SCH[t, idx[sh.target], L.SC_COVERT] = float(sh.covert)
        elif kind == "npt_withdrawal" and sh.target in idx:
            SCH[t, idx[sh.target], L.SC_NPT_WITHDRAW] = 1.0
        elif kind == "economic_coercion" and sh.target in idx:
            SCH[t, idx[sh.target], L.SC_COERCION] = 1.0
        elif kind == "nuclear_test":
            SCG[t, L.SG_TEST] = 1.0
        elif kind == "crisis_outcome" and sh.patron == "USA":
            SCG[t, L.SG_CRISIS] = 1.0 if sh.outcome == "stood_firm" else -1.0
        # `crisis` / `war` shocks are played by the crisis layer (engine/crises.py)
    _deal(s, idx, fx, SCH)
    return SCH, SCG


def _deal(s: Scenario, idx, fx, SCH) -> None:
    """A DPRK deal (levers.dprk_deal) in the start year: its freeze caps the DPRK's arsenal
    target at the start level; struck without trilateral coordination it is bad news for the ROK
    (weight 1) and Japan (1 + cred.deal_mrbm_extra if MRBMs stay uncapped), VALIDATION A9."""
    deal = s.levers.dprk_deal
    if deal is None or not any(deal.model_dump().values()):
        return
    if deal.freeze and "PRK" in idx:
        SCH[:, idx["PRK"], L.SC_DOCTRINE] = float(fx.warheads[idx["PRK"]])
    if (s.levers.trilateral_coordination or "low") == "low":
        if "KOR" in idx:
            SCH[0, idx["KOR"], L.SC_DEAL] = 1.0
        if "JPN" in idx:
            # 2 flags "exposed": the kernel's weight is 1 + cred.deal_mrbm_extra (per run)
            SCH[0, idx["JPN"], L.SC_DEAL] = 1.0 if deal.mrbm_cap else 2.0
