"""The dashboard (issue 18, first step): the service without a browser (the same scenario and
numbers as the command line, limits, cache), then the page in headless Chromium with every
request recorded, and 50 concurrent sessions against 127.0.0.1."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

pytest.importorskip("dash")

from umbrella.errors import InputError  # noqa: E402
from umbrella.interfaces.dashboard import service as S  # noqa: E402


def _cli_json(*args) -> dict:
    exe = Path(sys.executable).parent / "umbrella"
    r = subprocess.run([str(exe), "run", *args, "--json", "-"], capture_output=True, text=True, check=True)
    return json.loads(r.stdout)


def test_widgets_offer_what_the_schema_accepts():
    assert S.lever_choices("consultation") == ("choice", ["none", "dialogue", "consultative_group", "planning_group"])
    assert S.lever_choices("forward_weapons")[0] == "bool"
    assert S.lever_choices("us_troops")[0] == "number"
    sets = S.overrides({"us_troops.KOR": 0, "consultation.JPN": "planning_group", "forward_weapons.KOR": "true",
                        "rok_camp": S.DATA, "us_administration": None})
    assert sets == ["levers.us_troops.KOR=0", "levers.consultation.JPN=planning_group",
                    "levers.forward_weapons.KOR=true"]


def test_every_widget_value_is_accepted_by_the_loader_and_labelled():
    from umbrella.interfaces import i18n
    keys = [f"{lv}.{a}" for a in S.ALLIES for lv in S.PER_ALLY] + list(S.GLOBAL) + list(S.NESTED)
    assert len(S.GLOBAL) >= 10 and "dprk_deal.freeze" in S.NESTED and "status" in S.PER_ALLY
    from umbrella.scenario.schema import Levers
    covered = {k.split(".")[0] for k in keys}
    assert covered >= set(Levers.model_fields) - {"defence_target"}     # every lever but one structure
    for k in S.PER_ALLY + S.GLOBAL + S.NESTED:
        for lang in ("en", "ja"):
            assert i18n.t(f"lever.{k}", lang)
    for key in keys:
        name = key.split(".")[0] if key.split(".")[0] in S.PER_ALLY else key
        kind, values = S.lever_choices(name)
        for v in (values or [0.5]):
            v = str(v).lower() if isinstance(v, bool) else v
            text = S.scenario_yaml("status-quo-2025", S.overrides({key: v}))
            sc = S.load_text(text)
            assert sc.levers is not None, key


@pytest.mark.parametrize("workers", [2, 0])
def test_the_dashboard_runs_the_cli_scenario_with_the_same_numbers(workers):
    """Every number of the summary equals the CLI's JSON, whether the runs are split over two
    worker processes (an odd count: unequal halves) or run in the server's process."""
    sets = ["levers.us_troops.KOR=0", "levers.consultation.KOR=planning_group"]
    text = S.scenario_yaml("status-quo-2025", sets)
    runner = S.Runner(S.Limits(workers=workers))
    try:
        assert (runner.pool is not None) == (workers > 1)
        s, cached = runner.summary(text, "consensus", 401, token="t")
        assert not cached and runner.progress("t") is None        # finished: nothing running
        cli = _cli_json("status-quo-2025", "--runs", "401", *[a for x in sets for a in ("--set", x)])
        assert set(s) == set(cli)
        for key in cli:
            if key != "scenario":                  # the page's scenario id: <preset>-dashboard
                assert json.dumps(s[key], sort_keys=True) == json.dumps(cli[key], sort_keys=True), key
        again, cached = runner.summary(text, "consensus", 401)
        assert cached and again is s and runner.hits == 1
    finally:
        runner.close()


def test_progress_is_reported_while_a_simulation_runs():
    text = S.scenario_yaml("status-quo-2025", [])
    runner = S.Runner(S.Limits(workers=2))
    seen = []
    try:
        th = threading.Thread(target=runner.summary, args=(text, "consensus", 4000), kwargs={"token": "p"})
        th.start()
        while th.is_alive():
            p = runner.progress("p")
            if p is not None:
                seen.append(p[0])
            th.join(0.02)
    finally:
        runner.close()
    assert seen and all(0.0 <= x <= 1.0 for x in seen)
    assert max(seen) > 0.5 and seen == sorted(seen)          # it moves forward, never back
    assert runner.progress("p") is None


