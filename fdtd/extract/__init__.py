"""Pure extraction from solver output (numpy only, no meep)."""
