"""Typed scenario and world specifications (pydantic).

A scenario is plain data: run settings, levers (standing policy choices), dated shocks and
uncertain parameters. A world is a named set of model parameters, each with its value, range,
distribution and citation. Neither contains code; both are validated before anything runs.
"""

from __future__ import annotations

import typing
from typing import Annotated, Literal, Union

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

from umbrella.data.facts import DEFAULT_ACTORS

ConsultationLevel = Literal["none", "dialogue", "consultative_group", "planning_group"]
SharingLevel = Literal["none", "planning", "f35_certified", "guam_ops", "slcm"]
Administration = Literal["engaged", "america_first"]
RokCamp = Literal["progressive", "conservative"]
StatusLevel = Literal["none", "explore", "pursue", "arsenal"]
DeclaratoryPolicy = Literal["ambiguous", "massive_retaliation"]
CoordinationLevel = Literal["low", "high"]
TheaterNuclearLevel = Literal["low", "medium", "high"]
TheatreId = Literal["korea", "taiwan", "east-china-sea", "europe"]

# each level's position is its integer code in the engine and the data (scenario/schedule.LEVELS)
CONSULTATION_LEVELS: tuple[str, ...] = typing.get_args(ConsultationLevel)
SHARING_LEVELS: tuple[str, ...] = typing.get_args(SharingLevel)
STATUS_LEVELS: tuple[str, ...] = typing.get_args(StatusLevel)

MIN_YEAR, MAX_YEAR = 1945, 2100
# historical mode runs over the panel's years (calibrate/historical.py's FIRST, LAST; a test checks)
HISTORICAL_LAST = 2017


def _check_actor(code: str) -> str:
    if code not in DEFAULT_ACTORS:
        raise ValueError(f"unknown actor {code!r}; allowed: {', '.join(DEFAULT_ACTORS)}")
    return code


Actor = Annotated[str, AfterValidator(_check_actor)]


class _Strict(BaseModel):
    # no NaN or infinity from any input: a number is finite or an error naming the key
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


class SeedRef(_Strict):
    """A line of a source article that the preset encodes."""

    ref: str = Field(description="file:line in seeds/, e.g. F0:L27")
    en: str
    ja: str


class DefenceTarget(_Strict):
    share: float = Field(ge=0.0, le=0.2, description="defence spending as a fraction of GDP")
    by: int = Field(ge=MIN_YEAR, le=MAX_YEAR, description="year by which the target is reached")


class DprkDeal(_Strict):
    """A risk-reduction deal with the DPRK (F3:L32-46): each item on or off."""

    no_decapitation_for_no_predelegation: bool = Field(
        False, description="the allies forgo decapitation strikes; the DPRK pledges no pre-delegation (F3:L32)")
    icbm_cap: bool = Field(
        False, description="a cap on the DPRK's ICBMs (scales their capability, F3:L42-44)")
    mrbm_cap: bool = Field(
        False, description="a cap on the DPRK's MRBMs and IRBMs (scales their capability, F3:L42-44)")
    negative_security_assurance: bool = Field(
        False, description="a US negative security assurance to the DPRK (F3:L46)")
    freeze: bool = Field(
        False, description="a freeze of DPRK warheads at the start-year level (the risk-reduction menu, "
        "F3:L32, L46)")


