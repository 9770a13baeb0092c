"""``perocav optimize``: multi-fidelity optimisation of a design file's device (optuna over the coupled-mode device
model, then RCWA section cells, then the finite-device FDTD), its tolerance analysis and its die."""
