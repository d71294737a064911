"""Maintainer script: rebuild the copied/extracted tables in ``tables/`` from the reference pack.

Not imported by the package and never run at run or test time: the bundled CSVs are the
product, this script only documents (and can repeat) how the copies and extracts were made.
Hand-authored tables (actors.csv, rivalries.csv, ...) are not touched.

Usage::

    python -m umbrella.data.build_tables PACK_DATA_DIR

where PACK_DATA_DIR is the reference pack's ``data/`` folder (the one holding README.md).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

TABLES = Path(__file__).parent / "tables"

# Top-level pack tables copied byte for byte (their '#' header lines already name the sources).
VERBATIM = (
    "alliances_arrangements_timeline.csv",
    "atop_defense_pacts_major_patrons.csv",
    "bases_and_reference_points.csv",
    "china_warheads_estimates_projections.csv",
    "dprk_missile_tests_by_year_cns.csv",
    "latency_status_snapshot_2025.csv",
    "missiles_china_dprk.csv",
    "nu_clear_latency_selected_1938_2001.csv",
    "nuclear_cooperation_agreements_nca_summary.csv",
    "nuclear_forces_sipri_2023_2025.csv",
    "nuclear_latency_nl_v1.2_country_summary.csv",
    "nuclear_warhead_stockpiles_1945_2025.csv",
    "proliferation_history_events.csv",
    "proliferation_status_country_year_bleek_owid.csv",
    "public_opinion_nuclear_polls.csv",
    "us_treaty_allies_and_nato_sharing.csv",
    "us_troops_abroad_selected_1950_2024.csv",
    "validation_targets.csv",
)

SIPRI_WORKBOOK = "raw/sipri/SIPRI-Milex-data-1949-2024_2.xlsx"
NL_WORKBOOK = "raw/data4ds4da/nl_dataset_v.1.2.xlsx"


def _sheet_row(wb, sheet: str, country: str) -> dict:
    """The row of `country` in a SIPRI sheet as {header: value} (header row starts 'Country')."""
    rows = list(wb[sheet].iter_rows(values_only=True))
    header = next(r for r in rows if r and r[0] == "Country")
    row = next(r for r in rows if r and isinstance(r[0], str) and r[0].strip() == country)
    return dict(zip(header, row, strict=False))


def _num(v):
    # SIPRI marks missing cells with strings (". .", "xxx", "..."); keep numbers only.
    return float(v) if isinstance(v, (int, float)) else None


def sipri_with_egypt(pack: Path) -> None:
    """Copy the SIPRI milex CSV and append Egypt 2005-2024 from the raw workbook (same format)."""
    import openpyxl

    wb = openpyxl.load_workbook(pack / SIPRI_WORKBOOK, read_only=True, data_only=True)
    cur = _sheet_row(wb, "Current US$", "Egypt")
    const = _sheet_row(wb, "Constant (2023) US$", "Egypt")
    share = _sheet_row(wb, "Share of GDP", "Egypt")
    lines = (pack / "sipri_milex_2005_2024.csv").read_text(encoding="utf-8").splitlines()
    header_at = next(i for i, ln in enumerate(lines) if not ln.startswith("#"))
    note = (
        "# Umbrella addition: rows for EGY (Egypt) were missing from the pack copy; they were extracted for this "
        "project from the same workbook (sheets 'Current US$', 'Constant (2023) US$', 'Share of GDP'; SIPRI 2025 "
        "release) with openpyxl, rounded like the other rows, and appended at the end of the file. Egypt's SIPRI "
        "figures are for the adopted budget and exclude paramilitary forces (SIPRI notes section/pilcrow)."
    )
    out = lines[:header_at] + [note] + lines[header_at:]
    out.append("# EGY rows below: appended from the raw SIPRI workbook (see header note).")
    for year in range(2005, 2025):
        c, k, s = _num(cur.get(year)), _num(const.get(year)), _num(share.get(year))
        gdp = c / s / 1000 if c is not None and s else None
        cells = [
            "EGY", "Egypt", str(year),
            "" if c is None else f"{c:.1f}",
            "" if k is None else f"{k:.1f}",
            "" if s is None else f"{round(s * 100, 3):g}",
            "" if gdp is None else f"{gdp:.1f}",
        ]
        out.append(",".join(cells))
    (TABLES / "sipri_milex_2005_2024.csv").write_text("\n".join(out) + "\n", encoding="utf-8")


def bleek_spells(pack: Path) -> None:
    header = [
        "# Bleek (2017) explore/pursue/acquire spells, one row per spell (COW ccode, country, stage, start, end).",
        ("# Source: Bleek, P.C. (2017) 'When Did (and Didn't) States Proliferate? Chronicling the Spread of Nuclear "
         "Weapons', Belfer Center / James Martin CNS discussion paper,"),
        ("#   as digitised by Our World in Data (GitHub owid/notebooks, nuclear_weapons_proliferation_raw.xlsx, commit "
         "e7118b8c; CC BY 4.0). Spells derived by the reference pack (bleek_2017/bleek_spells.csv), copied unchanged."),
        ("# Open-ended spells are coded end = 2017 (the coding date). Multi-spell cells split into rows. OCR names "
         "corrected; use ccode as key (Germany pre-1945 = 255, West Germany = 260)."),
    ]
    body = (pack / "bleek_2017/bleek_spells.csv").read_text(encoding="utf-8").splitlines()
    (TABLES / "bleek_spells.csv").write_text("\n".join(header + body) + "\n", encoding="utf-8")


def nuccap_extract(pack: Path) -> None:
    import pandas as pd

    df = pd.read_csv(pack / "jo_gartzke_2007/nuccap.csv", encoding="utf-8-sig", lineterminator="\r")
    df = df[["ccode", "year", "N_CAP7", "N_CAP7t"]].dropna(subset=["ccode", "year"])
    df = df.astype({"ccode": int, "year": int})
    header = [
        ("# Extract of the Jo & Gartzke latent nuclear capability indices by COW ccode and year, 1938-2001, all "
         "states: N_CAP7 = sum of seven capability indicators (0-7),"),
        ("#   assuming capabilities once acquired are preserved; N_CAP7t = the same sum counting only items still "
         "produced (codebook, Sept 2006)."),
        ("# Source: Jo, Dong-Joon and Erik Gartzke (2007) 'Determinants of Nuclear Weapons Proliferation', Journal of "
         "Conflict Resolution 51(1); file nuccap_data.csv"),
        ("#   from public GitHub repo meysubb/learning_py (original distribution on E. Gartzke's website), copied in "
         "the reference pack as jo_gartzke_2007/nuccap.csv."),
        ("# Extract made for Umbrella: columns ccode, year, N_CAP7, N_CAP7t only (component indicators dropped); "
         "values unchanged. Academic replication data, no licence stated; cite the article."),
    ]
    text = "\n".join(header) + "\n" + df.to_csv(index=False, lineterminator="\n")
    (TABLES / "jo_gartzke_nuccap_ncap7.csv").write_text(text, encoding="utf-8")


def jg_copy(pack: Path) -> None:
    header = [
        ("# Jo & Gartzke (2007) replication data, country-year 1939-1992 (covariates lagged one year; see the "
         "reference pack's jo_gartzke_2007/README.md for variable labels)."),
        ("# Source: Jo, Dong-Joon and Erik Gartzke (2007) 'Determinants of Nuclear Weapons Proliferation', Journal of "
         "Conflict Resolution 51(1);"),
        ("#   jo_gartzke_0207_replicate_0906.dta from public GitHub repo meysubb/learning_py (original on E. Gartzke's "
         "website), converted to CSV with pandas.read_stata by the reference pack; copied unchanged."),
        ("# Used here for majpow (COW major power) and regpowt (regional power) in actors.csv, and for historical "
         "calibration. Empty cell = missing. Cite the article."),
    ]
    body = (pack / "jo_gartzke_2007/jg.csv").read_text(encoding="utf-8")
    (TABLES / "jo_gartzke_2007_jg.csv").write_text("\n".join(header) + "\n" + body, encoding="utf-8")


def nl_facilities(pack: Path) -> None:
    import pandas as pd

    df = pd.read_excel(pack / NL_WORKBOOK)
    cols = ["country_name", "ccode", "facility_name", "enr_type", "size", "construction_start",
            "operation_start", "operation_end", "operation2_start", "operation2_end", "covert", "military"]
    df = df[cols].copy()
    for c in ("operation2_start", "operation2_end"):
        df[c] = df[c].astype("Int64")
    header = [
        ("# Facility-level extract of the Nuclear Latency (NL) dataset v1.2 (enrichment and reprocessing facilities, "
         "1939-2012)."),
        ("# Source: Fuhrmann, M. and B. Tkach (2015) 'Almost Nuclear: Introducing the Nuclear Latency Dataset', "
         "Conflict Management and Peace Science 32(4):443-461;"),
        ("#   file nl_dataset_v.1.2.xlsx from public GitHub repo knapply/data4ds4da (inst/datasets/nl/), copied in the "
         "reference pack raw/data4ds4da/. Columns selected for Umbrella, values unchanged."),
        ("# Codes (NL codebook): enr_type 1 = reprocessing, 2-8 = enrichment methods; size 1 lab / 2 pilot / 3 "
         "commercial; 7777 = still operating in 2012; 9999 = never began operating; -99 = missing. Germany coded ccode "
         "260 throughout."),
    ]
    text = "\n".join(header) + "\n" + df.to_csv(index=False, lineterminator="\n")
    (TABLES / "nl_v1.2_facilities.csv").write_text(text, encoding="utf-8")


def main(pack_dir: str) -> None:
    pack = Path(pack_dir)
    TABLES.mkdir(exist_ok=True)
    for name in VERBATIM:
        shutil.copyfile(pack / name, TABLES / name)
        (TABLES / name).chmod(0o644)
    sipri_with_egypt(pack)
    bleek_spells(pack)
    nuccap_extract(pack)
    jg_copy(pack)
    nl_facilities(pack)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
