#!/usr/bin/env bash
# Set up (idempotent), then run the main job on the default design. Extra arguments go to it.
set -euo pipefail
cd "$(dirname "$0")"
bash setup.sh
exec .venv/bin/perocav main "$@"