class Levers(_Strict):
    """Standing policy settings. A mapping keyed by actor overrides the data for that actor only."""

    us_administration: Administration | None = Field(
        default=None, description="US administration type at the start year (None: from the data)")
    rok_camp: RokCamp | None = Field(default=None, description="ROK government camp at the start year")
    us_troops: dict[Actor, float] = Field(default_factory=dict, description="US troops by host (count)")
    consultation: dict[Actor, ConsultationLevel] = Field(default_factory=dict)
    nuclear_sharing: dict[Actor, SharingLevel] = Field(default_factory=dict)
    forward_weapons: dict[Actor, bool] = Field(
        default_factory=dict, description="US nuclear weapons based on the client's territory")
    us_permits_nuclear: dict[Actor, bool] = Field(
        default_factory=dict, description="US accepts the client's own deterrent (Kelly option A)")
    defence_target: dict[Actor, DefenceTarget] = Field(default_factory=dict)
    burden_sharing: Literal["hns_transfer", "spending_targets"] = "spending_targets"
    china_warheads_target_2035: float | None = Field(
        default=None, ge=0, le=5000, description="China's 2035 doctrine target (None: DoD CMPR path)")
    dprk_test_moratorium: bool = False
    dprk_icbm_capability: float | None = Field(
        default=None, ge=0, le=1, description="the DPRK's ICBM capability as a share of the bundled classes' "
        "inventory (0: no ICBM reaches the US homeland; None: the data, 1)")
    dprk_mrbm_capability: float | None = Field(
        default=None, ge=0, le=1, description="the DPRK's medium- and intermediate-range capability as a share of "
        "the bundled MRBM and IRBM inventory (None: the data, 1)")
    status: dict[Actor, StatusLevel] = Field(
        default_factory=dict, description="nuclear status at the start year, overriding the data")
    # crisis layer (umbrella.crisis, docs/crisis.md): the `umbrella crisis` command and the annual
    # model's crisis step (engine/crises.py) read these
    crisis_onsets: bool = Field(
        default=True, description="crises start by themselves at each theatre's annual onset rate (False: only "
        "the scenario's `crisis` and `war` shocks start one)")
    allied_decapitation_doctrine: bool | None = Field(
        default=None, description="US-ROK plans to strike DPRK leadership and C2 in a war (None: the data, True: "
        "F3:L28)")
    dprk_predelegation: bool | None = Field(
        default=None, description="DPRK launch authority pre-delegated to field commanders if leadership or C2 is "
        "threatened (None: the data, True: the DPRK's 2022 nuclear-forces law, F3:L28)")
    us_declaratory_dprk: DeclaratoryPolicy | None = Field(
        default=None, description="US declaratory policy toward DPRK first use (None: the data, ambiguous: F2:L8)")
    dprk_deal: DprkDeal | None = Field(
        default=None, description="a US/ROK-DPRK risk-reduction deal (F3:L32-46; None: no deal)")
    trilateral_coordination: CoordinationLevel | None = Field(
        default=None, description="US-Japan-ROK coordination on deterrence and risk reduction (None: the data, low: "
        "F3:L48-52)")
    us_theater_nuclear: TheaterNuclearLevel | None = Field(
        default=None, description="US theatre (non-strategic) nuclear forces (None: the data, medium; high: F4:L83)")
    tnw_forward_based: dict[Actor, bool] = Field(
        default_factory=dict, description="US theatre nuclear weapons forward-based on the client's territory "
        "in a crisis (crisis layer; falls back on forward_weapons, then the data)")

    @field_validator("us_troops")
    @classmethod
    def _troops(cls, v: dict[str, float]) -> dict[str, float]:
        for k, n in v.items():
            if not (0 <= n <= 1_000_000):
                raise ValueError(f"us_troops.{k}={n}: must be between 0 and 1,000,000")
        return v


class _ShockBase(_Strict):
    year: int = Field(ge=MIN_YEAR, le=MAX_YEAR)
    note: str | None = None


class TroopsShock(_ShockBase):
    """US troops in a host set to `value` from `year` on (a tripwire signal)."""

    type: Literal["troops"]
    target: Actor
    value: float = Field(ge=0, le=1_000_000)


class HnsUltimatumShock(_ShockBase):
    """A demand for more host-nation support backed by a withdrawal threat (F0:L34)."""

    type: Literal["hns_ultimatum"]
    target: Actor


class RhetoricShock(_ShockBase):
    """A patron statement about its commitments: weakly diagnostic (literature §8.4b)."""

    type: Literal["rhetoric"]
    target: Literal["all"] | Actor = "all"
    tone: Literal["negative", "positive"]


