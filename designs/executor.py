"""Executors behind the ``concurrent.futures`` interface: a local process pool, or a Dask cluster.

``check_executor_options`` parses ``--workers``/``--scheduler`` and probes a remote scheduler (a few seconds at
most) before any work starts. Pool workers watch the process that started them and exit when it dies, so
killing a run (even with SIGKILL) leaves no orphaned workers."""

from __future__ import annotations

import ctypes
import multiprocessing as mp
import os
import re
import signal
import socket
import threading
import time
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Iterator

from dask.distributed import Client, LocalCluster

from perocav.pdk.errors import InputError

#: Most worker processes a run may ask for.
MAX_WORKERS = 256
#: Seconds to wait for a remote Dask scheduler before giving up.
CONNECT_TIMEOUT_S = 5.0

_SCHEDULER_ALLOWED = f"local, local:N (1 <= N <= {MAX_WORKERS}) or tcp://HOST:PORT"


@dataclass(frozen=True)
class SchedulerChoice:
    """Parsed ``--scheduler``: ``kind`` "pool", "local" (``n`` Dask workers) or "remote" (``address``)."""

    kind: str
    n: int = 0
    address: str = ""


def check_workers(workers: int | None) -> None:
    """``--workers``: None (all cores) or 1..MAX_WORKERS."""
    if workers is not None and (isinstance(workers, bool) or not 1 <= workers <= MAX_WORKERS):
        raise InputError(f"{workers} workers", field="--workers", allowed=f"1 to {MAX_WORKERS}")


def parse_scheduler(scheduler: str | None, *, workers: int | None = None) -> SchedulerChoice:
    """Parse ``--scheduler`` (no network access); a malformed value raises one-line InputError."""
    check_workers(workers)
    if scheduler is None:
        return SchedulerChoice("pool", n=workers or os.cpu_count() or 1)
    text = scheduler.strip()
    if text == "local":
        return SchedulerChoice("local", n=min(workers or os.cpu_count() or 1, MAX_WORKERS))
    if text.startswith("local:"):
        count = text.split(":", 1)[1]
        if not re.fullmatch(r"[0-9]{1,6}", count) or not 1 <= int(count) <= MAX_WORKERS:
            raise InputError(f"{scheduler!r}: {count!r} is not a worker count", field="--scheduler",
                             allowed=_SCHEDULER_ALLOWED)
        return SchedulerChoice("local", n=int(count))
    m = re.fullmatch(r"(tcp|tls)://(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9_.-]+):([0-9]{1,5})", text)
    if not m or not 1 <= int(m.group(3)) <= 65535:
        raise InputError(f"{scheduler!r} is not a scheduler address", field="--scheduler", allowed=_SCHEDULER_ALLOWED)
    return SchedulerChoice("remote", address=text)


def check_executor_options(*, workers: int | None, scheduler: str | None) -> SchedulerChoice:
    """Parse the options and, for a remote scheduler, check that it connects and starts the Dask handshake
    within CONNECT_TIMEOUT_S in all."""
    choice = parse_scheduler(scheduler, workers=workers)
    if choice.kind == "remote":
        problem = _probe_scheduler(choice.address, timeout_s=CONNECT_TIMEOUT_S)
        if problem:
            raise InputError(f"cannot reach {choice.address} ({problem})", field="--scheduler",
                             allowed="a running Dask scheduler, local or local:N")
    return choice


def _probe_scheduler(address: str, *, timeout_s: float) -> str:
    """'' when ``address`` accepts a connection and (tcp://) sends the first bytes of its handshake within
    ``timeout_s`` in all (a Dask scheduler writes its handshake as it accepts); else what went wrong. A port that
    accepts and never answers would otherwise hold the client in its handshake for minutes."""
    scheme, rest = address.split("://", 1)
    host, port = rest.rsplit(":", 1)
    deadline = time.monotonic() + timeout_s
    try:
        with socket.create_connection((host.strip("[]"), int(port)), timeout=timeout_s) as sock:
            if scheme != "tcp":  # tls: the server waits for the client's TLS hello; the connection is the check
                return ""
            sock.settimeout(max(0.05, deadline - time.monotonic()))
            try:
                first = sock.recv(1)
            except TimeoutError:
                return f"connected, but no Dask handshake within {timeout_s:g} s"
            return "" if first else "connected, but it closed the connection without a Dask handshake"
    except OSError as err:
        return getattr(err, "strerror", None) or type(err).__name__


def _watch_parent(parent_pid: int) -> None:
    """Pool-worker initializer: exit this worker as soon as the run that started it is gone (a thread polls the
    run's pid; on Linux the kernel also kills the worker when its forking parent, the forkserver, exits)."""
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, int(signal.SIGKILL))  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(parent_pid, 0)
            except ProcessLookupError:
                os._exit(3)
            except PermissionError:
                pass

    threading.Thread(target=watch, name="perocav-parent-watch", daemon=True).start()


@contextmanager
def _process_pool(n: int) -> Iterator[Executor]:
    pool = ProcessPoolExecutor(max_workers=n, mp_context=mp.get_context("forkserver"),
                               initializer=_watch_parent, initargs=(os.getpid(),))
    try:
        yield pool
    except BaseException:  # interrupted or failed: do not wait for the queue, stop the workers now
        procs = list((getattr(pool, "_processes", None) or {}).values())
        pool.shutdown(wait=False, cancel_futures=True)
        for p in procs:
            p.terminate()
        raise
    pool.shutdown(wait=True)


@contextmanager
def make_executor(*, workers: int | None = None, scheduler: str | None = None) -> Iterator[Executor]:
    """``scheduler=None``: a process pool of ``workers`` (default: all cores). ``scheduler="local[:N]"``: a
    fresh local Dask cluster of N worker processes; ``tcp://HOST:PORT``: an existing Dask scheduler."""
    choice = parse_scheduler(scheduler, workers=workers)
    if choice.kind == "pool":
        with _process_pool(choice.n) as pool:
            yield pool
        return

    if choice.kind == "local":
        with LocalCluster(n_workers=choice.n, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            yield client.get_executor(pure=False)
        return
    try:
        client = Client(choice.address, timeout=f"{CONNECT_TIMEOUT_S:g}s")
    except (OSError, TimeoutError) as err:
        raise InputError(f"cannot reach {choice.address} ({type(err).__name__})", field="--scheduler",
                         allowed="a running Dask scheduler, local or local:N") from None
    with client:
        yield client.get_executor(pure=False)
