"""``perocav show`` renders a cell with parameters, or a GDS file, to a PNG with several layer colours;
bad parameters stop with one line and exit code 2."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import matplotlib.image as mpimg
import numpy as np
import pytest

from perocav.designs.cli.show import parse_params
from perocav.pdk.errors import InputError
from tests.paths import DATA_DIR

PEROCAV = str(Path(sys.executable).with_name("perocav"))
DATA = DATA_DIR / "layout"


def colours(png: Path) -> int:
    img = mpimg.imread(str(png))[..., :3]
    return len(np.unique((img * 255).astype(np.uint8).reshape(-1, 3), axis=0))


@pytest.mark.slow
def test_show_cell_with_params(tmp_path: Path) -> None:
    png = tmp_path / "dev.png"
    p = subprocess.run([PEROCAV, "show", "laser_device", "--param", "cavity=ring_resonator",
                        "--param", "cavity_params.outer_radius_um=20", "--param", "label=X1", "-o", str(png)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert colours(png) > 20  # several layers drawn, not a blank canvas


@pytest.mark.slow
def test_show_gds(tmp_path: Path) -> None:
    png = tmp_path / "ring.png"
    p = subprocess.run([PEROCAV, "show", str(DATA / "circular_grating.gds"), "-o", str(png)],
                       capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert colours(png) > 5


@pytest.mark.slow
def test_show_bad_param_one_line(tmp_path: Path) -> None:
    p = subprocess.run([PEROCAV, "show", "dfb_grating", "--param", "duty_cycle=1.5", "-o", str(tmp_path / "x.png")],
                       capture_output=True, text=True)
    assert p.returncode == 2
    assert p.stderr.splitlines() == ["error: --param: duty_cycle: 1.5 is outside (0, 1) (allowed: 0 < value < 1)"]
    assert not (tmp_path / "x.png").exists()


def test_parse_params() -> None:
    assert parse_params(["period_nm=400", "sections=[[1, 10], [2, 5]]", "a.b=0.5", "a.c=x"]) == {
        "period_nm": 400, "sections": [[1, 10], [2, 5]], "a": {"b": 0.5, "c": "x"}}
    with pytest.raises(InputError, match="is not KEY=VALUE"):
        parse_params(["period_nm"])
