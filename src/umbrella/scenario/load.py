"""Load scenarios and worlds from YAML: safe parsing, `extends`, `--set` overrides, clear errors.

Everything a user can get wrong here ends in one `InputError` that names the key path, the value
and what is allowed. No other exception type escapes `load_scenario`, `load_world`,
`validate_file` or `read_yaml` for bad input.

Files
    A scenario (or world) is a YAML mapping. Only the safe YAML subset is accepted: tags such as
    ``!!python/object`` are refused, and so are duplicate keys in one mapping (PyYAML would
    otherwise keep the last one silently). Bundled presets live in ``presets/``, bundled worlds
    in ``worlds/``; their id is the file stem, and an ``id:`` inside a bundled file must match it.
    A user file without ``id:`` gets its file stem as id (an id is never inherited).

Inheritance (``extends``)
    ``extends: ID`` names a bundled preset (for worlds: a bundled world), or a path to a
    .yaml/.yml file, relative to the file that says ``extends``. Parents are resolved
    recursively; a cycle is an error. The child is deep-merged over its parent:

    * mappings merge key by key, child over parent, at every depth (so a child may set
      ``levers.us_troops.KOR`` and keep the parent's ``levers.us_troops.JPN``; a world may give
      only ``value`` and ``claim`` for a parameter and keep the parent's range and source);
    * anything else, lists included (``shocks``, ``sources``, ``actors``, ``range``), is
      replaced wholesale by the child's value;
    * scenarios only: ``shocks_add: [...]`` appends to the shocks the child would otherwise have
      (the parent's, or the child's own ``shocks:`` if it gives one). ``shocks_add`` is consumed
      during resolution and never reaches the validated `Scenario`.

Overrides (``--set PATH=VALUE``), applied in order after inheritance
    ``shocks_add=[...]`` appends shocks to the scenario's (as in a file).
    PATH is a dotted path into the scenario (``start_year``, ``levers.rok_camp``,
    ``levers.us_troops.KOR``, ``levers.defence_target.JPN.share``; list items by index:
    ``shocks.0.year`` or ``shocks[0].year``; a parameter's distribution by its full name, which
    has dots of its own: ``uncertain.crisis.lambda={dist: uniform, low: 1, high: 3}``,
    ``uncertain.crisis.korea.onset.value=0.2`` after a fixed one). Every step must exist in the schema: model fields
    by name, mapping fields (keyed by actor) accept any key, which the schema then validates as
    an actor code. VALUE is parsed with ``yaml.safe_load`` (``0``, ``true``, ``[1, 2]``,
    ``{share: 0.02, by: 2030}``), except that a plain (unquoted) VALUE for a text field stays
    text (``--set id=2030`` gives the string ``"2030"``, ``--set title=no`` the string ``"no"``).
    ``extends`` cannot be set (it is resolved before overrides).

Explicit fields (``fields=``: the CLI's --runs/--seed/--start-year/--horizon/--world) are
applied last, through the same path checks; ``None`` values are skipped.

Validation, layer by layer (docs/reliability.md)
    Each file of the ``extends`` chain is validated as written (merged over its parent), and
    its errors name the file and line (``my.yaml line 4: runs: ...``); then each override, on
    the value it sets (``--set runs=many: runs: ...``, ``--runs 0: runs: ...``); then the merged
    scenario. A bad value is an error even when a later layer would replace it. A world a layer
    names must exist. YAML documents are bounded (MAX_NODES with aliases expanded, MAX_DEPTH)
    before anything is constructed from them.
"""

from __future__ import annotations

import copy
import hashlib
import json
import os
import re
import types
import typing
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, Union

import yaml
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from umbrella.errors import InputError
from umbrella.scenario import registry
from umbrella.scenario.schema import Distribution, Scenario, World

__all__ = [
    "PRESET_DIR", "WORLD_DIR", "list_presets", "list_worlds", "read_yaml", "load_scenario",
    "load_world", "scenario_hash", "validate_file",
]

_HERE = Path(__file__).resolve().parent
PRESET_DIR: Path = _HERE / "presets"
WORLD_DIR: Path = _HERE / "worlds"
_SUFFIXES = (".yaml", ".yml")


# --------------------------------------------------------------------------------------------
# Listing


def _stems(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted({p.stem for p in folder.iterdir() if p.is_file() and p.suffix in _SUFFIXES})


def list_presets() -> list[str]:
    """Ids of the bundled scenario presets (file stems), sorted."""
    return _stems(PRESET_DIR)


def list_worlds() -> list[str]:
    """Ids of the bundled worlds (file stems), sorted."""
    return _stems(WORLD_DIR)


def _is_file(p: Path) -> bool:
    try:
        return p.is_file()
    except (OSError, ValueError):  # e.g. a name too long for the file system
        return False


def _bundled(folder: Path, ident: str) -> Path | None:
    for suffix in _SUFFIXES:
        p = folder / f"{ident}{suffix}"
        if _is_file(p):
            return p
    return None


# --------------------------------------------------------------------------------------------
# Safe YAML


# libyaml's parser (CSafeLoader) when PyYAML has it: about ten times faster on the worlds' files
# (the cold start); the constructor, and so the safety and the duplicate-key check, is the same
_BaseSafeLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _SafeUniqueLoader(_BaseSafeLoader):
    """A safe loader that also refuses duplicate keys within one mapping."""


def _construct_mapping(loader: _SafeUniqueLoader, node: yaml.MappingNode, deep: bool = False):
    loader.flatten_mapping(node)
    seen: dict[object, yaml.Node] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            duplicate = key in seen
        except TypeError:  # unhashable key: let the normal constructor report it
            break
        if duplicate:
            raise yaml.constructor.ConstructorError(
                "while constructing a mapping", node.start_mark,
                f"found duplicate key {key!r} (first at line {seen[key].start_mark.line + 1})",
                key_node.start_mark)
        seen[key] = key_node
    return loader.construct_mapping(node, deep=deep)


_SafeUniqueLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


# bounds on a document's nodes as the aliases expand them ("billion laughs": nine anchors of ten
# aliases each are a billion nodes) and on its nesting: far above any scenario, world or experiment
MAX_NODES = 200_000
MAX_DEPTH = 64


def _node_children(node: yaml.Node) -> list:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for kv in node.value for n in kv]
    return []


