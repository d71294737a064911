"""`umbrella map`: the offline exposure map (umbrella.interfaces.maps: render, mapscene, mapcmd).

The HTML page must be self-contained (checked by parsing it, then in a real headless Chromium
that aborts and records every request leaving the machine), labelled in the chosen language,
deterministic, and show one marker per base. The PNG must be a PNG in both languages. Bad options
fail with InputError naming the option.
"""

from __future__ import annotations

import os
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlparse

import pytest

from umbrella.errors import InputError
from umbrella.geo import exposure
from umbrella.interfaces.maps import mapscene, maptext, render
from umbrella.interfaces.maps.mapcmd import map_command

CHROMIUM = "/usr/bin/chromium"
# flags the machine notes require for Debian's Chromium with no network and no display
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
SVG_NS = "http://www.w3.org/2000/svg"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def result():
    return exposure.compute(year=2025)


@pytest.fixture(scope="module")
def pages(result):
    return {lang: render.render_html(result, lang) for lang in maptext.LANGS}


class _Tags(HTMLParser):
    """Every start tag with its attributes, and the text of <style> elements."""

    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    handle_startendtag = handle_starttag

    def handle_endtag(self, tag):
        if tag == "style":
            self._in_style = False

    def handle_data(self, data):
        if self._in_style:
            self.styles.append(data)


def _parse(page: str) -> _Tags:
    p = _Tags()
    p.feed(page)
    p.close()
    return p


def _remote(url: str) -> bool:
    u = url.strip().lower()
    return u.startswith(("http:", "https:", "//", "ftp:", "ws:", "wss:"))


# ------------------------------------------------------------------ HTML, parsed

@pytest.mark.parametrize("lang", maptext.LANGS)
def test_html_is_self_contained(pages, lang):
    page = pages[lang]
    doc = _parse(page)
    names = [t for t, _ in doc.tags]
    for banned in ("script", "link", "iframe", "img", "object", "embed", "image", "use", "foreignobject"):
        assert banned not in names, f"<{banned}> in the page"
    for tag, attrs in doc.tags:
        for key in ("src", "href", "xlink:href", "srcset", "action", "data", "poster"):
            if attrs.get(key) is not None:
                assert not _remote(attrs[key]), f"<{tag} {key}={attrs[key]!r}>"
        for url in re.findall(r"url\(([^)]*)\)", " ".join(v or "" for v in attrs.values())):
            assert url.strip("'\" ").startswith("#"), f"<{tag}> refers to url({url})"
    css = "\n".join(doc.styles)
    assert "@import" not in css and "@font-face" not in css
    for url in re.findall(r"url\(([^)]*)\)", css):
        assert not _remote(url.strip("'\" ")), f"CSS url({url})"
    # the only URL-like string anywhere is the SVG namespace name (an identifier, never fetched)
    assert re.findall(r"(?:https?:)?//[\w.-]+", page.replace(SVG_NS, "")) == []
    # and the page forbids every fetch, so a browser could not go online for it either
    csp = [a for t, a in doc.tags if t == "meta" and a.get("http-equiv", "").lower() == "content-security-policy"]
    assert csp and "default-src 'none'" in csp[0]["content"]


def test_html_font_stack_and_language(pages):
    for lang, page in pages.items():
        assert f'<html lang="{lang}">' in page
        assert '"Noto Sans CJK JP", "IPAGothic", "IPAexGothic", sans-serif' in page
    ja, en = pages["ja"], pages["en"]
    for word in ("嘉手納", "沖縄", "本州", "九州", "グアム", "北朝鮮", "中国", "東京", "射程", "出典"):
        assert word in ja, word
    for word in ("Kadena Air Base", "Okinawa", "Honshu", "North Korea", "Tokyo", "Sources"):
        assert word in en, word
    assert "嘉手納" not in en and "Kadena" not in ja


def test_html_is_deterministic(result, pages):
    assert render.render_html(result, "en") == pages["en"]
    assert render.render_html(exposure.compute(year=2025), "ja") == pages["ja"]


def test_html_has_one_marker_per_base_with_tooltip(result, pages):
    doc = _parse(pages["en"])
    markers = [a for t, a in doc.tags if t == "circle" and a.get("class") == "base"]
    assert len(markers) == len(result["bases"]) > 0
    assert pages["en"].count('class="base"') == len(result["bases"])
    # every marker carries an SVG <title> tooltip naming the base
    for name in result["bases"]:
        assert f"<title>{name.replace('&', '&amp;')} \u2014" in pages["en"].replace("&#x27;", "'")


def test_rings_and_colour_scale(result, pages):
    drawn = [c for c in result["classes"] if c["state"] in ("CHN", "PRK") and c["present"]]
    n_paths = pages["en"].count('class="ring ring-')
    assert 4 <= n_paths < len(drawn)  # ICBM rings lie outside the map and are only listed
    assert "(beyond the map)" in pages["en"]
    # the scale is monotone and every base's colour is that of its bin
    assert list(mapscene.BINS) == sorted(mapscene.BINS)
    for b in result["bases"].values():
        n = b["missiles_in_range"]["CHN"]
        i = mapscene.bin_of(n)
        assert mapscene.BINS[i] <= n and (i + 1 == len(mapscene.BINS) or n < mapscene.BINS[i + 1])


