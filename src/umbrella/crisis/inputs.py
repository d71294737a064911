"""What a crisis needs from the scenario at the crisis year: arsenals, levers, geography.

`from_scenario(theatre, scenario, world, P)` returns `CrisisInputs`, per-run arrays (run axis
first), for `umbrella crisis`; `at_state` redoes the arsenal- and parameter-dependent terms for
the annual engine's per-run state. Levers are read only through the scenario's one resolution
(`umbrella.scenario.schedule`): its doctrine flags, its arrangements in force, its warhead
doctrine paths. Parameters are per run (`crisis.params.Params`, the engine's matrix P).

Arsenals (warheads W):
  * the challenger: the schedule's warhead doctrine target at the year where it has one (China's
    DoD CMPR path, rescaled once by `levers.china_warheads_target_2035`; a DPRK deal's freeze),
    else `umbrella.data.nuclear.warheads(actor, year)` (FAS/SIPRI, latest year <= year); in the
    annual engine, the run's own warheads;
  * theatre warheads W_T = W * crisis.theatre_share_<challenger>; the defender's theatre force
    W_D,T = crisis.us_theatre_<level> * (1 + sharing_step * sharing rung + forward_step * forward),
    level = the schedule's US theatre level (default medium), sharing rung (0 none .. 4 slcm) and
    forward weapons of the local defenders (the highest among several) in force (the schedule's
    levels at the year; in the annual engine the run's state); `levers.tnw_forward_based`
    overrides the forward-weapons state in a crisis.

Geography (umbrella.geo; the schedule's capability override: levers and the deal's caps):
  * reach_C = g_C * m_C: homeland reach g (engine_inputs: 1 if a class reaches CONUS, times the
    ICBM capability factor) times penetration m = the run's `cred.reach_<C>` (0 for others).
  * homeland decoupling of the local defender H = reach_C * (1 - exp(-W_C / cred.decoupling_half))
    (the annual model's reach_j, docs/model.md §5.4), with the run's cred.decoupling_half.
  * base-access decoupling of the host B = mean over the host's base groups in the theatre of the
    mean over their bases of (the challenger's theatre nuclear-capable inventory in range / its
    full inventory), times (1 - exp(-W_C / cred.decoupling_half)).

Doctrine (`scenario.schedule.Doctrine`): decapitation, predelegation, nsa and massive
retaliation act in the korea theatre only; trilateral coordination in every theatre (it lowers
the host's base-access denial risk).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from umbrella.data import diskcache, load, nuclear
from umbrella.data import facts as F
from umbrella.data.relations import patron_pairs
from umbrella.scenario import schedule as S

from .theatres import Theatre


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
    w_local: np.ndarray = field(default_factory=lambda: np.zeros(1))  # the local defenders' own warheads
    patron_resolve: np.ndarray = field(default_factory=lambda: np.ones(1))  # rho: multiplier of the patron's stake
    cred_ratio: np.ndarray = field(default_factory=lambda: np.ones(1))  # C / C0 of the first local defender
    decoupling: dict = field(default_factory=dict)   # client -> (runs,) index
    us_clients: tuple[str, ...] = ()
    notes: dict = field(default_factory=dict)        # name -> source text
    # kept so that `at_state` can redo the arsenal- and parameter-dependent terms per run
    home_reach: float = 0.0         # g_C: the challenger's homeland reach (geography)
    host_share: float = 0.0         # base_share(...) of the host (before saturation)
    us_level: str = "medium"        # the US theatre level (crisis.us_theatre_<level>)

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

    @staticmethod
    def concat(parts: "list[CrisisInputs]") -> "CrisisInputs":
        """Several sets of inputs (the same theatre, year and scenario) as one, rows in order."""
        first = parts[0]
        arrays = {f: np.concatenate([np.asarray(getattr(x, f)) for x in parts]) for f in _ARRAY_FIELDS}
        dec = {k: np.concatenate([np.asarray(x.decoupling[k]) for x in parts]) for k in first.decoupling}
        return replace(first, decoupling=dec, **arrays)

    def median(self) -> "CrisisInputs":
        """One run at the median over runs of every per-run input (a typical state)."""
        arrays = {f: np.array([np.median(np.asarray(getattr(self, f)))]) for f in _ARRAY_FIELDS}
        dec = {k: np.array([np.median(np.asarray(v))]) for k, v in self.decoupling.items()}
        return replace(self, decoupling=dec, **arrays)

    def with_(self, **kw) -> "CrisisInputs":
        """A copy with some fields replaced (arrays broadcast to the run count)."""
        n = self.runs
        kw = {k: (np.broadcast_to(np.asarray(v, float), (n,)).copy() if k in _ARRAY_FIELDS else v)
              for k, v in kw.items()}
        return replace(self, **kw)


_ARRAY_FIELDS = ("w_challenger", "w_challenger_theatre", "w_defender_theatre", "w_patron", "reach",
                 "home_decoupling", "host_risk", "decapitation", "predelegation", "nsa",
                 "massive_retaliation", "coord_high", "w_local", "patron_resolve", "cred_ratio")


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
    # on disk: a new process reads what an earlier one computed from the same data (cold start)
    key = (challenger, tuple(groups), _geo_year(year), json.dumps(capability, sort_keys=True) if capability else "")
    return diskcache.memo("crisis-base-share", key, str(Path(load.TABLES_DIR).resolve()),
                          lambda: _base_share(challenger, groups, _geo_year(year), capability))


def _base_share(challenger: str, groups: tuple[str, ...], y: int, capability: dict | None) -> float:
    from umbrella.geo import exposure, missiles

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


def _challenger_warheads(sched: S.Schedule, actor: str, year: int) -> tuple[float, str]:
    """The schedule's doctrine target for the actor at `year` if it has one, else the record."""
    t = min(max(int(year) - int(sched.years[0]), 0), len(sched.years) - 1)
    if actor in sched.actors:
        v = sched.per_actor["doctrine"][t, sched.actors.index(actor)]
        if not np.isnan(v):
            return float(v), "the scenario's warhead doctrine path (DoD CMPR for China; a deal's freeze)"
    w, src = nuclear.warheads(actor, year)
    return float(w), src