def _check_nodes(root: yaml.Node) -> None:
    """Refuse a document whose nodes, aliases expanded, exceed MAX_NODES or nest deeper than
    MAX_DEPTH, or that refers to itself: before anything is constructed from it."""
    size: dict[int, int] = {}
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 1, False)]
    while stack:
        node, depth, done = stack.pop()
        k = id(node)
        if done:
            open_.discard(k)
            n = 1 + sum(size[id(c)] for c in _node_children(node))
            if n > MAX_NODES:
                raise yaml.YAMLError(f"the document expands to more than {MAX_NODES:,} nodes (aliases included)")
            size[k] = n
            continue
        if k in size:
            continue
        if k in open_:
            raise yaml.YAMLError("an alias refers to a node that contains it (a recursive document)")
        if depth > MAX_DEPTH:
            raise yaml.YAMLError(f"the document nests deeper than {MAX_DEPTH} levels")
        open_.add(k)
        stack.append((node, depth, True))
        stack.extend((c, depth + 1, False) for c in _node_children(node) if id(c) not in size)


def _safe_load(text: str) -> Any:
    loader = _SafeUniqueLoader(text)   # a SafeLoader subclass: no Python tags
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise yaml.YAMLError(f"the document nests deeper than {MAX_DEPTH} levels") from None
        if node is None:
            return None
        _check_nodes(node)
        try:
            return loader.construct_document(node)
        except yaml.YAMLError:
            raise
        except (ValueError, TypeError, AttributeError, OverflowError, IndexError, KeyError) as e:
            # PyYAML's constructors raise these for a scalar that does not fit its explicit tag
            # (`!!float 5 x`, `!!timestamp` over two lines, `!!int abc`)
            raise yaml.YAMLError(f"a value does not fit its tag ({type(e).__name__}: {e})") from None
    finally:
        loader.dispose()


def _line_of(text: str, line: int) -> str:
    lines = text.splitlines()
    return lines[line].strip() if 0 <= line < len(lines) else ""


def read_yaml(path_or_text: str | os.PathLike[str], where: str) -> dict:
    """Parse a YAML mapping with the safe loader.

    `path_or_text` is a path (a `Path`, or a one-line string ending in .yaml/.yml) or YAML
    text; `where` names it in error messages. Malformed YAML gives an
    InputError at ``<where>:<line>:<col>`` whose value is the offending line; a Python tag
    (``!!python/object`` ...) or a duplicate key is malformed; a top level that is not a mapping
    is an error too.
    """
    text: str
    if isinstance(path_or_text, os.PathLike) or (
            isinstance(path_or_text, str) and "\n" not in path_or_text
            and path_or_text.strip().endswith(_SUFFIXES)):
        p = Path(path_or_text.strip() if isinstance(path_or_text, str) else path_or_text)
        try:
            text = p.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise InputError(where, str(p), "an existing .yaml/.yml file",
                             problem="does not exist") from None
        except (OSError, UnicodeDecodeError, ValueError) as e:  # ValueError: NUL in the path
            raise InputError(where, str(p), "a readable UTF-8 .yaml/.yml file",
                             problem=f"cannot be read ({e})") from None
    elif isinstance(path_or_text, str):
        text = path_or_text
    else:
        raise InputError(where, path_or_text, "YAML text or a path to a .yaml/.yml file")

    try:
        doc = _safe_load(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line, mark.column) if mark is not None else (0, 0)
        what = " ".join(s for s in (e.context, e.problem) if s)
        raise InputError(f"{where}:{line + 1}:{col + 1}", _line_of(text, line),
                         "valid YAML (safe subset)", problem=f"is malformed YAML: {what}") from None
    except yaml.YAMLError as e:  # e.g. ReaderError: a control character
        pos = getattr(e, "position", None)
        line = text.count("\n", 0, pos) if isinstance(pos, int) else 0
        col = pos - (text.rfind("\n", 0, pos) + 1) if isinstance(pos, int) else 0
        raise InputError(f"{where}:{line + 1}:{col + 1}", _line_of(text, line),
                         "valid YAML (safe subset)",
                         problem=f"is malformed YAML: {str(e).splitlines()[0]}") from None
    if not isinstance(doc, dict):
        raise InputError(where, doc, "a YAML mapping (key: value lines) at the top level",
                         problem="is not a mapping")
    return doc


# --------------------------------------------------------------------------------------------
# Inheritance


def _deep_merge(parent: Mapping, child: Mapping) -> dict:
    out = dict(parent)
    for k, v in child.items():
        if isinstance(v, Mapping) and isinstance(out.get(k), Mapping):
            out[k] = _deep_merge(out[k], v)
        else:
            out[k] = v
    return out


