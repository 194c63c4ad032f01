"""Applying field changes to ORM objects only where the value really differs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def assign(obj: object, values: Mapping[str, Any]) -> bool:
    """Set each attribute whose value differs; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed
