"""WSGI entry point: `gunicorn wsgi:app`, `flask --app wsgi ...`.

With MAIL_WORKER=thread a server process (gunicorn, `flask run`) also sends the mail outbox from a background
thread (pilotstarter_web/mail_worker.py). Started here, never by create_app: commands and tests build apps too.
"""

import sys

from pilotstarter_web import create_app
from pilotstarter_web.mail_worker import start_if_configured

app = create_app()
start_if_configured(app, sys.argv)
