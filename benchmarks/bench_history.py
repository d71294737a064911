"""Historical-mode benchmark: the proliferation step over the panel's states (about 180),
1939-2017 (79 years), and the whole `umbrella backtest` (five rolling origins, two runaway
checks), each at 500 runs after a warm-up that compiles or loads the numba cache."""

from __future__ import annotations

import time


def main() -> None:
    from umbrella.calibrate import backtest, historical

    historical.run(1990, 1995, runs=20, seed=1)          # warm-up
    t = time.perf_counter()
    h = historical.run(1939, 2017, runs=500, seed=1939)
    run_s = time.perf_counter() - t
    t = time.perf_counter()
    backtest.backtest(runs=500, seed=1939)
    bt_s = time.perf_counter() - t
    states, years = h.status.shape[2], h.status.shape[1]
    print(f"{'task':<34} {'seconds':>8} {'state-years/s':>14}")
    print(f"{'historical 1939-2017, 500 runs':<34} {run_s:>8.2f} {500 * states * years / run_s:>14,.0f}")
    print(f"{'backtest, 500 runs':<34} {bt_s:>8.2f} {'':>14}")


if __name__ == "__main__":
    main()