def _levels_at(sched: S.Schedule, local: tuple[str, ...], year: int) -> tuple[int, int]:
    """The local defenders' highest sharing rung and forward weapons in force at `year`."""
    t = min(max(int(year) - int(sched.years[0]), 0), len(sched.years) - 1)
    ix = [sched.actors.index(a) for a in local if a in sched.actors]
    sh = sched.in_force("sharing")[1][t, ix]
    fw = sched.in_force("forward")[1][t, ix]
    tnw = [sched.doctrine.tnw_forward.get(a) for a in local if a in sched.actors]
    fw = [int(v) if v is not None else int(f) for v, f in zip(tnw, fw, strict=True)]
    return int(max(sh, default=0)), int(max(fw, default=0))


def _doctrine(theatre: Theatre, sched: S.Schedule) -> dict:
    d = sched.doctrine
    korea = theatre.challenger == "PRK"
    return {"decapitation": korea and d.decapitation, "predelegation": korea and d.predelegation,
            "nsa": korea and d.nsa, "massive_retaliation": korea and d.massive_retaliation,
            "coord_high": d.coord_high}   # trilateral coordination: every theatre with a host


def from_scenario(theatre: Theatre, scenario, world, P, runs: int | None = None,
                  year: int | None = None, sched: S.Schedule | None = None) -> CrisisInputs:
    """The crisis inputs of `theatre` in the scenario at `year` (default its start year) for the
    runs of `P` (crisis.params.Params; `runs` broadcasts a one-run P). `sched`: the scenario's
    schedule if already resolved."""
    from umbrella.engine.params import fixed_value
    year = int(scenario.start_year if year is None else year)
    C = theatre.challenger
    if sched is None:
        actors = tuple(scenario.actors or F.DEFAULT_ACTORS)
        sched = S.resolve(scenario, actors, F.start_facts(actors, int(scenario.start_year)),
                          fixed_value(world, scenario.uncertain, "crisis.deal_cap_factor"))
    n = P.runs if runs is None else int(runs)
    if P.runs != n:
        P = P.take(np.zeros(n, np.int64))
    notes: dict[str, str] = {}
    w_c, notes["w_challenger_source"] = _challenger_warheads(sched, C, year)
    w_p, notes["w_patron_source"] = nuclear.warheads(theatre.patron, year)
    cap = sched.capability if C == "PRK" else None
    g = home_reach(C, year, cap)
    host_share = base_share(C, theatre.host_groups, year, cap) if theatre.host else 0.0
    sharing, forward = _levels_at(sched, theatre.local, year)
    doc = _doctrine(theatre, sched)
    clients = tuple(p.client for p in patron_pairs(sched.actors, year) if p.patron == theatre.patron)
    level = sched.doctrine.us_theatre_level
    notes.update(us_theater_nuclear=level, sharing_rung=str(sharing), forward=str(forward),
                 decapitation=str(doc["decapitation"]), predelegation=str(doc["predelegation"]),
                 declaratory="massive_retaliation" if doc["massive_retaliation"] else "ambiguous",
                 trilateral=("high" if doc["coord_high"] else "low"),
                 reach=f"g={g:g} x m (cred.reach_{C}, per run)")
    zeros = np.zeros(n)
    base = CrisisInputs(
        year=year, w_challenger=zeros + w_c, w_challenger_theatre=zeros, w_defender_theatre=zeros,
        w_patron=zeros + float(w_p), reach=zeros, home_decoupling=zeros, host_risk=zeros,
        **{k: zeros + float(v) for k, v in doc.items()}, w_local=zeros.copy(), patron_resolve=zeros + 1.0,
        cred_ratio=zeros + 1.0, us_clients=clients, notes=notes,
        home_reach=g, host_share=host_share, us_level=level)
    w_allied = sum(nuclear.warheads(a, year)[0] for a in theatre.allies)
    return at_state(theatre, base, P, year, w_challenger=zeros + w_c, w_patron=zeros + float(w_p),
                    sharing=zeros + sharing, forward=zeros + forward, w_allied=zeros + w_allied)


