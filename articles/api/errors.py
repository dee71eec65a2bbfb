"""The API's errors: JSON naming the field and the reason, whatever went wrong.

Every error answer is `{"errors": [{"field": "...", "reason": "..."}]}` with its status code:
400 (a value the API cannot use), 401 (no valid token), 403 (the token's user may not do
this), 404, 405, 413 (a body over the limit), 429 (over the rate limit, with Retry-After).
"""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError


class ApiError(Exception):
    """An error answer: raise it anywhere below a view."""

    def __init__(
        self, status: int, field: str, reason: str, *, headers: dict | None = None
    ):
        super().__init__(reason)
        self.status, self.field, self.reason = status, field, reason
        self.headers = headers or {}


def error_response(
    status: int, errors: list[tuple[str, str]], headers: dict | None = None
) -> HttpResponse:
    response = JsonResponse(
        {"errors": [{"field": field, "reason": reason} for field, reason in errors]},
        status=status,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field(location: list) -> str:
    # ninja's locations read ("query", "limit") or ("body", "payload", "id"): the field is
    # what the client sent, without where ninja found it.
    parts = [str(part) for part in location if part not in ("query", "path", "body")]
    return ".".join(parts) or "body"


def install(api) -> None:
    """Answer every error of `api` as JSON naming the field."""

    @api.exception_handler(ApiError)
    def api_error(request: HttpRequest, error: ApiError) -> HttpResponse:
        return error_response(
            error.status, [(error.field, error.reason)], headers=error.headers
        )

    @api.exception_handler(ValidationError)
    def invalid(request: HttpRequest, error: ValidationError) -> HttpResponse:
        return error_response(
            400,
            [
                (_field(e.get("loc", [])), str(e.get("msg", "invalid")))
                for e in error.errors
            ],
        )

    @api.exception_handler(AuthenticationError)
    def unauthenticated(request: HttpRequest, error: Exception) -> HttpResponse:
        return error_response(
            401,
            [
                (
                    "Authorization",
                    "a valid API token is required: send `Authorization: Bearer <token>` "
                    "with a token made on your API tokens page (it may have been revoked)",
                )
            ],
            headers={"WWW-Authenticate": 'Bearer realm="newsreview"'},
        )

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, error: Exception) -> HttpResponse:
        return error_response(404, [("path", "no such object")])

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
        return error_response(error.status_code, [("request", str(error))])
