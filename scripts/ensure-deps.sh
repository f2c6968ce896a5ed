#!/usr/bin/env bash
# Makes sure the system libraries the package links are present: OpenBLAS (with
# its LAPACK) and pkg-config. Installs them with apt-get when run as root on
# Debian/Ubuntu; otherwise prints the one command to run.
set -euo pipefail
if pkg-config --exists openblas 2>/dev/null; then exit 0; fi
packages="libopenblas-dev pkg-config"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing $packages (apt-get)…" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq $packages >/dev/null
  pkg-config --exists openblas || { echo "error: OpenBLAS is still not visible to pkg-config after installing $packages" >&2; exit 1; }
  exit 0
fi
if [ "$(uname)" = Darwin ]; then exit 0; fi  # Accelerate
echo "error: OpenBLAS (pkg-config 'openblas') is missing. Install it with:" >&2
echo "  sudo apt-get update && sudo apt-get install -y $packages" >&2
exit 1
