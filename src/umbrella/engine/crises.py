"""(DESIGN.md §5 item 9; run order in step.py) crises and escalation inside the annual model.

After the kernel's year t (politics ... alignment), each theatre of `umbrella.crisis.theatres`
may have a crisis in year t:

    onset     u(seed, run, year, CRISIS, ONSET + k) < crisis.<theatre>.onset
                  * exp(-crisis.onset_credibility * (logit C - logit C0))      (levers.crisis_onsets)
              C: the run's credibility of the US commitment to the theatre's first local defender
              after this year's update, C0 its start value (a record of backing down invites
              challenges: Huth 1988, literature §2.4)
              or a scenario shock `crisis` (from rung 1) / `war` (from rung 4) in that year
    ladder    the crisis ladder (crisis.payoffs.tables + crisis.ladder.simulate, every theatre's
              crises of the year stacked in one call) from that rung, substream 2 + k, on the
              run's own state:
              the challenger's and the US's warheads, the local defenders' highest sharing rung
              and forward weapons (crisis.inputs.at_state); levers and geography as the scenario
    feedback  the US's conduct is next year's credibility signal (crisis.outputs.credibility_signal:
              bad news lr_crisis if it backed down, good news lr_crisis / 2 if it stood firm or
              fought, none for a stand-off below war; times min(1, rung / crisis.signal_rung)):
              in full for the theatre's local defenders, times cred.spillover for the other
              clients of their alliance system and cred.spillover x cred.spillover_far beyond
              it (the interdependence of commitments, literature §8.4g; Press 2005). It is written to
              xf[.., XF_CRISIS_SIG]; credibility.step adds it for US pairs and clears it.
    events    `crisis` and, at rung >= 4, `war` (actor: the theatre's first local defender),
              `nuclear_use` (actor: the first user); term slots 0-2 hold the theatre index, the
              final rung and the end code (crisis.ladder ARMISTICE .. CENTRAL).

A theatre runs only when its challenger, first local defender and the USA are modelled actors.
Nuclear use and war are recorded per run, year and theatre (`Results.crisis_*`); a run whose
crisis reached rung 8 (central war) continues in the annual model as if the world went on,
so outcomes after such a year are reported but not meaningful (their share is in the summary).
Draws depend only on (seed, global run, year, theatre): batch split and scenario differences
elsewhere never shift them, so `compare` sees common random numbers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from umbrella.crisis import inputs as cin
from umbrella.crisis import ladder, outputs, payoffs
from umbrella.crisis import run as crun
from umbrella.crisis import theatres as cth
from umbrella.crisis.params import READS, Params, point
from umbrella.data import nuclear
from umbrella.engine import layout as L
from umbrella.engine import link
from umbrella.engine.known import known_array

ONSET = 6 * ladder.SUB     # index block of the onset draws (substreams 0-5 are ladders)
PREVENT = ONSET + 64       # preventive-strike draws: PREVENT + 8 k + local defender
SUBSTREAM0 = 2             # theatre k plays its ladder on substream 2 + k (0, 1: `umbrella crisis`)


@dataclass
class Plan:
    """What the crisis step needs for a scenario: theatres, their start-year inputs and rates."""

    theatres: tuple[cth.Theatre, ...]
    base: tuple[cin.CrisisInputs, ...]     # doctrine and geography (one run)
    steps: int                              # crisis.steps (structural: one value per ensemble)
    onsets: bool                            # levers.crisis_onsets
    forced: dict[int, dict[int, int]]       # t -> {theatre k: start rung}
    challenger: np.ndarray                  # (K,) actor index
    local: tuple[np.ndarray, ...]           # per theatre: actor indices of the local defenders
    patron: int
    pair: np.ndarray                        # (K,) pair index of (USA, first local), -1: none
    logit_c0: np.ndarray                    # (K,) its start-year credibility, log-odds
    tnw: tuple[np.ndarray, ...]             # per theatre, per local defender: forward-based in a
                                            # crisis (levers.tnw_forward_based), -1: the state
    troops0: np.ndarray                     # (K,) US troops the local defenders host at the start
    allies: tuple[np.ndarray, ...]          # per theatre: modelled nuclear allies (actor indices)
    allied_w: np.ndarray                    # (K,) the record's warheads of the allies not modelled
    system: np.ndarray | None = None        # (A,) alliance system of each actor (D_SYSTEM)
    capture: dict | None = None             # {"k", "t", "parts"}: keep theatre k's crises of year t
                                            # (inputs, parameters, outcomes; `umbrella crisis`)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(t.id for t in self.theatres)


def plan(scenario, world, inp) -> Plan | None:
    """The crisis plan, or None when no theatre can run or nothing can start a crisis."""
    actors = inp.actors
    idx = {a: i for i, a in enumerate(actors)}
    if "USA" not in idx:
        return None
    ths = tuple(t for t in cth.THEATRES.values() if t.challenger in idx and t.local[0] in idx)
    sched = inp.schedule
    k_of = {t.id: k for k, t in enumerate(ths)}
    forced = {t: {k_of[th]: rung for th, rung in d.items() if th in k_of}
              for t, d in sched.forced_crises.items()}
    forced = {t: d for t, d in forced.items() if d}
    on = bool(scenario.levers.crisis_onsets)
    if not ths or (not on and not forced):
        return None
    # doctrine and geography at the start year; arsenals and parameters are the runs' own
    P1 = point(world, scenario.uncertain)      # checks crisis.steps (structural: one value)
    steps = P1.one("crisis.steps")
    base = tuple(cin.from_scenario(t, scenario, world, P1, sched=sched) for t in ths)
    pairs = list(inp.pairs)
    pair = np.array([pairs.index(("USA", t.local[0])) if ("USA", t.local[0]) in pairs else -1 for t in ths])
    c0 = np.array([inp.pf0[p, L.PF_CRED] if p >= 0 else 0.5 for p in pair])
    tnw = tuple(np.array([float(sched.doctrine.tnw_forward.get(a, -1)) for a in t.local if a in idx])
                for t in ths)
    troops0 = np.array([sum(float(sched.start["troops"][idx[a]]) for a in t.local if a in idx) for t in ths])
    allies = tuple(np.array([idx[a] for a in t.allies if a in idx], np.int64) for t in ths)
    allied_w = np.array([sum(nuclear.warheads(a, int(inp.years[0]))[0] for a in t.allies if a not in idx)
                         for t in ths], float)
    return Plan(ths, base, int(steps), on, forced, np.array([idx[t.challenger] for t in ths]),
                tuple(np.array([idx[a] for a in t.local if a in idx]) for t in ths), idx["USA"],
                pair, _logit(c0), tnw, troops0, allies, allied_w, system=inp.D[:, L.D_SYSTEM].copy())


def _logit(p):
    return link.logit_array(np.ascontiguousarray(p, dtype=float).reshape(-1), link.EPS_CRED)


def empty(runs: int, years: int, K: int) -> dict[str, np.ndarray]:
    """Output arrays (run, year, theatre): highest rung (0: no crisis), end code (-1: none),
    first user (-1: none, 0: challenger, 1: the patron's side)."""
    return {"crisis_rung": np.zeros((runs, years, K), np.int8),
            "crisis_end": np.full((runs, years, K), -1, np.int8),
            "crisis_first_user": np.full((runs, years, K), -1, np.int8)}


def _log(ev, rows, year, actor, kind, terms):
    """Append one event to each of `rows` (distinct batch rows); terms (len(rows), 3)."""
    ev_year, ev_actor, ev_kind, ev_terms, ev_n = ev
    k = ev_n[rows]
    ok = k < L.MAX_EVENTS
    r, k = rows[ok], k[ok]
    ev_year[r, k], ev_actor[r, k], ev_kind[r, k] = year, np.asarray(actor)[ok] if np.ndim(actor) else actor, kind
    ev_terms[r, k, :] = 0.0
    ev_terms[r, k, :3] = terms[ok]
    ev_n[rows] += 1


def params_of(P: np.ndarray) -> Params:
    """The batch's parameters as the crisis step reads them (the columns it uses), once a batch."""
    return Params(P).select(READS)


def inputs_at(pl: Plan, k: int, sub: np.ndarray, xf, xi, pf, si, Ps: Params, year: int) -> cin.CrisisInputs:
    """Theatre k's crisis inputs for the batch rows `sub` at their state (after the year's kernel):
    arsenals, the local defenders' sharing, forward weapons, own warheads and US troops, the
    nuclear allies' warheads, the US administration and the first local defender's credibility
    of the US commitment (over its start value). `umbrella crisis` plays these same crises."""
    th, loc = pl.theatres[k], pl.local[k]
    rows = sub[:, None]        # index only the cells read, not the rows' whole state
    fw = xi[rows, loc, L.XI_FORWARD].astype(float)
    fw = np.where(pl.tnw[k][None, :] >= 0, pl.tnw[k][None, :], fw)   # levers.tnw_forward_based
    armed = xi[rows, loc, L.XI_STATUS] == L.ARSENAL
    w_local = (xf[rows, loc, L.XF_WARHEADS] * armed).sum(axis=1)
    w_allied = pl.allied_w[k] + xf[rows, pl.allies[k], L.XF_WARHEADS].sum(axis=1)
    troops = xf[rows, loc, L.XF_TROOPS].sum(axis=1)
    return cin.at_state(th, pl.base[k], Ps, year,
                        w_challenger=xf[sub, pl.challenger[k], L.XF_WARHEADS],
                        w_patron=xf[sub, pl.patron, L.XF_WARHEADS],
                        sharing=xi[rows, loc, L.XI_SHARING].max(axis=1),
                        forward=fw.max(axis=1), w_local=w_local, w_allied=w_allied,
                        troops_ratio=cin.troops_ratio(troops, np.full(sub.size, pl.troops0[k])),
                        america_first=(si[sub, L.SI_ADMIN] == L.AMERICA_FIRST).astype(float),
                        cred_ratio=_cred_ratio(pl, k, pf, sub))


def _cred_ratio(pl: Plan, k: int, pf, sub) -> np.ndarray:
    """C / C0 of the theatre's first local defender for the rows `sub` (1 without a US pair)."""
    if pl.pair[k] < 0:
        return np.ones(sub.size)
    c0 = 1.0 / (1.0 + np.exp(-pl.logit_c0[k]))
    return pf[sub, pl.pair[k], L.PF_CRED] / c0


def step(pl: Plan, t: int, year: int, seed: int, runs: np.ndarray, xf, xi, pf, si, Pr: Params, out: dict,
         ev) -> None:
    """Year t's crises for a batch (row i is global run runs[i], its random-number key):
    outcomes into `out` (arrays of the batch), next year's signal into xf[:, :, XF_CRISIS_SIG],
    preventive strikes into xi, events into `ev`. `Pr`: the batch's parameters (`params_of`)."""
    n = xf.shape[0]
    K = len(pl.theatres)
    u = ladder.draws(seed, runs, year, ONSET + np.arange(K))
    forced = pl.forced.get(t, {})
    # every theatre's crises of the year are played in one stacked ladder (the same outcomes as
    # one ladder per theatre: rows are independent and keep their own draws)
    groups, tables, U, starts = [], [], [], []
    idx = {k: ladder.draw_index(pl.steps, SUBSTREAM0 + k) for k in range(K)}
    for k, th in enumerate(pl.theatres):
        rate = Pr[f"crisis.{th.id}.onset"] if pl.onsets else np.zeros(n)
        if pl.pair[k] >= 0:
            rate = rate * np.exp(-Pr["crisis.onset_credibility"]
                                 * (_logit(pf[:, pl.pair[k], L.PF_CRED]) - pl.logit_c0[k]))
        # the challenger answers a local defender's known programme or arsenal (C1.17, F0:L138)
        prog = known_array(xi, pl.local[k]).any(axis=1)
        rate = rate * np.exp(Pr[f"crisis.{th.id}.programme_onset"] * prog)
        start = np.where(u[:, k] < rate, crun.ONSET, 0)
        if k in forced:
            start = np.maximum(start, forced[k])
        sub = np.nonzero(start > 0)[0]
        if not sub.size:
            continue
        Ps = Pr.take(sub)
        x = inputs_at(pl, k, sub, xf, xi, pf, si, Ps, year)
        groups.append((k, sub, Ps, x))
        tables.append(payoffs.tables(th, x, Ps))
        U.append(ladder.draws(seed, runs[sub], year, idx[k]))
        starts.append(start[sub])
    if not groups:
        return
    o_all = ladder.simulate(ladder.stack(tables), pl.steps, seed, np.concatenate([runs[s] for _, s, _, _ in groups]),
                            year, start=np.concatenate(starts), U=np.concatenate(U))
    i0 = 0
    for k, sub, Ps, x in groups:
        o = o_all.take(slice(i0, i0 + sub.size))
        i0 += sub.size
        if pl.capture is not None and pl.capture["k"] == k and pl.capture["t"] == t:
            pl.capture["parts"].append((runs[sub], x, Ps, o))
        _record(pl, k, sub, o, t, year, xf, Ps, out, ev, x)
        _strike(pl, k, sub, o, year, seed, runs, xf, xi, Ps, ev)


def _strike(pl, k, sub, o, year, seed, runs, xf, xi, Ps, ev):
    """In a war (rung >= 4), each local defender's known, unfinished programme is set back to
    exploring with chance crisis.preventive_strike (strikes on its facilities; F0:L138, C0.35)."""
    war = o.final_rung >= crun.WAR
    if not war.any():
        return
    rows, Pw = sub[war], Ps.take(np.nonzero(war)[0])
    loc = pl.local[k]
    u = ladder.draws(seed, runs[rows], year, PREVENT + 8 * k + np.arange(loc.size))
    unfinished = (xi[rows][:, loc, L.XI_STATUS] == L.PURSUE) & known_array(xi[rows], loc)
    hit = unfinished & (u < Pw["crisis.preventive_strike"][:, None])
    for j, a in enumerate(loc):
        r = rows[hit[:, j]]
        if not r.size:
            continue
        xi[r, a, L.XI_STATUS] = L.EXPLORE
        xi[r, a, L.XI_YEARS] = 0
        xf[r, a, L.XF_PROGRESS] = 0.0
        xf[r, a, L.XF_TTW] = -1.0
        _log(ev, r, year, int(a), L.EV_PREVENTIVE, np.tile(np.array([[k, 0, 0]], np.float32), (r.size, 1)))


def _record(pl, k, sub, o, t, year, xf, Ps, out, ev, x):
    loc = pl.local[k]
    out["crisis_rung"][sub, t, k] = o.final_rung
    out["crisis_end"][sub, t, k] = o.end
    out["crisis_first_user"][sub, t, k] = o.first_user
    # the US's conduct: bad news in full for the theatre's allies, spilled over to the others
    s = outputs.credibility_signal(o, Ps["cred.lr_crisis"], Ps["crisis.signal_rung"], x) * -1.0
    # in full for the theatre's allies, cred.spillover within their alliance system, times
    # cred.spillover_far beyond it (the regional spillover of credibility.py)
    spill = Ps["cred.spillover"][:, None] * np.where(pl.system[None, :] == pl.system[loc[0]], 1.0,
                                                     Ps["cred.spillover_far"][:, None])
    is_local = np.zeros(xf.shape[1], bool)
    is_local[loc] = True
    xf[sub, :, L.XF_CRISIS_SIG] += np.where(is_local[None, :], 1.0, spill) * s[:, None]
    who = np.where(o.first_user == 0, pl.challenger[k], pl.patron)
    terms = np.stack([np.full(sub.size, k), o.final_rung, o.end], axis=1).astype(np.float32)
    _log(ev, sub, year, loc[0], L.EV_CRISIS, terms)
    war = o.final_rung >= crun.WAR
    _log(ev, sub[war], year, loc[0], L.EV_WAR, terms[war])
    use = o.first_user >= 0
    _log(ev, sub[use], year, who[use], L.EV_NUCLEAR_USE, terms[use])
