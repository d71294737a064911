"""The allowed values of a scenario field named by a dotted path (e.g. `levers.consultation.KOR`,
`levers.dprk_deal.freeze`, `start_year`), read from the schema: the exploration layer samples
levers and scenario fields over these, and refuses a range outside them."""

from __future__ import annotations

import typing
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

from umbrella.data.facts import DEFAULT_ACTORS
from umbrella.errors import InputError
from umbrella.scenario.load import _split_path, _unwrap
from umbrella.scenario.schema import Scenario

# fields that are not a quantity of the modelled world (or change what a run is)
_NOT_FACTORS = {"id", "title", "title_ja", "description", "sources", "extends", "mode", "runs", "seed",
                "world", "actors", "shocks", "uncertain", "expect"}


@dataclass(frozen=True)
class Domain:
    """What a field accepts: `kind` real or int between `low` and `high` (None: unbounded by the
    schema), or choice among `values`."""

    path: str
    kind: Literal["real", "int", "choice"]
    low: float | None = None
    high: float | None = None
    values: tuple = ()

    def describe(self) -> str:
        if self.kind == "choice":
            return "one of " + ", ".join(str(v).lower() if isinstance(v, bool) else str(v) for v in self.values)
        lo = "-inf" if self.low is None else f"{self.low:g}"
        hi = "inf" if self.high is None else f"{self.high:g}"
        return f"{'an integer' if self.kind == 'int' else 'a number'} from {lo} to {hi}"


def _bounds(fi) -> tuple[float | None, float | None]:
    lo = hi = None
    for m in getattr(fi, "metadata", ()):
        for attr in ("ge", "gt"):
            if getattr(m, attr, None) is not None:
                lo = float(getattr(m, attr))
        for attr in ("le", "lt"):
            if getattr(m, attr, None) is not None:
                hi = float(getattr(m, attr))
    return lo, hi


# bounds a field validator (not the Field) enforces
_VALIDATOR_BOUNDS = {"us_troops": (0.0, 1_000_000.0)}


def domain(path: str, where: str = "fields") -> Domain:
    """The domain of the scenario field at `path`; InputError for a path that is not a settable
    scalar field (a mapping, a list, text, or not a field)."""
    segs = _split_path(path)
    allowed = "a scenario field holding one value, e.g. levers.us_troops.KOR, levers.consultation.JPN, " \
              "levers.dprk_deal.freeze, levers.china_warheads_target_2035, start_year"
    if not segs or segs[0] in _NOT_FACTORS:
        raise InputError(where, path, allowed, problem="is not a scenario field that can vary")
    ann: Any = Scenario
    fi = None
    name = ""
    for i, seg in enumerate(segs):
        base, members, _ = _unwrap(ann)
        if members:
            raise InputError(where, path, allowed, problem="is not a scenario field that can vary")
        if isinstance(base, type) and issubclass(base, BaseModel):
            if not isinstance(seg, str) or seg not in base.model_fields:
                raise InputError(where, path, allowed + f" (under {'.'.join(map(str, segs[:i])) or 'the scenario'}: "
                                 f"{', '.join(base.model_fields)})", problem="is not a known field")
            fi = base.model_fields[seg]
            ann, name = fi.annotation, seg
        elif typing.get_origin(base) is dict:
            if str(seg) not in DEFAULT_ACTORS:
                raise InputError(where, path, "an actor code: " + ", ".join(DEFAULT_ACTORS),
                                 problem=f"names no actor at {seg!r}")
            ann, fi = typing.get_args(base)[1], None
        else:
            raise InputError(where, path, allowed, problem="goes below a single value")
    base, members, _ = _unwrap(ann)
    if typing.get_origin(base) is Literal:
        return Domain(path, "choice", values=tuple(typing.get_args(base)))
    if base is bool:
        return Domain(path, "choice", values=(False, True))
    if base in (int, float):
        lo, hi = _bounds(fi) if fi is not None else (None, None)
        if (lo, hi) == (None, None) and name in _VALIDATOR_BOUNDS:
            lo, hi = _VALIDATOR_BOUNDS[name]
        return Domain(path, "int" if base is int else "real", lo, hi)
    raise InputError(where, path, allowed, problem="holds a mapping or text, not one value")
