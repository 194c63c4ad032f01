"""Small reusable field checks for request schemas."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from pandium_server.kit.jsonschema import schema_problem


def check_http_url(value: str | None) -> str | None:
    """An absolute http(s) URL without credentials in it."""
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError("must be an absolute http:// or https:// URL")
    if parts.username or parts.password:
        raise ValueError("must not contain a user name or password")
    return value


MAX_ID = 2**63 - 1


def check_no_nul(value: Any) -> Any:
    """Reject NUL characters anywhere in a string or JSON document (PostgreSQL cannot store
    them in text or jsonb)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item:
                raise ValueError("must not contain NUL characters")
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return value


def check_json_schema(value: dict[str, Any] | None) -> dict[str, Any] | None:
    """A valid JSON Schema document (Draft 2020-12 unless it declares another draft)."""
    if value is None:
        return None
    check_no_nul(value)
    problem = schema_problem(value)
    if problem:
        raise ValueError(problem)
    return value


def check_text(value: str | None) -> str | None:
    """Reject control characters (newlines included) in single-line text."""
    if value is not None and any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise ValueError("must not contain control characters")
    return value
