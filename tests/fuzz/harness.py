"""The fuzzing harness (issue 19): hypothesis strategies over scenario files, experiment files,
`--set` expressions and whole command lines, each input run in process through the real entry
points. `run(counts)` returns the figures; tests/fuzz/test_fuzz.py drives a short profile (in the
suite) and the long one (`make fuzz`).

What is checked, for every input:
* it is accepted, or refused with `InputError` (command lines: exit 2; click's usage errors
  count as refusals); anything else raised is a crash;
* every refusal is one line;
* an accepted scenario builds (engine preflight) and a small run of it (4 runs, two years) gives
  a JSON summary with no NaN and every probability or share in [0, 1]; identical scenarios run
  once (`RUN_CAP` distinct ones per strategy at most), the rest are only loaded and validated.
"""

from __future__ import annotations

import contextlib
import copy
import json
import math
import tempfile
import time
import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from umbrella.errors import InputError
from umbrella.scenario import load as L
from umbrella.scenario import registry
from umbrella.scenario.schema import SHOCK_TYPES

ROOT = Path(__file__).resolve().parents[2]
PRESETS = {p.stem: L.read_yaml(p, p.name) for p in sorted(L.PRESET_DIR.glob("*.yaml"))}
EXAMPLES = {p.stem: L.read_yaml(p, p.name) for p in sorted((ROOT / "docs" / "examples" / "explore").glob("*.yaml"))}
EXAMPLES["minimal"] = {"id": "m", "base": "status-quo-2025", "runs": 2, "sampler": {"method": "lhs", "n": 4},
                       "uncertainties": {"parameters": {"cred.lr_troops": {}}},
                       "outcomes": ["status.KOR.pursue.2030"]}

# ------------------------------------------------------------------------------------------
# Values


SPECIAL_NUMBERS = [0, -1, 1, 2, 1945, 2017, 2025, 2100, 2101, 10**7, 10**7 + 1, 2**31, 2**63 - 1, 2**63, -2**63,
                   10**30, 0.5, -0.5, 1e-300, 5e-324, 1e308, -1e308, 1.7976931348623157e308]
SPECIAL_STRINGS = ["", " ", "many", "nan", "NaN", ".nan", "inf", "-inf", ".inf", "null", "~", "true", "no", "0x10",
                   "1e3", "KOR", "kor", "USA", "XXX", "status-quo-2025", "consensus", "hawkish", "s.yaml",
                   "../s.yaml", "/nonexistent/x.yaml", "/dev/null.yaml", "a" * 5000, "\x00", "\u202e", "\ufeff",
                   "韓国", "🙂" * 10, "${HOME}", "%s%s%n", "{{x}}", "'", '"', "\\", "\n", "a\nb", "<<", "*a",
                   "&a", "!!python/object", "--help", "-", "2030", "2030.5", "korea", "war", "fixed", "uniform"]
FLOATS = st.floats(allow_nan=True, allow_infinity=True)


def nested(depth: int, leaf: Any = 1, kind: str = "list") -> Any:
    v = leaf
    for _ in range(depth):
        v = [v] if kind == "list" else {"k": v}
    return v


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-2**70, 2**70), st.sampled_from(SPECIAL_NUMBERS), FLOATS,
    st.sampled_from(SPECIAL_STRINGS), st.text(max_size=20))
weird = st.one_of(
    scalars, scalars, scalars,
    st.lists(scalars, max_size=4), st.dictionaries(st.text(max_size=6), scalars, max_size=3),
    st.builds(nested, st.integers(1, 80), scalars, st.sampled_from(["list", "dict"])))


def paths_of(doc: Any, prefix: tuple = ()) -> list[tuple]:
    out = [prefix] if prefix else []
    if isinstance(doc, dict):
        for k, v in doc.items():
            out += paths_of(v, prefix + (k,))
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            out += paths_of(v, prefix + (i,))
    return out


def _parent(doc: Any, path: tuple) -> tuple[Any, Any]:
    node = doc
    for p in path[:-1]:
        node = node[p]
    return node, path[-1]


