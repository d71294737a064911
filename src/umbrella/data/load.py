"""Load and validate the bundled tables.

`load_table(name)` reads ``tables/<file>`` with ``comment='#'`` (every table starts with '#'
lines naming its sources), converts each catalogued column to its dtype and checks ranges,
allowed values, references, unique keys and row rules. Any failure raises `DataError` naming the
table, column, row and bad value, so a corrupted file fails loudly instead of feeding the engine.

Validated frames are cached per (table, directory); callers get a copy so that they cannot
alter the cache.
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from .catalog import CATALOG, Column, TableSpec
from .errors import DataError, UnknownTableError

# Module-level so tests can monkeypatch it; every call resolves it at call time.
TABLES_DIR = Path(__file__).parent / "tables"


def list_tables() -> list[str]:
    """Names of all bundled tables, sorted."""
    return sorted(CATALOG)


def table_spec(name: str) -> TableSpec:
    """The catalog entry of a table (file, columns, source)."""
    try:
        return CATALOG[name]
    except KeyError:
        raise UnknownTableError(name, CATALOG) from None


def table_path(name: str, tables_dir: Path | str | None = None) -> Path:
    return Path(tables_dir if tables_dir is not None else TABLES_DIR) / table_spec(name).file


def table_header(name: str, tables_dir: Path | str | None = None) -> list[str]:
    """The '#' source lines at the top of a table's file, without the leading '# '."""
    lines = []
    with table_path(name, tables_dir).open(encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            lines.append(line[1:].strip())
    return lines


def load_table(name: str, tables_dir: Path | str | None = None) -> pd.DataFrame:
    """Validated copy of a bundled table. `tables_dir` overrides the bundled directory (tests)."""
    directory = str(Path(tables_dir if tables_dir is not None else TABLES_DIR).resolve())
    return _load_cached(name, directory).copy()


def table_view(name: str) -> pd.DataFrame:
    """The cached validated frame itself, without a copy: for read-only use inside the data layer.

    The fact modules filter these frames thousands of times per start year; copying each time
    would dominate their run time. They never mutate a frame (every operation returns a new one).
    """
    return _load_cached(name, str(Path(TABLES_DIR).resolve()))


def clear_cache() -> None:
    _load_cached.cache_clear()


@functools.cache
def _load_cached(name: str, directory: str) -> pd.DataFrame:
    spec = table_spec(name)
    path = Path(directory) / spec.file
    if not path.is_file():
        raise DataError(f"table {name!r}: file {path} not found")
    # Read everything as text first so that a bad cell is reported as written, not as NaN.
    raw = pd.read_csv(path, comment="#", dtype=str, keep_default_na=False, na_values=[""], skipinitialspace=False)
    lines = _data_line_numbers(path, len(raw))
    df = raw.copy()
    for col in spec.columns:
        if col.name not in df.columns:
            raise DataError(f"table {name!r} ({spec.file}): required column {col.name!r} is missing; "
                            f"columns present: {', '.join(df.columns)}")
        df[col.name] = _convert(spec, col, raw[col.name], lines, directory)
    _check_key(spec, df, lines)
    for check in spec.checks:
        ok = check.ok(df).fillna(False).astype(bool)
        if not ok.all():
            i = int(np.flatnonzero(~ok.to_numpy())[0])
            _fail(spec, check.column, i, raw[check.column].iloc[i], f"violates rule {check.rule!r}", lines)
    return df


def _data_line_numbers(path: Path, n_rows: int) -> list[int] | None:
    """1-based file line of each data row (None if the file has multi-line cells)."""
    with path.open(encoding="utf-8") as fh:
        numbers = [i + 1 for i, ln in enumerate(fh) if ln.strip() and not ln.lstrip().startswith("#")]
    data = numbers[1:]  # first non-comment line is the header
    return data if len(data) == n_rows else None


def _fail(spec: TableSpec, column: str, i: int, value, problem: str, lines) -> None:
    where = f"row {i + 1}" + (f" (line {lines[i]})" if lines else "")
    raise DataError(f"table {spec.name!r} ({spec.file}): column {column!r}, {where}: value {value!r} {problem}")


def _convert(spec: TableSpec, col: Column, raw: pd.Series, lines, directory: str) -> pd.Series:
    missing = raw.isna()
    if not col.nullable and missing.any():
        i = int(np.flatnonzero(missing.to_numpy())[0])
        _fail(spec, col.name, i, "", "is empty but the column is required", lines)
    values: pd.Series  # str, int64/Int64 or float64 by column kind
    if col.kind == "str":
        values = raw.str.strip()
    else:
        values = pd.to_numeric(raw.str.strip(), errors="coerce")
        bad = values.isna() & ~missing
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            _fail(spec, col.name, i, raw.iloc[i], f"is not a number ({col.kind} expected)", lines)
        if col.kind == "int":
            frac = ~missing & (values != values.round())
            if frac.any():
                i = int(np.flatnonzero(frac.to_numpy())[0])
                _fail(spec, col.name, i, raw.iloc[i], "is not an integer", lines)
            values = values.round().astype("Int64") if col.nullable else values.round().astype("int64")
        else:
            values = values.astype("float64")
        for bound, cmp, word in ((col.min, np.less, "below the minimum"), (col.max, np.greater, "above the maximum")):
            if bound is None:
                continue
            out = ~missing & cmp(values.astype("float64"), bound)
            if out.any():
                i = int(np.flatnonzero(out.to_numpy())[0])
                _fail(spec, col.name, i, raw.iloc[i], f"is {word} {bound:g}", lines)
    allowed = col.allowed
    if col.ref is not None:
        allowed = tuple(_load_cached(col.ref[0], directory)[col.ref[1]])
    if allowed is not None:
        bad = ~missing & ~values.isin(allowed)
        if bad.any():
            i = int(np.flatnonzero(bad.to_numpy())[0])
            shown = ", ".join(str(a) for a in allowed)
            _fail(spec, col.name, i, raw.iloc[i], f"is not allowed; allowed: {shown}", lines)
    return values


def _check_key(spec: TableSpec, df: pd.DataFrame, lines) -> None:
    if not spec.key:
        return
    dup = df.duplicated(list(spec.key), keep="first")
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        value = tuple(df[list(spec.key)].iloc[i])
        _fail(spec, "+".join(spec.key), i, value, "duplicates an earlier row (key must be unique)", lines)
