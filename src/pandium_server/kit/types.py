"""Constrained field types shared by request schemas; lengths match the columns."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints

from pandium_server.kit.validation import (
    MAX_ID,
    check_http_url,
    check_json_schema,
    check_no_nul,
    check_text,
)


def line(max_length: int, min_length: int = 0) -> Any:
    """Single-line text: no control characters."""
    return Annotated[
        str,
        StringConstraints(min_length=min_length, max_length=max_length),
        AfterValidator(check_text),
    ]


def text(max_length: int) -> Any:
    """Multi-line text: anything PostgreSQL can store."""
    return Annotated[str, StringConstraints(max_length=max_length), AfterValidator(check_no_nul)]


DbId = Annotated[int, Field(ge=1, le=MAX_ID)]
HttpUrl = Annotated[
    str,
    StringConstraints(max_length=2000),
    AfterValidator(check_text),
    AfterValidator(check_http_url),
]
JsonSchema = Annotated[dict[str, Any], AfterValidator(check_json_schema)]
