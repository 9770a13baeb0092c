"""CLI conventions (issue 26): bare `perocav` prints the help (exit 0); `--json` on main, report and show, with an
error as one JSON object on stdout; one option name per quantity (`--duty-cycle`, the old `--duty` still taken);
the run record in summary.json and the report footer."""

import json

import pytest

from perocav.designs.run_record import record_line, run_record
from tests.inproc import run_inproc


def test_bare_perocav_prints_help_and_exits_0():
    res = run_inproc()
    assert res.returncode == 0 and "Usage: " in res.stdout and "Commands" in res.stdout, res.stdout[:200]
    assert "error" not in res.stderr


@pytest.mark.parametrize("command", ["main", "report", "show"])
def test_results_commands_take_json(command):
    res = run_inproc(command, "--help")
    assert res.returncode == 0 and "--json" in res.stdout, res.stdout


def test_main_takes_the_run_options():
    text = run_inproc("main", "--help").stdout
    assert all(o in text for o in ("--no-progress", "--no-report", "--no-mask", "--overwrite", "--workers"))


@pytest.mark.slow
def test_json_error_of_report_and_show_is_one_object(tmp_path):
    for args in (("report", tmp_path / "none", "--json"), ("show", "nope", "-o", tmp_path / "x.png", "--json")):
        res = run_inproc(*args)
        assert res.returncode == 2 and len(res.error_lines()) == 1
        err = json.loads(res.stdout)
        assert set(err) >= {"error", "field", "allowed"} and err["field"], err


def test_duty_cycle_is_one_name_across_commands():
    for args in (("cmt", "--help"), ("simulate", "dfb", "--help"), ("simulate", "circular-dfb", "--help")):
        assert "--duty-cycle" in run_inproc(*args).stdout, args
    assert "--thickness" in run_inproc("simulate", "dfb", "--help").stdout
    base = ["cmt", "--neff-high", "2.10", "--neff-low", "2.06", "--period-nm", "385", "--length-um", "96"]
    new, old = run_inproc(*base, "--duty-cycle", "0.25", "--json"), run_inproc(*base, "--duty", "0.25", "--json")
    assert new.returncode == old.returncode == 0 and json.loads(new.stdout) == json.loads(old.stdout)


def test_run_record_names_date_version_commit_cores_and_times():
    rec = run_record(started_wall=0.0, started_cpu=0.0)
    assert set(rec) == {"date_utc", "perocav_version", "git_commit", "cores", "wall_time_s", "cpu_time_main_s"}
    assert rec["date_utc"].endswith("Z") and rec["cores"] >= 1
    line = record_line(rec)
    assert line.startswith("Run ") and rec["perocav_version"] in line and "cores" in line
    assert record_line(None) == ""
