"""Run a design: expand the sweep, evaluate what the cache lacks (in parallel), refine the best (screen), rank,
write the table, the mask of the chosen designs and the report."""

from __future__ import annotations

import errno
import json
import math
import os
import re
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

import yaml

from perocav.designs.cache import ResultCache
from perocav.designs.cavities import family
from perocav.designs.design_gate import check_points
from perocav.designs.io import write_text_atomic
from perocav.designs.mask_export import export_mask
from perocav.designs.records import FIDELITIES, DesignResult, RefineError
from perocav.designs.report.page import write_report
from perocav.designs.run_folder import StagedRun, check_folder_kind, check_same_design, staged_run
from perocav.designs.run_record import cpu_time_s, run_record
from perocav.designs.spec import DesignPoint, DesignSpec, expand_points
from perocav.designs.stage import Stage, cache_key
from perocav.designs.studies import stack_studies, write_studies
from perocav.designs.table import best_row_json, long_table, rank_table, ranked_keys, write_table


@dataclass(frozen=True)
class RunSummary:
    """What a run did and where it put things; ``best``: the best-ranked design's result (None: none ranked)."""

    design: str
    out_dir: str
    total: int
    computed: int
    from_cache: int
    failed: int
    wall_time_s: float
    best: DesignResult | None
    files: dict[str, str] = field(default_factory=dict)
    table: object = field(default=None, repr=False, compare=False)  # the ranked results table (pandas)
    record: dict = field(default_factory=dict)  # run_record: date, version, commit, cores, wall and CPU time

    def to_dict(self) -> dict:
        """JSON-ready summary (``best``: the best-ranked table row)."""
        keys = ("design", "out_dir", "total", "computed", "from_cache", "failed", "wall_time_s")
        out = {k: getattr(self, k) for k in keys}
        out["best"] = best_row_json(self.table) if self.table is not None else None
        out["files"] = dict(self.files)
        out["record"] = dict(self.record)
        return out


@dataclass(frozen=True)
class RankedRun:
    """A run's ranked outcome: the table and each row's result by the row's 16-character key."""

    table: object
    results: dict[str, DesignResult]

    def chosen(self, n: int) -> list[DesignResult]:
        """The ``n`` best-ranked results."""
        return [self.results[k] for k in ranked_keys(self.table)[:n]]


@dataclass(frozen=True)
class RunOptions:
    """How to run a design: ``workers`` processes (None: all cores) or a Dask ``scheduler`` ("local:N" or an
    address), a progress bar, whether to write the report and the mask, and whether to replace another design's
    finished results in the output folder (``overwrite``)."""

    workers: int | None = None
    scheduler: str | None = None
    progress: bool = True
    report: bool = True
    mask: bool = True
    overwrite: bool = False


def run_design(spec: DesignSpec, *, out_dir: str | Path, options: RunOptions = RunOptions(), source: str | Path = "",
               points: list[DesignPoint] | None = None) -> RunSummary:
    """Evaluate every sweep point of ``spec`` (cached), rank them, write table/report/mask to ``out_dir``.
    ``source``: the design file (named in design.yaml); ``points``: ``expand_points(spec)`` of a gated design
    (``design_gate``), if the caller has it. The run's files replace the folder's previous set only when it
    finishes (``run_folder``); a folder of another design's finished results is refused unless
    ``options.overwrite``. An OS error names the path it hit."""
    if points is None:
        points = expand_points(spec)
        check_points(spec, points)
    out = Path(out_dir)
    check_same_design(out, spec, overwrite=options.overwrite)
    check_folder_kind(out, kind="sweep", overwrite=options.overwrite)
    with staged_run(out, spec) as staged:
        try:
            summary = _run_staged(spec, points, out=out, staged=staged, options=options, source=source)
            staged.commit()
        except OSError as err:
            raise _named(err, staged) from None
        except RuntimeError as err:  # klayout's GDS writer reports a full disk as "Write error on file: ... (errno=28)"
            os_err = _os_error_in(err)
            if os_err is None:
                raise
            raise _named(os_err, staged) from None
    return summary


def _run_staged(spec: DesignSpec, points: list[DesignPoint], *, out: Path, staged: StagedRun, options: RunOptions,
                source) -> RunSummary:
    """The run, its set written into the staging folder (the cache into ``out/cache``, shared)."""
    t0, cpu0 = time.perf_counter(), cpu_time_s()
    stage_dir = staged.dir
    write_text_atomic(stage_dir / "design.yaml", _design_text(spec, source))
    cache = ResultCache(out / "cache")
    stage = Stage(cache=cache, spec=spec, workers=options.workers, scheduler=options.scheduler,
                  progress=options.progress)
    results = _evaluate(stage, spec, points)
    run = _rank(spec, points, results)
    files = write_table(stage_dir, run.table, long_table(points, results))
    if options.report:  # the report draws the best DFB design's spectrum and mode: stored with its result
        run = _with_best_detail(run, cache)
    if options.mask and spec.mask is not None:
        files.update(export_mask(out_dir=stage_dir, spec=spec, table=run.table, chosen=run.chosen(spec.mask.top_n)))
    record = run_record(started_wall=t0, started_cpu=cpu0)  # one record in summary.json and the report's footer
    if options.report:  # after the mask: the report shows the die picture and links the GDS and manifest
        studies = stack_studies(spec, run.table)
        files["studies"] = str(write_studies(stage_dir, studies))
        files["report"] = str(write_report(out_dir=stage_dir, spec=spec, table=run.table, results=run.results,
                                           studies=studies, record=record))
    best = run.chosen(1)
    summary = RunSummary(design=spec.name, out_dir=str(out), total=len(points), computed=stage.computed,
                         from_cache=stage.cached, failed=stage.failed, wall_time_s=time.perf_counter() - t0,
                         best=best[0] if best else None, files={k: staged.final(v) for k, v in files.items()},
                         table=run.table, record=record)
    write_text_atomic(stage_dir / "summary.json", json.dumps(summary.to_dict(), indent=2, default=_jsonable) + "\n")
    return summary


