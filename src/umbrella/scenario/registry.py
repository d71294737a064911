"""The one parameter registry: the names of every model parameter, annual and crisis layer.

A parameter's value, range, per-run distribution, unit and citation live in the world YAML
(`worlds/consensus.yaml` defines every one; article worlds state only what they change). This
module fixes the names and their order, which is the column order of the engine's per-run
parameter matrix P (`umbrella.engine.params`), so that the annual step and the crisis step read
the same per-run values. `markdown_table(world)` prints the registry for docs/parameters.md.
"""

from __future__ import annotations

import typing

from umbrella.scenario.schema import TheatreId

ANNUAL: tuple[str, ...] = (
    # economy and power
    "econ.growth_sd", "econ.burden_adjust", "econ.burden_sd",
    # arsenals
    "arsenal.adjust", "arsenal.reaction", "arsenal.noise_sd", "arsenal.new_build_rate",
    "arsenal.enr_build_multiplier", "arsenal.prk_fissile_2020", "arsenal.prk_fissile_rate",
    "arsenal.prk_adjust",
    # adversaries' responses to allied programmes (engine/arsenals.py, engine/politics.py)
    "react.buildup", "react.coercion_rate",
    # politics and events
    "politics.us_flip", "politics.kor_flip", "politics.af_rhetoric_rate", "politics.reassure_rate",
    "politics.hns_demand_rate",
    "politics.prk_provocation_rate", "politics.moratorium_factor",
    # credibility
    "cred.lr_troops", "cred.troops_soft", "cred.lr_hns", "cred.lr_rhetoric",
    "cred.lr_institution", "cred.lr_sharing", "cred.lr_forward", "cred.lr_crisis", "cred.lr_deal",
    "cred.deal_mrbm_extra", "cred.lr_patron_coercion",
    "cred.spillover", "cred.spillover_far", "cred.anchor_region", "cred.anchor_pull", "cred.anchor_troops",
    "cred.anchor_institution",
    "cred.anchor_sharing", "cred.anchor_forward", "cred.anchor_theatre", "cred.anchor_admin",
    "cred.anchor_decoupling",
    "cred.anchor_arms", "cred.reach_PRK", "cred.reach_CHN", "cred.reach_RUS",
    "cred.decoupling_half", "cred.noise_sd",
    # opinion
    "opinion.reversion", "opinion.provocation", "opinion.moratorium", "opinion.credibility",
    "opinion.entrapment", "opinion.rival_programme", "opinion.noise_sd",
    # proliferation backbone (fitted on the historical panel: umbrella.calibrate.backbone)
    "prolif.explore.base", "prolif.explore.latency", "prolif.explore.threat",
    "prolif.explore.rival", "prolif.explore.umbrella", "prolif.explore.npt",
    "prolif.explore.regional", "prolif.pursue.base", "prolif.pursue.latency",
    "prolif.pursue.threat", "prolif.pursue.rival", "prolif.pursue.umbrella", "prolif.pursue.npt",
    "prolif.pursue.regional", "prolif.reversal_explore.base",
    "prolif.reversal_explore.umbrella", "prolif.reversal_pursue.base",
    "prolif.explore.exposure_ref", "prolif.pursue.exposure_ref",
    # structural deviations from the backbone (anchored to average zero on history)
    "prolif.cred_ref", "prolif.opinion", "prolif.sanctions",
    "prolif.cascade.explore", "prolif.cascade.pursue", "prolif.coercion", "prolif.covert_base",
    "prolif.covert_rupture", "prolif.detect_rate", "prolif.prevent_rate", "prolif.informal_weight",
    "prolif.red_line",
    # time to weapon
    "ttw.median_hist", "ttw.latency_slope", "ttw.latency_ref", "ttw.no_enr", "ttw.fuel",
    "ttw.plutonium", "ttw.sanctions", "ttw.covert", "ttw.min_years", "ttw.sd",
    # NPT regime
    "npt.start", "npt.ref", "npt.recovery", "npt.new_arsenal", "npt.withdrawal",
    "npt.key_withdrawal", "npt.revcon_failure_rate", "npt.revcon_impact",
    "npt.collapse_threshold", "npt.withdraw_base", "npt.withdraw_erosion",
    # alignment and regional order
    "align.inertia", "align.credibility", "align.power.JPN", "align.power.KOR", "align.power.TWN",
    "align.power.AUS", "align.turtling", "align.camp", "align.coercion_memory",
    "align.coercion", "align.bal.JPN", "align.bal.KOR", "align.bal.TWN", "align.bal.AUS",
    "align.acc.JPN", "align.acc.KOR", "align.acc.TWN", "align.acc.AUS",
    "order.power", "order.accommodation", "order.credibility",
)

