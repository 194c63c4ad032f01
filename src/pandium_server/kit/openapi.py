"""Shared OpenAPI fragments: the documented error responses."""

from __future__ import annotations

from pydantic import BaseModel


class ErrorMessage(BaseModel):
    message: str


def errors(*codes: int) -> dict[int | str, dict]:
    """``responses=`` entries for the given error status codes."""
    text = {
        401: "Missing, unknown or revoked API key",
        404: "Not Found",
        409: "Conflict",
    }
    return {code: {"model": ErrorMessage, "description": text[code]} for code in codes}
