"""The annual engine: state arrays with the run axis first, one module per mechanism."""

from __future__ import annotations

import hashlib
from pathlib import Path


def _invalidate_stale_numba_cache() -> bool:
    """Numba's on-disk cache is keyed by each function's own file, so a kernel compiled with
    constants from another module (layout indices, parameter positions) would survive an edit
    of that module. Drop the engine's cache whenever any engine source differs from the
    stamp written when the cache was filled. The kernels also compile in the random streams
    (umbrella/rng.py) and the parameter registry's column order (scenario/registry.py)."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for f in [*sorted(here.glob("*.py")), here.parent / "rng.py", here.parent / "scenario" / "registry.py"]:
        digest.update(f.name.encode() + f.read_bytes())
    caches = (here / "__pycache__", here.parent / "__pycache__")
    cache = caches[0]
    stamp = cache / "numba-sources.sha256"
    try:
        if stamp.is_file() and stamp.read_text() == digest.hexdigest():
            return False
        for c in caches:
            for f in list(c.glob("*.nbi")) + list(c.glob("*.nbc")):
                f.unlink(missing_ok=True)
        cache.mkdir(exist_ok=True)
        stamp.write_text(digest.hexdigest())
    except OSError:
        pass  # read-only install: numba then caches elsewhere or compiles in memory
    return True


# True when this process starts with an empty kernel cache (first run, or the engine changed):
# the first simulation then compiles the kernels, which takes a minute or two
CACHE_REBUILT = _invalidate_stale_numba_cache()
