"""One app host for tests/search_sync/test_two_hosts.py: `python -m tests.search_sync.host`.

Serves ``create_app()`` with its settings from the environment, as production does (PILOTSTARTER_DATA_DIR,
DATABASE_URL, SECRET_KEY, rate limits …), on 127.0.0.1 at a free port, and prints the port. Only what a
plain-HTTP test client needs differs: no CSRF tokens to scrape, cookies without Secure, cheap Argon2.
"""

from __future__ import annotations

from werkzeug.serving import make_server

from pilotstarter_web import create_app


def main() -> None:
    app = create_app(
        {
            "WTF_CSRF_ENABLED": False,
            "SESSION_COOKIE_SECURE": False,
            "REMEMBER_COOKIE_SECURE": False,
            "ARGON2_PROFILE": "CHEAPEST",
            "TWO_FACTOR_REQUIRED_ROLES": (),
        }
    )
    server = make_server("127.0.0.1", 0, app, threaded=True)
    print(server.server_port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
