"""JSON Schema checks that never touch the network."""

from __future__ import annotations

from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import SchemaError
from referencing import Registry
from referencing.exceptions import NoSuchResource
from referencing.jsonschema import SchemaRegistry


def _refuse_remote(uri: str):
    raise NoSuchResource(ref=uri)


# Only the metaschemas bundled with jsonschema resolve; any other $ref stays unresolved.
OFFLINE_REGISTRY: SchemaRegistry = Registry(retrieve=_refuse_remote)  # type: ignore[call-arg]


def validator_class(schema: dict[str, Any]):
    """The validator for the schema's declared ``$schema``, Draft 2020-12 when it names none."""
    declared = schema.get("$schema")
    cls = validators.validator_for(schema, default=Draft202012Validator)
    if (
        declared is not None
        and cls is Draft202012Validator
        and declared
        not in (
            Draft202012Validator.META_SCHEMA["$id"],
            Draft202012Validator.META_SCHEMA["$id"].rstrip("#"),
        )
    ):
        raise SchemaError(f"unknown $schema {declared!r}")
    return cls


def schema_problem(schema: Any) -> str | None:
    """Why ``schema`` is not a usable JSON Schema, or None when it is."""
    if not isinstance(schema, dict):
        return "must be a JSON object"
    try:
        cls = validator_class(schema)
        cls.check_schema(schema)
    except SchemaError as exc:
        path = "/".join(str(p) for p in exc.path)
        return f"invalid JSON Schema at '/{path}': {exc.message}" if path else exc.message
    return None


def make_validator(schema: dict[str, Any]):
    """A validator with format checking and no remote ``$ref`` resolution."""
    cls = validator_class(schema)
    return cls(schema, registry=OFFLINE_REGISTRY, format_checker=cls.FORMAT_CHECKER)
