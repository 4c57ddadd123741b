"""A separate process for the sync tests: `python -m tests.search_sync.worker DATA_DIR MODE N`.

MODE "write": create N pilots, one commit each, syncing after each like a web worker does.
MODE "bulk": create N pilots without syncing, print "indexing", then sync in small batches (the
parent kills it with SIGKILL somewhere in there).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from pilotstarter_web import create_app
from pilotstarter_web.database import set_write_intent
from pilotstarter_web.extensions import db
from pilotstarter_web.services import fulltext_search as search_module
from pilotstarter_web.services.accounts import create_account, user_by_email
from pilotstarter_web.services.organisations import find_organisation
from pilotstarter_web.services.pilots import PilotText, create_pilot


def make_app(data_dir: str):
    return create_app(
        {
            "DATA_DIR": data_dir,
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(data_dir) / 'sync.db'}",
            "SECRET_KEY": "sync-test",
            "ARGON2_PROFILE": "CHEAPEST",
            "SEARCH_REBUILD_INLINE": True,
        }
    )


def author(label: str):
    email = f"{label}@example.nl"
    user = user_by_email(email)
    if user is None:
        user = create_account(email, label, "correct-horse-battery", find_organisation("GM0344"), verified=True)
        db.session.commit()
    return user


def main() -> None:
    data_dir, mode, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    app = make_app(data_dir)
    with app.app_context():
        set_write_intent(True)
        user = author(f"worker{os.getpid()}")
        service = search_module.search_service()
        for n in range(count):
            title = f"Pilot {os.getpid()} nummer {n} kiwi"
            create_pilot(user, PilotText(title, "Samenvatting.", f"Tekst van pilot {n}.", ["data"]))
            db.session.commit()
            if mode == "write":
                service.sync(timeout=0.0)  # as after a request: never wait for another process
        if mode == "bulk":
            search_module.BATCH = 5  # many small commits: a kill lands in the middle of one
            print("indexing", flush=True)
            while service.sync(timeout=5.0):
                pass
        print("done", flush=True)


if __name__ == "__main__":
    main()
