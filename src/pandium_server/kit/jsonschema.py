"""JSON Schema checks that never touch the network."""

from __future__ import annotations

import copy
import warnings
from typing import Any

from jsonschema import Draft202012Validator, validators
from jsonschema.exceptions import SchemaError
from referencing import Registry
from referencing.exceptions import NoSuchResource, Unresolvable
from referencing.jsonschema import SchemaRegistry


def _refuse_remote(uri: str):
    raise NoSuchResource(ref=uri)


# Only the metaschemas bundled with jsonschema resolve; any other $ref stays unresolved.
OFFLINE_REGISTRY: SchemaRegistry = Registry(retrieve=_refuse_remote)  # type: ignore[call-arg]


def validator_class(schema: dict[str, Any]):
    """The validator for the schema's declared ``$schema``, Draft 2020-12 when it names none."""
    declared = schema.get("$schema")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)  # an unknown $schema warns
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


def validation_errors(schema: dict[str, Any] | None, instance: Any) -> list[tuple[list, str]]:
    """(JSON path, message) for each way ``instance`` breaks ``schema``; [] when it fits."""
    if not schema:
        return []
    try:
        errors = list(make_validator(schema).iter_errors(instance))
    except Unresolvable as exc:
        return [([], f"the schema refers to {exc.ref!r}, which is not available offline")]
    errors.sort(key=lambda e: [str(p) for p in e.absolute_path])
    return [(list(e.absolute_path), e.message) for e in errors]


def fill_dynamic(schema: dict[str, Any] | None, dynamic: dict[str, Any]) -> dict[str, Any] | None:
    """``schema`` with the tenant's dynamic config options filled in.

    A definition (under ``$defs`` or ``definitions``) named like a key of ``dynamic`` takes
    that key's options: a list becomes the definition's ``enum``; an object is merged into
    the definition as JSON Schema keywords (e.g. ``oneOf`` with ``const``/``title`` pairs).
    """
    if not schema or not dynamic:
        return schema
    filled = copy.deepcopy(schema)
    for section in ("$defs", "definitions"):
        definitions = filled.get(section)
        if not isinstance(definitions, dict):
            continue
        for name, options in dynamic.items():
            if name not in definitions:
                continue
            definition = definitions[name] if isinstance(definitions[name], dict) else {}
            if isinstance(options, list):
                definition = {**definition, "enum": options}
            elif isinstance(options, dict):
                definition = {**definition, **options}
            definitions[name] = definition
    return filled
