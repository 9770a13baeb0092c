"""The device along the grating (physics.md section 8): sections with their own coupling, radiation, grating phase,
gain or loss; its lasing modes (``engine``), many devices at once (``batch``) and the mode along the device
(``profile``); the device model that feeds it (``unit_cell``: each section geometry's numbers from a unit-cell
solver; ``zone``: the recombination zone's share of the mode; ``absorption``: the unexcited film's alpha0;
``pumped``: gain under the opening, self-absorption elsewhere, the lowest device modes); and where a mode's power
goes (``near_field``, ``budget``: the power budget; ``updown``: the stack's up/down split; ``farfield``, ``lobes``:
the far field of the radiated near field). No meep."""