Patron = Literal["USA", "FRA", "GBR"]


class ConsultationShock(_ShockBase):
    """A consultation level of the patron (default the US) with the target from `year` on; a
    French or British one applies to that patron's informal pair with the target (the 2025
    offers: F1:L8-9, F4:L19)."""

    type: Literal["consultation"]
    target: Actor
    value: ConsultationLevel
    patron: Patron = "USA"


class SharingShock(_ShockBase):
    type: Literal["nuclear_sharing"]
    target: Actor
    value: SharingLevel


class ForwardWeaponsShock(_ShockBase):
    """The patron's (default the US's) nuclear weapons forward-based on the target's territory."""

    type: Literal["forward_weapons"]
    target: Actor
    value: bool
    patron: Patron = "USA"


class AdministrationShock(_ShockBase):
    type: Literal["administration"]
    value: Administration


class RokCampShock(_ShockBase):
    type: Literal["rok_camp"]
    value: RokCamp


class ProgrammeShock(_ShockBase):
    """An actor decides to start exploring or pursuing (forces the status from `year`)."""

    type: Literal["programme"]
    target: Actor
    level: Literal["explore", "pursue"]
    covert: bool = False


class NptWithdrawalShock(_ShockBase):
    type: Literal["npt_withdrawal"]
    target: Actor


class EconomicCoercionShock(_ShockBase):
    """Economic coercion of a target (the THAAD-2017 analogue, F0:L86)."""

    type: Literal["economic_coercion"]
    actor: Literal["CHN"] = "CHN"  # the engine models China's coercion only (alignment term)
    target: Actor


class NuclearTestShock(_ShockBase):
    type: Literal["nuclear_test"]
    actor: Literal["PRK"] = "PRK"  # a test is a DPRK provocation (politics, opinion)


class CrisisOutcomeShock(_ShockBase):
    """A patron's conduct in a crisis, observed by all its clients (the crisis layer's entry)."""

    type: Literal["crisis_outcome"]
    patron: Literal["USA"] = "USA"  # only US conduct is a signal today (the crisis layer extends it)
    outcome: Literal["stood_firm", "backed_down"]


class CrisisShock(_ShockBase):
    """A crisis in a theatre in `year`, played on the escalation ladder from rung 1 (a
    confrontation) or, for `war`, from rung 4 (a conventional war has broken out)."""

    type: Literal["crisis", "war"]
    theatre: TheatreId


class PermitNuclearShock(_ShockBase):
    type: Literal["permit_nuclear"]
    target: Actor
    value: bool = True


Shock = Annotated[
    Union[
        TroopsShock, HnsUltimatumShock, RhetoricShock, ConsultationShock, SharingShock,
        ForwardWeaponsShock, AdministrationShock, RokCampShock, ProgrammeShock,
        NptWithdrawalShock, EconomicCoercionShock, NuclearTestShock, CrisisOutcomeShock,
        PermitNuclearShock, CrisisShock,
    ],
    Field(discriminator="type"),
]
SHOCK_TYPES: tuple[str, ...] = (
    "troops", "hns_ultimatum", "rhetoric", "consultation", "nuclear_sharing", "forward_weapons",
    "administration", "rok_camp", "programme", "npt_withdrawal", "economic_coercion",
    "nuclear_test", "crisis_outcome", "permit_nuclear", "crisis", "war",
)


