"""`umbrella data ACTOR`: everything the bundled data say about one actor, with sources.

`actor_profile` returns plain Python values (NaN becomes None) so the CLI can print or dump it as
JSON; `format_profile` renders it as "field: value  [source]" lines in English or Japanese.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from . import nuclear, relations
from .actors import actor_table, check_actor, known_actors
from .facts import start_facts
from .load import table_view as load_table

# Per-actor fields of Facts shown in a profile, in display order.
FACT_FIELDS = (
    "gdp_usd_bn", "gdp_growth", "milex_share", "warheads", "status", "years_in_status", "latency", "enr",
    "sep_pu_t", "nuclear_elec_share", "npt_member", "npt_nws", "major_power", "regional_power", "us_troops",
    "support_own_weapons",
)

# UI labels (not facts): English and Japanese.
LABELS = {
    "gdp_usd_bn": ("GDP (current US$ bn)", "GDP（名目、10億米ドル）"),
    "gdp_growth": ("real growth (log, per year)", "実質成長率（対数、年率）"),
    "milex_share": ("defence spending (share of GDP)", "国防費（対GDP比）"),
    "warheads": ("warheads (military stockpile)", "核弾頭数（軍事備蓄）"),
    "status": ("nuclear status (Bleek 0-3)", "核開発段階（Bleek 0-3）"),
    "years_in_status": ("years in status", "現段階の継続年数"),
    "latency": ("latent capability (N_CAP7 0-7)", "潜在能力（N_CAP7 0-7）"),
    "enr": ("enrichment/reprocessing operating", "濃縮・再処理の稼働"),
    "sep_pu_t": ("separated civil plutonium (t)", "分離プルトニウム（民生、トン）"),
    "nuclear_elec_share": ("nuclear share of electricity", "原子力発電比率"),
    "npt_member": ("NPT party", "NPT締約国"),
    "npt_nws": ("NPT nuclear-weapon state", "NPT核兵器国"),
    "major_power": ("major power (J&G)", "大国（J&G）"),
    "regional_power": ("regional power (J&G)", "地域大国（J&G）"),
    "us_troops": ("US troops hosted", "駐留米軍（現役）"),
    "support_own_weapons": ("public support for own nuclear weapons", "自国核保有への世論支持"),
    "npt": ("NPT joined / withdrew", "NPT加入 / 脱退"),
    "patron_pairs": ("patron-client pairs", "拡大抑止の関係"),
    "rivals": ("rivals", "戦略的ライバル"),
    "arrangements": ("US arrangements", "米国との拡大抑止の取り決め"),
    "neighbours": ("watched neighbours", "注視する近隣国"),
    "polls": ("polls", "世論調査"),
    "credibility_polls": ("belief the patron would defend", "同盟国の防衛意思への信頼"),
    "warheads_series": ("warhead series", "核弾頭数の推移"),
    "doctrine_path": ("doctrine path (low-high)", "核戦力目標経路（低-高）"),
    "region": ("region", "地域"),
    "core": ("core actor", "中核アクター"),
    "year": ("year", "年"),
    "none": ("none", "なし"),
    "yes": ("yes", "はい"),
    "no": ("no", "いいえ"),
    "n/a": ("n/a", "データなし"),
    "first": ("first", "初保有"),
    "peak": ("peak", "最大"),
    "latest": ("latest", "最新"),
    "since": ("since", "開始"),
    "weight": ("weight", "重み"),
    "treaty": ("treaty", "条約"),
    "informal": ("informal", "非公式"),
    "northeast_asia": ("Northeast Asia", "北東アジア"),
    "europe": ("Europe", "欧州"),
    "middle_east": ("Middle East", "中東"),
    "south_asia": ("South Asia", "南アジア"),
    "oceania": ("Oceania", "オセアニア"),
    "north_america": ("North America", "北米"),
}
LANGS = ("en", "ja")


def _plain(v):
    """numpy scalars -> Python; NaN -> None (JSON-friendly)."""
    if isinstance(v, np.generic):
        v = v.item()
    if isinstance(v, float) and math.isnan(v):
        return None
    return v


def _year_or_none(v) -> int | None:
    return None if pd.isna(v) else int(v)


def _warhead_summary(iso3: str) -> dict | None:
    s = nuclear.warhead_series(iso3)
    if s.empty or not (s["stockpile"] > 0).any():
        return None
    pos = s[s["stockpile"] > 0]
    peak = s.loc[s["stockpile"].idxmax()]
    last = s.iloc[-1]
    return {"first_year": int(pos["year"].min()), "peak": int(peak["stockpile"]), "peak_year": int(peak["year"]),
            "latest": int(last["stockpile"]), "latest_year": int(last["year"]),
            "source": "nuclear_warhead_stockpiles_1945_2025.csv: FAS via OWID (to 2023), SIPRI Yearbook (2024-25)"}


def actor_profile(iso3: str, year: int = 2025) -> dict:
    """Every fact about one actor at `year`, each with its source."""
    code = check_actor(iso3)
    facts = start_facts(known_actors(), year)
    i = facts.index(code)
    row = actor_table().loc[code]
    npt = load_table("npt_status").set_index("iso3").loc[code]
    pairs = relations.patron_pairs(known_actors(), facts.year)
    pair_src = load_table("patron_pairs").set_index(["patron", "client", "since"])["source"]
    doctrine = load_table("doctrine_paths")
    doctrine = doctrine[doctrine["actor"] == code]
    return {
        "iso3": code, "year": facts.year, "name_en": row["name_en"], "name_ja": row["name_ja"],
        "region": row["region"], "core": bool(row["core"]), "identity_source": f"actors.csv: {row['source']}",
        "facts": {f: {"value": _plain(getattr(facts, f)[i]), "source": facts.actor_sources[f][i]} for f in FACT_FIELDS},
        "npt": {"joined": _year_or_none(npt["npt_joined"]), "withdrew": _year_or_none(npt["npt_withdrew"]),
                "source": npt["source"], "confidence": npt["confidence"]},
        "patron_pairs": [
            {"role": "client" if p.client == code else "patron", "patron": p.patron, "client": p.client,
             "kind": p.kind, "since": p.since, "pair_source": pair_src.loc[(p.patron, p.client, p.since)],
             "cred0": p.cred0, "source": p.cred0_source}
            for p in pairs if code in (p.patron, p.client)],
        "arrangements": relations.arrangements_of(code, facts.year),
        "rivals": relations.rivalries_of(code, facts.year),
        "neighbours": relations.neighbours_of(code),
        "polls": [{k: _plain(v) for k, v in r.items()} for r in relations.polls_of(code)],
        "credibility_polls": [{k: _plain(v) for k, v in r.items()} for r in relations.credibility_polls_of(code)],
        "warheads_series": _warhead_summary(code),
        "doctrine_path": [{"year": int(r["year"]), "low": float(r["low"]), "high": float(r["high"]),
                           "source": r["source"]} for _, r in doctrine.iterrows()],
    }


def _fmt(v, lang: str) -> str:
    j = LANGS.index(lang)
    if v is None:
        return LABELS["n/a"][j]
    if isinstance(v, bool):
        return LABELS["yes" if v else "no"][j]
    if isinstance(v, float):
        return f"{v:,.1f}" if abs(v) >= 100 else f"{v:.4g}"
    return str(v)


def format_profile(d: dict, lang: str = "en") -> str:
    """Plain-text profile: one "field: value  [source]" line per item."""
    if lang not in LANGS:
        raise ValueError(f"lang: {lang!r} is not supported; allowed: {', '.join(LANGS)}")
    j = LANGS.index(lang)
    label = {k: v[j] for k, v in LABELS.items()}
    name = d["name_ja"] if lang == "ja" else d["name_en"]
    out = [f"{d['iso3']}  {name}  ({label['year']} {d['year']})",
           f"{label['region']}: {label[d['region']]}  [{d['identity_source']}]",
           f"{label['core']}: {_fmt(d['core'], lang)}  [{d['identity_source']}]"]
    for field, item in d["facts"].items():
        out.append(f"{label[field]}: {_fmt(item['value'], lang)}  [{item['source']}]")
    npt = d["npt"]
    out.append(f"{label['npt']}: {_fmt(npt['joined'], lang)} / {_fmt(npt['withdrew'], lang)}  [{npt['source']}]")
    sections = (
        ("patron_pairs", lambda p: (f"{p['patron']}->{p['client']} {label[p['kind']]}, {label['since']} {p['since']} "
                                    f"[{p['pair_source']}], cred0 {p['cred0']:.3g}"), "source"),
        ("arrangements", lambda r: f"{r['arrangement']} = {r['level']} ({r['since']}-{r['until'] or ''})", "source"),
        ("rivals", lambda r: f"{r['rival']} {r['from_year']}-{r['to_year'] or ''}", "source"),
        ("neighbours", lambda r: f"{r['neighbour']} {label['weight']} {r['weight']:.2g}", "source"),
        ("polls", lambda r: f"{r['fieldwork']} {r['question_short']}: {r['value_pct']:.4g}%", "reported_by"),
        ("credibility_polls", lambda r: f"{r['year']}-{r['month']:02d} {r['patron']}: {r['value']:.3g}", "source"),
        ("doctrine_path", lambda r: f"{r['year']}: {r['low']:,.0f}-{r['high']:,.0f}", "source"),
    )
    for key, render, src in sections:
        rows = d[key]
        if not rows:
            out.append(f"{label[key]}: {label['none']}")
        for r in rows:
            out.append(f"{label[key]}: {render(r)}  [{r[src]}]")
    w = d["warheads_series"]
    if w is None:
        out.append(f"{label['warheads_series']}: {label['none']}")
    else:
        out.append(f"{label['warheads_series']}: {label['first']} {w['first_year']}, {label['peak']} {w['peak']:,} "
                   f"({w['peak_year']}), {label['latest']} {w['latest']:,} ({w['latest_year']})  [{w['source']}]")
    return "\n".join(out)