@st.composite
def mutated(draw, docs: dict[str, dict]) -> dict:
    """A document of `docs` with one to four mutations: a key dropped, a value replaced by a wrong
    type, an extreme or non-finite number, unicode or deep nesting, a key added, a value wrapped."""
    doc = copy.deepcopy(docs[draw(st.sampled_from(sorted(docs)))])
    for _ in range(draw(st.integers(1, 4))):
        paths = paths_of(doc)
        op = draw(st.sampled_from(["drop", "replace", "replace", "replace", "add", "wrap", "top"]))
        if op == "top" or not paths:
            key = draw(st.sampled_from(["runs", "seed", "start_year", "horizon", "world", "extends", "mode",
                                        "actors", "levers", "shocks", "shocks_add", "uncertain", "id", "base",
                                        "sampler", "outcomes", "policies", "uncertainties", "expect"]))
            doc[key] = draw(weird)
            continue
        path = draw(st.sampled_from(paths))
        parent, key = _parent(doc, path)
        if op == "drop":
            del parent[key]
        elif op == "replace":
            parent[key] = draw(weird)
        elif op == "wrap":
            parent[key] = draw(st.sampled_from([[parent[key]], {"x": parent[key]}, str(parent[key])]))
        elif isinstance(parent[key], dict):
            parent[key][draw(st.one_of(st.sampled_from(["KOR", "bogus", "crisis.lambda", "dist", "0"]),
                                       st.text(max_size=8)))] = draw(weird)
        elif isinstance(parent[key], list):
            parent[key].append(draw(weird))
        else:
            parent[key] = draw(weird)
    return doc


RAW = [
    # alias bombs ("billion laughs") and recursive aliases
    "a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(f"{b}: &{b} [{','.join(['*' + a] * 10)}]\n"
                                           for a, b in zip("abcdefgh", "bcdefghi", strict=True)) + "runs: *i\n",
    "levers: &l {us_troops: *l}\n", "runs: &r [*r]\n",
    # unsafe and unknown tags
    "runs: !!python/object/apply:os.system ['true']\n", "title: !!python/name:os.system\n",
    "title: !!python/object:collections.OrderedDict {}\n", "levers: !!set {a, b}\n", "title: !!binary aGVsbG8=\n",
    "title: !custom x\n", "runs: !!float 5\n", "start_year: !!timestamp 2025-01-01\n", "shocks: !!omap [a: 1]\n",
    # structure
    "", "# only a comment\n", "- a\n- b\n", "42\n", "---\na: 1\n---\nb: 2\n", "runs: 1\nruns: 2\n",
    "base: &b {runs: 5}\nlevers:\n  <<: *b\n", "\ufeffruns: 5\n", "runs:\t5\n", "runs: [\n", "runs: '\n",
    "a: " + "[" * 2000 + "]" * 2000 + "\n", "a: " + "{b: " * 200 + "1" + "}" * 200 + "\n",
    "title: \x07\n", "title: \ud800\n", "? [a, b]\n: 1\n", "{runs: 5}: 1\n", "runs: 0o17\n", "runs: 1_000\n",
    "runs: 1e3\n", "horizon: 2030.0\n", "uncertain:\n  crisis.lambda: {dist: normal, mean: .nan, sd: 1}\n",
]


@st.composite
def scenario_text(draw) -> str:
    """A preset mutated and dumped, or a preset's text with a raw fragment (alias bomb, unsafe
    tag, deep nesting, broken YAML) added or spliced in."""
    if draw(st.integers(0, 9)) < 7:
        return yaml.safe_dump(draw(mutated(PRESETS)), allow_unicode=draw(st.booleans()), sort_keys=False)
    base = yaml.safe_dump(PRESETS[draw(st.sampled_from(sorted(PRESETS)))], allow_unicode=True, sort_keys=False)
    frag = draw(st.one_of(st.sampled_from(RAW), st.text(max_size=60)))
    how = draw(st.sampled_from(["alone", "append", "prepend", "splice"]))
    if how == "alone":
        return frag
    if how == "append":
        return base + frag
    if how == "prepend":
        return frag + base
    lines = base.splitlines(keepends=True)
    i = draw(st.integers(0, max(0, len(lines) - 1)))
    return "".join(lines[:i]) + frag + "".join(lines[i + 1:])


