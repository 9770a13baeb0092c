"""One fidelity of a run: each point's cache key, the cached results, and the rest evaluated (analytic DFB: the
vectorised screen in this process; everything else in the executor); every finished result is cached at once."""

from __future__ import annotations

from concurrent.futures import as_completed

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

from perocav.designs.cache import ResultCache, version_key
from perocav.designs.cavities import family
from perocav.designs.cavities.cell import cell_geometry
from perocav.designs.evaluate import EVALUATOR_VERSIONS, EvalTask, evaluate_point
from perocav.designs.evaluate_batch import evaluate_dfb_batch
from perocav.designs.executor import make_executor
from perocav.designs.records import DesignResult
from perocav.designs.solvers import solver_settings
from perocav.designs.spec import DesignPoint, DesignSpec


def cache_key(point: DesignPoint, fidelity: str, *, spec: DesignSpec, stack_dump: dict | None = None) -> str:
    """Content address: the point's spec, the resolved stack's content (not its file name), evaluator and solver
    settings (the design file's fdtd and tolerances sections, for FDTD), package and MEEP versions. ``stack_dump``:
    the resolved stack's JSON dump, if the caller has it."""
    stack = point.stack.resolve().model_dump(mode="json") if stack_dump is None else stack_dump
    extra = {"fidelity": fidelity, "evaluator": EVALUATOR_VERSIONS[fidelity], "stack": stack, **version_key()}
    if fidelity == "fdtd":
        extra["settings"] = {"fdtd": spec.fdtd.model_dump(), "tolerances": spec.tolerances.model_dump()}
    return point.digest(extra=extra)


def cache_keys(points: list[DesignPoint], fidelity: str, *, spec: DesignSpec) -> list[str]:
    """``cache_key`` of every point, each distinct stack resolved once (a sweep has few stacks)."""
    dumps: dict[str, dict] = {}
    for p in points:
        ref = p.stack.model_dump_json()
        if ref not in dumps:
            dumps[ref] = p.stack.resolve().model_dump(mode="json")
    return [cache_key(p, fidelity, spec=spec, stack_dump=dumps[p.stack.model_dump_json()]) for p in points]


class Stage:
    """Evaluate points at one fidelity of ``spec``; counts what came from the cache, was computed, failed."""

    def __init__(self, *, cache: ResultCache, spec: DesignSpec, workers, scheduler, progress: bool):
        self.cache, self.spec, self.workers, self.scheduler, self.progress = cache, spec, workers, scheduler, progress
        self.cached = self.computed = self.failed = 0

    def run(self, points: list[DesignPoint], fidelity: str,
            earlier: list[DesignResult] | None = None) -> list[DesignResult]:
        """The result of every point (in order), from the cache or computed; ``earlier``: each point's result at
        the stage below (a screen), handed to its evaluation (MEEP compares RCWA's record instead of solving it)."""
        keys = cache_keys(points, fidelity, spec=self.spec)
        below = dict(zip(keys, earlier)) if earlier else {}
        results: dict[str, DesignResult] = {}
        todo = []
        for p, k in zip(points, keys):
            hit = self.cache.get(k)
            if hit is not None and hit.ok:
                results[k] = hit
            else:
                todo.append((p, k))
        self.cached += len(points) - len(todo)
        self.computed += len(todo)
        batch = [(p, k) for p, k in todo if fidelity == "analytic" and family(p.cavity).analytic_batch]
        rest = [(p, k) for p, k in todo if not (fidelity == "analytic" and family(p.cavity).analytic_batch)]
        if batch:  # analytic DFB: the vectorised screen, per stack, in this process (workers would only add start-up)
            with _progress(self.progress, len(points), len(points) - len(todo), fidelity) as bar:
                self._batch(batch, results, bar)
        if rest:
            with _progress(self.progress, len(points), len(points) - len(rest), fidelity) as bar:
                self._pool([self._task(p, k, fidelity, below.get(k)) for p, k in rest], results, bar)
        return [results[k] for k in keys]

    def _batch(self, batch, results: dict, bar) -> None:
        for _, result in evaluate_dfb_batch([p for p, _ in batch], [k for _, k in batch]):
            self._store(result, results, bar)

    def _task(self, point: DesignPoint, key: str, fidelity: str, earlier: DesignResult | None = None) -> EvalTask:
        settings = cell = None
        if fidelity == "fdtd":
            settings = solver_settings(self.spec)
        if fidelity == "analytic" and family(point.cavity).cell_geometry:
            cell = cell_geometry(point.cavity)  # the cell validation built: the worker does not build it again
        return EvalTask(key=key, point=point, fidelity=fidelity, settings=settings, cell=cell, earlier=earlier)

    def _pool(self, tasks: list[EvalTask], results: dict, bar) -> None:
        with make_executor(workers=self.workers, scheduler=self.scheduler) as pool:
            futures = {pool.submit(evaluate_point, t): t for t in tasks}
            for fut in as_completed(futures):
                t = futures[fut]
                try:
                    result = fut.result()
                except Exception as err:  # worker died: record, go on
                    result = DesignResult(key=t.key, point=t.point, fidelity=t.fidelity, status="failed",
                                          error=f"{type(err).__name__}: {err}")
                self._store(result, results, bar)

    def _store(self, result: DesignResult, results: dict, bar) -> None:
        if result.ok:
            self.cache.put(result.key, result)  # finished results are on disk the moment they exist
        else:
            self.failed += 1
        results[result.key] = result
        bar(result)


class _progress:
    """A rich progress bar with ETA on stderr (or nothing)."""

    def __init__(self, enabled: bool, total: int, done: int, label: str = "designs"):
        self.enabled, self.total, self.done, self.label = enabled, total, done, label

    def __enter__(self):
        if not self.enabled:
            return lambda result: None
        self._p = Progress(TextColumn(f"[bold]{self.label}"), BarColumn(), MofNCompleteColumn(), TextColumn("elapsed"),
                           TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.description}"),
                           console=Console(stderr=True), transient=False)
        self._p.__enter__()
        self._task = self._p.add_task("", total=self.total, completed=self.done)

        def advance(result: DesignResult) -> None:
            msg = "" if result.ok else f"[red]failed: {result.error[:60]}"
            self._p.update(self._task, advance=1, description=msg)

        return advance

    def __exit__(self, *exc):
        if self.enabled:
            self._p.__exit__(*exc)
        return False
