"""Every word `umbrella map` draws, in English and Japanese.

Strings live here, not in the drawing code, so that the two languages stay side by side and a
test can check that both have the same keys. Place names come from the bundled tables: English
from ``bases_and_reference_points.csv`` and ``actors.csv``, Japanese from ``place_names_ja.csv``
(bases, capitals, groups, extra countries) and ``actors.csv`` ``name_ja`` (countries).
"""

from __future__ import annotations

import functools

LANGS = ("en", "ja")

TEXT = {
    "en": {
        "title": "US and allied bases in Northeast Asia and Guam within range of Chinese and North Korean "
                 "missiles, {year}",
        "subtitle": "Policy-level illustration \u00b7 year {year} \u00b7 launch area: {launch}{scenario}",
        "scenario": " \u00b7 scenario {id}",
        "lat": "{v}\u00b0N", "lon": "{v}\u00b0E",
        "CHN": "China", "PRK": "North Korea",
        "legend_bases": "Chinese theatre ballistic missiles",
        "legend_bases2": "in range of the base (SRBM + MRBM + IRBM)",
        "legend_rings": "Range rings (range used)",
        "ring_state": "{state}: centre {lat:.2f}\u00b0N {lon:.2f}\u00b0E",
        "ring_row": "{cls} {km:,} km \u00b7 {inv}",
        "ring_inv": "{n:,} missiles", "ring_inv_na": "count n/a",
        "ring_off": " (beyond the map)",
        "ring_label": "{state} {cls} {km:,} km",
        "sym_base": "US or allied base", "sym_capital": "Capital", "sym_centre": "Ring centre (reference launch point)",
        "legend_list": "Bases: missiles in range (China / N. Korea)",
        "tip_base": "{name} \u2014 {group}\nChina: {dc:,.0f} km from its territory; {nc} theatre ballistic missiles "
                    "in range ({cc})\nNorth Korea: {dp:,.0f} km; {np} in range ({cp})",
        "tip_ring": "{state} {cls} ({systems}): range used {km:,} km; {inv}",
        "tip_centre": "{state}: reference launch point of the rings, {lat:.2f}\u00b0N {lon:.2f}\u00b0E (the point of "
                      "its territory nearest to the mean position of the bases shown)",
        "none": "none",
        "caption": [
            "Projection: Mercator (spherical), 110\u00b0E\u2013160\u00b0E, 10\u00b0N\u201350\u00b0N. Country outlines: "
            "Natural Earth 1:110m (public domain), which omits Guam and most small islands.",
            "Shading: the number of Chinese theatre ballistic missiles (SRBM, MRBM, IRBM) whose range used reaches the "
            "base from the nearest point of China's territory (umbrella.geo.exposure: WGS84 geodesic distance; range "
            "used = upper value of the class's stated range; launch from anywhere on the territory, since public "
            "sources give no launch area). Hover over a base for its distances and the North Korean count.",
            "Rings: geodesic circles (WGS84) of each class's range used, centred on one reference launch point per "
            "state, the point of its territory nearest to the mean position of the bases shown (China "
            "{chn}; North Korea {prk}). A base outside a ring can still be in range from another part of the "
            "territory: the shading, not the rings, measures exposure. Rings larger than the map (ICBMs) are "
            "listed, not drawn.{inland}",
            "Sources: bases and capitals: OurAirports runways (public domain) and the troopdata / David Vine base list "
            "(bases_and_reference_points.csv); missile ranges and inventories: US DoD China Military Power Report "
            "2023\u20132025, CSIS Missile Threat, USFK Strategic Digest 2019 (missile_classes.csv; several counts are "
            "low-confidence public estimates).",
            "Policy-level illustration only: approximate public ranges and counts, not targeting or operational "
            "information.",
        ],
        "inland": " China's rings are shortened by the {km:g} km inland offset of the launch area.",
    },
    "ja": {
        "title": "北東アジアとグアムの米軍・同盟国基地と中国・北朝鮮のミサイル射程（{year}年）",
        "subtitle": "政策レベルの概略図・{year}年・発射地域：{launch}{scenario}",
        "scenario": "・シナリオ {id}",
        "lat": "北緯{v}\u00b0", "lon": "東経{v}\u00b0",
        "CHN": "中国", "PRK": "北朝鮮",
        "legend_bases": "基地を射程に収める中国の",
        "legend_bases2": "戦域弾道ミサイル数（SRBM＋MRBM＋IRBM）",
        "legend_rings": "射程圏（採用した射程）",
        "ring_state": "{state}：中心 北緯{lat:.2f}\u00b0 東経{lon:.2f}\u00b0",
        "ring_row": "{cls} {km:,} km・{inv}",
        "ring_inv": "{n:,}発", "ring_inv_na": "保有数不明",
        "ring_off": "（地図の範囲外）",
        "ring_label": "{state} {cls} {km:,} km",
        "sym_base": "米軍・同盟国の基地", "sym_capital": "首都", "sym_centre": "射程圏の中心（基準発射地点）",
        "legend_list": "基地：射程内のミサイル数（中国／北朝鮮）",
        "tip_base": "{name}（{group}）\n中国：領土から{dc:,.0f} km、射程内の戦域弾道ミサイル{nc}発（{cc}）\n"
                    "北朝鮮：{dp:,.0f} km、射程内{np}発（{cp}）",
        "tip_ring": "{state} {cls}（{systems}）：採用した射程 {km:,} km、{inv}",
        "tip_centre": "{state}：射程圏の基準発射地点 北緯{lat:.2f}\u00b0 東経{lon:.2f}\u00b0（表示した基地の平均位置に"
                      "最も近い領土上の点）",
        "none": "なし",
        "caption": [
            "図法：メルカトル図法（球面）、東経110\u00b0〜160\u00b0、北緯10\u00b0〜50\u00b0。"
            "国境・海岸線：Natural Earth "
            "1:110m（パブリックドメイン）。グアムと多くの小島は含まれない。",
            "基地の色：中国領土の最も近い地点から射程（採用値）が届く中国の戦域弾道ミサイル（SRBM、MRBM、IRBM）の数"
            "（umbrella.geo.exposure：WGS84測地線距離、射程は各分類の公表値の上限、公開情報に発射地域の記載がない"
            "ため領土内のどこからでも発射可能と仮定）。基地にカーソルを合わせると距離と北朝鮮の数を表示する。",
            "射程圏：各分類の射程（採用値）を半径とする測地線円（WGS84）。中心は各国につき一つの基準発射地点で、"
            "表示した基地の平均位置に最も近い領土上の点（中国 {chn}、北朝鮮 {prk}）。円の外の基地も領土の別の"
            "地点からは射程内のことがある。暴露の尺度は円ではなく基地の色である。地図より大きい射程圏（ICBM）は"
            "凡例にのみ記載。{inland}",
            "出典：基地・首都：OurAirports滑走路データ（パブリックドメイン）、troopdata／David Vineの基地一覧"
            "（bases_and_reference_points.csv）。ミサイルの射程と保有数：米国防総省『中国の軍事力に関する年次報告』"
            "2023〜2025年、CSIS Missile Threat、在韓米軍Strategic Digest 2019（missile_classes.csv、信頼度の低い"
            "公開推定値を含む）。日本語の地名：標準的な日本語表記（place_names_ja.csv）。",
            "政策レベルの概略図であり、射程と保有数は公開情報による概数で、照準・作戦情報ではない。",
        ],
        "inland": "中国の射程圏は発射地域の内陸オフセット{km:g} km分だけ小さく描いている。",
    },
}


