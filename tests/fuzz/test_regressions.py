"""Every failure the fuzzer found (tests/fuzz/harness.py), as its minimal input."""

from __future__ import annotations

import pytest

from umbrella.errors import InputError
from umbrella.scenario import load_scenario
from umbrella.scenario.load import read_yaml


def test_compare_interval_of_a_probability_difference_stays_in_minus_one_one():
    """`compare A B --runs 3`: the normal-approximation interval of a difference of shares went
    past +-1 (e.g. hi = 1.21 for status.KOR.explore)."""
    from umbrella.analysis.compare import compare
    res = compare("asian-multilateral-npg", "rok-goes-first", runs=3)

    def cells(o):
        if isinstance(o, dict) and set(o) == {"mean", "lo", "hi"}:
            yield o
        elif isinstance(o, dict):
            for v in o.values():
                yield from cells(v)
    for section in ("status", "npt_collapse", "credibility", "nuclear_use", "alignment", "war"):
        for c in cells(res["diff"][section]):
            for v in c.values():
                assert v is None or -1.0 <= v <= 1.0, (section, c)


@pytest.mark.parametrize("item", ["levers.us_permits_nuclear.TWN=a\nb\x86", "levers.bogus\n=1", "runs=\u2028"])
def test_a_set_argument_with_a_line_break_gives_a_one_line_message(item):
    """A --set VALUE (or PATH) holding a line break or a control character was echoed raw."""
    with pytest.raises(InputError) as e:
        load_scenario("status-quo-2025", [item])
    assert len(str(e.value).splitlines()) == 1, str(e.value)


@pytest.mark.parametrize("text,problem", [
    ("a: &a [x,x,x,x,x,x,x,x,x,x]\n" + "".join(f"{b}: &{b} [{','.join(['*' + a] * 10)}]\n"
                                               for a, b in zip("abcdefgh", "bcdefghi", strict=True)),
     "more than 200,000 nodes"),
    ("runs: &r [*r]\n", "recursive"),
    ("a: " + "[" * 5000 + "]" * 5000 + "\n", "deeper than 64"),
])
def test_alias_bombs_recursion_and_deep_nesting_are_refused_before_construction(text, problem):
    with pytest.raises(InputError, match=problem):
        read_yaml(text, "t")
    if text.startswith("a: ["):   # a --set VALUE is parsed under the same bounds
        with pytest.raises(InputError, match=problem):
            load_scenario("status-quo-2025", [f"title={text[3:].strip()}"])


def test_non_finite_numbers_are_refused_where_the_schema_had_no_bound():
    """`uncertain` distributions took .nan and .inf (no bound on their fields)."""
    with pytest.raises(InputError, match="uncertain.cred.lr_troops.value"):
        load_scenario("status-quo-2025", ["uncertain.cred.lr_troops={dist: fixed, value: .nan}"])


@pytest.mark.parametrize("text", [
    "runs: !!float 5\n  procuring fuel\n",          # found: ValueError from PyYAML's float constructor
    "start_year: !!timestamp 2025-01-01\n  demands\n",  # found: AttributeError from its timestamp constructor
    "runs: !!int abc\n", "runs: !!float x\n",
])
def test_a_scalar_that_does_not_fit_its_explicit_tag_is_malformed_yaml(text, tmp_path):
    with pytest.raises(InputError, match="malformed YAML"):
        read_yaml(text, "t")
    f = tmp_path / "s.yaml"
    f.write_text("extends: status-quo-2025\n" + text)
    with pytest.raises(InputError, match=r"s\.yaml:\d+:\d+: .* is malformed YAML"):
        load_scenario(f)
