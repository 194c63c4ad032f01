from __future__ import annotations

import pytest

from tests.proxy.upstream import Upstream


@pytest.fixture(scope="session")
def upstream_server():
    server = Upstream()
    yield server
    server.close()


@pytest.fixture
def upstream(upstream_server):
    upstream_server.hits.clear()
    upstream_server.token_requests = 0
    return upstream_server