class Distribution(_Strict):
    """How an uncertain parameter is drawn per run."""

    dist: Literal["fixed", "uniform", "triangular", "normal", "lognormal"]
    value: float | None = None
    low: float | None = None
    high: float | None = None
    mode: float | None = None
    mean: float | None = None
    sd: float | None = Field(None, gt=0)

    @model_validator(mode="after")
    def _complete(self) -> "Distribution":
        need = {
            "fixed": ("value",), "uniform": ("low", "high"), "triangular": ("low", "mode", "high"),
            "normal": ("mean", "sd"), "lognormal": ("mean", "sd"),
        }[self.dist]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(f"dist {self.dist!r} needs {', '.join(need)} (missing {', '.join(missing)})")
        if self.low is not None and self.high is not None and not self.low <= self.high:
            raise ValueError(f"low ({self.low}) must not exceed high ({self.high})")
        # every field in `need` is set here (`missing` is empty); cast() only informs the type checker
        if self.dist == "triangular" and not (
                typing.cast(float, self.low) <= typing.cast(float, self.mode) <= typing.cast(float, self.high)):
            raise ValueError("mode must lie between low and high")
        if self.dist == "lognormal" and typing.cast(float, self.mean) <= 0:
            raise ValueError("lognormal mean (the median) must be > 0")
        return self


def _at(parts: tuple, problem: str, allowed: str) -> str:
    """A model-level check's message that names the field it is about (the loader points at it)."""
    return f"at {'|'.join(map(str, parts))}: {problem}; allowed: {allowed}"


def _check_parameter(name: str) -> str:
    from umbrella.scenario import registry  # registry imports this module
    if not registry.is_parameter(name):
        import difflib
        near = difflib.get_close_matches(name, registry.NAMES, n=3, cutoff=0.6)
        raise ValueError(f"unknown model parameter {name!r}; allowed: a model parameter name (docs/parameters.md)"
                         + (f", e.g. {', '.join(near)}" if near else ""))
    return name


ParameterName = Annotated[str, AfterValidator(_check_parameter)]


class Expectation(_Strict):
    """What the preset's article says it moves: an outcome of the JSON summary (a dotted path,
    e.g. `status.KOR.pursue.2050`, `credibility.JPN.p50.2035`, `alignment.KOR.accommodating.2030`,
    `credibility_other.FRA->POL.p50.2030`, `war.korea.2050`) that must go `up` or `down` against
    the scenario `vs` (default: the one it extends) on common random numbers
    (tests/test_presets.py; docs/presets.md)."""

    outcome: str = Field(min_length=3)
    direction: Literal["up", "down"]
    vs: str | None = None
    claim: str = Field(min_length=2, description="the seed lines or claim ids that say so")


class Scenario(_Strict):
    id: str = "custom"
    title: str = ""
    title_ja: str = ""
    description: str = ""
    sources: list[SeedRef] = Field(default_factory=list)
    extends: str | None = None
    mode: Literal["annual", "historical"] = Field(
        "annual", description="annual: the forward model (every mechanism, the crisis layer); historical: "
        "the proliferation backbone over the panel's states with the record as exogenous paths")
    start_year: int = Field(2025, ge=MIN_YEAR, le=MAX_YEAR)
    horizon: int = Field(2050, ge=MIN_YEAR, le=MAX_YEAR, description="last simulated year")
    runs: int = Field(10_000, ge=1, le=10_000_000)
    seed: int = Field(20250101, ge=0, le=2**63 - 1)
    world: str = "consensus"
    actors: list[Actor] | None = None
    levers: Levers = Field(default_factory=Levers)
    shocks: list[Shock] = Field(default_factory=list)
    uncertain: dict[ParameterName, Distribution] = Field(default_factory=dict)
    expect: list[Expectation] = Field(default_factory=list, description="what the article says the scenario "
                                      "moves (not inherited through `extends`)")

    @field_validator("actors")
    @classmethod
    def _actors(cls, v: list[str] | None) -> list[str] | None:
        if v is None:
            return v
        if len(set(v)) != len(v):
            raise ValueError("actors must not repeat")
        for core in ("USA",):
            if core not in v:
                raise ValueError("actors must include USA (the patron of every modelled umbrella)")
        return v

    @model_validator(mode="after")
    def _years(self) -> "Scenario":
        from umbrella.scenario import registry  # registry imports this module
        for name in sorted(registry.STRUCTURAL):
            d = self.uncertain.get(name)
            if d is not None and d.dist != "fixed":
                raise ValueError(_at(("uncertain", name, "dist"), "cannot vary per run",
                                     "fixed (one value per ensemble: it shapes the run's structure)"))
        steps = self.uncertain.get("crisis.steps")
        if steps is not None and steps.value is not None and not (
                steps.value == int(steps.value) and 1 <= steps.value <= 1000):
            raise ValueError(_at(("uncertain", "crisis.steps", "value"), "is out of range",
                                 "an integer from 1 to 1000 (the ladder's micro-steps)"))
        lam = self.uncertain.get("crisis.lambda")
        if lam is not None:
            low = {"fixed": lam.value, "uniform": lam.low, "triangular": lam.low}.get(lam.dist)
            if lam.dist == "normal" or (low is not None and low <= 0):
                field = {"fixed": "value", "normal": "dist"}.get(lam.dist, "low")
                raise ValueError(_at(("uncertain", "crisis.lambda", field), "can give a rate <= 0",
                                     "a rate > 0 in every run: fixed, uniform or triangular above 0, "
                                     "or lognormal"))
        if self.mode == "historical":
            if self.horizon > HISTORICAL_LAST:
                raise ValueError(_at(("horizon",), "is after the historical panel's last year",
                                     f"{HISTORICAL_LAST} or earlier in historical mode"))
            if self.levers != Levers() or self.shocks:
                raise ValueError(_at(("levers" if self.levers != Levers() else "shocks",),
                                     "is set in historical mode",
                                     "none: historical mode takes the record as exogenous paths"))
        if self.horizon <= self.start_year:
            raise ValueError(f"horizon ({self.horizon}) must be after start_year ({self.start_year})")
        for i, s in enumerate(self.shocks):
            if not self.start_year <= s.year <= self.horizon:
                raise ValueError(
                    f"shocks[{i}].year={s.year} lies outside the run "
                    f"({self.start_year}-{self.horizon})")
        return self


