"""The dashboard (issue 18): the run callback for 10,000 runs of status-quo-2025 after a warm-up
(server side: simulation, headline table and figures; the JSON the browser receives), the same
inputs again (served from the cache), and 50 concurrent sessions loading the page and reading a
cached result over HTTP on 127.0.0.1: p50 / p95 / max and errors."""

from __future__ import annotations

import socket
import statistics
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from werkzeug.serving import make_server

from umbrella.interfaces.dashboard import service as S
from umbrella.interfaces.dashboard.app import make_app, run_request


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _body(text: str, runs: int) -> bytes:
    return run_request(text, "consensus", runs)


def _post(url: str, body: bytes) -> float:
    t = time.perf_counter()
    req = urllib.request.Request(url + "/_dash-update-component", data=body,
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=300) as r:
        r.read()
    return time.perf_counter() - t


def main() -> None:
    app = make_app(S.Limits(max_runs=20_000))
    port = _port()
    srv = make_server("127.0.0.1", port, app.server, threaded=True)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{port}"
    warm = S.scenario_yaml("status-quo-2025", ["levers.us_troops.KOR=20000"])
    _post(url, _body(warm, 10_000))                 # kernels, facts, fonts
    text = S.scenario_yaml("status-quo-2025", ["levers.us_troops.KOR=0"])
    first = _post(url, _body(text, 10_000))
    cached = _post(url, _body(text, 10_000))
    print(f"run -> figures, 10,000 runs, after warm-up: {first:.2f} s; the same inputs again (cache): {cached:.2f} s")

    def session(_i):
        t = time.perf_counter()
        for path in ("/", "/_dash-layout", "/_dash-dependencies"):
            with urllib.request.urlopen(url + path, timeout=60) as r:
                r.read()
        page = time.perf_counter() - t
        return page, _post(url, _body(text, 10_000))

    errors = 0
    with ThreadPoolExecutor(50) as ex:
        futs = [ex.submit(session, i) for i in range(50)]
        res = []
        for f in futs:
            try:
                res.append(f.result())
            except Exception:   # noqa: BLE001 - counted, reported
                errors += 1
    for name, xs in (("page load", [r[0] for r in res]), ("cached result", [r[1] for r in res])):
        xs = sorted(xs)
        p95 = xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]
        print(f"50 sessions, {name}: p50 {statistics.median(xs):.2f} s, p95 {p95:.2f} s, max {xs[-1]:.2f} s")
    print(f"errors: {errors}")
    srv.shutdown()


if __name__ == "__main__":
    main()
