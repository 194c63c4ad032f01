"""JSON logs with a request id, and redaction of API keys and tokens in every record."""

from __future__ import annotations

import contextvars
import json
import logging
import re
import time
import uuid

from pandium_server.ops.metrics import LATENCY, REQUESTS

request_id: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")
_SECRETS = re.compile(r"(pdm_[A-Za-z0-9]{8})[A-Za-z0-9]{24}|((?:Bearer|Basic)\s+)[^\s\"',]+")
log = logging.getLogger("pandium_server.access")


def redact(text: str) -> str:
    return _SECRETS.sub(lambda m: f"{m.group(1)}…" if m.group(1) else f"{m.group(2)}***", text)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request id (+ extras)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S%z"),
            "level": record.levelname,
            "logger": record.name,
            "message": redact(record.getMessage()),
            "request_id": getattr(record, "request_id", None) or request_id.get(),
        }
        for key in ("method", "path", "status", "duration_ms"):
            if hasattr(record, key):
                entry[key] = getattr(record, key)
        if record.exc_info:
            entry["exception"] = redact(self.formatException(record.exc_info))
        return json.dumps(entry)


class RequestIdFilter(logging.Filter):
    """Stamps each record with the request id current when it was logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = request_id.get()
        return True


def configure(level: str) -> None:
    handler = logging.StreamHandler()
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())


class _BodyTooLarge(Exception):
    pass


class RequestContext:
    """ASGI middleware: a request id (taken from X-Request-ID or made), a body size limit
    (413 in our error shape), an access log line, and metrics labelled by route template."""

    def __init__(self, app, max_body: int = 10 << 20) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        given = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        rid = given if re.fullmatch(r"[A-Za-z0-9._-]{1,64}", given) else uuid.uuid4().hex
        token = request_id.set(rid)
        started = time.perf_counter()
        status = 500
        headers = dict(scope["headers"])
        declared = headers.get(b"content-length", b"").decode("latin-1")
        received = 0

        async def counted_receive():
            nonlocal received
            message = await receive()
            received += len(message.get("body", b""))
            if received > self.max_body:
                raise _BodyTooLarge
            return message

        responding = False

        async def send_with_id(message):
            nonlocal status, responding
            if message["type"] == "http.response.start":
                status, responding = message["status"], True
                message.setdefault("headers", []).append((b"x-request-id", rid.encode()))
            await send(message)

        try:
            if declared.isdigit() and int(declared) > self.max_body:
                raise _BodyTooLarge
            await self.app(scope, counted_receive, send_with_id)
        except _BodyTooLarge:
            if responding:  # too late for a clean 413
                raise
            body = json.dumps(
                {"message": f"The request body is larger than {self.max_body} bytes"}
            ).encode()
            await send_with_id(
                {
                    "type": "http.response.start",
                    "status": 413,
                    "headers": [(b"content-type", b"application/json")],
                }
            )
            await send_with_id({"type": "http.response.body", "body": body})
        finally:
            elapsed = time.perf_counter() - started
            route = getattr(scope.get("route"), "path", "unmatched")
            REQUESTS.labels(scope["method"], route, str(status)).inc()
            LATENCY.labels(scope["method"], route).observe(elapsed)
            log.info(
                "%s %s %s",
                scope["method"],
                route,
                status,
                extra={
                    "request_id": rid,
                    "method": scope["method"],
                    "path": route,
                    "status": status,
                    "duration_ms": round(elapsed * 1000, 2),
                },
            )
            request_id.reset(token)
