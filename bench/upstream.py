"""A minimal ASGI upstream for bench/proxy.py: answers every request with a small JSON."""

from __future__ import annotations

import json

BODY = json.dumps({"ok": True, "items": [1, 2, 3]}).encode()


async def app(scope, receive, send):
    if scope["type"] != "http":
        return
    auth = dict(scope["headers"]).get(b"authorization", b"")
    status = 200 if auth in (b"", b"Bearer bench-token") else 401
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": BODY})
