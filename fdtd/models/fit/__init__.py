"""Fitting measured lasing lines and spectra of a uniform DFB grating with the section engine as the forward model
(``grating_lines``: the labelled threshold modes and their wavelengths; ``lines_fit``: least squares over the mode
assignments; ``spontaneous``: the below-threshold spectrum of distributed spontaneous emission; ``spectrum_fit``:
that spectrum fitted to a measured one). No meep."""
