"""Catalogue of the bundled scenario presets (issue 6): id, titles and the seed lines each encodes.

`presets()` lists every preset in ``scenario/presets/`` except those in historical mode
(``mode: historical``: the panel rather than a forward scenario), each resolved through
`load_scenario` so that inherited titles and sources are what a run would see.
"""

from __future__ import annotations

from umbrella.scenario.load import list_presets, load_scenario

__all__ = ["presets"]

def presets() -> list[dict]:
    """``[{"id", "title", "title_ja", "sources": ["F1:L22", ...]}, ...]`` sorted by id."""
    out = []
    for pid in list_presets():
        s = load_scenario(pid)
        if s.mode != "annual":   # historical mode is not one of the articles' scenarios
            continue
        out.append({"id": s.id, "title": s.title, "title_ja": s.title_ja,
                    "sources": [src.ref for src in s.sources]})
    return sorted(out, key=lambda d: d["id"])
