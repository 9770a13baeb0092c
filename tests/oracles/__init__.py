"""Independent reference solvers used only by the tests (never imported by the package)."""
