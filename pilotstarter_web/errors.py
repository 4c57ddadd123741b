"""Error pages in Dutch (HTML) and problem+json answers for the API."""

from __future__ import annotations

import logging

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException, InternalServerError

from .extensions import db
from .json_body import JsonBodyError
from .services.errors import ServiceError

log = logging.getLogger("pilotstarter.errors")

TITLES = {
    400: "Ongeldig verzoek",
    403: "Geen toegang",
    404: "Pagina niet gevonden",
    405: "Methode niet toegestaan",
    409: "Conflict",
    413: "Te groot",
    415: "Niet-ondersteund mediatype",
    422: "Ongeldige invoer",
    429: "Te veel verzoeken",
    500: "Er ging iets mis",
}


def wants_json() -> bool:
    return request.path.startswith("/api/")


def problem(status: int, detail: str, **extra: object) -> Response:
    """An RFC 9457 problem response."""
    body = {"type": "about:blank", "title": _(TITLES.get(status, "Fout")), "status": status, "detail": detail, **extra}
    resp = jsonify(body)
    resp.status_code = status
    resp.mimetype = "application/problem+json"
    return resp


def error_page(status: int, detail: str) -> tuple[str, int]:
    return render_template("error.html", status=status, title=_(TITLES.get(status, "Fout")), detail=detail), status


def init_app(app: Flask) -> None:
    @app.errorhandler(ServiceError)
    def _service_error(exc: ServiceError):
        db.session.rollback()
        if wants_json():
            return problem(exc.status, exc.message, errors=exc.field_errors or None)
        return error_page(exc.status, exc.message)

    @app.errorhandler(JsonBodyError)
    def _json_body_error(exc: JsonBodyError):
        """Every JSON endpoint (API or page helper) answers a body it cannot read the same way."""
        return problem(exc.status, exc.detail, **({"field": exc.field} if exc.field else {}))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        detail = {
            400: _("Het verzoek kon niet worden verwerkt. Ga terug en probeer het opnieuw."),
            403: _("U heeft geen toegang tot deze pagina."),
            404: _("Deze pagina bestaat niet (meer). Controleer het adres of zoek de pilot op."),
            405: _("Deze actie is op deze pagina niet mogelijk."),
            413: _("Wat u verstuurde is te groot."),
        }.get(exc.code or 500, exc.description or "")
        if exc.code == 400 and exc.description and "CSRF" in exc.description:
            detail = _(
                "Het formulier was verlopen of ongeldig (beveiligingscode). Ga terug, herlaad de pagina en probeer het opnieuw."
            )
        if wants_json():
            return problem(exc.code or 500, detail)
        return error_page(exc.code or 500, detail)

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        detail = _("Er ging onverwacht iets mis. Uw gegevens zijn niet verloren; probeer het later opnieuw.")
        if wants_json():
            return problem(500, detail)
        return error_page(InternalServerError.code, detail)
