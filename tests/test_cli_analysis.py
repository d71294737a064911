"""The issue-6 commands end to end: presets, worlds, run --worlds, compare; and the issue-5 run
outputs (nuclear_use, war)."""

import json
import subprocess
import sys

import pytest

UMB = [sys.executable, "-m", "umbrella.interfaces.cli"]


def cli(*args):
    return subprocess.run([*UMB, *args], capture_output=True, text=True, timeout=600)


def test_presets_json_lists_every_preset():
    r = cli("presets", "--json")
    assert r.returncode == 0, r.stderr
    items = json.loads(r.stdout)
    assert len(items) == 26
    for p in items:
        assert set(p) == {"id", "title", "title_ja", "sources"} and p["sources"]
    assert cli("presets").returncode == 0


def test_worlds_json():
    r = cli("worlds", "--json")
    assert r.returncode == 0, r.stderr
    items = {w["id"]: w for w in json.loads(r.stdout)}
    assert set(items) == {"consensus", "heginbotham-samuels", "defense-one", "kelly", "asano", "higuchi"}
    assert items["consensus"]["changed"] == []
    assert all(len(w["changed"]) >= 4 for k, w in items.items() if k != "consensus")


@pytest.mark.slow
def test_run_json_has_nuclear_use_and_war():
    r = cli("run", "korean-war", "--runs", "200", "--horizon", "2030", "--json", "-")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert set(s["nuclear_use"]) == {"korea", "taiwan", "east-china-sea", "europe", "any"}
    assert s["war"]["korea"]["2026"] == 1.0
    assert 0.0 < s["nuclear_use"]["korea"]["2026"] < 1.0


@pytest.mark.slow
def test_run_worlds_all_and_compare_worlds():
    r = cli("run", "status-quo-2025", "--worlds", "consensus,kelly", "--runs", "100", "--horizon", "2030",
            "--json", "-")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    assert set(s["worlds"]) == {"consensus", "kelly"}
    r = cli("compare", "status-quo-2025", "us-abandonment", "--runs", "200", "--worlds", "consensus,defense-one",
            "--json", "-")
    assert r.returncode == 0, r.stderr
    c = json.loads(r.stdout)
    assert set(c["worlds"]) == {"consensus", "defense-one"} and "robust" in c
    assert "status.KOR.pursue.2040" in c["robust"]
    r = cli("compare", "status-quo-2025", "us-abandonment", "--runs", "200")
    assert r.returncode == 0 and "South Korea" in r.stdout


@pytest.mark.slow
def test_bad_worlds_exit_2():
    r = cli("run", "status-quo-2025", "--worlds", "nosuch", "--runs", "10")
    assert r.returncode == 2 and "--worlds" in r.stderr and "consensus" in r.stderr
    r = cli("compare", "status-quo-2025", "nosuch-preset", "--runs", "10")
    assert r.returncode == 2 and "nosuch-preset" in r.stderr


@pytest.mark.slow
def test_explain_json_and_text():
    r = cli("explain", "us-abandonment", "--actor", "KOR", "--event", "pursue", "--by", "2035", "--runs", "200",
            "--json", "-")
    assert r.returncode == 0, r.stderr
    e = json.loads(r.stdout)
    att = [d["share_attributable"] for d in e["drivers"]]
    assert att == sorted(att, reverse=True)
    assert {"driver", "share_present", "share_attributable"} <= set(e["drivers"][0])
    r = cli("explain", "us-abandonment", "--actor", "KOR", "--event", "nosuch")
    assert r.returncode == 2 and "--event" in r.stderr