class _Kind:
    """What is being loaded: bundled presets or bundled worlds."""

    def __init__(self, name: str, folder: Path, lister):
        self.name, self.folder, self.lister = name, folder, lister

    def allowed(self) -> str:
        ids = self.lister()
        listed = ", ".join(ids) if ids else f"(no bundled {self.name}s yet)"
        return f"{listed}; or a path to a .yaml/.yml file"


_SCENARIO = _Kind("preset", PRESET_DIR, list_presets)
_WORLD = _Kind("world", WORLD_DIR, list_worlds)


def _locate(ref: object, kind: _Kind, path: str, base: Path | None) -> Path:
    """A bundled id or a .yaml/.yml path (relative to `base` if given) -> an existing file."""
    if not isinstance(ref, (str, os.PathLike)) or str(ref).strip() == "":
        raise InputError(path, ref, kind.allowed())
    s = str(ref)
    looks_like_path = isinstance(ref, os.PathLike) or s.endswith(_SUFFIXES) or "/" in s \
        or os.sep in s
    if not looks_like_path:
        found = _bundled(kind.folder, s)
        if found is not None:
            return found
        raise InputError(path, ref, kind.allowed(), problem=f"is not a known {kind.name}")
    p = Path(s)
    if not p.is_absolute() and base is not None:
        p = base / p
    if not _is_file(p):
        raise InputError(path, s, kind.allowed(), problem="is not an existing file")
    if p.suffix not in _SUFFIXES:
        raise InputError(path, s, kind.allowed(), problem="is not a .yaml/.yml file")
    return p


def _resolve(file: Path, kind: _Kind, chain: tuple[Path, ...]) -> dict:
    """Read `file` and merge it over its `extends` ancestry (see the module docstring)."""
    here = file.resolve()
    doc = read_yaml(file, str(file))
    if kind.folder.resolve() == here.parent and "id" in doc and doc["id"] != file.stem:
        raise InputError("id", doc["id"], repr(file.stem),
                         problem=f"must equal the file name of bundled {kind.name} {file.name}")

    add = None
    if kind is _SCENARIO and "shocks_add" in doc:
        add = doc.pop("shocks_add")
        if not isinstance(add, list):
            raise InputError("shocks_add", add, "a list of shocks to append to the parent's",
                             problem=f"is not a list (in {file})")

    parent_ref = doc.get("extends")
    if parent_ref is None:
        merged = dict(doc)
    else:
        parent_file = _locate(parent_ref, kind, "extends", file.parent)
        if parent_file.resolve() in chain + (here,):
            names = " -> ".join(p.stem for p in chain + (here, parent_file.resolve()))
            raise InputError("extends", parent_ref, f"a {kind.name} that does not extend this one",
                             problem=f"forms a cycle ({names})")
        parent = _resolve(parent_file, kind, chain + (here,))
        if kind is _SCENARIO:
            parent.pop("expect", None)   # a preset's expectations are its own (tested against its parent)
        merged = _deep_merge(parent, doc)
    if add is not None:
        base = merged.get("shocks") or []
        if not isinstance(base, list):
            raise InputError("shocks", base, "a list of shocks",
                             problem=f"is not a list (in {file})")
        merged["shocks"] = list(base) + list(add)
    merged["id"] = doc.get("id", file.stem)  # an id is never inherited
    if kind is _SCENARIO:
        _check_file(merged, file, kind, doc)   # each file of the chain as written, before any override
    return merged


def _load_doc(ref: object, kind: _Kind, path: str) -> dict:
    return _resolve(_locate(ref, kind, path, None), kind, ())


# --------------------------------------------------------------------------------------------
# Walking the schema (used for --set paths and for pydantic error locations)


def _unwrap(ann: Any) -> tuple[Any, list[Any], str | None]:
    """Strip Annotated/Optional. Returns (annotation, union members, discriminator)."""
    disc = None
    while True:
        if typing.get_origin(ann) is typing.Annotated:
            base, *meta = typing.get_args(ann)
            for m in meta:
                if isinstance(m, FieldInfo) and isinstance(m.discriminator, str):
                    disc = m.discriminator
            ann = base
            continue
        if typing.get_origin(ann) in (Union, types.UnionType):
            members = [a for a in typing.get_args(ann) if a is not type(None)]
            if len(members) == 1:
                ann = members[0]
                continue
            return ann, members, disc
        return ann, [], disc


def _is_model(ann: Any) -> typing.TypeGuard[type[BaseModel]]:
    return isinstance(ann, type) and issubclass(ann, BaseModel)


def _tag_of(model: type[BaseModel], disc: str) -> object:
    args = typing.get_args(model.model_fields[disc].annotation)
    return args[0] if args else None


def _member_by_tag(members: list[Any], disc: str, tag: object) -> Any | None:
    for m in members:
        mm, _, _ = _unwrap(m)
        if _is_model(mm) and disc in mm.model_fields and _tag_of(mm, disc) == tag:
            return mm
    return None


def _fmt_path(parts: Sequence[object]) -> str:
    out = ""
    for p in parts:
        if isinstance(p, int):
            out += f"[{p}]"
        else:
            out += ("." if out else "") + str(p)
    return out


def _num(x: object) -> str:
    return f"{x:,}" if isinstance(x, int) and abs(x) >= 10_000 else str(x)


