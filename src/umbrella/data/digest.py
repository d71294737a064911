"""One fingerprint of a set of files (their names and bytes): the data version of `--out`
manifests and explore stores, the model-code version of explore stores, the disk cache's key."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from pathlib import Path


def files_digest(paths: Iterable[Path], root: Path, salt: str = "") -> str:
    """sha256 (hex) over `salt` and each file's path relative to `root` and its bytes, in path order."""
    h = hashlib.sha256(salt.encode())
    for p in sorted(paths):
        h.update(str(Path(p).relative_to(root)).encode())
        h.update(Path(p).read_bytes())
    return h.hexdigest()