def _named(err: OSError, staged: StagedRun) -> OSError:
    """``err`` naming the path it hit as the user will know it: the output folder's, not the staging folder's, and
    the folder of a temporary file rather than its name; an error without a path names the output folder."""
    if err.filename is None:
        return OSError(err.errno, err.strerror or str(err), str(staged.out))
    path = Path(str(err.filename))
    if path.name.startswith(".") and path.suffix in (".tmp", ".part"):
        path = path.parent
    return OSError(err.errno, err.strerror or str(err), staged.final(path))


def _os_error_in(err: Exception) -> OSError | None:
    """The OS error a library reports in its message (``... file: PATH ... (errno=28)``), or None."""
    m = re.search(r"errno[= ](\d+)", str(err))
    if not m or int(m.group(1)) not in errno.errorcode:
        return None
    code = int(m.group(1))
    where = re.search(r"file:? (\S+?)[,)]?\s", str(err) + " ")
    return OSError(code, os.strerror(code), where.group(1) if where else None)


def _evaluate(stage: Stage, spec: DesignSpec, points: list[DesignPoint]) -> list[DesignResult]:
    """Every point at the design's fidelity; screen: analytic, then RCWA for the best N, then FDTD for the best k."""
    first = spec.fidelity if spec.fidelity in ("fdtd", "rcwa") else "analytic"
    results = stage.run(points, first)
    if spec.fidelity == "screen":
        stages = ([("rcwa", spec.screen.rcwa_top_n)] if spec.screen.rcwa_top_n else []) + [("fdtd", spec.screen.top_k)]
        for fidelity, top in stages:
            results = _refine(stage, spec, points, results, fidelity=fidelity, top=top)
    return results


def _refine(stage: Stage, spec: DesignSpec, points: list[DesignPoint], results: list[DesignResult], *,
            fidelity: str, top: int) -> list[DesignResult]:
    """Re-evaluate the ``top`` best of the current ranking at ``fidelity``: an ok result refines the design's
    result (``earlier``), a failed one is noted on it (``refine_errors``)."""
    best = set(ranked_keys(_rank(spec, points, results).table)[:top])
    chosen = [i for i, r in enumerate(results) if r.first().key[:16] in best]
    refined = stage.run([points[i] for i in chosen], fidelity, earlier=[results[i] for i in chosen])
    out = list(results)
    for i, new in zip(chosen, refined):
        cur = out[i]
        out[i] = (replace(new, earlier=cur) if new.ok else
                  replace(cur, refine_errors=(*cur.refine_errors, RefineError(fidelity=fidelity, error=new.error))))
    return out


def _rank(spec: DesignSpec, points: list[DesignPoint], results: list[DesignResult]) -> RankedRun:
    table = rank_table(spec, points, results)
    return RankedRun(table=table, results={r.first().key[:16]: r for r in results})


def _with_best_detail(run: RankedRun, cache: ResultCache) -> RankedRun:
    """The best design's analytic result with its family's report detail (DFB: ``DfbDetail``), computed once, then
    kept in its cache entry."""
    keys = ranked_keys(run.table)
    if not keys:
        return run
    best = run.results[keys[0]]
    first = best.first()
    detail = family(first.point.cavity).detail
    if not first.ok or detail is None or first.detail is not None:
        return run
    detailed = replace(first, detail=detail(first))
    cache.put(detailed.key, detailed)
    return replace(run, results={**run.results, keys[0]: _replace_first(best, detailed)})


def _replace_first(result: DesignResult, first: DesignResult) -> DesignResult:
    if result.earlier is None:
        return replace(first, refine_errors=result.refine_errors)
    return replace(result, earlier=_replace_first(result.earlier, first))


def stored_results(spec: DesignSpec, table, cache: ResultCache) -> dict[str, DesignResult]:
    """The results of a finished run's table rows from its cache (``perocav report DIR``): each row's first result
    by its key, refined by every higher stage stored for it up to the row's model (a screen's analytic -> RCWA ->
    FDTD chain, as the run had it). Rows without a stored result are left out."""
    out = {}
    for key, model in zip(table["key"], table["model"] if "model" in table else [None] * len(table)):
        first = cache.find(str(key))
        if first is None:
            continue
        chain = first
        above = FIDELITIES[FIDELITIES.index(first.fidelity) + 1:FIDELITIES.index(model) + 1] if model else ()
        for fidelity in above:
            refined = cache.get(cache_key(first.point, fidelity, spec=spec))
            if refined is not None:
                chain = replace(refined, earlier=chain)
        out[str(key)] = chain
    return out


def _design_text(spec: DesignSpec, source) -> str:
    """The design as run (stack file paths made absolute), so that `perocav report DIR` can reload it."""
    return "# the design as run by perocav (from %s)\n" % source + yaml.safe_dump(
        spec.model_dump(mode="json", exclude_none=True), sort_keys=False)


def _jsonable(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return str(v)