def _bounds(fi: FieldInfo | None) -> str:
    if fi is None:
        return ""
    lo = hi = None
    lo_s = hi_s = ""
    for m in fi.metadata:
        for attr, strict in (("ge", False), ("gt", True)):
            if getattr(m, attr, None) is not None:
                lo, lo_s = getattr(m, attr), "above " if strict else ""
        for attr, strict in (("le", False), ("lt", True)):
            if getattr(m, attr, None) is not None:
                hi, hi_s = getattr(m, attr), "below " if strict else ""
    if lo is not None and hi is not None:
        if not lo_s and not hi_s:
            return f" from {_num(lo)} to {_num(hi)}"
        return f" {lo_s or 'from '}{_num(lo)} and {hi_s or 'up to '}{_num(hi)}"
    if lo is not None:
        return f" {'above' if lo_s else '>='} {_num(lo)}"
    if hi is not None:
        return f" {'below' if hi_s else '<='} {_num(hi)}"
    return ""


def _describe(ann: Any, fi: FieldInfo | None = None) -> str:
    """A short human description of what an annotation accepts."""
    ann, members, disc = _unwrap(ann)
    if members:
        if disc:
            tags = [str(_tag_of(_unwrap(m)[0], disc)) for m in members]
            return f"a mapping with {disc}: one of {', '.join(tags)}"
        return " or ".join(_describe(m) for m in members)
    origin = typing.get_origin(ann)
    if origin is Literal:
        return ", ".join(repr(a) if isinstance(a, str) else str(a) for a in typing.get_args(ann))
    if ann is bool:
        return "true or false"
    if ann is int:
        return "an integer" + _bounds(fi)
    if ann is float:
        return "a number" + _bounds(fi)
    if ann is str:
        return "text"
    if _is_model(ann):
        return "a mapping with keys: " + ", ".join(ann.model_fields)
    if origin in (dict, Mapping):
        k = typing.get_args(ann)[0] if typing.get_args(ann) else None
        return "a mapping keyed by actor code" if typing.get_origin(k) is typing.Annotated \
            else "a mapping"
    if origin in (list, tuple, Sequence):
        return "a list"
    return getattr(ann, "__name__", str(ann))


def _wants_text(ann: Any) -> bool:
    ann, members, _ = _unwrap(ann)
    if members:
        return all(_wants_text(m) for m in members)
    if typing.get_origin(ann) is Literal:
        return all(isinstance(a, str) for a in typing.get_args(ann))
    return ann is str


def _clean_loc(root: type[BaseModel], loc: Sequence[object]) -> tuple[list[object], Any,
                                                                          FieldInfo | None,
                                                                          type[BaseModel] | None]:
    """Pydantic loc -> (user-facing path parts, leaf annotation, leaf FieldInfo, parent model).

    Drops the parts pydantic adds that are not keys of the user's data: discriminated-union
    tags (``shocks.2.troops.value`` -> ``shocks[2].value``), union-member descriptors
    (``literal['all']``, ``function-after[...]``) and dict-key markers (``[key]``).
    """
    parts: list[object] = []
    ann: Any = root
    fi: FieldInfo | None = None
    parent: type[BaseModel] | None = None
    for e in loc:
        if e == "[key]":  # the error is about the mapping key itself (e.g. an actor code)
            ann, fi = None, None
            continue
        base, members, disc = _unwrap(ann) if ann is not None else (None, [], None)
        if members:
            if disc and isinstance(e, str):
                picked = _member_by_tag(members, disc, e)
                if picked is not None:
                    ann, fi = picked, None
                    continue
            if isinstance(e, str) and not any(
                    _is_model(_unwrap(m)[0]) and e in _unwrap(m)[0].model_fields for m in members):
                ann = None  # a union-member descriptor: which member failed is not the user's key
                continue
        if _is_model(base):
            parts.append(e)
            parent = base
            if isinstance(e, str) and e in base.model_fields:
                fi = base.model_fields[e]
                ann = fi.annotation
            else:
                ann, fi = None, None
            continue
        origin = typing.get_origin(base)
        if origin in (dict, Mapping):
            parts.append(e)
            args = typing.get_args(base)
            ann, fi = (args[1] if len(args) == 2 else None), None
            continue
        if origin in (list, tuple, Sequence) and isinstance(e, int):
            parts.append(e)
            args = typing.get_args(base)
            if origin is tuple and args and args[-1] is not Ellipsis:
                ann = args[e] if e < len(args) else None
            else:
                ann = args[0] if args else None
            continue
        # unknown territory: keep what looks like a user key, drop validator descriptors
        if isinstance(e, str) and ("[" in e or "(" in e):
            continue
        parts.append(e)
        ann = None
    return parts, ann, fi, parent


def _get(data: object, parts: Sequence[object]) -> object:
    cur = data
    for p in parts:
        if isinstance(cur, Mapping) and p in cur:
            cur = cur[p]
        elif isinstance(cur, list) and isinstance(p, int) and 0 <= p < len(cur):
            cur = cur[p]
        else:
            return None
    return cur


# --------------------------------------------------------------------------------------------
# Overrides


_SEG = re.compile(r"([^.\[\]]+)|\[(\d+)\]")


def _split_path(path: str) -> list[str | int] | None:
    segs: list[str | int] = []
    pos = 0
    for m in _SEG.finditer(path):
        gap = path[pos:m.start()]
        if gap not in ("", "."):
            return None
        if m.group(2) is not None:
            segs.append(int(m.group(2)))
        else:
            s = m.group(1).strip()
            if not s:
                return None
            segs.append(int(s) if s.isdigit() else s)
        pos = m.end()
    if path[pos:] != "" or not segs:
        return None
    return segs


