import subprocess
import sys
import warnings

import pytest

warnings.filterwarnings("ignore", message="The value of the smallest subnormal")


def run_cli(*args: str, cwd=None) -> subprocess.CompletedProcess:
    """Run ``perocav ARGS`` in a subprocess (as a user would)."""
    return subprocess.run(
        [sys.executable, "-W", "ignore", "-m", "perocav.designs.cli", *map(str, args)],
        capture_output=True, text=True, cwd=cwd, timeout=600,
    )


@pytest.fixture
def cli():
    return run_cli


def assert_one_line_error(proc: subprocess.CompletedProcess, *needles: str) -> str:
    """Exit code 2, exactly one non-empty stderr line containing every needle."""
    assert proc.returncode == 2, (proc.returncode, proc.stdout, proc.stderr)
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    for needle in needles:
        assert needle in lines[0], (needle, lines[0])
    return lines[0]
