"""Slab (planar stack) modes: transfer-matrix and finite-difference solvers, batched n_eff, the stack's permittivity profile, gain vs thickness. No meep import."""