def _container(ann: Any) -> bool:
    """Whether a value of this annotation has sub-keys a path can step into."""
    if ann is None:
        return True
    base, members, _ = _unwrap(ann)
    if members:
        return any(_container(m) for m in members)
    return _is_model(base) or typing.get_origin(base) in (dict, Mapping, list, Sequence, tuple)


def _set(data: dict, root: type[BaseModel], path: str, raw: object, *, parse: bool,
         source: str) -> list[object]:
    """Set `path` in `data`, checking every step against the schema of `root`; returns the path's
    parts as the schema names them (a parameter name with its dots is one part).

    `raw` is YAML text to parse when `parse` (an override VALUE), else the value itself.
    """
    parse_error: InputError | None = None
    shown: object = raw
    if parse:
        try:
            shown = _parse_value(raw, path, source)
        except InputError as e:
            parse_error = e
    segs = _split_path(path)
    if segs is None:
        raise InputError(path or source, shown, "a dotted path such as levers.us_troops.KOR",
                         problem=f"is not a valid key path ({source})")
    if root is Scenario and len(segs) > 2 and segs[0] == "uncertain":
        # parameter names contain dots: uncertain.crisis.korea.onset.value names the parameter
        # crisis.korea.onset (the longest registry name), then its distribution's field
        for j in range(len(segs), 1, -1):
            name = ".".join(str(x) for x in segs[1:j])
            if registry.is_parameter(name):
                segs = ["uncertain", name, *segs[j:]]
                break
        else:
            if str(segs[2]) in Distribution.model_fields:
                pass   # uncertain.NAME.FIELD with an unknown NAME: validation names it
            else:
                import difflib
                name = ".".join(str(x) for x in segs[1:])
                near = difflib.get_close_matches(name, registry.NAMES, n=3, cutoff=0.6)
                raise InputError(f"uncertain.{name}", shown,
                                 "a model parameter name (docs/parameters.md)"
                                 + (f", e.g. {', '.join(near)}" if near else ""),
                                 problem=f"does not start with a model parameter ({source})")
    ann: Any = root
    node: Any = data
    done: list[object] = []
    for i, seg in enumerate(segs):
        last = i == len(segs) - 1
        base, members, disc = _unwrap(ann) if ann is not None else (None, [], None)
        here = _fmt_path(done + [seg])
        if members and disc:  # a shock: its fields depend on its type
            picked = _member_by_tag(members, disc, node.get(disc)) \
                if isinstance(node, Mapping) else None
            if picked is None:
                names = sorted({f for m in members for f in _unwrap(m)[0].model_fields})
                if seg not in names:
                    raise InputError(here, shown, ", ".join(names),
                                     problem=f"is not a known setting ({source})")
                base, members = None, []
            else:
                base, members = picked, []
        if _is_model(base):
            names = [n for n in base.model_fields if not (base is root and n == "extends")]
            if not isinstance(seg, str) or seg not in names:
                extra = " (extends is resolved before overrides; put it in a file)" \
                    if seg == "extends" else ""
                raise InputError(here, shown, ", ".join(names),
                                 problem=f"is not a known setting ({source}){extra}")
            child_ann = base.model_fields[seg].annotation
            key: object = seg
        elif base is None and not members:  # below a shock of unknown type: let validation judge
            child_ann, key = None, seg
        elif typing.get_origin(base) in (dict, Mapping):
            args = typing.get_args(base)
            child_ann, key = (args[1] if len(args) == 2 else None), str(seg)
        elif typing.get_origin(base) in (list, Sequence, tuple):
            n = len(node) if isinstance(node, list) else 0
            if not isinstance(seg, int) or not 0 <= seg < n:
                allowed = f"an index from 0 to {n - 1}" if n else "none: the list is empty " \
                    f"(set the whole list instead: {_fmt_path(done)}=[...])"
                raise InputError(here, shown, allowed,
                                 problem=f"is not an existing list item ({source})")
            args = typing.get_args(base)
            child_ann, key = (args[0] if args else None), seg
        else:
            raise InputError(here, shown, f"{_fmt_path(done)} itself (a single value, no sub-keys)",
                             problem=f"is not a known setting ({source})")

        if last:
            if parse_error is not None:
                raise parse_error
            value = shown
            if (parse and isinstance(raw, str) and not isinstance(value, (str, list, dict))
                    and child_ann is not None and _wants_text(child_ann)):
                value = raw.strip()  # a plain VALUE for a text field stays text
            node[key] = value
            return done + [seg]
        present = (0 <= typing.cast(int, key) < len(node)) if isinstance(node, list) else key in node
        nxt = node[key] if present else None
        if not isinstance(nxt, (dict, list)):
            if not _container(child_ann):
                nxt = None  # the next step reports that this field has no sub-keys
            elif nxt is None:
                nxt = {}
                node[key] = nxt
            else:
                raise InputError(_fmt_path(done + [seg]), nxt, "a mapping",
                                 problem=f"is not a mapping, so {path} cannot be set ({source})")
        node, ann = nxt, child_ann
        done.append(seg)
    return done


def _parse_value(raw: object, path: str, source: str) -> object:
    if not isinstance(raw, str):
        return raw
    try:
        return _safe_load(raw) if raw.strip() else None
    except yaml.YAMLError as e:
        raise InputError(path, raw, "a YAML scalar or flow value, e.g. 0, true, conservative, "
                         "[1, 2] or {share: 0.02, by: 2030}",
                         problem=f"cannot be parsed ({source}): {str(e).splitlines()[0]}") from None


