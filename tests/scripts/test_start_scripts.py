"""The start scripts as a newcomer meets them: a busy port fails at once, sourcing leaves the shell alone."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _run_sh(port: str, tmp_path: Path) -> tuple[subprocess.CompletedProcess, float]:
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "PORT": port, "PYTHON": sys.executable}
    start = time.monotonic()
    done = subprocess.run(
        ["bash", str(ROOT / "scripts" / "run.sh")], env=env, capture_output=True, text=True, timeout=30, cwd=tmp_path
    )
    return done, time.monotonic() - start


def test_run_sh_fails_at_once_on_a_busy_port_before_any_setup(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = str(busy.getsockname()[1])
        done, seconds = _run_sh(port, tmp_path)
    assert done.returncode == 1
    assert f"poort {port} is al in gebruik" in done.stderr
    assert "PORT=8000 scripts/run.sh" in done.stderr
    assert "==>" not in done.stdout  # no setup ran, and nothing claimed the site runs
    assert seconds < 5


def test_run_sh_refuses_a_port_that_is_not_a_number(tmp_path):
    done, _ = _run_sh("vijfduizend", tmp_path)
    assert done.returncode == 1
    assert "poort vijfduizend is al in gebruik of ongeldig" in done.stderr


def test_sourcing_venv_sh_sets_no_shell_options_in_the_readers_shell(tmp_path):
    """A fake checkout whose .venv is already installed: sourcing then only sets PATH and FLASK_APP."""
    (tmp_path / "scripts").mkdir()
    shutil.copy(ROOT / "scripts" / "_venv.sh", tmp_path / "scripts" / "_venv.sh")
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    (tmp_path / ".venv" / "bin" / "python").symlink_to(sys.executable)
    stamp = tmp_path / ".venv" / ".installed-requirements.txt"
    stamp.touch()
    os.utime(stamp, (time.time() + 60, time.time() + 60))  # newer than requirements.txt: nothing to install
    script = 'source scripts/_venv.sh requirements.txt; echo "flags=$-"; set -o | grep -E "pipefail"; echo "$FLASK_APP"'
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr
    flags = done.stdout.split("flags=")[1].split()[0]
    assert "e" not in flags and "u" not in flags
    assert "pipefail" in done.stdout and "off" in done.stdout.split("pipefail")[1].split()[0]
    assert done.stdout.strip().endswith("wsgi")
    assert "Installing" not in done.stdout
