"""Catalogue of the bundled scenario presets (issue 6): id, titles and the seed lines each encodes.

`presets()` lists every preset in ``scenario/presets/`` except ``historical`` (the historical
mode, which runs the panel rather than a forward scenario), each resolved through
`load_scenario` so that inherited titles and sources are what a run would see.
"""

from __future__ import annotations

from umbrella.scenario.load import list_presets, load_scenario

__all__ = ["presets"]

_EXCLUDED = frozenset({"historical"})


def presets() -> list[dict]:
    """``[{"id", "title", "title_ja", "sources": ["F1:L22", ...]}, ...]`` sorted by id."""
    out = []
    for pid in list_presets():
        if pid in _EXCLUDED:
            continue
        s = load_scenario(pid)
        out.append({"id": s.id, "title": s.title, "title_ja": s.title_ja,
                    "sources": [src.ref for src in s.sources]})
    return sorted(out, key=lambda d: d["id"])
