"""The layout registers its cells with the PDK (the PDK never imports the layout): ``activate()`` before or after
the layout's import gives the same cells, and a DRC-only import of the layout loads no gdsfactory."""

import subprocess
import sys
from pathlib import Path

import pytest

PDK_DIR = Path(__file__).resolve().parents[2] / "pdk"

ACTIVATE_FIRST = """
from perocav.pdk import activate
pdk = activate()
assert not pdk.cells, sorted(pdk.cells)
from perocav.layout.ring_resonator import ring_resonator
import gdsfactory as gf
from perocav.layout import CELL_NAMES
assert sorted(pdk.cells) == sorted(CELL_NAMES), sorted(pdk.cells)
assert gf.get_component("ring_resonator").name == ring_resonator().name
"""

LAYOUT_FIRST = """
import perocav.layout
from perocav.pdk import activate
assert sorted(activate().cells) == sorted(perocav.layout.CELL_NAMES)
"""

DRC_ONLY = """
import sys
import perocav.layout.drc
assert "gdsfactory" not in sys.modules
"""


@pytest.mark.slow
@pytest.mark.parametrize("script", [ACTIVATE_FIRST, LAYOUT_FIRST, DRC_ONLY], ids=["activate_first", "layout_first",
                                                                                   "drc_only"])
def test_layout_cells_reach_the_pdk_in_either_order(script):
    proc = subprocess.run([sys.executable, "-W", "ignore", "-c", script], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-2000:]


def test_pdk_does_not_import_the_layout():
    offenders = [f"{p.name}:{i}" for p in PDK_DIR.rglob("*.py")
                 for i, line in enumerate(p.read_text().splitlines(), 1)
                 if "perocav.layout" in line or "from perocav import layout" in line]
    assert not offenders, offenders
