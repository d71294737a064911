"""The command line end to end, and every class of bad input (exit 2, one message, no output)."""

import json
import subprocess
import sys

import pytest

UMB = [sys.executable, "-m", "umbrella.interfaces.cli"]


def cli(*args, cwd=None):
    return subprocess.run([*UMB, *args], capture_output=True, text=True, cwd=cwd, timeout=600)


@pytest.mark.slow
def test_run_json_contract(tmp_path):
    r = cli("run", "status-quo-2025", "--runs", "300", "--seed", "5", "--horizon", "2035",
            "--json", "-", "--batch-size", "128")
    assert r.returncode == 0, r.stderr
    s = json.loads(r.stdout)
    for key in ("scenario", "world", "runs", "seed", "start_year", "horizon", "actors", "status",
                "npt", "credibility", "alignment", "opinion", "warheads", "time_to_weapon"):
        assert key in s
    assert s["runs"] == 300 and s["horizon"] == 2035 and s["seed"] == 5
    assert set(s["status"]["KOR"]) == {"explore", "pursue", "arsenal", "covert"}
    assert list(s["npt"]["collapse"])[-1] == "2035"
    assert {"KOR", "JPN", "TWN"} <= set(s["credibility"])
    # same seed, different batch size: same summary
    r2 = cli("run", "status-quo-2025", "--runs", "300", "--seed", "5", "--horizon", "2035", "--json", "-")
    assert json.loads(r2.stdout) == s


def test_run_out_dir_and_table(tmp_path):
    out = tmp_path / "res"
    r = cli("run", "us-abandonment", "--runs", "200", "--out", str(out), "--set", "levers.us_troops.KOR=0")
    assert r.returncode == 0, r.stderr
    assert "South Korea" in r.stdout and "credibility" in r.stdout   # actor names, not codes
    m = json.loads((out / "manifest.json").read_text())
    assert m["scenario"] == "us-abandonment" and m["seed"] and m["data_version"] and m["scenario_hash"]
    assert (out / "results.nc").exists() and (out / "events.csv.gz").exists()
    import xarray as xr
    ds = xr.open_dataset(out / "results.nc", engine="scipy")
    assert ds["status"].dims == ("run", "year", "actor")
    assert float(ds["reached"].max()) <= 3


@pytest.mark.slow
def test_validate_and_data(tmp_path):
    f = tmp_path / "s.yaml"
    f.write_text("extends: status-quo-2025\nruns: 100\n")
    r = cli("validate", str(f))
    assert r.returncode == 0 and "ok" in r.stdout
    r = cli("data", "KOR")
    assert r.returncode == 0 and "24515" in r.stdout.replace(",", "")


BAD = [
    (["run", "no-such-preset"], "scenario"),
    (["run", "status-quo-2025", "--world", "nowhere"], "world"),
    (["run", "status-quo-2025", "--runs", "0"], "runs"),
    (["run", "status-quo-2025", "--set", "levers.bogus=1"], "levers.bogus"),
    (["run", "status-quo-2025", "--set", "levers.us_troops.XXX=1"], "XXX"),
    (["run", "status-quo-2025", "--set", "levers.us_troops.KOR=-5"], "levers.us_troops.KOR"),
    (["run", "status-quo-2025", "--set", "levers.rok_camp=maoist"], "levers.rok_camp"),
    (["run", "status-quo-2025", "--set", "novalue"], "--set"),
    (["run", "status-quo-2025", "--horizon", "2020"], "horizon"),
    (["run", "status-quo-2025", "--batch-size", "0"], "--batch-size"),
    (["data", "XYZ"], "XYZ"),
]


@pytest.mark.slow
@pytest.mark.parametrize("args,needle", BAD)
def test_bad_input_exits_2_with_one_message(args, needle, tmp_path):
    out = tmp_path / "o"
    r = cli(*args, "--out", str(out)) if args[0] == "run" else cli(*args)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert "Traceback" not in r.stderr and needle in r.stderr
    assert "allowed" in r.stderr or "not a known" in r.stderr
    assert r.stdout == "" and not out.exists()


def test_malformed_yaml_file(tmp_path):
    f = tmp_path / "bad.yaml"
    f.write_text("runs: [1, 2\nseed: 3\n")
    r = cli("run", str(f))
    assert r.returncode == 2 and "bad.yaml" in r.stderr and "Traceback" not in r.stderr
    f.write_text("runs: !!python/object/apply:os.system ['echo hacked']\n")
    r = cli("validate", str(f))
    assert r.returncode == 2 and "hacked" not in r.stdout


@pytest.mark.slow
def test_headlines_table_and_json():
    r = cli("headlines", "status-quo-2025", "rok-goes-first", "--runs", "200", "--json", "-")
    assert r.returncode == 0, r.stderr
    h = json.loads(r.stdout)
    assert list(h) == ["status-quo-2025", "rok-goes-first"]
    assert h["rok-goes-first"]["KOR.pursue.2050"] == 1.0
    assert h["rok-goes-first"]["warheads.CHN.2050"] > h["status-quo-2025"]["warheads.CHN.2050"]
    assert "credibility.FRA->POL.2035" in h["status-quo-2025"]
    t = cli("headlines", "status-quo-2025", "--runs", "100")
    assert t.returncode == 0 and "KOR.pursue.2050" in t.stdout
    bad = cli("headlines", "nope", "--runs", "10")
    assert bad.returncode == 2 and "nope" in bad.stderr


def test_out_estimates_its_size_and_refuses_what_does_not_fit(tmp_path):
    r = cli("run", "status-quo-2025", "--runs", "10000000", "--out", str(tmp_path / "big"))
    msg = " ".join(r.stderr.split())
    assert r.returncode == 2 and "would need about" in msg and "the JSON summary streams" in msg
    assert not (tmp_path / "big").exists() and "Traceback" not in msg
    r = cli("run", "status-quo-2025", "--runs", "50", "--horizon", "2030", "--out", str(tmp_path / "small"))
    assert r.returncode == 0 and "note: --out keeps every run" in " ".join(r.stderr.split())