@functools.lru_cache(maxsize=1)
def _ja_names() -> dict[tuple[str, str], str]:
    from umbrella.data import load_table

    t = load_table("place_names_ja")
    names = {(r.kind, r.key): r.name_ja for r in t.itertuples()}
    for r in load_table("actors").itertuples():
        names.setdefault(("country", r.iso3), r.name_ja)
    return names


@functools.lru_cache(maxsize=1)
def _en_countries() -> dict[str, str]:
    from umbrella.data import load_table

    return {r.iso3: r.name_en for r in load_table("actors").itertuples()}


def place(kind: str, key: str, lang: str, english: str | None = None) -> str:
    """Name of a place in `lang`. kind: base, reference, capital, group or country (key = ISO3).
    English falls back to `english` (or the key, without a trailing ' (capital)'); Japanese
    falls back to the English name when the table has no entry (a test checks coverage)."""
    en = english or (_en_countries().get(key, key) if kind == "country" else key)
    en = en.removesuffix(" (capital)")
    if lang == "ja":
        return _ja_names().get((kind, key), en)
    return en


def launch_label(launch: str, lang: str) -> str:
    """The exposure result's launch option ('territory', 'inland:KM') in words."""
    if launch == "territory":
        return "領土全体" if lang == "ja" else "whole territory"
    if launch.startswith("inland:"):
        km = launch.split(":", 1)[1]
        return f"国境から{km} km内陸（中国）" if lang == "ja" else f"{km} km inland (China)"
    return launch


def has_ja(kind: str, key: str) -> bool:
    return (kind, key) in _ja_names()
