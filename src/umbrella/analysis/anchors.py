"""The model against expert surveys and forecasting crowds (the bundled `validation_targets.csv`).

These are opinions, not history, so they are anchors to read the model against, not targets it
is tuned to (the targets are docs/validation.md's H and A rows). Each anchor names the bundled
row it reads (by the start of its `target` text), the model outcome that answers the same
question (a path of the outcome registry, explore/outcomes.py) and how the two relate:

    same         the same event over the same window
    upper        the model's outcome contains the anchor's event (it should not fall below it)
    lower        the model's outcome is part of the anchor's event (it should not exceed it)

A global anchor is scaled to the model's theatres where the source says how it divides: FRI's
experts saw the risk "dispersed roughly uniformly" over five dyads (Russia-NATO, China-US, the
Korean Peninsula, India-Pakistan, Israel-Iran; literature §4.5), of which the model's four theatres
cover three (Europe; the Taiwan Strait and the East China Sea; Korea).

`measure(runs, seed)` runs the status quo in every world and reports, per anchor, the consensus
figure with its 90 % Wilson interval, the range over the worlds and a verdict. Rows of the table
with no model counterpart are listed in NOT_COMPARED with the reason."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from umbrella.errors import InputError

SCENARIO = "status-quo-2025"


@dataclass(frozen=True)
class Anchor:
    id: str
    row: str            # the start of the bundled row's `target` text
    who: str            # whose figure: experts, forecasters, expert median
    outcome: str        # the model's outcome (explore/outcomes.py registry)
    relation: str       # same | upper | lower
    note: str
    notes_value: str | None = None   # a second figure read from the row's notes (e.g. "superforecasters 1%")
    scale: float = 1.0               # the share of the anchor's event inside the model's scope


ANCHORS: tuple[Anchor, ...] = (
    Anchor("ac-kor-arsenal", "Share expecting South Korea to possess", "experts", "status.KOR.arsenal.2035", "same",
           "Atlantic Council's 357 strategists (late 2024), 'within 10 years'"),
    Anchor("ac-irn-arsenal", "Share expecting Iran to possess", "experts", "status.IRN.arsenal.2035", "same",
           "Atlantic Council, same survey"),
    Anchor("ac-sau-arsenal", "Share expecting Saudi Arabia to possess", "experts", "status.SAU.arsenal.2035", "same",
           "Atlantic Council, same survey; the model has no purchase route (a bomb bought from Pakistan): "
           "Saudi Arabia must build its own"),
    Anchor("ac-prk-use", "Share expecting North Korea to use", "experts", "nuclear_use.korea.2035", "upper",
           "Atlantic Council, same survey; the model's figure counts any detonation in the Korean theatre, "
           "by either side"),
    Anchor("metaculus-new-state", "Community prediction", "forecasters", "new_arsenals.any.2029", "lower",
           "Metaculus Q15537, 'a new nuclear-armed state before 2030'; the model counts its 20 actors only"),
    Anchor("fri-catastrophe", "Nuclear catastrophe (>=10 million deaths) by 2045", "expert median",
           "nuclear_use.any.2045", "upper",
           "FRI (2024), scaled by 3/5: the three of its five equally weighted dyads inside the model's theatres; "
           "any detonation there contains a catastrophe there", notes_value=r"superforecasters\s+([0-9.]+)\s*%",
           scale=3 / 5),
    Anchor("fri-catastrophe-korea", "Nuclear catastrophe (>=10 million deaths) by 2045", "expert median",
           "nuclear_use.korea.2045", "upper",
           "FRI (2024), scaled by 1/5: the Korean Peninsula's share (literature §4.5's envelope for the crisis layer)",
           notes_value=r"superforecasters\s+([0-9.]+)\s*%", scale=1 / 5),
)

NOT_COMPARED: dict[str, str] = {
    "Non-state actor acquires": "the model has no non-state actors",
    "ROK elites supporting nuclearization": "the model follows public opinion, not elites'",
    "States that ever explored": "history: the backtest's H4 funnel (docs/validation.md)",
    "US treaty allies that explored": "qualitative",
}

RELATIONS = {"same": "same event", "upper": "model ⊇ anchor", "lower": "model ⊆ anchor"}


def _table():
    from umbrella.data.load import load_table
    return load_table("validation_targets")


def anchor_values(a: Anchor) -> list[tuple[str, float]]:
    """[(label, value as a share)] of the anchor's bundled row: its value, and a second figure
    from the row's notes when the anchor names one."""
    t = _table()
    rows = t[t["target"].astype(str).str.startswith(a.row)]
    if len(rows) != 1:
        raise InputError("anchors", a.row, "the start of exactly one `target` of validation_targets.csv",
                         problem=f"matches {len(rows)} rows")
    r = rows.iloc[0]
    source = re.split(r"[(\"]", str(r["source"]))[0].strip()
    out = [(f"{source}: {a.who}", float(r["value"]) / 100.0 * a.scale)]
    if a.notes_value:
        m = re.search(a.notes_value, str(r["notes"]))
        if m is None:
            raise InputError("anchors", a.id, f"notes matching {a.notes_value!r}", problem="finds no figure")
        out.append((f"{source}: {m.group(0).split()[0]}", float(m.group(1)) / 100.0 * a.scale))
    return out


