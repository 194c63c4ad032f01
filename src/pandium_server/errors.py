"""One error hierarchy for the domain, and the one place that maps it to HTTP.

Services raise these; nothing below the endpoints raises ``HTTPException``. Shapes follow
the reference: ``{"message": …}`` for 401/404/409, FastAPI's validation shape for 422.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, IntegrityError
from starlette.exceptions import HTTPException as StarletteHTTPException

log = logging.getLogger(__name__)


class PandiumError(Exception):
    """Base of every error the API reports on purpose."""

    status_code = 400

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def body(self) -> dict:
        return {"message": self.message}


class Unauthorized(PandiumError):
    status_code = 401


class NotFound(PandiumError):
    """The object does not exist, or belongs to another account (indistinguishable)."""

    status_code = 404


class Conflict(PandiumError):
    status_code = 409


class ProxyFailure(PandiumError):
    """A proxied call that did not succeed; the reference reports these as ``{"detail"}``."""

    def __init__(self, status_code: int, detail: str) -> None:
        super().__init__(detail)
        self.status_code = status_code

    def body(self) -> dict:
        return {"detail": self.message}


class InvalidInput(PandiumError):
    """Input that parsed but breaks a rule; reported like FastAPI's own validation errors."""

    status_code = 422

    def __init__(self, loc: Sequence[str | int], message: str) -> None:
        super().__init__(message)
        self.problems = [(list(loc), message)]

    @classmethod
    def many(cls, problems: Sequence[tuple[Sequence[str | int], str]]) -> InvalidInput:
        """One error reporting several problems (the first one is the summary message)."""
        error = cls(problems[0][0], problems[0][1])
        error.problems = [(list(loc), msg) for loc, msg in problems]
        return error

    def body(self) -> dict:
        return {
            "message": self.message,
            "detail": [
                {"loc": loc, "msg": msg, "type": "value_error"} for loc, msg in self.problems
            ],
        }


def install_error_handlers(app: FastAPI) -> None:
    """Map the hierarchy (and Starlette's own 404/405) to JSON responses."""

    @app.exception_handler(PandiumError)
    async def _domain(_: Request, exc: PandiumError) -> JSONResponse:
        headers = {"WWW-Authenticate": "Bearer"} if exc.status_code == 401 else None
        return JSONResponse(exc.body(), status_code=exc.status_code, headers=headers)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        return JSONResponse(
            {"message": str(exc.detail)}, status_code=exc.status_code, headers=exc.headers
        )

    # A safety net: input checks should catch these first, but if the database is the one
    # to refuse a value, the caller still gets a 4xx and nothing is stored.
    @app.exception_handler(IntegrityError)
    async def _integrity(_: Request, exc: IntegrityError) -> JSONResponse:
        log.info("integrity error mapped to 409: %s", type(exc.orig).__name__)
        return JSONResponse({"message": "Conflicts with an existing object"}, status_code=409)

    @app.exception_handler(DataError)
    async def _data(_: Request, exc: DataError) -> JSONResponse:
        log.info("data error mapped to 422: %s", type(exc.orig).__name__)
        return JSONResponse(
            {"message": "A value could not be stored", "detail": []}, status_code=422
        )

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [_without_url(e) for e in exc.errors()]
        first = errors[0] if errors else {"loc": [], "msg": "invalid request"}
        where = ".".join(str(p) for p in first.get("loc", ()))
        # Both shapes the reference uses for 422: ErrorMessage and HTTPValidationError.
        return JSONResponse(
            {"message": f"{where}: {first.get('msg')}", "detail": _jsonable(errors)},
            status_code=422,
        )


SECRET_FIELDS = {"password", "client_secret", "access_token", "refresh_token", "api_key"}


def _without_url(error: dict) -> dict:
    """FastAPI's error entry without its docs link, and without echoing secret values."""
    error = dict(error)
    error.pop("url", None)
    if SECRET_FIELDS & {str(part) for part in error.get("loc", ())}:
        error.pop("input", None)
        error.pop("ctx", None)
    return error


def _jsonable(value: object) -> object:
    from fastapi.encoders import jsonable_encoder

    return jsonable_encoder(value, custom_encoder={Exception: str, ValueError: str})
