"""Run a design file: expand the sweep, evaluate what the cache lacks (in parallel), rank, write outputs."""

from __future__ import annotations

import json
import math
import time
from concurrent.futures import as_completed
from dataclasses import dataclass, field
from pathlib import Path

from perocav.designs.cache import ResultCache, version_key
from perocav.designs.evaluate import EVALUATOR_VERSIONS, evaluate_point
from perocav.designs.executor import make_executor
from perocav.designs.io import atomic_path, write_text_atomic
from perocav.designs.spec import RANK_DIRECTION, DesignPoint, DesignSpec, expand_points, load_design


@dataclass
class RunSummary:
    """What a run did and where it put things."""

    design: str
    out_dir: str
    total: int
    computed: int
    from_cache: int
    failed: int
    wall_time_s: float
    best: dict | None
    files: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def cache_key(point: DesignPoint, fidelity: str, settings: str = "{}", *, stack_dump: dict | None = None) -> str:
    """Content address: the point's spec, the resolved stack's content (not its file name), evaluator and solver
    settings (FDTD settings and tolerances for FDTD), package and MEEP versions. ``stack_dump``: the resolved
    stack's JSON dump, if the caller has it."""
    stack = point.stack.resolve().model_dump(mode="json") if stack_dump is None else stack_dump
    extra = {"fidelity": fidelity, "evaluator": EVALUATOR_VERSIONS[fidelity], "stack": stack, **version_key()}
    if fidelity == "fdtd":
        extra["settings"] = json.loads(settings)
    return point.digest(extra=extra)


#: analytic numbers kept beside the FDTD ones for a screened (FDTD-verified) design, as ``analytic.NAME``
ANALYTIC_KEPT = ("wavelength_nm", "bragg_wavelength_nm", "stopband_short_nm", "stopband_long_nm", "kappa_per_cm",
                 "q_estimate", "threshold_modal_gain_per_cm", "threshold_current_density_a_per_cm2")


def run_design(*, design_path: str | Path, out_dir: str | Path, workers: int | None = None,
               scheduler: str | None = None, progress: bool = True, report: bool = True,
               mask: bool = True) -> RunSummary:
    """Evaluate every sweep point of ``design_path`` (cached), rank them, write table/report/mask to ``out_dir``."""
    t0 = time.perf_counter()
    spec = load_design(design_path)  # bad input stops here, before anything is written
    points = expand_points(spec)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    write_text_atomic(out / "design.yaml", _design_text(spec, design_path))
    cache = ResultCache(out / "cache")
    settings = json.dumps({"fdtd": spec.fdtd.model_dump(), "tolerances": spec.tolerances.model_dump()}, sort_keys=True)
    first = spec.fidelity if spec.fidelity in ("fdtd", "rcwa") else "analytic"  # (rcwa ran the analytic model)
    stage = _Stage(cache=cache, workers=workers, scheduler=scheduler, progress=progress, settings=settings)
    keys, records = stage.run(points, first)
    n_cached, computed, failed = stage.cached, stage.computed, stage.failed
    if spec.fidelity == "screen":  # analytic -> RCWA for the best N -> FDTD for the best k
        stages = ([("rcwa", spec.screen.rcwa_top_n)] if spec.screen.rcwa_top_n else []) + [("fdtd", spec.screen.top_k)]
        for fidelity, top in stages:
            _refine(stage, spec, points, keys, records, fidelity=fidelity, top=top)
        n_cached, computed, failed = stage.cached, stage.computed, stage.failed
    table = _table(spec, points, keys, records)
    files = _write_table(out, table)
    best = _best(table)
    if mask and spec.mask is not None:
        from perocav.designs.mask_export import export_mask

        files.update(export_mask(out_dir=out, spec=spec, table=table))
    if report:  # after the mask: the report shows the die picture and links the GDS and manifest
        from perocav.designs.report import write_report

        files["report"] = str(write_report(out_dir=out, spec=spec, table=table))
    summary = RunSummary(design=spec.name, out_dir=str(out), total=len(points), computed=computed,
                         from_cache=n_cached, failed=failed, wall_time_s=time.perf_counter() - t0, best=best,
                         files=files)
    write_text_atomic(out / "summary.json", json.dumps(summary.to_dict(), indent=2, default=_jsonable) + "\n")
    return summary


