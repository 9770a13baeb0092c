"""Run the ``perocav`` CLI in this process (fast: no interpreter start, no re-imports), as a user would call it."""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass


@dataclass(frozen=True)
class CliResult:
    returncode: int
    stdout: str
    stderr: str

    def error_lines(self) -> list[str]:
        return [line for line in self.stderr.splitlines() if line.strip()]


def run_inproc(*args) -> CliResult:
    """``perocav ARGS`` through ``perocav.designs.cli.main`` with stdout/stderr captured and SystemExit caught."""
    from perocav.designs import cli

    out, err = io.StringIO(), io.StringIO()
    old = sys.argv
    sys.argv = ["perocav", *map(str, args)]
    code = 0
    try:
        with redirect_stdout(out), redirect_stderr(err):
            cli.main()
    except SystemExit as ex:
        code = ex.code if isinstance(ex.code, int) else (0 if ex.code is None else 1)
    finally:
        sys.argv = old
    return CliResult(code, out.getvalue(), err.getvalue())


def assert_clean_refusal(res: CliResult, *needles: str) -> str:
    """Exit 2, exactly one stderr line starting with ``error:`` and holding every needle, no traceback."""
    assert "Traceback" not in res.stderr, res.stderr
    lines = res.error_lines()
    assert res.returncode == 2, (res.returncode, res.stdout[-500:], res.stderr[-2000:])
    assert len(lines) == 1 and lines[0].startswith("error: "), res.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]
