"""Rich consoles for the CLI: lines never wrap mid-phrase, stdout for results, stderr for progress."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator

from rich.console import Console

#: width used when the output is not a terminal (a pipe, a log file, a test): wide enough for every table
PIPE_WIDTH = 200


def make_console(*, stderr: bool = False) -> Console:
    """Console that soft-wraps (long lines are left to the terminal, never broken by rich at 80 columns) and,
    off a terminal, lays out tables at ``PIPE_WIDTH`` columns."""
    probe = Console(stderr=stderr)
    width = None if probe.is_terminal else max(PIPE_WIDTH, shutil.get_terminal_size((PIPE_WIDTH, 24)).columns)
    return Console(stderr=stderr, soft_wrap=True, width=width, highlight=False)


@contextlib.contextmanager
def progress_lines(title: str) -> Iterator[Callable[[str], None]]:
    """A spinner with ``title`` on stderr while a solver runs; the callback logs one progress line above it."""
    import os
    import sys

    sys.stderr.flush()
    # its own copy of the stderr descriptor: progress stays live while fd 2 is filtered (quiet.filtered_stderr)
    with os.fdopen(os.dup(2), "w") as stream:
        probe = make_console(stderr=True)
        console = Console(file=stream, soft_wrap=True, width=probe.width if not probe.is_terminal else None,
                          force_terminal=probe.is_terminal, highlight=False)
        with console.status(title, spinner="dots") as status:
            def log(message: str) -> None:
                console.print(f"  {message}", markup=False)
                status.update(f"{title}: {message}")

            yield log
