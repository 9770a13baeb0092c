"""Every FDTD command: the same pixel rule (4 px across the thinnest level) and --force; MEEP's own output (the
Jupyter progress widget text, its log, its exit line) kept off the terminal; stdout restored after a run."""

import json
import os

import pytest

from perocav.fdtd.meep.quiet import quiet_stdout
from tests.conftest import assert_one_line_error


@pytest.mark.slow
@pytest.mark.parametrize("family", ["ring", "disk", "circular-dfb"])
def test_circular_commands_refuse_a_coarse_grid(cli, family):
    # transparent_CsPbBr3: 20 nm ITO -> 4 px need 200 px/um (the rule of `simulate dfb`)
    args = ["simulate", family, "--resolution", "40", "--m", "10"]
    assert_one_line_error(cli(*args), "resolution_px_per_um", ">= 200 px/um", "ito_bottom")


@pytest.mark.meep
@pytest.mark.slow
def test_forced_run_keeps_meep_output_off_the_terminal(cli):
    proc = cli("simulate", "disk", "--radius-um", "1.5", "--m", "12", "--resolution", "12", "--force",
               "--ring-down-um", "30", "--no-split-q", "--json")
    assert proc.returncode == 0, proc.stderr[-2000:]
    d = json.loads(proc.stdout)  # stdout is exactly one JSON object
    assert d["resolution_px_per_um"] == 12 and d["modes"]
    assert any("forced: 12 px/um" in w for w in d["warnings"])
    both = proc.stdout + proc.stderr
    for noise in ("FloatProgress", "Elapsed run time", "harminv0:", "Meep progress", "grid volume is not an integer"):
        assert noise not in both, noise


@pytest.mark.slow
def test_progress_widget_is_off_although_ipywidgets_imports():
    import ipywidgets  # noqa: F401  MEEP turns its widget on exactly when this works
    import meep.simulation

    import perocav.fdtd.meep.runner_2d  # noqa: F401

    assert meep.simulation.do_progress is False


def test_quiet_stdout_restores_stdout_even_on_error(capfd):
    with pytest.raises(RuntimeError), quiet_stdout():
        os.write(1, b"C-level noise\n")
        raise RuntimeError("solver failed")
    os.write(1, b"result\n")
    with quiet_stdout(to="stderr"):
        os.write(1, b"to stderr\n")
    out, err = capfd.readouterr()
    assert out == "result\n" and err == "to stderr\n"


def test_filtered_stderr_drops_only_known_noise(capfd):
    from perocav.fdtd.meep.quiet import filtered_stderr

    with pytest.raises(RuntimeError), filtered_stderr():
        os.write(2, b"Warning: grid volume is not an integer number of pixels; cell size will be rounded\n")
        os.write(2, b"meep: real problem\n")
        raise RuntimeError("solver failed")
    out, err = capfd.readouterr()
    assert err == "meep: real problem\n" and out == ""