def _apply_overrides(data: dict, overrides: Sequence[str], root: type[BaseModel], check: bool = False) -> None:
    """Apply `--set` overrides in order; `check`: validate the value each one sets (see _check_layer)."""
    if isinstance(overrides, str):
        overrides = [overrides]
    for item in overrides:
        if not isinstance(item, str) or "=" not in item:
            raise InputError("--set", item, "PATH=VALUE, e.g. levers.us_troops.KOR=0",
                             problem="has no '='")
        path, _, raw = item.partition("=")
        path = path.strip()
        if not path:
            raise InputError("--set", item, "PATH=VALUE, e.g. levers.us_troops.KOR=0",
                             problem="has an empty PATH")
        if path == "shocks_add" and root is Scenario:
            # appends to the scenario's shocks, as `shocks_add:` does in a file
            add = _parse_value(raw, path, f"--set {item}")
            if not isinstance(add, list):
                raise InputError("--set shocks_add", add, "a list of shocks to append, e.g. "
                                 "'shocks_add=[{year: 2030, type: war, theatre: korea}]'", problem="is not a list")
            before = len(data.get("shocks") or [])
            data["shocks"] = list(data.get("shocks") or []) + add
            if check:
                _check_layer(data, ["shocks"], f"--set {item}", min_index=before)
            continue
        parts = _set(data, root, path, raw, parse=True, source=f"--set {item}")
        if check:
            _check_layer(data, parts, f"--set {item}")


def _apply_fields(data: dict, fields: Mapping[str, object] | None, root: type[BaseModel],
                  check: bool = False) -> None:
    """Set explicit fields (the CLI's options); `check`: validate each value as it is set, naming
    the option (--runs, --start-year, ...)."""
    for name, value in (fields or {}).items():
        if value is None:
            continue
        if isinstance(value, os.PathLike):
            value = str(value)
        option = "--" + str(name).replace("_", "-")
        parts = _set(data, root, str(name), value, parse=False,
                     source=f"option {option}" if check else f"option {name}")
        if check:
            _check_layer(data, parts, f"{option} {value}")


# --------------------------------------------------------------------------------------------
# Validation errors -> InputError


# Scenario-level checks whose message names the offending field: (pattern, match ->
# (path parts, problem, allowed)).
_ROOT_REWRITES: list[tuple[re.Pattern[str], Any]] = [
    (re.compile(r"^horizon \((-?\d+)\) must be after start_year \((-?\d+)\)"),
     lambda m: (["horizon"], f"is not after start_year ({m.group(2)})",
                f"a year after start_year ({m.group(2)}), up to 2100")),
    # schema._at: "at a|b|c: problem; allowed: ..." (a parameter name keeps its dots)
    (re.compile(r"^at ([^:]+): (.+?); allowed: (.+)$", re.S),
     lambda m: ([int(x) if x.isdigit() else x for x in m.group(1).split("|")], m.group(2), m.group(3))),
    (re.compile(r"^shocks\[(\d+)\]\.year=(-?\d+) lies outside the run \((-?\d+)-(-?\d+)\)"),
     lambda m: (["shocks", int(m.group(1)), "year"],
                f"lies outside the run ({m.group(3)}-{m.group(4)})",
                f"a year from {m.group(3)} to {m.group(4)} (start_year to horizon)")),
]
_FIELD_MSG = re.compile(r"^(\w+)\.(\w+)=\S+?: must be (.+)$")


def _from_validation(e: ValidationError, root: type[BaseModel], data: Mapping,
                     keep: Any = None, where: Any = None) -> InputError | None:
    """The first of the validation errors as one InputError (None when `keep`, a predicate on an
    error's path parts, keeps none). `where(parts)` names the source: a prefix of the path."""
    groups: dict[str, dict] = {}
    for err in e.errors(include_url=False):
        g = _one_error(err, root, data)
        if keep is not None and not keep(g["parts"], g["cross"]):
            continue
        key = g["path"]
        if key in groups:  # the same input failed several union members: merge what is allowed
            if g["allowed"] not in groups[key]["allowed"]:
                groups[key]["allowed"] += f"; or {g['allowed']}"
        else:
            groups[key] = g
    if not groups:
        return None
    first = next(iter(groups.values()))
    problem = first["problem"]
    if len(groups) > 1:
        problem = f"{problem} (+{len(groups) - 1} more)"
    path = first["path"]
    if where is not None:
        path = f"{where(first['parts'])}: {path or '<root>'}"
    return InputError(path, first["value"], first["allowed"], problem=problem)


