"""One resolution of a scenario into schedules: what the levers and shocks mean, year by year.

`resolve(scenario, actors, facts, deal_cap_factor)` is the only place where a lever or a shock
is given its meaning. The engine packs the result into its kernel arrays (engine/init.py), the
crisis layer reads its doctrine and arrangements (crisis/inputs.py), and `explain` reads which
signals the scenario wrote (analysis/explain.py); none of them reads `scenario.levers` for
these again.

Per year t (row) and actor (column), NaN where nothing is scheduled:
  troops, consult, sharing, forward, permit   levels set from year t on (levers act as a change
                                              in the start year against the data's level)
  programme (1 explore, 2 pursue), covert, npt_withdraw, coercion, hns   events of year t
  rhetoric                                    summed tone (-1 per negative statement; 0 default)
  burden_target                               defence-burden target path (levers.defence_target)
  doctrine                                    warhead doctrine target: China's DoD CMPR path
                                              (recorded stockpile before its first year, then
                                              rescaled once to levers.china_warheads_target_2035
                                              with base = the start-year stockpile); a DPRK
                                              deal's freeze holds the DPRK at its start level
  deal                                        weight of the bad news of an uncoordinated DPRK
                                              deal (1; 2 = Japan exposed to uncapped MRBMs, A9)
Per year: admin, camp (shocks), crisis_outcome (+1 stood firm, -1 backed down), test,
election_us (a new administration takes office), election_kor, revcon, moratorium, hns_mode.
Crisis layer: forced crises {t: {theatre: start rung}} and the doctrine flags below.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass, field

import numpy as np

from umbrella.data import calendar as C
from umbrella.data import facts as F
from umbrella.errors import InputError
from umbrella.scenario import schema as sc
from umbrella.scenario.schema import (
    CONSULTATION_LEVELS,
    SHARING_LEVELS,
    STATUS_LEVELS,
    Administration,
    RokCamp,
    Scenario,
    TheaterNuclearLevel,
)

# The one table of lever levels (from the schema's types): a level's index is its integer code
# in the engine and the data
LEVELS: dict[str, tuple[str, ...]] = {
    "consultation": CONSULTATION_LEVELS,
    "nuclear_sharing": SHARING_LEVELS,
    "status": STATUS_LEVELS,
    "us_theater_nuclear": typing.get_args(TheaterNuclearLevel),
    "us_administration": typing.get_args(Administration),
    "rok_camp": typing.get_args(RokCamp),
}
ENGAGED, AMERICA_FIRST = 0, 1          # us_administration codes
PROGRESSIVE, CONSERVATIVE = 0, 1       # rok_camp codes
CRISIS_ONSET, CRISIS_WAR = 1, 4        # the start rung of a `crisis` / `war` shock


def level(kind: str, value: str | bool) -> int:
    """The integer code of a lever level (booleans: 0/1)."""
    if isinstance(value, bool):
        return int(value)
    return LEVELS[kind].index(value)


def admin_code(value: str) -> int:
    return AMERICA_FIRST if value == "america_first" else ENGAGED


def camp_code(value: str) -> int:
    return CONSERVATIVE if value == "conservative" else PROGRESSIVE


@dataclass(frozen=True)
class Doctrine:
    """The crisis layer's standing settings (None in a lever means the data's value)."""

    decapitation: bool        # allied decapitation doctrine (data: True, F3:L28)
    predelegation: bool       # DPRK pre-delegated launch authority (data: True, the 2022 law)
    nsa: bool                 # a US negative security assurance to the DPRK (the deal's)
    massive_retaliation: bool  # US declaratory policy toward DPRK first use (data: ambiguous)
    coord_high: bool          # US-Japan-ROK coordination (data: low, F3:L48-52)
    us_theatre_level: str     # US theatre nuclear forces: low, medium (data), high
    tnw_forward: dict         # actor -> bool: theatre weapons forward-based in a crisis (overrides
                              # the forward-weapons state in the crisis layer only)


@dataclass(frozen=True)
class Schedule:
    actors: tuple[str, ...]
    years: np.ndarray
    per_actor: dict[str, np.ndarray]     # name -> (Y, A)
    per_year: dict[str, np.ndarray]      # name -> (Y,)
    start: dict[str, np.ndarray]         # the data's start-year levels: troops, consult, sharing, forward, permit
    admin0: int
    camp0: int
    status0: np.ndarray                  # (A,) start status after levers.status
    forced_crises: dict[int, dict[str, int]]
    doctrine: Doctrine
    capability: dict | None              # the geography layer's capability override (levers, deal caps)
    notes: dict = field(default_factory=dict)
    pairs: tuple[tuple[str, str], ...] = ()  # (patron, client) of the run's pairs (patron_pairs.csv)
    per_pair: dict = field(default_factory=dict)  # "consult", "forward" -> (Y, n_pairs): non-US patrons'
                                                  # arrangements scheduled by shocks (NaN = nothing)

    def __getitem__(self, name: str) -> np.ndarray:
        return self.per_actor[name] if name in self.per_actor else self.per_year[name]

    def in_force(self, name: str) -> tuple[np.ndarray, np.ndarray]:
        """(Y, A) levels of troops, consult, sharing, forward or permit in force at the start of
        each year (before its scheduled changes) and after them."""
        cur = np.asarray(self.start[name], float).copy()
        sch = self.per_actor[name]
        pre, post = np.empty(sch.shape), np.empty(sch.shape)
        for t in range(sch.shape[0]):
            pre[t] = cur
            m = ~np.isnan(sch[t])
            cur[m] = sch[t][m]
            post[t] = cur
        return pre, post

    def signals(self) -> tuple[np.ndarray, np.ndarray]:
        """(Y, A) bool each: a signal of doubt the scenario writes to the actor (a cut, a
        downgrade, a scheduled HNS ultimatum, net negative rhetoric), and the part of it the
        engine spills over to the other US clients (all but rhetoric)."""
        spill = np.zeros(self.per_actor["troops"].shape, bool)
        for name in ("troops", "consult", "sharing", "forward"):
            pre, post = self.in_force(name)
            spill |= post < pre
        spill |= self.per_actor["hns"] > 0
        return spill | (self.per_actor["rhetoric"] < 0), spill


PER_ACTOR = ("troops", "consult", "sharing", "forward", "permit", "programme", "covert", "npt_withdraw",
             "coercion", "rhetoric", "hns", "burden_target", "doctrine", "deal")
PER_YEAR = ("admin", "camp", "crisis_outcome", "test", "election_us", "election_kor", "revcon",
            "moratorium", "hns_mode", "theatre")


def resolve(s: Scenario, actors: tuple[str, ...], fx: F.Facts, deal_cap_factor: float) -> Schedule:
    """The scenario's schedules for `actors` (fx: their facts at the start year)."""
    from umbrella.data import relations
    from umbrella.geo.engine_inputs import scenario_capability

    idx = {a: i for i, a in enumerate(actors)}
    y0, y1 = int(s.start_year), int(s.horizon)
    years = np.arange(y0, y1 + 1)
    Y, A = len(years), len(actors)
    lv = s.levers
    pa = {k: np.full((Y, A), np.nan) for k in PER_ACTOR}
    py = {k: np.full(Y, np.nan) for k in PER_YEAR}
    pa["rhetoric"][:] = 0.0
    for k in ("election_us", "election_kor", "revcon", "test"):
        py[k][:] = 0.0
    py["moratorium"][:] = 1.0 if lv.dprk_test_moratorium else 0.0
    py["hns_mode"][:] = 1.0 if lv.burden_sharing == "hns_transfer" else 0.0
    # US theatre nuclear forces against the data's level (medium): -1 low, 0 medium, +1 high
    py["theatre"][:] = LEVELS["us_theater_nuclear"].index(lv.us_theater_nuclear or "medium") - 1.0

    arr = relations.arrangement_levels(actors, y0)
    start = {"troops": np.asarray(fx.us_troops, float), "consult": arr["consultation"][0].astype(float),
             "sharing": arr["nuclear_sharing"][0].astype(float), "forward": arr["forward_weapons"][0].astype(float),
             "permit": np.zeros(A)}
    for a, v in lv.us_permits_nuclear.items():
        if a in idx:
            start["permit"][idx[a]] = float(v)
    status0 = np.asarray(fx.status, np.int64).copy()
    for a, st in lv.status.items():
        if a in idx:
            status0[idx[a]] = level("status", st)

    # elections: a new US administration takes office the year after the vote
    for y in C.election_years("USA", y0, y1):
        if y0 < y + 1 <= y1:
            py["election_us"][y + 1 - y0] = 1.0
    for y in C.election_years("KOR", y0, y1):
        if y0 < y <= y1:
            py["election_kor"][y - y0] = 1.0
    for y in F.revcon_years(y0, y1):
        py["revcon"][y - y0] = 1.0
    # defence-burden targets: linear path from the start value to the target year, then held
    for a, tgt in lv.defence_target.items():
        if a not in idx:
            continue
        b0 = float(fx.milex_share[idx[a]])
        for t, yr in enumerate(years.tolist()):
            f = 1.0 if yr >= tgt.by else (yr - y0 + 1) / max(tgt.by - y0 + 1, 1)
            pa["burden_target"][t, idx[a]] = b0 + f * (tgt.share - b0)
    if "CHN" in idx:
        pa["doctrine"][:, idx["CHN"]] = china_path(years, lv.china_warheads_target_2035,
                                                   float(fx.warheads[idx["CHN"]]))
    # levers depart from the data: a change in the start year, seen as a signal and moving the
    # anchor (calibrated on the data's level), so standing levers are not cancelled
    for a, n in lv.us_troops.items():
        if a in idx:
            pa["troops"][0, idx[a]] = n
    for fld, name, kind in (("consultation", "consult", "consultation"),
                            ("nuclear_sharing", "sharing", "nuclear_sharing"),
                            ("forward_weapons", "forward", None)):
        for a, v in getattr(lv, fld).items():
            if a not in idx:
                continue
            code = int(v) if kind is None else level(kind, str(v))
            if code != start[name][idx[a]]:
                pa[name][0, idx[a]] = code

    pairs = tuple((p.patron, p.client) for p in relations.patron_pairs(actors, y0))
    pp = {k: np.full((Y, len(pairs)), np.nan) for k in ("consult", "forward")}
    forced: dict[int, dict[str, int]] = {}
    for sh in s.shocks:
        t = sh.year - y0
        i = idx.get(getattr(sh, "target", None) or "")
        patron = getattr(sh, "patron", "USA")
        if isinstance(sh, (sc.ConsultationShock, sc.ForwardWeaponsShock)) and patron != "USA":
            if patron not in idx or i is None:
                continue                  # patron or target not in the run: dropped
            if (patron, sh.target) not in pairs:
                have = ", ".join(f"{a}->{b}" for a, b in pairs if a == patron) or "none"
                raise InputError(f"shocks[{s.shocks.index(sh)}].patron", f"{patron}->{sh.target}",
                                 f"a patron->client pair of the run (patron_pairs.csv; {patron}: {have})",
                                 problem="is not a commitment in force in the start year")
            col = pairs.index((patron, sh.target))
            if isinstance(sh, sc.ConsultationShock):
                pp["consult"][t, col] = level("consultation", sh.value)
            else:
                pp["forward"][t, col] = float(sh.value)
            continue
        if isinstance(sh, sc.RhetoricShock):
            tone = 1.0 if sh.tone == "positive" else -1.0
            targets = actors if sh.target == "all" else [sh.target] if sh.target in idx else []
            for a in targets:
                pa["rhetoric"][t, idx[a]] += tone
        elif isinstance(sh, sc.AdministrationShock):
            py["admin"][t] = admin_code(sh.value)
        elif isinstance(sh, sc.RokCampShock):
            py["camp"][t] = camp_code(sh.value)
        elif isinstance(sh, sc.NuclearTestShock):
            py["test"][t] = 1.0
        elif isinstance(sh, sc.CrisisOutcomeShock):
            if sh.patron == "USA":
                py["crisis_outcome"][t] = 1.0 if sh.outcome == "stood_firm" else -1.0
        elif isinstance(sh, sc.CrisisShock):
            rung = CRISIS_WAR if sh.type == "war" else CRISIS_ONSET
            d = forced.setdefault(t, {})
            d[sh.theatre] = max(d.get(sh.theatre, 0), rung)
        elif i is None:
            continue                      # a shock whose target is not in the run is dropped
        elif isinstance(sh, sc.TroopsShock):
            pa["troops"][t, i] = sh.value
        elif isinstance(sh, sc.HnsUltimatumShock):
            pa["hns"][t, i] = 1.0
        elif isinstance(sh, sc.ConsultationShock):
            pa["consult"][t, i] = level("consultation", sh.value)
        elif isinstance(sh, sc.SharingShock):
            pa["sharing"][t, i] = level("nuclear_sharing", sh.value)
        elif isinstance(sh, sc.ForwardWeaponsShock):
            pa["forward"][t, i] = float(sh.value)
        elif isinstance(sh, sc.PermitNuclearShock):
            pa["permit"][t, i] = float(sh.value)
        elif isinstance(sh, sc.ProgrammeShock):
            pa["programme"][t, i] = 1.0 if sh.level == "explore" else 2.0
            pa["covert"][t, i] = float(sh.covert)
        elif isinstance(sh, sc.NptWithdrawalShock):
            pa["npt_withdraw"][t, i] = 1.0
        elif isinstance(sh, sc.EconomicCoercionShock):
            pa["coercion"][t, i] = 1.0

    # a DPRK deal (levers.dprk_deal) in the start year: its freeze holds the DPRK's arsenal
    # target at the start level; struck without trilateral coordination it is bad news for the
    # ROK (weight 1) and Japan (2 = exposed: 1 + cred.deal_mrbm_extra if MRBMs stay uncapped), A9
    deal = lv.dprk_deal
    coord_high = (lv.trilateral_coordination or "low") == "high"
    if deal is not None and any(deal.model_dump().values()):
        if deal.freeze and "PRK" in idx:
            pa["doctrine"][:, idx["PRK"]] = float(fx.warheads[idx["PRK"]])
        if not coord_high:
            if "KOR" in idx:
                pa["deal"][0, idx["KOR"]] = 1.0
            if "JPN" in idx:
                pa["deal"][0, idx["JPN"]] = 1.0 if deal.mrbm_cap else 2.0

    decap = True if lv.allied_decapitation_doctrine is None else bool(lv.allied_decapitation_doctrine)
    pd_ = True if lv.dprk_predelegation is None else bool(lv.dprk_predelegation)
    if deal is not None and deal.no_decapitation_for_no_predelegation:
        decap = pd_ = False
    doctrine = Doctrine(
        decapitation=decap, predelegation=pd_, nsa=bool(deal is not None and deal.negative_security_assurance),
        massive_retaliation=(lv.us_declaratory_dprk or "ambiguous") == "massive_retaliation",
        coord_high=coord_high, us_theatre_level=lv.us_theater_nuclear or "medium",
        tnw_forward={a: bool(v) for a, v in lv.tnw_forward_based.items() if a in idx})
    admin0 = admin_code(lv.us_administration or C.us_administration_type(y0))
    camp0 = camp_code(lv.rok_camp or C.rok_camp(y0))
    return Schedule(actors=tuple(actors), years=years, per_actor=pa, per_year=py, start=start,
                    admin0=admin0, camp0=camp0, status0=status0, forced_crises=forced, doctrine=doctrine,
                    capability=scenario_capability(lv, deal_cap_factor),
                    notes={"arrangements": {k: dict(zip(actors, src, strict=True)) for k, (_, src) in arr.items()}},
                    pairs=pairs, per_pair=pp)


def china_path(years: np.ndarray, target_2035: float | None, base: float) -> np.ndarray:
    """China's warhead doctrine target by year: the recorded stockpile (FAS) before the DoD CMPR
    path's first projection year, so a run started in the past follows history (VALIDATION H12),
    then the DoD path (mid), rescaled to a 2035 target as base + (path - base)(target - base) /
    (path_2035 - base), base = the start-year stockpile."""
    path = F.doctrine_path("CHN", years)[:, 1].astype(float)
    first = F.doctrine_first_year("CHN")
    for t, y in enumerate(years):
        if y < first:
            path[t] = F.warheads("CHN", int(y))[0]
    if target_2035 is not None:
        p35 = float(F.doctrine_path("CHN", np.array([2035]))[0, 1])
        scale = (target_2035 - base) / (p35 - base) if p35 != base else 1.0
        path = base + (path - base) * scale
    return path