class Parameter(_Strict):
    """One model parameter of a world: value, plausible range, distribution and citation."""

    value: float
    range: tuple[float, float]
    dist: Literal["fixed", "uniform", "triangular", "normal", "lognormal", "backbone"] = "fixed"
    unit: str = ""
    source: str = Field(min_length=3)
    claim: str | None = Field(None, description="for article worlds: the claim this encodes")

    @model_validator(mode="before")
    @classmethod
    def _from_backbone(cls, data):
        """`dist: backbone` takes value and range (estimate +- 2 SE) from the fitted backbone
        tables; a world that also writes them must agree with the tables."""
        if isinstance(data, dict) and data.get("dist") == "backbone":
            if "value" in data or "range" in data:
                raise ValueError("a backbone parameter takes its value and range from the fitted "
                                 "backbone (data/tables/backbone.csv); leave them out")
            name = data.get("_name")
            from umbrella.data.backbone import estimate
            coef, se = estimate(name)
            data = {k: v for k, v in data.items() if k != "_name"}
            data.update(value=coef, range=(coef - 2.0 * se, coef + 2.0 * se))
        elif isinstance(data, dict):
            data = {k: v for k, v in data.items() if k != "_name"}
        return data

    @model_validator(mode="after")
    def _in_range(self) -> "Parameter":
        lo, hi = self.range
        if not lo <= hi:
            raise ValueError(f"range low ({lo}) exceeds high ({hi})")
        if not lo <= self.value <= hi:
            raise ValueError(f"value {self.value} lies outside its range [{lo}, {hi}]")
        return self


class World(_Strict):
    id: str
    title: str
    title_ja: str = ""
    description: str = ""
    extends: str | None = None
    parameters: dict[str, Parameter]

    @model_validator(mode="before")
    @classmethod
    def _name_backbone(cls, data):
        # a backbone parameter needs its own name to find its estimate
        if isinstance(data, dict) and isinstance(data.get("parameters"), dict):
            data = dict(data)
            data["parameters"] = {k: ({**v, "_name": k} if isinstance(v, dict) and v.get("dist") == "backbone" else v)
                                  for k, v in data["parameters"].items()}
        return data