def verdict(relation: str, anchor: float, lo: float, hi: float) -> str:
    """How the model's 90 % interval [lo, hi] stands to the anchor under the relation."""
    if relation == "same":
        if lo <= anchor <= hi:
            return "agrees"
        return "model below" if hi < anchor else "model above"
    if relation == "upper":      # the model's event contains the anchor's
        return "consistent" if hi >= anchor else "model below a bound"
    return "consistent" if lo <= anchor else "model above a bound"


def measure(runs: int = 4000, seed: int | None = None, worlds: Sequence[str] | None = None) -> list[dict]:
    """One row per anchor value: the anchor, the consensus figure with its interval, the range
    over the worlds, and the verdict (on the consensus interval)."""
    from umbrella.engine.run import simulate
    from umbrella.explore.outcomes import compute, parse
    from umbrella.results.intervals import share_interval
    from umbrella.scenario import load_scenario, load_world
    from umbrella.scenario.load import list_worlds

    worlds = list(worlds or list_worlds())
    if "consensus" not in worlds:
        raise InputError("worlds", ",".join(worlds), "a list including consensus")
    sc = load_scenario(SCENARIO, fields={"runs": runs, "seed": seed})
    outs = [o for a in ANCHORS for o in parse(a.outcome, scenario=sc, where="anchors")]
    by_world = {}
    for w in worlds:
        v = compute(outs, simulate(sc, load_world(w)), 1)
        by_world[w] = {k: float(x[0]) for k, x in v.items()}
    rows = []
    for a in ANCHORS:
        m = by_world["consensus"][a.outcome]
        lo, hi = share_interval(m, runs)
        span = [by_world[w][a.outcome] for w in worlds]
        for label, value in anchor_values(a):
            rows.append({"id": a.id, "anchor": label, "anchor_value": value, "outcome": a.outcome,
                         "relation": a.relation, "model": m, "lo": lo, "hi": hi,
                         "worlds_min": min(span), "worlds_max": max(span),
                         "ratio": (m / value) if value > 0 else float("nan"),
                         "verdict": verdict(a.relation, value, lo, hi), "note": a.note})
    return rows


def markdown(rows: Sequence[dict], runs: int) -> str:
    """The table of docs/validation.md's anchors section."""
    pct = lambda x: f"{100 * x:.1f} %" if x >= 0.01 or x == 0 else f"{100 * x:.2f} %"  # noqa: E731
    lines = [f"Status quo (status-quo-2025), {runs:,} runs per world, the preset's seed; `umbrella anchors "
             f"--runs {runs} --markdown` regenerates it.", "",
             "| anchor | figure | model outcome | relation | consensus (90 %) | six worlds | verdict |",
             "|---|---|---|---|---|---|---|"]
    for r in rows:
        lines.append(f"| {r['anchor']} ({r['id']}) | {pct(r['anchor_value'])} | `{r['outcome']}` | "
                     f"{RELATIONS[r['relation']]} | {pct(r['model'])} ({pct(r['lo'])}-{pct(r['hi'])}) | "
                     f"{pct(r['worlds_min'])}-{pct(r['worlds_max'])} | {r['verdict']} |")
    return "\n".join(lines) + "\n"


