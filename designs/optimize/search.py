"""The search: optuna's TPE sampler (with constraints) asks ``batch_size`` trials at a time, their design points
run through the pipeline's ``Stage`` at the analytic fidelity (the coupled-mode device model on analytic unit
cells; cached like sweep points, so a rerun costs nothing), and each score is told back. The study lives in a
journal file in the run folder: a killed search resumes where it stopped (trials it left running are asked again
with the same values, from the cache). An optional local stage (``optimize.local_search``: ``local.scan`` and
``local.compass``) then polishes the best basins; its points join the study as complete trials (a rerun finds them there)."""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path

import optuna
from optuna.distributions import FloatDistribution, IntDistribution
from optuna.storages.journal import JournalFileBackend, JournalStorage
from optuna.trial import FrozenTrial, TrialState, create_trial

from perocav.designs.optimize.local import Rank, box_of, compass, point_key, rank_of, scan
from perocav.designs.optimize.objective import CONSTRAINT_NAMES, TrialScore, infeasible_score, score
from perocav.designs.optimize.points import trial_point
from perocav.designs.optimize.progress import TrialProgress
from perocav.designs.optimize.variables import is_integer
from perocav.designs.stage import Stage

#: the study's journal, below the run folder (outside its committed set, like the cache)
JOURNAL = Path("study") / "optuna.journal"
#: the user attribute ``stage`` of the local stage's trials
LOCAL = "local"


@dataclass(frozen=True)
class TrialRecord:
    """One finished trial: its number, variable values, score (``TrialScore``), the cache key of its analytic
    evaluation ("" when infeasible before evaluation), why it is infeasible ("" otherwise) and the stage that
    asked it (``tpe``, or ``local`` for the local stage)."""

    number: int
    values: dict
    score: TrialScore
    key: str
    infeasible: str
    stage: str = "tpe"


def study_name(spec) -> str:
    """The study of this design and its search space (another version of either starts a new study; a larger
    ``n_trials``, another ladder, tolerance or die extend or reuse the same study)."""
    doc = spec.model_dump(mode="json", exclude={"description", "mask"})
    for key in ("n_trials", "refine", "tolerance", "local_search"):
        doc["optimize"].pop(key, None)
    body = json.dumps(doc, sort_keys=True)
    return f"{spec.name}-{hashlib.sha256(body.encode()).hexdigest()[:12]}"


def distributions(spec) -> dict:
    """optuna distributions of the variables (integers for whole-number cavity fields)."""
    out = {}
    for name, v in spec.optimize.variables.items():
        if is_integer(spec.cavity, name):
            out[name] = IntDistribution(math.ceil(v.low), math.floor(v.high), step=max(1, round(v.step or 1)))
        else:
            high = v.high if v.step is None else v.low + math.floor((v.high - v.low) / v.step + 1e-9) * v.step
            out[name] = FloatDistribution(v.low, high, step=v.step)
    return out


def open_study(spec, out: Path) -> optuna.Study:
    """The design's study in ``out/study`` (created, or loaded to resume)."""
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    path = out / JOURNAL
    path.parent.mkdir(parents=True, exist_ok=True)
    opt = spec.optimize
    sampler = optuna.samplers.TPESampler(seed=opt.seed, n_startup_trials=opt.startup_trials, multivariate=True)
    storage = JournalStorage(JournalFileBackend(str(path)))
    return optuna.create_study(study_name=study_name(spec), storage=storage, sampler=sampler, direction="minimize",
                               load_if_exists=True)


def _requeue_stale(study: optuna.Study) -> None:
    """Trials a killed run left running: failed, and their values asked again first (cache hits)."""
    for t in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        study.tell(t.number, state=TrialState.FAIL)
        study.enqueue_trial(t.params, skip_if_exists=True)


def run_search(spec, *, out: Path, stage: Stage, progress: bool = True) -> list[TrialRecord]:
    """Run the study to ``optimize.n_trials`` complete TPE trials, then the local stage (if any); every complete
    trial's record, by number."""
    study = open_study(spec, out)
    _requeue_stale(study)
    dists, opt = distributions(spec), spec.optimize
    local_budget = opt.local_search.n_trials if opt.local_search else 0
    with TrialProgress(enabled=progress, total=opt.n_trials + local_budget, done=len(_complete(study))) as bar:
        while (left := opt.n_trials - len(_complete(study, local=False))) > 0:
            trials = [study.ask(dists) for _ in range(min(opt.batch_size, left))]
            for trial, (s, _, _) in zip(trials, _evaluate(spec, stage, [t.params for t in trials])):
                for name, c in zip(CONSTRAINT_NAMES, s.constraints):
                    trial.set_constraint(name, c)
                trial.set_user_attr("objective", s.objective if math.isfinite(s.objective) else None)
                study.tell(trial, s.value)
                bar.advance(s)
        if local_budget:
            _local_stage(spec, study, stage, dists, bar)
    return records(spec, study, stage)


