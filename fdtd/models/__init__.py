"""Analytic physics (never imports MEEP): dispersion of stack regions, resonance conditions, heat."""
