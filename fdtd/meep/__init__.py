"""MEEP-facing helpers (imports meep lazily where it can)."""
