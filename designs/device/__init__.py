"""The DFB device along the grating in the design file: sections (uniform, quarter-wave, mixed-order, apodised or
an explicit list), the pumped opening and the recombination zone (``spec``), and the ``DeviceGeometry`` they make
(``geometry``) that the layout, the coupled-mode device model and the finite-device FDTD read."""
