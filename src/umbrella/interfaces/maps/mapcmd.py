"""`umbrella map`: validate the options, compute the exposure, render, write atomically.

The CLI wires `map_command` in; bad input raises InputError (the CLI prints it and exits 2)
before anything is computed or written. The file appears whole or not at all: it is written
to a temporary file beside the target and renamed over it (os.replace is atomic on POSIX).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from umbrella.errors import InputError

from . import maptext

FORMATS = (".html", ".png")


def check_options(out, lang: str) -> Path:
    """InputError naming the option when `lang` or the suffix of `out` is not supported."""
    if lang not in maptext.LANGS:
        raise InputError("--lang", lang, " | ".join(maptext.LANGS))
    out = Path(out)
    if out.suffix.lower() not in FORMATS:
        raise InputError("--out", str(out), "a file name ending in .html (self-contained page) or .png (image)",
                         problem="has an unsupported extension")
    return out


def map_command(year: int | None, out: Path, lang: str = "en", scenario: str | None = None) -> Path:
    """Draw the exposure map of `year` (or of the scenario's start year) to `out` (.html or .png)
    with labels in `lang` (en | ja). Returns the path written."""
    from umbrella.geo import exposure

    from . import render

    out = check_options(out, lang)
    result = dict(exposure.compute(year=year, scenario=scenario))
    if scenario is not None:
        result["scenario_id"] = Path(str(scenario)).stem  # preset id or file stem, for the subtitle
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=out.suffix, dir=out.parent)
    try:
        if out.suffix.lower() == ".html":
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
                fh.write(render.render_html(result, lang))
        else:
            os.close(fd)
            render.render_png(result, tmp, lang)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes the file private; the map is not
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
