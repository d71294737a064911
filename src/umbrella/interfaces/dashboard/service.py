"""What the dashboard does, without Dash: build a scenario from the widgets (a preset plus
`--set` overrides, resolved by the same loader as the command line), run it within the limits,
cache results, and turn a summary into the briefings' headline table. Every function takes
and returns plain data, so the callbacks stay thin and are tested without a browser."""

from __future__ import annotations

import hashlib
import os
import tempfile
import threading
import time
import typing
from collections import OrderedDict
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import yaml

from umbrella.errors import InputError

ALLIES = ("KOR", "JPN", "TWN")
DATA = "(data)"          # a widget left at the data: no override


def _is_model(t) -> bool:
    return isinstance(t, type) and hasattr(t, "model_fields")


def _levers() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """The levers as widgets, read from the schema: (per ally, global, the DPRK deal's terms,
    the terms of per-ally structures). Per-ally levers are the `{ACTOR: value}` ones; a per-ally
    structure (`defence_target`: share and year) gets one widget per term (`defence_target.share`)."""
    from umbrella.scenario.schema import Levers
    per, glob, deal, struct = [], [], [], []
    for name, f in Levers.model_fields.items():
        ann = f.annotation
        if typing.get_origin(ann) is dict:
            value = typing.get_args(ann)[1]
            if _is_model(value):
                struct += [f"{name}.{k}" for k in value.model_fields]
            else:
                per.append(name)
            continue
        models = [a for a in typing.get_args(ann) if _is_model(a)]
        if models:
            deal += [f"{name}.{k}" for k in models[0].model_fields]
            continue
        glob.append(name)
    return tuple(per), tuple(glob), tuple(deal), tuple(struct)


PER_ALLY, GLOBAL, NESTED, PER_ALLY_TERMS = _levers()


@dataclass(frozen=True)
class Limits:
    """The work one request may ask for, and how many simulations run at once (the rest wait)."""

    max_runs: int = 20_000
    max_horizon: int = 2075
    max_parallel: int = 1
    cache_size: int = 32
    # worker processes that share one simulation's runs (0: in the server's process)
    workers: int = min(2, os.cpu_count() or 1) if (os.cpu_count() or 1) > 1 else 0


def _field(name: str):
    """The schema field of a lever, or of a term of a structured lever (`dprk_deal.freeze`,
    `defence_target.share`)."""
    from umbrella.scenario.schema import Levers
    head, _, sub = name.partition(".")
    f = Levers.model_fields[head]
    if sub:
        args = typing.get_args(f.annotation)
        if typing.get_origin(f.annotation) is dict:
            args = (args[1],)
        model = [a for a in args if _is_model(a)][0]
        f = model.model_fields[sub]
    return f


def lever_choices(name: str) -> tuple[str, list]:
    """('bool' | 'choice' | 'number', allowed values) of a lever (per ally, global or a term of
    the DPRK deal), read from the scenario schema: the widgets offer what the loader accepts."""
    ann = _field(name).annotation
    args = typing.get_args(ann)
    if typing.get_origin(ann) is dict:
        ann = args[1]
        args = typing.get_args(ann)
    if ann is bool:
        return "bool", [True, False]
    lits = [a for a in (args or (ann,)) if typing.get_origin(a) is typing.Literal]
    if typing.get_origin(ann) is typing.Literal:
        return "choice", list(typing.get_args(ann))
    if lits:
        return "choice", list(typing.get_args(lits[0]))
    if bool in args:
        return "bool", [True, False]
    return "number", []


def lever_doc(name: str) -> str:
    return _field(name).description or ""


def overrides(values: dict[str, object]) -> list[str]:
    """`--set` strings of the widgets' values: keys `lever` or `lever.ACTOR`; DATA or None: none."""
    out = []
    for key, v in values.items():
        if v is None or v == DATA or v == "":
            continue
        if isinstance(v, bool):
            v = "true" if v else "false"
        out.append(f"levers.{key}={v}")
    return out


def shock(kind: str, year: object, target: str | None, value: str | None, fields: str | None) -> dict:
    """One dated shock from the shock form: its type and year, the target, the value (read as
    YAML: a number, true/false or a word) and any other fields as a YAML mapping
    (`{tone: negative}`); validated by the scenario schema when the scenario loads."""
    from umbrella.scenario.schema import SHOCK_TYPES
    if kind not in SHOCK_TYPES:
        raise InputError("shock type", kind, ", ".join(SHOCK_TYPES))
    try:
        y = int(year)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise InputError("shock year", year, "a year, e.g. 2030") from None
    out: dict = {"type": kind, "year": y}
    if target:
        out["target"] = target
    if value not in (None, ""):
        out["value"] = yaml.safe_load(str(value))
    if fields not in (None, ""):
        extra = yaml.safe_load(str(fields))
        if not isinstance(extra, dict):
            raise InputError("shock fields", fields, "a YAML mapping, e.g. {tone: negative}")
        out.update(extra)
    return out


