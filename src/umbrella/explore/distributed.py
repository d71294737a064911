"""Units of work on Dask distributed (the `distributed` extra): an existing scheduler
(`--dask tcp://HOST:8786`) or a LocalCluster (`--dask local:N`, N worker processes of one
thread each). Results come back to the sweep's process, which alone writes the store."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pandas as pd

from umbrella.errors import InputError


def _parse(address: str) -> tuple[str, int | None]:
    if address.startswith("local:"):
        n = address.split(":", 1)[1]
        if not n.isdigit() or not 1 <= int(n) <= 256:
            raise InputError("--dask", address, "local:N with N from 1 to 256 workers, or a scheduler address "
                             "such as tcp://127.0.0.1:8786")
        return "local", int(n)
    if "://" not in address and ":" not in address:
        raise InputError("--dask", address, "a scheduler address such as tcp://127.0.0.1:8786, or local:N")
    return address, None


def client(address: str):
    """A dask.distributed Client and the cluster it started (None for an existing scheduler)."""
    kind, n = _parse(address)
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise InputError("--dask", address, "Dask installed: pip install 'umbrella[distributed]'",
                         problem="needs the distributed extra") from None
    if kind == "local":
        # one Numba thread per worker process: N processes x one thread uses N cores, not N x cores
        old = os.environ.get("NUMBA_NUM_THREADS")
        os.environ["NUMBA_NUM_THREADS"] = "1"
        try:
            cluster = LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None)
        finally:
            if old is None:
                os.environ.pop("NUMBA_NUM_THREADS", None)
            else:
                os.environ["NUMBA_NUM_THREADS"] = old
        return Client(cluster), cluster
    try:
        return Client(address, timeout="10s"), None
    except OSError as e:
        raise InputError("--dask", address, "the address of a running Dask scheduler (`dask scheduler`)",
                         problem=f"cannot be reached ({e})") from None


def map_units(address: str, ex, design, todo: list[int], pidx: dict, fn) -> Iterator[tuple[int, pd.DataFrame]]:
    """Yield (unit, outcomes) as workers finish them; at most two units per worker in flight, so
    the client's memory stays bounded whatever the number of units."""
    from dask.distributed import as_completed
    cl, cluster = client(address)
    try:
        workers = max(1, len(cl.scheduler_info().get("workers", {})) or 1)
        ex_f = cl.scatter(ex, broadcast=True)
        fields = cl.scatter(design.fields, broadcast=True)
        queue = list(todo)
        running = {}

        def submit():
            u = queue.pop(0)
            f = cl.submit(fn, ex_f, design.unit_rows(u), fields, pidx, 1, pure=False, key=f"umbrella-unit-{u}-"
                          f"{os.getpid()}")
            running[f] = u
            return f

        for _ in range(min(len(queue), 2 * workers)):
            submit()
        ac = as_completed(list(running))
        for f in ac:
            u = running.pop(f)
            df = f.result()
            f.release()
            if queue:
                ac.add(submit())
            yield u, df
    finally:
        cl.close()
        if cluster is not None:
            cluster.close()
