#!/usr/bin/env bash
# Makes sure the system libraries the package links are present: OpenBLAS (with
# its LAPACK), SQLite (the deletion ledger) and pkg-config. Installs them with apt-get when run as root on
# Debian/Ubuntu; otherwise prints the one command to run.
set -euo pipefail
have() { pkg-config --exists openblas 2>/dev/null && pkg-config --exists sqlite3 2>/dev/null; }
if have; then exit 0; fi
packages="libopenblas-dev libsqlite3-dev pkg-config"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing $packages (apt-get)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq $packages >/dev/null
  have || { echo "error: OpenBLAS or SQLite is still not visible to pkg-config after installing $packages" >&2; exit 1; }
  exit 0
fi
if [ "$(uname)" = Darwin ]; then exit 0; fi  # Accelerate
echo "error: OpenBLAS or SQLite (pkg-config 'openblas', 'sqlite3') is missing. Install them with:" >&2
echo "  sudo apt-get update && sudo apt-get install -y $packages" >&2
exit 1
