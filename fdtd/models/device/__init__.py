"""The finite DFB device along the grating: the section-wise coupled-mode engine (``sections``, ``engine``,
``batch``) and the device model that feeds it (``unit_cell``: each section's couplings from a unit-cell solver;
``zone``: the recombination zone's share of the mode; ``pumped``: gain and self-absorption along the device and the
threshold of the lowest device mode). No meep."""
