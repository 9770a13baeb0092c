"""The device along the grating (physics.md section 8): sections with their own coupling, radiation, grating phase,
gain or loss; its lasing modes (``engine``), many devices at once (``batch``) and the mode along the device
(``profile``)."""