# the crisis layer (umbrella.crisis; docs/crisis.md): global parameters, then per theatre
CRISIS_GLOBAL: tuple[str, ...] = (
    "crisis.lambda", "crisis.steps", "crisis.onset_credibility", "crisis.signal_rung",
    "crisis.r_top", "crisis.r_slope", "crisis.fs_stability", "crisis.audience_democracy",
    "crisis.audience_autocracy", "crisis.coalition_weight", "crisis.threshold_war", "crisis.taboo",
    "crisis.theta_6", "crisis.theta_7", "crisis.theta_8", "crisis.theatre_share_PRK",
    "crisis.theatre_share_CHN", "crisis.theatre_share_RUS", "crisis.us_theatre_low", "crisis.us_theatre_medium",
    "crisis.us_theatre_high", "crisis.sharing_step", "crisis.forward_step", "crisis.dl_gain",
    "crisis.pi_4", "crisis.pi_step", "crisis.decap_pi_factor", "crisis.nsa_pi_factor",
    "crisis.surv_half", "crisis.decap_gain", "crisis.counterforce_gain", "crisis.pd_cut",
    "crisis.pd_hazard", "crisis.mr_cost", "crisis.ambiguous_share", "crisis.decl_decoupling",
    "crisis.deal_cap_factor", "crisis.host_dependence", "crisis.host_denial", "crisis.coord_cut",
    "crisis.shadow_4", "crisis.shadow_5", "crisis.shadow_6", "crisis.damage_half",
    "crisis.theatre_dl", "crisis.nuclear_damage", "crisis.strategic_damage", "crisis.assured_destruction",
    "crisis.war_cost_challenger", "crisis.war_cost_defender",
    # the annual state in a crisis (issue 14): preventive strikes, the tripwire, the administration,
    # the European nuclear allies
    "crisis.preventive_strike", "crisis.tripwire", "crisis.america_first_stake", "crisis.allied_share",
    "crisis.belief_credibility",
)
THEATRES: tuple[str, ...] = typing.get_args(TheatreId)   # the schema's theatre ids
CRISIS_THEATRE: tuple[str, ...] = ("p_defender", "stake_challenger", "stake_local", "stake_patron", "defeat_challenger",
                                   "fragility", "defeat_defender", "onset", "programme_onset")
CRISIS: tuple[str, ...] = CRISIS_GLOBAL + tuple(
    f"crisis.{th}.{n}" for th in THEATRES for n in CRISIS_THEATRE)

NAMES: tuple[str, ...] = ANNUAL + CRISIS

# Parameters that shape a run's structure rather than a per-run quantity: the number of ladder
# micro-steps (the layout of the crisis draws) and the deal's missile-cap factor (read once,
# by the start-year geography). They take one value per ensemble: a world or `uncertain` may set
# them, with `dist: fixed` only.
STRUCTURAL: frozenset[str] = frozenset({"crisis.steps", "crisis.deal_cap_factor"})


def is_parameter(name: str) -> bool:
    return name in _NAME_SET


_NAME_SET = frozenset(NAMES)


def _cell(text: str) -> str:
    return str(text).replace("|", "/").replace("\n", " ").strip()


def _num(x: float) -> str:
    return f"{x:g}"


def markdown_table(world) -> str:
    """The registry as a Markdown table (name, value, range, per-run distribution, unit, source),
    in registry order: docs/parameters.md is this text for the consensus world (a test checks)."""
    rows = ["| parameter | value | range | per run | unit | source |", "|---|---|---|---|---|---|"]
    for n in NAMES:
        p = world.parameters[n]
        lo, hi = p.range
        rows.append(f"| `{n}` | {_num(p.value)} | {_num(lo)} – {_num(hi)} | {p.dist} | {_cell(p.unit)} | "
                    f"{_cell(p.source)} |")
    return "\n".join(rows) + "\n"


DOC_HEADER = """# Parameters

Every model parameter, annual and crisis layer, in the one registry
(`src/umbrella/scenario/registry.py`: names and the column order of the per-run matrix P) with
its value, range, per-run distribution, unit and source from the consensus world
(`src/umbrella/scenario/worlds/consensus.yaml`). Article worlds change only some of them
([worlds.md](worlds.md)); a scenario's `uncertain` section (or `--set uncertain.NAME=...`) gives
any of them another per-run distribution. `crisis.steps` and `crisis.deal_cap_factor` shape a
run's structure and take one value per ensemble (`dist: fixed` only).

"per run": `fixed` (the value), `uniform` (over the range), `triangular` (peak at the value),
`normal` / `lognormal` (the range at about ±2 sd), `backbone` (drawn jointly with the other
coefficients of its transition from the fitted covariance, docs/calibration.md).

This file is generated: `umbrella parameters --markdown > docs/parameters.md`; a test
checks that it matches the registry.

"""


def document() -> str:
    """docs/parameters.md: the header and the consensus world's table."""
    from umbrella.scenario.load import load_world
    return DOC_HEADER + markdown_table(load_world("consensus"))
