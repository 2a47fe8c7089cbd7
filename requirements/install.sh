#!/bin/sh
# Install the universal lock, then mlbook from this checkout, into the environment of
# $PYTHON (a venv's python). INSTALLER=uv (default) bootstraps uv with pip and installs
# in seconds; INSTALLER=pip, or a uv that will not install, uses pip for the same pins.
# --no-deps everywhere: the lock is complete, and MXNet's metadata would pull NumPy < 2.
set -eu
lock=${1:-requirements/lock.txt}
root=$(cd "$(dirname "$0")/.." && pwd)
uv_pin=$(sed -n 's/^\(uv==[^ ]*\).*/\1/p' "$lock")
# A venv's bundled pip may predate PEP 517 builds of sdists (seqeval ships only one).
"$PYTHON" -m pip install --quiet --upgrade pip
if [ "${INSTALLER:-uv}" = uv ] && "$PYTHON" -m pip install --quiet "$uv_pin"; then
    uv=$(dirname "$PYTHON")/uv
    "$uv" pip install --quiet --python "$PYTHON" --no-deps -r "$lock"
    "$uv" pip install --quiet --python "$PYTHON" --no-deps --no-build-isolation -e "$root"
else
    [ "${INSTALLER:-uv}" = uv ] && echo "install.sh: uv did not install; using pip" >&2
    "$PYTHON" -m pip install --quiet --no-deps -r "$lock"
    "$PYTHON" -m pip install --quiet --no-deps --no-build-isolation -e "$root"
fi