def _refine(stage, spec, points, keys, records, *, fidelity: str, top: int) -> None:
    """Re-evaluate the ``top`` best of the current ranking at ``fidelity`` and merge the results into ``records``
    (keyed by the analytic keys; the analytic numbers stay as ``analytic.NAME``)."""
    table0 = _table(spec, points, keys, records)
    best_keys = list(table0[table0["rank"].notna()].sort_values("rank")["key"].head(top))
    chosen = [p for p, k in zip(points, keys) if k[:16] in best_keys]
    fkeys, frecords = stage.run(chosen, fidelity)
    for p, fk in zip(chosen, fkeys):
        ak = keys[points.index(p)]
        frec = frecords[fk]
        merged = dict(records[ak])
        if not any(n.startswith("analytic.") for n in merged):
            merged.update({f"analytic.{n}": v for n, v in records[ak].items() if n in ANALYTIC_KEPT})
        if frec.get("status") == "ok":
            merged.update({n: v for n, v in frec.items() if n not in ("key", "params", "point")})
            merged["fidelity"] = fidelity
        else:
            merged[f"{fidelity}_error"] = frec.get("error", "")
        records[ak] = merged


def _design_text(spec: DesignSpec, design_path) -> str:
    """The design as run (stack file paths made absolute), so that `perocav report DIR` can reload it."""
    import yaml

    return "# the design as run by perocav (from %s)\n" % design_path + yaml.safe_dump(
        spec.model_dump(mode="json", exclude_none=True), sort_keys=False)


class _Stage:
    """Evaluate points at one fidelity: what the cache lacks runs in the executor; results land in the cache."""

    def __init__(self, *, cache: ResultCache, workers, scheduler, progress: bool, settings: str):
        self.cache, self.workers, self.scheduler, self.progress, self.settings = cache, workers, scheduler, progress, settings
        self.cached = self.computed = self.failed = 0

    def run(self, points, fidelity: str):
        dumps: dict[str, dict] = {}  # each distinct stack resolved once per stage (a sweep has few stacks)
        for p in points:
            ref = p.stack.model_dump_json()
            if ref not in dumps:
                dumps[ref] = p.stack.resolve().model_dump(mode="json")
        keys = [cache_key(p, fidelity, self.settings, stack_dump=dumps[p.stack.model_dump_json()]) for p in points]
        records: dict[str, dict] = {}
        todo = []
        for p, k in zip(points, keys):
            hit = self.cache.get(k)
            if hit is not None and hit.get("status") == "ok":
                records[k] = hit
            else:
                todo.append((p, k))
        self.cached += len(points) - len(todo)
        self.computed += len(todo)
        batch = [(p, k) for p, k in todo if fidelity == "analytic" and p.cavity.type == "dfb"]
        if batch:  # analytic DFB: the vectorised screen, per stack, in this process (workers would only add start-up)
            from perocav.designs.evaluate_batch import evaluate_dfb_batch

            todo = [(p, k) for p, k in todo if not (fidelity == "analytic" and p.cavity.type == "dfb")]
            with _progress(self.progress, len(points), len(points) - len(todo) - len(batch), fidelity) as bar:
                for i, rec in evaluate_dfb_batch([p for p, _ in batch]):
                    self._store(*batch[i], rec, records, bar)
        if todo:
            with make_executor(workers=self.workers, scheduler=self.scheduler) as pool, \
                    _progress(self.progress, len(points), len(points) - len(todo), fidelity) as bar:
                futures = {pool.submit(evaluate_point, p.model_dump_json(), fidelity, self.settings): (p, k)
                           for p, k in todo}
                for fut in as_completed(futures):
                    p, k = futures[fut]
                    try:
                        rec = fut.result()
                    except Exception as err:  # worker died: record, go on
                        rec = {"status": "failed", "error": f"{type(err).__name__}: {err}"}
                    self._store(p, k, rec, records, bar)
        return keys, records

    def _store(self, p, k: str, rec: dict, records: dict, bar) -> None:
        rec = {"key": k, "params": p.params, "point": json.loads(p.model_dump_json()), **rec}
        if rec["status"] == "ok":
            self.cache.put(k, rec)  # finished results are on disk the moment they exist
        else:
            self.failed += 1
        records[k] = rec
        bar(rec)