@st.composite
def experiment_text(draw) -> str:
    if draw(st.integers(0, 9)) < 8:
        return yaml.safe_dump(draw(mutated(EXAMPLES)), allow_unicode=True, sort_keys=False)
    base = yaml.safe_dump(EXAMPLES[draw(st.sampled_from(sorted(EXAMPLES)))], sort_keys=False)
    return base + draw(st.sampled_from(RAW))


# --set expressions: paths from the schema, with junk
ACTORS = ["KOR", "JPN", "TWN", "USA", "PRK", "XXX", "kor", ""]
PATHS = (["runs", "seed", "start_year", "horizon", "world", "mode", "id", "title", "actors", "extends", "shocks",
          "shocks_add", "uncertain", "levers", "levers.us_administration", "levers.rok_camp", "levers.burden_sharing",
          "levers.china_warheads_target_2035", "levers.dprk_test_moratorium", "levers.dprk_icbm_capability",
          "levers.dprk_mrbm_capability", "levers.crisis_onsets", "levers.dprk_deal", "levers.dprk_deal.freeze",
          "levers.us_theater_nuclear", "levers.trilateral_coordination", "levers.us_declaratory_dprk",
          "levers.defence_target", "shocks.0", "shocks[0].year", "shocks.0.type", "shocks.1.target",
          "shocks.99.year", "shocks.-1.year", "expect", "sources.0.ref", "bogus", "levers.bogus", ".", "..",
          "a..b", "[0]", "levers.us_troops.KOR.x"]
         + [f"levers.{m}.{a}" for m in ("us_troops", "consultation", "nuclear_sharing", "forward_weapons",
                                        "us_permits_nuclear", "status", "tnw_forward_based") for a in ACTORS]
         + [f"levers.defence_target.{a}{s}" for a in ("JPN", "KOR") for s in ("", ".share", ".by")])
PARAM_NAMES = list(registry.NAMES[::7]) + ["crisis.steps", "crisis.lambda", "crisis.deal_cap_factor", "bogus",
                                           "crisis.korea.onset"]
VALUES = ["0", "1", "-5", "many", "2030", "1e308", ".nan", ".inf", "-.inf", "true", "null", "", "[1, 2]",
          "{share: 0.02, by: 2030}", "{share: .nan, by: 2030}", "planning_group", "conservative", "america_first",
          "[{year: 2030, type: war, theatre: korea}]", "[{year: 2030, type: troops, target: KOR, value: 0}]",
          "{dist: fixed, value: 1}", "{dist: uniform, low: 1, high: 3}", "{dist: normal, mean: 1, sd: 0}",
          "{dist: lognormal, mean: -1, sd: 1}", "{dist: triangular, low: 3, mode: 1, high: 2}",
          "!!python/object/apply:os.system [true]", "&a [*a]", "[" * 100 + "]" * 100, "{a: 1", "'x",
          "[KOR, USA]", "[USA, USA]", "historical", "status-quo-2025", "consensus", "nope", "2**63"]


PLAUSIBLE = ["runs=5", "seed=3", "start_year=2030", "horizon=2040", "world=kelly", "levers.rok_camp=progressive",
             "levers.us_troops.KOR=0", "levers.us_troops.JPN=100000", "levers.consultation.KOR=planning_group",
             "levers.nuclear_sharing.JPN=slcm", "levers.forward_weapons.KOR=true", "levers.status.KOR=explore",
             "levers.defence_target.JPN={share: 0.02, by: 2030}", "levers.dprk_deal={freeze: true}",
             "levers.china_warheads_target_2035=1500", "levers.dprk_icbm_capability=0.5",
             "levers.us_administration=america_first", "levers.crisis_onsets=false", "levers.us_theater_nuclear=high",
             "uncertain.cred.lr_troops={dist: uniform, low: 0.3, high: 0.7}", "uncertain.crisis.lambda={dist: fixed, "
             "value: 3}", "uncertain.crisis.steps={dist: fixed, value: 12}", "shocks_add=[{year: 2030, type: war, "
             "theatre: korea}]", "shocks_add=[{year: 2026, type: nuclear_test}]", "shocks=[]", "actors=null",
             "uncertain.prolif.sanctions={dist: normal, mean: 0.5, sd: 0.1}", "levers.trilateral_coordination=high"]


