"""Briefings (issue 17): `umbrella report` of status-quo-2025 at 10,000 runs, HTML and HTML+PDF,
English and Japanese, each in a fresh process after a warm-up report (kernels and the map in
their caches); wall time and file sizes. Also one figure (`umbrella plot status`)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "umbrella"


def timed(args: list[str]) -> float:
    t = time.perf_counter()
    subprocess.run([str(BIN), *args], check=True, capture_output=True)
    return time.perf_counter() - t


def main() -> None:
    with tempfile.TemporaryDirectory() as d:
        out = Path(d)
        timed(["report", "status-quo-2025", "--runs", "500", "--format", "both", "--out", str(out / "warm")])
        timed(["report", "status-quo-2025", "--runs", "500", "--lang", "ja", "--format", "both",
               "--out", str(out / "warm")])
        print("umbrella report status-quo-2025 (10,000 runs):")
        for lang in ("en", "ja"):
            for fmt in ("html", "both"):
                s = timed(["report", "status-quo-2025", "--lang", lang, "--format", fmt, "--out", str(out / lang)])
                sizes = ", ".join(f"{p.suffix[1:]} {p.stat().st_size / 1024:,.0f} KB"
                                  for p in sorted((out / lang).glob(f"report-*-{lang}.*")))
                print(f"  {lang} {fmt:<4} {s:5.1f} s   {sizes}")
        s = timed(["plot", "status", "status-quo-2025", "--lang", "ja", "--out", str(out / "f.png")])
        print(f"umbrella plot status status-quo-2025 --lang ja (10,000 runs): {s:.1f} s")


if __name__ == "__main__":
    main()
