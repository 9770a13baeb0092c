"""``python -m perocav.designs.cli ARGS`` runs the ``perocav`` command line."""

from perocav.designs.cli.app import main

main()
