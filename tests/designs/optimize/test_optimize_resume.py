"""The search resumes after a kill: the study's journal and the cache are in the run folder, a trial a killed run
left running is asked again with the same values (a cache hit), and finished trials are not computed again."""

import pytest
from optuna.trial import TrialState

from perocav.designs.cache import ResultCache
from perocav.designs.optimize.search import distributions, open_study, run_search
from perocav.designs.optimize.spec import LocalSearch
from perocav.designs.spec import load_design
from perocav.designs.stage import Stage
from tests.paths import REPO_ROOT

pytestmark = pytest.mark.slow


def _spec(n_trials: int):
    spec = load_design(REPO_ROOT / "designs" / "default_optimize.yaml")
    opt = spec.optimize.model_copy(update={"n_trials": n_trials, "batch_size": 2, "startup_trials": 2})
    return spec.model_copy(update={"optimize": opt})


def _stage(spec, out):
    return Stage(cache=ResultCache(out / "cache"), spec=spec, workers=1, scheduler=None, progress=False)


def test_killed_search_resumes_from_journal_and_cache(tmp_path):
    first = run_search(_spec(3), out=tmp_path, stage=_stage(_spec(3), tmp_path), progress=False)
    assert len(first) == 3
    spec = _spec(5)
    study = open_study(spec, tmp_path)
    stale = study.ask(distributions(spec))  # a run killed while this trial was being evaluated
    assert study.get_trials(states=(TrialState.RUNNING,))
    stage = _stage(spec, tmp_path)
    again = run_search(spec, out=tmp_path, stage=stage, progress=False)
    assert len(again) == 5
    assert [t.values for t in again[:3]] == [t.values for t in first]  # the finished trials kept
    assert any(t.values == stale.params for t in again[3:])  # the stale trial asked again with its values
    assert stage.computed == 2  # only the two new trials' designs evaluated; the rest from the cache
    assert not open_study(spec, tmp_path).get_trials(states=(TrialState.RUNNING,))


def _local_spec(n_trials: int, local_trials: int):
    spec = _spec(n_trials)
    opt = spec.optimize.model_copy(update={"local_search": LocalSearch(n_trials=local_trials, scan_points=2)})
    return spec.model_copy(update={"optimize": opt})


def test_local_stage_resumes_from_the_journal(tmp_path):
    """A local stage cut short (a smaller budget, as a kill would leave it) goes on where it stopped: its points
    are in the journal as complete ``local`` trials, replayed without evaluating them again; a second identical
    run evaluates nothing. Without the journal (a fresh folder, same cache) the same points are asked again."""
    first = run_search(_local_spec(3, 4), out=tmp_path, stage=_stage(_local_spec(3, 4), tmp_path), progress=False)
    assert [t.stage for t in first] == ["tpe"] * 3 + ["local"] * 4
    stage = _stage(_local_spec(3, 7), tmp_path)
    more = run_search(_local_spec(3, 7), out=tmp_path, stage=stage, progress=False)
    assert [t.values for t in more[:7]] == [t.values for t in first] and len(more) == 10
    assert stage.computed == 3  # only the three new local points
    again = _stage(_local_spec(3, 7), tmp_path)
    assert [t.values for t in run_search(_local_spec(3, 7), out=tmp_path, stage=again, progress=False)] == \
        [t.values for t in more] and again.computed == 0
    fresh = tmp_path / "fresh"
    fresh_stage = Stage(cache=ResultCache(tmp_path / "cache"), spec=_local_spec(3, 7), workers=1, scheduler=None,
                        progress=False)
    replay = run_search(_local_spec(3, 7), out=fresh, stage=fresh_stage, progress=False)
    assert [t.values for t in replay] == [t.values for t in more] and fresh_stage.computed == 0
