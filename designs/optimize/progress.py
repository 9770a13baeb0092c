"""The search's progress bar on stderr: trials done of the budget, elapsed, ETA, and the best feasible score."""

from __future__ import annotations

import math

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn


class TrialProgress:
    """``with TrialProgress(enabled=..., total=N, done=k) as bar: bar.advance(score)``."""

    def __init__(self, *, enabled: bool, total: int, done: int):
        self.enabled, self.total, self.done = enabled, total, done
        self.best = math.inf

    def __enter__(self) -> "TrialProgress":
        if self.enabled:
            self._p = Progress(TextColumn("[bold]trials"), BarColumn(), MofNCompleteColumn(), TextColumn("elapsed"),
                               TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                               TextColumn("{task.description}"), console=Console(stderr=True))
            self._p.__enter__()
            self._task = self._p.add_task("", total=self.total, completed=min(self.done, self.total))
        return self

    def advance(self, score) -> None:
        """One trial told; ``score``: its ``TrialScore``."""
        if score.feasible and score.objective < self.best:
            self.best = score.objective
        if self.enabled:
            text = f"best feasible {self.best:.4g} (device CMT, analytic cells)" if math.isfinite(self.best) else ""
            self._p.update(self._task, advance=1, description=text)

    def __exit__(self, *exc):
        if self.enabled:
            self._p.__exit__(*exc)
        return False