def _one_error(err: Mapping, root: type[BaseModel], data: Mapping) -> dict:
    typ = err.get("type", "")
    ctx = err.get("ctx") or {}
    loc = tuple(err.get("loc", ()))
    parts, ann, fi, parent = _clean_loc(root, loc)
    value: object = err.get("input")
    problem = "is not allowed"
    msg = str(err.get("msg", ""))
    if msg.startswith("Value error, "):
        msg = msg[len("Value error, "):]
    allowed: str
    cross = False

    if typ in ("value_error", "assertion_error"):
        m_field = _FIELD_MSG.match(msg)
        rewrite = next(((pat.match(msg), fn) for pat, fn in _ROOT_REWRITES
                        if not parts and pat.match(msg)), None)
        if rewrite is not None:  # a model-level check that names its field: point at the field
            parts, problem, allowed = rewrite[1](rewrite[0])
            value = _get(data, parts)
            # across fields (the window, the mode) unless it is about one parameter's distribution
            cross = parts[0] != "uncertain"
        elif m_field and parts and parts[-1] == m_field.group(1):  # "us_troops.KOR=-5: must be"
            parts = list(parts) + [m_field.group(2)]
            value = _get(data, parts)
            problem, allowed = "is out of range", f"a value {m_field.group(3)}"
        elif "; allowed: " in msg:  # e.g. unknown actor
            head, allowed = msg.split("; allowed: ", 1)
            problem = f"is not allowed ({head})"
        else:
            problem, allowed = f"is not allowed ({msg})", _value_rule(msg)
    elif typ == "literal_error":
        allowed = str(ctx.get("expected", msg))
    elif typ in ("union_tag_invalid", "union_tag_not_found"):
        disc = str(ctx.get("discriminator", "type")).strip("'\"")
        parts = list(parts) + [disc]
        value = ctx.get("tag") if typ == "union_tag_invalid" else None
        expected = ctx.get("expected_tags")
        if not expected:
            base, members, d = _unwrap(ann) if ann is not None else (None, [], None)
            expected = ", ".join(str(_tag_of(_unwrap(m)[0], d)) for m in members) if d else msg
        allowed = str(expected)
        if typ == "union_tag_not_found":
            problem = f"is missing: every item needs a {disc}"
    elif typ == "extra_forbidden":
        names = list(parent.model_fields) if parent is not None else []
        if parent is root and root is Scenario:
            names = names + ["shocks_add"]
        allowed = ", ".join(names) if names else msg
        problem = f"is not allowed (unknown key {parts[-1]!r})" if parts else "is not allowed"
    elif typ == "missing":
        value = None
        problem = "is missing (required)"
        allowed = _describe(ann, fi) if ann is not None else msg
    elif typ in ("greater_than", "greater_than_equal", "less_than", "less_than_equal",
                 "int_parsing", "int_type", "int_from_float", "float_parsing", "float_type",
                 "finite_number", "bool_parsing", "bool_type", "string_type", "dict_type",
                 "model_type", "model_attributes_type", "list_type", "tuple_type", "too_short",
                 "too_long", "string_too_short", "string_too_long", "int_parsing_size"):
        allowed = _describe(ann, fi) if ann is not None else ""
        if typ in ("greater_than", "greater_than_equal", "less_than", "less_than_equal") \
                and not _bounds(fi):
            op, key = {"greater_than": (">", "gt"), "greater_than_equal": (">=", "ge"),
                       "less_than": ("<", "lt"), "less_than_equal": ("<=", "le")}[typ]
            if key in ctx:
                allowed = (allowed + " " if allowed else "") + f"{op} {ctx[key]}"
        if typ in ("too_short", "too_long", "string_too_short", "string_too_long"):
            allowed = f"{allowed} ({msg[0].lower() + msg[1:]})" if allowed else msg
        if not allowed:
            allowed = msg
        if typ in ("int_parsing", "float_parsing", "bool_parsing", "int_type", "float_type",
                   "bool_type", "string_type", "dict_type", "model_type", "list_type",
                   "tuple_type", "int_from_float", "model_attributes_type", "finite_number"):
            problem = "has the wrong type"
        else:
            problem = "is out of range"
    else:
        allowed = _describe(ann, fi) if ann is not None else msg
        problem = f"is not allowed ({msg})"
    return {"path": _fmt_path(parts), "parts": list(parts), "value": value, "allowed": allowed,
            "problem": problem, "cross": cross}


def _value_rule(msg: str) -> str:
    """The requirement stated by a custom validator's message (e.g. Distribution)."""
    m = re.match(r"^dist '(\w+)' needs ([\w, ]+?) \(missing", msg)
    if m:
        return f"dist {m.group(1)!r} with {m.group(2)}"
    return msg


def _validate(model: type[BaseModel], data: Mapping) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as e:
        err = _from_validation(e, model, data)
        assert err is not None
        raise err from None


def _under(parts: Sequence[object], prefix: Sequence[object]) -> bool:
    return len(parts) >= len(prefix) and all(str(a) == str(b) for a, b in zip(parts, prefix, strict=False))


def _check_layer(data: Mapping, prefix: Sequence[object], source: str, min_index: int | None = None) -> None:
    """Validate the scenario as it stands after one override (a `--set` or an option) and report
    the errors at or below the path that override set, naming it: a bad value is an error even
    when a later override replaces it. Errors elsewhere (a shock missing a field another override
    will give, a window another option moves) are left to the merged scenario's validation.
    `min_index`: only list items from this index on (``shocks_add`` appends)."""
    try:
        Scenario.model_validate(data)
    except ValidationError as e:
        def keep(parts: Sequence[object], cross: bool = False) -> bool:
            if cross or not _under(parts, prefix):
                return False
            if min_index is None:
                return True
            item = parts[len(prefix)] if len(parts) > len(prefix) else None
            return isinstance(item, int) and item >= min_index
        err = _from_validation(e, Scenario, data, keep=keep, where=lambda parts: source)
        if err is not None:
            raise err from None
    if list(prefix) == ["world"]:
        _check_world_ref(data.get("world"), source)


def _check_world_ref(ref: object, source: str) -> None:
    """The world a layer names exists (a bundled id or a .yaml/.yml file): named by its source."""
    try:
        _locate(ref, _WORLD, "world", None)
    except InputError as e:
        raise InputError(f"{source}: world", e.value, e.allowed, problem=e.problem) from None