@pytest.mark.parametrize("text,runs,key", [
    ("id: x\nextends: status-quo-2025\nlevers: {us_troops: {KOR: many}}\n", 400, "us_troops"),
    ("id: x\nextends: status-quo-2025\nruns: !!python/object/apply:os.system [ls]\n", 400, "python"),
    ("id: x\nextends: no-such-preset\n", 400, "no-such-preset"),
    ("id: x\nextends: status-quo-2025\n", 50, "runs"),
    ("id: x\nextends: status-quo-2025\n", 10**7, "runs"),
    ("id: x\nextends: status-quo-2025\n", "many", "runs"),
    ("id: x\nextends: status-quo-2025\nhorizon: 2090\n", 400, "horizon"),
])
def test_bad_input_is_refused_with_the_key(text, runs, key):
    with pytest.raises(InputError) as e:
        S.Runner(S.Limits()).summary(text, "consensus", runs)
    assert key in str(e.value)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def root(explore_root):
    """The dashboard's start-up directory: one exploration store in it (conftest)."""
    return explore_root


def test_a_shock_from_the_form_is_the_scenario_schemas():
    sh = S.shock("troops", 2030, "KOR", "0", None)
    assert sh == {"type": "troops", "year": 2030, "target": "KOR", "value": 0}
    sc = S.load_text(S.scenario_yaml("status-quo-2025", [], [sh]))
    assert any(x.type == "troops" and x.year == 2030 for x in sc.shocks)
    with pytest.raises(InputError, match="shock type"):
        S.shock("meteor", 2030, None, None, None)
    with pytest.raises(InputError, match="shock year"):
        S.shock("troops", "soon", "KOR", "0", None)
    with pytest.raises(InputError, match="tone"):
        S.load_text(S.scenario_yaml("status-quo-2025", [], [S.shock("rhetoric", 2030, "KOR", None, None)]))


def test_only_stores_under_the_root_can_be_opened(root):
    assert S.stores_under(root) == ["stores/kd"]
    assert S.stores_under(None) == []
    assert S.store_path(root, "stores/kd") == (root / "stores" / "kd").resolve()
    with pytest.raises(InputError, match="store"):
        S.store_path(root, "../../etc")


@pytest.fixture(scope="module")
def server(root):
    from werkzeug.serving import make_server

    from umbrella.interfaces.dashboard.app import make_app
    app = make_app(S.Limits(max_runs=20_000), root=root)
    port = _free_port()
    srv = make_server("127.0.0.1", port, app.server, threaded=True)
    th = threading.Thread(target=srv.serve_forever, daemon=True)
    th.start()
    yield f"http://127.0.0.1:{port}", app
    srv.shutdown()
    app.runner.close()


@pytest.mark.slow
@pytest.mark.browser
def test_page_runs_switches_language_and_shows_errors_offline(server, offline_page):
    pw = pytest.importorskip("playwright.sync_api")
    url, app = server
    with pw.sync_playwright() as p:
        browser, page, external, errors = offline_page(p, (url, "data:"))
        page.goto(url + "/")
        page.wait_for_function("document.querySelector('#yaml') && document.querySelector('#yaml').value.length > 0")
        # a lever: US troops in Korea to 0 -> the YAML says so
        page.fill("#lever-us_troops-KOR", "0")
        page.keyboard.press("Enter")
        page.wait_for_function("document.querySelector('#yaml').value.includes('KOR: 0')")
        page.fill("#runs", "1000")
        page.click("#run")
        page.wait_for_function("document.querySelector('#status').innerText.includes('runs in')", timeout=120_000)
        cells = page.eval_on_selector_all("#headline td", "els => els.map(e => e.innerText)")
        cli = _cli_json("status-quo-2025", "--runs", "1000", "--set", "levers.us_troops.KOR=0")
        from umbrella.interfaces.briefing.report import headline_rows
        want = headline_rows(cli, "en")
        assert want[0]["label"] in cells and want[0]["value"] in cells
        k = cells.index(want[3]["label"])
        assert cells[k + 1] == want[3]["value"]            # the numbers match the CLI's JSON
        page.wait_for_selector("#fig-status-KOR .main-svg", timeout=60_000)   # plotly.js drew the open one
        assert page.locator("#fig-tabs .tab").count() == 7
        page.click("#fig-tabs .tab >> nth=6")                                   # the cascade's tab
        page.wait_for_selector("#fig-cascade .main-svg .heatmaplayer", timeout=60_000)
        page.click("#fig-tabs .tab >> nth=5")                                   # war and nuclear use
        page.wait_for_function("document.querySelectorAll('#fig-crises .scatterlayer .trace').length >= 8")
        base = _cli_json("status-quo-2025", "--runs", "1000")
        assert headline_rows(base, "en")[3]["value"] != want[3]["value"] or \
            headline_rows(base, "en")[1]["value"] != want[1]["value"]      # the lever moved something
        # Japanese
        page.click("text=日本語")
        page.wait_for_function("document.querySelector('#run') && document.querySelector('#run').innerText == '実行'")
        assert "韓国" in page.inner_text("body")
        # a bad input: too few runs -> the message, nothing run
        page.fill("#runs", "50")
        page.click("#run")
        page.wait_for_function("document.querySelector('#yaml-error').innerText.includes('runs')")
        assert "実行せず" in page.inner_text("#yaml-error")
        browser.close()
    assert not external, external
    assert not errors, errors


