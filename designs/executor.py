"""Executors behind the ``concurrent.futures`` interface: a local process pool, or a Dask cluster."""

from __future__ import annotations

import os
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from typing import Iterator

from perocav.pdk.errors import InputError


@contextmanager
def make_executor(*, workers: int | None = None, scheduler: str | None = None) -> Iterator[Executor]:
    """``scheduler=None``: a process pool of ``workers`` (default: all cores). ``scheduler="local[:N]"``: a
    fresh local Dask cluster of N worker processes; ``tcp://HOST:PORT``: an existing Dask scheduler."""
    if workers is not None and workers < 1:
        raise InputError(f"{workers} workers", field="--workers", allowed=">= 1")
    if scheduler is None:
        import multiprocessing as mp

        with ProcessPoolExecutor(max_workers=workers or os.cpu_count() or 1,
                                 mp_context=mp.get_context("forkserver")) as pool:
            yield pool
        return
    from dask.distributed import Client, LocalCluster

    if scheduler == "local" or scheduler.startswith("local:"):
        n = int(scheduler.split(":", 1)[1]) if ":" in scheduler else (workers or os.cpu_count() or 1)
        with LocalCluster(n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            yield client.get_executor(pure=False)
        return
    if not scheduler.startswith(("tcp://", "tls://", "ucx://", "inproc://")):
        raise InputError(f"{scheduler!r} is not a scheduler address", field="--scheduler",
                         allowed="local, local:N, or tcp://HOST:PORT")
    with Client(scheduler) as client:
        yield client.get_executor(pure=False)
