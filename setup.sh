#!/usr/bin/env bash
# Idempotent set-up: Debian packages (MEEP, matplotlib), a venv that sees them, perocav installed.
# A second run only checks stamps and takes seconds.
set -euo pipefail
cd "$(dirname "$0")"
VENV="${PEROCAV_VENV:-.venv}"
APT_PKGS="python3-meep python3-matplotlib python3-venv python3-dev chromium"  # chromium: the report's browser test

need_apt=""
for p in $APT_PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || need_apt="$need_apt $p"
done
if [ -n "$need_apt" ]; then
  echo "[setup] installing Debian packages:$need_apt"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $need_apt >/dev/null
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "[setup] creating venv $VENV (system site packages, for Debian's MEEP)"
  /usr/bin/python3 -m venv --system-site-packages "$VENV"
fi

stamp="$VENV/.perocav-installed"
want="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "[setup] installing perocav and pinned dependencies into $VENV"
  log="$VENV/setup.log"
  # a current pip resolves the pinned set in seconds (Debian's pip 23.0 can backtrack for many minutes)
  if ! { "$VENV/bin/python" -m pip install -q --upgrade "pip>=24" \
         && "$VENV/bin/python" -m pip install -q -e ".[test]"; } >"$log" 2>&1; then
    tail -n 30 "$log" >&2; echo "[setup] pip install failed; full log: $log" >&2; exit 1
  fi
  "$VENV/bin/python" -W ignore -c "import meep, gdsfactory, perocav.pdk" >/dev/null 2>>"$log" \
    || { echo "[setup] import check failed; see $log" >&2; exit 1; }
  echo "$want" > "$stamp"
fi