def _line_in(text: str, parts: Sequence[object]) -> int | None:
    """The 1-based line of the key path `parts` in YAML `text` (of its deepest part present)."""
    try:
        node = yaml.compose(text, Loader=_SafeUniqueLoader)  # noqa: S506 - nodes only, a SafeLoader subclass
    except yaml.YAMLError:
        return None
    line = None
    for part in parts:
        nxt = None
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and k.value == str(part):
                    line, nxt = k.start_mark.line + 1, v
                    break
        elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
            nxt = node.value[part]
            line = nxt.start_mark.line + 1
        if nxt is None:
            break
        node = nxt
    return line


def _file_label(file: Path, kind: _Kind) -> str:
    try:
        if file.resolve().parent == kind.folder.resolve():
            return f"{kind.name} {file.stem}"
    except OSError:
        pass
    return str(file)


def _check_file(merged: Mapping, file: Path, kind: _Kind, own: Mapping) -> None:
    """Validate a scenario file as written (merged over its `extends` ancestry), before any
    override: the message names the file and the line of the offending key."""
    try:
        Scenario.model_validate(merged)
    except ValidationError as e:
        def where(parts: Sequence[object]) -> str:
            label = _file_label(file, kind)
            try:
                line = _line_in(file.read_text(encoding="utf-8"), parts)
            except (OSError, UnicodeDecodeError):
                line = None
            return f"{label} line {line}" if line else label
        err = _from_validation(e, Scenario, merged, where=where)
        assert err is not None
        raise err from None
    if "world" in own:
        line = _line_in(file.read_text(encoding="utf-8"), ["world"])
        label = _file_label(file, kind)
        _check_world_ref(merged.get("world"), f"{label} line {line}" if line else label)


# --------------------------------------------------------------------------------------------
# Public entry points


def load_scenario(ref: str | os.PathLike[str], overrides: Sequence[str] = (),
                  fields: Mapping[str, object] | None = None,
                  dropped: list | None = None) -> Scenario:
    """Load a preset id or a .yaml/.yml path, resolve `extends`, apply overrides and fields,
    validate. Bad input of any kind raises InputError (see the module docstring).

    When the overrides or fields move the run's window (start_year or horizon), the document's
    shocks dated outside the new window are history or beyond it: they are left out, and listed
    in `dropped` if given, rather than rejected. Shocks added by the overrides are still checked."""
    data = _load_doc(ref, _SCENARIO, "scenario")
    window0 = (data.get("start_year"), data.get("horizon"))
    original = copy.deepcopy(data.get("shocks") or [])
    # the file (each of its `extends` chain) was validated as written; now each override, then
    # the merged scenario: a bad value anywhere is an error even if a later layer replaces it
    _apply_overrides(data, overrides, Scenario, check=True)
    _apply_fields(data, fields, Scenario, check=True)
    return _validate(Scenario, _drop_outside(data, window0, original, dropped))


def _drop_outside(data: dict, window0: tuple, original: list, dropped: list | None) -> dict:
    """When the run's window moved, the document's shocks dated outside it are history or beyond
    it: left out (listed in `dropped`), not rejected. Shocks added since are still checked."""
    if (data.get("start_year"), data.get("horizon")) == window0 or not isinstance(data.get("shocks"), list):
        return data
    lo = data.get("start_year", Scenario.model_fields["start_year"].default)
    hi = data.get("horizon", Scenario.model_fields["horizon"].default)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (lo, hi)):
        return data  # a bad window is reported by validation
    keep = []
    for sh in data["shocks"]:
        y = sh.get("year") if isinstance(sh, dict) else None
        if sh in original and isinstance(y, int) and not (lo <= y <= hi):
            if dropped is not None:
                dropped.append(sh)
            continue
        keep.append(sh)
    data["shocks"] = keep
    return data


def load_world(name_or_path: str | os.PathLike[str]) -> World:
    """Load a bundled world id or a .yaml/.yml path, resolving `extends` (parameters merge by
    key, and a child's entry merges key by key over the parent's), and validate it."""
    data = _load_doc(name_or_path, _WORLD, "world")
    return _validate(World, data)


def scenario_hash(s: Scenario) -> str:
    """First 16 hex characters of the sha256 of the scenario's canonical JSON."""
    canon = json.dumps(s.model_dump(mode="json"), sort_keys=True, separators=(",", ":"),
                       ensure_ascii=False, allow_nan=False)
    return hashlib.sha256(canon.encode("utf-8")).hexdigest()[:16]


def validate_file(path: str | os.PathLike[str], overrides: Sequence[str] = (),
                  fields: Mapping[str, object] | None = None) -> Scenario:
    """Load and validate a scenario file (or preset id) with its overrides, as `load_scenario`
    does, and load the world it names, so a scenario naming a missing or invalid world fails
    here rather than at run time."""
    s = load_scenario(path, overrides=overrides, fields=fields)
    load_world(s.world)
    return s


def with_fields(scenario: Scenario, fields: Mapping[str, object] | None) -> Scenario:
    """`scenario` with the fields at dotted paths set (checked against the schema like `--set`,
    then validated): the exploration layer's policies and field factors."""
    if not fields:
        return scenario
    data = scenario.model_dump(mode="python")
    window0 = (data.get("start_year"), data.get("horizon"))
    original = copy.deepcopy(data.get("shocks") or [])
    fields = {k: (int(v) if k in ("start_year", "horizon") and isinstance(v, float) and v == int(v) else v)
              for k, v in fields.items()}
    _apply_fields(data, fields, Scenario)
    return _validate(Scenario, _drop_outside(data, window0, original, None))