def scenario_yaml(preset: str, sets: list[str], shocks: list[dict] | None = None) -> str:
    """The scenario as a YAML document: `extends` the preset, with the levers set and the dated
    shocks added to the preset's (`shocks_add`)."""
    doc: dict = {"id": f"{preset}-dashboard", "extends": preset}
    levers: dict = {}
    for s in sets:
        path, _, raw = s.partition("=")
        keys = path.split(".")[1:]
        val = yaml.safe_load(raw)
        node = levers
        for k in keys[:-1]:
            node = node.setdefault(k, {})
        node[keys[-1]] = val
    if levers:
        doc["levers"] = levers
    if shocks:
        doc["shocks_add"] = list(shocks)
    return yaml.safe_dump(doc, sort_keys=False, allow_unicode=True)


@contextmanager
def scenario_path(text: str):
    """The page's YAML as a scenario file for the loader and the analyses (which take a preset id
    or a path), removed afterwards."""
    if len(text) > 200_000:
        raise InputError("scenario", f"{len(text):,} characters", "a scenario file under 200,000 characters")
    with tempfile.TemporaryDirectory() as d:
        p = Path(d) / "scenario.yaml"
        p.write_text(text, encoding="utf-8")
        yield p


def load_text(text: str, fields: dict | None = None):
    """A scenario from YAML text, validated by the command line's loader (safe YAML, the same
    schema, the same messages)."""
    from umbrella.scenario import load_scenario
    with scenario_path(text) as p:
        try:
            return load_scenario(p, fields=fields or {})
        except InputError as e:     # the page's editor, not the temporary file, is the source
            def here(x):
                return x.replace(str(p), "YAML") if isinstance(x, str) else x
            raise InputError(here(e.path), here(e.value), here(e.allowed), problem=here(e.problem)) from None


def check_limits(runs: object, limits: Limits) -> int:
    try:
        n = int(runs)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise InputError("runs", runs, f"an integer from 100 to {limits.max_runs:,}") from None
    if not 100 <= n <= limits.max_runs:
        raise InputError("runs", runs, f"an integer from 100 to {limits.max_runs:,} (this dashboard's limit)")
    return n


class Runner:
    """Runs scenarios one (or `max_parallel`) at a time, the runs of each split over the worker
    processes (`Limits.workers`), and serves a result of the same inputs from a cache (keyed by
    the scenario's hash, world and runs). `progress(token)`: the share of a running job done."""

    def __init__(self, limits: Limits):
        self.limits = limits
        self._gate = threading.BoundedSemaphore(limits.max_parallel)
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, dict] = OrderedDict()
        self._running: dict[str, list[float]] = {}       # token -> [runs done, runs, start time]
        self.hits = 0
        self.pool = None
        if limits.workers > 1:
            from umbrella.interfaces.dashboard.workers import Pool
            self.pool = Pool(limits.workers)

    def summary(self, text: str, world: str, runs: object, token: str | None = None) -> tuple[dict, bool]:
        """(the JSON summary, served from the cache?)."""
        from umbrella.results.stream import accumulate, finish
        from umbrella.scenario import load_world, scenario_hash
        n = check_limits(runs, self.limits)
        sc = load_text(text, {"runs": n, "world": world})
        if sc.horizon > self.limits.max_horizon:
            raise InputError("horizon", sc.horizon, f"a year up to {self.limits.max_horizon} (this dashboard's limit)")
        key = hashlib.sha256(f"{scenario_hash(sc)}|{sc.world}|{n}".encode()).hexdigest()
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                self.hits += 1
                return self._cache[key], True
        w = load_world(sc.world)
        job = token or key
        with self._gate:
            self._running[job] = [0.0, float(n), time.perf_counter()]
            try:
                if self.pool is not None:
                    acc = self.pool.run(text, world, n, job)
                else:
                    def tick(done: float) -> None:
                        self._running[job][0] = done
                    acc = accumulate(sc, w, on_year=tick)
                s = finish(acc, sc, w)
            finally:
                self._running.pop(job, None)
        with self._lock:
            self._cache[key] = s
            while len(self._cache) > self.limits.cache_size:
                self._cache.popitem(last=False)
        return s, False

    def progress(self, token: str) -> tuple[float, float] | None:
        """(share done, seconds since it started) of `token`'s running simulation (None: none)."""
        r = self._running.get(token)
        if r is None:
            return None
        if self.pool is not None:       # never back (the workers' count ends before the merge)
            r[0] = max(r[0], self.pool.done(token))
        done = r[0]
        return min(1.0, done / r[1]) if r[1] else 0.0, time.perf_counter() - r[2]

    def close(self) -> None:
        if self.pool is not None:
            self.pool.shutdown()


def headline(summary: dict, lang: str) -> list[dict]:
    """The report's headline rows (label, value, interval, rare)."""
    from umbrella.interfaces.briefing.report import headline_rows
    return headline_rows(summary, lang)


def stores_under(root) -> list[str]:
    """The exploration stores (directories with a manifest.json) under `root`, up to two levels
    down, as paths relative to it; none without a root. The page may open only these."""
    if root is None:
        return []
    base = Path(root).resolve()
    found = []
    for m in sorted(base.glob("manifest.json")) + sorted(base.glob("*/manifest.json")) + \
            sorted(base.glob("*/*/manifest.json")):
        rel = m.parent.relative_to(base).as_posix()
        found.append(rel or ".")
    return found


def store_path(root, name: str) -> Path:
    """The store `name` (one of `stores_under(root)`) as a path inside the root."""
    base = Path(root).resolve()
    p = (base / name).resolve()
    if base != p and base not in p.parents:
        raise InputError("store", name, f"a store under {base}")
    return p
