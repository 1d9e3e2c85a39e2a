#!/usr/bin/env bash
# Create .venv in the clone and install nn-tutor with its test tools. Idempotent: it reinstalls
# only when pyproject.toml changed since the last successful run.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
STAMP=$VENV/.nn-tutor-installed
# The pinned torch; pyproject.toml keeps a range (torch>=2.2) for other installs. From plain PyPI
# on Linux this is the CUDA build (several GB): README says how to take the CPU one.
TORCH_PIN=${TORCH_PIN:-torch==2.13.0}

want=$(cat pyproject.toml scripts/setup.sh | cksum | tr -c '0-9\n' _)  # cksum: on every Unix
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "$want" ] && [ -x "$VENV/bin/nn-tutor" ]; then
  exit 0
fi

say() { echo "nn-tutor: $*"; }
fail() { echo "nn-tutor: $*" >&2; exit 1; }
# Python 3.10 or newer. An older one would fail much later, on a torch wheel pip cannot find.
recent() { "$1" -c 'import sys; sys.exit(sys.version_info < (3, 10))' >/dev/null 2>&1; }

has_pip() { "$VENV/bin/python" -m pip --version >/dev/null 2>&1; }

# A .venv a failed run left unusable is built again: no virtual environment (a file, a dangling
# link), too old a Python (or gone), or no pip that ensurepip can add (python3 -m venv without
# ensurepip leaves such a one behind). One made without pip on purpose (uv venv) gets pip.
if [ -e "$VENV" ] || [ -L "$VENV" ]; then
  if recent "$VENV/bin/python" && ! has_pip; then
    "$VENV/bin/python" -m ensurepip --upgrade >/dev/null 2>&1 || true
  fi
  if ! { recent "$VENV/bin/python" && has_pip; }; then
    say "$VENV is unusable (no virtual environment, too old a Python, or no pip): rebuilding it"
    rm -rf "$VENV"
  fi
fi

if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON" --version >/dev/null 2>&1 \
    || fail "no Python runs as '$PYTHON' here: install Python 3.10 or newer, or name one: make tutor PYTHON=python3.12"
  recent "$PYTHON" \
    || fail "nn-tutor needs Python 3.10 or newer; '$PYTHON' is $("$PYTHON" --version 2>&1): name a newer one: make tutor PYTHON=python3.12"
  say "creating $VENV with $("$PYTHON" --version 2>&1)"
  if ! "$PYTHON" -m venv "$VENV"; then
    rm -rf "$VENV"  # half made: it would trip the next run
    fail "'$PYTHON -m venv' failed; on Debian or Ubuntu install python3-venv (sudo apt install python3-venv) and run this again"
  fi
fi
pip() { "$VENV/bin/python" -m pip --disable-pip-version-check -q "$@"; }
say "installing $TORCH_PIN (first run only; this is the big one)"
pip install "$TORCH_PIN"
say "installing nn-tutor and its test tools"
pip install -e ".[test,optimizer]"
echo "$want" > "$STAMP"
