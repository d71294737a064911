"""The disk cache of data-derived values (cold start): same values, rebuilt when unreadable,
off with UMBRELLA_NO_CACHE, and the facts read back equal the facts built."""

from __future__ import annotations

import dataclasses

import numpy as np

from umbrella.data import diskcache, facts, load


def test_memo_stores_reads_and_recovers(tmp_path, monkeypatch):
    monkeypatch.setenv("UMBRELLA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("UMBRELLA_NO_CACHE", raising=False)
    calls = []

    def compute():
        calls.append(1)
        return {"a": np.arange(3)}

    tables = str(load.TABLES_DIR)
    a = diskcache.memo("t", ("k",), tables, compute)
    b = diskcache.memo("t", ("k",), tables, compute)
    assert len(calls) == 1 and np.array_equal(a["a"], b["a"])
    (f,) = list(tmp_path.glob("t-*.pkl"))
    f.write_bytes(b"not a pickle")                       # a corrupt file is recomputed, then replaced
    assert np.array_equal(diskcache.memo("t", ("k",), tables, compute)["a"], np.arange(3)) and len(calls) == 2
    diskcache.memo("t", ("other",), tables, compute)
    assert len(calls) == 3 and len(list(tmp_path.glob("t-*.pkl"))) == 2
    monkeypatch.setenv("UMBRELLA_NO_CACHE", "1")
    diskcache.memo("t", ("k",), tables, compute)
    assert len(calls) == 4


def test_facts_from_disk_equal_facts_built(tmp_path, monkeypatch):
    monkeypatch.setenv("UMBRELLA_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("UMBRELLA_NO_CACHE", raising=False)
    built = facts._build_now(facts.DEFAULT_ACTORS, 2025)
    back = facts._from_disk(facts._to_disk(built))
    for f in dataclasses.fields(built):
        x, y = getattr(built, f.name), getattr(back, f.name)
        if isinstance(x, np.ndarray):
            assert np.array_equal(x, y, equal_nan=x.dtype.kind == "f") and not y.flags.writeable, f.name
        else:
            assert dict(x) == dict(y) if hasattr(x, "keys") else x == y, f.name
