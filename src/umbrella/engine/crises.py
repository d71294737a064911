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
              in full for the theatre's local defenders, times cred.spillover for every other
              client (the interdependence of commitments, literature §8.4g). It is written to
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
from umbrella.engine import layout as L
from umbrella.engine import link

ONSET = 6 * ladder.SUB     # index block of the onset draws (substreams 0-5 are ladders)
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
    return Plan(ths, base, int(steps), on, forced, np.array([idx[t.challenger] for t in ths]),
                tuple(np.array([idx[a] for a in t.local if a in idx]) for t in ths), idx["USA"],
                pair, _logit(c0), tnw)


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


def step(pl: Plan, t: int, year: int, seed: int, run0: int, xf, xi, pf, Pr: Params, out: dict, ev) -> None:
    """Year t's crises for a batch (rows 0..n-1 are global runs run0..): outcomes into `out`
    (arrays of the batch), next year's signal into xf[:, :, XF_CRISIS_SIG], events into `ev`.
    `Pr`: the batch's parameters (`params_of`)."""
    n = xf.shape[0]
    runs = run0 + np.arange(n, dtype=np.int64)
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
        start = np.where(u[:, k] < rate, crun.ONSET, 0)
        if k in forced:
            start = np.maximum(start, forced[k])
        sub = np.nonzero(start > 0)[0]
        if not sub.size:
            continue
        loc = pl.local[k]
        Ps = Pr.take(sub)
        fw = xi[sub][:, loc, L.XI_FORWARD].astype(float)
        fw = np.where(pl.tnw[k][None, :] >= 0, pl.tnw[k][None, :], fw)   # levers.tnw_forward_based
        x = cin.at_state(th, pl.base[k], Ps, year,
                         w_challenger=xf[sub, pl.challenger[k], L.XF_WARHEADS],
                         w_patron=xf[sub, pl.patron, L.XF_WARHEADS],
                         sharing=xi[sub][:, loc, L.XI_SHARING].max(axis=1),
                         forward=fw.max(axis=1))
        groups.append((k, sub, Ps))
        tables.append(payoffs.tables(th, x, Ps))
        U.append(ladder.draws(seed, runs[sub], year, idx[k]))
        starts.append(start[sub])
    if not groups:
        return
    o_all = ladder.simulate(ladder.stack(tables), pl.steps, seed, np.concatenate([runs[s] for _, s, _ in groups]),
                            year, start=np.concatenate(starts), U=np.concatenate(U))
    i0 = 0
    for k, sub, Ps in groups:
        o = o_all.take(slice(i0, i0 + sub.size))
        i0 += sub.size
        _record(pl, k, sub, o, t, year, xf, Ps, out, ev)


def _record(pl, k, sub, o, t, year, xf, Ps, out, ev):
    loc = pl.local[k]
    out["crisis_rung"][sub, t, k] = o.final_rung
    out["crisis_end"][sub, t, k] = o.end
    out["crisis_first_user"][sub, t, k] = o.first_user
    # the US's conduct: bad news in full for the theatre's allies, spilled over to the others
    s = outputs.credibility_signal(o, Ps["cred.lr_crisis"], Ps["crisis.signal_rung"]) * -1.0
    spill = Ps["cred.spillover"]
    is_local = np.zeros(xf.shape[1], bool)
    is_local[loc] = True
    xf[sub, :, L.XF_CRISIS_SIG] += np.where(is_local[None, :], s[:, None], (spill * s)[:, None])
    who = np.where(o.first_user == 0, pl.challenger[k], pl.patron)
    terms = np.stack([np.full(sub.size, k), o.final_rung, o.end], axis=1).astype(np.float32)
    _log(ev, sub, year, loc[0], L.EV_CRISIS, terms)
    war = o.final_rung >= crun.WAR
    _log(ev, sub[war], year, loc[0], L.EV_WAR, terms[war])
    use = o.first_user >= 0
    _log(ev, sub[use], year, who[use], L.EV_NUCLEAR_USE, terms[use])
