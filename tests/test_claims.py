"""docs/claims.md, the claim traceability table: its structure and every reference it makes.

The table lists each causal claim of the seed extraction (§4 of seeds/EXTRACTION.md in the shared
reference set, which neither the package nor the tests read) with a status, the mechanism that
carries it, the parameters that size it and the test that checks its direction. These tests parse
the table and check that the ids are exactly the extraction's, the statuses and reasons are
well formed, and every parameter, module, function and test it cites exists. No model runs."""

from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

from umbrella.scenario import registry
from umbrella.scenario.schema import Levers

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "claims.md"
SRC = ROOT / "src" / "umbrella"

# Claims per seed file, counted once in EXTRACTION.md §4 with the regex r"^- \*\*C\d+\.\d+\*\*"
# over its lines (`grep -cE '^- \*\*C[0-9]+\.[0-9]+\*\*'` gives 128; the looser `^- \*\*C` also
# matches two bullets of §10 and §12, "**China/Russia**" and "**Conflicting ...**", so it gives
# 130). §4.1 F0: C0.1-C0.56, §4.2 F1: C1.1-C1.20, §4.3 F2: C2.1-C2.14, §4.4 F3: C3.1-C3.17,
# §4.5 F4: C4.1-C4.21, each numbered without gaps.
PER_FILE = {0: 56, 1: 20, 2: 14, 3: 17, 4: 21}
N_CLAIMS = 128

HEADER = ["id", "claim", "status", "mechanism", "parameters", "test"]
STATUSES = ("modelled", "partial", "out-of-scope")
NONE = "—"
ID_RE = re.compile(r"C(0|[1-9]\d*)\.([1-9]\d*)")
# a mechanism reference: `path/to/module.py` or `path/to/module.py function`, path under src/umbrella
MECH_RE = re.compile(r"`([A-Za-z_][\w/]*\.py)(?:\s+([A-Za-z_][\w.]*))?`")
TEST_RE = re.compile(r"`?(tests/[\w/]+\.py)::([\w:]+)`?")
NO_TEST = "no direction test yet"
MAX_CLAIM = 160


def _cells(line: str) -> list[str]:
    return [c.strip() for c in line.strip().strip("|").split("|")]


@functools.cache
def table() -> tuple[tuple[int, dict[str, str]], ...]:
    """The rows of the one table: (line number, {column: cell})."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.startswith("|") and _cells(ln) == HEADER), None)
    assert start is not None, f"{DOC}: no table with the header | {' | '.join(HEADER)} |"
    assert set(lines[start + 1].replace("|", "").strip()) <= {"-", ":", " "}, f"line {start + 2}: not a separator"
    rows = []
    for n, ln in enumerate(lines[start + 2:], start=start + 3):
        if not ln.startswith("|"):
            break
        cells = _cells(ln)
        assert len(cells) == len(HEADER), f"docs/claims.md line {n}: {len(cells)} cells, expected {len(HEADER)}"
        rows.append((n, dict(zip(HEADER, cells, strict=True))))
    return tuple(rows)


def rows() -> list[dict[str, str]]:
    return [r for _, r in table()]


def _reason(mechanism: str) -> str:
    """The mechanism cell without its module references and punctuation: the explanation."""
    return re.sub(r"[-\s;,:—]+", " ", MECH_RE.sub("", mechanism)).strip()


def _ids(bad) -> str:
    return ", ".join(bad)


# --------------------------------------------------------------------------- 1 ids

def test_ids_unique_well_formed_and_exactly_the_extractions():
    ids = [r["id"] for r in rows()]
    malformed = [i for i in ids if not ID_RE.fullmatch(i)]
    assert not malformed, f"malformed ids (expected C<file>.<n>): {_ids(malformed)}"
    dup = sorted({i for i in ids if ids.count(i) > 1})
    assert not dup, f"duplicate ids: {_ids(dup)}"
    expected = {f"C{f}.{k}" for f, n in PER_FILE.items() for k in range(1, n + 1)}
    assert sum(PER_FILE.values()) == N_CLAIMS
    missing = sorted(expected - set(ids), key=_order)
    extra = sorted(set(ids) - expected, key=_order)
    assert not missing and not extra, \
        f"missing ids: {_ids(missing) or '-'}; ids not in the extraction: {_ids(extra) or '-'}"
    assert len(ids) == N_CLAIMS, f"{len(ids)} rows, expected {N_CLAIMS}"
    assert ids == sorted(ids, key=_order), "rows are not in id order"


def _order(i: str) -> tuple[int, int]:
    m = ID_RE.fullmatch(i)
    return (int(m.group(1)), int(m.group(2))) if m else (99, 0)


def test_claim_summaries_are_one_line_and_short():
    bad = [r["id"] for r in rows() if not r["claim"] or len(r["claim"]) > MAX_CLAIM]
    assert not bad, f"claim summary empty or longer than {MAX_CLAIM} characters: {_ids(bad)}"


# --------------------------------------------------------------------------- 2 statuses

def test_status_is_known_and_partial_and_out_of_scope_rows_give_a_reason():
    unknown = [f"{r['id']} ({r['status']})" for r in rows() if r["status"] not in STATUSES]
    assert not unknown, f"status not one of {STATUSES}: {_ids(unknown)}"
    no_reason = [r["id"] for r in rows() if r["status"] != "modelled" and len(_reason(r["mechanism"])) < 15]
    assert not no_reason, f"partial or out-of-scope rows without a reason in the mechanism cell: {_ids(no_reason)}"
    no_missing = [r["id"] for r in rows() if r["status"] == "partial" and "missing" not in r["mechanism"]]
    assert not no_missing, f"partial rows that do not say what is missing ('missing: ...'): {_ids(no_missing)}"
    untested = [r["id"] for r in rows() if r["status"] == "partial" and r["test"] == NONE
                and NO_TEST not in r["mechanism"]]
    assert not untested, f"partial rows without a test that do not say '{NO_TEST}': {_ids(untested)}"


def test_summary_line_matches_the_table():
    text = DOC.read_text(encoding="utf-8")
    m = re.search(r"^Summary: (\d+) claims: (\d+) modelled, (\d+) partial, (\d+) out-of-scope\.$", text, re.M)
    assert m, "docs/claims.md: no line 'Summary: N claims: a modelled, b partial, c out-of-scope.'"
    counts = {s: sum(r["status"] == s for r in rows()) for s in STATUSES}
    want = (len(rows()), counts["modelled"], counts["partial"], counts["out-of-scope"])
    assert tuple(int(g) for g in m.groups()) == want, f"summary says {m.groups()}, the table gives {want}"


# --------------------------------------------------------------------------- 3 parameters

def _names(cell: str) -> list[str]:
    if cell == NONE:
        return []
    return [p.strip() for p in cell.split(",")]


def test_every_parameter_is_a_registry_name_or_a_lever():
    levers = set(Levers.model_fields)
    bad = []
    for r in rows():
        for p in _names(r["parameters"]):
            name = p[1:-1] if len(p) > 2 and p[0] == p[-1] == "`" else None
            if name is None:
                bad.append(f"{r['id']}: {p!r} (not in backticks)")
            elif name.startswith("levers."):
                if name.removeprefix("levers.") not in levers:
                    bad.append(f"{r['id']}: {name} (no such field of Levers)")
            elif not registry.is_parameter(name):
                bad.append(f"{r['id']}: {name} (not in umbrella.scenario.registry.NAMES)")
    assert not bad, "unknown parameters: " + "; ".join(bad)


# --------------------------------------------------------------------------- 4 mechanisms

@functools.cache
def _defined(path: Path) -> frozenset[str]:
    """Names of every function and class defined anywhere in a module."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return frozenset(n.name for n in ast.walk(tree)
                     if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef))


