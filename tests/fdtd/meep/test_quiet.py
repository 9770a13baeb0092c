"""``quiet_meep``: the one context manager around a MEEP run restores stdout and stderr, even on an error."""

import os

import pytest

from perocav.fdtd.meep.quiet import quiet_meep, set_meep_verbosity


def test_quiet_meep_hides_stdout_drops_harmless_stderr_and_restores_both(capfd):
    with pytest.raises(RuntimeError), quiet_meep():
        os.write(1, b"C-level noise\n")
        os.write(2, b"Warning: grid volume is not an integer number of pixels; cell size will be rounded\n")
        os.write(2, b"meep: real problem\n")
        raise RuntimeError("solver failed")
    os.write(1, b"result\n")
    os.write(2, b"after\n")
    out, err = capfd.readouterr()
    assert out == "result\n" and err == "meep: real problem\nafter\n"


def test_quiet_meep_silences_meep_and_verbosity_can_come_back():
    import meep.simulation

    with quiet_meep():
        pass
    assert meep.simulation.do_progress is False
    set_meep_verbosity(1)
    set_meep_verbosity(0)