@st.composite
def set_expression(draw) -> str:
    kind = draw(st.integers(0, 9))
    if kind >= 7:   # a plausible one: a known path with a value of its kind
        return draw(st.sampled_from(PLAUSIBLE))
    if kind == 0:
        return draw(st.text(max_size=40))
    if kind <= 2:
        name = draw(st.sampled_from(PARAM_NAMES))
        sub = draw(st.sampled_from(["", ".dist", ".value", ".low", ".high", ".sd", ".mean", ".mode", ".bogus"]))
        path = f"uncertain.{name}{sub}"
    elif kind == 3:
        path = draw(st.text(alphabet=st.sampled_from(list("abcKOR._[]0129 ésü")), max_size=25))
    else:
        path = draw(st.sampled_from(PATHS))
    if path.startswith("shocks") and draw(st.booleans()):
        value = "{year: %d, type: %s}" % (draw(st.integers(2020, 2060)), draw(st.sampled_from(SHOCK_TYPES)))
    else:
        value = draw(st.one_of(st.sampled_from(VALUES), st.sampled_from(VALUES), st.text(max_size=20),
                               FLOATS.map(repr), st.integers(-2**70, 2**70).map(str)))
    return f"{path}={value}" if draw(st.integers(0, 19)) else path + value


set_input = st.tuples(
    st.sampled_from(sorted(PRESETS)), st.lists(set_expression(), min_size=1, max_size=3),
    st.just({}) | st.fixed_dictionaries({}, optional={
        "runs": st.one_of(st.integers(-3, 30), st.sampled_from([10**7 + 1, 2**63])),
        "start_year": st.integers(1940, 2105), "horizon": st.integers(2020, 2105),
        "world": st.sampled_from(["consensus", "kelly", "nope", "x.yaml", ""]),
        "seed": st.integers(-5, 2**64)}))

# command lines
COMMANDS = {
    "validate": ["--set", "--runs", "--world", "--start-year", "--horizon"],
    "run": ["--set", "--runs", "--world", "--worlds", "--seed", "--start-year", "--horizon", "--batch-size",
            "--lang"],
    "crisis": ["--set", "--runs", "--world", "--seed"],
    "compare": ["--set", "--runs", "--world", "--worlds", "--seed", "--lang"],
    "explain": ["--set", "--runs", "--world", "--seed", "--actor", "--event", "--by"],
    "data": ["--year", "--lang"], "presets": ["--json"], "worlds": ["--json"], "parameters": ["--world", "--json"],
    "explore validate": [],
}
TOKENS = ["status-quo-2025", "korean-war", "historical", "taiwan-crisis", "korea", "taiwan", "europe", "nope",
          "KOR", "JPN", "arsenal", "pursue", "explore", "consensus", "kelly", "all", "consensus,kelly", "0", "1",
          "3", "-1", "2027", "2030", "2016", "1e3", "many", "en", "ja", "xx", "--help", "--", "-", "=", "",
          "levers.us_troops.KOR=0", "runs=many", "uncertain.crisis.steps={dist: uniform, low: 1, high: 3}",
          "docs/examples/explore/kor-drivers.yaml", "/nonexistent.yaml", "--bogus", "-x"]
HEAVY = {"run", "crisis", "compare", "explain"}


