"""Why did an actor reach a nuclear level? The library behind `umbrella explain` (issue 6 item 4).

``explain(SCENARIO, ACTOR, LEVEL, by=YEAR)`` runs the scenario, takes the runs in which ACTOR
had reached LEVEL (explore, pursue or arsenal) by YEAR (the "event runs"), and reads three
things from them:

Chains (what preceded the event)
    For each event run, the onset is the first year in which ACTOR reached LEVEL
    (`Results.reached`). An antecedent counts when it occurred *before the onset acted*: the
    engine's year runs politics (5.1), credibility (5.4), opinion (5.5), proliferation (5.6),
    then the crisis layer, so a US signal, an administration, a fall in credibility or a
    majority in the polls in the onset year itself precede the onset, while another state's
    programme or a crisis in the onset year does not (proliferation reads the statuses at the
    start of its step, and a crisis acts on credibility the next year). An onset forced by a
    scenario's `programme` shock happens in politics (5.1), so only that year's politics
    precede it. The antecedents:

    ================== ====================================================================
    america_first      an America-first US administration in office (`Results.us_admin`)
    us_signal          a US signal of doubt aimed at ACTOR (ACTOR must be a US client): a
                       troop cut, a host-nation-support (HNS) ultimatum, a negative statement
                       (to ACTOR or to all allies) or a downgraded consultation, sharing or
                       forward-weapons level, whether written in the scenario (shocks, levers
                       that depart from the data) or drawn by the engine (an America-first
                       administration's statements and, under ``burden_sharing:
                       hns_transfer``, its HNS ultimatums: read from the run's event log,
                       `logged_us_signals`)
    credibility_fall   ACTOR's credibility of the US umbrella more than 0.1 below its start
                       value (its US pair; never for an actor without one)
    opinion_majority   public support in ACTOR for its own weapons above 50% (polled actors)
    neighbour_programme  a neighbour or rival (neighbour weight or rivalry > 0) that had not
                       pursued at the start reached pursue first; `detail` names which
    scenario_programme a programme imposed by the scenario (a `programme` shock) on another
                       state, or ACTOR's own onset forced by one (for ``arsenal``: also ACTOR's
                       own imposed programme)
    crisis             a crisis in any theatre (crisis layer), or a `crisis_outcome` shock
    us_backed_down     a crisis the US side lost by conceding (end code 2), or a
                       `crisis_outcome: backed_down` shock
    war                a crisis that reached conventional war (rung >= 4)
    nuclear_use        a nuclear detonation in a crisis
    us_acceptance      the US accepted ACTOR's own deterrent (lever or `permit_nuclear` shock)
    ================== ====================================================================

    ``chains.antecedents`` gives, for each, the share of event runs in which it preceded the
    onset; ``chains.sequences`` the five most common ordered chains (the antecedents of a run
    sorted by when they first occurred, ties in the engine's order within the year), with
    their shares. The generic ``crisis`` is left out of the sequences (its specific forms are
    in), so a run whose only crisis ended without the US backing down shows none.

Terms (why the hazard was high at onset)
    The engine logs, with every explore and pursue onset, the contributions of the ten terms
    of the onset hazard's linear predictor (`layout.TERM_NAMES`). ``terms`` is their mean over
    the event runs at the onset that produced the event: the explore onset for ``explore``,
    the pursue onset for ``pursue``, and for ``arsenal`` the last pursue onset before the
    weapon. Sorted by absolute size; ``baseline`` is the fitted intercept (the historical base
    rate), the others raise (> 0) or lower (< 0) the hazard. Onsets forced by the scenario,
    programmes begun before the start year and onsets lost to an overflowing event log have no
    terms and are counted in ``onset``.

Drivers (attribution by counterfactual re-runs)
    Each driver is a named scenario change that removes one cause (`counterfactual_scenario`,
    the table `DRIVERS`). The changed scenario is re-run with the same seed and number of
    runs, so run r draws the same random numbers in both (common random numbers, see
    `umbrella.rng`) and differs only by what the driver removes. Among the n_base event
    runs of the base ensemble:

    * ``share_prevented`` = #(event in base, not without the driver) / n_base: the share of
      events that would not have happened, run by run;
    * ``share_added`` = #(no event in base, event without the driver) / n_base: events that
      the driver held back (they happen only once it is removed);
    * ``share_attributable`` = share_prevented - share_added = (P_base - P_without) / P_base,
      the net share. It is what `umbrella.analysis.compare` measures: with B the
      counterfactual and A the base, compare's ``status.ACTOR.LEVEL.YEAR`` mean (B minus A)
      equals -share_attributable * p_event (exactly, in counts: n_base - n_without). It lies
      in [-1, 1] and is negative for a driver that prevents more events than it causes
      (a restraint). Drivers are sorted by it, largest first.
    * ``share_present``: the share of event runs in which what the driver removes was present
      before the onset (its antecedent above; for ``us_signals`` the scenario's own signals,
      including those to other US allies, which spill over).

    Attributions do not add up to 1: causes interact (removing the America-first
    administration also removes its signals), and one event may need several of them. A driver
    the scenario does not contain (for example ``crises`` when `levers.crisis_onsets` is
    already false and there are no crisis shocks) changes nothing, is not re-run
    (``in_scenario: false``) and attributes exactly 0.

All shares are rounded to 6 decimals like the summary; the integer counts are exact.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from umbrella.engine import layout as L
from umbrella.errors import InputError
from umbrella.results.summary import round6 as _r
from umbrella.scenario.schedule import LEVELS

from .checks import DEFAULT_RUNS, check_runs, check_seed

__all__ = ["DEFAULT_RUNS", "DRIVERS", "EVENTS", "counterfactual_scenario", "explain",
           "logged_us_signals"]

EVENTS = {"explore": L.EXPLORE, "pursue": L.PURSUE, "arsenal": L.ARSENAL}
CRED_FALL = 0.1         # "credibility fell by more than 0.1 from the start"
TOP_SEQUENCES = 5

# within-year order of the engine (step.py, then the crisis layer): an antecedent at stage s in
# the onset year precedes the onset if s < S_PROLIF
S_POLITICS, S_CRED, S_OPINION, S_PROLIF, S_CRISIS = 0, 1, 2, 3, 4
_NEVER = np.int64(1) << 40
Y_BIG = 1 << 30


# --------------------------------------------------------------------------------------------
# Drivers: named scenario changes


@dataclass(frozen=True)
class Driver:
    name: str
    description: str     # what the counterfactual changes (the scenario edit)
    phrase: str          # "Removing ..." in plain language (interfaces.text.explain_text)
    antecedent: str      # what share_present counts


def _fixed0(*names: str) -> dict:
    return {n: {"dist": "fixed", "value": 0.0} for n in names}


DRIVERS: dict[str, Driver] = {d.name: d for d in (
    Driver("us_signals",
           "the scenario's US signals of doubt removed: troop cuts, host-nation-support "
           "ultimatums, negative statements and downgrades of consultation, nuclear sharing or "
           "forward weapons (shocks, and troop or arrangement levers set below the data)",
           "the US signals of doubt written into the scenario (troop cuts, ultimatums, negative "
           "statements, downgraded consultation)",
           "scenario_signal"),
    Driver("america_first",
           "an engaged US administration throughout: levers.us_administration = engaged, "
           "administration shocks removed, no election flips (politics.us_flip = 0)",
           "the America-first administration (an engaged one throughout)",
           "america_first"),
    Driver("crises",
           "no crises: levers.crisis_onsets = false and the crisis, war and crisis_outcome "
           "shocks removed",
           "crises (and how the US behaved in them)",
           "crisis"),
    Driver("neighbours",
           "neighbours' and rivals' new programmes carry no weight: prolif.cascade.explore, "
           "prolif.cascade.pursue and opinion.rival_programme = 0 (the cascade term is centred "
           "on history, so removing it also lifts a small negative term where no neighbour has "
           "a programme)",
           "the pull of neighbours' and rivals' weapons programmes",
           "neighbour_programme"),
    Driver("public_opinion",
           "public opinion carries no weight in the decision: prolif.opinion = 0",
           "the weight of public opinion in the decision",
           "opinion_majority"),
    Driver("us_acceptance",
           "the US accepts no ally's deterrent: the us_permits_nuclear levers and "
           "permit_nuclear shocks that grant it removed",
           "US acceptance of an allied deterrent",
           "us_acceptance"),
    Driver("restraints",
           "no sanctions slowing a known programme and no US pressure to abandon it: "
           "ttw.sanctions = 0 and prolif.coercion = 0",
           "sanctions on known programmes and US pressure to abandon them",
           "restraints"),
    Driver("scenario_programmes",
           "no programme imposed by the scenario: programme shocks removed",
           "the weapons programmes the scenario imposes",
           "scenario_programme"),
)}

def _drop_signals(data: dict, inp) -> None:
    """Remove the scenario's US signals of doubt from a scenario dict (in place): negative
    rhetoric, HNS ultimatums, and troop / arrangement levers and shocks that lower the level in
    force just before them (the data's level for levers; the path of the scenario for shocks)."""
    idx = {a: i for i, a in enumerate(inp.actors)}
    sched = inp.schedule
    start = {"troops": sched.start["troops"], "consultation": sched.start["consult"],
             "nuclear_sharing": sched.start["sharing"], "forward_weapons": sched.start["forward"]}
    col = {"troops": "troops", "consultation": "consult", "nuclear_sharing": "sharing",
           "forward_weapons": "forward"}
    lv = data["levers"]
    for field, key in (("us_troops", "troops"), ("consultation", "consultation"),
                       ("nuclear_sharing", "nuclear_sharing"), ("forward_weapons", "forward_weapons")):
        levels = LEVELS.get(field)
        for a, v in list((lv.get(field) or {}).items()):
            level = float(v) if levels is None else float(levels.index(v))
            if a in idx and level < start[key][idx[a]]:
                del lv[field][a]
    y0 = int(inp.years[0])

    def before(key: str, a: str, year: int) -> float:
        """The level in force at the start of `year` in the base scenario's path."""
        i = idx[a]
        x = start[key][i]
        for t in range(year - y0):
            v = sched.per_actor[col[key]][t, i]
            if not math.isnan(v):
                x = v
        return x

    keep = []
    for sh in data["shocks"]:
        kind = sh["type"]
        drop = False
        if kind == "hns_ultimatum":
            drop = True
        elif kind == "rhetoric":
            drop = sh["tone"] == "negative"
        elif kind in col and sh["target"] in idx:
            levels = LEVELS.get(kind)
            v = sh["value"]
            level = float(v) if levels is None else float(levels.index(v))
            drop = level < before(kind, sh["target"], int(sh["year"]))
        if not drop:
            keep.append(sh)
    data["shocks"] = keep


def counterfactual_scenario(scenario, driver: str, *, world=None):
    """The scenario with one driver removed (`DRIVERS`; the module docstring), as a validated
    `Scenario` that can be run or handed to `umbrella.analysis.compare`. Run settings (runs,
    seed, world, years, actors) are kept. `world` (a `World`, id or path; default the
    scenario's) is read only by ``us_signals``, to find the data's troop and arrangement levels
    that decide whether a lever or shock is a cut. An unknown driver raises InputError."""
    from umbrella.scenario.schema import Scenario

    if driver not in DRIVERS:
        raise InputError("driver", driver, ", ".join(DRIVERS), problem="is not a driver")
    data = scenario.model_dump()
    unc = dict(data.get("uncertain") or {})
    lv = data["levers"]
    if driver == "us_signals":
        from umbrella.engine import init
        _drop_signals(data, init.build(scenario, _world(world, scenario)))
    elif driver == "america_first":
        lv["us_administration"] = "engaged"
        data["shocks"] = [s for s in data["shocks"] if s["type"] != "administration"]
        unc.update(_fixed0("politics.us_flip"))
    elif driver == "crises":
        lv["crisis_onsets"] = False
        data["shocks"] = [s for s in data["shocks"]
                          if s["type"] not in ("crisis", "war", "crisis_outcome")]
    elif driver == "neighbours":
        unc.update(_fixed0("prolif.cascade.explore", "prolif.cascade.pursue",
                           "opinion.rival_programme"))
    elif driver == "public_opinion":
        unc.update(_fixed0("prolif.opinion"))
    elif driver == "us_acceptance":
        lv["us_permits_nuclear"] = {a: v for a, v in (lv.get("us_permits_nuclear") or {}).items() if not v}
        data["shocks"] = [s for s in data["shocks"]
                          if not (s["type"] == "permit_nuclear" and s["value"])]
    elif driver == "restraints":
        unc.update(_fixed0("ttw.sanctions", "prolif.coercion"))
    elif driver == "scenario_programmes":
        data["shocks"] = [s for s in data["shocks"] if s["type"] != "programme"]
    data["uncertain"] = unc
    return Scenario.model_validate(data)


def _world(world, scenario):
    from umbrella.scenario import World, load_world
    if isinstance(world, World):
        return world
    return load_world(world if world is not None else scenario.world)


# --------------------------------------------------------------------------------------------
# The engine's own US signals, read from the event log


def logged_us_signals(res) -> dict[str, np.ndarray]:
    """The US signals the engine drew in each run, from the event log (engine/politics.py 5.1,
    engine/credibility.py 5.4; layout.EV_US_STATEMENT, EV_HNS_ULTIMATUM):

    * ``af`` (run, year) bool: an America-first statement heard by every US client;
    * ``hns`` (run, year, actor) bool: a host-nation-support ultimatum (drawn by the engine under
      burden sharing by HNS transfers, or scheduled by the scenario).

    The test suite checks both against the engine (the first year in which credibility moves
    when the rate is set to 0)."""
    inp = res.inputs
    R, Y = res.us_admin.shape
    A = len(inp.actors)
    E = res.ev_kind.shape[1]
    valid = np.arange(E)[None, :] < np.minimum(res.ev_n, E)[:, None]
    t = np.clip(res.ev_year.astype(np.int64) - int(inp.years[0]), 0, Y - 1)
    rr = np.broadcast_to(np.arange(R)[:, None], (R, E))
    af = np.zeros((R, Y), bool)
    m = valid & (res.ev_kind == L.EV_US_STATEMENT)
    af[rr[m], t[m]] = True
    hns = np.zeros((R, Y, A), bool)
    m = valid & (res.ev_kind == L.EV_HNS_ULTIMATUM)
    hns[rr[m], t[m], res.ev_actor[m].astype(np.int64)] = True
    return {"af": af, "hns": hns}


# --------------------------------------------------------------------------------------------
# Antecedents: per run, the (year index, stage) at which each first occurred, as one key


def _key(M: np.ndarray, stage: int) -> np.ndarray:
    """(R, Y) bool -> (R,) int64 key idx * 8 + stage of the first occurrence (_NEVER if none)."""
    has = M.any(axis=1)
    return np.where(has, M.argmax(axis=1).astype(np.int64) * 8 + stage, _NEVER)


def _key1(m: np.ndarray, stage: int, R: int) -> np.ndarray:
    """(Y,) bool, the same in every run -> (R,) key."""
    k = int(np.argmax(m)) * 8 + stage if m.any() else int(_NEVER)
    return np.full(R, k, np.int64)


_LABELS = {
    "america_first": "an America-first US administration was in office",
    "us_signal": "the US sent {n} a signal of doubt (a troop cut, a host-nation-support "
                 "ultimatum, a negative statement or a downgraded arrangement)",
    "credibility_fall": "{n}'s confidence in the US umbrella fell more than 0.1 below its "
                        "start ({c0})",
    "opinion_majority": "a majority of the public in {n} supported its own nuclear weapons",
    "neighbour_programme": "a neighbour or rival had started a weapons programme first",
    "scenario_programme": "the scenario imposed a weapons programme (on {n} or another state)",
    "crisis": "a military crisis occurred (any theatre)",
    "us_backed_down": "the US backed down in a crisis",
    "war": "a crisis escalated to war",
    "nuclear_use": "nuclear weapons were used in a crisis",
    "us_acceptance": "the US had accepted {n}'s own deterrent",
}
_SHORT = {
    "america_first": "America-first administration", "us_signal": "US signal of doubt",
    "credibility_fall": "credibility fell", "opinion_majority": "public majority for weapons",
    "scenario_programme": "programme imposed by the scenario",
    "us_backed_down": "US backed down in a crisis", "war": "war", "nuclear_use": "nuclear use",
    "us_acceptance": "US accepted its deterrent",
}
# precedence for ties (same year and stage) in the ordered chains
_ORDER = ("america_first", "us_signal", "us_acceptance", "scenario_programme", "credibility_fall",
          "opinion_majority", "neighbour_programme", "crisis", "us_backed_down", "war",
          "nuclear_use")
_IN_SEQUENCES = tuple(k for k in _ORDER if k != "crisis")


def _antecedents(res, a: int, level: int, onset_t: np.ndarray, forced: np.ndarray) -> dict:
    """Keys (R,) per antecedent id, the neighbour keys {code: (R,)}, the scenario-signal key
    and the restraint mask; onset_t (R,) is the onset year index (any value where no event),
    forced (R,) whether the onset was forced by a programme shock."""
    inp = res.inputs
    R, Y = res.us_admin.shape
    actors = list(inp.actors)
    us_pair = next((p for p, (pat, cli) in enumerate(inp.pairs) if pat == "USA" and cli == actors[a]), None)
    client = us_pair is not None
    keys: dict[str, np.ndarray] = {}
    keys["america_first"] = _key(res.us_admin == L.AMERICA_FIRST, S_POLITICS)

    direct, spill = inp.schedule.signals()
    if client:
        draws = logged_us_signals(res)
        sig = direct[None, :, a] | draws["af"] | draws["hns"][:, :, a]
        keys["us_signal"] = _key(sig, S_POLITICS)
        clients = [actors.index(cli) for pat, cli in inp.pairs if pat == "USA"]
        sched = direct[:, a] | spill[:, clients].any(axis=1)
        scen_signal = _key1(sched, S_POLITICS, R)
        c0 = float(inp.pf0[us_pair, L.PF_CRED])
        keys["credibility_fall"] = _key(res.credibility[:, :, us_pair] < c0 - CRED_FALL, S_CRED)
    else:
        keys["us_signal"] = np.full(R, _NEVER)
        scen_signal = np.full(R, _NEVER)
        keys["credibility_fall"] = np.full(R, _NEVER)
        c0 = None
    with np.errstate(invalid="ignore"):
        keys["opinion_majority"] = _key(res.opinion[:, :, a] > 0.5, S_OPINION)

    near = (inp.RIV[a] > 0) | (inp.NB[a] > 0)
    near[a] = False
    neigh = {}
    for j in np.nonzero(near)[0]:
        if inp.xi0[j, L.XI_REACHED] >= L.PURSUE:
            continue
        neigh[actors[j]] = _key(res.reached[:, :, j] >= L.PURSUE, S_PROLIF)
    keys["neighbour_programme"] = (np.min(np.stack(list(neigh.values())), axis=0) if neigh
                                   else np.full(R, _NEVER))

    prog = ~np.isnan(inp.schedule["programme"])
    others = prog.copy()
    if level != L.ARSENAL:   # for a weapon, an imposed programme of its own also preceded it
        others[:, a] = False
    k = _key1(others.any(axis=1), S_POLITICS, R)
    keys["scenario_programme"] = np.where(forced, np.minimum(k, onset_t.astype(np.int64) * 8 + S_POLITICS), k)

    crisis_sched = ~np.isnan(inp.schedule["crisis_outcome"])
    backed_sched = inp.schedule["crisis_outcome"] < 0
    if res.theatres:
        rung = res.crisis_rung.max(axis=2)
        k_cr = _key(rung > 0, S_CRISIS)
        k_bd = _key((res.crisis_end == 2).any(axis=2), S_CRISIS)   # crisis.ladder.D_CONCEDES
        keys["war"] = _key(rung >= 4, S_CRISIS)                     # crisis.run.WAR
        keys["nuclear_use"] = _key((res.crisis_first_user >= 0).any(axis=2), S_CRISIS)
    else:
        k_cr = k_bd = keys["war"] = keys["nuclear_use"] = np.full(R, _NEVER)
    keys["crisis"] = np.minimum(k_cr, _key1(crisis_sched, S_CRED, R))
    keys["us_backed_down"] = np.minimum(k_bd, _key1(backed_sched, S_CRED, R))

    permit = np.empty(Y, bool)
    cur = bool(inp.schedule.start["permit"][a])
    for t in range(Y):
        v = inp.schedule["permit"][t, a]
        if not math.isnan(v):
            cur = bool(v)
        permit[t] = cur
    keys["us_acceptance"] = _key1(permit, S_POLITICS, R) if client else np.full(R, _NEVER)
    restrained = ~(client & permit[np.clip(onset_t, 0, Y - 1)])
    return {"keys": keys, "neighbours": neigh, "scenario_signal": scen_signal,
            "restraints": restrained, "c0": c0}


# --------------------------------------------------------------------------------------------
# Onset hazard terms


def _onset_terms(res, a: int, level: int, ev_runs: np.ndarray, onset_t: np.ndarray,
                 forced: np.ndarray) -> dict:
    inp = res.inputs
    years = np.asarray(inp.years)
    E = res.ev_kind.shape[1]
    rr = np.nonzero(ev_runs)[0]
    n = np.minimum(res.ev_n[rr], E)
    valid = np.arange(E)[None, :] < n[:, None]
    kind = L.EV_EXPLORE if level == L.EXPLORE else L.EV_PURSUE
    m = valid & (res.ev_actor[rr] == a) & (res.ev_kind[rr] == kind)
    oy = years[onset_t[rr]][:, None]
    if level == L.ARSENAL:
        m &= res.ev_year[rr] <= oy
        pick = E - 1 - np.argmax(m[:, ::-1], axis=1)           # the last pursue before the weapon
    else:
        m &= res.ev_year[rr] == oy
        pick = np.argmax(m, axis=1)
    found = m.any(axis=1)
    T = res.ev_terms[rr[found], pick[found]].astype(np.float64)   # (n, terms)
    started_before = inp.xi0[a, L.XI_REACHED] >= L.PURSUE
    f = forced[rr] & ~found
    if level == L.ARSENAL:
        prog = np.nan_to_num(inp.schedule["programme"][:, a]) >= L.PURSUE
        first_forced = int(np.argmax(prog)) if prog.any() else Y_BIG
        f = ~found & (onset_t[rr] >= first_forced)
    before = ~found & ~f & started_before
    lost = ~found & ~f & ~before
    out: dict[str, Any] = {"stage": "explore" if level == L.EXPLORE else "pursue",
                           "runs_with_terms": int(found.sum()), "forced_by_scenario": int(f.sum()),
                           "began_before_start": int(before.sum()), "not_logged": int(lost.sum())}
    if T.shape[0]:
        eta = T.sum(axis=1)
        out["mean_log_hazard"] = _r(eta.mean())
        out["mean_hazard"] = _r((-np.expm1(-np.exp(np.minimum(eta, 30.0)))).mean())
        rows: list[dict[str, Any]] = [
            {"term": name, "mean": _r(T[:, j].mean()), "share_positive": _r((T[:, j] > 0).mean())}
            for j, name in enumerate(L.TERM_NAMES)]
        rows.sort(key=lambda d: -abs(d["mean"]))
    else:
        out["mean_log_hazard"] = out["mean_hazard"] = None
        rows = []
    return {"onset": out, "terms": rows}


# --------------------------------------------------------------------------------------------
# explain


def _share(num, den) -> float | None:
    return _r(num / den) if den else None


def _load(scenario, overrides: Sequence[str], fields: dict):
    from umbrella.scenario import Scenario, load_scenario

    if isinstance(scenario, Scenario):
        if overrides:
            raise InputError("overrides", list(overrides), "overrides with a scenario given by "
                             "name or path (edit a Scenario object directly)",
                             problem="cannot be applied to a Scenario object")
        data = scenario.model_dump()
        data.update({k: v for k, v in fields.items() if v is not None})
        return Scenario.model_validate(data)
    return load_scenario(scenario, overrides=list(overrides), fields=fields)


def explain(scenario, actor: str, event: str, by: int | None = None, *, runs: int | None = DEFAULT_RUNS,
            seed: int | None = None, world=None, overrides: Sequence[str] = (),
            batch_size: int = 10_000, on_run: Callable[[str], None] | None = None) -> dict:
    """Explain why `actor` reached `event` (explore, pursue or arsenal) by year `by` (default:
    the horizon) in `scenario` (a preset id, a YAML path or a `Scenario`), from `runs`
    simulated futures (default 2000) with `seed` (default: the scenario's) in `world` (default:
    the scenario's). `overrides` are ``--set PATH=VALUE`` strings (not with a Scenario object).
    Every counterfactual re-run uses the same runs, seed and world. `on_run(label)` is called
    before each simulation ("base" or the driver's name), for progress.

    Returns ``{scenario, world, actor, event, by, runs, seed, start_year, p_event,
    runs_with_event, median_onset_year, chains: {antecedents, sequences, neighbours},
    onset, terms, drivers, outcomes, event_log_overflow_runs, method}``; see the module docstring
    for each part (`outcomes`: `context`). Bad input (unknown actor, event, a `by` outside the
    run's years, an actor already
    at the level at the start, runs < 1) raises InputError before anything runs."""
    from umbrella.engine import init
    from umbrella.engine.run import simulate

    if not isinstance(event, str) or event.strip().lower() not in EVENTS:
        raise InputError("--event", event, ", ".join(EVENTS), problem="is not an event level")
    event = event.strip().lower()
    level = EVENTS[event]
    runs = check_runs(runs)
    seed = check_seed(seed)
    w = _world(world, None) if world is not None else None
    sc = _load(scenario, overrides, {"runs": runs, "seed": seed,
                                     "world": None if w is None else w.id})
    if w is None:
        w = _world(None, sc)
    sc = sc.model_copy(update={"world": w.id})
    if sc.mode == "historical":
        raise InputError("scenario", sc.id, "a forward scenario (preset or file)",
                         problem="runs in historical mode, which explain does not support")
    inp = init.build(sc, w)
    actors = list(inp.actors)
    code = actor.strip().upper() if isinstance(actor, str) else actor
    if code not in actors:
        raise InputError("--actor", actor, f"an actor of the scenario: {', '.join(actors)}",
                         problem="is not an actor of the scenario")
    a = actors.index(code)
    if inp.xi0[a, L.XI_REACHED] >= level:
        have = L.LEVEL_NAMES[int(inp.xi0[a, L.XI_REACHED])]
        raise InputError("--actor", code, f"an actor below {event} at the start "
                         f"({sc.start_year}); nothing happens in the run to explain",
                         problem=f"is already at {have} at the start")
    years = [int(y) for y in inp.years]
    if by is None:
        by = years[-1]
    if isinstance(by, bool) or not isinstance(by, (int, np.integer)) or int(by) not in years:
        raise InputError("--by", by, f"a year of the run, {years[0]}-{years[-1]}")
    by = int(by)
    t_by = years.index(by)

    from umbrella.results.limits import check_arrays
    check_arrays(sc, w, copies=3)       # the base run and one counterfactual at a time, or refused
    if on_run:
        on_run("base")
    res = simulate(sc, w, batch_size=batch_size)
    R = res.reached.shape[0]
    reached = res.reached[:, :, a]
    ev = reached[:, t_by] >= level
    n_ev = int(ev.sum())
    onset_t = np.where(ev, np.argmax(reached >= level, axis=1), 0)
    prog = np.nan_to_num(inp.schedule["programme"][:, a])
    forced = ev & (prog[onset_t] >= min(level, L.PURSUE)) & (level <= L.PURSUE)

    ant = _antecedents(res, a, level, onset_t, forced)
    # an onset at the proliferation step is preceded by the politics, credibility and opinion
    # steps of its year; an onset forced by a programme shock acts in politics (5.1) itself
    limit = onset_t.astype(np.int64) * 8 + np.where(forced, S_POLITICS + 1, S_PROLIF)
    present = {k: (v < limit) & ev for k, v in ant["keys"].items()}
    name = _name(code)
    c0 = ant["c0"]
    antecedents = [{"id": k, "label": _LABELS[k].format(n=name, c0=f"{c0:.2f}" if c0 is not None else "-"),
                    "share": _share(present[k].sum(), n_ev)} for k in _ORDER]
    neighbours = sorted(({"actor": j, "label": f"{j} pursued first",
                          "share": _share(((kj < limit) & ev).sum(), n_ev)}
                         for j, kj in ant["neighbours"].items()),
                        key=lambda d: -(d["share"] or 0))
    sequences = _sequences(ant, ev, limit, code, event, n_ev)

    terms = _onset_terms(res, a, level, ev, onset_t, forced)
    present_driver = {
        "scenario_signal": (ant["scenario_signal"] < limit) & ev,
        "restraints": ant["restraints"] & ev,
        **present,
    }

    drivers: list[dict[str, Any]] = []
    base_dump = sc.model_dump()
    for dname, d in DRIVERS.items():
        cf = counterfactual_scenario(sc, dname, world=w)
        if cf.model_dump() == base_dump:
            in_sc, ev_cf = False, ev
        else:
            if on_run:
                on_run(dname)
            ev_cf = simulate(cf, w, batch_size=batch_size).reached[:, t_by, a] >= level
            in_sc = True
        n_cf = int(ev_cf.sum())
        prevented = int((ev & ~ev_cf).sum())
        added = int((~ev & ev_cf).sum())
        drivers.append({
            "driver": dname, "description": d.description, "in_scenario": in_sc,
            "share_present": _share(present_driver[d.antecedent].sum(), n_ev),
            "share_attributable": _share(n_ev - n_cf, n_ev),
            "share_prevented": _share(prevented, n_ev), "share_added": _share(added, n_ev),
            "p_without": _r(n_cf / R), "runs_with_event_without": n_cf,
        })
    order = list(DRIVERS)
    drivers.sort(key=lambda d: (-(d["share_attributable"] if d["share_attributable"] is not None else 0.0),
                                order.index(d["driver"])))

    onset_years = np.asarray(years)[onset_t[ev]]
    median = int(np.quantile(onset_years, 0.5, method="inverted_cdf")) if n_ev else None
    return {
        "scenario": sc.id, "world": w.id, "actor": code, "event": event, "by": by,
        "runs": R, "seed": int(sc.seed), "start_year": years[0],
        "p_event": _r(n_ev / R), "runs_with_event": n_ev, "median_onset_year": median,
        "chains": {"antecedents": antecedents, "neighbours": neighbours, "sequences": sequences},
        **terms,
        "drivers": drivers,
        "outcomes": context(res, a, ev, t_by),
        "event_log_overflow_runs": int((res.ev_n > res.ev_kind.shape[1]).sum()),
        "method": METHOD,
    }


def context(res, a: int, ev: np.ndarray, t_by: int) -> dict:
    """What else the runs with the event look like by the year, against those without it: the
    outcomes analysts ask about (issue 14). ``{"with_event" | "without_event": {...}}``, each
    with the median warheads of China, the DPRK and Russia, the actor's median credibility of the
    US commitment, its posture shares (an aligner), the mean regional-order index, the share of
    runs with a war and with nuclear use in each theatre by the year, and the mean base-access
    index of each theatre with a host (None where a group has no run)."""
    from umbrella.results.summary import nuclear_use_ever, war_ever

    from .compare import base_access

    actors = list(res.inputs.actors)
    code = actors[a]
    p = res.inputs.pairs.index(("USA", code)) if ("USA", code) in res.inputs.pairs else None
    war_by, use_by = war_ever(res)[:, t_by], nuclear_use_ever(res)[:, t_by]
    war = {th: war_by[:, k] for k, th in enumerate(res.theatres)}
    use = {th: use_by[:, k] for k, th in enumerate(res.theatres)}
    access = {th: b[:, t_by] for th in res.theatres if (b := base_access(res, th)) is not None}

    def group(m: np.ndarray) -> dict | None:
        if not m.any():
            return None
        out: dict = {"runs": int(m.sum())}
        out["warheads_p50"] = {c: _r(float(np.median(res.warheads[m, t_by, actors.index(c)])))
                               for c in ("CHN", "PRK", "RUS") if c in actors}
        if p is not None:
            out["credibility_p50"] = _r(float(np.median(res.credibility[m, t_by, p])))
        post = res.posture[m, t_by, a]
        if (post >= 0).any():
            out["posture"] = {n: _r(float((post == i).mean())) for i, n in enumerate(L.POSTURE_NAMES)}
        order = res.order[m, t_by]
        out["order_mean"] = _r(float(np.nanmean(order))) if np.isfinite(order).any() else None
        out["war"] = {th: _r(float(w[m].mean())) for th, w in war.items()}
        out["nuclear_use"] = {th: _r(float(u[m].mean())) for th, u in use.items()}
        out["base_access_mean"] = {th: _r(float(b[m].mean())) for th, b in access.items()}
        return out

    return {"with_event": group(ev), "without_event": group(~ev)}


METHOD = {
    "event": "runs in which the actor had reached the level (or higher) by the year; onset = the "
             "first year it had",
    "antecedent": "occurred before the onset acted: earlier in the onset year's order (politics, "
                  "credibility, opinion) or in an earlier year (programmes of others, crises)",
    "share_present": "share of event runs in which the driver's antecedent preceded the onset",
    "share_prevented": "share of event runs without the event when the driver is removed (same "
                       "random numbers)",
    "share_added": "event runs gained when the driver is removed, over the event runs",
    "share_attributable": "(P_base - P_without) / P_base = share_prevented - share_added; times "
                          "p_event it is minus compare's difference (counterfactual minus base); "
                          "negative for a driver that held events back",
}


def _sequences(ant: dict, ev: np.ndarray, limit: np.ndarray, code: str, event: str, n_ev: int) -> list:
    keys = ant["keys"]
    neigh = ant["neighbours"]
    rank = {k: i for i, k in enumerate(_ORDER)}
    counts: Counter = Counter()
    for r in np.nonzero(ev)[0]:
        items = []
        for k in _IN_SEQUENCES:
            v = int(keys[k][r])
            if v < limit[r]:
                if k == "neighbour_programme":
                    first = min((int(kj[r]), j) for j, kj in neigh.items())
                    items.append((v, rank[k], f"{first[1]} pursued first"))
                else:
                    items.append((v, rank[k], _SHORT[k]))
        counts[tuple(x[2] for x in sorted(items))] += 1
    verb = {"explore": "explored", "pursue": "pursued", "arsenal": "acquired weapons"}[event]
    out = []
    for chain, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:TOP_SEQUENCES]:
        out.append({"chain": list(chain), "label": " -> ".join([*chain, f"{code} {verb}"]) if chain
                    else f"nothing listed -> {code} {verb}", "share": _share(c, n_ev)})
    return out


def _name(code: str) -> str:
    try:
        from umbrella.data.actors import name_en
        return name_en(code)
    except Exception:  # noqa: BLE001 - a name is a nicety; the code will do
        return code
