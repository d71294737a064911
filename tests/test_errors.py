"""InputError: the one error of bad input keeps its message and fields across a process boundary
(the dashboard's worker processes, Dask workers pickle it)."""

import pickle

from umbrella.errors import InputError


def test_input_error_survives_pickling():
    e = InputError("levers.us_troops.KOR", "many", "a number of troops >= 0", problem="is not a number")
    f = pickle.loads(pickle.dumps(e))
    assert type(f) is InputError and str(f) == str(e)
    assert (f.path, f.value, f.allowed, f.problem) == (e.path, e.value, e.allowed, e.problem)
