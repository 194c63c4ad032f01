"""ORM models, one module per table; importing this package registers them all."""

from pandium_server.models.account import Account
from pandium_server.models.api_key import ApiKey
from pandium_server.models.connector import Connector
from pandium_server.models.integration import Integration
from pandium_server.models.release import Release
from pandium_server.models.taxonomy import (
    Category,
    Flag,
    Tag,
    integration_category,
    integration_tag,
)
from pandium_server.models.tenant import Tenant
from pandium_server.models.tenant_metadata import TenantMetadata

__all__ = [
    "Account",
    "ApiKey",
    "Category",
    "Connector",
    "Flag",
    "Integration",
    "Release",
    "Tag",
    "Tenant",
    "TenantMetadata",
    "integration_category",
    "integration_tag",
]
