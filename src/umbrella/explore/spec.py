"""The experiment file: a base scenario, the uncertainties, the policies and the outcomes,
declared apart from the model (EMA Workbench's separation), validated like scenarios.

    id: kor-arsenal-drivers
    base: status-quo-2025           # preset id or scenario file
    runs: 100                       # replicate runs per experiment (common random numbers)
    sampler: {method: lhs, n: 64, seed: 1}
    uncertainties:
      parameters:                   # world parameters; {} takes the world's documented range
        cred.lr_troops: {}
        prolif.sanctions: {low: 0.2, high: 0.6}
      fields:                       # scenario fields by dotted path
        levers.china_warheads_target_2035: {low: 600, high: 1500}
      worlds: [consensus, hawkish]  # the world as a categorical factor
    policies:
      named:
        status-quo: {}
        redeploy: {levers.forward_weapons.KOR: true}
      sampled: {n: 8, levers: {levers.consultation.KOR: {}}}
    outcomes:
      - status.KOR.arsenal.2040
      - {path: nuclear_use.any.2050, direction: min, threshold: 0.01}

`load_spec` returns an `Experiment` whose factors are resolved against the registry, the
schema and the base scenario; every bad value is an InputError naming the key, the value and
what is allowed.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from umbrella.errors import InputError
from umbrella.explore import outcomes as O
from umbrella.scenario import fields as F
from umbrella.scenario import load as scenario_load
from umbrella.scenario import registry

SAMPLERS = ("lhs", "factorial", "sobol", "morris")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Range(_Strict):
    """A factor's range (`low`, `high`) or its categorical `values`; empty: the documented range
    (a parameter's range in the world, a field's allowed values)."""

    low: float | None = None
    high: float | None = None
    values: list[Any] | None = None


class Sampler(_Strict):
    method: Literal["lhs", "factorial", "sobol", "morris"] = "lhs"
    n: int = Field(32, ge=1, le=1_000_000, description="lhs: points; sobol: N (a power of two); morris: "
                   "trajectories; factorial: unused (levels per factor)")
    levels: int | None = Field(None, ge=2, le=50, description="factorial: levels of each numeric factor (default "
                               "3); morris: grid levels (default 4, even)")
    second_order: bool = False
    seed: int = Field(1, ge=0, le=2**32 - 1)


class Uncertainties(_Strict):
    parameters: dict[str, Range] = Field(default_factory=dict)
    fields: dict[str, Range] = Field(default_factory=dict)
    worlds: list[str] = Field(default_factory=list)


class SampledPolicies(_Strict):
    n: int = Field(8, ge=1, le=10_000)
    seed: int = Field(2, ge=0, le=2**32 - 1)
    levers: dict[str, Range]


class Policies(_Strict):
    named: dict[str, dict[str, Any]] = Field(default_factory=dict)
    sampled: SampledPolicies | None = None


class OutcomeSpec(_Strict):
    path: str
    name: str | None = None
    direction: Literal["min", "max"] | None = None
    threshold: float | None = None


class Spec(_Strict):
    id: str = Field("experiment", min_length=1, max_length=80)
    title: str = ""
    base: str = Field(min_length=1)
    runs: int = Field(100, ge=1, le=1_000_000, description="replicate runs per experiment")
    seed: int | None = Field(None, ge=0, le=2**63 - 1, description="the runs' seed (None: the base scenario's)")
    unit: int | None = Field(None, ge=1, le=1_000_000, description="experiments per unit of work (None: about "
                             "10,000 runs per unit)")
    sampler: Sampler = Sampler.model_validate({})
    uncertainties: Uncertainties = Uncertainties()
    policies: Policies = Policies()
    outcomes: list[OutcomeSpec | str] = Field(min_length=1)

    @field_validator("id")
    @classmethod
    def _id(cls, v: str) -> str:
        if not all(c.isalnum() or c in "-_." for c in v):
            raise ValueError("id may hold letters, digits, '-', '_' and '.' only")
        return v


@dataclass(frozen=True)
class Factor:
    """One dimension of the uncertainty or lever space."""

    name: str                 # parameter name, field path, or "world"
    source: Literal["parameter", "field", "world"]
    kind: Literal["real", "int", "choice"]
    low: float = 0.0
    high: float = 0.0
    values: tuple = ()

    @property
    def numeric(self) -> bool:
        return self.kind != "choice"


@dataclass(frozen=True)
class Experiment:
    """A validated experiment file: the spec as written, the base scenario, the resolved
    factors (uncertainties), policies (name -> scenario fields, or sampled levers) and outcomes."""

    spec: Spec
    base_ref: str
    base: Any                              # the base Scenario
    factors: tuple[Factor, ...]
    named_policies: tuple[tuple[str, dict], ...]
    levers: tuple[Factor, ...]             # sampled policy levers
    outcomes: tuple[O.Outcome, ...]

    @property
    def seed(self) -> int:
        return int(self.spec.seed if self.spec.seed is not None else self.base.seed)

    @property
    def worlds(self) -> tuple[str, ...]:
        w = [f for f in self.factors if f.source == "world"]
        return tuple(w[0].values) if w else (self.base.world,)

    def digest(self) -> str:
        """The spec's hash: the validated spec, the base scenario as resolved (a changed preset
        file makes another experiment)."""
        canon = json.dumps({"spec": self.spec.model_dump(mode="json"),
                            "base": self.base.model_dump(mode="json")},
                           sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False)
        return hashlib.sha256(canon.encode()).hexdigest()[:16]


def _number(key: str, v: Any) -> float:
    if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v):
        raise InputError(key, v, "a finite number")
    return float(v)


def _parameter_factor(name: str, r: Range, worlds: list) -> Factor:
    key = f"uncertainties.parameters.{name}"
    if not registry.is_parameter(name):
        import difflib
        near = difflib.get_close_matches(name, registry.NAMES, n=3, cutoff=0.6)
        raise InputError(key, name, "a model parameter (docs/parameters.md)"
                         + (f", e.g. {', '.join(near)}" if near else ""), problem="is not a model parameter")
    if r.values is not None:
        raise InputError(f"{key}.values", r.values, "low and high (a parameter is a number)")
    lo = min(float(w.parameters[name].range[0]) for w in worlds)
    hi = max(float(w.parameters[name].range[1]) for w in worlds)
    low = lo if r.low is None else _number(f"{key}.low", r.low)
    high = hi if r.high is None else _number(f"{key}.high", r.high)
    if not lo <= low <= high <= hi:
        raise InputError(key, [low, high], f"a range inside the documented range [{lo:g}, {hi:g}] with low <= high",
                         problem="lies outside the parameter's allowed range")
    if low == high:
        raise InputError(key, [low, high], "a range with low < high (a fixed value belongs in the scenario's "
                         "`uncertain`)", problem="is empty")
    return Factor(name, "parameter", "real", low, high)


def _field_factor(path: str, r: Range, where: str) -> Factor:
    key = f"{where}.{path}"
    d = F.domain(path, where)
    if d.kind == "choice":
        if r.low is not None or r.high is not None:
            raise InputError(key, [r.low, r.high], d.describe(), problem="is a range for a field with named values")
        vals = tuple(d.values) if r.values is None else tuple(r.values)
        bad = [v for v in vals if v not in d.values or isinstance(v, bool) != isinstance(d.values[0], bool)]
        if bad:
            raise InputError(f"{key}.values", bad[0], d.describe())
        if len(vals) < 1 or len(set(vals)) != len(vals):
            raise InputError(f"{key}.values", list(vals), "distinct values, at least one")
        return Factor(path, "field", "choice", values=vals)
    if r.values is not None:
        vals = tuple(_number(f"{key}.values", v) for v in r.values)
        for v in vals:
            if (d.low is not None and v < d.low) or (d.high is not None and v > d.high):
                raise InputError(f"{key}.values", v, d.describe(), problem="lies outside the field's allowed range")
        return Factor(path, "field", "choice", values=tuple(int(v) if d.kind == "int" else v for v in vals))
    if r.low is None or r.high is None:
        if d.low is None or d.high is None:
            raise InputError(key, "{}", f"low and high ({d.describe()})", problem="needs a range")
    low = d.low if r.low is None else _number(f"{key}.low", r.low)
    high = d.high if r.high is None else _number(f"{key}.high", r.high)
    assert low is not None and high is not None
    if (d.low is not None and low < d.low) or (d.high is not None and high > d.high) or not low < high:
        raise InputError(key, [low, high], f"a range with low < high within {d.describe()}",
                         problem="lies outside the field's allowed range")
    return Factor(path, "field", d.kind, low, high)


def _check_fields(base, fields: dict, where: str) -> None:
    """A policy's or a factor's fields apply to the base scenario (the schema checks them)."""
    try:
        scenario_load.with_fields(base, fields)
    except InputError as e:
        raise InputError(f"{where}: {e.path}", e.value, e.allowed, problem=e.problem) from None


def resolve(spec: Spec, base_dir: str | os.PathLike | None = None) -> Experiment:
    """Validate a spec against the registry, the schema, the worlds and the base scenario."""
    base_ref = spec.base
    if base_dir is not None and base_ref.endswith((".yaml", ".yml")) and not os.path.isabs(base_ref):
        cand = os.path.join(base_dir, base_ref)
        if os.path.exists(cand):
            base_ref = cand
    try:
        base = scenario_load.load_scenario(base_ref)
    except InputError as e:
        raise InputError(f"base: {e.path}", e.value, e.allowed, problem=e.problem) from None
    if base.mode != "annual":
        raise InputError("base", spec.base, "a scenario of the annual model", problem="is a historical scenario")
    u = spec.uncertainties
    world_ids = list(u.worlds) or [base.world]
    if len(set(world_ids)) != len(world_ids):
        raise InputError("uncertainties.worlds", world_ids, "distinct world ids")
    worlds = []
    for w in world_ids:
        try:
            worlds.append(scenario_load.load_world(w))
        except InputError as e:
            raise InputError(f"uncertainties.worlds: {e.path}", e.value, e.allowed, problem=e.problem) from None
    from umbrella.engine.run import preflight
    for world in worlds:   # the base builds in every world, as `umbrella validate` and `run` check it
        try:
            preflight(base, world)
        except InputError as e:
            raise InputError(f"base: {e.path}", e.value, e.allowed, problem=e.problem) from None
    factors: list[Factor] = [_parameter_factor(n, r, worlds) for n, r in u.parameters.items()]
    for path, r in u.fields.items():
        factors.append(_field_factor(path, r, "uncertainties.fields"))
    if u.worlds:
        factors.append(Factor("world", "world", "choice", values=tuple(world_ids)))
    named = []
    for name, fields in spec.policies.named.items():
        if not name or len(name) > 60:
            raise InputError("policies.named", name, "a name of 1 to 60 characters")
        for path in fields:
            F.domain(path, f"policies.named.{name}")
        _check_fields(base, fields, f"policies.named.{name}")
        named.append((name, dict(fields)))
    levers: list[Factor] = []
    if spec.policies.sampled is not None:
        if not spec.policies.sampled.levers:
            raise InputError("policies.sampled.levers", {}, "at least one lever path with its range or values",
                             problem="is empty")
        levers = [_field_factor(p, r, "policies.sampled.levers") for p, r in spec.policies.sampled.levers.items()]
    overlap = {f.name for f in factors} & ({f.name for f in levers} | {p for _, fl in named for p in fl})
    if overlap:
        raise InputError("policies", sorted(overlap)[0], "a lever that is not also an uncertainty",
                         problem="is both an uncertainty and a policy lever")
    if not factors:
        raise InputError("uncertainties", {}, "at least one parameter, field or world", problem="is an empty space")
    outs = []
    for i, o in enumerate(spec.outcomes):
        oc = OutcomeSpec(path=o) if isinstance(o, str) else o
        outs.extend(O.parse(oc.path, name=oc.name, direction=oc.direction, threshold=oc.threshold,
                            where=f"outcomes[{i}]", scenario=base))
    names = [o.name for o in outs]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise InputError("outcomes", dup[0], "distinct outcome names", problem="is declared twice")
    # a factor or lever that moves the run's window must leave every outcome's year inside it
    lo, hi = float(base.start_year), float(base.horizon)
    for f in (*factors, *levers):
        if f.name in ("start_year", "horizon"):
            vals = [float(v) for v in f.values] if f.kind == "choice" else [f.low, f.high]
            lo, hi = (max(lo, max(vals)), hi) if f.name == "start_year" else (lo, min(hi, min(vals)))
    late = [o for o in outs if not lo <= o.year <= hi]
    if late:
        raise InputError("outcomes", late[0].path, f"a year from {lo:g} to {hi:g} (inside every run the design "
                         "makes: start_year and horizon vary)", problem="lies outside some runs")
    ex = Experiment(spec, base_ref, base, tuple(factors), tuple(named), tuple(levers), tuple(outs))
    _check_sampler(ex)
    for f in factors:
        for v in (f.values if f.source == "field" and f.kind == "choice" else
                  (f.low, f.high) if f.source == "field" else ()):
            _check_fields(base, {f.name: v}, f"uncertainties.fields.{f.name}")
    return ex


def _check_sampler(ex: Experiment) -> None:
    s = ex.spec.sampler
    if s.method in ("sobol", "morris"):
        cat = [f.name for f in ex.factors if f.kind == "choice"]
        if cat:
            raise InputError(f"uncertainties ({cat[0]})", s.method, "lhs or factorial for a space with categorical "
                             "factors (worlds, named values); Sobol and Morris need numeric ranges",
                             problem="does not fit the space")
    if s.method == "sobol" and (s.n & (s.n - 1)) != 0:
        raise InputError("sampler.n", s.n, "a power of two for Sobol (Saltelli's scheme), e.g. 64, 256, 1024")
    if s.method == "sobol" and len(ex.factors) < 2:
        raise InputError("uncertainties", len(ex.factors), "at least two factors for Sobol indices")


def load_spec(path_or_text: str | os.PathLike) -> Experiment:
    """Read (safe YAML, unique keys) and validate an experiment file."""
    data = scenario_load.read_yaml(path_or_text, "experiment")
    if not isinstance(data, dict):
        raise InputError("experiment", type(data).__name__, "a mapping with base, uncertainties and outcomes")
    # the scenarios' validation: the message names the key path, the value and what is allowed
    spec = scenario_load._validate(Spec, data)
    base_dir = os.path.dirname(os.fspath(path_or_text)) if os.path.exists(os.fspath(path_or_text)) else None
    return resolve(spec, base_dir)