@st.composite
def command_line(draw) -> list[str]:
    cmd = draw(st.sampled_from(sorted(COMMANDS)))
    args = cmd.split()
    opts = COMMANDS[cmd]
    positional = {"run": 1, "crisis": 2, "compare": 2, "explain": 1, "data": 1, "validate": 1,
                  "explore validate": 1}.get(cmd, 0)
    for i in range(positional if draw(st.integers(0, 4)) else draw(st.integers(0, positional + 1))):
        good = {"crisis": ["korea", "taiwan", "europe", "east-china-sea"]}.get(cmd) if i == 0 else None
        if cmd == "explore validate":
            good = [str(p) for p in sorted((ROOT / "docs" / "examples" / "explore").glob("*.yaml"))]
        args.append(draw(st.sampled_from(good or sorted(PRESETS))) if draw(st.integers(0, 3))
                    else draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12))))
    if cmd == "explain" and draw(st.integers(0, 3)):
        args += ["--actor", draw(st.sampled_from(["KOR", "JPN", "kor", "XXX"])),
                 "--event", draw(st.sampled_from(["arsenal", "pursue", "nope"]))]
    for _ in range(draw(st.integers(0, 4))):
        if opts and draw(st.integers(0, 4)):
            o = draw(st.sampled_from(opts))
            args += [o] if o == "--json" else [o, draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12),
                                                                  st.integers(-10, 3000).map(str)))]
        elif not draw(st.integers(0, 3)):
            args.append(draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12))))
    return args


# ------------------------------------------------------------------------------------------
# Checks


PROB_SECTIONS = {"status", "npt", "credibility", "credibility_other", "alignment", "us_america_first", "war",
                 "nuclear_use", "strategic_exchange", "intervals", "first_use", "rung_reached", "p", "after"}


def check_output(obj: Any) -> str | None:
    """None when the JSON output has no NaN or infinity and every probability or share (the sections
    above; keys p_*) lies in [0, 1]; else what is wrong."""
    try:
        json.dumps(obj, allow_nan=False)
    except ValueError as e:
        return f"non-finite number in the output: {e}"

    def walk(o: Any, path: str, prob: bool) -> str | None:
        if isinstance(o, dict):
            for k, v in o.items():
                bad = walk(v, f"{path}.{k}", prob or k in PROB_SECTIONS or str(k).startswith("p_"))
                if bad:
                    return bad
        elif isinstance(o, list):
            for i, v in enumerate(o):
                bad = walk(v, f"{path}[{i}]", prob)
                if bad:
                    return bad
        elif isinstance(o, float) and not math.isfinite(o):
            return f"{path} = {o}"
        elif prob and isinstance(o, (int, float)) and not isinstance(o, bool) \
                and "year" not in path and "n_first" not in path and not path.endswith((".runs", ".level")):
            lo = -1.0 if ".diff." in path else 0.0   # compare: differences of probabilities
            if not lo <= o <= 1.0:
                return f"{path} = {o} is a probability{' difference' if lo else ''} outside [{lo:g}, 1]"
        return None
    return walk(obj, "", False)


@dataclass
class Stats:
    inputs: Counter = field(default_factory=Counter)
    accepted: Counter = field(default_factory=Counter)
    rejected: Counter = field(default_factory=Counter)
    usage: Counter = field(default_factory=Counter)
    ran: Counter = field(default_factory=Counter)
    run_refused: Counter = field(default_factory=Counter)
    seconds: Counter = field(default_factory=Counter)
    crashes: list = field(default_factory=list)
    bad_outputs: list = field(default_factory=list)
    multiline: list = field(default_factory=list)
    seen: set = field(default_factory=set)

    def crash(self, strategy: str, what: Any, exc: BaseException) -> None:
        tb = traceback.extract_tb(exc.__traceback__)
        where = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"
        self.crashes.append((strategy, f"{type(exc).__name__}: {str(exc)[:200]} at {where}", repr(what)[:500]))

    def refused(self, strategy: str, what: Any, msg: str) -> None:
        self.rejected[strategy] += 1
        if "\n" in msg.strip():
            self.multiline.append((strategy, msg[:300], repr(what)[:300]))


RUN_CAP = 600   # distinct accepted scenarios run per strategy (the rest are loaded and validated)


