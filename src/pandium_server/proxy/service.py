"""A proxied call: find the connector, open its credentials, inject them, send the request
through the guarded client, and report the answer in the reference's shapes."""

from __future__ import annotations

import base64
import contextlib
import json
import time
from typing import Any, Literal
from urllib.parse import urljoin, urlsplit

import httpx
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from pandium_server.connectors import repository as connectors
from pandium_server.connectors.service import open_credential
from pandium_server.errors import ProxyFailure
from pandium_server.kit.crypto import CryptoError, Keyring
from pandium_server.models import Connector, Credential
from pandium_server.ops.metrics import PROXY_LATENCY
from pandium_server.proxy import oauth, xml
from pandium_server.proxy.guard import POLICY, Blocked, Policy
from pandium_server.proxy.schemas import ProxyRestRequestBody, ProxyXmlRequestBody

Kind = Literal["rest", "soap", "xml"]
METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}
RESPONSE_CAP = 10 << 20
# Never taken from the caller: they describe the connection, or carry our credentials.
DROPPED_HEADERS = {
    "authorization",
    "host",
    "content-length",
    "connection",
    "keep-alive",
    "proxy-authorization",
    "proxy-connection",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "cookie",
}


def _bad(detail: str) -> ProxyFailure:
    return ProxyFailure(400, detail)


async def call(*args, **kwargs) -> Any:
    """``_call`` timed for the metrics, labelled by connector and outcome status."""
    started = time.perf_counter()
    status = 200
    try:
        return await _call(*args, **kwargs)
    except ProxyFailure as exc:
        status = exc.status_code
        raise
    finally:
        PROXY_LATENCY.labels(args[6], str(status)).observe(time.perf_counter() - started)


async def _call(
    session: AsyncSession,
    maker: async_sessionmaker[AsyncSession],
    keyring: Keyring,
    http: httpx.AsyncClient,
    account_id: int,
    tenant_id: int,
    connector_name: str,
    body: ProxyRestRequestBody | ProxyXmlRequestBody,
    kind: Kind,
) -> Any:
    """The upstream's answer as ``data``; raises ProxyFailure for everything else."""
    found, connector, credential = await connectors.proxy_target(
        session, account_id, tenant_id, connector_name
    )
    if not found:
        raise ProxyFailure(404, f"Tenant {tenant_id} not found")
    if connector is None:
        raise ProxyFailure(404, f"Connector {connector_name!r} not found for tenant {tenant_id}")
    fields = await _credentials(session, maker, keyring, http, connector, credential)

    method = body.method.upper()
    if method not in METHODS:
        raise _bad(f"method {body.method!r} is not supported")
    url = _target(connector, body.target_url)
    headers = _headers(body.headers)
    params = {
        k: v if isinstance(v, str) else json.dumps(v) for k, v in (body.query_params or {}).items()
    }
    content: bytes | None = None
    if isinstance(body, ProxyXmlRequestBody):
        content = _xml_content(connector, body.data, fields, kind)
        default_type = "text/xml; charset=utf-8" if kind == "soap" else "application/xml"
        headers.setdefault("content-type", default_type)
    elif body.body is not None:
        content = json.dumps(body.body).encode()
        headers.setdefault("content-type", "application/json")
    _inject(connector, fields, headers, params)

    allowed = {h.lower() for h in (connector.allowed_hosts or [])}
    if not allowed and connector.base_url:
        allowed = {(urlsplit(connector.base_url).hostname or "").lower()}
    policy = Policy(frozenset(allowed), connector.internal)
    try:
        target = httpx.URL(url).copy_merge_params(params) if params else url
        request = http.build_request(
            method, target, headers=headers, content=content, extensions={POLICY: policy}
        )
        response = await http.send(request, stream=True)
    except Blocked as exc:
        raise _bad(str(exc)) from None
    except httpx.TimeoutException:
        raise ProxyFailure(504, "the upstream did not answer in time") from None
    except (httpx.TransportError, httpx.InvalidURL, ValueError) as exc:
        raise ProxyFailure(
            502, f"the upstream could not be reached ({type(exc).__name__})"
        ) from None
    try:
        raw = await _read_capped(response)
    except httpx.TimeoutException:
        raise ProxyFailure(504, "the upstream did not answer in time") from None
    except httpx.TransportError as exc:
        raise ProxyFailure(502, f"the upstream connection failed ({type(exc).__name__})") from None
    finally:
        await response.aclose()
    payload = _decode(response, raw, kind)
    if response.status_code >= 400:
        raise ProxyFailure(response.status_code, json.dumps({"data": payload}))
    if response.status_code >= 300:
        raise ProxyFailure(
            502, f"the upstream answered {response.status_code}; redirects are not followed"
        )
    return payload