def test_every_mechanism_names_an_existing_module_and_function():
    no_ref, bad = [], []
    for r in rows():
        refs = MECH_RE.findall(r["mechanism"])
        if r["status"] != "out-of-scope" and not refs:
            no_ref.append(r["id"])
        for mod, fn in refs:
            path = SRC / mod
            if not path.is_file():
                bad.append(f"{r['id']}: src/umbrella/{mod} does not exist")
            elif fn and not set(fn.split(".")) <= _defined(path):
                bad.append(f"{r['id']}: {fn} is not defined in src/umbrella/{mod}")
    assert not no_ref, f"modelled or partial rows naming no module (`path.py function`): {_ids(no_ref)}"
    assert not bad, "; ".join(bad)


# --------------------------------------------------------------------------- 5 tests

@functools.cache
def _tests_in(path: Path) -> frozenset[str]:
    """Test functions of a test module: module level, or methods of Test* classes (as Class::name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    out = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test"):
            out.add(node.name)
        elif isinstance(node, ast.ClassDef) and node.name.startswith("Test"):
            out.update(f"{node.name}::{m.name}" for m in node.body
                       if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef) and m.name.startswith("test"))
    return frozenset(out)


def _cited(cell: str) -> list[tuple[str, str]]:
    return [] if cell == NONE else TEST_RE.findall(cell)


def test_every_cited_test_exists():
    bad = []
    for r in rows():
        cell = r["test"]
        cited = _cited(cell)
        if cell != NONE and not cited:
            bad.append(f"{r['id']}: {cell!r} is neither '{NONE}' nor tests/<file>.py::<test>")
        if cell != NONE and TEST_RE.sub("", cell).strip(" ,;"):
            bad.append(f"{r['id']}: stray text in the test cell {cell!r}")
        for file, name in cited:
            path = ROOT / file
            if not path.is_file():
                bad.append(f"{r['id']}: {file} does not exist")
            elif name not in _tests_in(path):
                bad.append(f"{r['id']}: {file} defines no test {name}")
    assert not bad, "; ".join(bad)


def test_out_of_scope_rows_cite_no_test():
    bad = [r["id"] for r in rows() if r["status"] == "out-of-scope" and r["test"] != NONE]
    assert not bad, f"out-of-scope rows citing a direction test (then the claim is carried): {_ids(bad)}"


# --------------------------------------------------------------------------- 6 modelled rows

def test_every_modelled_row_cites_a_test():
    bad = [r["id"] for r in rows() if r["status"] == "modelled" and not _cited(r["test"])]
    assert not bad, f"modelled rows without a direction test (use partial, '{NO_TEST}'): {_ids(bad)}"
