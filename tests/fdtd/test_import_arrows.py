"""The one-way imports of docs/architecture.md: only fdtd/meep/ imports meep; the analytic models never reach into the
MEEP room; the analytic models, the run environment designs use (``fdtd.run_env``) and the design evaluation import
without loading MEEP; fdtd.circular's helpers import one way (circular_setup <- circular_freeze <- circular)."""

import re
import subprocess
import sys

import pytest

from tests.paths import REPO_ROOT

ROOMS = ("pdk", "layout", "fdtd", "designs")
IMPORTS_MEEP = re.compile(r"^\s*(import meep\b|from meep\b)", re.M)


def _sources(*folders: str):
    for folder in folders:
        yield from sorted((REPO_ROOT / folder).rglob("*.py"))


def test_only_the_meep_room_imports_meep():
    offenders = [p.relative_to(REPO_ROOT).as_posix() for p in _sources(*ROOMS) if IMPORTS_MEEP.search(p.read_text())]
    assert offenders and all(p.startswith("fdtd/meep/") for p in offenders), offenders


def test_models_extract_and_designs_do_not_reach_into_the_meep_room():
    """The analytic models and the extractors never touch the MEEP room (not even for type hints); designs talks to
    the fdtd entry points and ``fdtd.run_env``."""
    offenders = [p.relative_to(REPO_ROOT).as_posix() for p in _sources("fdtd/models", "fdtd/extract", "designs")
                 if "perocav.fdtd.meep" in p.read_text()]
    assert not offenders


def _fdtd_imports(name: str) -> set[str]:
    text = (REPO_ROOT / "fdtd" / f"{name}.py").read_text()
    return set(re.findall(r"^\s*(?:from|import) perocav\.fdtd\.(\w+)", text, re.M))


def test_circular_helpers_import_one_way():
    assert "circular" not in _fdtd_imports("circular_freeze")
    assert not {"circular", "circular_freeze"} & _fdtd_imports("circular_setup")
    assert {"circular_setup", "circular_freeze"} <= _fdtd_imports("circular")


@pytest.mark.slow
def test_models_run_env_and_evaluation_import_without_meep():
    code = ("import sys, perocav.fdtd.models.circular.wgm_estimate, perocav.fdtd.models.dfb.dfb_screen, perocav.fdtd.run_env, "
            "perocav.designs.evaluate; print('meep' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO_ROOT)
    assert out.stdout.strip() == "False"
