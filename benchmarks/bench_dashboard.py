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


def _browser(url: str) -> None:
    """In headless Chromium (when installed): click Run after changing a lever until the last
    figure is drawn by plotly.js, three lever settings of 10,000 runs each."""
    import os
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        print("browser: playwright not installed (skipped)")
        return
    if not os.path.exists("/usr/bin/chromium"):
        print("browser: /usr/bin/chromium not found (skipped)")
        return
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url + "/")
        page.wait_for_function("document.querySelector('#yaml') && document.querySelector('#yaml').value.length > 0")
        page.fill("#runs", "10000")
        page.click("#run")                     # the first figures (their nodes then persist)
        page.wait_for_function("(() => { const g = document.querySelector('#fig-status-KOR .js-plotly-plot');"
                               " return g && g.data && g.data.length > 0; })()", timeout=120_000)
        times = []
        for v in (3000, 4000, 6000):
            page.fill("#lever-us_troops-KOR", str(v))
            page.keyboard.press("Enter")
            page.wait_for_function(f"document.querySelector('#yaml').value.includes('KOR: {v}')")
            # the last figure's data as plotly.js holds it: a new object once the new run is drawn
            page.evaluate("window.__old = document.querySelector('#fig-status-KOR .js-plotly-plot').data[0]")
            t = time.perf_counter()
            page.click("#run")
            page.wait_for_function("(() => { const g = document.querySelector('#fig-status-KOR .js-plotly-plot');"
                                   " return g && g.data && g.data[0] !== window.__old && g._fullLayout; })()",
                                   timeout=120_000, polling="raf")
            page.evaluate("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")   # painted
            times.append(time.perf_counter() - t)
        browser.close()
    print("browser, click Run -> figures drawn, 10,000 runs, three lever settings: "
          + ", ".join(f"{x:.2f} s" for x in times))


def main() -> None:
    import logging
    import sys
    logging.getLogger("werkzeug").setLevel(logging.WARNING)      # not a line per request
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else S.Limits().workers
    print(f"worker processes: {workers}")
    app = make_app(S.Limits(max_runs=20_000, workers=workers))
    if app.runner.pool is not None:
        app.runner.pool.ready()
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
    more = []
    for v in (5000, 1000, 2000):        # more levers changed: each a new simulation
        more.append(_post(url, _body(S.scenario_yaml("status-quo-2025", [f"levers.us_troops.KOR={v}"]), 10_000)))
    print("run -> figures, three more lever settings: " + ", ".join(f"{x:.2f} s" for x in more))
    _browser(url)

    import json
    # what a browser asks for on opening the page (its scripts aside, cached after the first
    # visit): the index, the layout shell, the callbacks, then the page in its language
    page_body = json.dumps({"output": "page.children", "outputs": {"id": "page", "property": "children"},
                            "inputs": [{"id": "url", "property": "search", "value": "?lang=ja"}],
                            "changedPropIds": ["url.search"], "state": []}).encode()

    def session(_i):
        t = time.perf_counter()
        for path in ("/", "/_dash-layout", "/_dash-dependencies"):
            with urllib.request.urlopen(url + path, timeout=60) as r:
                r.read()
        _post(url, page_body)
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
    app.runner.close()


if __name__ == "__main__":
    main()