def _complete(study: optuna.Study, local: bool | None = None) -> list[FrozenTrial]:
    """The complete trials: all (``local`` None), the local stage's (True) or the sampler's (False)."""
    trials = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    return trials if local is None else [t for t in trials if (t.user_attrs.get("stage") == LOCAL) == local]


def _rank(t: FrozenTrial) -> Rank:
    return rank_of(t.value, [t.constraints.get(n, 0.0) for n in CONSTRAINT_NAMES])


def _local_stage(spec, study: optuna.Study, stage: Stage, dists: dict, bar: TrialProgress) -> None:
    """``optimize.local_search``: line scans from the sampler's best trial, then from the best point of each other
    basin they crossed (up to ``basins`` in all), then a compass search from the best; ``n_trials`` new points in
    all. Known points cost nothing; the new ones are evaluated a poll at a time and added to the study as complete trials, so
    the deterministic search replays from the journal on a rerun."""
    ls, box = spec.optimize.local_search, box_of(dists)
    sampled = _complete(study, local=False)
    memo = {point_key(box, t.params): _rank(t) for t in sampled}
    found = {point_key(box, t.params): _rank(t) for t in _complete(study, local=True)}

    def evaluate(batch: list[dict]) -> list[Rank]:
        todo = [v for v in batch if point_key(box, v) not in found]
        for v, (s, _, _) in zip(todo, _evaluate(spec, stage, todo)):
            study.add_trial(create_trial(
                params=v, distributions=dists, value=s.value, constraints=dict(zip(CONSTRAINT_NAMES, s.constraints)),
                user_attrs={"stage": LOCAL, "objective": s.objective if math.isfinite(s.objective) else None}))
            found[point_key(box, v)] = rank_of(s.value, s.constraints)
            bar.advance(s)
        return [found[point_key(box, v)] for v in batch]

    best = min(((dict(t.params), _rank(t)) for t in sampled), key=lambda vr: vr[1])
    left, found_best, starts = ls.n_trials, [best], [best]
    while starts and len(found_best) <= ls.basins and ls.scan_points:
        values, rank = starts.pop(0)
        result = scan(values, rank, box=box, memo=memo, evaluate=evaluate, points=ls.scan_points,
                      rise=math.log10(1 + ls.basin_rise), budget=left)
        left -= result.spent
        found_best.append((result.best, result.rank))
        if len(found_best) == 2:  # the first start's scans name the other basins
            starts += list(result.basins[: ls.basins - 1])
    values, rank = min(found_best, key=lambda vr: vr[1])
    compass(values, rank, box=box, memo=memo, evaluate=evaluate, initial_step=ls.initial_step, min_step=ls.min_step,
            budget=left)


def _evaluate(spec, stage: Stage, batch: list[dict]) -> list[tuple[TrialScore, str, str]]:
    """(score, cache key, infeasible reason) of each trial's values: the feasible ones in one stage batch."""
    built = [trial_point(spec, v) for v in batch]
    feasible = [b.point for b in built if b.point is not None]
    results = iter(stage.run(feasible, "analytic") if feasible else [])
    out = []
    for b in built:
        if b.point is None:
            out.append((infeasible_score(), "", b.infeasible))
            continue
        r = next(results)
        out.append((score(r, spec=spec), r.key, "" if r.ok else r.error))
    return out


def records(spec, study: optuna.Study, stage: Stage) -> list[TrialRecord]:
    """The complete trials' records (scores recomputed from the cached evaluations: cheap, and exact)."""
    trials = study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,))
    scored = _evaluate(spec, stage, [t.params for t in trials])
    return [TrialRecord(number=t.number, values=dict(t.params), score=s, key=k, infeasible=why,
                        stage=t.user_attrs.get("stage", "tpe")) for t, (s, k, why) in zip(trials, scored)]


def best_feasible(trials: list[TrialRecord], n: int) -> list[TrialRecord]:
    """The ``n`` best feasible trials with distinct values, best first."""
    seen, out = set(), []
    for t in sorted((t for t in trials if t.score.feasible), key=lambda t: t.score.value):
        sig = json.dumps(t.values, sort_keys=True)
        if sig not in seen:
            seen.add(sig)
            out.append(t)
    return out[:n]

