# Sourced by run.sh and test.sh (and by hand: `source scripts/_venv.sh requirements.txt` to get `flask`):
# make .venv (once), install the pinned requirements file given as $1, put .venv/bin first on PATH.
# Sets no shell options: a reader's interactive shell must not inherit `set -e` (it would close on the
# first failing command). The scripts that source this set their own; failures here `return 1`.
_pilotstarter_venv() {
  local root stamp
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)" || return 1
  cd "$root" || return 1
  if [ ! -x .venv/bin/python ]; then
    echo "==> Making a virtual environment in .venv"
    "${PYTHON:-python3}" -m venv .venv || return 1
  fi
  stamp=".venv/.installed-$(basename "$1")"
  if [ ! -f "$stamp" ] || [ "$1" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
    echo "==> Installing $1"
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$1" || return 1
    touch "$stamp"
  fi
  export PATH="$root/.venv/bin:$PATH"
  export FLASK_APP=wsgi
}
_pilotstarter_venv "${1:-requirements.txt}"
