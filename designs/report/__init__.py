"""The run's HTML report and its figures: ``page`` (``write_report``: the page), one module per section (``table``,
``maps``, ``fdtd``, ``best``, ``stack``, ``thermal``), ``parts`` (figure, labels), ``plots`` / ``plots_thermal``
(matplotlib figures also used by the commands). The report draws stored results and studies; it never solves."""
