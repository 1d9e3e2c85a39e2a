#!/usr/bin/env bash
# Create .venv in the clone and install nn-tutor with its test tools. Idempotent: it reinstalls
# only when pyproject.toml changed since the last successful run.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.nn-tutor-installed
# The pinned CPU build; pyproject.toml keeps a range (torch>=2.2) for other installs.
TORCH_PIN=${TORCH_PIN:-torch==2.13.0}

want=$(cat pyproject.toml scripts/setup.sh | sha256sum | cut -c1-16)
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -x "$VENV/bin/nn-tutor" ]; then
  exit 0
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "nn-tutor: creating $VENV with $($PYTHON --version)"
  "$PYTHON" -m venv "$VENV"
fi
pip() { "$VENV/bin/python" -m pip --disable-pip-version-check -q "$@"; }
echo "nn-tutor: installing $TORCH_PIN (first run only; this is the big one)"
pip install "$TORCH_PIN"
echo "nn-tutor: installing nn-tutor and its test tools"
pip install -e ".[test,optimizer]"
echo "$want" > "$STAMP"
