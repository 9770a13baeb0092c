"""One error type for bad input: it names the source, the field and the allowed range in one line."""

from __future__ import annotations


class InputError(ValueError):
    """Bad user input. ``str(err)`` is one line: ``SOURCE: FIELD: problem (allowed: RANGE)``."""

    def __init__(self, problem: str, *, field: str, allowed: str = "", source: str = "input") -> None:
        self.problem = problem
        self.field = field
        self.allowed = allowed
        self.source = source
        super().__init__(self._line())

    def _line(self) -> str:
        tail = f" (allowed: {self.allowed})" if self.allowed else ""
        return f"{self.source}: {self.field}: {self.problem}{tail}".replace("\n", " ")

    def with_source(self, source: str, *, field_prefix: str = "") -> "InputError":
        """Copy naming another source (a file) and, optionally, a parent field."""
        field = f"{field_prefix}.{self.field}" if field_prefix and self.field else (field_prefix or self.field)
        return InputError(self.problem, field=field, allowed=self.allowed, source=source)