class Harness:
    def __init__(self, tmp: Path, stats: Stats, run_cap: int = RUN_CAP):
        self.tmp, self.stats, self.run_cap = tmp, stats, run_cap
        self.file = tmp / "s.yaml"

    def write(self, text: str) -> Path:
        try:
            self.file.write_text(text, encoding="utf-8", errors="surrogatepass")
        except UnicodeEncodeError:
            self.file.write_bytes(text.encode("utf-8", "replace"))
        return self.file

    def small_run(self, strategy: str, ref: Any, overrides=(), fields=None) -> None:
        """The accepted scenario builds; run it small once (by its content) and check its JSON."""
        from umbrella.engine.run import preflight
        from umbrella.results.stream import summarise_run
        from umbrella.scenario import load_scenario, load_world, scenario_hash
        fields = dict(fields or {})
        sc = load_scenario(ref, overrides=overrides, fields=fields)
        w = load_world(sc.world)
        key = scenario_hash(sc.model_copy(update={"id": "", "title": "", "title_ja": "", "description": "",
                                                  "sources": [], "expect": [], "runs": 1}))
        if key in self.stats.seen or self.stats.ran[strategy] >= self.run_cap:
            return   # loaded and validated; built and run once per distinct scenario
        self.stats.seen.add(key)
        preflight(sc, w)
        if sc.mode != "annual":
            return
        small = sc.model_copy(update={"runs": 4, "horizon": min(sc.start_year + 2, sc.horizon),
                                      "shocks": [s for s in sc.shocks if s.year <= sc.start_year + 2]})
        self.stats.ran[strategy] += 1
        try:
            summary = summarise_run(small, w)
        except InputError:
            self.stats.run_refused[strategy] += 1   # e.g. a state that became NaN: refused, named
            return
        bad = check_output(summary)
        if bad:
            self.stats.bad_outputs.append((strategy, bad, repr(ref)[:300] + f" {overrides!r} {fields!r}"))

    def guarded(self, strategy: str, what: Any, fn: Callable[[], None]) -> None:
        self.stats.inputs[strategy] += 1
        t = time.perf_counter()
        try:
            fn()
            self.stats.accepted[strategy] += 1
        except InputError as e:
            self.stats.refused(strategy, what, str(e))
        except Exception as e:  # noqa: BLE001 - a crash: recorded, the fuzzing goes on
            self.stats.crash(strategy, what, e)
        finally:
            self.stats.seconds[strategy] += time.perf_counter() - t

    # one input of each strategy ---------------------------------------------------------
    def scenario(self, text: str) -> None:
        from umbrella.scenario import validate_file

        def go():
            f = self.write(text)
            validate_file(f)
            self.small_run("scenario files", f)
        self.guarded("scenario files", text, go)

    def experiment(self, text: str) -> None:
        from umbrella.explore import design as D
        from umbrella.explore.spec import load_spec

        def go():
            ex = load_spec(self.write(text))
            s = ex.spec.sampler
            size = s.n * (len(ex.factors) + 2) * (2 if s.second_order else 1) if s.method != "factorial" \
                else (s.levels or 3) ** len(ex.factors)
            if size <= 20_000:   # a design's size is the user's to choose; large ones are not built here
                D.build(ex)
        self.guarded("experiment files", text, go)

    def set_args(self, item: tuple) -> None:
        preset, sets, fields = item
        self.guarded("--set expressions", item, lambda: self.small_run("--set expressions", preset, sets, fields))

    def command(self, args: list[str]) -> None:
        from typer.testing import CliRunner

        from umbrella.interfaces.cli import app
        strategy = "command lines"
        self.stats.inputs[strategy] += 1
        t = time.perf_counter()
        out = self.tmp / "out.json"
        out.unlink(missing_ok=True)
        if args and args[0] in HEAVY:   # small runs (the last --runs wins); the JSON to a file
            args = [*args, "--runs", "3", "--json", str(out)]
            if args[0] == "run":
                args += ["--horizon", "2027"]
        try:
            r = CliRunner().invoke(app, args, catch_exceptions=True)
        finally:
            self.stats.seconds[strategy] += time.perf_counter() - t
        if r.exception is not None and not isinstance(r.exception, SystemExit):
            self.stats.crash(strategy, args, r.exception)
            return
        if r.exit_code == 0:
            self.stats.accepted[strategy] += 1
            if out.exists():
                try:
                    obj = json.loads(out.read_text())
                except ValueError as e:
                    self.stats.bad_outputs.append((strategy, f"unreadable JSON: {e}", repr(args)[:300]))
                    return
                bad = check_output(obj)
                if bad:
                    self.stats.bad_outputs.append((strategy, bad, repr(args)[:300]))
        elif r.exit_code == 2:
            text = r.output.strip()
            if text.startswith("error: "):
                self.stats.refused(strategy, args, text)
            else:   # click's usage error (a box with the usage line): a refusal, not ours to format
                self.stats.usage[strategy] += 1
                self.stats.rejected[strategy] += 1
        else:
            self.stats.crash(strategy, args, RuntimeError(f"exit {r.exit_code}: {r.output[-300:]}"))