async def _credentials(
    session, maker, keyring, http, connector: Connector, credential: Credential | None
) -> dict:
    if connector.auth_type == "none":
        return {}
    if credential is None:
        raise _bad(f"connector {connector.name!r} is not connected")
    try:
        if connector.auth_type == "oauth2" and oauth.expiring(credential):
            return await oauth.fresh_fields(session, maker, keyring, http, credential, connector)
        if credential.status == "refresh_failed":
            raise _bad(f"connector {connector.name!r} needs to be reconnected")
        return open_credential(keyring, credential, connector)
    except oauth.RefreshFailed as exc:
        raise _bad(f"connector {connector.name!r}: token refresh failed: {exc}") from None
    except CryptoError:
        raise _bad(f"the credentials of connector {connector.name!r} cannot be read") from None


def _target(connector: Connector, target: str) -> str:
    parts = urlsplit(target)
    if parts.scheme:
        return target
    if not connector.base_url:
        raise _bad("target_url must be absolute: the connector has no base_url")
    base = connector.base_url if connector.base_url.endswith("/") else connector.base_url + "/"
    return urljoin(base, target.lstrip("/"))


def _headers(given: dict | list | None) -> dict[str, str]:
    pairs: list[tuple[Any, Any]] = []
    if isinstance(given, dict):
        pairs = list(given.items())
    elif isinstance(given, list):
        for item in given:
            if isinstance(item, dict) and "name" in item:
                pairs.append((item["name"], item.get("value", "")))
            elif isinstance(item, list | tuple) and len(item) == 2:
                pairs.append((item[0], item[1]))
            else:
                raise _bad("headers must be an object or a list of {name, value}")
    headers: dict[str, str] = {}
    for name, value in pairs:
        key = str(name).strip().lower()
        text = str(value)
        if not key or any(c in key for c in " :\r\n") or any(c in text for c in "\r\n"):
            raise _bad(f"header {name!r} is not valid")
        try:
            (key + text).encode("latin-1")
        except UnicodeEncodeError:
            raise _bad(f"header {name!r} must be Latin-1 text") from None
        if key not in DROPPED_HEADERS:
            headers[key] = text
    return headers


def _inject(connector: Connector, fields: dict, headers: dict[str, str], params: dict) -> None:
    kind = connector.auth_type
    if kind in ("bearer", "oauth2"):
        headers["authorization"] = f"Bearer {fields['access_token']}"
    elif kind == "basic":
        token = base64.b64encode(f"{fields['username']}:{fields['password']}".encode()).decode()
        headers["authorization"] = f"Basic {token}"
    elif kind == "api_key":
        if connector.api_key_header:
            headers[connector.api_key_header.lower()] = fields["api_key"]
        else:
            params[connector.api_key_query] = fields["api_key"]


def _xml_content(connector: Connector, data: str | None, fields: dict, kind: Kind) -> bytes | None:
    if data is None:
        return None
    try:
        if kind == "soap" and connector.auth_type == "wsse":
            return xml.add_username_token(data, fields["username"], fields["password"])
        xml.parse(data)  # refuse malformed XML, DTDs and entities before sending
    except xml.UnsafeXml as exc:
        raise _bad(str(exc)) from None
    return data.encode()


async def _read_capped(response: httpx.Response) -> bytes:
    chunks, size = [], 0
    async for chunk in response.aiter_bytes():
        size += len(chunk)
        if size > RESPONSE_CAP:
            raise ProxyFailure(502, "the upstream response is larger than 10 MiB")
        chunks.append(chunk)
    return b"".join(chunks)


def _decode(response: httpx.Response, raw: bytes, kind: Kind) -> Any:
    if not raw:
        return {}
    ctype = response.headers.get("content-type", "").lower()
    text = raw.decode(response.encoding or "utf-8", errors="replace")
    if "json" in ctype:
        with contextlib.suppress(ValueError):
            return json.loads(text)
    if "xml" in ctype or (kind != "rest" and text.lstrip().startswith("<")):
        with contextlib.suppress(xml.UnsafeXml):
            return xml.to_dict(xml.parse(raw))
    return {"text": text}
