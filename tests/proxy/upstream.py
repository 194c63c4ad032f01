"""A real HTTP server for the proxy tests: it records every request it receives."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

XML_ORDER = (
    b'<?xml version="1.0"?><order id="7"><item>a</item><item>b</item><total>3</total></order>'
)


class Upstream:
    def __init__(self) -> None:
        self.hits: list[dict] = []
        self.token_requests = 0
        self.lock = threading.Lock()
        upstream = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def _reply(self, status: int, body: bytes, ctype: str, extra=None) -> None:
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(body)))
                for key, value in (extra or {}).items():
                    self.send_header(key, value)
                self.end_headers()
                self.wfile.write(body)

            def _handle(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                parts = urlsplit(self.path)
                hit = {
                    "method": self.command,
                    "path": parts.path,
                    "query": {k: v[0] for k, v in parse_qs(parts.query).items()},
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": raw.decode(errors="replace"),
                }
                with upstream.lock:
                    upstream.hits.append(hit)
                path = parts.path
                if path.startswith("/status/"):
                    code = int(path.rsplit("/", 1)[1])
                    body = json.dumps({"error": f"upstream says {code}"}).encode()
                    return self._reply(code, body, "application/json")
                if path == "/slow":
                    time.sleep(4)
                    return self._reply(200, b"{}", "application/json")
                if path == "/xml":
                    return self._reply(200, XML_ORDER, "application/xml")
                if path == "/soap":
                    return self._reply(200, raw, "text/xml; charset=utf-8")
                if path == "/big":
                    return self._reply(200, b"x" * (11 << 20), "text/plain")
                if path == "/text":
                    return self._reply(200, b"hello", "text/plain")
                if path == "/redirect":
                    return self._reply(302, b"", "text/plain", {"Location": "/echo"})
                if path == "/token":
                    with upstream.lock:
                        upstream.token_requests += 1
                        count = upstream.token_requests
                    time.sleep(0.2)  # a slow token endpoint widens any race
                    body = json.dumps({"access_token": f"fresh-{count}", "expires_in": 3600})
                    return self._reply(200, body.encode(), "application/json")
                if path == "/token-broken":
                    return self._reply(401, b'{"error": "invalid_grant"}', "application/json")
                return self._reply(200, json.dumps(hit).encode(), "application/json")

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _handle

        class QuietServer(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                # The proxy hangs up on purpose (over-size or slow answers): not an error.
                pass

        self.server = QuietServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