def saturation(w, half):
    """1 - exp(-W_C / cred.decoupling_half): how far the challenger's arsenal saturates the
    decoupling it can threaten (homeland reach, base access)."""
    return 1.0 - np.exp(-np.asarray(w, float) / half)


def troops_ratio(troops: np.ndarray, troops0: np.ndarray) -> np.ndarray:
    """US troops hosted by the local defenders over their start-year level (1 without any)."""
    troops, troops0 = np.asarray(troops, float), np.asarray(troops0, float)
    return np.where(troops0 > 0, np.minimum(troops / np.where(troops0 > 0, troops0, 1.0), 1.0), 1.0)


def at_state(theatre: Theatre, x: CrisisInputs, P, year: int, w_challenger: np.ndarray,
             w_patron: np.ndarray, sharing: np.ndarray, forward: np.ndarray, w_local=0.0,
             w_allied=0.0, troops_ratio=1.0, america_first=0.0, cred_ratio=1.0) -> CrisisInputs:
    """The inputs `x` (any run count; its doctrine and geography) for the runs of `P`
    (crisis.params.Params, one row per run) at their own state: the challenger's and the patron's
    warheads, the local defenders' highest sharing rung (0-4) and forward weapons (0/1). The
    missile table covers 2023-2025 only, so geography stays as in `x`. The state also gives the
    local defenders' own warheads `w_local` (added to the defender's theatre force), the theatre's
    nuclear allies' warheads `w_allied` (times crisis.allied_share), the US troops they host over
    the start-year level `troops_ratio` (the tripwire) and `america_first` (0/1): the patron's
    stake is multiplied by (1 - tripwire (1 - troops_ratio)) (1 - america_first_stake af);
    `cred_ratio` = C / C0, the first local defender's credibility of the US commitment over its
    start value, sets the challenger's reading of the conventional balance (payoffs.py)."""
    n = int(np.shape(w_challenger)[0])
    w = np.asarray(w_challenger, float)
    C = theatre.challenger
    m_key = f"cred.reach_{C}"
    reach = x.home_reach * P.get(m_key, 0.0)
    sat = saturation(w, P["cred.decoupling_half"])
    home = reach * sat
    host = x.host_share * sat
    w_dt = P[f"crisis.us_theatre_{x.us_level}"] * (1.0 + P["crisis.sharing_step"] * np.asarray(sharing, float)
                                                   + P["crisis.forward_step"] * np.asarray(forward, float))
    # an ally's own arsenal is all theatre force (Kelly's option A); the European nuclear allies
    # count in part (crisis.allied_share)
    w_loc = np.broadcast_to(np.asarray(w_local, float), (n,))
    w_dt = w_dt + w_loc + P["crisis.allied_share"] * np.asarray(w_allied, float)
    # the tripwire: the patron's stake rides partly on its troops there; an America-first
    # administration values the ally less
    resolve = ((1.0 - P["crisis.tripwire"] * (1.0 - np.asarray(troops_ratio, float)))
               * (1.0 - P["crisis.america_first_stake"] * np.asarray(america_first, float)))
    decoupling = {a: home for a in theatre.local}
    if theatre.host:
        decoupling[theatre.host] = host
    base = x.take(np.zeros(n, np.int64)) if x.runs != n else x
    return replace(base, year=int(year)).with_(
        w_challenger=w, w_challenger_theatre=w * P.get(f"crisis.theatre_share_{C}", 1.0),
        w_defender_theatre=w_dt, w_patron=np.asarray(w_patron, float), reach=reach,
        home_decoupling=home, host_risk=host, decoupling=decoupling, w_local=w_loc, patron_resolve=resolve,
        cred_ratio=cred_ratio)