@contextlib.contextmanager
def _bundled_worlds_cached():
    """The bundled worlds are not what is fuzzed: load each once (a world takes ~0.1 s to load)."""
    import umbrella.scenario as pkg
    orig = L.load_world
    bundled = set(L.list_worlds())
    cache: dict[str, Any] = {}

    def load_world(ref):
        if isinstance(ref, str) and ref in bundled:
            if ref not in cache:
                cache[ref] = orig(ref)
            return cache[ref]
        return orig(ref)
    L.load_world = pkg.load_world = load_world
    try:
        yield
    finally:
        L.load_world = pkg.load_world = orig


def _drive(strategy, fn, n: int, seed: int | None) -> None:
    if n <= 0:
        return

    @settings(max_examples=n, database=None, deadline=None, phases=[Phase.generate], derandomize=seed is not None,
              suppress_health_check=list(HealthCheck))
    @given(strategy)
    def each(x):
        fn(x)

    each()


def run(counts: dict[str, int], seed: int | None = 0, run_cap: int = RUN_CAP) -> tuple[Stats, float]:
    """Fuzz each strategy with its number of inputs: {"scenario files", "experiment files",
    "--set expressions", "command lines"}. Returns the figures and the wall time."""
    stats = Stats()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="umbrella-fuzz-") as d, _bundled_worlds_cached():
        h = Harness(Path(d), stats, run_cap)
        _drive(scenario_text(), h.scenario, counts.get("scenario files", 0), seed)
        _drive(experiment_text(), h.experiment, counts.get("experiment files", 0), seed)
        _drive(set_input, h.set_args, counts.get("--set expressions", 0), seed)
        _drive(command_line(), h.command, counts.get("command lines", 0), seed)
    return stats, time.perf_counter() - t0


def report(stats: Stats, seconds: float) -> str:
    lines = [f"{'strategy':<20}{'inputs':>9}{'accepted':>10}{'refused':>9}{'usage':>7}{'ran':>7}{'seconds':>9}"]
    for s in stats.inputs:
        lines.append(f"{s:<20}{stats.inputs[s]:>9,}{stats.accepted[s]:>10,}{stats.rejected[s]:>9,}"
                     f"{stats.usage[s]:>7,}{stats.ran[s]:>7,}{stats.seconds[s]:>9.1f}")
    lines.append(f"{'total':<20}{sum(stats.inputs.values()):>9,}  wall {seconds:.0f} s; crashes "
                 f"{len(stats.crashes)}, bad outputs {len(stats.bad_outputs)}, multi-line refusals "
                 f"{len(stats.multiline)}")
    for c in stats.crashes[:30]:
        lines.append(f"CRASH {c}")
    for b in stats.bad_outputs[:30]:
        lines.append(f"BAD OUTPUT {b}")
    for m in stats.multiline[:30]:
        lines.append(f"MULTI-LINE {m}")
    return "\n".join(lines)
