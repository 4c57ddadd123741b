"""Security headers on every response, set in one `after_request` hook.

Why our own dozen lines and not flask-talisman: Talisman's releases have stalled, it would be one more
dependency to watch for a handful of constant headers, and it does not know which of our responses are
private. The rules here are the whole policy:

- Content-Security-Policy: only our own origin. The templates have no inline `<script>`, no `style=`
  and no event-handler attributes (tests/web/test_security_headers.py checks that), so neither
  'unsafe-inline' nor a nonce is needed; `data:` images are the vendored CSS's SVG icons.
- Framing is refused (frame-ancestors and X-Frame-Options for older browsers), MIME sniffing is off.
- Referrer-Policy strict-origin-when-cross-origin; `no-referrer` on pages with a secret token in their
  URL (password reset), so a link followed from there cannot leak it.
- HSTS outside development only (PILOTSTARTER_DEV, which turns SESSION_COOKIE_SECURE off): a
  developer's http://localhost must not be pinned to HTTPS.
- `Cache-Control: no-store` for everything private: a logged-in user's responses, responses that set a
  cookie, downloads (exports; not the public open data), account/admin/notification pages and the personal API endpoints. Public
  pages and static files keep their caching as it was.
"""

from __future__ import annotations

from flask import Flask, Response, current_app, request
from flask_login import current_user

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'"
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()"
HSTS = "max-age=31536000; includeSubDomains"
PRIVATE_BLUEPRINTS = frozenset({"account", "admin", "notifications"})
PRIVATE_ENDPOINTS = frozenset({"api.notification_list", "api.notification_mark_read"})
# Downloads that are the same file for every anonymous visitor (open data): caches may keep them.
PUBLIC_DOWNLOADS = frozenset({"open_data.pilots_export"})


def init_app(app: Flask) -> None:
    app.after_request(add_security_headers)


def add_security_headers(response: Response) -> Response:
    """Set the headers above; never overrides a header a view set on purpose."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("Referrer-Policy", "no-referrer" if _token_in_url() else "strict-origin-when-cross-origin")
    headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
    if current_app.config.get("SESSION_COOKIE_SECURE"):
        headers.setdefault("Strict-Transport-Security", HSTS)
    if is_private(response):
        headers["Cache-Control"] = "no-store"
        headers.pop("Expires", None)
    return response


def is_private(response: Response) -> bool:
    """Whether a shared or browser cache must not keep this response."""
    endpoint = request.endpoint or ""
    if endpoint == "static":
        return False
    return (
        "Set-Cookie" in response.headers
        or (
            response.headers.get("Content-Disposition", "").startswith("attachment")
            and endpoint not in PUBLIC_DOWNLOADS
        )
        or endpoint in PRIVATE_ENDPOINTS
        or endpoint.partition(".")[0] in PRIVATE_BLUEPRINTS
        or bool(current_user and current_user.is_authenticated)
    )


def _token_in_url() -> bool:
    return "token" in (request.view_args or {}) or "token" in request.args
