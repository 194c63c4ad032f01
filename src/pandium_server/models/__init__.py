"""ORM models, one module per table; importing this package registers them all."""

from pandium_server.models.account import Account
from pandium_server.models.api_key import ApiKey
from pandium_server.models.build import Build
from pandium_server.models.connector import Connector
from pandium_server.models.credential import Credential
from pandium_server.models.integration import Integration
from pandium_server.models.release import Release
from pandium_server.models.run import Run, RunLog
from pandium_server.models.server_secret import ServerSecret
from pandium_server.models.taxonomy import (
    Category,
    Flag,
    Tag,
    integration_category,
    integration_tag,
)
from pandium_server.models.tenant import Tenant
from pandium_server.models.tenant_metadata import TenantMetadata
from pandium_server.models.trigger import Trigger

__all__ = [
    "Account",
    "ApiKey",
    "Build",
    "Category",
    "Connector",
    "Credential",
    "Flag",
    "Integration",
    "Release",
    "Run",
    "RunLog",
    "ServerSecret",
    "Tag",
    "Tenant",
    "TenantMetadata",
    "Trigger",
    "integration_category",
    "integration_tag",
]
