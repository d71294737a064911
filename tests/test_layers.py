"""Imports run only downwards: data -> scenario / geo -> crisis / engine / results ->
calibrate / analysis -> interfaces (docs/architecture.md).

Every module under src/umbrella is parsed with `ast` (nothing is imported); each import of an
`umbrella` module, at module level or inside a function, absolute or relative, and every
`importlib.import_module("umbrella...")` with a literal name, must name a module of the
importer's own layer or a lower one. A module in no layer fails too, so that a new package is
given its place here.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
ROOT = SRC / "umbrella"

LAYERS: dict[str, int] = {
    "umbrella": 0,            # the package's __init__ (only __version__)
    "umbrella.errors": 0,
    "umbrella.rng": 0,
    "umbrella.data": 1,
    "umbrella.scenario": 2,
    "umbrella.geo": 2,
    "umbrella.crisis": 3,
    "umbrella.engine": 3,
    "umbrella.results": 3,
    "umbrella.calibrate": 4,
    "umbrella.analysis": 4,
    "umbrella.explore": 4,      # exploration framework (spec, design, store, sweeps); analyses in analysis
    "umbrella.interfaces": 5,
    "umbrella.__main__": 5,   # `python -m umbrella`: runs interfaces.cli
}

def layer(module: str) -> int | None:
    """The layer of a dotted module name: that of its longest prefix in LAYERS (the bare
    `umbrella` matches only itself, so a new subpackage is in no layer until it is added)."""
    if module == "umbrella":
        return LAYERS["umbrella"]
    parts = module.split(".")
    for k in range(len(parts), 1, -1):
        lay = LAYERS.get(".".join(parts[:k]))
        if lay is not None:
            return lay
    return None


def module_name(path: Path, src: Path = SRC) -> tuple[str, bool]:
    """(dotted name, is a package __init__) of a file under `src`."""
    parts = list(path.relative_to(src).with_suffix("").parts)
    is_pkg = parts[-1] == "__init__"
    if is_pkg:
        parts = parts[:-1]
    return ".".join(parts), is_pkg


def _resolve(node: ast.ImportFrom, name: str, is_pkg: bool) -> str | None:
    """The absolute module of a `from ... import` (relative levels resolved)."""
    if node.level == 0:
        return node.module
    base = name.split(".") if is_pkg else name.split(".")[:-1]
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _is_umbrella(mod: str | None) -> bool:
    return mod is not None and (mod == "umbrella" or mod.startswith("umbrella."))


def imports(path: Path, src: Path = SRC) -> list[tuple[int, str]]:
    """(line, imported umbrella module) for every import in the file."""
    name, is_pkg = module_name(path, src)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[tuple[int, str]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if _is_umbrella(a.name)]
        elif isinstance(node, ast.ImportFrom):
            mod = _resolve(node, name, is_pkg)
            if not _is_umbrella(mod):
                continue
            for a in node.names:
                # `from umbrella.geo import exposure` imports the submodule umbrella.geo.exposure
                # (same layer as its package here; the finer name makes the message clearer)
                found.append((node.lineno, mod if a.name == "*" else f"{mod}.{a.name}"))
        elif isinstance(node, ast.Call):
            f = node.func
            fname = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else None
            if (fname in ("import_module", "__import__") and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)
                    and _is_umbrella(node.args[0].value)):
                found.append((node.lineno, node.args[0].value))
    return sorted(found)


def violations(src: Path = SRC) -> list[str]:
    """Every upward import and every module or import target in no layer, as readable lines."""
    found = []
    for path in sorted((src / "umbrella").rglob("*.py")):
        name, _ = module_name(path, src)
        rel = path.relative_to(src.parent)
        own = layer(name)
        if own is None:
            found.append(f"{rel}: module {name} is in no layer (add it to LAYERS in tests/test_layers.py)")
            continue
        for line, target in imports(path, src):
            lay = layer(target)
            if lay is None:
                found.append(f"{rel}:{line}: imports {target}, which is in no layer")
            elif lay > own:
                found.append(f"{rel}:{line}: {name} (layer {own}) imports {target} (layer {lay})")
    return found


def test_layer_helpers():
    assert layer("umbrella.geo.exposure") == 2 and layer("umbrella.interfaces.maps.render") == 5
    assert layer("umbrella.errors") == 0 and layer("umbrella.data.errors") == 1
    assert layer("umbrella.something_new") is None
    assert module_name(ROOT / "engine" / "__init__.py") == ("umbrella.engine", True)
    rel = ast.parse("from ..data.load import load_table").body[0]
    assert _resolve(rel, "umbrella.calibrate.strategic_probit", False) == "umbrella.data.load"
    assert _resolve(ast.parse("from . import qre").body[0], "umbrella.calibrate", True) == "umbrella.calibrate"


def test_violations_are_found(tmp_path):
    """A synthetic tree: upward imports at module and function level, relative and dynamic,
    and a package in no layer, are all reported, with file and line."""
    pkg = tmp_path / "src" / "umbrella"
    (pkg / "data").mkdir(parents=True)
    (pkg / "geo").mkdir()
    (pkg / "extra").mkdir()
    (pkg / "data" / "x.py").write_text(
        "from umbrella.errors import InputError\n"
        "import umbrella.engine.run\n"
        "def f():\n"
        "    from ..interfaces import cli\n"
        "    import importlib\n"
        "    importlib.import_module('umbrella.analysis.compare')\n")
    (pkg / "geo" / "y.py").write_text("from . import exposure\nfrom umbrella import data, crisis\n")
    (pkg / "extra" / "__init__.py").write_text("")
    found = violations(tmp_path / "src")
    text = "\n".join(found)
    assert "x.py:2: umbrella.data.x (layer 1) imports umbrella.engine.run (layer 3)" in text
    assert "x.py:4: umbrella.data.x (layer 1) imports umbrella.interfaces.cli (layer 5)" in text
    assert "x.py:6: umbrella.data.x (layer 1) imports umbrella.analysis.compare (layer 4)" in text
    assert "y.py:2: umbrella.geo.y (layer 2) imports umbrella.crisis (layer 3)" in text
    assert "module umbrella.extra is in no layer" in text
    assert len(found) == 5, text


def test_imports_run_only_downwards():
    found = violations()
    assert not found, f"{len(found)} upward or unplaced imports:\n" + "\n".join(found)
