"""Error pages in the visitor's language (HTML) and problem+json answers for the API."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, make_response, render_template, request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db
from .json_body import JsonBodyError
from .services.errors import PermissionDenied, ServiceError, Throttled
from .uploads import too_large_detail

log = logging.getLogger("pilotstarter.errors")

TITLES = {
    400: _l("Ongeldig verzoek"),
    401: _l("Niet aangemeld"),
    403: _l("Geen toegang"),
    404: _l("Pagina niet gevonden"),
    405: _l("Methode niet toegestaan"),
    409: _l("Conflict"),
    413: _l("Te groot"),
    415: _l("Niet-ondersteund mediatype"),
    422: _l("Ongeldige invoer"),
    429: _l("Te veel verzoeken"),
    500: _l("Er ging iets mis"),
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, detail: str, **extra: object) -> Response:
    """An RFC 9457 problem response."""
    body = {
        "type": "about:blank",
        "title": str(TITLES.get(status, _l("Fout"))),
        "status": status,
        "detail": detail,
        **extra,
    }
    resp = jsonify(body)
    resp.status_code = status
    resp.mimetype = "application/problem+json"
    return resp


def error_page(status: int, detail: str) -> tuple[str, int]:
    return render_template(
        "error.html", status=status, title=str(TITLES.get(status, _l("Fout"))), detail=detail
    ), status


def audit_refusal(action: str) -> None:
    """Record a refused request (who, from where, which path; never the form data) in its own transaction."""
    from flask_login import current_user

    from .services import audit

    db.session.rollback()
    audit.record(
        action, current_user, "path", request.path[:254], request.remote_addr, commit=True, method=request.method
    )


def http_error_response(exc: HTTPException) -> Response:
    """The Dutch page or problem+json for an HTTP error; refusals (403, CSRF) are audited."""
    detail = {
        400: _("Het verzoek kon niet worden verwerkt. Ga terug en probeer het opnieuw."),
        403: _("U heeft geen toegang tot deze pagina."),
        404: _("Deze pagina bestaat niet (meer). Controleer het adres of zoek de pilot op."),
        405: _("Deze actie is op deze pagina niet mogelijk."),
        413: too_large_detail(),
        429: _("U heeft dit te vaak kort na elkaar gedaan. Wacht even en probeer het dan opnieuw."),
    }.get(exc.code or 500, exc.description or "")
    if isinstance(exc, CSRFError):
        audit_refusal("csrf.failed")
        detail = _(
            "Het formulier was verlopen of ongeldig (beveiligingscode). Ga terug, herlaad de pagina en probeer het opnieuw."
        )
    elif exc.code == 403:
        audit_refusal("permission.denied")
    if wants_json():
        return problem(exc.code or 500, detail)
    return make_response(error_page(exc.code or 500, detail))


def init_app(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError):
        db.session.rollback()
        if isinstance(exc, PermissionDenied):
            audit_refusal("permission.denied")
        if wants_json():
            response = problem(exc.status, exc.message, errors=exc.field_errors or None)
        else:
            response = make_response(error_page(exc.status, exc.message))
        if isinstance(exc, Throttled) and exc.retry_after:
            response.headers["Retry-After"] = str(exc.retry_after)
        return response

    @app.errorhandler(JsonBodyError)
    def _json_body_error(exc: JsonBodyError):
        """Every JSON endpoint (API or page helper) answers a body it cannot read the same way."""
        return problem(exc.status, exc.detail, **({"field": exc.field} if exc.field else {}))

    app.register_error_handler(HTTPException, http_error_response)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        detail = _("Er ging onverwacht iets mis. Uw gegevens zijn niet verloren; probeer het later opnieuw.")
        if wants_json():
            return problem(500, detail)
        return error_page(InternalServerError.code, detail)
