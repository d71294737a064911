"""What a crisis needs from the scenario's world at the crisis year: arsenals, levers, geography.

`from_scenario(theatre, scenario, world, P)` returns `CrisisInputs`, per-run arrays (run axis
first) so that the annual engine can pass its own per-run arsenals (`w_challenger=`) later.

Arsenals (warheads W):
  * DPRK, Russia, the US: `umbrella.data.nuclear.warheads(actor, year)` (FAS/SIPRI, latest year
    <= year). The deal's `freeze` caps the DPRK's at that start-year level (so it only bites on
    arsenals passed in by a caller, e.g. the annual engine's later years).
  * China: as the annual engine's set-up (engine/init.py): before the doctrine path's first year
    the record; from then the DoD CMPR doctrine path (mid), rescaled by
    `levers.china_warheads_target_2035` as W0 + (path - W0)(target - W0)/(path_2035 - W0), W0 =
    the record at the year. A crisis in 2035 under a target of 1,500 therefore sees 1,500.
  * theatre warheads W_T = W * crisis.theatre_share_<challenger>; the defender's theatre force
    W_D,T = crisis.us_theatre_<level> * (1 + sharing_step * sharing rung + forward_step * forward),
    level = `levers.us_theater_nuclear` (default medium), sharing rung (0 none .. 4 slcm) and
    forward of the local defender (the highest among several): `levers.nuclear_sharing`, else
    the arrangements table; `levers.tnw_forward_based`, else `levers.forward_weapons`, else the
    table.

Geography (umbrella.geo; capability levers and the deal's caps applied):
  * reach_C = g_C * m_C: homeland reach g (engine_inputs: 1 if a class reaches CONUS, times the
    ICBM capability factor) times penetration m = the world's `cred.reach_<C>` (0 for others).
  * homeland decoupling of the local defender H = reach_C * (1 - exp(-W_C / cred.decoupling_half))
    (the annual model's reach_j, docs/model.md §5.4).
  * base-access decoupling of the host B = mean over the host's base groups in the theatre of the
    mean over their bases of (the challenger's theatre nuclear-capable inventory in range / its
    full inventory), times (1 - exp(-W_C / cred.decoupling_half)).

Levers (the DPRK ones act in the korea theatre only; None takes the data):
  decapitation = `allied_decapitation_doctrine` (data: True, F3:L28); predelegation =
  `dprk_predelegation` (data: True, the 2022 law, F3:L28); the deal's
  `no_decapitation_for_no_predelegation` sets both False; `icbm_cap` / `mrbm_cap` multiply the
  DPRK's ICBM / MRBM and IRBM capability by crisis.deal_cap_factor; `negative_security_assurance`
  sets nsa = 1; `us_declaratory_dprk` (data: ambiguous, F2:L8); `trilateral_coordination`
  (data: low, F3:L48-52).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from umbrella.data import nuclear
from umbrella.data.relations import arrangement_levels, patron_pairs
from umbrella.scenario.schema import SHARING_LEVELS

from .theatres import Theatre

US_LEVELS = ("low", "medium", "high")


@dataclass(frozen=True)
class CrisisInputs:
    """Per-run inputs, each an array of shape (runs,)."""

    year: int
    w_challenger: np.ndarray        # W_C
    w_challenger_theatre: np.ndarray
    w_defender_theatre: np.ndarray  # W_D,T
    w_patron: np.ndarray            # the patron's stockpile (strategic balance)
    reach: np.ndarray               # g_C * m_C: chance a strike at rung 8 reaches the US homeland
    home_decoupling: np.ndarray     # H: the local defender's homeland decoupling index
    host_risk: np.ndarray           # B: the host's base-access decoupling index (0 without a host)
    decapitation: np.ndarray        # 0/1
    predelegation: np.ndarray       # 0/1
    nsa: np.ndarray                 # 0/1
    massive_retaliation: np.ndarray  # 0/1 (0: ambiguous)
    coord_high: np.ndarray          # 0/1
    decoupling: dict = field(default_factory=dict)   # client -> (runs,) index
    us_clients: tuple[str, ...] = ()
    notes: dict = field(default_factory=dict)        # name -> source text
    # scalars kept so that `at_state` can redo the arsenal-dependent terms for per-run arsenals
    host_share: float = 0.0         # base_share(...) of the host (before saturation)
    decoupling_half: float = 1.0    # cred.decoupling_half
    us_theatre: float = 0.0         # crisis.us_theatre_<level>
    theatre_share: float = 1.0      # crisis.theatre_share_<challenger>

    @property
    def runs(self) -> int:
        return int(self.w_challenger.shape[0])

    def broadcast(self, n: int) -> "CrisisInputs":
        """Every array broadcast to n runs (from a single-run set of inputs)."""
        def b(x):
            return np.broadcast_to(np.asarray(x, float), (n,)).copy()
        arrays = {f: b(getattr(self, f)) for f in _ARRAY_FIELDS}
        return replace(self, decoupling={k: b(v) for k, v in self.decoupling.items()}, **arrays)

    def take(self, idx) -> "CrisisInputs":
        """The inputs of a subset of runs (an index array or a slice)."""
        arrays = {f: np.asarray(getattr(self, f))[idx] for f in _ARRAY_FIELDS}
        return replace(self, decoupling={k: np.asarray(v)[idx] for k, v in self.decoupling.items()}, **arrays)

    def with_(self, **kw) -> "CrisisInputs":
        """A copy with some fields replaced (arrays broadcast to the run count)."""
        n = self.runs
        kw = {k: (np.broadcast_to(np.asarray(v, float), (n,)).copy() if k in _ARRAY_FIELDS else v)
              for k, v in kw.items()}
        return replace(self, **kw)


_ARRAY_FIELDS = ("w_challenger", "w_challenger_theatre", "w_defender_theatre", "w_patron", "reach",
                 "home_decoupling", "host_risk", "decapitation", "predelegation", "nsa",
                 "massive_retaliation", "coord_high")


def china_warheads(year: int, target_2035: float | None) -> tuple[float, str]:
    """China's warheads in `year` as the annual engine's doctrine path (module docstring)."""
    w0 = float(nuclear.warheads("CHN", year)[0])
    if year < nuclear.doctrine_first_year("CHN"):
        return w0, "FAS/SIPRI record"
    path = float(nuclear.doctrine_path("CHN", np.array([year]))[0, 1])
    if target_2035 is not None:
        p35 = float(nuclear.doctrine_path("CHN", np.array([2035]))[0, 1])
        scale = (target_2035 - w0) / (p35 - w0) if p35 != w0 else 1.0
        return w0 + (path - w0) * scale, f"DoD CMPR doctrine path rescaled to a 2035 target of {target_2035:g}"
    return path, "DoD CMPR doctrine path (mid)"


def _capability(levers, P: dict) -> dict | None:
    """The geography layer's capability override: the levers, times the deal's caps."""
    from umbrella.geo.engine_inputs import scenario_capability
    return scenario_capability(levers, P["crisis.deal_cap_factor"])


def _geo_year(year: int) -> int:
    from umbrella.geo import missiles
    lo, hi = missiles.year_range()
    return min(max(int(year), lo), hi)


def home_reach(actor: str, year: int, capability: dict | None) -> float:
    """g_C: 1 if a class of the actor reaches CONUS, times its ICBM capability factor."""
    from umbrella.geo.engine_inputs import engine_inputs
    return float(engine_inputs((actor,), _geo_year(year), capability)["home_reach"][0])


def base_share(challenger: str, groups: tuple[str, ...], year: int, capability: dict | None) -> float:
    """Mean over the groups of the mean over their bases of the challenger's theatre
    nuclear-capable inventory in range, as a share of its full inventory (module docstring)."""
    if not groups:
        return 0.0
    from umbrella.geo import exposure, missiles

    y = _geo_year(year)
    res = exposure.compute(y, capability=capability)
    cls = missiles.classes(y)
    th = cls[(cls["state"] == challenger) & (cls["role"] == "theatre") & cls["nuclear"].isin(["dual", "nuclear"])]
    full = float(th["inventory"].sum())
    names = list(th["cls"])
    if full <= 0 or not names:
        return 0.0
    per_group = []
    for g in groups:
        shares = [sum(float(b["missiles_in_range_by_class"][challenger].get(c) or 0.0) for c in names) / full
                  for b in res["bases"].values() if b["group"] == g]
        if shares:
            per_group.append(float(np.mean(shares)))
    return float(np.mean(per_group)) if per_group else 0.0


def _sharing_and_forward(levers, local: tuple[str, ...], year: int) -> tuple[int, int]:
    data = arrangement_levels(local, year)
    sharing, forward = 0, 0
    for i, a in enumerate(local):
        s = SHARING_LEVELS.index(levers.nuclear_sharing[a]) if a in levers.nuclear_sharing \
            else int(data["nuclear_sharing"][0][i])
        if a in levers.tnw_forward_based:
            f = int(levers.tnw_forward_based[a])
        elif a in levers.forward_weapons:
            f = int(levers.forward_weapons[a])
        else:
            f = int(data["forward_weapons"][0][i])
        sharing, forward = max(sharing, s), max(forward, f)
    return sharing, forward


def from_scenario(theatre: Theatre, scenario, world, P: dict, runs: int = 1,
                  w_challenger: np.ndarray | None = None, year: int | None = None) -> CrisisInputs:
    """The crisis inputs of `theatre` in the scenario's world at `year` (default its start
    year), broadcast to `runs` (or to len(w_challenger) when per-run challenger warheads are
    passed)."""
    lv = scenario.levers
    year = int(scenario.start_year if year is None else year)
    C = theatre.challenger
    korea = C == "PRK"
    notes: dict[str, str] = {}

    if C == "CHN":
        w_c, notes["w_challenger_source"] = china_warheads(year, lv.china_warheads_target_2035)
    else:
        w_c, notes["w_challenger_source"] = nuclear.warheads(C, year)
        w_c = float(w_c)
    w_p, notes["w_patron_source"] = nuclear.warheads(theatre.patron, year)
    deal = lv.dprk_deal
    w_arr = np.asarray(w_c if w_challenger is None else w_challenger, float).reshape(-1)
    if korea and deal is not None and deal.freeze:
        w_arr = np.minimum(w_arr, w_c)          # frozen at the start-year level
    n = max(int(runs), w_arr.shape[0]) if w_challenger is None else w_arr.shape[0]
    w_arr = np.broadcast_to(w_arr, (n,)).astype(float)

    cap = _capability(lv, P) if korea else None
    half = float(world.parameters["cred.decoupling_half"].value)
    m_key = f"cred.reach_{C}"
    m = float(world.parameters[m_key].value) if m_key in world.parameters else 0.0
    g = home_reach(C, year, cap)
    reach = g * m
    sat = 1.0 - np.exp(-w_arr / half)
    home = reach * sat
    host_share = base_share(C, theatre.host_groups, year, cap) if theatre.host else 0.0
    host = host_share * sat

    level = lv.us_theater_nuclear or "medium"
    sharing, forward = _sharing_and_forward(lv, theatre.local, year)
    w_dt = P[f"crisis.us_theatre_{level}"] * (1.0 + P["crisis.sharing_step"] * sharing
                                               + P["crisis.forward_step"] * forward)
    share = P.get(f"crisis.theatre_share_{C}", 1.0)

    decap = bool(lv.allied_decapitation_doctrine) if lv.allied_decapitation_doctrine is not None else True
    pd = bool(lv.dprk_predelegation) if lv.dprk_predelegation is not None else True
    if deal is not None and deal.no_decapitation_for_no_predelegation:
        decap = pd = False
    nsa = bool(deal is not None and deal.negative_security_assurance)
    mr = (lv.us_declaratory_dprk or "ambiguous") == "massive_retaliation"
    coord = (lv.trilateral_coordination or "low") == "high"
    if not korea:
        decap = pd = nsa = mr = False

    decoupling = {a: home for a in theatre.local}
    if theatre.host:
        decoupling[theatre.host] = host
    clients = tuple(p.client for p in patron_pairs(scenario.actors or _default_actors(), year)
                    if p.patron == theatre.patron)
    notes.update(us_theater_nuclear=level, sharing_rung=str(sharing), forward=str(forward),
                 decapitation=str(decap), predelegation=str(pd), declaratory="massive_retaliation" if mr else "ambiguous",
                 trilateral=("high" if coord else "low"), reach=f"g={g:g} x m={m:g} ({m_key})")
    ci = CrisisInputs(
        year=year, w_challenger=w_arr, w_challenger_theatre=w_arr * share, w_defender_theatre=w_dt,
        w_patron=float(w_p), reach=reach, home_decoupling=home, host_risk=host,
        decapitation=float(decap), predelegation=float(pd), nsa=float(nsa), massive_retaliation=float(mr),
        coord_high=float(coord), decoupling=decoupling, us_clients=clients, notes=notes,
        host_share=host_share, decoupling_half=half, us_theatre=P[f"crisis.us_theatre_{level}"],
        theatre_share=share)
    return ci.broadcast(n)


def at_state(theatre: Theatre, x: CrisisInputs, P: dict, year: int, w_challenger: np.ndarray,
             w_patron: np.ndarray, sharing: np.ndarray, forward: np.ndarray) -> CrisisInputs:
    """The inputs `x` (from `from_scenario`, any run count) redone for per-run arsenals and
    arrangements from the annual engine: the challenger's and the patron's warheads, the local
    defenders' highest sharing rung (0-4) and forward weapons (0/1). Geography, levers and
    doctrine stay as in `x` (the missile table covers 2023-2025 only)."""
    n = int(np.shape(w_challenger)[0])
    w = np.asarray(w_challenger, float)
    sat = 1.0 - np.exp(-w / x.decoupling_half)
    reach = np.broadcast_to(np.asarray(x.reach, float)[:1], (n,))
    home = reach * sat
    host = x.host_share * sat
    w_dt = x.us_theatre * (1.0 + P["crisis.sharing_step"] * np.asarray(sharing, float)
                           + P["crisis.forward_step"] * np.asarray(forward, float))
    decoupling = {a: home for a in theatre.local}
    if theatre.host:
        decoupling[theatre.host] = host
    base = x.take(np.zeros(n, np.int64))
    return replace(base, year=int(year)).with_(
        w_challenger=w, w_challenger_theatre=w * x.theatre_share, w_defender_theatre=w_dt,
        w_patron=np.asarray(w_patron, float), home_decoupling=home, host_risk=host,
        decoupling=decoupling)


def _default_actors():
    from umbrella.data.facts import DEFAULT_ACTORS
    return DEFAULT_ACTORS
