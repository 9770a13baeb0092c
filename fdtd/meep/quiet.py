"""Keep MEEP's own output off the user's screen.

MEEP 1.25 prints (a) a Jupyter progress widget whenever IPython and ipywidgets import (outside a notebook its repr,
``FloatProgress(value=...)``, lands in the terminal), (b) its log and Harminv lines at verbosity >= 1, (c)
``Elapsed run time = ...`` from an ``atexit`` hook, and (d) a few C-level lines on file descriptor 1.
``silence_meep`` stops (a)-(c) for the process; ``quiet_stdout`` catches (d) around a solver call;
``quiet_meep`` is the one context manager the commands wrap a MEEP run in (all of it, plus MEEP's harmless stderr).
"""

from __future__ import annotations

import atexit
import contextlib
import os
import sys
import tempfile
from collections.abc import Iterator


def silence_meep(*, verbosity: int = 0) -> None:
    """Process-wide: no ipywidgets progress bar, MEEP log at ``verbosity`` (0: silent), no exit-time line."""
    import meep as mp  # lazy: loads meep
    import meep.simulation as mp_simulation  # lazy: loads meep

    mp_simulation.do_progress = False  # MEEP's module flag: True when `import ipywidgets` works
    mp.verbosity(int(verbosity))
    report = getattr(mp, "report_elapsed_time", None)
    if report is not None:
        atexit.unregister(report)


def set_meep_verbosity(level: int) -> None:
    """MEEP's own log level (0: silent, also its 'Elapsed run time' line at exit; 1: MEEP's default)."""
    import meep as mp  # lazy: loads meep

    mp.verbosity(int(level))


@contextlib.contextmanager
def quiet_stdout(*, to: str = "devnull") -> Iterator[None]:
    """Inside the block, file descriptor 1 (C and Python writes alike) goes to ``to`` ("devnull" or "stderr");
    on exit, even on an exception, stdout is the original one again."""
    if to not in ("devnull", "stderr"):
        raise ValueError(f"to={to!r} not in ('devnull', 'stderr')")
    sys.stdout.flush()
    saved = os.dup(1)
    try:
        if to == "stderr":
            os.dup2(2, 1)
        else:
            with open(os.devnull, "w") as sink:
                os.dup2(sink.fileno(), 1)
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


#: MEEP stderr lines that carry no information for a perocav user (the y size of a cell with PML is rounded to
#: whole pixels; Bloch-periodic x sizes are made whole before MEEP sees them)
HARMLESS_STDERR = ("grid volume is not an integer number of pixels",)


@contextlib.contextmanager
def filtered_stderr(*, drop: tuple[str, ...] = HARMLESS_STDERR) -> Iterator[None]:
    """Inside the block, file descriptor 2 goes to a temporary file; on exit its lines are written back to stderr
    except those containing one of ``drop``. Errors stay visible (after the block)."""
    sys.stderr.flush()
    saved = os.dup(2)
    with tempfile.TemporaryFile(mode="w+b") as buf:
        os.dup2(buf.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)
            buf.seek(0)
            kept = [ln for ln in buf.read().decode(errors="replace").splitlines(keepends=True)
                    if not any(d in ln for d in drop)]
            if kept:
                sys.stderr.write("".join(kept))
                sys.stderr.flush()


@contextlib.contextmanager
def quiet_meep() -> Iterator[None]:
    """Around a MEEP run: MEEP silenced for the process (``silence_meep``), file descriptor 1 to /dev/null
    (``quiet_stdout``) and MEEP's harmless stderr lines dropped (``filtered_stderr``); stdout and stderr are the
    original ones again on exit, even on an exception. Enter a progress display (which keeps its own copy of
    stderr) before this block."""
    silence_meep()
    with quiet_stdout(), filtered_stderr():
        yield