@pytest.mark.slow
@pytest.mark.browser
def test_compare_explain_map_and_explore_tabs(server, offline_page):
    pw = pytest.importorskip("playwright.sync_api")
    url, app = server
    with pw.sync_playwright() as p:
        browser, page, external, errors = offline_page(p, (url, "data:"))
        page.goto(url + "/?lang=ja")
        page.wait_for_function("document.querySelector('#yaml') && document.querySelector('#yaml').value.length > 0")
        # a dated shock: US troops in Korea to 0 in 2030 goes into the YAML; a rhetoric shock without
        # its tone is refused with the schema's message, and the YAML keeps the valid one only
        page.click("text=日付付きのショック")
        page.click("#shock-add")
        page.wait_for_function("document.querySelector('#yaml').value.includes('shocks_add')")
        page.click("#shock-type")
        page.click("text=米国の発言 (rhetoric)")
        page.fill("#shock-value", "")
        page.click("#shock-add")
        page.wait_for_function("document.querySelector('#shock-error').innerText.includes('tone')")
        text = page.input_value("#yaml")
        assert "type: troops" in text and "rhetoric" not in text
        page.fill("#runs", "500")
        page.click("text=比較")
        page.click("#compare-run")
        page.wait_for_selector("#compare-table td", timeout=120_000)
        assert "韓国" in page.inner_text("#compare-out")
        page.click("text=全ての世界で")
        page.fill("#runs", "200")
        page.click("#compare-run")
        page.wait_for_function("document.querySelector('#compare-out').innerText.includes('kelly')", timeout=240_000)
        assert "頑健" in page.inner_text("#compare-out") or "区別できない" in page.inner_text("#compare-out")
        page.click("text=要因分析")
        page.click("#explain-run")
        page.wait_for_selector("#explain-table td", timeout=120_000)
        assert "世論" in page.inner_text("#explain-out")
        page.click("text=地図")
        page.click("#map-run")
        page.wait_for_selector("#map-img", timeout=120_000)
        page.click("text=探索")
        page.click("#store-run")
        page.wait_for_selector("#store-out img", timeout=120_000)
        assert "探索結果" in page.inner_text("#store-out")
        browser.close()
    assert not external, external
    assert not errors, errors


def test_fifty_sessions_read_the_page_and_a_cached_result(server):
    """A bounded load test against 127.0.0.1 (no timing asserted: benchmarks/bench_dashboard.py
    measures it): 50 concurrent sessions load the page's layout and read a cached result."""
    import urllib.request
    from concurrent.futures import ThreadPoolExecutor
    url, app = server
    text = S.scenario_yaml("status-quo-2025", [])
    app.runner.summary(text, "consensus", 300)         # the result every session reads
    from umbrella.interfaces.dashboard.app import run_request
    body = run_request(text, "consensus", 300)

    def session(_i):
        for path in ("/", "/_dash-layout", "/_dash-dependencies"):
            with urllib.request.urlopen(url + path, timeout=60) as r:
                assert r.status == 200
        req = urllib.request.Request(url + "/_dash-update-component", data=body,
                                     headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=120) as r:
            out = json.loads(r.read())
        return out["response"]["status"]["children"]

    with ThreadPoolExecutor(50) as ex:
        results = list(ex.map(session, range(50)))
    assert all("served from the cache" in r for r in results), results[:3]


def test_run_figures_are_plain_json_with_the_summarys_numbers():
    """The run tab's seven Plotly figures: plain JSON (no NaN), the fan chart's lines are the
    summary's shares, and a scenario without crises or cascade gets a blank with a note."""
    from umbrella.interfaces.dashboard import charts
    runner = S.Runner(S.Limits(workers=0))
    s, _ = runner.summary(S.scenario_yaml("rok-goes-first", []), "consensus", 300)
    figs = dict(charts.run_figures(s, "ja"))
    assert list(figs) == list(charts.FIGURES)
    json.dumps(figs, allow_nan=False)
    line = [t for t in figs["status-KOR"]["data"] if t.get("name") == "保有"][0]
    assert line["y"][-1] == s["status"]["KOR"]["arsenal"][str(s["horizon"])]
    assert figs["cascade"]["data"][0]["type"] == "heatmap"
    bare = {**s, "war": {}, "nuclear_use": {}, "cascade": {}}
    blank = dict(charts.run_figures(bare, "en"))
    assert blank["crises"]["data"] == [] and "nothing to show" in blank["crises"]["layout"]["annotations"][0]["text"]
    assert blank["cascade"]["data"] == []
