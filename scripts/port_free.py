"""Exit 0 when HOST:PORT can be bound now, 1 when it is busy or not a port: run.sh asks before any setup.

Binding (not connecting) is the test `flask run` itself will face, so a port held by any program counts.
"""

from __future__ import annotations

import socket
import sys


def port_free(host: str, port: str) -> bool:
    """True when ``port`` is a valid TCP port that nothing holds on ``host``."""
    if not port.isdigit() or not 0 < int(port) < 65536:
        return False
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as Werkzeug's server: TIME_WAIT is free
        try:
            sock.bind((host, int(port)))
        except OSError:
            return False
    return True


if __name__ == "__main__":
    sys.exit(0 if port_free(sys.argv[1], sys.argv[2]) else 1)
