"""Briefings (issue 17): the bilingual catalogue, the figures, the cascade counts and the reports
in both languages and both formats, read back as a reader would (pdftotext, pdffonts, headless
Chromium)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

from umbrella.interfaces import i18n

pytest.importorskip("matplotlib")

JA = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uff00-\uffef]")   # kana, kanji, CJK punctuation, full width


# --- the catalogue ------------------------------------------------------------------------------

def test_both_languages_have_the_same_keys_and_japanese_is_japanese():
    assert set(i18n.TEXT["en"]) == set(i18n.TEXT["ja"])
    same = {"rep.col.a", "rep.col.b", "rep.col.diff"}     # letters and a formula
    for k, ja in i18n.TEXT["ja"].items():
        assert ja.strip(), k
        if k not in same:
            assert JA.search(ja), f"{k}: the Japanese label {ja!r} has no Japanese"
        # the same placeholders in both languages
        assert set(re.findall(r"{(\w+)", ja)) == set(re.findall(r"{(\w+)", i18n.TEXT["en"][k])), k


def test_every_product_name_has_a_label_in_both_languages():
    from umbrella.analysis.explain import DRIVERS
    from umbrella.crisis.theatres import THEATRES
    from umbrella.data import load_table
    from umbrella.engine import layout as L
    from umbrella.scenario import schema
    from umbrella.scenario.schema import Levers

    keys = set(i18n.TEXT["en"])
    assert {f"lever.{n}" for n in Levers.model_fields} <= keys
    assert {f"theatre.{t}" for t in THEATRES} <= keys
    assert {f"driver.{d}" for d in DRIVERS} <= keys
    assert {f"posture.{p}" for p in L.POSTURE_NAMES} <= keys
    assert {"status.explore", "status.pursue", "status.arsenal", "status.covert"} <= keys
    shock_types = set()
    for cls in vars(schema).values():
        f = getattr(cls, "model_fields", {}).get("type")
        if f is not None and isinstance(cls, type) and cls.__name__.endswith("Shock"):
            shock_types |= set(getattr(f.annotation, "__args__", ()))
    assert shock_types and {f"shock.{s}" for s in shock_types} <= keys
    actors = load_table("actors")
    for r in actors.itertuples():
        assert i18n.actor(r.iso3, "en") == r.name_en
        assert JA.search(i18n.actor(r.iso3, "ja")), r.iso3


def test_every_headline_has_a_label(summary):
    from umbrella.analysis.headlines import headlines
    for name in headlines(summary):
        en, ja = i18n.headline_label(name, "en"), i18n.headline_label(name, "ja")
        assert en != ja and JA.search(ja), name
    with pytest.raises(KeyError):
        i18n.headline_label("nonsense.KOR", "en")
    assert i18n.headline_label("nuclear_use.any.2050", "en") == "nuclear use in any theatre by 2050"
    assert i18n.headline_label("war.korea.2050", "en") == "war in the Korean Peninsula theatre by 2050"


def test_locale_formats():
    assert i18n.pct(0.1234, "ja") == "12.3%"
    assert i18n.pct(0.1234, "en") == "12.3%"
    assert i18n.num(1234567, "en") == "1,234,567"
    assert i18n.num(None, "ja") == "–"
    import datetime as dt
    assert i18n.date(dt.date(2026, 12, 7), "ja") == "2026年12月7日"
    assert i18n.date(dt.date(2026, 12, 7), "en") == "7 December 2026"
    from umbrella.errors import InputError
    with pytest.raises(InputError, match="--lang"):
        i18n.t("rep.title", "fr", scenario="x")


# --- the summary's cascade and intervals --------------------------------------------------------

@pytest.fixture(scope="module")
def summary():
    from umbrella.results.stream import summarise_run
    from umbrella.scenario import load_scenario, load_world
    sc = load_scenario("rok-goes-first", fields={"runs": 400})
    return summarise_run(sc, load_world(sc.world))


def test_crisis_rungs_count_every_crisis(summary):
    from umbrella.engine.run import simulate
    from umbrella.scenario import load_scenario, load_world
    sc = load_scenario("status-quo-2025", fields={"runs": 300})
    res = simulate(sc, load_world(sc.world))
    from umbrella.results.summary import summarise
    s = summarise(res)
    for k, th in enumerate(res.theatres):
        want = [int((res.crisis_rung[:, :, k] == r).sum()) for r in range(1, 9)]
        assert s["crisis_rungs"][th] == want, th
    assert sum(map(sum, s["crisis_rungs"].values())) > 0


def test_cascade_counts_match_the_runs_and_merge():
    from umbrella.engine import layout as L
    from umbrella.engine.run import simulate
    from umbrella.results.summary import Accumulator
    from umbrella.scenario import load_scenario, load_world
    sc = load_scenario("rok-goes-first", fields={"runs": 600})
    w = load_world(sc.world)
    res = simulate(sc, w)
    acc = Accumulator(res.inputs, res.theatres)
    acc.add(res)
    cc = acc.cascade()
    armed = res.reached >= L.ARSENAL
    Y = armed.shape[1]
    first = np.where(armed.any(axis=1), armed.argmax(axis=1), Y)
    actors = list(res.inputs.actors)
    assert "KOR" in cc["actors"] and "USA" not in cc["actors"]   # armed at the start: not in it
    for a in cc["actors"]:
        assert not (first[:, actors.index(a)] == 0).any()
    for i, a in enumerate(cc["actors"]):
        for j, b in enumerate(cc["actors"]):
            ia, ib = actors.index(a), actors.index(b)
            n_b = int((first[:, ib] < Y).sum())
            after = int(((first[:, ib] < Y) & (first[:, ia] < Y) & (first[:, ia] > first[:, ib])).sum())
            assert cc["n_first"][j] == n_b and cc["after"][i][j] == after
            if i != j and n_b:
                assert cc["p"][i][j] == pytest.approx(after / n_b, abs=1e-6)
    # batches reduced one by one and merged give the same counts
    parts = []

    def one(r0, b):
        a = Accumulator(b.inputs, b.theatres)
        a.add(b)
        parts.append(a)
    simulate(sc, w, batch_size=250, on_batch=one)
    assert len(parts) == 3
    for p in parts[1:]:
        parts[0].merge(p)
    assert parts[0].cascade() == cc


def test_wilson_interval_contains_the_share_and_is_exact_at_the_ends():
    from umbrella.results.intervals import rare, share_interval, wilson
    lo, hi = wilson(np.array([0, 3, 50, 100]), np.full(4, 100.0))
    assert lo[0] == 0.0 and hi[-1] == 1.0
    assert np.all(lo <= np.array([0, 0.03, 0.5, 1.0])) and np.all(hi >= np.array([0, 0.03, 0.5, 1.0]))
    assert share_interval(0.5, 100) == pytest.approx((0.4189, 0.5811), abs=1e-3)
    assert rare(0.03, 100) and not rare(0.5, 100) and rare(0.995, 1000)
    assert not rare(0.0, 1000) and not rare(1.0, 1000)


# --- figures ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["en", "ja"])
def test_every_figure_kind_draws_in_both_languages(summary, tmp_path, lang):
    from umbrella.interfaces.briefing import figures as F
    figs = {"status": F.status(summary, "KOR", lang), "credibility": F.credibility(summary, lang),
            "warheads": F.warheads(summary, lang), "crises": F.crises(summary, lang), "rungs": F.rungs(summary, lang),
            "cascade": F.cascade(summary, lang),
            "worlds": F.worlds({"consensus": summary, "other": summary}, "KOR.arsenal.2050", lang)}
    for kind, fig in figs.items():
        for fmt in ("png", "svg", "pdf"):
            p = F.save(fig, tmp_path / f"{kind}.{fmt}")
            assert p.stat().st_size > 5_000, (kind, fmt)
        texts = [t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text"))]
        if lang == "ja":
            assert any(JA.search(t) for t in texts), kind
    png = (tmp_path / "status.png").read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_figure_bad_input_is_an_input_error(summary, tmp_path):
    from umbrella.errors import InputError
    from umbrella.interfaces.briefing import figures as F
    with pytest.raises(InputError, match="actor"):
        F.status(summary, "XXX", "en")
    with pytest.raises(InputError, match="--out"):
        F.save(F.credibility(summary, "en"), tmp_path / "x.gif")
    with pytest.raises(InputError, match="cascade"):
        F.cascade({**summary, "cascade": {"actors": []}}, "en")


def _cli(*args, timeout=600):
    from pathlib import Path
    exe = Path(sys.executable).parent / "umbrella"
    return subprocess.run([str(exe), *args], capture_output=True, text=True, timeout=timeout)


def test_plot_and_report_reject_bad_input_with_one_line(tmp_path):
    for args, key in ((["plot", "pie", "status-quo-2025", "--out", str(tmp_path / "a.png")], "KIND"),
                      (["plot", "status", "status-quo-2025", "--out", str(tmp_path / "a.gif")], "--out"),
                      (["plot", "status", "status-quo-2025", "--lang", "fr", "--out", str(tmp_path / "a.png")],
                       "--lang"),
                      (["report", "status-quo-2025", "--format", "docx", "--out", str(tmp_path)], "--format"),
                      (["report", "no-such-preset", "--out", str(tmp_path)], "scenario"),
                      (["report", "status-quo-2025", "--compare", "no-such-preset", "--runs", "50",
                        "--out", str(tmp_path)], "scenario")):
        r = _cli(*args)
        assert r.returncode == 2, (args, r.stderr)
        assert key in r.stderr and "Traceback" not in r.stderr, (args, r.stderr)
    assert not list(tmp_path.glob("report-*"))     # nothing half-written


# --- reports, read back ---------------------------------------------------------------------------

REPORTS = [("status-quo-2025", []), ("rok-goes-first", ["--compare", "status-quo-2025"]),
           ("taiwan-crisis", ["--worlds", "all"])]
RUNS = "1500"


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """Three presets' reports (one with --compare, one with --worlds all), both languages and
    formats, and the JSON summary of each for the same runs and seed."""
    out = tmp_path_factory.mktemp("reports")
    made = {}
    for sid, extra in REPORTS:
        r = _cli("run", sid, "--runs", RUNS, "--json", str(out / f"{sid}.json"))
        assert r.returncode == 0, r.stderr
        for lang in ("en", "ja"):
            r = _cli("report", sid, *extra, "--runs", RUNS, "--lang", lang, "--format", "both", "--out", str(out))
            assert r.returncode == 0, r.stderr
            made[(sid, lang)] = (out / f"report-{sid}-{lang}.html", out / f"report-{sid}-{lang}.pdf")
    return out, made


def _pdftext(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None or shutil.which("pdffonts") is None,
                                   reason="poppler-utils (pdftotext, pdffonts) not installed: make test installs it")


@pytest.mark.slow
@needs_poppler
def test_pdf_has_the_headline_figures_and_embeds_its_fonts(reports):
    from umbrella.interfaces.briefing.report import headline_rows
    out, made = reports
    for (sid, lang), (_html, pdf) in made.items():
        summary = json.loads((out / f"{sid}.json").read_text())
        text = re.sub(r"\s+", " ", _pdftext(pdf))
        rows = headline_rows(summary, lang)
        assert len(rows) > 20
        for r in rows:       # every headline estimate of the JSON summary, as the report formats it
            assert r["value"] in text, (sid, lang, r["name"], r["value"])
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
        lines = [ln for ln in fonts.splitlines()[2:] if ln.strip()]
        assert lines and all(" yes " in ln for ln in lines), fonts       # every font embedded
        if lang == "ja":
            assert "Umbrella" in fonts or "IPA" in fonts
            assert JA.search(text)


@pytest.mark.slow
def test_japanese_report_has_no_english_label(reports):
    out, made = reports
    english = [v for k, v in i18n.TEXT["en"].items() if not k.startswith("rep.col.") and "{" not in v and len(v) > 3]
    for (sid, lang), (html, _pdf) in made.items():
        text = html.read_text(encoding="utf-8")
        body = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", text, flags=re.S)
        # codes, the command and the bibliographic notes of the sources (marked lang="en") are
        # not labels
        body = re.sub(r'<td[^>]*lang="en"[^>]*>.*?</td>', " ", body, flags=re.S)
        body = re.sub(r"<code>.*?</code>|<pre>.*?</pre>|<[^>]+>", " ", body, flags=re.S)
        if lang == "ja":
            left = [e for e in english if re.search(rf"(?<![\w-]){re.escape(e)}(?![\w-])", body)]
            assert not left, (sid, left[:5])
            # the words a reader sees first
            for word in ("outcome", "estimate", "interval", "Briefing", "Key figures", "runs"):
                assert not re.search(rf"\b{word}\b", body), (sid, word)
        else:
            assert not JA.search(body), sid          # and no Japanese in the English one


@pytest.mark.slow
@pytest.mark.browser
def test_html_opens_offline_without_errors_and_is_not_blank(reports):
    pw = pytest.importorskip("playwright.sync_api")
    import os
    if not os.path.exists("/usr/bin/chromium"):
        pytest.skip("Debian's chromium is not installed (make test installs it)")
    out, made = reports
    with pw.sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        requests: list[str] = []
        errors: list[str] = []
        for (sid, lang), (html, _pdf) in made.items():
            page = browser.new_page()
            requests.clear()
            errors.clear()
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.goto(html.as_uri())
            page.wait_for_load_state("load")
            external = [u for u in requests if not u.startswith(("file:", "data:"))]
            assert not external and not errors, (sid, lang, external, errors)
            n_img = page.eval_on_selector_all("img", "els => els.filter(e => e.naturalWidth > 100).length")
            assert n_img >= 5, (sid, lang, n_img)
            shot = page.screenshot(full_page=False)
            from io import BytesIO

            from PIL import Image
            px = np.asarray(Image.open(BytesIO(shot)).convert("L"), float)
            assert px.std() > 10, (sid, lang)      # not a blank page
            page.close()
        browser.close()


@pytest.mark.slow
def test_report_sections(reports):
    out, made = reports
    html = made[("rok-goes-first", "en")][0].read_text(encoding="utf-8")
    for sec in ("question", "headline", "figures", "map", "why", "compare", "assumptions", "manifest"):
        assert f'id="{sec}"' in html, sec
    assert "umbrella report rok-goes-first --compare status-quo-2025" in html
    tw = made[("taiwan-crisis", "ja")][0].read_text(encoding="utf-8")
    assert 'id="worlds"' in tw and ("全世界で成立" in tw or "理論次第" in tw)
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html


@pytest.mark.slow
def test_store_figures_and_report_section_in_japanese(tmp_path, explore_root):
    store = explore_root / "stores" / "kd"
    for kind in ("sobol", "robust"):
        r = _cli("plot", kind, str(store), "--lang", "ja", "--out", str(tmp_path / f"{kind}.png"))
        assert r.returncode == 0, r.stderr
        assert (tmp_path / f"{kind}.png").stat().st_size > 5_000
    r = _cli("plot", "prim", str(store), "--out", str(tmp_path / "p.png"))
    assert r.returncode == 2 and "--threshold" in r.stderr
    r = _cli("report", "status-quo-2025", "--runs", "300", "--store", str(store), "--lang", "ja",
             "--out", str(tmp_path / "rep"))
    assert r.returncode == 0, r.stderr
    html = (tmp_path / "rep" / "report-status-quo-2025-ja.html").read_text(encoding="utf-8")
    assert 'id="store"' in html and "探索結果" in html and "を左右する" in html and "満足化割合" in html
    assert "cred.lr_troops" in html and "no-troops" in html
    r = _cli("report", "status-quo-2025", "--runs", "300", "--store", str(tmp_path), "--out", str(tmp_path / "x"))
    assert r.returncode == 2 and "store" in r.stderr


def test_text_grid_counts_japanese_widths():
    from rich.cells import cell_len

    from umbrella.interfaces.text import _grid
    lines = _grid(["outcome", "2050"], [["韓国が保有", "1.0"], ["Japan", "22.0"]])
    assert len({cell_len(ln) for ln in lines}) == 1          # every line as wide in a terminal


def test_summary_intervals_are_wilson_of_the_counts(summary):
    from umbrella.results.intervals import wilson
    runs = summary["runs"]
    for a, levels in summary["intervals"]["status"].items():
        for lvl, series in levels.items():
            for y, (lo, hi) in series.items():
                p = summary["status"][a][lvl][y]
                assert lo - 1e-6 <= p <= hi + 1e-6, (a, lvl, y)
    k = round(summary["status"]["KOR"]["arsenal"]["2050"] * runs)
    lo, hi = wilson(k, runs)
    assert summary["intervals"]["status"]["KOR"]["arsenal"]["2050"] == pytest.approx([float(lo), float(hi)], abs=1e-6)
    assert summary["intervals"]["method"] == "wilson" and summary["intervals"]["level"] == 0.9
    for path in summary["intervals"]["rare"]:
        assert path.count(".") >= 1


def test_run_prints_japanese_tables_with_intervals():
    r = _cli("run", "status-quo-2025", "--runs", "300", "--lang", "ja")
    assert r.returncode == 0, r.stderr
    assert "韓国" in r.stdout and "保有" in r.stdout and "–" in r.stdout
    r = _cli("run", "status-quo-2025", "--runs", "10", "--lang", "xx")
    assert r.returncode == 2 and "--lang" in r.stderr


def test_compare_text_in_japanese_has_no_english_row_label():
    from umbrella.analysis.compare import compare
    from umbrella.interfaces.text import compare_text
    res = compare("status-quo-2025", "rok-goes-first", runs=100)
    ja, en = compare_text(res, "ja"), compare_text(res, "en")
    assert "韓国：核兵器を保有" in ja and "頑健" not in ja.split("\n")[0]
    for label in ("has nuclear weapons", "has started", "credibility as seen", "outcome", "by 2050"):
        assert label in en and label not in ja, label
    from rich.cells import cell_len
    table = [ln for ln in ja.splitlines()[4:] if ln.strip()]
    assert len({cell_len(ln.rstrip()) for ln in table[:2]}) <= 2