def _jsonable(v):
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return str(v)


class _progress:
    """A rich progress bar with ETA on stderr (or nothing)."""

    def __init__(self, enabled: bool, total: int, done: int, label: str = "designs"):
        self.enabled, self.total, self.done, self.label = enabled, total, done, label

    def __enter__(self):
        if not self.enabled:
            return lambda rec: None
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        self._p = Progress(TextColumn(f"[bold]{self.label}"), BarColumn(), MofNCompleteColumn(), TextColumn("elapsed"),
                           TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.description}"),
                           console=Console(stderr=True), transient=False)
        self._p.__enter__()
        self._task = self._p.add_task("", total=self.total, completed=self.done)

        def advance(rec: dict) -> None:
            msg = "" if rec.get("status") == "ok" else f"[red]failed: {rec.get('error', '')[:60]}"
            self._p.update(self._task, advance=1, description=msg)

        return advance

    def __exit__(self, *exc):
        if self.enabled:
            self._p.__exit__(*exc)
        return False


def _table(spec: DesignSpec, points, keys, records):
    import pandas as pd

    rows = []
    for p, k in zip(points, keys):
        rec = records.get(k, {"status": "missing", "error": "not evaluated"})
        row = {"key": k[:16], **{f"p.{n}": v for n, v in p.params.items()},
               "cavity": p.cavity.type, "stack": p.stack.name,
               **{f"cavity.{n}": v for n, v in p.cavity.model_dump().items() if n != "type"}}
        row.update({n: v for n, v in rec.items() if n not in ("key", "params", "point", "traceback", "side_modes", "modes",
                                                       "mode_profile")})
        rows.append(row)
    df = pd.DataFrame(rows)
    if spec.drive is not None:  # rise at each design's own J_th (issue 15): derived from the records, not cached
        from perocav.designs.thermal_rank import add_thermal_columns

        df = add_thermal_columns(df, points=points, drive=spec.drive)
    metric = spec.objective.rank_by
    ok = df["status"] == "ok"
    feasible = ok.copy()
    if spec.objective.wavelength_window_nm and "wavelength_nm" in df:
        lo, hi = spec.objective.wavelength_window_nm
        feasible &= df["wavelength_nm"].between(lo, hi)
    if spec.objective.min_q and "q_estimate" in df:
        feasible &= df["q_estimate"] >= spec.objective.min_q
    max_rise = spec.objective.max_temperature_rise_k
    if max_rise is not None and "temperature_rise_at_threshold_k" in df:
        feasible &= df["temperature_rise_at_threshold_k"] <= max_rise
    df["feasible"] = feasible
    if metric in df:
        # FDTD-verified designs (screen) rank ahead of analytic-only ones, each group by the metric
        # tiers: MEEP-verified, then RCWA-verified, then analytic only
        tier = df["fidelity"].map({"fdtd": 0, "rcwa": 1}).fillna(2) if "fidelity" in df else pd.Series(2, index=df.index)
        sign = -1.0 if RANK_DIRECTION[metric] == "max" else 1.0
        keyed = df[feasible].assign(_v=tier[feasible], _m=sign * pd.to_numeric(df[metric], errors="coerce"))
        order = keyed[keyed["_m"].notna()].sort_values(["_v", "_m"], kind="mergesort").index
        df["rank"] = pd.NA
        df.loc[order, "rank"] = range(1, len(order) + 1)
        df["rank"] = df["rank"].astype("Int64")
    else:
        df["rank"] = pd.Series([pd.NA] * len(df), dtype="Int64")
    return df


def _write_table(out: Path, df) -> dict[str, str]:
    files = {}
    with atomic_path(out / "results.parquet") as tmp:
        df.to_parquet(tmp, index=False)
    files["table_parquet"] = str(out / "results.parquet")
    with atomic_path(out / "results.csv") as tmp:
        df.to_csv(tmp, index=False, float_format="%.6g")
    files["table_csv"] = str(out / "results.csv")
    return files


def _best(df) -> dict | None:
    ranked = df[df["rank"].notna()].sort_values("rank")
    if ranked.empty:
        return None
    row = ranked.iloc[0].to_dict()
    return {k: (None if isinstance(v, float) and not math.isfinite(v) else v) for k, v in row.items()}