def test_scene_is_finite_and_fits(result):
    for lang in maptext.LANGS:
        sc = mapscene.build(result, lang)  # raises if the legend overflows the map's height
        assert mapscene.is_finite_scene(sc)


def test_every_drawn_place_has_a_japanese_name(result):
    for name in result["bases"]:
        assert maptext.has_ja("base", name), name
    for g in exposure.GROUPS:
        assert maptext.has_ja("group", g), g
    x0, x1, y0, y1 = mapscene.EXTENT
    for name, p in result["other_points"].items():
        if p["category"] == "capital" and x0 <= p["lon"] <= x1 and y0 <= p["lat"] <= y1:
            assert maptext.has_ja("capital", name), name
    for iso in mapscene.COUNTRY_LABELS:
        assert maptext.has_ja("country", iso), iso


def test_texts_exist_in_both_languages():
    en, ja = maptext.TEXT["en"], maptext.TEXT["ja"]
    assert en.keys() == ja.keys()
    assert len(en["caption"]) == len(ja["caption"])


# ------------------------------------------------------------------ HTML, in a real browser

def _is_local(url: str) -> bool:
    u = urlparse(url)
    if u.scheme in ("file", "data", "about", "blob"):
        return True
    return u.scheme in ("http", "https", "ws", "wss") and u.hostname in ("127.0.0.1", "localhost", "::1")


@pytest.mark.skipif(not Path(CHROMIUM).exists(),
                    reason=f"{CHROMIUM} is missing: `make browser` installs Debian's chromium (needs root and apt-get)")
@pytest.mark.browser
def test_html_in_headless_chromium_makes_no_external_request(tmp_path, result):
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (test extra)")
    Image = pytest.importorskip("PIL.Image", reason="Pillow is not installed (comes with the plots extra)")
    page_path = map_command(2025, tmp_path / "map.html", "ja")
    blocked: list[str] = []

    def guard(route):
        if _is_local(route.request.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1340, "height": 1200})
            page.route("**/*", guard)
            # control: the guard sees and records a request that leaves the machine
            page.set_content('<img src="https://example.com/probe.png">')
            page.wait_for_timeout(300)
            assert any("example.com" in u for u in blocked), "the request guard is not working"
            blocked.clear()

            page.goto(page_path.as_uri(), wait_until="load")
            page.wait_for_timeout(300)
            n_markers = page.locator("svg circle.base").count()
            japanese_label = page.get_by_text("嘉手納基地").count()
            shot = tmp_path / "shot.png"
            page.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert blocked == [], f"external requests: {blocked}"
    assert n_markers == len(result["bases"])
    assert japanese_label >= 1
    img = Image.open(shot).convert("RGB")
    colours = img.getcolors(maxcolors=1 << 20)
    assert colours is not None and len(colours) > 200, "screenshot has too few colours: blank page?"
    white = sum(n for n, c in colours if c == (255, 255, 255))
    assert white < 0.7 * img.width * img.height, "screenshot is mostly white"


# ------------------------------------------------------------------ PNG

@pytest.mark.usefixtures("needs_matplotlib")
@pytest.mark.parametrize("lang", maptext.LANGS)
def test_png_in_both_languages(tmp_path, result, lang):
    pytest.importorskip("matplotlib", reason="the plots extra is not installed")
    if lang == "ja":
        pytest.importorskip("matplotlib_fontja", reason="the plots extra is not installed")
    out = render.render_png(result, tmp_path / f"map_{lang}.png", lang)
    data = out.read_bytes()
    assert data[:8] == PNG_MAGIC
    w, h = render.png_size(out)
    assert w == int(mapscene.MARGIN + mapscene.MAP_W + 24 + mapscene.PANEL_W) and h > mapscene.MAP_H
    assert len(data) > 50_000


def test_map_command_writes_atomically(tmp_path):
    out = map_command(None, tmp_path / "sub" / "map.html", "en")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in out.parent.iterdir()] == ["map.html"]  # no temporary file left behind
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask  # permissions of any new file, not mkstemp's 0600


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize("kwargs, key", [
    ({"lang": "fr", "out": "x.html"}, "--lang"),
    ({"lang": "en", "out": "x.pdf"}, "--out"),
    ({"lang": "en", "out": "map"}, "--out"),
])
def test_bad_options_raise_input_error(tmp_path, kwargs, key):
    with pytest.raises(InputError) as e:
        map_command(2025, tmp_path / kwargs["out"], kwargs["lang"])
    msg = str(e.value)
    assert msg.startswith(key) and "allowed" in msg
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_year_outside_the_data_raises_input_error(tmp_path):
    with pytest.raises(InputError) as e:
        map_command(1900, tmp_path / "x.html", "en")
    assert "year" in str(e.value)
    assert list(tmp_path.iterdir()) == []


def test_render_rejects_unknown_language(result):
    with pytest.raises(InputError, match="lang"):
        render.render_html(result, "de")
