"""Design-side glue of the fits (``perocav fit``): the input files' schema (``files``), the comparison of a fit with
the PDK stack's analytic prediction and the stack correction a design file can use (``correction``), plots
(``plots``) and the JSON the command prints (``report``)."""
