"""Heat: the axisymmetric steady-state model of a driven device and its stack. No meep import."""
