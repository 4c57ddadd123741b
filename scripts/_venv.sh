# Sourced by run.sh and test.sh: make .venv (once) and install the pinned requirements file given as $1.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  echo "==> Making a virtual environment in .venv"
  "$PYTHON" -m venv .venv
fi
STAMP=".venv/.installed-$(basename "$1")"
if [ ! -f "$STAMP" ] || [ "$1" -nt "$STAMP" ] || [ requirements.txt -nt "$STAMP" ]; then
  echo "==> Installing $1"
  .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1"
  touch "$STAMP"
fi
export PATH="$ROOT/.venv/bin:$PATH"
export FLASK_APP=wsgi
