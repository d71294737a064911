"""Raw results -> labelled arrays (xarray) and the event log (pandas)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import xarray as xr

from umbrella.engine import layout as L
from umbrella.engine.params import PARAMS


def to_dataset(res) -> xr.Dataset:
    inp = res.inputs
    R = res.status.shape[0]
    coords = {
        "run": np.arange(R), "year": inp.years, "actor": list(inp.actors),
        "pair": [f"{p}->{c}" for p, c in inp.pairs], "param": list(PARAMS),
        "patron": ("pair", [p for p, _ in inp.pairs]), "client": ("pair", [c for _, c in inp.pairs]),
    }
    ra = ("run", "year", "actor")
    ds = xr.Dataset(
        {
            "status": (ra, res.status, {"levels": ", ".join(L.LEVEL_NAMES)}),
            "reached": (ra, res.reached, {"description": "highest status reached so far"}),
            "covert": (ra, res.covert, {"description": "has run a covert programme"}),
            "warheads": (ra, res.warheads),
            "opinion": (ra, res.opinion, {"description": "public support for own nuclear weapons"}),
            "posture": (ra, res.posture, {"levels": ", ".join(L.POSTURE_NAMES), "missing": -1}),
            "credibility": (("run", "year", "pair"), res.credibility,
                            {"description": "client's belief that the patron is resolute"}),
            "npt_strength": (("run", "year"), res.npt_strength),
            "npt_collapsed": (("run", "year"), res.npt_collapsed),
            "us_america_first": (("run", "year"), res.us_admin.astype(bool)),
            "rok_conservative": (("run", "year"), res.rok_camp.astype(bool)),
            "regional_order": (("run", "year"), res.order,
                               {"description": "1 = regional order reflects China's priorities"}),
            "params": (("run", "param"), res.params),
        },
        coords=coords,
        attrs={"scenario": res.scenario.id, "world": res.world.id, "seed": res.scenario.seed,
               "description": "state at the end of each year"},
    )
    if res.theatres:
        rt = ("run", "year", "theatre")
        ds = ds.assign_coords(theatre=list(res.theatres)).assign(
            crisis_rung=(rt, res.crisis_rung, {"description": "highest rung of the year's crisis", "missing": 0}),
            crisis_end=(rt, res.crisis_end, {"levels": "armistice, challenger conceded, US side backed down, "
                                                       "central war", "missing": -1}),
            crisis_first_user=(rt, res.crisis_first_user, {"levels": "challenger, US side", "missing": -1}))
    return ds


def events(res) -> pd.DataFrame:
    """One row per recorded event, with the hazard terms at onset (NaN where not a hazard)."""
    inp = res.inputs
    n = np.minimum(res.ev_n, L.MAX_EVENTS)
    runs = np.repeat(np.arange(len(n)), n)
    k = np.concatenate([np.arange(m) for m in n]) if len(n) else np.array([], int)
    actor_idx = res.ev_actor[runs, k].astype(int)
    kind = res.ev_kind[runs, k].astype(int)
    actors = np.array([*inp.actors, "system"])
    df = pd.DataFrame({
        "run": runs, "year": res.ev_year[runs, k].astype(int),
        "actor": actors[np.where(actor_idx < 0, len(inp.actors), actor_idx)],
        "event": np.array(L.EVENT_NAMES)[kind],
    })
    terms = res.ev_terms[runs, k]
    has_terms = np.isin(kind, [L.EV_EXPLORE, L.EV_PURSUE])
    for j, name in enumerate(L.TERM_NAMES):
        df[f"term_{name}"] = np.where(has_terms, terms[:, j], np.nan)
    # crisis events carry (theatre index, highest rung, end code) in their first term slots
    is_crisis = np.isin(kind, [L.EV_CRISIS, L.EV_WAR, L.EV_NUCLEAR_USE])
    if is_crisis.any():
        th = np.array([*res.theatres, ""])
        t_idx = np.where(is_crisis, terms[:, 0], len(res.theatres)).astype(int)
        df["theatre"] = np.where(is_crisis, th[t_idx], None)
        df["crisis_rung"] = np.where(is_crisis, terms[:, 1], np.nan)
        df["crisis_end"] = np.where(is_crisis, terms[:, 2], np.nan)
    return df
