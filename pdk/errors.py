"""One error type for bad input: it names the source, the field and the allowed range in one line."""

from __future__ import annotations


class InputError(ValueError):
    """Bad user input. ``str(err)`` is one line: ``SOURCE: FIELD: problem (allowed: RANGE)``."""

    def __init__(self, problem: str, *, field: str, allowed: str = "", source: str = "input",
                 relative: bool = False) -> None:
        self.problem = problem
        self.field = field
        self.allowed = allowed
        self.source = source
        self.relative = relative  # raised inside a model: ``field`` is below the model's location
        super().__init__(self._line())

    def _line(self) -> str:
        tail = f" (allowed: {self.allowed})" if self.allowed else ""
        head = "" if self.source == "input" else f"{self.source}: "  # command-line values have no file
        return f"{head}{self.field}: {self.problem}{tail}".replace("\n", " ")

    def with_source(self, source: str, *, field_prefix: str = "") -> "InputError":
        """Copy naming another source (a file) and, optionally, a parent field."""
        field = f"{field_prefix}.{self.field}" if field_prefix and self.field else (field_prefix or self.field)
        return InputError(self.problem, field=field, allowed=self.allowed, source=source)


def from_validation_error(err, *, source: str = "input") -> InputError:
    """Turn the first error of a pydantic ValidationError into an InputError (one line)."""
    first = err.errors()[0]
    loc = ".".join(str(p) for p in first.get("loc", ()) if not str(p).startswith(("function-after", "material-", "axis-")))
    ctx = first.get("ctx") or {}
    original = ctx.get("error")
    if isinstance(original, InputError):
        field = ".".join(p for p in (loc, original.field) if p) if original.relative else (loc or original.field)
        return InputError(original.problem, field=field or "input", allowed=original.allowed, source=source)
    kind = first.get("type", "")
    allowed = ""
    bounds = {"gt": ">", "ge": ">=", "lt": "<", "le": "<="}
    parts = [f"{bounds[k]} {ctx[k]}" for k in ("gt", "ge", "lt", "le") if k in ctx]
    if parts:
        allowed = " and ".join(parts)
    elif "min_length" in ctx and kind == "too_short":
        allowed = f"at least {ctx['min_length']} item(s)"
    elif "max_length" in ctx and kind == "too_long":
        allowed = f"at most {ctx['max_length']} item(s)"
    elif kind == "extra_forbidden":
        allowed = "see the documented keys"
    elif kind == "finite_number":
        allowed = "a finite number"
    elif kind == "axis":
        allowed = "{start, stop, step}, {start, stop, num} or a list of values"
    elif kind == "string_pattern_mismatch":
        allowed = f"matching {ctx.get('pattern', '')}"
    elif kind == "material":
        allowed = "a material name or {n: N > 0, k: K >= 0}"
    elif "expected" in ctx:
        allowed = str(ctx["expected"])
    msg = first.get("msg", "invalid value").replace("Value error, ", "")
    value = first.get("input")
    if kind not in ("missing", "extra_forbidden") and not isinstance(value, (dict, list)):
        shown = repr(value)
        msg = f"{shown if len(shown) <= 60 else shown[:57] + '...'}: {msg}"
    return InputError(msg, field=loc or "input", allowed=allowed, source=source)
